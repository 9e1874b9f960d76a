"""Background work for activities, run by the task queue (django-tasks)."""

from django_tasks import task

from coproduce.activities import services


@task()
def send_reminders() -> int:
    """Remind people of activities in the next 48 hours; safe to run as often as cron likes."""
    return services.send_reminders()
