"""Small builders shared by the activity tests."""

import datetime
from typing import Any

from django.utils import timezone

from coproduce.activities.models import Activity
from coproduce.factories import ActivityFactory, PersonFactory
from coproduce.people.models import Person


def soon(days: int = 7, hour: int = 14) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def activity_for(tenant: Any, **kwargs: Any) -> Activity:
    kwargs.setdefault("starts_at", soon())
    kwargs.setdefault("ends_at", kwargs["starts_at"] + datetime.timedelta(hours=2))
    kwargs.setdefault("group", tenant.group)
    kwargs.setdefault("kind", Activity.Kind.MEETING)
    return ActivityFactory.create(organisation=tenant.organisation, **kwargs)


def person_in(tenant: Any, **kwargs: Any) -> Person:
    return PersonFactory.create(organisation=tenant.organisation, **kwargs)
