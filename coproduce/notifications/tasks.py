"""Background work for notifications, run by the task queue (django-tasks)."""

from django_tasks import task

from coproduce.notifications import services
from coproduce.notifications.models import Notification


@task()
def send_notification(notification_id: int) -> bool:
    notification = Notification.objects.select_related("person").filter(pk=notification_id).first()
    return notification is not None and services.send_now(notification)


@task()
def send_digests(frequency: str) -> int:
    return services.send_digests(frequency)
