"""Send the daily or weekly digest emails: run by cron (see docs/operations.md)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from coproduce.notifications import services
from coproduce.notifications.models import Frequency


class Command(BaseCommand):
    help = "Email each person who chose a daily or weekly digest everything not yet sent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--frequency", choices=[Frequency.DAILY, Frequency.WEEKLY], required=True
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = services.send_digests(options["frequency"])
        self.stdout.write(f"Sent {sent} {options['frequency']} digest{'s' if sent != 1 else ''}.")
