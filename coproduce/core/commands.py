"""The shape every cron command shares: queue a background task, or run it here with --now."""

from typing import Any

from django.core.management.base import BaseCommand


class TaskCommand(BaseCommand):
    """Subclasses name the task and how to report what it did (`done`, given the count)."""

    task: Any
    done: str

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Do it now rather than queueing the task"
        )

    def handle(self, *args: Any, now: bool = False, **options: Any) -> None:
        if now:
            count = self.task.call()
            self.stdout.write(self.done.format(count=count, s="" if count == 1 else "s"))
        else:
            result = self.task.enqueue()
            self.stdout.write(f"Queued the task ({result.id})")
