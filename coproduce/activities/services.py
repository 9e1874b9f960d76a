"""Every write to activities: setting them up, places and waiting lists, papers, attendance,
minutes, decisions and actions, closing a meeting, reminders and calendar feeds."""

import calendar
import datetime
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.activities.models import (
    INVOLVEMENT_FIELDS,
    Action,
    Activity,
    Attendance,
    CalendarFeed,
    Decision,
    Document,
    Registration,
)
from coproduce.core import audit, uploads
from coproduce.core.errors import ServiceError
from coproduce.core.presenters import format_datetime
from coproduce.groups.models import Membership, current_membership
from coproduce.notifications.models import Notification
from coproduce.notifications.services import notify
from coproduce.opportunities.models import Interest
from coproduce.organisations.models import Organisation
from coproduce.people.models import Person, SupportNeed

ACTIVITY_FIELDS = (
    "kind",
    "group",
    "opportunity",
    *INVOLVEMENT_FIELDS,
    "starts_at",
    "ends_at",
    "capacity",
    "agenda",
)


class Every(models.TextChoices):
    """How often a group's meetings repeat."""

    WEEK = "1", "Every week"
    TWO_WEEKS = "2", "Every 2 weeks"
    FOUR_WEEKS = "4", "Every 4 weeks"
    MONTH = "month", "Every month"


# A year of weekly meetings; a longer series is better set up again when the group reviews itself.
MOST_IN_SERIES = 52
REMINDER_NOTICE = datetime.timedelta(hours=48)


def _me_path(activity: Activity) -> str:
    return f"/me/activities/{activity.pk}/"


def _when(activity: Activity) -> str:
    return format_datetime(activity.starts_at)


def series_dates(first: datetime.date, every: str, count: int) -> list[datetime.date]:
    """The dates of a series. Monthly meetings keep the day of the month, or the month's last
    day when it is shorter (a series from 31 January meets on 28 or 29 February)."""
    if every == Every.MONTH:
        dates = []
        for step in range(count):
            month_index = first.month - 1 + step
            year, month = first.year + month_index // 12, month_index % 12 + 1
            day = min(first.day, calendar.monthrange(year, month)[1])
            dates.append(datetime.date(year, month, day))
        return dates
    weeks = int(every)
    return [first + datetime.timedelta(weeks=weeks * step) for step in range(count)]


def _check_details(organisation_id: int, details: dict[str, Any]) -> None:
    starts_at, ends_at = details.get("starts_at"), details.get("ends_at")
    if starts_at and ends_at:
        if ends_at <= starts_at:
            raise ServiceError("The activity must end after it starts", field="length")
        if ends_at - starts_at > datetime.timedelta(hours=24):
            raise ServiceError("An activity can last 24 hours at most", field="length")
    group, opportunity = details.get("group"), details.get("opportunity")
    if group is not None and group.organisation_id != organisation_id:
        raise ServiceError("Select one of your organisation's groups", field="group")
    if opportunity is not None and opportunity.organisation_id != organisation_id:
        raise ServiceError("Select one of your organisation's opportunities", field="opportunity")
    if details.get("kind") == Activity.Kind.MEETING and group is None:
        raise ServiceError("Select the group that is meeting", field="group")


