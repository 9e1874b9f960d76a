"""Background work for asks, run by the task queue (django-tasks)."""

from django_tasks import task

from coproduce.asks import services


@task()
def remind_unanswered_asks() -> int:
    """Remind owners and leads of asks with no answer past the set time (weekly at most)."""
    return services.remind_unanswered()
