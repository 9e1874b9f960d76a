"""Activities in the JSON API, under the same access rules as the pages."""

import datetime
import uuid
from decimal import Decimal
from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StringConstraints

from coproduce.activities import services
from coproduce.activities.models import Activity, ActivityType, Attendance, Registration
from coproduce.api.auth import actor
from coproduce.api.pagination import Pages
from coproduce.api.schemas import Error
from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.errors import ServiceError
from coproduce.groups.models import PartnershipGroup
from coproduce.opportunities.models import Opportunity
from coproduce.organisations.models import Organisation
from coproduce.people.models import Person

router = Router(tags=["activities"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error, 422: Error}

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ActivityKind = Literal["meeting", "activity"]
Mode = Literal["in_person", "online", "hybrid"]
Every = Literal["1", "2", "4", "month"]


class ActivityOut(Schema):
    id: int
    organisation_id: int
    kind: str
    title: str
    description: str
    activity_type: str = Field(..., alias="activity_type.name")
    group_id: int | None
    opportunity_id: int | None
    series: uuid.UUID | None
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int | None
    mode: str
    place: str
    agenda: str
    status: str
    minutes: str
    closed_at: datetime.datetime | None


class ActivityIn(Schema):
    organisation_id: int
    kind: ActivityKind = "activity"
    group_id: int | None = None
    opportunity_id: int | None = None
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)
    ]
    activity_type_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int | None = Field(None, ge=1)
    mode: Mode = "in_person"
    place: str = Field("", max_length=300)
    agenda: str = Field("", max_length=10000)
    every: Every | None = Field(None, description="How often a group's meetings repeat")
    count: int = Field(1, ge=1, le=services.MOST_IN_SERIES, description="How many meetings")


class RegistrationOut(Schema):
    id: int
    activity_id: int
    person_id: int
    person_name: str = Field(..., alias="person.full_name")
    status: str
    support_needed: str
    created_at: datetime.datetime


class RegistrationIn(Schema):
    person_id: int
    support_needed: str = Field("", max_length=1000)


class AttendanceItem(Schema):
    person_id: int
    attended: bool = True
    hours: Decimal | None = Field(
        None, ge=0, le=24, description="Leave out for the activity's length"
    )


class AttendanceIn(Schema):
    attendance: list[AttendanceItem] = Field(..., min_length=1, max_length=500)


class AttendanceOut(Schema):
    id: int
    activity_id: int
    person_id: int
    attended: bool
    hours: Decimal


def _activity(request: HttpRequest, activity_id: int, permission: Permission) -> Activity:
    return access.get(
        request.user, Activity.objects.select_related("activity_type"), permission, pk=activity_id
    )


def _in_organisation(model: type, organisation_id: int, pk: int | None, field: str) -> object:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, organisation_id=organisation_id).first()  # type: ignore[attr-defined]
    if found is None:
        raise ServiceError(f"No such {field.replace('_', ' ')} in this organisation", field=field)
    return found


@router.get("", response=list[ActivityOut])
@paginate(Pages)
def list_activities(request: HttpRequest, upcoming: bool = False):  # type: ignore[no-untyped-def]
    activities: QuerySet[Activity] = access.scoped(
        request.user, Activity.objects.select_related("activity_type"), Permission.VIEW_ACTIVITIES
    )
    if upcoming:
        return activities.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")
    return activities.order_by("-starts_at", "-pk")


@router.post("", response={201: list[ActivityOut], **ERRORS})
def create_activities(request: HttpRequest, body: ActivityIn) -> Status[list[Activity]]:
    organisation = access.get(
        request.user,
        Organisation.objects.all(),
        Permission.MANAGE_ACTIVITIES,
        pk=body.organisation_id,
    )
    activity_type = ActivityType.objects.filter(pk=body.activity_type_id).first()
    if activity_type is None:
        raise ServiceError("No such activity type", field="activity_type_id")
    details = body.dict(
        include={"kind", "title", "description", "starts_at", "ends_at", "capacity"}
        | {"mode", "place", "agenda"}
    ) | {
        "activity_type": activity_type,
        "group": _in_organisation(PartnershipGroup, organisation.pk, body.group_id, "group_id"),
        "opportunity": _in_organisation(
            Opportunity, organisation.pk, body.opportunity_id, "opportunity_id"
        ),
    }
    made = services.create_activities(
        actor=actor(request),
        organisation=organisation,
        details=details,
        every=body.every,
        count=body.count,
    )
    return Status(201, made)


@router.get("/{activity_id}", response={200: ActivityOut, **ERRORS})
def get_activity(request: HttpRequest, activity_id: int) -> Activity:
    return _activity(request, activity_id, Permission.VIEW_ACTIVITIES)


@router.get("/{activity_id}/registrations", response={200: list[RegistrationOut], **ERRORS})
@paginate(Pages)
def list_registrations(request: HttpRequest, activity_id: int, status: str = ""):  # type: ignore[no-untyped-def]
    # Who is registered and the support they need: for those who run activities only.
    activity = _activity(request, activity_id, Permission.MANAGE_ACTIVITIES)
    registrations = Registration.objects.filter(activity=activity).select_related("person")
    if status:
        registrations = registrations.filter(status=status)
    return registrations.order_by("created_at", "pk")


@router.post("/{activity_id}/registrations", response={201: RegistrationOut, **ERRORS})
def register(request: HttpRequest, activity_id: int, body: RegistrationIn) -> Status[Registration]:
    activity = _activity(request, activity_id, Permission.MANAGE_ACTIVITIES)
    person = access.get(
        request.user,
        Person.objects.filter(organisation_id=activity.organisation_id),
        Permission.MANAGE_ACTIVITIES,
        pk=body.person_id,
    )
    registration = services.register(
        actor=actor(request),
        activity=activity,
        person=person,
        support_needed=body.support_needed,
    )
    return Status(201, registration)


@router.post("/{activity_id}/attendance", response={200: list[AttendanceOut], **ERRORS})
def record_attendance(
    request: HttpRequest, activity_id: int, body: AttendanceIn
) -> list[Attendance]:
    activity = _activity(request, activity_id, Permission.MANAGE_ACTIVITIES)
    ids = [item.person_id for item in body.attendance]
    people = access.scoped(
        request.user,
        Person.objects.filter(organisation_id=activity.organisation_id),
        Permission.MANAGE_ACTIVITIES,
    ).in_bulk(ids)
    missing = [pk for pk in ids if pk not in people]
    if missing:
        raise ServiceError(
            f"No such person in this organisation: {', '.join(map(str, missing))}",
            field="person_id",
            status=404,
        )
    entries = [
        services.AttendanceEntry(
            person=people[item.person_id],
            attended=item.attended,
            hours=item.hours,
            field="hours",
        )
        for item in body.attendance
    ]
    return services.record_attendance(actor=actor(request), activity=activity, entries=entries)
