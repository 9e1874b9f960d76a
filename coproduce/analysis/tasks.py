"""Background work for analysis projects, run by the task queue (django-tasks)."""

from django_tasks import task

from coproduce.analysis.services import batches, coding, sources, suggestions


@task()
def import_file(import_id: int) -> str:
    """Read an uploaded file into a project's sources, with progress on the import's page."""
    return sources.run_import(import_id).status


@task()
def work_out_agreement(project_id: int) -> str:
    """Agreement over a large project, kept for its comparison page."""
    summary = coding.work_out_agreement(project_id)
    return f"worked out at {summary.worked_out_at}"


@task()
def train_suggester(suggester_id: int) -> str:
    """Train a model of suggested codes or sentiment on the team's coding."""
    return suggestions.run_training(suggester_id).status


@task()
def suggest_part(part_id: int) -> str:
    """One part of a batch of suggestions; workers share a batch's parts between them."""
    return batches.run_part(part_id)


@task()
def discover_themes(
    discovery_id: int, dataset_id: int | None = None, themes: int | None = None
) -> str:
    """Group a project's uncoded responses into themes, for its discovery page."""
    from coproduce.analysis.services import discovery

    return discovery.run_discovery(discovery_id, dataset_id=dataset_id, themes=themes).status
