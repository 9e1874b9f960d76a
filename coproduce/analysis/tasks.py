"""Background work for analysis projects, run by the task queue (django-tasks)."""

from django_tasks import task

from coproduce.analysis.services import sources


@task()
def import_file(import_id: int) -> str:
    """Read an uploaded file into a project's sources, with progress on the import's page."""
    return sources.run_import(import_id).status
