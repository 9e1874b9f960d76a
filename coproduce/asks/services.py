"""Every write to asks: raising them, moving them through the flow, evidence, and telling people.

Each move is checked against the flow in models.NEXT, recorded as an `AskUpdate`, audited, and
told to every contributor by their notification preference. A move is one transaction: the
status, the timeline entry and the record of who was told are saved together or not at all.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from coproduce.accounts.models import RoleAssignment, User
from coproduce.activities.models import Activity, Document, Registration, Scope
from coproduce.asks.models import (
    NEXT,
    Ask,
    AskUpdate,
    Contribution,
    Domain,
    Evidence,
    Status,
)
from coproduce.core import access, audit, uploads
from coproduce.core.access import Permission
from coproduce.core.errors import ServiceError
from coproduce.core.roles import Role
from coproduce.notifications.models import Notification
from coproduce.notifications.services import notify
from coproduce.organisations.models import Organisation
from coproduce.people.models import ConsentKind, Person

ASK_FIELDS = ("title", "what_was_said", "quote", "group", "service", "pathway_stage", "owner")
EVIDENCE_TYPES = {
    **uploads.DOCUMENT_TYPES,
    uploads.JPEG: "a JPEG photo",
    uploads.PNG: "a PNG image",
}
REMIND_AGAIN_AFTER = timedelta(days=7)


def member_path(ask: Ask) -> str:
    return f"/me/asks/{ask.pk}/"


def staff_path(ask: Ask) -> str:
    return f"/asks/{ask.pk}/"


def answer_within() -> timedelta:
    """How long an ask may wait for a first answer before its owner and the lead are reminded."""
    return timedelta(days=settings.ASK_ANSWER_DAYS)


def may_move(user: Any, ask: Ask) -> bool:
    """The lead moves any ask of their organisation; the owner moves the asks given to them."""
    if access.has_permission(user, Permission.MANAGE_ASKS, ask.organisation_id):
        return True
    owner = ask.owner
    return owner is not None and owner.user_id is not None and owner.user_id == user.pk


def _check(organisation: Organisation, details: dict[str, Any]) -> None:
    group, owner = details.get("group"), details.get("owner")
    if group is not None and group.organisation_id != organisation.pk:
        raise ServiceError("Select a group of the same organisation", field="group")
    if owner is not None and (
        owner.organisation_id != organisation.pk or owner.kind != Person.Kind.STAFF
    ):
        raise ServiceError(
            "The owner must be a member of staff of the same organisation", field="owner"
        )


def _check_quote(quote: str, raised_by: Person | None) -> None:
    if not quote.strip():
        return
    if raised_by is None:
        raise ServiceError(
            "A quote must be someone's words: say who raised it, or leave the quote blank",
            field="quote",
        )
    if not raised_by.has_consent(ConsentKind.SHARE_STORY):
        raise ServiceError(
            f"{raised_by.full_name} has not agreed to their words being quoted. Record their "
            "consent first, or describe what they said in your own words",
            field="quote",
        )


def _contribute(ask: Ask, person: Person, *, raised_it: bool = False) -> Contribution:
    contribution, _ = Contribution.objects.get_or_create(
        ask=ask,
        person=person,
        defaults={"raised_it": raised_it, "told_status": ask.status, "told_at": timezone.now()},
    )
    return contribution


def _timeline(ask: Ask, actor: User | None, note: str = "") -> AskUpdate:
    return AskUpdate.objects.create(
        ask=ask,
        status=ask.status,
        note=note,
        progress=ask.progress,
        moved_by=actor,
        moved_by_label=audit.label(actor),
    )


def _leads(organisation_id: int) -> list[Person]:
    users = RoleAssignment.objects.filter(
        organisation_id=organisation_id, role=Role.INVOLVEMENT_LEAD
    ).values("user")
    return list(Person.objects.filter(user__in=users))


def _tell_owner(ask: Ask) -> None:
    if ask.owner is not None:
        notify(
            ask.owner,
            Notification.Kind.CHANGE,
            f"You have been asked to answer: {ask.title}",
            "Please consider it and record an answer. The people who raised it will be told.",
            staff_path(ask),
        )


@transaction.atomic
def raise_ask(
    *,
    actor: User,
    organisation: Organisation,
    details: dict[str, Any],
    raised_by: Person | None = None,
    contributors: Iterable[Person] = (),
    activities: Iterable[Activity] = (),
    documents: Iterable[Document] = (),
) -> Ask:
    """Staff record something that should change, from a meeting, an activity or an analysis."""
    fields = {name: value for name, value in details.items() if name in ASK_FIELDS}
    _check(organisation, fields)
    _check_quote(fields.get("quote", ""), raised_by)
    activities, documents = list(activities), list(documents)
    if any(activity.organisation_id != organisation.pk for activity in activities):
        raise ServiceError("Select activities of the same organisation", field="activities")
    if any(document.activity.organisation_id != organisation.pk for document in documents):
        raise ServiceError("Select documents of the same organisation", field="documents")
    people = ([raised_by] if raised_by else []) + list(contributors)
    if any(person.organisation_id != organisation.pk for person in people):
        raise ServiceError("Contributors must be people of the same organisation")
    ask = Ask.objects.create(
        organisation=organisation,
        raised_by=raised_by,
        raised_at=timezone.now(),
        recorded_by=actor,
        **fields,
    )
    ask.activities.set(activities)
    ask.documents.set(documents)
    for person in people:
        _contribute(ask, person, raised_it=person == raised_by)
    _timeline(ask, actor)
    audit.record(
        actor=actor,
        action="ask.raised",
        target=ask,
        summary=f"Recorded an ask: {ask.title}",
        organisation_id=organisation.pk,
        on_behalf_of=raised_by,
        changed_fields=sorted(fields),
    )
    _tell_owner(ask)
    return ask


@transaction.atomic
def member_raise(
    *, actor: User, person: Person, details: dict[str, Any], activity: Activity | None = None
) -> Ask:
    """A member raises something themselves, from a meeting they were at or on its own.

    It has no owner yet: the involvement lead gives it one, and is reminded if nobody answers.
    """
    if (
        activity is not None
        and not Registration.objects.filter(activity=activity, person=person).exists()
    ):
        raise ServiceError("You can only raise things from activities you took part in", status=404)
    wanted = ("title", "what_was_said", "quote", "group", "service", "pathway_stage")
    fields = {name: value for name, value in details.items() if name in wanted}
    if activity is not None and fields.get("group") is None:
        fields["group"] = activity.group
    _check(person.organisation, fields)
    _check_quote(fields.get("quote", ""), person)
    ask = Ask.objects.create(
        organisation=person.organisation,
        raised_by=person,
        raised_at=timezone.now(),
        recorded_by=actor,
        **fields,
    )
    if activity is not None:
        ask.activities.add(activity)
    _contribute(ask, person, raised_it=True)
    _timeline(ask, actor)
    audit.record(
        actor=actor,
        action="ask.raised",
        target=ask,
        summary=f"Raised an ask: {ask.title}",
        organisation_id=person.organisation_id,
        person=person,
        on_behalf_of=person if person.user_id != actor.pk else None,
    )
    for lead in _leads(person.organisation_id):
        notify(
            lead,
            Notification.Kind.CHANGE,
            f"{person.full_name} raised something that should change",
            f"{ask.title}. It needs an owner who will answer it.",
            staff_path(ask),
        )
    return ask


@transaction.atomic
def update_ask(*, actor: User, ask: Ask, details: dict[str, Any]) -> Ask:
    fields = {name: value for name, value in details.items() if name in ASK_FIELDS}
    _check(ask.organisation, fields)
    _check_quote(fields.get("quote", ask.quote), ask.raised_by)
    changed = [name for name, value in fields.items() if getattr(ask, name) != value]
    new_owner = "owner" in changed
    for name in changed:
        setattr(ask, name, fields[name])
    if changed:
        ask.save()
        audit.record(
            actor=actor,
            action="ask.updated",
            target=ask,
            summary=f"Changed the details of {ask.title}",
            organisation_id=ask.organisation_id,
            changed_fields=changed,
        )
    if new_owner:
        _tell_owner(ask)
    return ask


def _require_outcome(status: str, outcome: dict[str, Any]) -> None:
    if status == Status.NOT_POSSIBLE and not outcome.get("reason", "").strip():
        raise ServiceError(
            "Give the reason it is not possible: it is what the people who raised it are told",
            field="reason",
        )
    if status != Status.CHANGED:
        return
    if not outcome.get("outcome", "").strip():
        raise ServiceError(
            "Say what changed: it is what the people who raised it are told", field="outcome"
        )
    if outcome.get("domain") not in Domain.values:
        raise ServiceError("Select what kind of change it was", field="domain")
    if outcome.get("scope") not in Scope.values:
        raise ServiceError("Select how far the change reaches", field="scope")
    took_effect_on = outcome.get("took_effect_on")
    if took_effect_on is None:
        raise ServiceError("Enter the date the change took effect", field="took_effect_on")
    if took_effect_on > timezone.localdate():
        raise ServiceError(
            "The date the change took effect must be today or in the past",
            field="took_effect_on",
        )


def _tell_contributors(ask: Ask, message: str) -> int:
    """Tell every contributor of the move; each hears by their own notification preference."""
    now = timezone.now()
    contributions = list(ask.contributions.select_related("person"))
    for contribution in contributions:
        notify(
            contribution.person,
            Notification.Kind.CHANGE,
            f"{ask.get_status_display()}: {ask.title}",
            message,
            member_path(ask),
        )
    Contribution.objects.filter(ask=ask).update(told_status=ask.status, told_at=now)
    return len(contributions)


def _message(ask: Ask, note: str) -> str:
    if ask.status == Status.CHANGED:
        return f"What changed: {ask.outcome}"
    if ask.status == Status.NOT_POSSIBLE:
        return f"Why it is not possible: {ask.outcome}"
    if note:
        return note
    return f"What you raised is now {ask.get_status_display().lower()}."


@transaction.atomic
def move(
    *,
    actor: User,
    ask: Ask,
    status: str,
    note: str = "",
    progress: int | None = None,
    outcome: dict[str, Any] | None = None,
) -> Ask:
    """Move an ask one step along the flow and tell its contributors.

    `outcome` carries what a final answer needs: for "changed" the outcome text, domain, scope
    and date it took effect; for "not possible" the reason.
    """
    stored = Ask.objects.select_for_update().get(pk=ask.pk)
    if not may_move(actor, stored):
        raise ServiceError("Only the owner or the involvement lead can answer this", status=403)
    allowed = NEXT[stored.status]
    if status not in allowed:
        if not allowed:
            raise ServiceError("This ask is closed and cannot move again", status=409)
        names = " or ".join(f"“{Status(name).label.lower()}”" for name in allowed)
        raise ServiceError(
            f"An ask that is “{stored.get_status_display().lower()}” can only move to {names}",
            field="status",
            status=409,
        )
    outcome = outcome or {}
    _require_outcome(status, outcome)
    if progress is not None and not 0 <= progress <= 100:
        raise ServiceError("Progress must be a whole number from 0 to 100", field="progress")
    stored.status = status
    if status == Status.CHANGED:
        stored.outcome = outcome["outcome"].strip()
        stored.domain = outcome["domain"]
        stored.scope = outcome["scope"]
        stored.took_effect_on = outcome["took_effect_on"]
        stored.progress = 100
    elif status == Status.NOT_POSSIBLE:
        stored.outcome = outcome["reason"].strip()
    elif progress is not None:
        stored.progress = progress
    if stored.answered_at is None:
        stored.answered_at = timezone.now()
    stored.save()
    _timeline(stored, actor, note.strip() or stored.outcome)
    told = _tell_contributors(stored, _message(stored, note.strip()))
    audit.record(
        actor=actor,
        action="ask.moved",
        target=stored,
        summary=f"Moved {stored.title} to {stored.get_status_display().lower()}; told {told}",
        organisation_id=stored.organisation_id,
        changed_fields=["status"],
    )
    return stored


@transaction.atomic
def record_progress(*, actor: User, ask: Ask, progress: int, note: str) -> Ask:
    """A note on work under way, without a change of status (contributors read it on the page)."""
    stored = Ask.objects.select_for_update().get(pk=ask.pk)
    if not may_move(actor, stored):
        raise ServiceError("Only the owner or the involvement lead can answer this", status=403)
    if stored.status not in (Status.ACCEPTED, Status.IN_PROGRESS):
        raise ServiceError("Progress is recorded once an ask is accepted", status=409)
    if not 0 <= progress <= 100:
        raise ServiceError("Progress must be a whole number from 0 to 100", field="progress")
    if not note.strip():
        raise ServiceError("Say what has happened", field="note")
    stored.progress = progress
    stored.save(update_fields=["progress", "updated_at"])
    _timeline(stored, actor, note.strip())
    audit.record(
        actor=actor,
        action="ask.progress",
        target=stored,
        summary=f"Recorded progress on {stored.title}: {progress}%",
        organisation_id=stored.organisation_id,
    )
    return stored


@transaction.atomic
def add_evidence(
    *,
    actor: User,
    ask: Ask,
    kind: str,
    title: str,
    upload: UploadedFile | None = None,
    url: str = "",
    before: str = "",
    after: str = "",
) -> Evidence:
    if not may_move(actor, ask):
        raise ServiceError("Only the owner or the involvement lead can add evidence", status=403)
    if not title.strip():
        raise ServiceError("Give the evidence a title", field="title")
    fields: dict[str, Any] = {}
    if kind == Evidence.Kind.FILE:
        if upload is None:
            raise ServiceError("Choose a file", field="file")
        checked = uploads.check(upload, EVIDENCE_TYPES, field="file")
        fields = {"file": checked.file, "content_type": checked.content_type, "size": checked.size}
    elif kind == Evidence.Kind.LINK:
        if not url.strip():
            raise ServiceError("Enter the web address", field="url")
        fields = {"url": url.strip()}
    elif kind == Evidence.Kind.BEFORE_AFTER:
        if not before.strip() or not after.strip():
            field = "before" if not before.strip() else "after"
            raise ServiceError("Describe both how it was before and how it is after", field=field)
        fields = {"before": before.strip(), "after": after.strip()}
    else:
        raise ServiceError("Select the kind of evidence", field="kind")
    return attach_evidence(actor=actor, ask=ask, kind=kind, title=title, **fields)


def attach_evidence(
    *, actor: User, ask: Ask, kind: str, title: str, source: str = "", **fields: Any
) -> Evidence:
    """Evidence already checked, attached and audited. `add_evidence` is the way in for people;
    other services call this for evidence they made themselves (`source` says where from)."""
    evidence = Evidence.objects.create(
        ask=ask, kind=kind, title=title.strip()[:200], added_by=actor, **fields
    )
    audit.record(
        actor=actor,
        action="ask.evidence_added",
        target=evidence,
        summary=f"Added evidence '{evidence.title}' to {ask.title}"
        + (f" from {source}" if source else ""),
        organisation_id=ask.organisation_id,
    )
    return evidence


def evidence_download_name(evidence: Evidence) -> str:
    return uploads.download_name(evidence.title, evidence.content_type, "evidence")


@transaction.atomic
def add_contributor(*, actor: User, ask: Ask, person: Person) -> Contribution:
    if person.organisation_id != ask.organisation_id:
        raise ServiceError("Select someone from the same organisation", field="person")
    if Contribution.objects.filter(ask=ask, person=person).exists():
        raise ServiceError(f"{person.full_name} is already a contributor", field="person")
    contribution = _contribute(ask, person)
    audit.record(
        actor=actor,
        action="ask.contributor_added",
        target=ask,
        summary=f"Added a contributor to {ask.title}",
        organisation_id=ask.organisation_id,
        person=person,
    )
    notify(
        person,
        Notification.Kind.CHANGE,
        f"You contributed to: {ask.title}",
        f"It is {ask.get_status_display().lower()}. You will be told each time it moves on.",
        member_path(ask),
    )
    return contribution


@transaction.atomic
def set_published(*, actor: User, ask: Ask, published: bool) -> Ask:
    ask.published_at = timezone.now() if published else None
    ask.save(update_fields=["published_at", "updated_at"])
    audit.record(
        actor=actor,
        action="ask.published" if published else "ask.unpublished",
        target=ask,
        summary=f"{'Published' if published else 'Took down'} {ask.title} on the public record",
        organisation_id=ask.organisation_id,
    )
    return ask


def remind_unanswered(now: datetime | None = None) -> int:
    """Remind owners and leads of asks with no answer past the set time; weekly at most."""
    now = now or timezone.now()
    reminded = 0
    leads: dict[int, list[Person]] = {}  # looked up once per organisation, not once per ask
    due = (
        Ask.objects.unanswered_since(now - answer_within())
        .exclude(reminded_at__gte=now - REMIND_AGAIN_AFTER)
        .select_related("owner")
    )
    for ask in due:
        if ask.organisation_id not in leads:
            leads[ask.organisation_id] = _leads(ask.organisation_id)
        people = list(leads[ask.organisation_id])
        if ask.owner is not None and ask.owner not in people:
            people.append(ask.owner)
        waiting = (now - ask.raised_at).days
        for person in people:
            notify(
                person,
                Notification.Kind.REMINDER,
                f"No answer yet after {waiting} days: {ask.title}",
                "The people who raised it are waiting to hear. Record an answer, even if it is "
                "that it is under consideration.",
                staff_path(ask),
            )
        Ask.objects.filter(pk=ask.pk).update(reminded_at=now)
        reminded += 1
    return reminded
