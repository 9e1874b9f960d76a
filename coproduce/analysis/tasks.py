"""Background work for analysis projects, run by the task queue (django-tasks)."""

from django_tasks import task

from coproduce.analysis.services import coding, sources


@task()
def import_file(import_id: int) -> str:
    """Read an uploaded file into a project's sources, with progress on the import's page."""
    return sources.run_import(import_id).status


@task()
def work_out_agreement(project_id: int) -> str:
    """Agreement over a large project, kept for its comparison page."""
    summary = coding.work_out_agreement(project_id)
    return f"worked out at {summary.worked_out_at}"
