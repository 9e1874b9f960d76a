"""Paying people for their time and covering their costs, as each organisation's policy says.

Rates and expense rules are data with the date they take effect, so a claim is always priced at
the rate in force on the day of the activity, however late it is submitted. A claim's history is
a list of dated events that is only ever added to.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from coproduce.core.models import TimestampedModel


class PaymentRate(TimestampedModel):
    """What an organisation pays for involvement, per unit of time, from a date."""

    class Unit(models.TextChoices):
        HOUR = "hour", "Per hour"
        HALF_DAY = "half_day", "Per half day (up to 4 hours)"
        DAY = "day", "Per day"
        MEETING = "meeting", "Per meeting"

    organisation_path = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="payment_rates"
    )
    unit = models.CharField(max_length=10, choices=Unit.choices)
    amount = models.DecimalField(
        max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    effective_from = models.DateField()

    class Meta:
        ordering = ["unit", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "unit", "effective_from"], name="one_rate_per_unit_per_day"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} {self.get_unit_display().lower()} from {self.effective_from}"


class ExpenseRule(TimestampedModel):
    """What an organisation will reimburse for one kind of expense, from a date."""

    class Kind(models.TextChoices):
        TRAVEL = "travel", "Travel (fares, parking, taxis)"
        MILEAGE = "mileage", "Mileage in their own vehicle"
        CARER_COVER = "carer_cover", "Carer or childcare cover"
        SUBSISTENCE = "subsistence", "Food and drink"

    organisation_path = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="expense_rules"
    )
    kind = models.CharField(max_length=15, choices=Kind.choices)
    rate_per_mile = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    limit = models.DecimalField(
        "Most that can be claimed for one activity",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
    )
    receipt_required = models.BooleanField(default=True)
    effective_from = models.DateField()

    class Meta:
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "effective_from"], name="one_rule_per_kind_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.effective_from}"


class BenefitsAdvice(models.Model):
    """That a person confirmed they had considered benefits advice before their first payment."""

    organisation_path = "person__organisation"

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="benefits_advice"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.person} confirmed {self.confirmed_at:%d %B %Y}"


class Claim(TimestampedModel):
    """A claim for payment and expenses for one activity a person attended."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        QUERIED = "queried", "Queried"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        PAID = "paid", "Paid"

    organisation_path = "activity__organisation"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="claims")
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.PROTECT, related_name="claims"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    total = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal(0))
    submitted_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    # The person themselves, or staff acting for someone who is not online.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "activity"], name="one_claim_per_activity"),
            models.CheckConstraint(condition=Q(total__gte=0), name="claim_total_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.activity}"


class ClaimLine(models.Model):
    """One priced item of a claim: the involvement payment, or one expense."""

    # The involvement payment, or one of the expense kinds.
    PAYMENT = "payment"
    KINDS = [(PAYMENT, "Involvement payment"), *ExpenseRule.Kind.choices]

    organisation_path = "claim__activity__organisation"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=15, choices=KINDS)
    description = models.CharField(max_length=300, blank=True)
    quantity = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal(1))
    unit_amount = models.DecimalField(max_digits=9, decimal_places=2)
    amount = models.DecimalField(max_digits=9, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="claim_line_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: £{self.amount}"


class Receipt(TimestampedModel):
    """A receipt attached to a claim, stored outside the web root and served only by a view."""

    organisation_path = "claim__activity__organisation"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="receipts")
    file = models.FileField(upload_to="receipts/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.original_name


class ClaimEvent(models.Model):
    """A change in a claim's status: when, by whom and why. Never edited or deleted."""

    organisation_path = "claim__activity__organisation"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=Claim.Status.choices)
    note = models.TextField(max_length=2000, blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} at {self.occurred_at}"


class Budget(TimestampedModel):
    """Money set aside for involvement by an organisation, or for one group, over a period."""

    organisation_path = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="budgets"
    )
    group = models.ForeignKey(
        "groups.PartnershipGroup",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="budgets",
    )
    name = models.CharField(max_length=150)
    amount = models.DecimalField(
        max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="budget_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return self.name