@transaction.atomic
def create_activities(
    *,
    actor: User,
    organisation: Organisation,
    details: dict[str, Any],
    support_offered: Iterable[SupportNeed] = (),
    every: str | None = None,
    count: int = 1,
) -> list[Activity]:
    """One activity, or a group's meetings repeating `count` times `every` so often.

    Each meeting in a series starts at the same local time, so meetings on either side of a
    change to or from British Summer Time both start at, say, 2pm.
    """
    details = {key: value for key, value in details.items() if key in ACTIVITY_FIELDS}
    _check_details(organisation.pk, details)
    if count < 1 or count > MOST_IN_SERIES:
        raise ServiceError(f"Enter how many meetings, from 1 to {MOST_IN_SERIES}", field="count")
    if count > 1:
        if every not in Every.values:
            raise ServiceError("Select how often the group meets", field="every")
        if details.get("kind") != Activity.Kind.MEETING:
            raise ServiceError("Only a group's meetings can repeat", field="every")
    starts_at: datetime.datetime = details.pop("starts_at")
    ends_at: datetime.datetime = details.pop("ends_at")
    local_start = timezone.localtime(starts_at)
    length = ends_at - starts_at
    dates = series_dates(local_start.date(), every or Every.WEEK, count)
    series = uuid4() if count > 1 else None
    support = list(support_offered)
    made = []
    for day in dates:
        start = timezone.make_aware(datetime.datetime.combine(day, local_start.time()))
        activity = Activity.objects.create(
            organisation=organisation,
            series=series,
            starts_at=start,
            ends_at=start + length,
            **details,
        )
        activity.support_offered.set(support)
        made.append(activity)
    first = made[0]
    audit.record(
        actor=actor,
        action="activity.created",
        target=first,
        summary=(
            f"Set up {len(made)} meetings of {first.title}, from {_when(first)}"
            if series
            else f"Set up {first.title} on {_when(first)}"
        ),
        organisation_id=organisation.pk,
        changed_fields=sorted(details),
    )
    return made


@transaction.atomic
def update_activity(
    *,
    actor: User,
    activity: Activity,
    details: dict[str, Any],
    support_offered: Iterable[SupportNeed] | None = None,
) -> Activity:
    details = {key: value for key, value in details.items() if key in ACTIVITY_FIELDS}
    # Compare with the stored row: a ModelForm has already copied its data onto `activity`.
    stored = Activity.objects.select_for_update().get(pk=activity.pk)
    if stored.status == Activity.Status.CANCELLED:
        raise ServiceError("A cancelled activity cannot be changed", status=409)
    merged = {name: getattr(stored, name) for name in ACTIVITY_FIELDS} | details
    _check_details(stored.organisation_id, merged)
    changed = [name for name, value in details.items() if getattr(stored, name) != value]
    for name in changed:
        setattr(stored, name, details[name])
    if changed:
        stored.save(update_fields=[*changed, "updated_at"])
    if support_offered is not None:
        wanted = {need.pk for need in support_offered}
        if set(stored.support_offered.values_list("pk", flat=True)) != wanted:
            stored.support_offered.set(wanted)
            changed.append("support_offered")
    for name in ACTIVITY_FIELDS:
        setattr(activity, name, getattr(stored, name))
    if changed:
        audit.record(
            actor=actor,
            action="activity.updated",
            target=stored,
            summary=f"Changed {', '.join(name.replace('_', ' ') for name in changed)} of {stored.title}",
            organisation_id=stored.organisation_id,
            changed_fields=changed,
        )
    moved = {"starts_at", "ends_at", "place", "mode"} & set(changed)
    if moved and stored.status == Activity.Status.PLANNED:
        for registration in stored.registrations.exclude(
            status=Registration.Status.CANCELLED
        ).select_related("person"):
            notify(
                registration.person,
                Notification.Kind.ACTIVITY,
                f"{stored.title} has changed",
                f"{stored.title} is now on {_when(stored)}"
                + (f" at {stored.place}" if stored.place else "")
                + ". Check the details and let us know if you can no longer come.",
                _me_path(stored),
            )
    if "capacity" in changed:
        _fill_places(stored, actor)
    return activity


