"""Theme discovery in the JSON API: the same services and rules as its pages. The whole team
reads the themes found among uncoded responses; only the lead analyst asks for themes and makes
a theme into a code, whose responses are then put up for review, never coded."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from coproduce.analysis.models import Dataset, Discovery, Project, Source
from coproduce.analysis.services import discovery as services
from coproduce.analysis.team import Right
from coproduce.api.analysis import ERRORS, _fields, _project
from coproduce.api.analysis_codebook import _chosen
from coproduce.api.auth import actor
from coproduce.api.schemas_analysis_discovery import (
    DiscoveryIn,
    DiscoveryOut,
    DiscoveryStateOut,
    MadeCodeOut,
    MakeCodeIn,
)
from coproduce.core.errors import ServiceError

router = Router(tags=["analysis"])


def _out(found: Discovery | None) -> dict[str, Any] | None:
    if found is None:
        return None
    typical = Source.objects.filter(project_id=found.project_id).in_bulk(
        [pk for theme in found.themes for pk in theme["typical"]]
    )
    return {
        "id": found.pk,
        "status": found.status,
        "requested_at": found.requested_at,
        "finished_at": found.finished_at,
        "responses": found.responses,
        "skipped": services.skipped(found),
        "error": found.error,
        "themes": [
            {
                "number": number,
                "label": theme["label"],
                "words": theme["words"],
                "size": len(theme["members"]),
                "typical": [
                    {"id": pk, "name": typical[pk].name, "text": typical[pk].text}
                    for pk in theme["typical"]
                    if pk in typical
                ],
                "members": theme["members"],
                "code_id": theme["code"],
            }
            for number, theme in enumerate(found.themes, start=1)
        ],
    }


@router.get("/projects/{project_id}/discovery", response={200: DiscoveryStateOut, **ERRORS})
def get_discovery(request: HttpRequest, project_id: int) -> dict[str, Any]:
    """The themes found among responses nobody has coded yet, and how the newest search is
    going."""
    project = _project(request, project_id)
    return {"latest": _out(services.latest(project)), "ready": _out(services.ready(project))}


def _dataset(project: Project, dataset_id: int | None) -> Dataset | None:
    if dataset_id is None:
        return None
    found = Dataset.objects.filter(project=project, pk=dataset_id).first()
    if found is None:
        raise ServiceError("Choose a dataset from this project", field="dataset_id")
    return found


@router.post("/projects/{project_id}/discovery", response={202: DiscoveryOut, **ERRORS})
def start_discovery(request: HttpRequest, project_id: int, body: DiscoveryIn) -> Status[Any]:
    """Look for themes among the uncoded responses, in the background; follow it with GET.
    Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    with _fields(dataset="dataset_id"):
        started = services.start_discovery(
            by=actor(request),
            project=project,
            dataset=_dataset(project, body.dataset_id),
            themes=body.themes,
        )
    return Status(202, _out(started))


@router.post(
    "/projects/{project_id}/discovery/{discovery_id}/themes/{number}/code",
    response={201: MadeCodeOut, **ERRORS},
)
def make_code(
    request: HttpRequest, project_id: int, discovery_id: int, number: int, body: MakeCodeIn
) -> Status[Any]:
    """Make a theme into a code: its typical responses become the code's examples and all its
    responses are put up for review as suggestions of it. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    found = get_object_or_404(Discovery, project=project, pk=discovery_id)
    with _fields(parent="parent_id"):
        made = services.make_code(
            by=actor(request),
            discovery=found,
            number=number,
            name=body.name,
            parent=_chosen(project, body.parent_id, "parent_id"),
        )
    return Status(
        201, {"code": {"id": made.code.pk, "name": made.code.name}, "suggested": made.suggested}
    )
