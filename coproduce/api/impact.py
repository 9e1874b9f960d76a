"""Impact in the JSON API: questionnaires and their results, self-assessment, the dashboard, and
a member's own questionnaires.

The same services and access rules as the pages: VIEW_IMPACT to read, MANAGE_IMPACT to change a
questionnaire, send it or record a self-assessment, and a member reaches only the invitations
sent to them. Results are aggregate only: no free text, and no counts for fewer people than the
small-number threshold.
"""

import datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StringConstraints

from coproduce.api.auth import actor
from coproduce.api.pagination import Pages
from coproduce.api.schemas import Error
from coproduce.asks.models import Ask, Level
from coproduce.asks.services import answer_within
from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.errors import ServiceError
from coproduce.groups.models import PartnershipGroup
from coproduce.impact import dashboard, results, services
from coproduce.impact.defaults import CUBE, LIKERT
from coproduce.impact.models import (
    Audience,
    Invitation,
    Question,
    Questionnaire,
    Response,
    SelfAssessment,
    Version,
)
from coproduce.organisations.models import Organisation
from coproduce.people.models import Person

router = Router(tags=["impact"])
me_router = Router(tags=["impact"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error, 422: Error}
VIEW, MANAGE = Permission.VIEW_IMPACT, Permission.MANAGE_IMPACT

# Spelled out so the OpenAPI document lists them; a test checks they match the models' choices.
QuestionKind = Literal["likert", "choice", "free_text"]
PrincipleName = Literal["integrity", "influence", "culture", "collaboration"]
ThemeName = Literal["motivations", "positives", "challenges"]
StandardName = Literal[
    "inclusive_opportunities",
    "working_together",
    "support_and_learning",
    "communications",
    "impact",
    "governance",
]

QuestionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)
]
ChoiceText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


# Questionnaires, their versions and questions


class QuestionOut(Schema):
    id: int
    position: int
    key: str = Field(..., description="The same key in two versions means the same wording")
    kind: str
    text: str
    hint: str
    choices: list[str]
    principle: str
    theme: str
    negative: bool = Field(..., description="Agreeing is a bad sign; reversed for principles")
    required: bool


class VersionOut(Schema):
    id: int
    number: int
    published_at: datetime.datetime | None
    draft: bool

    @staticmethod
    def resolve_draft(version: Version) -> bool:
        return version.is_draft


class VersionDetailOut(VersionOut):
    questionnaire_id: int
    questions: list[QuestionOut]

    @staticmethod
    def resolve_questions(version: Version) -> list[Question]:
        return list(version.questions.all())


class QuestionnaireOut(Schema):
    id: int
    organisation_id: int
    audience: str
    title: str
    introduction: str
    current_version: int | None = Field(
        ..., description="The number of the version sent now, the latest published"
    )

    @staticmethod
    def resolve_current_version(questionnaire: Questionnaire) -> int | None:
        return getattr(questionnaire, "current_number", None)


class QuestionnaireDetailOut(QuestionnaireOut):
    versions: list[VersionOut]
    questions: list[QuestionOut] = Field(..., description="The questions of the current version")

    @staticmethod
    def resolve_versions(questionnaire: Questionnaire) -> list[Version]:
        return list(questionnaire.versions.order_by("-number"))

    @staticmethod
    def resolve_questions(questionnaire: Questionnaire) -> list[Question]:
        current = services.current_version(questionnaire)
        return list(current.questions.all()) if current else []


class QuestionIn(Schema):
    text: QuestionText
    kind: QuestionKind
    hint: str = Field("", max_length=300)
    choices: list[ChoiceText] = Field(
        default_factory=list, max_length=50, description="For choice questions, two or more"
    )
    principle: PrincipleName | None = None
    theme: ThemeName | None = None
    negative: bool = False
    required: bool = True


class QuestionPatch(Schema):
    text: QuestionText | None = None
    kind: QuestionKind | None = None
    hint: str | None = Field(None, max_length=300)
    choices: list[ChoiceText] | None = Field(None, max_length=50)
    principle: PrincipleName | None = None
    theme: ThemeName | None = None
    negative: bool | None = None
    required: bool | None = None


