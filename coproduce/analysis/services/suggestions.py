"""Suggested codes and sentiment: training on the team's coding, and the team's review.

The model learns from the whole team's coding of a project's survey responses, so it is offered
only once blind coding is over (a coder must not learn from suggestions what the others coded).
It learns from every response someone has coded (the agreed coding where there is one) and from
every response whose suggestions were all rejected, which is how a rejection teaches it.

Nothing the model suggests counts as coding until a person accepts it: the accepted suggestion
becomes a segment with origin MACHINE and the acceptor as its coder, and the suggestion keeps
the confidence and the model it came from. After `SUGGEST_RETRAIN_AFTER` more decisions the
model trains again, on the coding those decisions made.

Codes are named to the engine by their ids (as text), so a rename changes nothing; a code
retired, merged or added while the model trains makes that training fail with a message
saying so, because what it learnt no longer matches the codebook.
"""

import functools
import random
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.analysis import suggest
from coproduce.analysis.models import (
    Code,
    Layer,
    Origin,
    Project,
    Segment,
    Sentiment,
    SentimentLabel,
    Source,
    Suggester,
    Suggestion,
)
from coproduce.analysis.services import coding
from coproduce.analysis.team import Right, may
from coproduce.core import audit
from coproduce.core.errors import ServiceError

# Fewer coded responses than this cannot say anything about the model's quality.
MIN_CODED = 20
# How many uncoded responses the active-learning questions are chosen from, and how many asked.
QUESTION_POOL = 20_000
QUESTIONS = 30

# The engine's names for the points of the sentiment scale, and back.
TO_ENGINE: dict[str, suggest.Sentiment] = {
    Sentiment.POSITIVE: "positive",
    Sentiment.NEUTRAL: "neutral or mixed",
    Sentiment.NEGATIVE: "negative",
}
FROM_ENGINE: dict[str, str] = {point: value for value, point in TO_ENGINE.items()}

BLIND_MESSAGE = (
    "Suggestions learn from the whole team's coding, so they start once blind coding ends. "
    "The lead can open the comparison of coders to end it."
)


def responses(project: Project) -> "QuerySet[Source]":
    """The project's released survey responses: what the model learns from and reads."""
    return Source.objects.visible().responses().filter(project=project)


def uncoded(project: Project) -> "QuerySet[Source]":
    return responses(project).exclude(Exists(Segment.objects.filter(source=OuterRef("pk"))))


def codebook_of(project: Project) -> list[list[Any]]:
    """The codes that can be suggested, as [[id, name]]: the codebook a model is trained on."""
    return [
        [pk, name]
        for pk, name in Code.objects.filter(
            project=project, retired=False, merged_into__isnull=True
        ).values_list("pk", "name")
    ]


def _models() -> "QuerySet[Suggester]":
    # A stored model is megabytes: read only when it is used (`engine`), not with every page.
    return Suggester.objects.defer("data")


def latest(project: Project, kind: str = Suggester.Kind.CODES) -> Suggester | None:
    """The newest trained model of a kind, or None."""
    return (
        _models()
        .filter(project=project, kind=kind, status=Suggester.Status.READY)
        .order_by("-trained_at")
        .first()
    )


def newest(project: Project, kind: str = Suggester.Kind.CODES) -> Suggester | None:
    """The newest model of a kind whatever its state: one still training, or one that failed."""
    return _models().filter(project=project, kind=kind).order_by("-created_at").first()


def decisions(project: Project) -> int:
    return (
        Suggestion.objects.filter(project=project).exclude(status=Suggestion.Status.PENDING).count()
        + SentimentLabel.objects.filter(project=project).count()
    )


# Training --------------------------------------------------------------------------------