@transaction.atomic
def cancel_activity(*, actor: User, activity: Activity, reason: str = "") -> Activity:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == Activity.Status.CANCELLED:
        raise ServiceError("This activity has already been cancelled", status=409)
    if activity.status == Activity.Status.HELD:
        raise ServiceError("This activity has been held, so it cannot be cancelled", status=409)
    activity.status = Activity.Status.CANCELLED
    activity.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="activity.cancelled",
        target=activity,
        summary=f"Cancelled {activity.title} on {_when(activity)}",
        organisation_id=activity.organisation_id,
    )
    body = f"{activity.title} on {_when(activity)} has been cancelled."
    if reason:
        body += f" {reason}"
    for registration in activity.registrations.exclude(
        status=Registration.Status.CANCELLED
    ).select_related("person"):
        notify(
            registration.person,
            Notification.Kind.ACTIVITY,
            f"Cancelled: {activity.title}",
            body,
            _me_path(activity),
        )
    return activity


# Places and the waiting list


def eligible_activities(person: Person) -> "models.QuerySet[Activity]":
    """Activities a member may register for themselves: their current groups' meetings, and
    activities of opportunities they were selected for."""
    groups = Membership.objects.filter(current_membership(), person=person).values("group_id")
    selected = Interest.objects.filter(person=person, status=Interest.Status.SELECTED).values(
        "opportunity_id"
    )
    return Activity.objects.filter(organisation_id=person.organisation_id).filter(
        models.Q(group_id__in=groups) | models.Q(opportunity_id__in=selected)
    )


def _check_open(activity: Activity) -> None:
    if activity.status == Activity.Status.CANCELLED:
        raise ServiceError("This activity has been cancelled", status=409)
    if activity.status == Activity.Status.HELD or activity.starts_at <= timezone.now():
        raise ServiceError(
            "This activity has already started, so registration has closed", status=409
        )


def _is_full(activity: Activity) -> bool:
    if activity.capacity is None:
        return False
    taken = activity.registrations.filter(status=Registration.Status.REGISTERED).count()
    return taken >= activity.capacity


@transaction.atomic
def register(
    *,
    actor: User,
    activity: Activity,
    person: Person,
    support_needed: str = "",
    self_service: bool = False,
) -> Registration:
    """A place for `person`, or a place on the waiting list when the activity is full.

    The activity's row is locked while places are counted, so two people registering at once
    cannot both take the last place.
    """
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if person.organisation_id != activity.organisation_id:
        raise ServiceError(
            "This person is not recorded by the activity's organisation", field="person"
        )
    _check_open(activity)
    if self_service and not eligible_activities(person).filter(pk=activity.pk).exists():
        raise ServiceError(
            "You can register only for your groups' meetings and activities you were selected for",
            status=403,
        )
    existing = Registration.objects.filter(activity=activity, person=person).first()
    if existing is not None and existing.status != Registration.Status.CANCELLED:
        who = "You are" if self_service else f"{person.full_name} is"
        where = (
            "registered for this activity"
            if existing.status == Registration.Status.REGISTERED
            else "on the waiting list for this activity"
        )
        raise ServiceError(f"{who} already {where}", field="person", status=409)
    status = Registration.Status.WAITING if _is_full(activity) else Registration.Status.REGISTERED
    if existing is not None:
        registration = existing
        registration.status = status
        registration.support_needed = support_needed
        registration.registered_by = actor
        registration.reminded_at = None
        registration.save()
        # Coming back after cancelling joins the end of the queue, not the place held before.
        Registration.objects.filter(pk=registration.pk).update(created_at=timezone.now())
    else:
        registration = Registration.objects.create(
            activity=activity,
            person=person,
            status=status,
            support_needed=support_needed,
            registered_by=actor,
        )
    on_list = status == Registration.Status.WAITING
    audit.record(
        actor=actor,
        action="registration.created",
        target=registration,
        summary=(
            f"{'Put' if on_list else 'Registered'} {person.full_name} "
            f"{'on the waiting list for' if on_list else 'for'} {activity.title}"
        ),
        organisation_id=activity.organisation_id,
        person=person,
        on_behalf_of=None if self_service else person,
        changed_fields=["support_needed"] if support_needed else [],
    )
    if not self_service:
        notify(
            person,
            Notification.Kind.ACTIVITY,
            f"{'On the waiting list' if on_list else 'Registered'}: {activity.title}",
            f"You have been {'put on the waiting list' if on_list else 'registered'} for "
            f"{activity.title} on {_when(activity)}.",
            _me_path(activity),
        )
    return registration


