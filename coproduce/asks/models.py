"""Asks: what people said should change, followed to a decision and a change to the service.

An ask moves through a fixed flow (raised, under consideration, accepted, in progress, changed or
not possible, closed). Each move is an `AskUpdate` row that is only ever added, so the timeline
a contributor reads is the record itself. The ask keeps a copy of its latest status for lists
and filters. Every `Contribution` remembers the last status its person was told of, which is
how Coproduce knows who has heard back.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from coproduce.activities.models import Scope
from coproduce.core.models import TimestampedModel
from coproduce.people.models import Taxonomy


class Service(Taxonomy):
    """An NHS service an ask is about: diagnostics, chemotherapy, a cancer support centre..."""

    class Meta(Taxonomy.Meta):
        pass


class Status(models.TextChoices):
    RAISED = "raised", "Raised"
    UNDER_CONSIDERATION = "under_consideration", "Under consideration"
    ACCEPTED = "accepted", "Accepted"
    IN_PROGRESS = "in_progress", "In progress"
    CHANGED = "changed", "Changed"
    NOT_POSSIBLE = "not_possible", "Not possible"
    CLOSED = "closed", "Closed"


# The moves the flow allows. "Not possible" can be reached from any open status, because the
# answer may come at any point; "changed" only after the work was accepted and under way.
NEXT: dict[str, tuple[str, ...]] = {
    Status.RAISED: (Status.UNDER_CONSIDERATION, Status.NOT_POSSIBLE),
    Status.UNDER_CONSIDERATION: (Status.ACCEPTED, Status.NOT_POSSIBLE),
    Status.ACCEPTED: (Status.IN_PROGRESS, Status.NOT_POSSIBLE),
    Status.IN_PROGRESS: (Status.CHANGED, Status.NOT_POSSIBLE),
    Status.CHANGED: (Status.CLOSED,),
    Status.NOT_POSSIBLE: (Status.CLOSED,),
    Status.CLOSED: (),
}
OPEN = (Status.RAISED, Status.UNDER_CONSIDERATION, Status.ACCEPTED, Status.IN_PROGRESS)
# An ask has an answer once it has moved on from "raised": someone has looked at it.
ANSWERED = tuple(status for status in Status.values if status != Status.RAISED)


class Level(models.TextChoices):
    """Where a change lands: the grass roots of a service, its strategy, or its culture."""

    GRASS_ROOTS = "grass_roots", "Grass-roots"
    STRATEGIC = "strategic", "Strategic"
    CULTURE = "culture", "Culture"


class Domain(models.TextChoices):
    PATIENT_INFORMATION = "patient_information", "Patient information"
    ACCESS = "access", "Access to services"
    CARE_ENVIRONMENT = "care_environment", "Care environment"
    CARE_PROCESS = "care_process", "Care process"
    COMMISSIONING = "commissioning", "Commissioning"
    POLICY = "policy", "Policy"
    RESEARCH = "research", "Research"
    STAFF_ATTITUDES = "staff_attitudes", "Staff attitudes"
    TRAINING = "training", "Training"


LEVEL_OF: dict[str, str] = {
    Domain.PATIENT_INFORMATION: Level.GRASS_ROOTS,
    Domain.ACCESS: Level.GRASS_ROOTS,
    Domain.CARE_ENVIRONMENT: Level.GRASS_ROOTS,
    Domain.CARE_PROCESS: Level.GRASS_ROOTS,
    Domain.COMMISSIONING: Level.STRATEGIC,
    Domain.POLICY: Level.STRATEGIC,
    Domain.RESEARCH: Level.STRATEGIC,
    Domain.STAFF_ATTITUDES: Level.CULTURE,
    Domain.TRAINING: Level.CULTURE,
}


class AskQuerySet(models.QuerySet["Ask"]):
    def published(self) -> "AskQuerySet":
        return self.filter(published_at__isnull=False)

    def with_quote_consent(self) -> "AskQuerySet":
        """Each ask with `may_quote`: whether the person who raised it consents, today, to their
        words being shared. One query for a whole list, where asking each person would be one
        query per ask (`presenters.quotable` reads it)."""
        from coproduce.people.models import ConsentKind, Person

        consenting = Person.objects.with_consent(ConsentKind.SHARE_STORY).filter(
            pk=models.OuterRef("raised_by")
        )
        return self.annotate(may_quote=models.Exists(consenting))

    def unanswered_since(self, moment: object) -> "AskQuerySet":
        """Still "raised" and raised before `moment`: nobody has answered in the time set."""
        return self.filter(status=Status.RAISED, raised_at__lt=moment)


class Ask(TimestampedModel):
    organisation_path = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        "groups.PartnershipGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="asks",
    )
    title = models.CharField(max_length=200)
    what_was_said = models.TextField(
        max_length=5000, help_text="In your own words, what should change and why"
    )
    # Someone's own words, shown only while the person who raised the ask consents to it.
    quote = models.TextField("Their words, to quote", max_length=2000, blank=True)
    raised_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pathway_stage = models.ForeignKey(
        "people.PathwayStage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Stage of the care pathway",
    )
    # Asks raised by members arrive without an owner; the lead gives them one.
    owner = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_asks",
        help_text="The member of staff who must give an answer",
    )
    activities = models.ManyToManyField(
        "activities.Activity", blank=True, related_name="asks", verbose_name="Where it came from"
    )
    documents = models.ManyToManyField("activities.Document", blank=True, related_name="asks")

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RAISED)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    answered_at = models.DateTimeField(null=True, blank=True)
    # The outcome: what contributors and the public are told.
    outcome = models.TextField("What changed, or why it is not possible", blank=True)
    domain = models.CharField(max_length=20, choices=Domain.choices, blank=True)
    scope = models.CharField(max_length=10, choices=Scope.choices, blank=True)
    took_effect_on = models.DateField("Date the change took effect", null=True, blank=True)

    published_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = AskQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status", "raised_at"]),
            models.Index(fields=["organisation", "published_at"]),
            models.Index(fields=["owner", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def level(self) -> str:
        return LEVEL_OF.get(self.domain, "")

    def get_level_display(self) -> str:
        return str(Level(self.level).label) if self.level else ""

    def is_open(self) -> bool:
        return self.status in OPEN


class AskUpdate(models.Model):
    """One move of an ask, or a note on its progress: who, when, and why. Never edited."""

    organisation_path = "ask__organisation"

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField(max_length=5000, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    # A default rather than auto_now_add, so an imported history keeps its own dates.
    moved_at = models.DateTimeField(default=timezone.now)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["moved_at", "id"]
        indexes = [models.Index(fields=["ask", "moved_at"])]

    def __str__(self) -> str:
        return f"{self.ask}: {self.get_status_display()}"


class Contribution(models.Model):
    """A person who raised or added to an ask, and what they have been told about it."""

    organisation_path = "ask__organisation"

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="contributions")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="ask_contributions"
    )
    raised_it = models.BooleanField(default=False)
    added_at = models.DateTimeField(default=timezone.now)
    told_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ask", "person"], name="one_contribution_each")
        ]
        indexes = [models.Index(fields=["person", "ask"])]

    def __str__(self) -> str:
        return f"{self.person} on {self.ask}"

    @property
    def heard_back(self) -> bool:
        return self.told_status in ANSWERED


class Evidence(TimestampedModel):
    """What shows a change happened: a document or photo, a link, or a before and after."""

    class Kind(models.TextChoices):
        FILE = "file", "A document or photo"
        LINK = "link", "A link"
        BEFORE_AFTER = "before_after", "Before and after"

    organisation_path = "ask__organisation"

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="asks/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    url = models.URLField("Web address", blank=True)
    before = models.TextField("Before the change", max_length=3000, blank=True)
    after = models.TextField("After the change", max_length=3000, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title
