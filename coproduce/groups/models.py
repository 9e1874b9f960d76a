"""Partnership groups of patients, carers and staff, and who belongs to them."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from coproduce.core.models import TimestampedModel


class PartnershipGroupQuerySet(models.QuerySet["PartnershipGroup"]):
    def active(self) -> "PartnershipGroupQuerySet":
        today = timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))

    def search(self, text: str) -> "PartnershipGroupQuerySet":
        return self.filter(Q(name__icontains=text) | Q(purpose__icontains=text))


class PartnershipGroup(TimestampedModel):
    class Cadence(models.TextChoices):
        MONTHLY = "monthly", "Every month"
        EVERY_TWO_MONTHS = "every_two_months", "Every two months"
        QUARTERLY = "quarterly", "Every three months"
        TWICE_A_YEAR = "twice_a_year", "Twice a year"
        AS_NEEDED = "as_needed", "When needed"

    class MembershipType(models.TextChoices):
        OPEN = "open", "Open: anyone who meets the criteria can join"
        RESTRICTED = "restricted", "Restricted: members are invited or selected"

    organisation_path = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField(max_length=150)
    purpose = models.TextField(max_length=2000)
    decisions = models.TextField("What the group decides and how", max_length=2000, blank=True)
    who_takes_part = models.TextField(max_length=1000, blank=True)
    cadence = models.CharField(
        "How often it meets",
        max_length=20,
        choices=Cadence.choices,
        default=Cadence.EVERY_TWO_MONTHS,
    )
    membership_type = models.CharField(
        "Who can join",
        max_length=20,
        choices=MembershipType.choices,
        default=MembershipType.RESTRICTED,
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    objects = PartnershipGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_group_name"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="group_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def current_membership(prefix: str = "") -> Q:
    """Memberships in force today. The end date is the day they left, so it is not included."""
    today = timezone.localdate()
    return Q(**{f"{prefix}started_on__lte": today}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": today})
    )


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> "MembershipQuerySet":
        return self.filter(current_membership())

    def ongoing(self) -> "MembershipQuerySet":
        """Current memberships and those due to start: everyone who has not left."""
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=timezone.localdate()))

    def past(self) -> "MembershipQuerySet":
        return self.filter(ended_on__lte=timezone.localdate())


class Membership(TimestampedModel):
    """A person's place in a group, with their role and the dates they held it."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        CO_CHAIR = "co_chair", "Co-chair"
        MEMBER = "member", "Member"
        FACILITATOR = "facilitator", "Facilitator"

    organisation_path = "group__organisation"

    group = models.ForeignKey(
        PartnershipGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(ended_on__isnull=True),
                name="one_open_membership_per_group",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="membership_ends_after_it_starts",
            ),
        ]
        indexes = [
            # Covers "who is a member today" for a set of groups, so counting needs no row reads.
            models.Index(fields=["group", "ended_on", "started_on"]),
            models.Index(fields=["person", "ended_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.person}, {self.get_role_display()} of {self.group}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.started_on <= today and (self.ended_on is None or self.ended_on > today)
