"""People who take part in involvement, what they are interested in, and their consent.

Consent is kept as dated records that are only ever added to; a person's current consent of each
kind is the most recent record of that kind. `Person.objects.with_consent(kind)` is the one
place the rest of Coproduce asks "may we?", so a withdrawal takes effect everywhere at once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat, Lower

from coproduce.core.models import TimestampedModel


class Taxonomy(models.Model):
    """A list an organisation can extend: cancer types, pathway stages, topics, support."""

    name = models.CharField(max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class CancerType(Taxonomy):
    class Meta(Taxonomy.Meta):
        pass


class PathwayStage(Taxonomy):
    """A stage of the cancer care pathway, from symptoms and referral to end of life."""

    class Meta(Taxonomy.Meta):
        pass


class Topic(Taxonomy):
    class Meta(Taxonomy.Meta):
        pass


class SupportNeed(Taxonomy):
    """Support a person needs to take part (transport booked ahead, an interpreter...)."""

    class Meta(Taxonomy.Meta):
        pass


class Availability(models.TextChoices):
    """When a person is free to take part, matched against when involvement happens."""

    WEEKDAY_DAYTIME = "weekday_daytime", "Weekday daytimes"
    WEEKDAY_EVENING = "weekday_evening", "Weekday evenings"
    WEEKEND = "weekend", "Weekends"


class ConsentKind(models.TextChoices):
    CONTACT = "contact", "To be contacted about involvement"
    HEALTH_INFORMATION = "health_information", "To hold information about their health"
    SHARE_STORY = "share_story", "To share their story or quote their words"
    PHOTOGRAPH = "photograph", "To be photographed or filmed"


class PersonQuerySet(models.QuerySet["Person"]):
    def with_consent(self, kind: str) -> "PersonQuerySet":
        """People whose latest consent record of this kind gives consent."""
        latest = (
            ConsentRecord.objects.filter(person=OuterRef("pk"), kind=kind)
            .order_by("-recorded_at", "-id")
            .values("given")[:1]
        )
        return self.annotate(**{f"_consent_{kind}": Subquery(latest)}).filter(
            **{f"_consent_{kind}": True}
        )

    def contactable(self) -> "PersonQuerySet":
        return self.with_consent(ConsentKind.CONTACT)

    def search(self, text: str) -> "PersonQuerySet":
        """People whose name or email contains every word (up to five), in any case."""
        query = Q()
        for word in text.lower().split()[:5]:
            query &= Q(search_text__contains=word)
        return self.filter(query)

    def in_group(self, group_id: int) -> "PersonQuerySet":
        from coproduce.groups.models import Membership

        return self.filter(
            Exists(Membership.objects.current().filter(person=OuterRef("pk"), group_id=group_id))
        )


class Person(TimestampedModel):
    class Kind(models.TextChoices):
        PATIENT = "patient", "Patient"
        CARER = "carer", "Carer"
        PUBLIC = "public", "Member of the public"
        STAFF = "staff", "Staff"

    class ContactMethod(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone call"
        TEXT = "text", "Text message"
        POST = "post", "Letter"

    organisation_path = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="people"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    preferred_contact = models.CharField(
        max_length=10, choices=ContactMethod.choices, default=ContactMethod.EMAIL
    )
    accessibility_needs = models.TextField(max_length=1000, blank=True)
    support_needs = models.ManyToManyField(SupportNeed, blank=True, related_name="people")
    cancer_types = models.ManyToManyField(CancerType, blank=True, related_name="people")
    pathway_stages = models.ManyToManyField(PathwayStage, blank=True, related_name="people")
    topics = models.ManyToManyField(Topic, blank=True, related_name="people")
    skills_and_experience = models.TextField(max_length=2000, blank=True)
    # Availability values; empty means they have not said (matching then neither favours nor
    # penalises them).
    availability = models.JSONField("When they are free", default=list, blank=True)
    # Name and email in lower case, kept by the database: a search looks for a word in this one
    # column (scanning a narrow index) instead of in three columns of every row.
    search_text = models.GeneratedField(
        expression=Lower(
            Concat(
                "given_name",
                Value(" "),
                "family_name",
                Value(" "),
                "email",
                output_field=models.CharField(),
            )
        ),
        output_field=models.CharField(max_length=460),
        db_persist=True,
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=~Q(email=""),
                name="one_person_per_email_per_organisation",
                violation_error_code="duplicate_email",
                violation_error_message=(
                    "Someone with this email address is already recorded. Search for them "
                    "instead of adding them again."
                ),
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "family_name", "given_name"]),
            models.Index(fields=["organisation", "kind"]),
            models.Index(fields=["organisation", "search_text"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def current_consent(self) -> dict[str, "ConsentRecord | None"]:
        """The latest record of each kind of consent (None where none was ever recorded)."""
        latest: dict[str, ConsentRecord | None] = dict.fromkeys(ConsentKind.values)
        for record in self.consent_records.order_by("recorded_at", "id"):
            latest[record.kind] = record
        return latest

    def has_consent(self, kind: str) -> bool:
        record = self.current_consent()[kind]
        return bool(record and record.given)


class ConsentRecord(models.Model):
    """Consent given or withdrawn on a date, and who recorded it. Never edited or deleted."""

    organisation_path = "person__organisation"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consent_records")
    kind = models.CharField(max_length=30, choices=ConsentKind.choices)
    given = models.BooleanField()
    effective_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["person", "kind", "-recorded_at"])]

    def __str__(self) -> str:
        state = "given" if self.given else "withdrawn"
        return f"{self.get_kind_display()}: {state} on {self.effective_on}"