@transaction.atomic
def train(*, by: User | None, project: Project, kind: str = Suggester.Kind.CODES) -> Suggester:
    """Queue training; a model of that kind already waiting or training is returned instead."""
    if by is not None and not may(by, project, Right.LEAD):
        raise ServiceError("Only the lead analyst can train the model", status=403)
    if project.coding_is_blind:
        raise ServiceError(BLIND_MESSAGE)
    waiting = Suggester.objects.filter(
        project=project,
        kind=kind,
        status__in=[Suggester.Status.QUEUED, Suggester.Status.TRAINING],
    ).first()
    if waiting is not None:
        return waiting
    previous = latest(project, kind)
    suggester = Suggester.objects.create(
        project=project,
        kind=kind,
        requested_by=by,
        stage="Waiting for a worker",
        codebook=codebook_of(project) if kind == Suggester.Kind.CODES else [],
        beta=previous.beta if previous else 2.0,
        recall=previous.recall if previous else None,
    )
    from coproduce.analysis import tasks

    transaction.on_commit(lambda: tasks.train_suggester.enqueue(suggester.pk))
    return suggester


def training_data(project: Project) -> tuple[list[str], list[set[str]]]:
    """Each coded response's text and the ids of its codes (agreed coding first), plus the
    responses read and given no code: those whose every suggestion was rejected."""
    active = {str(pk) for pk, _ in codebook_of(project)}
    by_source: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    coded = Segment.objects.filter(
        project=project, source__in=responses(project).values("pk")
    ).values_list("source_id", "code_id", "layer")
    for source_id, code_id, layer in coded.iterator(chunk_size=10_000):
        by_source[source_id][layer].add(str(code_id))
    rejected = (
        Suggestion.objects.filter(project=project, status=Suggestion.Status.REJECTED)
        .exclude(source_id__in=list(by_source))
        .values_list("source_id", flat=True)
        .distinct()
    )
    for source_id in rejected:
        by_source[source_id][Layer.CODER]
    texts = dict(
        responses(project).filter(pk__in=list(by_source)).values_list("pk", "text").iterator()
    )
    pks = sorted(pk for pk in by_source if pk in texts)
    codings = []
    for pk in pks:
        layers = by_source[pk]
        codes = layers.get(Layer.CONSENSUS) or set().union(*layers.values())
        codings.append(codes & active)
    return [texts[pk] for pk in pks], codings


def _fail(suggester: Suggester, message: str) -> Suggester:
    suggester.status = Suggester.Status.FAILED
    suggester.error = message
    suggester.stage = ""
    suggester.save(update_fields=["status", "error", "stage", "updated_at"])
    return suggester


def _stage(suggester: Suggester, stage: str) -> None:
    suggester.stage = stage
    Suggester.objects.filter(pk=suggester.pk).update(stage=stage)


def run_training(suggester_id: int) -> Suggester:
    """Train a queued model: the body of the `train_suggester` task."""
    suggester = Suggester.objects.select_related("project").get(pk=suggester_id)
    if suggester.status != Suggester.Status.QUEUED:
        return suggester
    suggester.status = Suggester.Status.TRAINING
    suggester.save(update_fields=["status", "updated_at"])
    try:
        if suggester.kind == Suggester.Kind.SENTIMENT:
            return _train_sentiment(suggester)
        return _train_codes(suggester)
    except Exception as error:
        _fail(suggester, f"Training stopped with an error: {error}")
        raise


def _target(suggester: Suggester) -> suggest.Target:
    if suggester.recall is not None:
        return suggest.Target(recall=suggester.recall)
    return suggest.Target(beta=suggester.beta)


def _codebook_change(before: list[list[Any]], after: list[list[Any]]) -> str:
    names = dict(before) | dict(after)
    gone = sorted(names[pk] for pk in {pk for pk, _ in before} - {pk for pk, _ in after})
    new = sorted(names[pk] for pk in {pk for pk, _ in after} - {pk for pk, _ in before})
    parts = []
    if gone:
        parts.append("retired or merged: " + ", ".join(gone))
    if new:
        parts.append("added: " + ", ".join(new))
    return "; ".join(parts)


