"""Opportunities in the JSON API, under the same access rules as the pages.

Staff tokens list, read, ask for and publish opportunities and see who is interested or
suggested; a member's token lists what is open in their organisation and expresses interest.
"""

import datetime
from decimal import Decimal
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from coproduce.activities.models import (
    ActivityType,
    Area,
    Ladder,
    Mode,
    Scope,
    Side,
    Technicality,
)
from coproduce.api.auth import actor
from coproduce.api.pagination import Pages
from coproduce.api.schemas import Error
from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.errors import ServiceError
from coproduce.groups.models import PartnershipGroup
from coproduce.opportunities import matching, services
from coproduce.opportunities.models import Interest, Opportunity
from coproduce.organisations.models import Organisation
from coproduce.people.models import (
    Availability,
    CancerType,
    PathwayStage,
    Person,
    SupportNeed,
    Topic,
)

router = Router(tags=["opportunities"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error, 422: Error}


class OpportunityOut(Schema):
    id: int
    organisation_id: int
    status: str
    title: str
    description: str
    why: str
    activity_type: str
    ladder_level: str
    areas: list[str]
    scope: str
    initiated_by: str
    led_by: str
    technicality: str
    time_commitment: str
    hours: Decimal | None
    timing: list[str]
    mode: str
    place: str
    payment_offered: str
    starts_on: datetime.date | None
    closes_on: datetime.date
    who_wanted: str
    places: int | None
    skills_wanted: str
    group_id: int | None
    support_offered: list[str]
    cancer_types: list[str]
    pathway_stages: list[str]
    topics: list[str]
    published_at: datetime.datetime | None

    @staticmethod
    def resolve_activity_type(obj: Opportunity) -> str:
        return str(obj.activity_type)

    @staticmethod
    def resolve_support_offered(obj: Opportunity) -> list[str]:
        return [str(item) for item in obj.support_offered.all()]

    @staticmethod
    def resolve_cancer_types(obj: Opportunity) -> list[str]:
        return [str(item) for item in obj.cancer_types.all()]

    @staticmethod
    def resolve_pathway_stages(obj: Opportunity) -> list[str]:
        return [str(item) for item in obj.pathway_stages.all()]

    @staticmethod
    def resolve_topics(obj: Opportunity) -> list[str]:
        return [str(item) for item in obj.topics.all()]


class OpportunityIn(Schema):
    organisation_id: int
    title: str
    description: str
    why: str
    activity_type_id: int
    ladder_level: str = "consultation"
    areas: list[str] = []
    scope: str = "local"
    initiated_by: str = "professional"
    led_by: str = "professional"
    technicality: str = "everyday"
    time_commitment: str
    hours: Decimal | None = None
    timing: list[str] = []
    mode: str = "in_person"
    place: str = ""
    payment_offered: str = ""
    starts_on: datetime.date | None = None
    closes_on: datetime.date
    who_wanted: str = ""
    places: int | None = None
    skills_wanted: str = ""
    group_id: int | None = None
    support_offered: list[int] = []
    cancer_types: list[int] = []
    pathway_stages: list[int] = []
    topics: list[int] = []


class InterestOut(Schema):
    id: int
    opportunity_id: int
    person_id: int
    person_name: str
    status: str
    note: str
    expressed_at: datetime.datetime
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_person_name(obj: Interest) -> str:
        return obj.person.full_name


class InterestIn(Schema):
    note: str = ""


class SuggestionOut(Schema):
    person_id: int
    person_name: str
    kind: str
    score: int
    reasons: list[str]


# Model fields whose choices the API checks itself, so a bad value is a 422 naming the field.
CHOICE_FIELDS = {
    "ladder_level": set(Ladder.values),
    "scope": set(Scope.values),
    "initiated_by": set(Side.values),
    "led_by": set(Side.values),
    "technicality": set(Technicality.values),
    "mode": set(Mode.values),
}
LIST_CHOICES = {"areas": set(Area.values), "timing": set(Availability.values)}
TAXONOMIES: dict[str, Any] = {
    "support_offered": SupportNeed,
    "cancer_types": CancerType,
    "pathway_stages": PathwayStage,
    "topics": Topic,
}


def _details(body: OpportunityIn, organisation: Organisation) -> dict[str, Any]:
    details = body.dict(exclude={"organisation_id", "activity_type_id", "group_id"})
    for name in CHOICE_FIELDS:
        if details[name] not in CHOICE_FIELDS[name]:
            raise_invalid(name)
    for name, allowed in LIST_CHOICES.items():
        if not set(details[name]) <= allowed:
            raise_invalid(name)
    for name, model in TAXONOMIES.items():
        wanted = set(details[name])
        if model.objects.filter(pk__in=wanted).count() != len(wanted):
            raise_invalid(name)
    activity_type = ActivityType.objects.filter(pk=body.activity_type_id).first()
    if activity_type is None:
        raise_invalid("activity_type_id")
    details["activity_type"] = activity_type
    if body.group_id is not None:
        details["group"] = PartnershipGroup.objects.filter(
            pk=body.group_id, organisation=organisation
        ).first()
        if details["group"] is None:
            raise_invalid("group_id")
    for name in ("title", "description", "why", "time_commitment"):
        if not details[name].strip():
            raise_invalid(name, f"Enter the {name.replace('_', ' ')}")
    return details


def raise_invalid(field: str, message: str | None = None) -> NoReturn:
    raise ServiceError(message or f"Give a valid {field.replace('_', ' ')}", field=field)


def _member(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    return person


@router.get("", response=list[OpportunityOut])
@paginate(Pages)
def list_opportunities(request: HttpRequest, status: str = "", q: str = ""):  # type: ignore[no-untyped-def]
    opportunities = access.scoped(
        request.user,
        Opportunity.objects.select_related("activity_type"),
        Permission.VIEW_OPPORTUNITIES,
    ).order_by("-created_at", "-pk")
    if status:
        opportunities = opportunities.filter(status=status)
    if q:
        opportunities = opportunities.filter(title__icontains=q[:100])
    return opportunities


@router.get("/open", response={200: list[OpportunityOut], 403: Error})
@paginate(Pages)
def list_open(request: HttpRequest):  # type: ignore[no-untyped-def]
    """For a member's token: what is open to them in their own organisation."""
    person = _member(request)
    return (
        Opportunity.objects.open()
        .filter(organisation_id=person.organisation_id)
        .select_related("activity_type")
        .order_by("closes_on", "pk")
    )


@router.post("", response={201: OpportunityOut, **ERRORS})
def create_opportunity(request: HttpRequest, body: OpportunityIn) -> Status[Opportunity]:
    organisation = access.get(
        request.user,
        Organisation.objects.all(),
        Permission.REQUEST_INVOLVEMENT,
        pk=body.organisation_id,
    )
    opportunity = services.request_involvement(
        actor=actor(request), organisation=organisation, details=_details(body, organisation)
    )
    return Status(201, opportunity)


@router.get("/{opportunity_id}", response={200: OpportunityOut, **ERRORS})
def get_opportunity(request: HttpRequest, opportunity_id: int) -> Opportunity:
    return access.get(
        request.user,
        Opportunity.objects.select_related("activity_type"),
        Permission.VIEW_OPPORTUNITIES,
        pk=opportunity_id,
    )


@router.post("/{opportunity_id}/publish", response={200: OpportunityOut, **ERRORS})
def publish_opportunity(request: HttpRequest, opportunity_id: int) -> Opportunity:
    opportunity = access.get(
        request.user,
        Opportunity.objects.select_related("activity_type"),
        Permission.MANAGE_OPPORTUNITIES,
        pk=opportunity_id,
    )
    return services.publish(actor=actor(request), opportunity=opportunity)


@router.get("/{opportunity_id}/interests", response={200: list[InterestOut], **ERRORS})
@paginate(Pages)
def list_interests(request: HttpRequest, opportunity_id: int):  # type: ignore[no-untyped-def]
    opportunity = access.get(
        request.user, Opportunity.objects.all(), Permission.MANAGE_OPPORTUNITIES, pk=opportunity_id
    )
    return opportunity.interests.select_related("person").order_by("expressed_at", "pk")


@router.get("/{opportunity_id}/suggestions", response={200: list[SuggestionOut], **ERRORS})
def list_suggestions(request: HttpRequest, opportunity_id: int, limit: int = 25) -> Any:
    opportunity = access.get(
        request.user, Opportunity.objects.all(), Permission.MANAGE_OPPORTUNITIES, pk=opportunity_id
    )
    # As on the page: people are suggested only while the opportunity is open to them.
    if not Opportunity.objects.open().filter(pk=opportunity.pk).exists():
        return []
    return [
        {
            "person_id": suggestion.person.pk,
            "person_name": suggestion.person.full_name,
            "kind": suggestion.person.kind,
            "score": suggestion.score,
            "reasons": suggestion.reasons,
        }
        for suggestion in matching.suggest(opportunity, limit=max(1, min(limit, 100)))
    ]


@router.post("/{opportunity_id}/interest", response={201: InterestOut, **ERRORS})
def express_interest(
    request: HttpRequest, opportunity_id: int, body: InterestIn
) -> Status[Interest]:
    """For a member's token: offer to take part in an opportunity of their organisation."""
    person = _member(request)
    opportunity = (
        Opportunity.objects.filter(organisation_id=person.organisation_id, pk=opportunity_id)
        .exclude(status__in=(Opportunity.Status.DRAFT, Opportunity.Status.SUBMITTED))
        .first()
    )
    if opportunity is None:
        raise Http404
    interest = services.express_interest(
        actor=actor(request), opportunity=opportunity, person=person, note=body.note[:2000]
    )
    return Status(201, interest)