class SentOut(Schema):
    sent: int


# Results: aggregate only


class CellOut(Schema):
    label: str
    count: int | None = Field(..., description="Not given for fewer than the threshold")


class QuestionResultOut(Schema):
    key: str
    text: str
    kind: str
    principle: str
    theme: str
    negative: bool
    answered: int | None = Field(..., description="Not given for fewer than the threshold")
    cells: list[CellOut] = Field(..., description="Counts of each answer; none for free text")
    agree_percent: int | None


class ScoreOut(Schema):
    label: str
    percent: int | None
    answers: int | None = Field(..., description="Not given for fewer than the threshold")


class ResultsOut(Schema):
    questionnaire_id: int
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    group_id: int | None
    threshold: int
    suppressed: bool = Field(..., description="Fewer responses than the threshold: nothing shown")
    respondents: int | None = Field(..., description="Only when not suppressed")
    respondents_text: str
    questions: list[QuestionResultOut]
    principles: list[ScoreOut]
    themes: list[ScoreOut]


def _few(count: int, threshold: int) -> int | None:
    return None if 0 < count < threshold else count


def _scores(scores: list[results.Score], threshold: int) -> list[dict[str, Any]]:
    return [
        {"label": score.label, "percent": score.percent, "answers": _few(score.answers, threshold)}
        for score in scores
    ]


def _question_result(found: results.QuestionResult, threshold: int) -> dict[str, Any]:
    summary = found.summary
    return {
        "key": found.key,
        "text": found.text,
        "kind": found.kind,
        "principle": found.principle,
        "theme": found.theme,
        "negative": found.negative,
        "answered": summary.answered if summary else _few(found.text_count, threshold),
        "cells": [{"label": cell.label, "count": cell.count} for cell in summary.cells]
        if summary
        else [],
        "agree_percent": found.agree_percent,
    }


def _results(found: results.Results) -> dict[str, Any]:
    """The figures of a set of responses, with nothing at all for too few."""
    if found.suppressed:
        return {
            "threshold": found.threshold,
            "suppressed": True,
            "respondents": None,
            "respondents_text": found.respondents_text,
            "questions": [],
            "principles": [],
            "themes": [],
        }
    return {
        "threshold": found.threshold,
        "suppressed": False,
        "respondents": found.respondents,
        "respondents_text": found.respondents_text,
        "questions": [_question_result(result, found.threshold) for result in found.questions],
        "principles": _scores(found.principles, found.threshold),
        "themes": _scores(found.themes, found.threshold),
    }


# Questionnaire endpoints

_QUESTIONNAIRES = Questionnaire.objects.select_related("organisation").annotate(
    current_number=Max("versions__number", filter=Q(versions__published_at__isnull=False))
)


def _require(request: HttpRequest, permission: Permission) -> None:
    """The caller must hold `permission` somewhere, as the pages' `access.requires` checks."""
    if not access.has_permission(request.user, permission):
        raise PermissionDenied


def _questionnaire(request: HttpRequest, pk: int, permission: Permission = VIEW) -> Questionnaire:
    return access.get(request.user, _QUESTIONNAIRES, permission, pk=pk)


def _version(questionnaire: Questionnaire, pk: int) -> Version:
    version = questionnaire.versions.filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


def _question(version: Version, pk: int) -> Question:
    question = version.questions.filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


