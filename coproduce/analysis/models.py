"""Qualitative analysis: projects, their sources, codebooks, coded segments and themes.

A project belongs to an organisation but is read only by its own team: a lead analyst, coders
and viewers (`TeamMember`). Everything below a project reaches its organisation through it.

A source's `text` never changes once it is released to coders, because every coded segment is a
pair of character offsets into it. Documents, transcripts and each row of a survey export are
all sources, so search, coding and exchange treat them alike; survey rows carry the `Dataset`
they came from and their row number.

Files arrive through an `Import`: its sources stay hidden from coders while it runs and while
the analyst reviews what pseudonymisation replaced, so a file is seen whole or not at all.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from coproduce.core.models import TimestampedModel


class TeamRole(models.TextChoices):
    LEAD = "lead", "Lead analyst"
    CODER = "coder", "Coder"
    VIEWER = "viewer", "Viewer"


class Project(TimestampedModel):
    organisation_path = "organisation"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(max_length=4000, blank=True)
    # Coders see only their own coding until the lead opens the comparison.
    blind = models.BooleanField(default=True)
    comparison_opened_at = models.DateTimeField(null=True, blank=True)
    pseudonymise = models.BooleanField(
        default=True, help_text="Replace names and identifiers in new transcripts and feedback"
    )
    # The text as it arrived, before pseudonymisation, is dropped on release unless the lead
    # chooses to keep it; kept originals are shown to the lead only.
    keep_originals = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def coding_is_blind(self) -> bool:
        return self.blind and self.comparison_opened_at is None


class TeamMember(TimestampedModel):
    organisation_path = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="analysis_teams"
    )
    role = models.CharField(max_length=10, choices=TeamRole.choices)

    class Meta:
        ordering = ["project", "role", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_place_in_a_team")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Attribute(TimestampedModel):
    """A typed property of cases and sources: a date, a service, a score, a question..."""

    organisation_path = "project__organisation"

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        NUMBER = "number", "Number"
        DATE = "date", "Date"
        BOOLEAN = "boolean", "Yes or no"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attributes")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    description = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="attribute_names_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Case(TimestampedModel):
    """A person, a site or a group that sources and responses are about."""

    organisation_path = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cases")
    name = models.CharField(max_length=200)
    description = models.TextField(max_length=2000, blank=True)
    # Attribute values keyed by the attribute's id (as text), so renaming one rewrites nothing.
    values = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["project", "name"]

    def __str__(self) -> str:
        return self.name


class Import(TimestampedModel):
    """One file (or pasted text) on its way into a project."""

    organisation_path = "project__organisation"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        FAILED = "failed", "Not imported"
        REVIEW = "review", "Waiting for pseudonymisation review"
        RELEASED = "released", "Released to coders"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(max_length=255, blank=True)
    # Kept until the background import has read it; deleted afterwards.
    upload = models.FileField(upload_to="analysis/imports/", blank=True)
    # What the importer needs besides the file: format, text column, attribute columns...
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    pseudonymised = models.BooleanField(default=False)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name or "Pasted text"


class Dataset(TimestampedModel):
    """A survey or feedback export: each of its rows is a source of kind RESPONSE."""

    organisation_path = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="datasets")
    source_import = models.OneToOneField(
        Import, on_delete=models.CASCADE, related_name="dataset", null=True
    )
    name = models.CharField(max_length=200)
    text_column = models.CharField(max_length=200)
    attributes = models.ManyToManyField(Attribute, blank=True, related_name="+")

    class Meta:
        ordering = ["project", "name"]

    def __str__(self) -> str:
        return self.name


class SourceQuerySet(models.QuerySet["Source"]):
    def visible(self) -> "SourceQuerySet":
        """Sources whose import is complete and reviewed: what coders work on.

        Asked as "not from an unreleased import" (there are few of those) rather than joined to
        each source's import, so the database can still reach sources by project and kind.
        """
        return self.exclude(
            source_import__in=Import.objects.exclude(status=Import.Status.RELEASED).values("pk")
        )

    def documents(self) -> "SourceQuerySet":
        # Named kinds rather than "not a response", so the (project, kind) index is used.
        return self.filter(kind__in=[k for k in Source.Kind.values if k != Source.Kind.RESPONSE])

    def responses(self) -> "SourceQuerySet":
        return self.filter(kind=Source.Kind.RESPONSE)


class Source(TimestampedModel):
    organisation_path = "project__organisation"

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        DOCUMENT = "document", "Document"
        TRANSCRIPT = "transcript", "Transcript"
        MINUTES = "minutes", "Minutes or papers"
        RESPONSE = "response", "Survey or feedback response"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sources")
    source_import = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="sources")
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    row = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=255)
    # Immutable once released: coded segments are offsets into it.
    text = models.TextField()
    # Speaker turns: [{"speaker", "start", "end", "starts_at_ms", "ends_at_ms"}], offsets in text.
    turns = models.JSONField(default=list, blank=True)
    # As it arrived, before pseudonymisation: kept only while under review, or by the lead's
    # choice, and then shown to the lead only.
    original_text = models.TextField(blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="sources"
    )
    values = models.JSONField(default=dict, blank=True)
    # When a response was given (from its dataset's date column): what trends count by month.
    received_on = models.DateField(null=True, blank=True)
    # Minutes and papers sent in from the involvement side.
    activity_document = models.ForeignKey(
        "activities.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["project", "name", "row"]
        indexes = [
            models.Index(fields=["project", "kind"]),
            models.Index(fields=["dataset", "row"]),
            models.Index(fields=["project", "received_on"]),
        ]

    def __str__(self) -> str:
        return self.name


class Replacement(models.Model):
    """One identifier that pseudonymisation replaced, for the analyst to review before release.

    `original` is cleared when the import is released (unless the lead keeps originals).
    Offsets are into the source's original text.
    """

    organisation_path = "source__project__organisation"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="replacements")
    kind = models.CharField(max_length=20)
    original = models.CharField(max_length=500, blank=True)
    placeholder = models.CharField(max_length=50)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    # The analyst said this was not an identifier: the original words stay in the text.
    kept = models.BooleanField(default=False)

    class Meta:
        ordering = ["source", "start"]

    def __str__(self) -> str:
        return self.placeholder


class Placeholder(models.Model):
    """The project's mapping from identifiers to placeholders, so the same person keeps the same
    placeholder in every source. Read only by the pseudonymiser and the lead."""

    organisation_path = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="placeholders")
    kind = models.CharField(max_length=20)
    value = models.CharField(max_length=500)
    placeholder = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "value"], name="one_placeholder_per_value"
            )
        ]

    def __str__(self) -> str:
        return self.placeholder


class CodeQuerySet(models.QuerySet["Code"]):
    def current(self) -> "CodeQuerySet":
        return self.filter(retired=False)


class Code(TimestampedModel):
    organisation_path = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="codes")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(max_length=4000, blank=True)
    inclusion = models.TextField("When to use it", max_length=4000, blank=True)
    exclusion = models.TextField("When not to use it", max_length=4000, blank=True)
    examples = models.TextField(max_length=4000, blank=True)
    colour = models.CharField(max_length=7, default="#005eb8")
    position = models.PositiveIntegerField(default=0)
    # A retired code keeps its coded text; it is only no longer offered for new coding.
    retired = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    # REFI-QDA identity, kept so a round trip through another tool matches codes up.
    guid = models.CharField(max_length=36, blank=True)

    objects = CodeQuerySet.as_manager()

    class Meta:
        ordering = ["project", "position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="code_colour_is_hex"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Layer(models.TextChoices):
    CODER = "coder", "A coder's own coding"
    CONSENSUS = "consensus", "Agreed by the team"


class Origin(models.TextChoices):
    PERSON = "person", "Coded by a person"
    MACHINE = "machine", "Suggested by the model, accepted by a person"


class Segment(models.Model):
    """A code applied to characters `start` to `end` (exclusive) of a source's text.

    A segment from an accepted suggestion has origin MACHINE and its `coder` is the person who
    accepted it: the machine never codes on its own.
    """

    organisation_path = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="segments")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="segments")
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="segments")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    layer = models.CharField(max_length=10, choices=Layer.choices, default=Layer.CODER)
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    coded_at = models.DateTimeField()
    # Coding that arrived from another tool names its coder; kept when no user matches.
    coder_label = models.CharField(max_length=200, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.PERSON)

    class Meta:
        ordering = ["source", "start", "end"]
        indexes = [
            models.Index(fields=["source", "code"]),
            models.Index(fields=["project", "code"]),
            models.Index(fields=["project", "coder"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="segment_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.start}-{self.end}"


class Memo(TimestampedModel):
    """A note on a project, a source, a code or a segment."""

    organisation_path = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memos")
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, null=True, blank=True, related_name="memos"
    )
    code = models.ForeignKey(
        Code, on_delete=models.CASCADE, null=True, blank=True, related_name="memos"
    )
    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, null=True, blank=True, related_name="memos"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=10_000)

    class Meta:
        ordering = ["project", "created_at"]


class Decision(models.Model):
    """One decision taken in the comparison: which coding the team agrees on, and who said so."""

    organisation_path = "project__organisation"

    class Outcome(models.TextChoices):
        AGREED = "agreed", "Agreed: code this text"
        REJECTED = "rejected", "Rejected: do not code this text"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="decisions")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="decisions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    note = models.TextField(max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "start", "decided_at"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.start}-{self.end}"


class Theme(TimestampedModel):
    """A pattern of meaning across codes: a candidate until the team defines and names it."""

    organisation_path = "project__organisation"

    class Status(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        REVIEWED = "reviewed", "Reviewed"
        DEFINED = "defined", "Defined and named"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=200)
    definition = models.TextField(max_length=4000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CANDIDATE)
    codes = models.ManyToManyField(Code, blank=True, related_name="themes")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["project", "position", "name"]

    def __str__(self) -> str:
        return self.name


class AgreementSummary(models.Model):
    """Agreement over a whole project, as last worked out.

    Over millions of coded passages the figures take a minute to work out, far too long for a
    page, so a large project's figures are worked out in the background and kept here with the
    time they were worked out; a small project's are worked out on each visit.
    """

    organisation_path = "project__organisation"

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="agreement")
    requested_at = models.DateTimeField(null=True, blank=True)
    worked_out_at = models.DateTimeField(null=True, blank=True)
    # {"overall": figures, "by_code": [{"code": id, **figures}], "by_source": [...], ...}
    figures = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"Agreement in {self.project}"

    @property
    def working(self) -> bool:
        return self.requested_at is not None and (
            self.worked_out_at is None or self.worked_out_at < self.requested_at
        )


# Machine-assisted coding ----------------------------------------------------------------------
#
# A `Suggester` is trained on the team's coding of a project's responses; a `Batch` has it read
# the rest, in `BatchPart`s that workers claim one at a time, leaving `Suggestion`s (codes) and a
# `Reading` (sentiment, complexity, how sure it was) per response. People accept or reject each
# suggestion; only then does it become a segment. The engine itself is coproduce.analysis.suggest.


class Sentiment(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral or mixed"
    NEGATIVE = "negative", "Negative"


class Suggester(TimestampedModel):
    """A model trained on the team's coding: suggested codes, or sentiment."""

    organisation_path = "project__organisation"

    class Kind(models.TextChoices):
        CODES = "codes", "Suggested codes"
        SENTIMENT = "sentiment", "Sentiment"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to train"
        TRAINING = "training", "Training"
        READY = "ready", "Ready"
        FAILED = "failed", "Not trained"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="suggesters")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CODES)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    trained_at = models.DateTimeField(null=True, blank=True)
    # What it is doing now, for the progress on its page.
    stage = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    # How many coded responses it learnt from, and the codebook as it was: [[code id, name]].
    examples = models.PositiveIntegerField(default=0)
    codebook = models.JSONField(default=list, blank=True)
    # The engine's model (suggest.CodeSuggester.to_bytes): plain arrays, nothing unpickled.
    data = models.BinaryField(blank=True, default=b"", editable=False)
    # Per code: {"code": id, "examples", "needed", "learnt", "precision", "recall", "threshold"}.
    reports = models.JSONField(default=list, blank=True)
    # Uncoded responses to ask the team about first (active learning), most useful first.
    questions = models.JSONField(default=list, blank=True)
    # The lead's target for thresholds: F-beta (beta above 1 leans to recall) or a recall.
    beta = models.FloatField(default=2.0)
    recall = models.FloatField(null=True, blank=True)
    # How many suggestions had been accepted or rejected when it trained: when enough more
    # have been, it trains again.
    decisions = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["project", "-created_at"]
        indexes = [models.Index(fields=["project", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.project}"


class Batch(models.Model):
    """A run of a suggester over a project's responses, split into parts for the workers."""

    organisation_path = "project__organisation"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Stopped"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="batches")
    suggester = models.ForeignKey(Suggester, on_delete=models.CASCADE, related_name="batches")
    sentiment = models.ForeignKey(
        Suggester, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    responses = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "-started_at"]

    def __str__(self) -> str:
        return f"Suggestions for {self.project} from {self.started_at:%d %B %Y %H:%M}"


class BatchPart(models.Model):
    """Responses `first` to `last` (by id) of a batch: claimed by one worker at a time, and
    written in one transaction with its `done` mark, so a worker that dies leaves nothing."""

    organisation_path = "batch__project__organisation"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        RUNNING = "running", "Running"
        DONE = "done", "Done"

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveIntegerField()
    first = models.PositiveBigIntegerField()
    last = models.PositiveBigIntegerField()
    responses = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="batch_part_numbers_unique")
        ]

    def __str__(self) -> str:
        return f"Part {self.number} of {self.batch}"


