"""Every write to opportunities, expressions of interest, selection and invitations."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.activities.models import INVOLVEMENT_FIELDS
from coproduce.core import audit
from coproduce.core.errors import ServiceError
from coproduce.notifications.models import Notification
from coproduce.notifications.services import notify
from coproduce.opportunities.models import Interest, Invitation, Opportunity
from coproduce.organisations.models import Organisation
from coproduce.people.models import Person

OPPORTUNITY_FIELDS = (
    *INVOLVEMENT_FIELDS,
    "why",
    "time_commitment",
    "hours",
    "timing",
    "starts_on",
    "closes_on",
    "who_wanted",
    "places",
    "skills_wanted",
    "group",
)
# Many-to-many attributes, set after the row is saved.
OPPORTUNITY_LISTS = ("support_offered", "cancer_types", "pathway_stages", "topics")
EDITABLE = (Opportunity.Status.DRAFT, Opportunity.Status.SUBMITTED, Opportunity.Status.PUBLISHED)
STILL_ACTIVE = (Interest.Status.EXPRESSED, Interest.Status.SELECTED)


def member_path(opportunity: Opportunity) -> str:
    """Where a member reads about an opportunity (notifications link here)."""
    return f"/me/opportunities/{opportunity.pk}/"


def _acting_for(actor: User | None, person: Person) -> Person | None:
    """The person a write was made for, when someone other than that person made it."""
    if actor is not None and person.user_id is not None and actor.pk == person.user_id:
        return None
    return person


def _check_details(organisation: Organisation, details: dict[str, Any], *, new: bool) -> None:
    group = details.get("group")
    if group is not None and group.organisation_id != organisation.pk:
        raise ServiceError("Select a group of the same organisation", field="group")
    closes_on, starts_on = details.get("closes_on"), details.get("starts_on")
    if new and closes_on and closes_on < timezone.localdate():
        raise ServiceError("The closing date must be today or in the future", field="closes_on")
    if closes_on and starts_on and starts_on < closes_on:
        raise ServiceError(
            "The start date must be on or after the closing date, so there is time to choose "
            "people",
            field="starts_on",
        )


def _set_lists(opportunity: Opportunity, lists: dict[str, Iterable[Any]]) -> list[str]:
    changed = []
    for name in OPPORTUNITY_LISTS:
        if name not in lists:
            continue
        wanted = {getattr(item, "pk", item) for item in lists[name]}
        related = getattr(opportunity, name)
        if set(related.values_list("pk", flat=True)) != wanted:
            related.set(wanted)
            changed.append(name)
    return changed


@transaction.atomic
def request_involvement(
    *, actor: User, organisation: Organisation, details: dict[str, Any]
) -> Opportunity:
    """Staff ask for involvement; the request waits for the involvement lead's review."""
    fields = {name: value for name, value in details.items() if name in OPPORTUNITY_FIELDS}
    _check_details(organisation, fields, new=True)
    opportunity = Opportunity.objects.create(
        organisation=organisation,
        status=Opportunity.Status.SUBMITTED,
        requested_by=actor,
        **fields,
    )
    _set_lists(opportunity, details)
    audit.record(
        actor=actor,
        action="opportunity.requested",
        target=opportunity,
        summary=f"Asked for involvement: {opportunity.title}",
        organisation_id=organisation.pk,
        changed_fields=sorted(fields),
    )
    return opportunity


@transaction.atomic
def update_opportunity(
    *, actor: User, opportunity: Opportunity, details: dict[str, Any]
) -> Opportunity:
    stored = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if stored.status not in EDITABLE:
        raise ServiceError(
            f"This opportunity is {stored.get_status_display().lower()} and can no longer be "
            "changed",
            status=409,
        )
    fields = {name: value for name, value in details.items() if name in OPPORTUNITY_FIELDS}
    merged = {name: getattr(stored, name) for name in OPPORTUNITY_FIELDS} | fields
    _check_details(opportunity.organisation, merged, new=False)
    changed = [name for name, value in fields.items() if getattr(stored, name) != value]
    for name in changed:
        setattr(stored, name, fields[name])
        setattr(opportunity, name, fields[name])
    if changed:
        stored.save(update_fields=[*changed, "updated_at"])
    changed += _set_lists(stored, details)
    if changed:
        audit.record(
            actor=actor,
            action="opportunity.updated",
            target=opportunity,
            summary=f"Changed {', '.join(name.replace('_', ' ') for name in changed)} of "
            f"{opportunity.title}",
            organisation_id=opportunity.organisation_id,
            changed_fields=changed,
        )
    return opportunity