@router.get("/questionnaires", response={200: list[QuestionnaireOut], **ERRORS})
@paginate(Pages)
def list_questionnaires(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Every questionnaire of the caller's organisations (each starts with the default three)."""
    _require(request, VIEW)
    for organisation in access.scoped(request.user, Organisation.objects.all(), VIEW):
        services.ensure_defaults(organisation)
    return access.scoped(request.user, _QUESTIONNAIRES, VIEW).order_by(
        "organisation__name", "audience", "pk"
    )


@router.get("/questionnaires/{questionnaire_id}", response={200: QuestionnaireDetailOut, **ERRORS})
def get_questionnaire(request: HttpRequest, questionnaire_id: int) -> Questionnaire:
    return _questionnaire(request, questionnaire_id)


@router.get("/questionnaires/{questionnaire_id}/results", response={200: ResultsOut, **ERRORS})
def questionnaire_results(
    request: HttpRequest,
    questionnaire_id: int,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    group: int | None = None,
) -> dict[str, Any]:
    """The answers in aggregate, pooled across versions; nothing for fewer than the threshold."""
    questionnaire = _questionnaire(request, questionnaire_id)
    if starts_on and ends_on and starts_on > ends_on:
        raise ServiceError("The end of the period must be after its start", field="ends_on")
    responses = access.scoped(request.user, Response.objects.all(), VIEW).filter(
        version__questionnaire=questionnaire
    )
    responses = results.responses_between(responses, starts_on, ends_on)
    if group is not None:
        groups = access.scoped(request.user, PartnershipGroup.objects.all(), VIEW)
        if not groups.filter(pk=group, organisation_id=questionnaire.organisation_id).exists():
            raise ServiceError("No such group", field="group")
        responses = responses.filter(group_id=group)
    return {
        "questionnaire_id": questionnaire.pk,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "group_id": group,
        **_results(results.build(responses, with_texts=False)),
    }


@router.post("/questionnaires/{questionnaire_id}/draft", response={200: VersionDetailOut, **ERRORS})
def draft(request: HttpRequest, questionnaire_id: int) -> Version:
    """The draft to edit: a copy of the version sent now, or the draft already begun."""
    questionnaire = _questionnaire(request, questionnaire_id, MANAGE)
    return services.draft_of(questionnaire)


@router.post("/questionnaires/{questionnaire_id}/send", response={200: SentOut, **ERRORS})
def send(request: HttpRequest, questionnaire_id: int) -> dict[str, int]:
    """Send the organisation's questionnaires now to everyone due, as the daily run would."""
    questionnaire = _questionnaire(request, questionnaire_id, MANAGE)
    return {"sent": services.send_due_for(questionnaire.organisation)}


@router.get(
    "/questionnaires/{questionnaire_id}/versions/{version_id}",
    response={200: VersionDetailOut, **ERRORS},
)
def get_version(request: HttpRequest, questionnaire_id: int, version_id: int) -> Version:
    return _version(_questionnaire(request, questionnaire_id), version_id)


@router.post(
    "/questionnaires/{questionnaire_id}/versions/{version_id}/questions",
    response={201: QuestionOut, **ERRORS},
)
def add_question(
    request: HttpRequest, questionnaire_id: int, version_id: int, body: QuestionIn
) -> Status[Question]:
    version = _version(_questionnaire(request, questionnaire_id, MANAGE), version_id)
    question = services.add_question(actor=actor(request), version=version, details=body.dict())
    return Status(201, question)


@router.patch(
    "/questionnaires/{questionnaire_id}/versions/{version_id}/questions/{question_id}",
    response={200: QuestionOut, **ERRORS},
)
def change_question(
    request: HttpRequest,
    questionnaire_id: int,
    version_id: int,
    question_id: int,
    body: QuestionPatch,
) -> Question:
    """Change what is sent; anything left out stays as it is."""
    version = _version(_questionnaire(request, questionnaire_id, MANAGE), version_id)
    question = _question(version, question_id)
    details = {
        name: getattr(question, name)
        for name in ("text", "kind", "hint", "choices", "principle", "theme", "negative")
    }
    details["required"] = question.required
    # Null leaves a field as it is, except a principle or theme, where it means "none".
    details.update(
        (name, value)
        for name, value in body.dict(exclude_unset=True).items()
        if value is not None or name in {"principle", "theme"}
    )
    return services.change_question(actor=actor(request), question=question, details=details)


@router.delete(
    "/questionnaires/{questionnaire_id}/versions/{version_id}/questions/{question_id}",
    response={204: None, **ERRORS},
)
def remove_question(
    request: HttpRequest, questionnaire_id: int, version_id: int, question_id: int
) -> Status[None]:
    version = _version(_questionnaire(request, questionnaire_id, MANAGE), version_id)
    services.remove_question(actor=actor(request), question=_question(version, question_id))
    return Status(204, None)


@router.post(
    "/questionnaires/{questionnaire_id}/versions/{version_id}/publish",
    response={200: VersionDetailOut, **ERRORS},
)
def publish(request: HttpRequest, questionnaire_id: int, version_id: int) -> Version:
    """Make the draft the version sent from now on. A published version never changes."""
    version = _version(_questionnaire(request, questionnaire_id, MANAGE), version_id)
    return services.publish(actor=actor(request), version=version)


# Self-assessment


class CubeIn(Schema):
    voice: int = Field(..., description="Strength of voice, 1 (weak) to 5 (strong)")
    ways: int = Field(..., description="Ways to be involved, 1 (few) to 5 (many)")
    concerns: int = Field(..., description="Whose concerns, 1 (the organisation's) to 5")
    willingness: int = Field(..., description="Willingness to change, 1 to 5")


class RatingIn(Schema):
    rating: int = Field(..., description="1 not started, 2 beginning, 3 developing, 4 established")
    evidence: str = Field("", max_length=5000)
    actions: str = Field("", max_length=5000)


class SelfAssessmentIn(Schema):
    organisation_id: int
    group_id: int | None = Field(None, description="None for the whole organisation")
    assessed_on: datetime.date
    cube: CubeIn
    ratings: dict[StandardName, RatingIn] = Field(..., description="All six standards")
    notes: str = Field("", max_length=5000)


class RatingOut(Schema):
    rating: int
    evidence: str
    actions: str


class SelfAssessmentOut(Schema):
    id: int
    organisation_id: int
    group_id: int | None
    assessed_on: datetime.date
    cube: dict[str, int]
    ratings: dict[str, RatingOut]
    notes: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_cube(assessment: SelfAssessment) -> dict[str, int]:
        return {name: getattr(assessment, name) for name, *_ in CUBE}

    @staticmethod
    def resolve_ratings(assessment: SelfAssessment) -> dict[str, Any]:
        return {rating.standard: rating for rating in assessment.ratings.all()}


_ASSESSMENTS = SelfAssessment.objects.prefetch_related("ratings")


@router.get("/self-assessments", response={200: list[SelfAssessmentOut], **ERRORS})
@paginate(Pages)
def list_assessments(request: HttpRequest):  # type: ignore[no-untyped-def]
    _require(request, VIEW)
    return access.scoped(request.user, _ASSESSMENTS, VIEW).order_by("-assessed_on", "-pk")


@router.post("/self-assessments", response={201: SelfAssessmentOut, **ERRORS})
def record_assessment(request: HttpRequest, body: SelfAssessmentIn) -> Status[SelfAssessment]:
    organisation = access.get(
        request.user, Organisation.objects.all(), MANAGE, pk=body.organisation_id
    )
    group = None
    if body.group_id is not None:
        group = access.get(request.user, PartnershipGroup.objects.all(), MANAGE, pk=body.group_id)
        if group.organisation_id != organisation.pk:
            raise ServiceError("Select a group of the same organisation", field="group_id")
    assessment = services.record_assessment(
        actor=actor(request),
        organisation=organisation,
        group=group,
        assessed_on=body.assessed_on,
        cube=body.cube.dict(),
        ratings={standard: rating.dict() for standard, rating in body.ratings.items()},
        notes=body.notes.strip(),
    )
    return Status(201, _ASSESSMENTS.get(pk=assessment.pk))


@router.get("/self-assessments/{assessment_id}", response={200: SelfAssessmentOut, **ERRORS})
def get_assessment(request: HttpRequest, assessment_id: int) -> SelfAssessment:
    return access.get(request.user, _ASSESSMENTS, VIEW, pk=assessment_id)


# The dashboard


class RowOut(Schema):
    label: str
    count: int


class PeriodOut(Schema):
    label: str
    counts: dict[str, int] = Field(..., description="Changes by level")
    total: int


class SpeedOut(Schema):
    label: str
    changes: int
    median_days: int | None
    p90_days: int | None


class HearingBackOut(Schema):
    contributors_text: str
    contributors: int | None = Field(..., description="Not given for fewer than the threshold")
    contributions: int | None
    heard_back: int | None
    heard_back_percent: int | None
    heard_back_text: str


class AudienceImpactOut(Schema):
    audience: str
    label: str
    suppressed: bool
    respondents: int | None
    respondents_text: str
    principles: list[ScoreOut]
    themes: list[ScoreOut]


class TrendPointOut(Schema):
    assessed_on: datetime.date
    whose: str
    ratings: dict[str, int]
    cube: dict[str, int]
    average: float


class DashboardOut(Schema):
    organisation_id: int | None
    starts_on: datetime.date = Field(..., description="Widened to whole months")
    ends_on: datetime.date
    threshold: int
    answer_within_days: int
    raised: int
    answered: int
    answered_percent: int | None
    not_possible: int
    waiting_too_long: int
    changes: int
    by_level: list[RowOut]
    by_domain: list[RowOut]
    over_time: list[PeriodOut]
    speed: list[SpeedOut]
    hearing_back: HearingBackOut | None
    impact: list[AudienceImpactOut]
    assessments: list[TrendPointOut]


def _hearing_back(loop: Any) -> dict[str, Any] | None:
    if loop is None:
        return None
    few = loop.few_people
    return {
        "contributors_text": loop.contributors_text,
        "contributors": None if few else loop.contributors,
        "contributions": None if few else loop.contributions,
        "heard_back": None if few else loop.heard_back,
        "heard_back_percent": loop.heard_back_percent,
        "heard_back_text": loop.heard_back_text,
    }


@router.get("/dashboard", response={200: DashboardOut, **ERRORS})
def impact_dashboard(
    request: HttpRequest,
    organisation: int | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> dict[str, Any]:
    """What changed, how fast, whether people heard back, what taking part meant to them, and
    how groups rate themselves: the page's figures, for whole months of the period."""
    user = request.user
    _require(request, VIEW)
    chosen = (
        access.get(user, Organisation.objects.all(), VIEW, pk=organisation)
        if organisation is not None
        else None
    )
    today = timezone.localdate()
    ends_on = ends_on or today
    starts_on = starts_on or today - datetime.timedelta(days=364)
    if starts_on > ends_on:
        raise ServiceError("The end of the period must be after its start", field="ends_on")
    asks: QuerySet[Ask] = access.scoped(user, Ask.objects.all(), VIEW)
    responses: QuerySet[Response] = access.scoped(user, Response.objects.all(), VIEW)
    assessments: QuerySet[SelfAssessment] = access.scoped(user, SelfAssessment.objects.all(), VIEW)
    if chosen is not None:
        asks = asks.filter(organisation=chosen)
        responses = responses.filter(version__questionnaire__organisation=chosen)
        assessments = assessments.filter(organisation=chosen)
    board = dashboard.build(asks, responses, assessments, starts_on=starts_on, ends_on=ends_on)
    audiences = {label: value for value, label in Audience.choices}
    levels = Level.values
    return {
        "organisation_id": chosen.pk if chosen else None,
        "starts_on": board.starts_on,
        "ends_on": board.ends_on,
        "threshold": settings.SMALL_NUMBER_THRESHOLD,
        "answer_within_days": answer_within().days,
        "raised": board.raised,
        "answered": board.answered,
        "answered_percent": board.answered_percent,
        "not_possible": board.not_possible,
        "waiting_too_long": board.waiting_too_long,
        "changes": board.changes,
        "by_level": [{"label": row.label, "count": row.count} for row in board.by_level],
        "by_domain": [{"label": row.label, "count": row.count} for row in board.by_domain],
        "over_time": [
            {
                "label": period.label,
                "counts": {level: period.counts.get(level, 0) for level in levels},
                "total": period.total,
            }
            for period in board.over_time
        ],
        "speed": [
            {
                "label": speed.label,
                "changes": speed.changes,
                "median_days": speed.median_days,
                "p90_days": speed.p90_days,
            }
            for speed in board.speed
        ],
        "hearing_back": _hearing_back(board.loop),
        "impact": [
            {"audience": audiences[label], "label": label, **_results(found)}
            for label, found in board.impact
        ],
        "assessments": [
            {
                "assessed_on": point.assessed_on,
                "whose": point.whose,
                "ratings": point.ratings,
                "cube": point.cube,
                "average": round(point.average, 2),
            }
            for point in board.assessments
        ],
    }


# A member's own questionnaires, under /api/v1/me/questionnaires


class InvitationOut(Schema):
    token: str = Field(..., description="The member's own link; answer it once")
    questionnaire_id: int
    questionnaire_title: str
    activity_id: int | None
    activity_title: str | None
    sent_at: datetime.datetime

    @staticmethod
    def resolve_questionnaire_title(invitation: Invitation) -> str:
        return invitation.questionnaire.title

    @staticmethod
    def resolve_activity_title(invitation: Invitation) -> str | None:
        return invitation.activity.title if invitation.activity else None


class AskedQuestionOut(Schema):
    id: int
    field: str = Field(..., description='The key to answer it with: "q<question id>"')
    kind: str
    text: str
    hint: str
    choices: list[str]
    required: bool

    @staticmethod
    def resolve_field(question: Question) -> str:
        return f"q{question.pk}"


class ScalePointOut(Schema):
    value: int
    label: str


class InvitationDetailOut(InvitationOut):
    introduction: str
    scale: list[ScalePointOut] = Field(..., description="The answers to an agree/disagree question")
    questions: list[AskedQuestionOut]

    @staticmethod
    def resolve_introduction(invitation: Invitation) -> str:
        return invitation.questionnaire.introduction

    @staticmethod
    def resolve_scale(invitation: Invitation) -> list[dict[str, Any]]:
        return [{"value": value, "label": label} for value, label in LIKERT]

    @staticmethod
    def resolve_questions(invitation: Invitation) -> list[Question]:
        return list(invitation.version.questions.all())


# Lengths are checked by the service, so that a refusal names the question.
AnswerValue = int | str | None


class AnswersIn(Schema):
    answers: dict[str, AnswerValue] = Field(
        ..., max_length=200, description='Keyed "q<question id>": 1 to 5, a choice, or text'
    )


class AnsweredOut(Schema):
    answered: int = Field(..., description="How many questions were answered")


def _my_person(request: HttpRequest) -> Person:
    person = getattr(actor(request), "person", None)
    if person is None:
        raise ServiceError("This sign-in has no person record", status=403)
    return person


def _invitation(token: str) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("questionnaire", "version", "activity"), token=token
    )


@me_router.get("", response={200: list[InvitationOut], **ERRORS})
def my_questionnaires(request: HttpRequest) -> list[Invitation]:
    """The questionnaires waiting for the signed-in member, newest first."""
    return list(services.open_invitations(_my_person(request)))


@me_router.get("/{token}", response={200: InvitationDetailOut, **ERRORS})
def my_questionnaire(request: HttpRequest, token: str) -> Invitation:
    person = _my_person(request)
    invitation = _invitation(token)
    services.check_can_answer(invitation, person)
    return invitation


@me_router.post("/{token}", response={201: AnsweredOut, **ERRORS})
def answer(request: HttpRequest, token: str, body: AnswersIn) -> Status[dict[str, int]]:
    """Answer once. Answers are kept apart from who gave them."""
    person = _my_person(request)
    invitation = _invitation(token)
    given = services.answer(invitation=invitation, person=person, answers=body.answers)
    return Status(201, {"answered": given})