class Suggestion(models.Model):
    """A code the model suggests for a response, until a person accepts or rejects it."""

    organisation_path = "project__organisation"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    # A batch writes a million of these: no index that another already covers (project: the
    # (project, status) one; source: the (source, code) constraint's).
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="suggestions", db_index=False
    )
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="suggestions", db_index=False
    )
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="suggestions")
    # Neither is looked up by; each index would slow every batch's inserts.
    suggester = models.ForeignKey(
        Suggester, on_delete=models.SET_NULL, null=True, related_name="suggestions", db_index=False
    )
    confidence = models.FloatField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    segment = models.OneToOneField(
        Segment, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestion"
    )

    class Meta:
        # By the response's id, not the response: ordering by a relation takes on its ordering,
        # which joins every suggestion to its response, even in counts that ignore the order.
        ordering = ["source_id", "-confidence"]
        indexes = [
            models.Index(fields=["project", "status"]),
            models.Index(fields=["project", "code", "status"]),
        ]
        constraints = [
            # Once rejected a code is not suggested for that response again; once accepted it
            # is coded. So one suggestion per response and code.
            models.UniqueConstraint(fields=["source", "code"], name="one_suggestion_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} for {self.source} ({self.confidence:.0%})"


class Reading(models.Model):
    """What the latest batch made of one response, besides its codes."""

    organisation_path = "project__organisation"

    # Covered by the (project, certainty) index.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="readings", db_index=False
    )
    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="reading")
    # Which batch wrote it, for the record; never looked up by.
    batch = models.ForeignKey(
        Batch, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices, blank=True)
    sentiment_confidence = models.FloatField(null=True, blank=True)
    # Why a person should read it rather than trust suggestions ("long", "many codes",
    # "mixed sentiment", comma-separated), or blank.
    complex = models.CharField(max_length=100, blank=True)
    # Why the model could not read it ("empty", "not English"), or blank.
    unread = models.CharField(max_length=20, blank=True)
    # How sure the model is of its nearest call, 0 (a coin toss) upwards: reviewed lowest first.
    certainty = models.FloatField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["project", "certainty"]),
            # Few responses go unread (empty, or not in English): an index of only those lets
            # the overview count them without reading every row of a large batch.
            models.Index(
                fields=["project", "unread"],
                condition=~models.Q(unread=""),
                name="analysis_reading_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"Reading of {self.source}"


class SentimentLabel(models.Model):
    """A response's sentiment as a person decided it, or accepted it from the model."""

    organisation_path = "project__organisation"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sentiments")
    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="sentiment")
    value = models.CharField(max_length=10, choices=Sentiment.choices)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.PERSON)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.get_value_display()}: {self.source}"


class Discovery(models.Model):
    """Clusters of uncoded responses that the codebook does not cover yet."""

    organisation_path = "project__organisation"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Looking for themes"
        READY = "ready", "Ready"
        FAILED = "failed", "Stopped"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="discoveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    responses = models.PositiveIntegerField(default=0)
    # [{"label", "words": [...], "typical": [source id...], "members": [source id...],
    #   "code": id of the code made from it, or null}]
    themes = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "-requested_at"]

    def __str__(self) -> str:
        return f"Themes found in {self.project}"
