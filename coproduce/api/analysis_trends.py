"""Trends in a project's survey and feedback responses in the JSON API: the same figures and
filters as the trends page, and raising an ask from a code's trend.

A project is reached through `analysis._project`, so another organisation's project is not
found and one the caller is not on is forbidden. Codes are counted in the coding the caller may
see (`coding.visible_segments`), so blind coding holds here as on the page. Raising an ask
needs the lead analyst's right, as on the page.
"""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Status

from coproduce.analysis.models import Attribute, Code, Dataset, Project
from coproduce.analysis.services import trends as service
from coproduce.analysis.team import Right
from coproduce.api.analysis import ERRORS, _project
from coproduce.api.auth import actor
from coproduce.api.schemas_analysis_trends import TrendAskIn, TrendAskOut, TrendParams, TrendsOut
from coproduce.asks.models import Service
from coproduce.asks.services import staff_path
from coproduce.core.errors import ServiceError
from coproduce.people.models import Person

router = Router(tags=["analysis"])


def _filters(project: Project, params: TrendParams) -> service.Filters:
    attribute = None
    if params.attribute is not None:
        attribute = Attribute.objects.filter(project=project, pk=params.attribute).first()
        if attribute is None:
            raise ServiceError("Choose an attribute of this project", field="attribute")
        if not params.value.strip():
            raise ServiceError("Give the value to look for with the attribute", field="value")
    if (
        params.dataset is not None
        and not Dataset.objects.filter(project=project, pk=params.dataset).exists()
    ):
        raise ServiceError("Choose a survey or export of this project", field="dataset")
    if params.start and params.end and params.end < params.start:
        raise ServiceError("The 'to' date must be the same as or after the 'from' date", field="to")
    return service.Filters(
        dataset=params.dataset,
        attribute=attribute,
        value=params.value.strip() if attribute else "",
        start=params.start,
        end=params.end,
        period=params.period,
        suggested=params.suggested,
    )


def _out(result: service.Trends) -> dict[str, Any]:
    return {
        "period": result.filters.period,
        "suggested": result.filters.suggested,
        "periods": [
            {"start": period.start, "label": period.label, "responses": n}
            for period, n in zip(result.periods, result.responses, strict=True)
        ],
        "undated": result.undated,
        "codes": [
            {
                "code_id": trend.codes[0][1],
                "name": trend.name,
                "confirmed": trend.confirmed,
                "suggested": trend.suggested,
            }
            for trend in result.codes
        ],
        "sentiment": [
            {
                "start": counts.period.start,
                "confirmed": counts.confirmed,
                "suggested": counts.suggested,
            }
            for counts in result.sentiment
        ],
        "latest": result.latest.start if result.latest else None,
        "previous": result.previous.start if result.previous else None,
        "changes": [
            {
                "code_id": change.trend.codes[0][1],
                "name": change.trend.name,
                "previous": change.previous,
                "latest": change.latest,
                "difference": change.difference,
                "percent": change.percent,
                "described": change.described,
            }
            for change in result.changes
        ],
        "pairs": [
            {"first": pair.first, "second": pair.second, "responses": pair.responses}
            for pair in result.pairs
        ],
    }


@router.get("/projects/{project_id}/trends", response={200: TrendsOut, **ERRORS})
def trends(request: HttpRequest, project_id: int, params: Query[TrendParams]) -> dict[str, Any]:
    """Responses, comments by code and sentiment per month or quarter, the change in the latest
    complete period, and codes given to the same response."""
    project = _project(request, project_id)
    result = service.trends(actor(request), [project], _filters(project, params))
    return _out(result)


@router.post("/projects/{project_id}/trends/asks", response={201: TrendAskOut, **ERRORS})
def raise_ask(
    request: HttpRequest, project_id: int, body: TrendAskIn, params: Query[TrendParams]
) -> Status[dict[str, Any]]:
    """Raise an ask in the organisation's impact record from a code's trend (the lead analyst),
    with a link to the comments behind it and the figures as evidence."""
    project = _project(request, project_id, Right.LEAD)
    code = get_object_or_404(Code, project=project, pk=body.code)
    filters = _filters(project, params)
    result = service.trends(actor(request), [project], filters)
    change = result.change_of(str(code.pk))
    if change is None or not (change.previous or change.latest):
        raise ServiceError("Choose a code that has comments in these figures", field="code")
    service_ = None
    if body.service_id is not None:
        service_ = Service.objects.filter(pk=body.service_id).first()
        if service_ is None:
            raise ServiceError("Choose one of the services", field="service_id")
    owner = None
    if body.owner_id is not None:
        owner = Person.objects.filter(pk=body.owner_id).first()
        if owner is None:
            raise ServiceError("Choose a member of staff as the owner", field="owner_id")
    link = request.build_absolute_uri(
        reverse("analysis:trends_comments", args=[project.pk])
        + f"?code={code.pk}&period={filters.period}"
        + (f"&period_start={result.latest.key}" if result.latest else "")
        + ("&counting=suggested" if filters.suggested else "")
    )
    try:
        ask = service.raise_ask(
            by=actor(request),
            project=project,
            result=result,
            key=str(code.pk),
            title=body.title,
            what_was_said=body.what_was_said,
            service=service_,
            owner=owner,
            link=link,
        )
    except ServiceError as error:
        raise ServiceError(
            error.message, field={"owner": "owner_id"}.get(error.field or "", error.field)
        ) from None
    return Status(
        201,
        {
            "id": ask.pk,
            "title": ask.title,
            "what_was_said": ask.what_was_said,
            "url": staff_path(ask),
        },
    )
