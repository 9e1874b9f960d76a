"""The signed-in member's own record, and nobody else's."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Status

from coproduce.api.auth import actor
from coproduce.api.people import person_detail
from coproduce.api.schemas import ConsentIn, ConsentOut, Error, PersonDetailOut, PersonPatch
from coproduce.core import audit
from coproduce.people import services
from coproduce.people.export import subject_access_export
from coproduce.people.models import ConsentRecord, Person

router = Router(tags=["me"])
ERRORS = {400: Error, 403: Error, 409: Error, 422: Error}


def _me(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    return person


@router.get("", response={200: PersonDetailOut, **ERRORS})
def my_record(request: HttpRequest) -> dict[str, Any]:
    person = _me(request)
    return person_detail(request, person) | _own_health(person)


@router.patch("", response={200: PersonDetailOut, **ERRORS})
def update_my_record(request: HttpRequest, body: PersonPatch) -> dict[str, Any]:
    person = _me(request)
    details = body.dict(exclude_unset=True, exclude={"kind"})
    services.update_person(actor=actor(request), person=person, details=details)
    return person_detail(request, person) | _own_health(person)


@router.post("/consent", response={201: ConsentOut, **ERRORS})
def my_consent(request: HttpRequest, body: ConsentIn) -> Status[ConsentRecord]:
    person = _me(request)
    record = services.record_consent(
        actor=actor(request), person=person, kind=body.kind, given=body.given
    )
    return Status(201, record)


@router.get(
    "/export",
    response={200: dict[str, Any], **ERRORS},
    summary="Everything held about me (subject access)",
)
def my_export(request: HttpRequest) -> dict[str, Any]:
    person = _me(request)
    audit.record(
        actor=actor(request),
        action="person.exported",
        target=person,
        summary="Downloaded their own data",
        organisation_id=person.organisation_id,
        person=person,
    )
    return subject_access_export(person)


def _own_health(person: Person) -> dict[str, Any]:
    """A person always sees the health information they have chosen to share."""
    return {
        "cancer_types": [str(item) for item in person.cancer_types.all()],
        "pathway_stages": [str(item) for item in person.pathway_stages.all()],
    }
