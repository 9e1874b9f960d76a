"""Load the demo data: `manage.py load_demo --if-empty` is what `make run` calls."""

from typing import Any

from django.core.management.base import BaseCommand

from coproduce.demo.builder import DEMO, DEMO_ACCOUNTS, DEMO_PASSWORD, populate
from coproduce.organisations.models import Organisation


class Command(BaseCommand):
    help = "Load realistic demo data: three cancer alliances, eight groups and about 300 people."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if there are organisations already"
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if Organisation.objects.exists():
            if not if_empty:
                self.stderr.write(
                    "The database already has data; the demo is loaded into an empty database only."
                )
                return
        else:
            counts = populate(DEMO)
            self.stdout.write(f"Loaded the demo: {counts}")
        usernames = [row[0] for row in DEMO_ACCOUNTS] + ["member"]
        self.stdout.write(
            self.style.SUCCESS("Demo sign-ins (password for all: " + DEMO_PASSWORD + "):")
        )
        for username in usernames:
            self.stdout.write(f"  {username}")
