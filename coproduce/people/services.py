"""Every write to a person's record and consent. Each function is one atomic use case."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.core import audit
from coproduce.core.errors import ServiceError
from coproduce.organisations.models import Organisation
from coproduce.people.models import ConsentKind, ConsentRecord, Person

PROFILE_FIELDS = (
    "kind",
    "given_name",
    "family_name",
    "email",
    "phone",
    "address",
    "postcode",
    "preferred_contact",
    "accessibility_needs",
    "skills_and_experience",
)
INTEREST_FIELDS = ("support_needs", "topics", "cancer_types", "pathway_stages")
HEALTH_FIELDS = ("cancer_types", "pathway_stages")


def _acting_for(actor: User | None, person: Person) -> Person | None:
    """The person a write was made on behalf of: set when someone else writes their record."""
    if actor is not None and person.user_id is not None and actor.pk == person.user_id:
        return None
    return person


def _check_email_free(organisation: Organisation, email: str, exclude: int | None = None) -> None:
    if not email:
        return
    others = Person.objects.filter(organisation=organisation, email__iexact=email)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise ServiceError(
            "Someone with this email address is already recorded. Search for them instead of "
            "adding them again.",
            field="email",
            status=409,
        )


def _set_interests(person: Person, interests: dict[str, Iterable[Any]]) -> list[str]:
    changed = []
    for name in INTEREST_FIELDS:
        if name not in interests:
            continue
        wanted = {getattr(item, "pk", item) for item in interests[name]}
        if (
            name in HEALTH_FIELDS
            and wanted
            and not person.has_consent(ConsentKind.HEALTH_INFORMATION)
        ):
            raise ServiceError(
                "Record consent to hold health information before adding cancer types or "
                "stages of care.",
                field=name,
            )
        manager = getattr(person, name)
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)
            changed.append(name)
    return changed


@transaction.atomic
def create_person(
    *,
    actor: User | None,
    organisation: Organisation,
    details: dict[str, Any],
    interests: dict[str, Iterable[Any]] | None = None,
    consents: Iterable[str] = (),
) -> Person:
    """Add a person. Consent they have given is recorded first, so health interests can follow."""
    details = {key: value for key, value in details.items() if key in PROFILE_FIELDS}
    details["email"] = (details.get("email") or "").strip().lower()
    _check_email_free(organisation, details["email"])
    person = Person.objects.create(organisation=organisation, **details)
    audit.record(
        actor=actor,
        action="person.created",
        target=person,
        summary=f"Added {person.full_name}",
        organisation_id=organisation.pk,
        person=person,
        changed_fields=sorted(details),
    )
    for kind in consents:
        record_consent(actor=actor, person=person, kind=kind, given=True)
    _set_interests(person, interests or {})
    return person


@transaction.atomic
def update_person(
    *,
    actor: User | None,
    person: Person,
    details: dict[str, Any] | None = None,
    interests: dict[str, Iterable[Any]] | None = None,
) -> Person:
    details = {key: value for key, value in (details or {}).items() if key in PROFILE_FIELDS}
    if "email" in details:
        details["email"] = (details["email"] or "").strip().lower()
        _check_email_free(person.organisation, details["email"], exclude=person.pk)
    # Compare with the stored row: a ModelForm has already copied its data onto `person`.
    stored = Person.objects.select_for_update().get(pk=person.pk)
    changed = [name for name, value in details.items() if getattr(stored, name) != value]
    for name in changed:
        setattr(stored, name, details[name])
        setattr(person, name, details[name])
    if changed:
        stored.save(update_fields=[*changed, "updated_at"])
    changed += _set_interests(person, interests or {})
    if changed:
        audit.record(
            actor=actor,
            action="person.updated",
            target=person,
            summary=f"Changed {', '.join(name.replace('_', ' ') for name in changed)}",
            organisation_id=person.organisation_id,
            person=person,
            on_behalf_of=_acting_for(actor, person),
            changed_fields=changed,
        )
    return person


@transaction.atomic
def record_consent(
    *,
    actor: User | None,
    person: Person,
    kind: str,
    given: bool,
    effective_on: datetime.date | None = None,
    note: str = "",
) -> ConsentRecord:
    """Record consent given or withdrawn.

    Withdrawing consent to hold health information erases the health information held, so
    nothing that relied on that consent keeps it.
    """
    if kind not in ConsentKind.values:
        raise ServiceError("Choose a kind of consent", field="kind")
    effective_on = effective_on or timezone.localdate()
    if effective_on > timezone.localdate():
        raise ServiceError("The date cannot be in the future", field="effective_on")
    record = ConsentRecord.objects.create(
        person=person,
        kind=kind,
        given=given,
        effective_on=effective_on,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
        note=note,
    )
    erased: list[str] = []
    if not given and kind == ConsentKind.HEALTH_INFORMATION:
        for name in HEALTH_FIELDS:
            if getattr(person, name).exists():
                getattr(person, name).clear()
                erased.append(name)
    label = ConsentKind(kind).label.lower()
    audit.record(
        actor=actor,
        action="consent.given" if given else "consent.withdrawn",
        target=record,
        summary=(
            f"Consent {'given' if given else 'withdrawn'}: {label}"
            + (" (health information erased)" if erased else "")
        ),
        organisation_id=person.organisation_id,
        person=person,
        on_behalf_of=_acting_for(actor, person),
        changed_fields=erased,
    )
    return record
