"""Every write to payment policy, benefits advice, claims and budgets.

A claim moves through its statuses only by `transition` (or `answer_query`, the person's side of
it), which adds a ClaimEvent and tells the person each time, so a claim's history is complete.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.activities.models import Activity, Attendance
from coproduce.core import audit, uploads
from coproduce.core.errors import ServiceError
from coproduce.core.presenters import format_date
from coproduce.groups.models import PartnershipGroup
from coproduce.notifications.models import Notification
from coproduce.notifications.services import notify
from coproduce.organisations.models import Organisation
from coproduce.payments import pricing
from coproduce.payments.models import (
    BenefitsAdvice,
    Budget,
    Claim,
    ClaimEvent,
    ClaimLine,
    ExpenseRule,
    PaymentRate,
    Receipt,
)
from coproduce.people.models import Person

Status = Claim.Status

# Where a claim may go next from each status. Answering a query puts it back to "submitted".
NEXT: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset({Status.QUERIED, Status.APPROVED, Status.REJECTED}),
    Status.QUERIED: frozenset({Status.SUBMITTED, Status.APPROVED, Status.REJECTED}),
    Status.APPROVED: frozenset({Status.PAID}),
    Status.REJECTED: frozenset(),
    Status.PAID: frozenset(),
}
NOTE_REQUIRED = {
    Status.QUERIED: "Enter the question for the person about their claim",
    Status.REJECTED: "Enter the reason the claim is rejected",
    Status.SUBMITTED: "Enter your answer to the question",
}
MOST_RECEIPTS = 10


def claim_path(claim: Claim) -> str:
    return f"/me/claims/{claim.pk}/"


# Policy: rates and rules take effect on a date, and can be taken back only before that date.


def _check_effective(effective_from: datetime.date) -> None:
    if effective_from.year < 2000:
        raise ServiceError("Enter a date from 2000 onwards", field="effective_from")


@transaction.atomic
def add_rate(
    *,
    actor: User,
    organisation: Organisation,
    unit: str,
    amount: Decimal,
    effective_from: datetime.date,
) -> PaymentRate:
    if unit not in PaymentRate.Unit.values:
        raise ServiceError("Select what the rate is paid per", field="unit")
    if amount < 0:
        raise ServiceError("The rate cannot be less than £0", field="amount")
    if amount > pricing.MOST_FOR_ONE_LINE:
        raise ServiceError(
            f"The rate must be {pricing.money(pricing.MOST_FOR_ONE_LINE)} or less", field="amount"
        )
    _check_effective(effective_from)
    if PaymentRate.objects.filter(
        organisation=organisation, unit=unit, effective_from=effective_from
    ).exists():
        raise ServiceError(
            "There is already a rate for this unit taking effect on that date",
            field="effective_from",
            status=409,
        )
    rate = PaymentRate.objects.create(
        organisation=organisation, unit=unit, amount=amount, effective_from=effective_from
    )
    audit.record(
        actor=actor,
        action="payment_rate.added",
        target=rate,
        summary=f"Set the payment rate to {rate}",
        organisation_id=organisation.pk,
    )
    return rate


@transaction.atomic
def add_rule(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    limit: Decimal | None,
    rate_per_mile: Decimal | None,
    receipt_required: bool,
    effective_from: datetime.date,
) -> ExpenseRule:
    if kind not in ExpenseRule.Kind.values:
        raise ServiceError("Select the kind of expense", field="kind")
    if kind == ExpenseRule.Kind.MILEAGE and rate_per_mile is None:
        raise ServiceError("Enter the rate per mile", field="rate_per_mile")
    if rate_per_mile is not None and not Decimal(0) < rate_per_mile <= Decimal(5):
        raise ServiceError(
            "The rate per mile must be more than £0 and no more than £5", field="rate_per_mile"
        )
    if limit is not None and not Decimal(0) < limit <= pricing.MOST_FOR_ONE_LINE:
        raise ServiceError(
            f"The limit must be more than £0 and no more than "
            f"{pricing.money(pricing.MOST_FOR_ONE_LINE)}",
            field="limit",
        )
    _check_effective(effective_from)
    if ExpenseRule.objects.filter(
        organisation=organisation, kind=kind, effective_from=effective_from
    ).exists():
        raise ServiceError(
            "There is already a rule for this expense taking effect on that date",
            field="effective_from",
            status=409,
        )
    rule = ExpenseRule.objects.create(
        organisation=organisation,
        kind=kind,
        limit=limit,
        rate_per_mile=rate_per_mile if kind == ExpenseRule.Kind.MILEAGE else None,
        receipt_required=receipt_required,
        effective_from=effective_from,
    )
    audit.record(
        actor=actor,
        action="expense_rule.added",
        target=rule,
        summary=f"Added the expense rule {rule}",
        organisation_id=organisation.pk,
    )
    return rule


def _check_not_in_force(effective_from: datetime.date, what: str) -> None:
    if effective_from <= timezone.localdate():
        raise ServiceError(
            f"This {what} took effect on {format_date(effective_from)}, so it cannot be "
            f"removed. Add a new {what} to replace it",
            status=409,
        )


@transaction.atomic
def remove_rate(*, actor: User, rate: PaymentRate) -> None:
    _check_not_in_force(rate.effective_from, "rate")
    audit.record(
        actor=actor,
        action="payment_rate.removed",
        target=rate,
        summary=f"Removed the payment rate {rate} before it took effect",
        organisation_id=rate.organisation_id,
    )
    rate.delete()


@transaction.atomic
def remove_rule(*, actor: User, rule: ExpenseRule) -> None:
    _check_not_in_force(rule.effective_from, "rule")
    audit.record(
        actor=actor,
        action="expense_rule.removed",
        target=rule,
        summary=f"Removed the expense rule {rule} before it took effect",
        organisation_id=rule.organisation_id,
    )
    rule.delete()


# Benefits advice.


def has_benefits_advice(person: Person) -> bool:
    return BenefitsAdvice.objects.filter(person=person).exists()


@transaction.atomic
def confirm_benefits_advice(*, actor: User, person: Person) -> BenefitsAdvice:
    """Record that the person has considered benefits advice; confirming again changes nothing."""
    advice, created = BenefitsAdvice.objects.get_or_create(
        person=person, defaults={"recorded_by": actor}
    )
    if created:
        acting_for = actor.pk != person.user_id
        audit.record(
            actor=actor,
            action="benefits_advice.confirmed",
            target=advice,
            summary=f"Confirmed that {person.full_name} has considered benefits advice",
            organisation_id=person.organisation_id,
            person=person,
            on_behalf_of=person if acting_for else None,
        )
    return advice


# Claims.


def unclaimed(attendance: "QuerySet[Attendance]") -> "QuerySet[Attendance]":
    """Attendance at activities the person has not yet claimed for, newest first."""
    claimed = Claim.objects.filter(person=OuterRef("person"), activity=OuterRef("activity"))
    return (
        attendance.filter(attended=True)
        .exclude(Exists(claimed))
        .select_related("activity", "person")
        .order_by("-activity__starts_at", "pk")
    )


@transaction.atomic
def create_claim(
    *,
    actor: User,
    person: Person,
    activity: Activity,
    unit: str | None,
    expenses: list[pricing.ExpenseClaimed],
    receipts: list[UploadedFile],
    benefits_advice_confirmed: bool = False,
) -> Claim:
    if person.organisation_id != activity.organisation_id:
        raise ServiceError(
            "This activity was not run by the person's organisation", field="activity"
        )
    attendance = Attendance.objects.filter(activity=activity, person=person, attended=True).first()
    if attendance is None:
        raise ServiceError(
            f"{person.full_name} is not recorded as attending this activity, so it cannot be "
            "claimed for",
            field="activity",
        )
    if Claim.objects.filter(person=person, activity=activity).exists():
        raise ServiceError(
            f"{person.full_name} has already claimed for this activity",
            field="activity",
            status=409,
        )
    if len(receipts) > MOST_RECEIPTS:
        raise ServiceError(f"Add no more than {MOST_RECEIPTS} receipts", field="receipts")
    checked = [uploads.check(file, uploads.RECEIPT_TYPES, field="receipts") for file in receipts]
    lines = pricing.price_claim(
        activity, attendance, unit=unit, expenses=expenses, has_receipt=bool(checked)
    )
    if unit:
        if benefits_advice_confirmed:
            confirm_benefits_advice(actor=actor, person=person)
        elif not has_benefits_advice(person):
            raise ServiceError(
                "Confirm that benefits advice has been considered before claiming an "
                "involvement payment, or claim expenses only",
                field="benefits_advice",
            )
    claim = Claim.objects.create(
        person=person,
        activity=activity,
        status=Status.SUBMITTED,
        total=sum((line.amount for line in lines), Decimal(0)),
        submitted_at=timezone.now(),
        submitted_by=actor,
    )
    ClaimLine.objects.bulk_create(
        ClaimLine(
            claim=claim,
            kind=line.kind,
            description=line.description,
            quantity=line.quantity,
            unit_amount=line.unit_amount,
            amount=line.amount,
        )
        for line in lines
    )
    for upload in checked:
        Receipt.objects.create(
            claim=claim,
            file=upload.file,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
        )
    ClaimEvent.objects.create(claim=claim, status=Status.SUBMITTED, actor=actor)
    acting_for = actor.pk != person.user_id
    audit.record(
        actor=actor,
        action="claim.submitted",
        target=claim,
        summary=f"Submitted a claim of {pricing.money(claim.total)} for {activity.title}",
        organisation_id=activity.organisation_id,
        person=person,
        on_behalf_of=person if acting_for else None,
    )
    notify(
        person,
        Notification.Kind.CLAIM,
        f"Your claim for {activity.title} has been submitted",
        f"Your claim of {pricing.money(claim.total)} is waiting to be approved. "
        "We will tell you when that changes.",
        claim_path(claim),
    )
    return claim


MESSAGES = {
    Status.SUBMITTED: (
        "Your answer about your claim for {title} has been sent",
        "It is waiting to be approved.",
    ),
    Status.QUERIED: (
        "We have a question about your claim for {title}",
        "Please answer it so we can pay you: {note}",
    ),
    Status.APPROVED: (
        "Your claim for {title} has been approved",
        "It will be paid in the next payment run.",
    ),
    Status.REJECTED: ("Your claim for {title} has been rejected", "The reason given: {note}"),
    Status.PAID: ("Your claim for {title} has been paid", "The payment has been sent."),
}


@transaction.atomic
def transition(*, actor: User, claim: Claim, to: str, note: str = "") -> Claim:
    """Move a claim to its next status, with an event in its history and a note to the person."""
    claim = Claim.objects.select_for_update().select_related("activity", "person").get(pk=claim.pk)
    note = note.strip()
    if to not in Status.values:
        raise ServiceError("Select what happens to the claim", field="to")
    if to not in NEXT[claim.status]:
        raise ServiceError(
            f"A claim that is {claim.get_status_display().lower()} cannot be "
            f"{'resubmitted' if to == Status.SUBMITTED else Status(to).label.lower()}",
            field="to",
            status=409,
        )
    if to in NOTE_REQUIRED and not note:
        raise ServiceError(NOTE_REQUIRED[Status(to)], field="note")
    # Whoever put a claim in, for themselves or for someone else (including answering a query
    # on the person's behalf), does not also approve it.
    if to == Status.APPROVED and (
        actor.pk in {claim.submitted_by_id, claim.person.user_id}
        or claim.events.filter(status=Status.SUBMITTED, actor=actor).exists()
    ):
        raise ServiceError(
            "You cannot approve a claim you submitted or one that is your own. "
            "Ask another approver",
            field="to",
            status=403,
        )
    now = timezone.now()
    claim.status = to
    fields = ["status", "updated_at"]
    if to == Status.PAID:
        claim.paid_at = now
        fields.append("paid_at")
    claim.save(update_fields=fields)
    ClaimEvent.objects.create(claim=claim, status=to, note=note, actor=actor)
    acting_for = actor.pk != claim.person.user_id
    audit.record(
        actor=actor,
        action=f"claim.{to}",
        target=claim,
        summary=f"Claim for {claim.activity.title} is now {claim.get_status_display().lower()}",
        organisation_id=claim.activity.organisation_id,
        person=claim.person,
        on_behalf_of=claim.person if acting_for and to == Status.SUBMITTED else None,
    )
    subject, body = MESSAGES[Status(to)]
    notify(
        claim.person,
        Notification.Kind.CLAIM,
        subject.format(title=claim.activity.title),
        body.format(note=note),
        claim_path(claim),
    )
    return claim


def answer_query(*, actor: User, claim: Claim, note: str) -> Claim:
    """The person (or staff for them) answers a query, which sends the claim back for approval."""
    if Claim.objects.filter(pk=claim.pk).values_list("status", flat=True).get() != Status.QUERIED:
        raise ServiceError("There is no question to answer on this claim", field="note", status=409)
    return transition(actor=actor, claim=claim, to=Status.SUBMITTED, note=note)


@transaction.atomic
def mark_paid(*, actor: User, claims: Iterable[Claim], note: str) -> int:
    """Mark approved claims as paid (after a finance export), one event for each."""
    count = 0
    for claim in claims:
        transition(actor=actor, claim=claim, to=Status.PAID, note=note)
        count += 1
    return count


# Budgets.


@transaction.atomic
def add_budget(
    *,
    actor: User,
    organisation: Organisation,
    group: PartnershipGroup | None,
    name: str,
    amount: Decimal,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> Budget:
    if group is not None and group.organisation_id != organisation.pk:
        raise ServiceError("Select a group of this organisation", field="group")
    if ends_on < starts_on:
        raise ServiceError("The end date must be on or after the start date", field="ends_on")
    if amount < 0:
        raise ServiceError("The amount cannot be less than £0", field="amount")
    budget = Budget.objects.create(
        organisation=organisation,
        group=group,
        name=name,
        amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    audit.record(
        actor=actor,
        action="budget.added",
        target=budget,
        summary=f"Set a budget of {pricing.money(amount)}: {name}",
        organisation_id=organisation.pk,
    )
    return budget
