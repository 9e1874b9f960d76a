"""Impact on the people involved and on the organisation: questionnaires and self-assessment.

Questionnaires are versioned: a published version is never edited, so every answer stays tied
to the exact wording it answered. A question keeps its `key` across versions while its wording
is unchanged, which is how results from different versions are pooled.

Who answered is kept apart from what they answered. An `Invitation` names the person (so a link
is theirs alone and can be used once); a `Response` names only the questionnaire version, and the
activity or group it was about. Results are read in aggregate only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from coproduce.core.models import TimestampedModel


class Principle(models.TextChoices):
    """The four PPEET principles. Coproduce's questions are its own, only mapped to these."""

    INTEGRITY = "integrity", "Integrity of design and process"
    INFLUENCE = "influence", "Influence and impact"
    CULTURE = "culture", "Participatory culture"
    COLLABORATION = "collaboration", "Collaboration and common purpose"


class Theme(models.TextChoices):
    """The three themes of what involvement means for the people who give their time."""

    MOTIVATIONS = "motivations", "Motivations and expectations"
    POSITIVES = "positives", "Positive aspects"
    CHALLENGES = "challenges", "Challenges"


class Audience(models.TextChoices):
    AFTER_ACTIVITY = "after_activity", "People who took part in a one-off activity"
    MEMBERS = "members", "Group members, every few months"
    STAFF = "staff", "Staff who take part"


class Questionnaire(TimestampedModel):
    organisation_path = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    title = models.CharField(max_length=200)
    introduction = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["organisation", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "audience"], name="one_questionnaire_per_audience"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Version(models.Model):
    """One wording of a questionnaire. A draft until published; published, it never changes."""

    organisation_path = "questionnaire__organisation"

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="version_number")
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire}, version {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", "Agree or disagree (5 points)"
        CHOICE = "choice", "Choose one"
        FREE_TEXT = "free_text", "In their own words"

    organisation_path = "version__questionnaire__organisation"

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    # The same key in two versions means the same wording, so their answers are pooled.
    key = models.SlugField(max_length=60)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    choices = models.JSONField(default=list, blank=True)
    principle = models.CharField(max_length=20, choices=Principle.choices, blank=True)
    theme = models.CharField(max_length=20, choices=Theme.choices, blank=True)
    # Agreeing is a bad sign ("I left meetings exhausted"): scores for a principle are reversed.
    negative = models.BooleanField(default=False)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_key_per_version")
        ]

    def __str__(self) -> str:
        return self.text


class Invitation(TimestampedModel):
    """A personal link to answer one version, once."""

    organisation_path = "questionnaire__organisation"

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="invitations"
    )
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="invitations")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="invitations"
    )
    activity = models.ForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        "groups.PartnershipGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token = models.CharField(max_length=43, unique=True)
    sent_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "person", "activity"],
                condition=Q(activity__isnull=False),
                name="one_invitation_per_activity",
            )
        ]
        indexes = [models.Index(fields=["person", "questionnaire", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.questionnaire} for {self.person}"


class Response(models.Model):
    """One set of answers. It names no person: results are only ever read in aggregate."""

    organisation_path = "version__questionnaire__organisation"

    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="responses")
    activity = models.ForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.ForeignKey(
        "groups.PartnershipGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The day only: a time would let someone match a response to who was seen answering.
    submitted_on = models.DateField()

    class Meta:
        ordering = ["-submitted_on", "-id"]
        indexes = [models.Index(fields=["version", "submitted_on"])]

    def __str__(self) -> str:
        return f"A response to {self.version}, {self.submitted_on}"


class Answer(models.Model):
    organisation_path = "response__version__questionnaire__organisation"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(max_length=5000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="likert_score_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id}"


class Standard(models.TextChoices):
    """The six UK Standards for Public Involvement."""

    INCLUSIVE_OPPORTUNITIES = "inclusive_opportunities", "Inclusive opportunities"
    WORKING_TOGETHER = "working_together", "Working together"
    SUPPORT_AND_LEARNING = "support_and_learning", "Support and learning"
    COMMUNICATIONS = "communications", "Communications"
    IMPACT = "impact", "Impact"
    GOVERNANCE = "governance", "Governance"


class Rating(models.IntegerChoices):
    NOT_STARTED = 1, "Not started"
    BEGINNING = 2, "Beginning"
    DEVELOPING = 3, "Developing"
    ESTABLISHED = 4, "Established"


class SelfAssessment(TimestampedModel):
    """A group's (or a whole organisation's) look at itself, repeated to show a trend.

    The four Cube dimensions are each a point from 1 to 5 between two ends, as a group would
    place itself on the Cube's axes.
    """

    organisation_path = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        "groups.PartnershipGroup",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="self_assessments",
    )
    assessed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    voice = models.PositiveSmallIntegerField("Strength of voice")
    ways = models.PositiveSmallIntegerField("Ways to be involved")
    concerns = models.PositiveSmallIntegerField("Whose concerns are addressed")
    willingness = models.PositiveSmallIntegerField("The organisation's willingness to change")
    notes = models.TextField(max_length=5000, blank=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(voice__gte=1, voice__lte=5)
                & Q(ways__gte=1, ways__lte=5)
                & Q(concerns__gte=1, concerns__lte=5)
                & Q(willingness__gte=1, willingness__lte=5),
                name="cube_points_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"Self-assessment of {self.group or self.organisation}, {self.assessed_on}"


class StandardRating(models.Model):
    organisation_path = "assessment__organisation"

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    standard = models.CharField(max_length=30, choices=Standard.choices)
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    evidence = models.TextField(max_length=5000, blank=True)
    actions = models.TextField(max_length=5000, blank=True)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "standard"], name="one_rating_each")
        ]

    def __str__(self) -> str:
        return f"{self.get_standard_display()}: {self.get_rating_display()}"
