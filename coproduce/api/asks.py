"""Asks in the JSON API: raising, answering, evidence, hearing back and the public record.

The same services and access rules as the pages: staff see their organisations' asks, only the
owner or the lead answers one, names of contributors are for those who manage asks, members
reach only what they contributed to, and the public record shows only what was published.
"""

import datetime
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import StringConstraints

from coproduce.activities.models import Activity
from coproduce.api.auth import actor
from coproduce.api.pagination import Pages
from coproduce.api.schemas import Error
from coproduce.asks import measures, presenters, services
from coproduce.asks.models import Ask, AskUpdate, Contribution, Evidence, Service
from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.errors import ServiceError
from coproduce.groups.models import PartnershipGroup
from coproduce.organisations.models import Organisation
from coproduce.people.models import PathwayStage, Person

router = Router(tags=["asks"])
me_router = Router(tags=["asks"])
public_router = Router(tags=["asks"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error, 422: Error}

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Said = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
# Spelled out so the OpenAPI document lists them; a test checks they match the models' choices.
AskStatus = Literal[
    "raised", "under_consideration", "accepted", "in_progress", "changed", "not_possible", "closed"
]
ImpactDomain = Literal[
    "patient_information",
    "access",
    "care_environment",
    "care_process",
    "commissioning",
    "policy",
    "research",
    "staff_attitudes",
    "training",
]
Reach = Literal["local", "regional", "national"]


class UpdateOut(Schema):
    status: str
    note: str
    progress: int
    moved_at: datetime.datetime


class EvidenceOut(Schema):
    id: int
    kind: str
    title: str
    url: str
    before: str
    after: str
    has_file: bool

    @staticmethod
    def resolve_has_file(evidence: Evidence) -> bool:
        return bool(evidence.file)


class PublicAskOut(Schema):
    id: int
    title: str
    what_was_said: str
    quote: str = Field(..., description="Only while the person who said it consents")
    service: str | None
    status: str
    outcome: str
    domain: str
    level: str
    scope: str
    took_effect_on: datetime.date | None
    published_at: datetime.datetime | None

    @staticmethod
    def resolve_quote(ask: Ask) -> str:
        return presenters.quotable(ask)

    @staticmethod
    def resolve_service(ask: Ask) -> str | None:
        return str(ask.service) if ask.service else None


class AskOut(PublicAskOut):
    organisation_id: int
    group_id: int | None
    pathway_stage: str | None
    owner_id: int | None
    raised_at: datetime.datetime
    progress: int
    answered_at: datetime.datetime | None
    activity_ids: list[int]
    document_ids: list[int]
    updates: list[UpdateOut]
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_pathway_stage(ask: Ask) -> str | None:
        return str(ask.pathway_stage) if ask.pathway_stage else None

    @staticmethod
    def resolve_activity_ids(ask: Ask) -> list[int]:
        return [activity.pk for activity in ask.activities.all()]

    @staticmethod
    def resolve_document_ids(ask: Ask) -> list[int]:
        return [document.pk for document in ask.documents.all()]

    @staticmethod
    def resolve_updates(ask: Ask) -> list[AskUpdate]:
        return list(ask.updates.all())

    @staticmethod
    def resolve_evidence(ask: Ask) -> list[Evidence]:
        return list(ask.evidence.all())


class AskIn(Schema):
    organisation_id: int
    title: Title
    what_was_said: Said
    quote: str = Field("", max_length=2000)
    group_id: int | None = None
    service_id: int | None = None
    pathway_stage_id: int | None = None
    owner_id: int | None = None
    raised_by_id: int | None = None
    contributor_ids: list[int] = Field(default_factory=list, max_length=500)
    activity_ids: list[int] = Field(default_factory=list, max_length=50)


class MemberAskIn(Schema):
    title: Title
    what_was_said: Said
    quote: str = Field("", max_length=2000)
    service_id: int | None = None
    pathway_stage_id: int | None = None
    activity_id: int | None = None


class MoveIn(Schema):
    status: AskStatus
    note: str = Field("", max_length=5000)
    progress: int | None = Field(None, ge=0, le=100)
    outcome: str = Field("", max_length=5000, description="What changed (for changed)")
    domain: ImpactDomain | None = None
    scope: Reach | None = None
    took_effect_on: datetime.date | None = None
    reason: str = Field("", max_length=5000, description="Why not (for not_possible)")


class EvidenceIn(Schema):
    kind: Literal["link", "before_after"]
    title: Title
    url: str = Field("", max_length=200)
    before: str = Field("", max_length=3000)
    after: str = Field("", max_length=3000)


class ContributorIn(Schema):
    person_id: int


class ContributorOut(Schema):
    person_id: int
    person_name: str = Field(..., alias="person.full_name")
    raised_it: bool
    told_status: str
    told_at: datetime.datetime | None


class PublishIn(Schema):
    published: bool


class LoopOut(Schema):
    organisation_id: int
    asks: int
    answered: int
    waiting_too_long: int
    contributions: int | None = Field(None, description="Not given for fewer than the threshold")
    heard_back: int | None
    heard_back_percent: int | None


_WITH_RELATED = Ask.objects.select_related(
    "service", "pathway_stage", "owner", "raised_by"
).prefetch_related("activities", "documents", "updates", "evidence")


def _ask(request: HttpRequest, ask_id: int, permission: Permission) -> Ask:
    return access.get(request.user, _WITH_RELATED, permission, pk=ask_id)


def _one(rows: "QuerySet[Any]", pk: int | None, field: str) -> Any:
    """The row `pk` names among `rows` (already narrowed to what may be chosen), or a 422."""
    if pk is None:
        return None
    found = rows.filter(pk=pk).first()
    if found is None:
        raise ServiceError(f"No such {field.removesuffix('_id').replace('_', ' ')}", field=field)
    return found


@router.get("", response=list[AskOut])
@paginate(Pages)
def list_asks(request: HttpRequest, status: AskStatus | None = None):  # type: ignore[no-untyped-def]
    asks: QuerySet[Ask] = access.scoped(
        request.user,
        _WITH_RELATED,
        Permission.VIEW_ASKS,
    )
    if status:
        asks = asks.filter(status=status)
    return asks.order_by("-raised_at", "-pk")


@router.get("/hearing-back", response=list[LoopOut])
def hearing_back(request: HttpRequest) -> list[dict[str, Any]]:
    """Per organisation: asks answered, asks waiting too long, contributors who heard back."""
    loops = measures.loops(access.scoped(request.user, Ask.objects.all(), Permission.VIEW_ASKS))
    return [
        {
            "organisation_id": organisation_id,
            "asks": loop.asks,
            "answered": loop.answered,
            "waiting_too_long": loop.waiting_too_long,
            "contributions": None if loop.few_people else loop.contributions,
            "heard_back": None if loop.few_people else loop.heard_back,
            "heard_back_percent": loop.heard_back_percent,
        }
        for organisation_id, loop in sorted(loops.items())
    ]


@router.post("", response={201: AskOut, **ERRORS})
def raise_ask(request: HttpRequest, body: AskIn) -> Status[Any]:
    organisation = access.get(
        request.user, Organisation.objects.all(), Permission.RAISE_ASKS, pk=body.organisation_id
    )
    in_organisation = {"organisation_id": organisation.pk}
    people = access.scoped(
        request.user, Person.objects.filter(**in_organisation), Permission.VIEW_PEOPLE
    )
    contributors = list(people.filter(pk__in=body.contributor_ids))
    if len(contributors) != len(set(body.contributor_ids)):
        raise ServiceError("No such person in this organisation", field="contributor_ids")
    activities = list(Activity.objects.filter(pk__in=body.activity_ids, **in_organisation))
    if len(activities) != len(set(body.activity_ids)):
        raise ServiceError("No such activity in this organisation", field="activity_ids")
    ask = services.raise_ask(
        actor=actor(request),
        organisation=organisation,
        details={
            "title": body.title,
            "what_was_said": body.what_was_said,
            "quote": body.quote,
            "group": _one(
                PartnershipGroup.objects.filter(**in_organisation), body.group_id, "group_id"
            ),
            "service": _one(Service.objects.all(), body.service_id, "service_id"),
            "pathway_stage": _one(
                PathwayStage.objects.all(), body.pathway_stage_id, "pathway_stage_id"
            ),
            "owner": _one(Person.objects.filter(**in_organisation), body.owner_id, "owner_id"),
        },
        raised_by=_one(people, body.raised_by_id, "raised_by_id"),
        contributors=contributors,
        activities=activities,
    )
    return Status(201, ask)


@router.get("/{ask_id}", response={200: AskOut, **ERRORS})
def get_ask(request: HttpRequest, ask_id: int) -> Ask:
    return _ask(request, ask_id, Permission.VIEW_ASKS)


@router.post("/{ask_id}/moves", response={200: AskOut, **ERRORS})
def move_ask(request: HttpRequest, ask_id: int, body: MoveIn) -> Ask:
    ask = _ask(request, ask_id, Permission.ANSWER_ASKS)
    return services.move(
        actor=actor(request),
        ask=ask,
        status=body.status,
        note=body.note,
        progress=body.progress,
        outcome=body.dict(include={"outcome", "domain", "scope", "took_effect_on", "reason"}),
    )


@router.post("/{ask_id}/evidence", response={201: EvidenceOut, **ERRORS})
def add_evidence(request: HttpRequest, ask_id: int, body: EvidenceIn) -> Status[Any]:
    ask = _ask(request, ask_id, Permission.ANSWER_ASKS)
    evidence = services.add_evidence(actor=actor(request), ask=ask, **body.dict())
    return Status(201, evidence)


@router.post("/{ask_id}/evidence/file", response={201: EvidenceOut, **ERRORS})
def add_evidence_file(
    request: HttpRequest,
    ask_id: int,
    title: Form[str],
    file: File[UploadedFile],
) -> Status[Any]:
    ask = _ask(request, ask_id, Permission.ANSWER_ASKS)
    evidence = services.add_evidence(
        actor=actor(request), ask=ask, kind=Evidence.Kind.FILE, title=title, upload=file
    )
    return Status(201, evidence)


@router.get("/{ask_id}/contributors", response={200: list[ContributorOut], **ERRORS})
@paginate(Pages)
def list_contributors(request: HttpRequest, ask_id: int):  # type: ignore[no-untyped-def]
    # Who contributed is personal: for those who run involvement only.
    ask = _ask(request, ask_id, Permission.MANAGE_ASKS)
    return ask.contributions.select_related("person").order_by("added_at", "pk")


@router.post("/{ask_id}/contributors", response={201: ContributorOut, **ERRORS})
def add_contributor(request: HttpRequest, ask_id: int, body: ContributorIn) -> Status[Contribution]:
    ask = _ask(request, ask_id, Permission.MANAGE_ASKS)
    person = access.get(
        request.user,
        Person.objects.filter(organisation_id=ask.organisation_id),
        Permission.MANAGE_ASKS,
        pk=body.person_id,
    )
    return Status(201, services.add_contributor(actor=actor(request), ask=ask, person=person))


@router.post("/{ask_id}/publication", response={200: AskOut, **ERRORS})
def publish(request: HttpRequest, ask_id: int, body: PublishIn) -> Ask:
    ask = _ask(request, ask_id, Permission.MANAGE_ASKS)
    return services.set_published(actor=actor(request), ask=ask, published=body.published)


# A member's own asks, under /api/v1/me/asks.


def _my_person(request: HttpRequest) -> Person:
    person = getattr(actor(request), "person", None)
    if person is None:
        raise ServiceError("This sign-in has no person record", status=403)
    return person


@me_router.get("", response={200: list[AskOut], **ERRORS})
@paginate(Pages)
def my_asks(request: HttpRequest):  # type: ignore[no-untyped-def]
    person = _my_person(request)
    return _WITH_RELATED.filter(contributions__person=person).order_by("-raised_at", "-pk")


@me_router.get("/{ask_id}", response={200: AskOut, **ERRORS})
def my_ask(request: HttpRequest, ask_id: int) -> Ask:
    person = _my_person(request)
    return get_object_or_404(_WITH_RELATED, pk=ask_id, contributions__person=person)


@me_router.post("", response={201: AskOut, **ERRORS})
def raise_my_ask(request: HttpRequest, body: MemberAskIn) -> Status[Any]:
    person = _my_person(request)
    activity = None
    if body.activity_id is not None:
        activity = get_object_or_404(
            Activity, pk=body.activity_id, organisation_id=person.organisation_id
        )
    ask = services.member_raise(
        actor=actor(request),
        person=person,
        details={
            "title": body.title,
            "what_was_said": body.what_was_said,
            "quote": body.quote,
            "service": _one(Service.objects.all(), body.service_id, "service_id"),
            "pathway_stage": _one(
                PathwayStage.objects.all(), body.pathway_stage_id, "pathway_stage_id"
            ),
        },
        activity=activity,
    )
    return Status(201, ask)


# The public record, under /api/v1/public: no token needed, published asks only.


@public_router.get(
    "/organisations/{organisation_id}/asks",
    response={200: list[PublicAskOut], 404: Error},
    auth=None,
)
@paginate(Pages)
def public_record(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    organisation_id: int,
    domain: ImpactDomain | None = None,
    service_id: int | None = None,
):
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    asks = (
        Ask.objects.published()
        .filter(organisation=organisation)
        .select_related("service", "raised_by")
    )
    if domain:
        asks = asks.filter(domain=domain)
    if service_id:
        asks = asks.filter(service_id=service_id)
    return asks.order_by("-published_at", "-pk")
