"""A person's own equality monitoring answers: saved or deleted by them alone."""

from typing import Any

from django.db import transaction

from coproduce.accounts.models import User
from coproduce.core import audit
from coproduce.equality.models import EqualityResponse
from coproduce.people.models import Person


def _require_self(actor: User, person: Person) -> None:
    if person.user_id != actor.pk:
        raise PermissionError("Only the person can enter or delete their equality answers")


@transaction.atomic
def save_answers(*, actor: User, person: Person, answers: dict[str, Any]) -> EqualityResponse:
    _require_self(actor, person)
    cleaned = {name: answers.get(name) or "" for name in EqualityResponse.QUESTIONS}
    response, _ = EqualityResponse.objects.update_or_create(person=person, defaults=cleaned)
    # The audit says that answers changed, never what they are.
    audit.record(
        actor=actor,
        action="equality.saved",
        target=response,
        summary="Saved equality monitoring answers",
        organisation_id=person.organisation_id,
        person=person,
    )
    return response


@transaction.atomic
def delete_answers(*, actor: User, person: Person) -> bool:
    _require_self(actor, person)
    deleted, _ = EqualityResponse.objects.filter(person=person).delete()
    if deleted:
        audit.record(
            actor=actor,
            action="equality.deleted",
            target=person,
            summary="Deleted equality monitoring answers",
            organisation_id=person.organisation_id,
            person=person,
        )
    return bool(deleted)
