"""`manage.py send_reminders`: for cron, every hour or so. Queues the reminder task, or with
--now runs it here and says how many reminders went out."""

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.activities.tasks import send_reminders


class Command(BaseCommand):
    help = "Remind people registered for activities starting in the next 48 hours (once each)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Send them now rather than queueing the task"
        )

    def handle(self, *args: Any, now: bool = False, **options: Any) -> None:
        if now:
            sent = send_reminders.call()
            self.stdout.write(f"Sent {sent} reminder{'' if sent == 1 else 's'}")
        else:
            result = send_reminders.enqueue()
            self.stdout.write(f"Queued the reminders task ({result.id})")
