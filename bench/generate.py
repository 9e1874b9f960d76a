"""Build a national-scale SQLite database for the benchmarks.

    .venv/bin/python bench/generate.py [--db PATH] [--force]

Runs the migrations on a fresh SQLite file, then `populate(NATIONAL, accounts=True)`: 21 cancer
alliances, 100 partnership groups, 20,000 people and about 60,000 memberships, with the demo
sign-ins (password "coproduce-demo"). It also adds one sign-in, "national", that is an
involvement lead in every alliance, so the load benchmark can measure lists across the whole
country as well as within one alliance.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "bench" / "results" / "national.sqlite3"
NATIONAL_USERNAME = "national"


def configure_django(db: Path | str) -> None:
    """Point Django at `db` (an SQLite file, or a database URL such as postgres://...) with the
    local settings. Call before anything imports models."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = db if isinstance(db, str) and "://" in db else f"sqlite:///{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()


def remove_database(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def add_national_user() -> None:
    """An involvement lead in every organisation: the widest scope a real sign-in can have."""
    from coproduce.accounts.models import RoleAssignment, User
    from coproduce.core.roles import Role
    from coproduce.demo.builder import DEMO_PASSWORD
    from coproduce.organisations.models import Organisation

    user = User.objects.create_user(
        username=NATIONAL_USERNAME,
        password=DEMO_PASSWORD,
        first_name="Nia",
        last_name="National",
        email="national@example.org",
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, organisation=organisation, role=Role.INVOLVEMENT_LEAD)
        for organisation in Organisation.objects.order_by("pk")
    )


def table_counts() -> dict[str, int]:
    from coproduce.accounts.models import RoleAssignment, User
    from coproduce.equality.models import EqualityResponse
    from coproduce.groups.models import Membership, PartnershipGroup
    from coproduce.organisations.models import Organisation
    from coproduce.people.models import ConsentRecord, Person

    models = [
        Organisation,
        PartnershipGroup,
        Person,
        Membership,
        ConsentRecord,
        EqualityResponse,
        User,
        RoleAssignment,
    ]
    return {model._meta.label: model.objects.count() for model in models}  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"default: {DEFAULT_DB}")
    parser.add_argument(
        "--force", action="store_true", help="replace the database file if it exists"
    )
    args = parser.parse_args(argv)
    db: Path = args.db.resolve()

    if db.exists():
        if not args.force:
            print(f"{db} exists; pass --force to build it again", file=sys.stderr)
            return 1
        remove_database(db)
    db.parent.mkdir(parents=True, exist_ok=True)

    configure_django(db)
    from django.core.management import call_command
    from django.db import connection

    from coproduce.demo.builder import NATIONAL, populate

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter()
    print(f"Migrated {db} in {migrated - started:.1f} s")

    populated = populate(NATIONAL, accounts=True)
    add_national_user()
    finished = time.perf_counter()
    print(f"Populated in {finished - migrated:.1f} s: {populated}")

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()

    print("Rows:")
    for label, count in table_counts().items():
        print(f"  {label:<28} {count:>8,}")
    size = db.stat().st_size / 1_048_576
    print(f"Done in {time.perf_counter() - started:.1f} s; {db} is {size:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