def _train_codes(suggester: Suggester) -> Suggester:
    project = suggester.project
    _stage(suggester, "Reading the team's coding")
    texts, codings = training_data(project)
    if len(texts) < MIN_CODED:
        more = MIN_CODED - len(texts)
        return _fail(
            suggester,
            f"Code {more} more {'response' if more == 1 else 'responses'} first: the model "
            f"needs at least {MIN_CODED} coded responses to learn from and to check itself "
            f"against ({len(texts)} so far).",
        )
    codebook = [str(pk) for pk, _ in suggester.codebook]
    _stage(suggester, f"Learning from {len(texts):,} coded responses")
    model = suggest.train_suggester(texts, codings, codebook=codebook, target=_target(suggester))
    change = _codebook_change(suggester.codebook, codebook_of(project))
    if change:
        return _fail(
            suggester,
            f"The codebook changed while the model was training ({change}). Train again so "
            "that the suggestions match the codebook as it is now.",
        )
    if not model.learnt:
        return _fail_with_reports(suggester, model)
    _stage(suggester, "Choosing which responses to ask about first")
    suggester.questions = _questions(project, model, texts, codings)
    suggester.reports = _reports(model)
    return _ready(suggester, model.to_bytes(), len(texts))


def _ready(suggester: Suggester, data: bytes, examples: int) -> Suggester:
    suggester.data = data
    suggester.examples = examples
    suggester.decisions = decisions(suggester.project)
    suggester.status = Suggester.Status.READY
    suggester.trained_at = timezone.now()
    suggester.stage = ""
    suggester.error = ""
    suggester.save()
    return suggester


def _fail_with_reports(suggester: Suggester, model: suggest.CodeSuggester) -> Suggester:
    suggester.reports = _reports(model)
    suggester.save(update_fields=["reports"])
    return _fail(
        suggester,
        "No code can be suggested yet: each code needs at least "
        f"{suggest.MIN_EXAMPLES} coded responses, and its responses must differ in their words "
        "from the rest. The table below says how many more each code needs.",
    )


def _reports(model: suggest.CodeSuggester) -> list[dict[str, Any]]:
    return [
        {
            "code": int(report.code),
            "examples": report.examples,
            "needed": report.needed,
            "learnt": report.learnt,
            "precision": report.precision,
            "recall": report.recall,
            "f1": report.f1,
            "threshold": report.threshold,
            "message": report.message,
        }
        for report in model.reports()
    ]


def _questions(
    project: Project, model: suggest.CodeSuggester, texts: list[str], codings: list[set[str]]
) -> list[dict[str, Any]]:
    """Uncoded responses to ask the team about first, from a seeded sample of them."""
    pool = list(uncoded(project).values_list("pk", flat=True))
    if len(pool) > QUESTION_POOL:
        pool = sorted(random.Random(project.pk).sample(pool, QUESTION_POOL))
    found = dict(Source.objects.filter(pk__in=pool).values_list("pk", "text"))
    pks = [pk for pk in pool if pk in found]
    examples: dict[str, list[str]] = defaultdict(list)
    for text, codes in zip(texts, codings, strict=True):
        for code in codes:
            examples[code].append(text)
    asked = suggest.ask_first(
        model, [found[pk] for pk in pks], n=QUESTIONS, examples=dict(examples)
    )
    return [{"source": pks[q.index], "code": int(q.code), "reason": q.reason} for q in asked]