def _fill_places(activity: Activity, actor: User | None) -> list[Registration]:
    """Move people up from the waiting list, first come first served, while there is room."""
    promoted = []
    waiting = activity.registrations.filter(status=Registration.Status.WAITING).order_by(
        "created_at", "id"
    )
    for registration in waiting.select_related("person"):
        if _is_full(activity):
            break
        registration.status = Registration.Status.REGISTERED
        registration.save(update_fields=["status", "updated_at"])
        promoted.append(registration)
        audit.record(
            actor=actor,
            action="registration.promoted",
            target=registration,
            summary=f"{registration.person.full_name} moved up from the waiting list for {activity.title}",
            organisation_id=activity.organisation_id,
            person=registration.person,
        )
        notify(
            registration.person,
            Notification.Kind.ACTIVITY,
            f"A place has come up: {activity.title}",
            f"A place has come up at {activity.title} on {_when(activity)}, and it is yours. "
            "If you can no longer come, cancel so that someone else can have it.",
            _me_path(activity),
        )
    return promoted


@transaction.atomic
def cancel_registration(
    *, actor: User, registration: Registration, self_service: bool = False
) -> list[Registration]:
    """Cancel a place; returns whoever moved up from the waiting list into it."""
    activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise ServiceError("This registration has already been cancelled", status=409)
    if activity.starts_at <= timezone.now() or activity.status != Activity.Status.PLANNED:
        raise ServiceError("This activity has already started or ended", status=409)
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="registration.cancelled",
        target=registration,
        summary=f"Cancelled {registration.person.full_name}'s place at {activity.title}",
        organisation_id=activity.organisation_id,
        person=registration.person,
        on_behalf_of=None if self_service else registration.person,
    )
    return _fill_places(activity, actor)


# Papers and minutes