@transaction.atomic
def publish(*, actor: User, opportunity: Opportunity) -> Opportunity:
    stored = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if stored.status not in (Opportunity.Status.DRAFT, Opportunity.Status.SUBMITTED):
        raise ServiceError(
            f"This opportunity is {stored.get_status_display().lower()}, so it cannot be published",
            status=409,
        )
    if stored.closes_on < timezone.localdate():
        raise ServiceError(
            "The closing date has passed. Change it to today or a later date, then publish",
            field="closes_on",
        )
    stored.status = Opportunity.Status.PUBLISHED
    stored.published_by = actor
    stored.published_at = timezone.now()
    stored.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    for name in ("status", "published_by", "published_at"):
        setattr(opportunity, name, getattr(stored, name))
    audit.record(
        actor=actor,
        action="opportunity.published",
        target=opportunity,
        summary=f"Published {opportunity.title}",
        organisation_id=opportunity.organisation_id,
    )
    return opportunity


def _tell_not_selected(interest: Interest, reason: str) -> None:
    opportunity = interest.opportunity
    notify(
        interest.person,
        Notification.Kind.SELECTION,
        f"{opportunity.title}: thank you for your interest",
        f"Thank you for offering to take part in {opportunity.title}. {reason} We are very "
        "grateful for your time, and there will be other opportunities soon: we will let you "
        "know about them.",
        member_path(opportunity),
    )


@transaction.atomic
def end(*, actor: User, opportunity: Opportunity, withdraw: bool = False) -> Opportunity:
    """Close an opportunity (involvement arranged) or withdraw it (no longer going ahead).

    Everyone still waiting for a decision hears, kindly, that they were not chosen this time.
    """
    stored = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    allowed = EDITABLE if withdraw else (Opportunity.Status.PUBLISHED,)
    if stored.status not in allowed:
        verb = "withdrawn" if withdraw else "closed"
        raise ServiceError(
            f"This opportunity is {stored.get_status_display().lower()}, so it cannot be {verb}",
            status=409,
        )
    stored.status = Opportunity.Status.WITHDRAWN if withdraw else Opportunity.Status.CLOSED
    stored.save(update_fields=["status", "updated_at"])
    opportunity.status = stored.status
    now = timezone.now()
    reason = (
        "It is no longer going ahead, so nobody will be chosen for it."
        if withdraw
        else "We have now chosen everyone we need for it, and this time it will not be you."
    )
    waiting = list(
        Interest.objects.filter(opportunity=opportunity, status=Interest.Status.EXPRESSED)
        .select_related("person", "opportunity")
        .select_for_update()
    )
    for interest in waiting:
        interest.status = Interest.Status.NOT_SELECTED
        interest.decided_at = now
        interest.decided_by = actor
        interest.save(update_fields=["status", "decided_at", "decided_by"])
        _tell_not_selected(interest, reason)
    audit.record(
        actor=actor,
        action="opportunity.withdrawn" if withdraw else "opportunity.closed",
        target=opportunity,
        summary=f"{'Withdrew' if withdraw else 'Closed'} {opportunity.title}; told "
        f"{len(waiting)} people still waiting",
        organisation_id=opportunity.organisation_id,
    )
    return opportunity


@transaction.atomic
def express_interest(
    *, actor: User, opportunity: Opportunity, person: Person, note: str = ""
) -> Interest:
    """A person offers to take part; staff may record it for someone who is not online."""
    acting_for = _acting_for(actor, person)
    if person.organisation_id != opportunity.organisation_id:
        raise ServiceError("This person is not recorded by the opportunity's organisation")
    if opportunity.status != Opportunity.Status.PUBLISHED:
        raise ServiceError("This opportunity is not taking expressions of interest", status=409)
    if opportunity.closes_on < timezone.localdate():
        raise ServiceError(
            f"The closing date for this opportunity was {opportunity.closes_on:%-d %B %Y}, so it "
            "is no longer taking expressions of interest",
            status=409,
        )
    interest = (
        Interest.objects.select_for_update().filter(opportunity=opportunity, person=person).first()
    )
    if interest is not None and interest.status != Interest.Status.WITHDRAWN:
        who = "You have" if acting_for is None else f"{person.full_name} has"
        raise ServiceError(
            f"{who} already expressed interest in this opportunity", field="note", status=409
        )
    if interest is None:
        interest = Interest.objects.create(
            opportunity=opportunity, person=person, note=note, recorded_by=actor
        )
    else:
        # Someone who withdrew may change their mind while the opportunity is open.
        interest.status = Interest.Status.EXPRESSED
        interest.note = note
        interest.recorded_by = actor
        interest.decided_at = None
        interest.decided_by = None
        interest.save(update_fields=["status", "note", "recorded_by", "decided_at", "decided_by"])
    audit.record(
        actor=actor,
        action="interest.expressed",
        target=interest,
        summary=f"{person.full_name} expressed interest in {opportunity.title}",
        organisation_id=opportunity.organisation_id,
        person=person,
        on_behalf_of=acting_for,
    )
    return interest