def _train_sentiment(suggester: Suggester) -> Suggester:
    project = suggester.project
    _stage(suggester, "Reading the team's sentiment labels")
    labelled = list(
        SentimentLabel.objects.filter(project=project).values_list("source__text", "value")
    )
    if len(labelled) < MIN_CODED:
        more = MIN_CODED - len(labelled)
        return _fail(
            suggester,
            f"Give {more} more {'response' if more == 1 else 'responses'} a sentiment first: "
            f"the model needs at least {MIN_CODED} ({len(labelled)} so far).",
        )
    _stage(suggester, f"Learning from {len(labelled):,} labelled responses")
    model = suggest.train_sentiment(
        [text for text, _ in labelled], [TO_ENGINE[value] for _, value in labelled]
    )
    suggester.reports = [
        {
            "code": FROM_ENGINE[report.code],
            "examples": report.examples,
            "needed": report.needed,
            "learnt": report.learnt,
            "precision": report.precision,
            "recall": report.recall,
            "message": report.message,
        }
        for report in model.reports()
    ]
    if not model.ready:
        suggester.save(update_fields=["reports"])
        short = [
            f"{Sentiment(r['code']).label.lower()} ({r['needed']} more)"
            for r in suggester.reports
            if r["needed"]
        ]
        return _fail(
            suggester,
            "Sentiment needs examples of every point of the scale: label more responses as "
            + (", ".join(short) if short else "each point, with clearer examples")
            + ".",
        )
    return _ready(suggester, model.to_bytes(), len(labelled))


@transaction.atomic
def retarget(
    *, by: User, suggester: Suggester, beta: float | None = None, recall: float | None = None
) -> Suggester:
    """Move every code's threshold to a new target, without training again. The suggestions
    already made keep their old threshold until suggestions are run again."""
    if not may(by, suggester.project, Right.LEAD):
        raise ServiceError("Only the lead analyst can move the thresholds", status=403)
    if suggester.status != Suggester.Status.READY or suggester.kind != Suggester.Kind.CODES:
        raise ServiceError("Train the model first")
    if recall is not None and not 0.05 <= recall <= 0.99:
        raise ServiceError("Choose a recall between 5% and 99%", field="recall")
    if beta is not None and not 0.25 <= beta <= 4:
        raise ServiceError("Choose a balance between 0.25 and 4", field="beta")
    suggester.recall = recall
    suggester.beta = beta if beta is not None else suggester.beta
    model = engine(suggester).retarget(_target(suggester))
    suggester.reports = _reports(model)
    suggester.save(update_fields=["recall", "beta", "reports", "updated_at"])
    forget_engines()
    audit.record(
        actor=by,
        action="analysis.suggestion_target_moved",
        target=suggester.project,
        summary=(
            f"Moved the suggestion thresholds to recall {recall:.0%}"
            if recall is not None
            else f"Moved the suggestion thresholds to F-beta {suggester.beta:g}"
        ),
        organisation_id=suggester.project.organisation_id,
    )
    return suggester


@functools.lru_cache(maxsize=4)
def _load(pk: int, kind: str, trained_at: Any, recall: Any, beta: float) -> Any:
    data = bytes(Suggester.objects.values_list("data", flat=True).get(pk=pk))
    if kind == Suggester.Kind.SENTIMENT:
        return suggest.SentimentModel.from_bytes(data)
    model = suggest.CodeSuggester.from_bytes(data)
    target = suggest.Target(recall=recall) if recall is not None else suggest.Target(beta=beta)
    return model.retarget(target) if target != model.target else model


def engine(suggester: Suggester) -> Any:
    """The trained engine, loaded once per worker process (keyed by what changes it)."""
    return _load(
        suggester.pk, suggester.kind, suggester.trained_at, suggester.recall, suggester.beta
    )


def forget_engines() -> None:
    """Drop loaded engines, so that the next use reads the stored model again."""
    _load.cache_clear()


# Review ----------------------------------------------------------------------------------


def _decided(by: User, suggestion: Suggestion) -> None:
    if suggestion.status != Suggestion.Status.PENDING:
        who = audit.label(suggestion.decided_by) if suggestion.decided_by else "someone"
        raise ServiceError(
            f"{who} has already {suggestion.get_status_display().lower()} this suggestion"
        )
    if not may(by, suggestion.project, Right.CODE):
        raise ServiceError("Only coders and the lead can accept or reject suggestions", status=403)