@transaction.atomic
def add_document(
    *,
    actor: User,
    activity: Activity,
    upload: UploadedFile,
    title: str = "",
    kind: str = Document.Kind.PAPER,
    field: str = "file",
) -> Document:
    checked = uploads.check(upload, uploads.DOCUMENT_TYPES, field=field)
    document = Document.objects.create(
        activity=activity,
        kind=kind,
        title=(title.strip() or checked.original_name)[:200],
        file=checked.file,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    audit.record(
        actor=actor,
        action="document.added",
        target=document,
        summary=f"Added {document.get_kind_display().lower()} '{document.title}' to {activity.title}",
        organisation_id=activity.organisation_id,
    )
    return document


def download_name(document: Document) -> str:
    return uploads.download_name(document.title, document.content_type, "document")


@transaction.atomic
def record_minutes(
    *, actor: User, activity: Activity, minutes: str, upload: UploadedFile | None = None
) -> Activity:
    if activity.status == Activity.Status.CANCELLED:
        raise ServiceError("A cancelled activity has no minutes", status=409)
    if not minutes.strip() and upload is None:
        raise ServiceError("Write the minutes or choose a file of them", field="minutes")
    if minutes.strip():
        activity.minutes = minutes.strip()
        activity.save(update_fields=["minutes", "updated_at"])
        audit.record(
            actor=actor,
            action="activity.minuted",
            target=activity,
            summary=f"Wrote the minutes of {activity.title}",
            organisation_id=activity.organisation_id,
            changed_fields=["minutes"],
        )
    if upload is not None:
        add_document(
            actor=actor,
            activity=activity,
            upload=upload,
            title=f"Minutes of {activity.title}",
            kind=Document.Kind.MINUTES,
            field="minutes_file",
        )
    return activity


# Attendance


@dataclass(frozen=True)
class AttendanceEntry:
    person: Person
    attended: bool
    hours: Decimal | None = None  # None: the activity's length
    field: str = "hours"  # where a refusal is shown


def _check_started(activity: Activity, doing: str) -> None:
    if activity.status == Activity.Status.CANCELLED:
        raise ServiceError(f"You cannot {doing} a cancelled activity", status=409)
    if activity.starts_at > timezone.now():
        raise ServiceError(
            f"This activity has not started yet: {doing} it once it has taken place", status=409
        )


@transaction.atomic
def record_attendance(
    *, actor: User, activity: Activity, entries: Sequence[AttendanceEntry]
) -> list[Attendance]:
    _check_started(activity, "record attendance at")
    default_hours = min(activity.hours, Decimal(24))
    recorded = []
    for entry in entries:
        if entry.person.organisation_id != activity.organisation_id:
            raise ServiceError(
                "This person is not recorded by the activity's organisation", field=entry.field
            )
        hours = (
            Decimal(0)
            if not entry.attended
            else (default_hours if entry.hours is None else entry.hours)
        )
        if hours < 0 or hours > 24:
            raise ServiceError(
                f"Hours for {entry.person.full_name} must be between 0 and 24", field=entry.field
            )
        attendance, _ = Attendance.objects.update_or_create(
            activity=activity,
            person=entry.person,
            defaults={"attended": entry.attended, "hours": hours, "recorded_by": actor},
        )
        recorded.append(attendance)
        audit.record(
            actor=actor,
            action="attendance.recorded",
            target=attendance,
            summary=(
                f"Recorded that {entry.person.full_name} "
                + (f"gave {hours} hours to" if entry.attended else "did not attend")
                + f" {activity.title}"
            ),
            organisation_id=activity.organisation_id,
            person=entry.person,
            changed_fields=["attended", "hours"],
        )
    return recorded


# Decisions and actions


@transaction.atomic
def add_decision(*, actor: User, activity: Activity, text: str) -> Decision:
    if not text.strip():
        raise ServiceError("Enter the decision", field="text")
    decision = Decision.objects.create(activity=activity, text=text.strip(), recorded_by=actor)
    audit.record(
        actor=actor,
        action="decision.recorded",
        target=decision,
        summary=f"Recorded a decision of {activity.title}",
        organisation_id=activity.organisation_id,
    )
    return decision


@transaction.atomic
def add_action(
    *,
    actor: User,
    activity: Activity,
    description: str,
    owner: Person,
    due_on: datetime.date,
) -> Action:
    if owner.organisation_id != activity.organisation_id:
        raise ServiceError("Select someone from the activity's organisation", field="owner")
    if due_on < timezone.localtime(activity.starts_at).date():
        raise ServiceError(
            "The due date must be on or after the day of the activity", field="due_on"
        )
    action = Action.objects.create(
        activity=activity, description=description.strip(), owner=owner, due_on=due_on
    )
    audit.record(
        actor=actor,
        action="action.added",
        target=action,
        summary=f"Gave {owner.full_name} an action from {activity.title}, due {due_on:%d/%m/%Y}",
        organisation_id=activity.organisation_id,
        person=owner,
    )
    notify(
        owner,
        Notification.Kind.ACTIVITY,
        f"An action for you from {activity.title}",
        f"{description.strip()[:500]} (due by {due_on.day} {due_on:%B %Y})",
        _me_path(activity),
    )
    return action


@transaction.atomic
def complete_action(*, actor: User, action: Action, done_on: datetime.date | None = None) -> Action:
    if action.done_on is not None:
        raise ServiceError("This action has already been marked as done", status=409)
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ServiceError("The date it was done must be today or in the past", field="done_on")
    action.done_on = done_on
    action.save(update_fields=["done_on", "updated_at"])
    audit.record(
        actor=actor,
        action="action.done",
        target=action,
        summary=f"Marked {action.owner.full_name}'s action from {action.activity.title} as done",
        organisation_id=action.activity.organisation_id,
        person=action.owner,
    )
    return action


# Closing a meeting in one step


@transaction.atomic
def close_activity(
    *,
    actor: User,
    activity: Activity,
    attendance: Sequence[AttendanceEntry],
    minutes: str = "",
    minutes_file: UploadedFile | None = None,
    decisions: Sequence[str] = (),
) -> Activity:
    """Record who came, the minutes and the decisions, and mark the activity held, all or
    nothing: a refusal of any part leaves the activity as it was."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _check_started(activity, "close")
    if activity.closed_at is not None:
        raise ServiceError(
            f"This activity was closed on {format_datetime(activity.closed_at)}", status=409
        )
    record_attendance(actor=actor, activity=activity, entries=attendance)
    if minutes.strip() or minutes_file is not None:
        record_minutes(actor=actor, activity=activity, minutes=minutes, upload=minutes_file)
    for text in decisions:
        if text.strip():
            add_decision(actor=actor, activity=activity, text=text)
    activity.status = Activity.Status.HELD
    activity.closed_at = timezone.now()
    activity.closed_by = actor
    activity.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    attended = sum(1 for entry in attendance if entry.attended)
    audit.record(
        actor=actor,
        action="activity.closed",
        target=activity,
        summary=f"Closed {activity.title}: {attended} attended",
        organisation_id=activity.organisation_id,
    )
    return activity


# Reminders


def send_reminders(now: datetime.datetime | None = None) -> int:
    """Remind everyone with a place at an activity starting in the next 48 hours, once each.

    Each registration is claimed by setting `reminded_at` only where it is still empty, so two
    runs at once (or a run repeated by cron) never remind anyone twice.
    """
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        reminded_at__isnull=True,
        activity__status=Activity.Status.PLANNED,
        activity__starts_at__gt=now,
        activity__starts_at__lte=now + REMINDER_NOTICE,
    ).select_related("activity", "person")
    sent = 0
    for registration in due:
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            activity = registration.activity
            notify(
                registration.person,
                Notification.Kind.REMINDER,
                f"Reminder: {activity.title}, {_when(activity)}",
                f"{activity.title} starts on {_when(activity)}"
                + (f" at {activity.place}" if activity.place else "")
                + ". If you can no longer come, please cancel so that someone else can have the place.",
                _me_path(activity),
            )
            sent += 1
    return sent


# Calendar feeds


def _token_for(feed: CalendarFeed) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), feed.salt.encode(), "sha256").hexdigest()


def feed_token(person: Person) -> str:
    """The secret for the person's calendar feed, made the first time it is asked for."""
    feed = CalendarFeed.objects.filter(person=person).first()
    if feed is None:
        return reset_feed(actor=None, person=person)
    token = _token_for(feed)
    digest = CalendarFeed.digest_of(token)
    if feed.digest != digest:
        # The site's secret key has changed since: the address changes with it.
        feed.digest = digest
        feed.save(update_fields=["digest", "updated_at"])
    return token


@transaction.atomic
def reset_feed(*, actor: User | None, person: Person) -> str:
    """A new secret for the feed; the old address stops working at once."""
    salt = secrets.token_hex(32)
    feed, created = CalendarFeed.objects.update_or_create(
        person=person, defaults={"salt": salt, "digest": ""}
    )
    token = _token_for(feed)
    feed.digest = CalendarFeed.digest_of(token)
    feed.save(update_fields=["digest", "updated_at"])
    if actor is not None and not created:
        audit.record(
            actor=actor,
            action="calendar_feed.reset",
            target=feed,
            summary="Made a new calendar feed address; the old one no longer works",
            organisation_id=person.organisation_id,
            person=person,
        )
    return token


def person_for_feed(token: str) -> Person | None:
    feed = (
        CalendarFeed.objects.select_related("person")
        # A feed stops when its owner's sign-in is switched off.
        .filter(digest=CalendarFeed.digest_of(token), person__user__is_active=True)
        .first()
    )
    return feed.person if feed else None
