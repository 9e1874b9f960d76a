"""Suggested codes and sentiment in the JSON API: the model, batches and the review loop.

The same services and rules as the pages: anyone on the team reads the model and its
cross-validated figures; the lead analyst trains it, moves its thresholds and runs batches;
coders and the lead accept or reject. Nothing is offered while coding is blind.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from coproduce.analysis.models import Batch, Code, Source, Suggester, Suggestion
from coproduce.analysis.services import batches, suggestions
from coproduce.analysis.team import Right
from coproduce.api.analysis import ERRORS, _fields, _project
from coproduce.api.auth import actor
from coproduce.api.pagination import Pages
from coproduce.core.errors import ServiceError

router = Router(tags=["analysis: suggestions"])

Kind = Literal["codes", "sentiment"]
SentimentValue = Literal["positive", "neutral", "negative"]


class CodeReportOut(Schema):
    code: int | str
    examples: int
    needed: int
    learnt: bool
    precision: float | None = None
    recall: float | None = None
    message: str


class QuestionOut(Schema):
    source: int
    code: int
    reason: str


class SuggesterOut(Schema):
    id: int
    kind: Kind
    status: str
    stage: str
    error: str
    trained_at: datetime | None
    examples: int
    beta: float
    recall: float | None
    codes: list[CodeReportOut]
    questions: list[QuestionOut]


class TrainIn(Schema):
    kind: Kind = "codes"


class TargetIn(Schema):
    """Either a recall each code's threshold must reach, or an F-beta to maximise."""

    recall: float | None = None
    beta: float | None = None


class BatchOut(Schema):
    id: int
    status: str
    started_at: datetime
    finished_at: datetime | None
    responses: int
    responses_done: int
    parts: int
    parts_done: int
    stalled: int


class SuggestionOut(Schema):
    id: int
    source: int = Field(alias="source_id")
    code: int = Field(alias="code_id")
    code_name: str = Field(alias="code.name")
    confidence: float = Field(
        description="The model's probability that the code fits; for a suggestion from a theme "
        "(suggester null), how like the theme's centre the response is, from 0 to 1."
    )
    status: str
    decided_by: int | None = Field(alias="decided_by_id")
    decided_at: datetime | None
    segment: int | None = Field(alias="segment_id")
    suggester: int | None = Field(alias="suggester_id")


class ReviewIn(Schema):
    accept: list[int] = []
    sentiment: SentimentValue | None = None


class ReviewOut(Schema):
    decided: int
    accepted: int


class SentimentIn(Schema):
    value: SentimentValue


class SentimentOut(Schema):
    source: int
    value: SentimentValue
    origin: str
    decided_by: int | None
    decided_at: datetime


def _suggester(suggester: Suggester) -> dict[str, Any]:
    return {
        "id": suggester.pk,
        "kind": suggester.kind,
        "status": suggester.status,
        "stage": suggester.stage,
        "error": suggester.error,
        "trained_at": suggester.trained_at,
        "examples": suggester.examples,
        "beta": suggester.beta,
        "recall": suggester.recall,
        "codes": suggester.reports,
        "questions": suggester.questions,
    }


def _batch(batch: Batch) -> dict[str, Any]:
    progress = batches.progress(batch)
    return {
        "id": batch.pk,
        "status": batch.status,
        "started_at": batch.started_at,
        "finished_at": batch.finished_at,
        "responses": progress.responses,
        "responses_done": progress.responses_done,
        "parts": progress.parts,
        "parts_done": progress.parts_done,
        "stalled": progress.stalled,
    }


@router.get("/projects/{project_id}/suggesters/{kind}", response={200: SuggesterOut, **ERRORS})
def get_suggester(request: HttpRequest, project_id: int, kind: Kind) -> dict[str, Any]:
    """The newest model of a kind, whether training, trained or failed (with why)."""
    project = _project(request, project_id)
    if project.coding_is_blind:
        raise ServiceError(suggestions.BLIND_MESSAGE, status=409)
    found = suggestions.newest(project, kind)
    if found is not None and found.status != Suggester.Status.READY:
        # A model still training, or one that failed, says so; the last trained one is used.
        return _suggester(found)
    found = suggestions.latest(project, kind)
    if found is None:
        raise ServiceError("No model of this kind has been trained for this project", status=404)
    return _suggester(found)


@router.post("/projects/{project_id}/suggesters", response={202: SuggesterOut, **ERRORS})
def train(request: HttpRequest, project_id: int, body: TrainIn) -> Status[dict[str, Any]]:
    """Train a model on the team's coding (or sentiment labels), in the background."""
    project = _project(request, project_id, Right.LEAD)
    suggester = suggestions.train(by=actor(request), project=project, kind=body.kind)
    return Status(202, _suggester(suggester))


