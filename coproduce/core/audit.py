"""The audit service: every service that writes people, consent, memberships or groups calls it.

It is called explicitly rather than from signals, so a reader of a service can see that the write
is audited, and bulk or internal writes that should not be audited are plainly not.
"""

from typing import TYPE_CHECKING, Any

from django.db import models

from coproduce.core.models import AuditEvent

if TYPE_CHECKING:
    from coproduce.accounts.models import User
    from coproduce.people.models import Person


def record(
    *,
    actor: "User | None",
    action: str,
    target: models.Model,
    summary: str,
    organisation_id: int | None,
    person: "Person | None" = None,
    on_behalf_of: "Person | None" = None,
    changed_fields: list[str] | None = None,
) -> AuditEvent:
    """Write one audit event. Field names are recorded, never the personal values themselves."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=label(actor),
        organisation_id=organisation_id,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        person=person,
        person_label=str(person) if person else "",
        on_behalf_of=on_behalf_of,
        summary=summary[:500],
        changed_fields=sorted(changed_fields or []),
    )


def label(actor: Any) -> str:
    """How an actor is named in records that outlive their account."""
    if actor is None or not actor.is_authenticated:
        return "System"
    return actor.get_full_name() or actor.get_username()
