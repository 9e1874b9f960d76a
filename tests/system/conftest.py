"""Fixtures for the browser journeys: a live server, Chromium through Playwright, and people.

Journeys drive a real Chromium (/usr/bin/chromium, or $COPRODUCE_CHROMIUM) against pytest-django's
live server, which also serves the static files (the built CSS, the NHS.UK frontend, htmx).
The `journey` fixture checks every page with axe: see journey.py.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
# thread with a running loop unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from tests.system.journey import AXE_SCRIPT, DESKTOP, PASSWORD, Journey

CHROMIUM = Path(os.environ.get("COPRODUCE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CSS = Path(settings.BASE_DIR) / "build" / "static" / "coproduce.css"


def _need(path: Path, how: str) -> None:
    if not path.exists():
        pytest.skip(f"{path} is missing: {how}")


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Browser]:
    _need(CHROMIUM, "install it with `apt-get install chromium`")
    _need(AXE_SCRIPT, "run `npm ci`")
    _need(CSS, "run `npm ci && npm run build`")
    from django.db import connections

    test_databases = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        # While Playwright's event loop runs in this thread, Django keeps its connections per
        # async context rather than per thread, and would open fresh ones that know nothing of
        # the test databases' set-up (the serialized rows that put back the data migrations'
        # rows after each journey). Hand that context the connections the test databases made.
        for alias, connection in test_databases.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def viewport() -> ViewportSize:
    """The window size; a test can ask for another with
    `@pytest.mark.parametrize("viewport", [PHONE])`."""
    return DESKTOP


@pytest.fixture
def page(
    browser: Browser,
    live_server: Any,
    viewport: ViewportSize,
    django_db_serialized_rollback: None,
) -> Iterator[Page]:
    """A fresh browser context and tab for each test, pointed at the live server.

    Journeys run against a server in another thread, so their rows are committed for real and
    the database is flushed after each test; `django_db_serialized_rollback` then puts back the
    rows the data migrations made (the default cancer types, topics and so on).
    """
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, accept_downloads=True, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def journey(page: Page) -> Iterator[Journey]:
    tour = Journey(page)
    yield tour
    tour.finish()


# People and organisations for the journeys, made with the ORM.


@pytest.fixture
def alliance(transactional_db: None) -> Any:
    from coproduce.organisations.models import Organisation

    return Organisation.objects.create(
        name="North Pennines Cancer Alliance",
        kind=Organisation.Kind.CANCER_ALLIANCE,
        region="North East and Yorkshire",
        ods_code="Q70",
    )


@pytest.fixture
def make_user(transactional_db: None) -> Callable[..., Any]:
    from coproduce.accounts.models import RoleAssignment, User

    def make(username: str, role: str, organisation: Any, **names: str) -> Any:
        user = User.objects.create_user(username=username, password=PASSWORD, **names)
        RoleAssignment.objects.create(user=user, organisation=organisation, role=role)
        return user

    return make


@pytest.fixture
def lead(alliance: Any, make_user: Callable[..., Any]) -> Any:
    """An involvement lead at the alliance."""
    from coproduce.core.roles import Role

    return make_user(
        "priya.shah",
        Role.INVOLVEMENT_LEAD,
        alliance,
        first_name="Priya",
        last_name="Shah",
        email="priya.shah@example.org",
    )


@pytest.fixture
def member(alliance: Any, make_user: Callable[..., Any]) -> Any:
    """A patient who takes part, with a sign-in linked to their person record."""
    from coproduce.core.roles import Role
    from coproduce.people.models import ConsentKind, ConsentRecord, Person

    user = make_user(
        "margaret.okoro",
        Role.MEMBER,
        alliance,
        first_name="Margaret",
        last_name="Okoro",
        email="margaret.okoro@example.org",
    )
    person = Person.objects.create(
        organisation=alliance,
        user=user,
        kind=Person.Kind.PATIENT,
        given_name="Margaret",
        family_name="Okoro",
        email="margaret.okoro@example.org",
        phone="07700 900123",
        preferred_contact=Person.ContactMethod.EMAIL,
    )
    ConsentRecord.objects.create(
        person=person,
        kind=ConsentKind.CONTACT,
        given=True,
        effective_on=person.created_at.date(),
    )
    return user


@pytest.fixture
def staff(alliance: Any, make_user: Callable[..., Any]) -> Any:
    """A nurse at the alliance who wants patients' help with her work."""
    from coproduce.core.roles import Role

    return make_user("grace.adeyemi", Role.STAFF, alliance, first_name="Grace", last_name="Adeyemi")


@pytest.fixture
def payment_policy(alliance: Any) -> None:
    """The alliance pays £25 an hour and travel up to £60, since 2024."""
    import datetime
    from decimal import Decimal

    from coproduce.payments.models import ExpenseRule, PaymentRate

    since = datetime.date(2024, 1, 1)
    PaymentRate.objects.create(
        organisation=alliance, unit="hour", amount=Decimal("25.00"), effective_from=since
    )
    ExpenseRule.objects.create(
        organisation=alliance, kind="travel", limit=Decimal("60.00"), effective_from=since
    )
