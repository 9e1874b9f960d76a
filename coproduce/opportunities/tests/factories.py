"""Test helpers for opportunities: people with interests, consent and a history of taking part."""

import datetime
from typing import Any

from django.utils import timezone

from coproduce.activities.models import Activity
from coproduce.factories import (
    ActivityFactory,
    AttendanceFactory,
    ConsentFactory,
    PersonFactory,
)
from coproduce.organisations.models import Organisation
from coproduce.people.models import ConsentKind, Person


def contactable_person(organisation: Organisation, **kwargs: Any) -> Person:
    """A person who has agreed to be contacted, with any interests passed as lists."""
    lists = {
        name: kwargs.pop(name)
        for name in ("cancer_types", "pathway_stages", "topics", "support_needs")
        if name in kwargs
    }
    person = PersonFactory.create(organisation=organisation, **kwargs)
    ConsentFactory.create(person=person, kind=ConsentKind.CONTACT, given=True)
    for name, items in lists.items():
        getattr(person, name).set(items)
    return person


def took_part(person: Person, times: int, days_ago: int = 30) -> None:
    """Record that `person` attended `times` held activities, `days_ago` days ago."""
    starts_at = timezone.now() - datetime.timedelta(days=days_ago)
    for _ in range(times):
        activity = ActivityFactory.create(
            organisation=person.organisation,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            status=Activity.Status.HELD,
        )
        AttendanceFactory.create(activity=activity, person=person)