@transaction.atomic
def accept(*, by: User, suggestion: Suggestion) -> Segment:
    """The person accepts a suggested code: it becomes their coding, marked as suggested."""
    suggestion = (
        Suggestion.objects.select_for_update()
        .select_related("source", "code")
        .get(pk=suggestion.pk)
    )
    _decided(by, suggestion)
    source = suggestion.source
    made = coding.apply_codes(
        by=by,
        source=source,
        codes=[suggestion.code],
        start=0,
        end=len(source.text),
        origin=Origin.MACHINE,
    )
    segment = (
        made[0]
        if made
        else Segment.objects.get(
            source=source,
            code=suggestion.code,
            coder=by,
            layer=Layer.CODER,
            start=0,
            end=len(source.text),
        )
    )
    suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    suggestion.segment = segment
    suggestion.save(update_fields=["status", "decided_by", "decided_at", "segment"])
    return segment


@transaction.atomic
def reject(*, by: User, suggestion: Suggestion) -> Suggestion:
    suggestion = (
        Suggestion.objects.select_for_update().select_related("project").get(pk=suggestion.pk)
    )
    _decided(by, suggestion)
    suggestion.status = Suggestion.Status.REJECTED
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    return suggestion


@transaction.atomic
def review(*, by: User, source: Source, accepted: set[int], sentiment: str = "") -> int:
    """Decide every pending suggestion of one response at once: the codes in `accepted` are
    accepted, the rest rejected; and, if given, its sentiment. Returns how many were decided."""
    if not may(by, source.project, Right.CODE):
        raise ServiceError("Only coders and the lead can accept or reject suggestions", status=403)
    pending = list(
        Suggestion.objects.filter(source=source, status=Suggestion.Status.PENDING).select_related(
            "project"
        )
    )
    for suggestion in pending:
        if suggestion.code_id in accepted:
            accept(by=by, suggestion=suggestion)
        else:
            reject(by=by, suggestion=suggestion)
    if sentiment:
        label_sentiment(by=by, source=source, value=sentiment)
    return len(pending)


@transaction.atomic
def label_sentiment(*, by: User, source: Source, value: str) -> SentimentLabel:
    """A person sets a response's sentiment; choosing what the model said accepts it."""
    if not may(by, source.project, Right.CODE):
        raise ServiceError("Only coders and the lead can set sentiment", status=403)
    if value not in Sentiment.values:
        raise ServiceError("Choose positive, neutral or mixed, or negative", field="sentiment")
    reading = getattr(source, "reading", None)
    origin = Origin.MACHINE if reading is not None and reading.sentiment == value else Origin.PERSON
    label, _ = SentimentLabel.objects.update_or_create(
        source=source,
        defaults={
            "project_id": source.project_id,
            "value": value,
            "origin": origin,
            "decided_by": by,
            "decided_at": timezone.now(),
        },
    )
    return label


def retrain_if_due(project: Project) -> list[Suggester]:
    """Train again once enough suggestions have been decided since the model last trained."""
    queued = []
    done = decisions(project)
    for kind in Suggester.Kind.values:
        current = latest(project, kind)
        if current is None or done - current.decisions < settings.SUGGEST_RETRAIN_AFTER:
            continue
        if Suggester.objects.filter(
            project=project,
            kind=kind,
            status__in=[Suggester.Status.QUEUED, Suggester.Status.TRAINING],
        ).exists():
            continue
        queued.append(train(by=None, project=project, kind=kind))
    return queued


def pending(project: Project) -> "QuerySet[Source]":
    """Responses with suggestions waiting for review, the least certain first."""
    waiting = Suggestion.objects.filter(source=OuterRef("pk"), status=Suggestion.Status.PENDING)
    return (
        Source.objects.filter(project=project, kind=Source.Kind.RESPONSE)
        .filter(Exists(waiting))
        .select_related("reading")
        # Responses without a reading (suggested from a theme, with no model's certainty) go
        # last on every database: SQLite would otherwise put them first and PostgreSQL last.
        .order_by(F("reading__certainty").asc(nulls_last=True), "pk")
    )


def suggestion_counts(project: Project) -> dict[str, int]:
    counts = dict.fromkeys(Suggestion.Status.values, 0)
    for status, n in (
        Suggestion.objects.filter(project=project)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    ):
        counts[status] = n
    return counts