@router.put(
    "/projects/{project_id}/suggesters/codes/target", response={200: SuggesterOut, **ERRORS}
)
def move_target(request: HttpRequest, project_id: int, body: TargetIn) -> dict[str, Any]:
    """Move every code's threshold to a recall, or to an F-beta, without training again."""
    project = _project(request, project_id, Right.LEAD)
    model = suggestions.latest(project)
    if model is None:
        raise ServiceError("Train the model before moving its thresholds", status=409)
    if body.recall is None and body.beta is None:
        raise ServiceError("Give a recall or a beta", field="recall")
    with _fields(recall="recall", beta="beta"):
        moved = suggestions.retarget(
            by=actor(request), suggester=model, beta=body.beta, recall=body.recall
        )
    return _suggester(moved)


@router.post("/projects/{project_id}/suggestion-batches", response={202: BatchOut, **ERRORS})
def start_batch(request: HttpRequest, project_id: int) -> Status[dict[str, Any]]:
    """Suggest codes (and sentiment) for every uncoded response, shared among the workers."""
    project = _project(request, project_id, Right.LEAD)
    return Status(202, _batch(batches.start(by=actor(request), project=project)))


@router.get(
    "/projects/{project_id}/suggestion-batches/{batch_id}", response={200: BatchOut, **ERRORS}
)
def get_batch(request: HttpRequest, project_id: int, batch_id: int) -> dict[str, Any]:
    """How far a batch has got, and how many of its parts have stalled."""
    project = _project(request, project_id)
    return _batch(get_object_or_404(Batch, project=project, pk=batch_id))


@router.post(
    "/projects/{project_id}/suggestion-batches/{batch_id}/resume",
    response={200: BatchOut, **ERRORS},
)
def resume_batch(request: HttpRequest, project_id: int, batch_id: int) -> dict[str, Any]:
    """Hand out again every part not done; parts done are kept, nothing is suggested twice."""
    project = _project(request, project_id, Right.LEAD)
    batch = get_object_or_404(Batch, project=project, pk=batch_id)
    batches.resume(by=actor(request), batch=batch)
    return _batch(batch)


@router.get("/projects/{project_id}/suggestions", response={200: list[SuggestionOut], **ERRORS})
@paginate(Pages)
def list_suggestions(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    project_id: int,
    status: Literal["pending", "accepted", "rejected"] = "pending",
    code: int | None = None,
    received_from: date | None = None,
):
    """Suggestions by status (waiting for review by default), most confident first."""
    project = _project(request, project_id, Right.CODE)
    if project.coding_is_blind:
        raise ServiceError(suggestions.BLIND_MESSAGE, status=409)
    found = Suggestion.objects.filter(project=project, status=status)
    if code is not None:
        found = found.filter(code=get_object_or_404(Code, project=project, pk=code))
    if received_from is not None:
        found = found.filter(source__received_on__gte=received_from)
    return found.order_by("-confidence", "pk").select_related("code")


@router.post(
    "/projects/{project_id}/responses/{source_id}/review", response={200: ReviewOut, **ERRORS}
)
def review(request: HttpRequest, project_id: int, source_id: int, body: ReviewIn) -> dict[str, int]:
    """Accept the listed codes' suggestions for a response, reject its other suggestions, and
    set its sentiment if given. Accepted codes become coding marked as suggested."""
    project = _project(request, project_id, Right.CODE)
    source = get_object_or_404(Source.objects.responses(), project=project, pk=source_id)
    with _fields(sentiment="sentiment"):
        decided = suggestions.review(
            by=actor(request),
            source=source,
            accepted=set(body.accept),
            sentiment=body.sentiment or "",
        )
    suggestions.retrain_if_due(project)
    accepted = Suggestion.objects.filter(
        source=source, status=Suggestion.Status.ACCEPTED, code_id__in=body.accept
    ).count()
    return {"decided": decided, "accepted": accepted}


@router.put(
    "/projects/{project_id}/responses/{source_id}/sentiment",
    response={200: SentimentOut, **ERRORS},
)
def set_sentiment(
    request: HttpRequest, project_id: int, source_id: int, body: SentimentIn
) -> dict[str, Any]:
    """Set a response's sentiment; giving the one the model suggested accepts it."""
    project = _project(request, project_id, Right.CODE)
    source = get_object_or_404(Source.objects.responses(), project=project, pk=source_id)
    label = suggestions.label_sentiment(by=actor(request), source=source, value=body.value)
    return {
        "source": source.pk,
        "value": label.value,
        "origin": label.origin,
        "decided_by": label.decided_by_id,
        "decided_at": label.decided_at,
    }
