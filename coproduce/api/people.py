from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from coproduce.api.auth import actor
from coproduce.api.pagination import Pages
from coproduce.api.schemas import (
    ConsentIn,
    ConsentOut,
    Error,
    PersonDetailOut,
    PersonIn,
    PersonOut,
    PersonPatch,
)
from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.organisations.models import Organisation
from coproduce.people import services
from coproduce.people.models import ConsentKind, ConsentRecord, Person

router = Router(tags=["people"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def person_detail(request: HttpRequest, person: Person) -> dict[str, Any]:
    """A person's record as the API shows it: health information only to those who may see it."""
    consent = {
        kind: (record.given if record else None)
        for kind, record in person.current_consent().items()
    }
    show_health = bool(consent[ConsentKind.HEALTH_INFORMATION]) and access.has_permission(
        request.user, Permission.VIEW_HEALTH_INFORMATION, person.organisation_id
    )
    data: dict[str, Any] = {
        name: getattr(person, name)
        for name in PersonDetailOut.model_fields
        if hasattr(person, name)
    }
    data |= {
        "support_needs": [str(item) for item in person.support_needs.all()],
        "topics": [str(item) for item in person.topics.all()],
        "cancer_types": [str(item) for item in person.cancer_types.all()] if show_health else None,
        "pathway_stages": [str(item) for item in person.pathway_stages.all()]
        if show_health
        else None,
        "consent": consent,
    }
    return data


@router.get("", response=list[PersonOut])
@paginate(Pages)
def list_people(request: HttpRequest, q: str = "", kind: str = "", contactable: bool = False):  # type: ignore[no-untyped-def]
    people = access.scoped(request.user, Person.objects.all(), Permission.VIEW_PEOPLE)
    if q:
        people = people.search(q[:100])
    if kind:
        people = people.filter(kind=kind)
    if contactable:
        people = people.contactable()
    return people


@router.post("", response={201: PersonDetailOut, **ERRORS})
def create_person(request: HttpRequest, body: PersonIn) -> Status[dict[str, Any]]:
    organisation = access.get(
        request.user, Organisation.objects.all(), Permission.MANAGE_PEOPLE, pk=body.organisation_id
    )
    person = services.create_person(
        actor=actor(request), organisation=organisation, details=body.dict()
    )
    return Status(201, person_detail(request, person))


@router.get("/{person_id}", response={200: PersonDetailOut, **ERRORS})
def get_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    person = access.get(request.user, Person.objects.all(), Permission.VIEW_PEOPLE, pk=person_id)
    return person_detail(request, person)


@router.patch("/{person_id}", response={200: PersonDetailOut, **ERRORS})
def update_person(request: HttpRequest, person_id: int, body: PersonPatch) -> dict[str, Any]:
    person = access.get(request.user, Person.objects.all(), Permission.MANAGE_PEOPLE, pk=person_id)
    services.update_person(
        actor=actor(request), person=person, details=body.dict(exclude_unset=True)
    )
    return person_detail(request, person)


@router.get("/{person_id}/consent", response={200: list[ConsentOut], **ERRORS})
def consent_history(request: HttpRequest, person_id: int) -> Any:
    person = access.get(request.user, Person.objects.all(), Permission.MANAGE_PEOPLE, pk=person_id)
    return person.consent_records.all()


@router.post("/{person_id}/consent", response={201: ConsentOut, **ERRORS})
def record_consent(request: HttpRequest, person_id: int, body: ConsentIn) -> Status[ConsentRecord]:
    person = access.get(request.user, Person.objects.all(), Permission.MANAGE_PEOPLE, pk=person_id)
    record = services.record_consent(
        actor=actor(request),
        person=person,
        kind=body.kind,
        given=body.given,
        effective_on=body.effective_on,
        note=body.note,
    )
    return Status(201, record)
