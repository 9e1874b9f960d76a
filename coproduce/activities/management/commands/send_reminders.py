"""`manage.py send_reminders`: for cron, every hour or so."""

from coproduce.activities.tasks import send_reminders
from coproduce.core.commands import TaskCommand


class Command(TaskCommand):
    help = "Remind people registered for activities starting in the next 48 hours (once each)."
    task = send_reminders
    done = "Sent {count} reminder{s}"