@transaction.atomic
def withdraw_interest(*, actor: User, interest: Interest) -> Interest:
    stored = Interest.objects.select_for_update().get(pk=interest.pk)
    if stored.status not in STILL_ACTIVE:
        raise ServiceError(
            f"This expression of interest is {stored.get_status_display().lower()}, so there is "
            "nothing to withdraw",
            status=409,
        )
    interest.status = Interest.Status.WITHDRAWN
    interest.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="interest.withdrawn",
        target=interest,
        summary=f"{interest.person.full_name} withdrew from {interest.opportunity.title}",
        organisation_id=interest.opportunity.organisation_id,
        person=interest.person,
        on_behalf_of=_acting_for(actor, interest.person),
    )
    return interest


@transaction.atomic
def decide(*, actor: User, interest: Interest, selected: bool) -> Interest:
    """Select someone, or not, and tell them either way."""
    stored = Interest.objects.select_for_update().get(pk=interest.pk)
    if stored.status != Interest.Status.EXPRESSED:
        raise ServiceError(
            f"{interest.person.full_name}'s interest is already "
            f"{stored.get_status_display().lower()}",
            field="selected",
            status=409,
        )
    opportunity = interest.opportunity
    interest.status = Interest.Status.SELECTED if selected else Interest.Status.NOT_SELECTED
    interest.decided_at = timezone.now()
    interest.decided_by = actor
    interest.save(update_fields=["status", "decided_at", "decided_by"])
    if selected:
        notify(
            interest.person,
            Notification.Kind.SELECTION,
            f"You have been selected for {opportunity.title}",
            f"Thank you for offering to take part in {opportunity.title}. We would love you to "
            f"join us. {opportunity.time_commitment}. We will be in touch with the details.",
            member_path(opportunity),
        )
    else:
        _tell_not_selected(
            interest,
            "This time we have not been able to offer you a place.",
        )
    audit.record(
        actor=actor,
        action="interest.selected" if selected else "interest.not_selected",
        target=interest,
        summary=f"{'Selected' if selected else 'Did not select'} {interest.person.full_name} "
        f"for {opportunity.title}",
        organisation_id=opportunity.organisation_id,
        person=interest.person,
    )
    return interest


@transaction.atomic
def invite(*, actor: User, opportunity: Opportunity, person: Person) -> Invitation:
    """Point a suggested person to an opportunity. Each person is invited at most once."""
    if person.organisation_id != opportunity.organisation_id:
        raise ServiceError("This person is not recorded by the opportunity's organisation")
    if not Opportunity.objects.open().filter(pk=opportunity.pk).exists():
        raise ServiceError("Only an open opportunity can be shared with people", status=409)
    if person.kind == Person.Kind.STAFF:
        raise ServiceError("Invitations are for patients, carers and the public")
    if not Person.objects.contactable().filter(pk=person.pk).exists():
        raise ServiceError(f"{person.full_name} has not agreed to be contacted", status=409)
    if Invitation.objects.filter(opportunity=opportunity, person=person).exists():
        raise ServiceError(f"{person.full_name} has already been invited", status=409)
    if Interest.objects.filter(opportunity=opportunity, person=person).exists():
        raise ServiceError(
            f"{person.full_name} has already expressed interest in this opportunity", status=409
        )
    invitation = Invitation.objects.create(opportunity=opportunity, person=person, invited_by=actor)
    notify(
        person,
        Notification.Kind.OPPORTUNITY,
        f"An opportunity you may like: {opportunity.title}",
        f"We think you could bring a lot to {opportunity.title}. {opportunity.time_commitment}. "
        f"If you would like to take part, say so by {opportunity.closes_on:%-d %B %Y}. There is "
        "no need to reply if it is not for you.",
        member_path(opportunity),
    )
    audit.record(
        actor=actor,
        action="opportunity.invited",
        target=invitation,
        summary=f"Invited {person.full_name} to look at {opportunity.title}",
        organisation_id=opportunity.organisation_id,
        person=person,
    )
    return invitation
