"""Meetings and one-off involvement activities: who came, for how long, and what was decided.

`InvolvementDetails` holds what an opportunity and the activity it leads to have in common (type,
level on the ladder of engagement, areas influenced, who initiated and leads it...), so the
activity report can describe both in the same terms.
"""

import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from coproduce.core.models import TimestampedModel
from coproduce.people.models import Taxonomy


class ActivityType(Taxonomy):
    """Reference-group consultation, reviewing patient information, a focus group..."""

    class Meta(Taxonomy.Meta):
        pass


class Ladder(models.TextChoices):
    """The Think Local Act Personal ladder of co-production, lowest rung first."""

    COERCION = "coercion", "Coercion"
    EDUCATING = "educating", "Educating"
    INFORMING = "informing", "Informing"
    CONSULTATION = "consultation", "Consultation"
    ENGAGEMENT = "engagement", "Engagement"
    CO_DESIGN = "co_design", "Co-design"
    CO_PRODUCTION = "co_production", "Co-production"


class Area(models.TextChoices):
    POLICY = "policy", "Policy"
    PLANNING = "planning", "Planning"
    SERVICE_DELIVERY = "service_delivery", "Service delivery"
    RESEARCH = "research", "Research"
    PRACTICE = "practice", "Practice"


class Scope(models.TextChoices):
    LOCAL = "local", "Local"
    REGIONAL = "regional", "Regional"
    NATIONAL = "national", "National"


class Side(models.TextChoices):
    """Who initiated or leads a piece of work."""

    PROFESSIONAL = "professional", "A professional"
    SERVICE_USER = "service_user", "A patient, carer or member of the public"


class Technicality(models.TextChoices):
    EVERYDAY = "everyday", "Everyday: no specialist knowledge needed"
    SOME = "some", "Some specialist subjects, explained as we go"
    TECHNICAL = "technical", "Technical: clinical, financial or research detail"


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "In person or online (hybrid)"


# The columns InvolvementDetails adds, in the order forms ask about them. (support_offered, a
# many-to-many, is saved apart.)
INVOLVEMENT_FIELDS = (
    "title",
    "description",
    "activity_type",
    "ladder_level",
    "areas",
    "scope",
    "initiated_by",
    "led_by",
    "technicality",
    "mode",
    "place",
    "payment_offered",
)


class InvolvementDetails(TimestampedModel):
    organisation_path = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    description = models.TextField("What it is", max_length=5000)
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="+")
    ladder_level = models.CharField(
        "Level on the ladder of engagement",
        max_length=20,
        choices=Ladder.choices,
        default=Ladder.CONSULTATION,
    )
    # A short list of Area values. Stored as JSON (no join table) since it is only ever read
    # whole, shown, and counted in reports.
    areas = models.JSONField("Areas it could influence", default=list, blank=True)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.LOCAL)
    initiated_by = models.CharField(max_length=20, choices=Side.choices, default=Side.PROFESSIONAL)
    led_by = models.CharField(max_length=20, choices=Side.choices, default=Side.PROFESSIONAL)
    technicality = models.CharField(
        "How technical the subject is",
        max_length=10,
        choices=Technicality.choices,
        default=Technicality.EVERYDAY,
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField("Where", max_length=300, blank=True)
    support_offered = models.ManyToManyField("people.SupportNeed", blank=True, related_name="+")
    payment_offered = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True


class ActivityQuerySet(models.QuerySet["Activity"]):
    def upcoming(self) -> "ActivityQuerySet":
        from django.utils import timezone

        return self.filter(starts_at__gte=timezone.now(), status=Activity.Status.PLANNED)


class Activity(InvolvementDetails):
    """A group's meeting or a one-off activity, held on a date."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "Group meeting"
        ACTIVITY = "activity", "One-off activity"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ACTIVITY)
    group = models.ForeignKey(
        "groups.PartnershipGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    # Meetings made together as a recurring series share this key, so they can be listed and
    # changed together.
    series = models.UUIDField(null=True, blank=True, db_index=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField(
        "Places", null=True, blank=True, help_text="Leave blank if there is no limit"
    )
    agenda = models.TextField(max_length=10000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    minutes = models.TextField(max_length=50000, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_it_starts"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "starts_at"]),
            models.Index(fields=["group", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def hours(self) -> Decimal:
        return Decimal((self.ends_at - self.starts_at).total_seconds() / 3600).quantize(
            Decimal("0.01")
        )


class Document(TimestampedModel):
    """An agenda paper or the minutes of an activity, stored outside the web root."""

    class Kind(models.TextChoices):
        PAPER = "paper", "Paper"
        MINUTES = "minutes", "Minutes"

    organisation_path = "activity__organisation"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PAPER)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="activities/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.title


class Registration(TimestampedModel):
    """A person's place at an activity, or on its waiting list, with the support they need."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "Registered"
        WAITING = "waiting", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    organisation_path = "activity__organisation"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REGISTERED)
    support_needed = models.TextField("Support they need to take part", max_length=1000, blank=True)
    # Who made the registration: the person themselves, or staff acting for them.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the reminder before the activity was sent, so each place is reminded once only.
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="one_registration_each"),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.activity}"


class AttendanceQuerySet(models.QuerySet["Attendance"]):
    def taken_part(self) -> "AttendanceQuerySet":
        return self.filter(attended=True)

    def hours(self) -> Decimal:
        """Hours given in these records, to two places whatever the database."""
        from coproduce.core.numbers import hundredths

        return hundredths(self.aggregate(total=models.Sum("hours"))["total"])


class Attendance(TimestampedModel):
    """Whether someone took part in an activity, and the hours they gave."""

    organisation_path = "activity__organisation"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="attendance")
    attended = models.BooleanField(default=True)
    hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(24))],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="one_attendance_each"),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=24), name="attendance_hours_in_a_day"
            ),
        ]
        indexes = [models.Index(fields=["person", "attended"])]

    def __str__(self) -> str:
        return f"{self.person} at {self.activity}"


class Decision(TimestampedModel):
    organisation_path = "activity__organisation"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Action(TimestampedModel):
    """Something to be done after an activity, by a named person, by a date."""

    organisation_path = "activity__organisation"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(max_length=2000)
    owner = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="actions")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class CalendarFeed(TimestampedModel):
    """A member's private calendar feed, reached by a secret in its address.

    The secret itself is not stored: it is an HMAC of `salt` under the site's secret key, so the
    member's page can show the address again while a copy of the database alone cannot rebuild
    it. The feed is found by the SHA-256 digest of the secret. Resetting picks a new salt.
    """

    organisation_path = "person__organisation"

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    salt = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
