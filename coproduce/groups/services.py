"""Every write to partnership groups and memberships."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.core import audit
from coproduce.core.errors import ServiceError
from coproduce.groups.models import Membership, PartnershipGroup
from coproduce.organisations.models import Organisation
from coproduce.people.models import Person

GROUP_FIELDS = (
    "name",
    "purpose",
    "decisions",
    "who_takes_part",
    "cadence",
    "membership_type",
    "starts_on",
    "ends_on",
)


def _check_group(
    organisation: Organisation, details: dict[str, Any], exclude: int | None = None
) -> None:
    starts_on, ends_on = details.get("starts_on"), details.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise ServiceError(
            "The end date must be the same as or after the start date", field="ends_on"
        )
    name = details.get("name", "")
    clash = PartnershipGroup.objects.filter(organisation=organisation, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if name and clash.exists():
        raise ServiceError("There is already a group with this name", field="name", status=409)


@transaction.atomic
def create_group(
    *, actor: User, organisation: Organisation, details: dict[str, Any]
) -> PartnershipGroup:
    details = {key: value for key, value in details.items() if key in GROUP_FIELDS}
    _check_group(organisation, details)
    group = PartnershipGroup.objects.create(organisation=organisation, **details)
    audit.record(
        actor=actor,
        action="group.created",
        target=group,
        summary=f"Created the group {group.name}",
        organisation_id=organisation.pk,
        changed_fields=sorted(details),
    )
    return group


@transaction.atomic
def update_group(
    *, actor: User, group: PartnershipGroup, details: dict[str, Any]
) -> PartnershipGroup:
    details = {key: value for key, value in details.items() if key in GROUP_FIELDS}
    # Compare with the stored row: a ModelForm has already copied its data onto `group`.
    stored = PartnershipGroup.objects.select_for_update().get(pk=group.pk)
    merged = {name: getattr(stored, name) for name in GROUP_FIELDS} | details
    _check_group(group.organisation, merged, exclude=group.pk)
    changed = [name for name, value in details.items() if getattr(stored, name) != value]
    for name in changed:
        setattr(stored, name, details[name])
        setattr(group, name, details[name])
    if changed:
        stored.save(update_fields=[*changed, "updated_at"])
        audit.record(
            actor=actor,
            action="group.updated",
            target=group,
            summary=f"Changed {', '.join(name.replace('_', ' ') for name in changed)} of {group.name}",
            organisation_id=group.organisation_id,
            changed_fields=changed,
        )
    return group


@transaction.atomic
def add_member(
    *,
    actor: User,
    group: PartnershipGroup,
    person: Person,
    role: str,
    started_on: datetime.date | None = None,
) -> Membership:
    if person.organisation_id != group.organisation_id:
        raise ServiceError(
            "This person is not recorded by the group's organisation", field="person"
        )
    if role not in Membership.Role.values:
        raise ServiceError("Choose a role", field="role")
    started_on = started_on or timezone.localdate()
    if group.ends_on and started_on > group.ends_on:
        raise ServiceError("The group has ended by this date", field="started_on")
    if Membership.objects.filter(group=group, person=person, ended_on__isnull=True).exists():
        raise ServiceError(
            f"{person.full_name} is already a member of this group", field="person", status=409
        )
    membership = Membership.objects.create(
        group=group, person=person, role=role, started_on=started_on
    )
    audit.record(
        actor=actor,
        action="membership.started",
        target=membership,
        summary=f"Added {person.full_name} to {group.name} as {membership.get_role_display().lower()}",
        organisation_id=group.organisation_id,
        person=person,
    )
    return membership


@transaction.atomic
def end_membership(
    *, actor: User, membership: Membership, ended_on: datetime.date | None = None
) -> Membership:
    ended_on = ended_on or timezone.localdate()
    if membership.ended_on is not None:
        raise ServiceError("This membership has already ended", field="ended_on", status=409)
    if ended_on < membership.started_on:
        raise ServiceError(
            "The end date must be on or after the date they joined", field="ended_on"
        )
    membership.ended_on = ended_on
    membership.save(update_fields=["ended_on", "updated_at"])
    audit.record(
        actor=actor,
        action="membership.ended",
        target=membership,
        summary=f"{membership.person.full_name} left {membership.group.name}",
        organisation_id=membership.group.organisation_id,
        person=membership.person,
    )
    return membership
