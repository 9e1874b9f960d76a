"""Background work for impact, run by the task queue (django-tasks)."""

from django_tasks import task

from coproduce.impact import services


@task()
def send_questionnaires() -> int:
    """Questionnaires due: after recent one-off activities, and to members and staff in turn."""
    return services.send_due()
