"""Themes, cases and attributes, reports and search of analysis projects in the JSON API.

The same services and rules as their pages: the whole team reads them, only the lead analyst
changes themes, cases and attributes. A project is reached through `analysis._project`, so
another organisation's project is not found and one the caller is not on is forbidden. Every
count, quote and search filter on coding reads `coding.visible_segments` (through
`reports.coding` and `search.search`), and the coders a caller may choose are those the pages
offer, so blind coding holds here too; sources still under review are the lead analyst's alone.
"""

import math
from typing import Any

from django.conf import settings
from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Length
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from coproduce.accounts.models import User
from coproduce.analysis import reports
from coproduce.analysis import search as engine
from coproduce.analysis.models import (
    Attribute,
    Case,
    Code,
    Layer,
    Project,
    Segment,
    Source,
    Theme,
)
from coproduce.analysis.services import cases as case_services
from coproduce.analysis.services import themes as theme_services
from coproduce.analysis.team import Right
from coproduce.analysis.views.reports import coders_for
from coproduce.analysis.views.search import coders_to_offer
from coproduce.api.analysis import ERRORS, _fields, _project, _sources
from coproduce.api.auth import actor
from coproduce.api.pagination import Pages
from coproduce.api.schemas_analysis import LayerName, SourceKind, SourceOut
from coproduce.api.schemas_analysis_themes import (
    AttributeDetailOut,
    AttributeIn,
    AttributePatch,
    CaseDetailOut,
    CaseIn,
    CasePatch,
    CoOccurrenceOut,
    FrequenciesOut,
    LinkedOut,
    QuotesOut,
    SearchOut,
    SearchParams,
    SourceIdsIn,
    ThemeCodesIn,
    ThemeCodesOut,
    ThemeIn,
    ThemeMoveIn,
    ThemeOut,
    ThemePatch,
    ThemeStatusIn,
)
from coproduce.core.errors import ServiceError

router = Router(tags=["analysis"])

# The limits of the pages' forms, which the services leave to them.
ATTRIBUTE_DESCRIPTION_LIMIT = 1000
CASE_DESCRIPTION_LIMIT = 2000
THEME_DEFINITION_LIMIT = 4000
VALUE_LIMIT = 200  # an attribute value searched for, as the search page's form allows


def _at_most(text: str | None, limit: int, field: str, what: str) -> None:
    if text is not None and len(text.strip()) > limit:
        raise ServiceError(f"The {what} must be {limit:,} characters or fewer", field=field)


# Which coding a report reads: the choices the pages offer


def _coding(
    request: HttpRequest, project: Project, layer: str, coder: int | None
) -> tuple["QuerySet[Segment]", str]:
    """One layer of the coding the caller may see, optionally one coder's, and its words.

    Only the coders the report pages offer may be chosen: in blind coding a coder chooses only
    themselves, so naming anyone else is refused rather than answered with their coding."""
    user = actor(request)
    chosen: User | None = None
    if coder is not None:
        if layer != Layer.CODER:
            raise ServiceError(
                "Leave out the coder when reading the agreed (consensus) coding", field="coder"
            )
        chosen = next((each for each in coders_for(user, project) if each.pk == coder), None)
        if chosen is None:
            raise ServiceError("Choose a coder whose coding you may see", field="coder")
    segments = reports.coding(user, project, layer, chosen.pk if chosen else None)
    return segments, reports.layer_description(layer, chosen)


def _theme_filter(project: Project, theme_id: int | None) -> Theme | None:
    if theme_id is None:
        return None
    found = Theme.objects.filter(project=project, pk=theme_id).first()
    if found is None:
        raise ServiceError("Choose a theme of this project", field="theme")
    return found


# Attributes


def _attribute(project: Project, attribute_id: int) -> Attribute:
    return get_object_or_404(Attribute, project=project, pk=attribute_id)


def _attribute_out(attribute: Attribute) -> dict[str, Any]:
    return {
        "id": attribute.pk,
        "name": attribute.name,
        "kind": attribute.kind,
        "description": attribute.description,
        "cases": Case.objects.filter(
            project_id=attribute.project_id, values__has_key=str(attribute.pk)
        ).count(),
    }


@router.get("/projects/{project_id}/attributes", response={200: list[AttributeDetailOut], **ERRORS})
def list_attributes(request: HttpRequest, project_id: int) -> list[dict[str, Any]]:
    """The attributes that describe cases and responses, by name."""
    project = _project(request, project_id)
    return [_attribute_out(each) for each in Attribute.objects.filter(project=project)]


@router.post("/projects/{project_id}/attributes", response={201: AttributeDetailOut, **ERRORS})
def add_attribute(
    request: HttpRequest, project_id: int, body: AttributeIn
) -> Status[dict[str, Any]]:
    """Add an attribute of a kind: text, number, date or yes or no. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    _at_most(body.description, ATTRIBUTE_DESCRIPTION_LIMIT, "description", "description")
    attribute = case_services.add_attribute(
        by=actor(request),
        project=project,
        name=body.name,
        kind=body.kind,
        description=body.description,
    )
    return Status(201, _attribute_out(attribute))


@router.patch(
    "/projects/{project_id}/attributes/{attribute_id}",
    response={200: AttributeDetailOut, **ERRORS},
)
def change_attribute(
    request: HttpRequest, project_id: int, attribute_id: int, body: AttributePatch
) -> dict[str, Any]:
    """Rename, describe or change the kind of an attribute. A new kind is refused while any
    value held would not fit it. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    attribute = _attribute(project, attribute_id)
    _at_most(body.description, ATTRIBUTE_DESCRIPTION_LIMIT, "description", "description")
    changed = case_services.change_attribute(
        by=actor(request),
        attribute=attribute,
        name=attribute.name if body.name is None else body.name,
        kind=body.kind or attribute.kind,
        description=attribute.description if body.description is None else body.description,
    )
    return _attribute_out(changed)


@router.delete("/projects/{project_id}/attributes/{attribute_id}", response={204: None, **ERRORS})
def delete_attribute(request: HttpRequest, project_id: int, attribute_id: int) -> Status[None]:
    """Delete an attribute and its values on every case. One that imported responses hold
    stays. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    case_services.delete_attribute(by=actor(request), attribute=_attribute(project, attribute_id))
    return Status(204, None)


# Cases


def _cases(request: HttpRequest, project: Project) -> "QuerySet[Case]":
    """The project's cases, each with how many of its sources the caller sees."""
    linked = (
        _sources(request, project)
        .filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Case.objects.filter(project=project)
        .annotate(source_count=Coalesce(Subquery(linked, output_field=IntegerField()), 0))
        .select_related("project")
        .prefetch_related("project__attributes")
    )


def _case(request: HttpRequest, project: Project, case_id: int) -> Case:
    return get_object_or_404(_cases(request, project), pk=case_id)


def _values(project: Project, values: dict[str, Any]) -> dict[Attribute, Any]:
    """A body's values, keyed by attribute id, as the service takes them."""
    keys = {key: key.strip() for key in values}
    attributes = Attribute.objects.filter(project=project).in_bulk(
        [int(key) for key in keys.values() if key.isdigit()]
    )
    found: dict[Attribute, Any] = {}
    for key, raw in values.items():
        cleaned = keys[key]
        attribute = attributes.get(int(cleaned)) if cleaned.isdigit() else None
        if attribute is None:
            raise ServiceError(
                f"There is no attribute with the id {key} in this project: key values by the "
                "ids that /attributes lists",
                field="values",
            )
        found[attribute] = raw
    return found


def _value_fields(project: Project) -> dict[str, str]:
    """The service names a value's field after its attribute; the body's is values.<id>."""
    return {
        case_services.field_name(attribute): f"values.{attribute.pk}"
        for attribute in Attribute.objects.filter(project=project)
    }


@router.get("/projects/{project_id}/cases", response={200: list[CaseDetailOut], **ERRORS})
@paginate(Pages)
def list_cases(request: HttpRequest, project_id: int, q: str = ""):  # type: ignore[no-untyped-def]
    """Cases by name, each with its attribute values; q finds names containing it."""
    project = _project(request, project_id)
    cases = _cases(request, project)
    if q.strip():
        cases = cases.filter(name__icontains=q.strip())
    return cases.order_by("name", "pk")


@router.post("/projects/{project_id}/cases", response={201: CaseDetailOut, **ERRORS})
def add_case(request: HttpRequest, project_id: int, body: CaseIn) -> Status[Case]:
    """Add a case (a person, a site, a group) with its attribute values. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    _at_most(body.description, CASE_DESCRIPTION_LIMIT, "description", "description")
    with _fields(**_value_fields(project)):
        case = case_services.add_case(
            by=actor(request),
            project=project,
            name=body.name,
            description=body.description,
            values=_values(project, body.values),
        )
    return Status(201, _case(request, project, case.pk))


@router.get("/projects/{project_id}/cases/{case_id}", response={200: CaseDetailOut, **ERRORS})
def get_case(request: HttpRequest, project_id: int, case_id: int) -> Case:
    """A case with its attribute values. Its sources are under cases/{case_id}/sources."""
    project = _project(request, project_id)
    return _case(request, project, case_id)


@router.patch("/projects/{project_id}/cases/{case_id}", response={200: CaseDetailOut, **ERRORS})
def change_case(request: HttpRequest, project_id: int, case_id: int, body: CasePatch) -> Case:
    """Change a case. Attributes left out of `values` keep their values; null clears one.
    Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    case = _case(request, project, case_id)
    _at_most(body.description, CASE_DESCRIPTION_LIMIT, "description", "description")
    with _fields(**_value_fields(project)):
        case_services.change_case(
            by=actor(request),
            case=case,
            name=case.name if body.name is None else body.name,
            description=case.description if body.description is None else body.description,
            values=_values(project, body.values or {}),
        )
    return _case(request, project, case_id)


@router.delete("/projects/{project_id}/cases/{case_id}", response={204: None, **ERRORS})
def delete_case(request: HttpRequest, project_id: int, case_id: int) -> Status[None]:
    """Delete a case. Its sources and responses stay, with their coding, linked to no case.
    Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    case_services.delete_case(by=actor(request), case=_case(request, project, case_id))
    return Status(204, None)


@router.get(
    "/projects/{project_id}/cases/{case_id}/sources", response={200: list[SourceOut], **ERRORS}
)
@paginate(Pages)
def list_case_sources(  # type: ignore[no-untyped-def]
    request: HttpRequest, project_id: int, case_id: int, kind: SourceKind | None = None
):
    """The sources and responses linked to the case, by name. Coders and viewers see released
    ones only."""
    project = _project(request, project_id)
    case = _case(request, project, case_id)
    found = _sources(request, project).filter(case=case)
    if kind:
        found = found.filter(kind=kind)
    return (
        found.defer("text", "original_text", "turns", "values")
        .annotate(text_length=Length("text"), import_status=F("source_import__status"))
        .order_by("name", "row", "pk")
    )


@router.post("/projects/{project_id}/cases/{case_id}/sources", response={200: LinkedOut, **ERRORS})
def link_sources(
    request: HttpRequest, project_id: int, case_id: int, body: SourceIdsIn
) -> dict[str, int]:
    """Link sources or responses to the case, moving them from any case they were linked to.
    All of them, or none. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    case = _case(request, project, case_id)
    ids = set(body.source_ids)
    sources = list(Source.objects.filter(project=project, pk__in=ids).only("pk", "project_id"))
    if len(sources) != len(ids):
        raise ServiceError("No such source in this project", field="source_ids")
    with _fields(sources="source_ids"):
        linked = case_services.link_sources(by=actor(request), case=case, sources=sources)
    return {"linked": linked}


@router.delete(
    "/projects/{project_id}/cases/{case_id}/sources/{source_id}", response={204: None, **ERRORS}
)
def unlink_source(
    request: HttpRequest, project_id: int, case_id: int, source_id: int
) -> Status[None]:
    """The source and its coding stay in the project, linked to no case. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    case = _case(request, project, case_id)
    source = get_object_or_404(Source, project=project, pk=source_id)
    case_services.unlink_source(by=actor(request), case=case, source=source)
    return Status(204, None)


# Themes


def _theme(project: Project, theme_id: int) -> Theme:
    return get_object_or_404(Theme.objects.select_related("project"), project=project, pk=theme_id)


def _codes(project: Project, code_ids: list[int]) -> list[Code]:
    codes = list(Code.objects.filter(project=project, pk__in=set(code_ids)))
    if len(codes) != len(set(code_ids)):
        raise ServiceError("Choose codes from this project's codebook", field="code_ids")
    return codes


def _theme_out(theme: Theme, tree: list[reports.CodeRow], counts: dict[int, int]) -> dict[str, Any]:
    """A theme with its codes and the codes inside them, as on the thematic map."""
    direct = {code.pk for code in theme.codes.all()}
    codes = [
        {
            "id": row.code.pk,
            "name": row.code.name,
            "colour": row.code.colour,
            "retired": row.code.retired,
            "depth": row.depth,
            "direct": row.code.pk in direct,
            "segments": counts.get(row.code.pk, 0),
        }
        for row in reports.branch(tree, direct)
    ]
    return {
        "id": theme.pk,
        "name": theme.name,
        "definition": theme.definition,
        "status": theme.status,
        "position": theme.position,
        "segments": sum(code["segments"] for code in codes),
        "codes": codes,
    }


def _one_theme(
    request: HttpRequest,
    project: Project,
    theme_id: int,
    layer: str = Layer.CODER,
    coder: int | None = None,
) -> dict[str, Any]:
    segments, _ = _coding(request, project, layer, coder)
    theme = get_object_or_404(Theme.objects.prefetch_related("codes"), project=project, pk=theme_id)
    return _theme_out(theme, reports.code_tree(project), reports.counts_by_code(segments))


@router.get("/projects/{project_id}/themes", response={200: list[ThemeOut], **ERRORS})
def list_themes(
    request: HttpRequest,
    project_id: int,
    layer: LayerName = "coder",
    coder: int | None = None,
) -> list[dict[str, Any]]:
    """The thematic map: each theme in order with its codes, the codes inside them, and how
    much coded text the caller may see under each, in the layer (and of the coder) asked for."""
    project = _project(request, project_id)
    segments, _ = _coding(request, project, layer, coder)
    tree = reports.code_tree(project)
    counts = reports.counts_by_code(segments)
    themes = Theme.objects.filter(project=project).prefetch_related("codes")
    return [_theme_out(theme, tree, counts) for theme in themes]


@router.post("/projects/{project_id}/themes", response={201: ThemeOut, **ERRORS})
def add_theme(request: HttpRequest, project_id: int, body: ThemeIn) -> Status[dict[str, Any]]:
    """Add a candidate theme, after the others, with any codes it gathers. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    _at_most(body.definition, THEME_DEFINITION_LIMIT, "definition", "definition")
    with _fields(codes="code_ids"):
        theme = theme_services.add_theme(
            by=actor(request),
            project=project,
            name=body.name,
            definition=body.definition,
            codes=_codes(project, body.code_ids),
        )
    return Status(201, _one_theme(request, project, theme.pk))


@router.get("/projects/{project_id}/themes/{theme_id}", response={200: ThemeOut, **ERRORS})
def get_theme(
    request: HttpRequest,
    project_id: int,
    theme_id: int,
    layer: LayerName = "coder",
    coder: int | None = None,
) -> dict[str, Any]:
    """A theme with its codes and how much coded text the caller may see under each."""
    project = _project(request, project_id)
    return _one_theme(request, project, theme_id, layer, coder)


@router.patch("/projects/{project_id}/themes/{theme_id}", response={200: ThemeOut, **ERRORS})
def change_theme(
    request: HttpRequest, project_id: int, theme_id: int, body: ThemePatch
) -> dict[str, Any]:
    """Rename a theme or write its definition. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    theme = _theme(project, theme_id)
    _at_most(body.definition, THEME_DEFINITION_LIMIT, "definition", "definition")
    theme_services.change_theme(
        by=actor(request),
        theme=theme,
        name=theme.name if body.name is None else body.name,
        definition=theme.definition if body.definition is None else body.definition,
    )
    return _one_theme(request, project, theme_id)


@router.delete("/projects/{project_id}/themes/{theme_id}", response={204: None, **ERRORS})
def delete_theme(request: HttpRequest, project_id: int, theme_id: int) -> Status[None]:
    """Delete a theme. Its codes and everything coded with them stay. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    theme_services.delete_theme(by=actor(request), theme=_theme(project, theme_id))
    return Status(204, None)


@router.post(
    "/projects/{project_id}/themes/{theme_id}/codes", response={200: ThemeCodesOut, **ERRORS}
)
def add_theme_codes(
    request: HttpRequest, project_id: int, theme_id: int, body: ThemeCodesIn
) -> dict[str, Any]:
    """Add codes to the theme. A code already in it, or there inside a code that is, is left
    as it is. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    theme = _theme(project, theme_id)
    codes = _codes(project, body.code_ids)
    # As on the theme's page: a code inside one of the theme's codes is in the theme already.
    covered = {
        row.code.pk
        for row in reports.branch(
            reports.code_tree(project), set(theme.codes.values_list("pk", flat=True))
        )
    }
    new = [code for code in codes if code.pk not in covered]
    added = 0
    if new:
        with _fields(codes="code_ids"):
            added = theme_services.add_codes(by=actor(request), theme=theme, codes=new)
    return {"added": added, "theme": _one_theme(request, project, theme_id)}


@router.delete(
    "/projects/{project_id}/themes/{theme_id}/codes/{code_id}", response={204: None, **ERRORS}
)
def remove_theme_code(
    request: HttpRequest, project_id: int, theme_id: int, code_id: int
) -> Status[None]:
    """Take a code out of the theme. The code and its coding stay. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    theme = _theme(project, theme_id)
    code = get_object_or_404(theme.codes.all(), pk=code_id)
    theme_services.remove_code(by=actor(request), theme=theme, code=code)
    return Status(204, None)


@router.post("/projects/{project_id}/themes/{theme_id}/status", response={200: ThemeOut, **ERRORS})
def set_theme_status(
    request: HttpRequest, project_id: int, theme_id: int, body: ThemeStatusIn
) -> dict[str, Any]:
    """Move a theme between candidate, reviewed and defined (and named). Only a theme with a
    definition and codes can be defined. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    theme = _theme(project, theme_id)
    theme_services.set_status(by=actor(request), theme=theme, status=body.status)
    return _one_theme(request, project, theme_id)


@router.post("/projects/{project_id}/themes/{theme_id}/move", response={200: ThemeOut, **ERRORS})
def move_theme(
    request: HttpRequest, project_id: int, theme_id: int, body: ThemeMoveIn
) -> dict[str, Any]:
    """Move a theme one place earlier or later in the project's order. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    theme = _theme(project, theme_id)
    theme_services.move_theme(by=actor(request), theme=theme, earlier=body.direction == "earlier")
    return _one_theme(request, project, theme_id)


# Reports


@router.get("/projects/{project_id}/reports/quotes", response={200: QuotesOut, **ERRORS})
def quotes_by_theme(
    request: HttpRequest,
    project_id: int,
    theme: int | None = None,
    layer: LayerName = "coder",
    coder: int | None = None,
    page: int = 1,
) -> dict[str, Any]:
    """The coded text of each theme's codes, theme by theme and code by code, each quote with
    its source, case and attribute values. A page past the end gives the last page."""
    project = _project(request, project_id)
    segments, described_as = _coding(request, project, layer, coder)
    report = reports.QuotesByTheme(project, segments, _theme_filter(project, theme))
    per_page = settings.API_PAGE_SIZE
    pages = max(1, math.ceil(report.total / per_page))
    number = min(max(page, 1), pages)
    start = (number - 1) * per_page
    groups = report.page(start, min(start + per_page, report.total))
    return {
        "coding": described_as,
        "themes": [
            {
                "id": each.pk,
                "name": each.name,
                "status": each.status,
                "definition": each.definition,
                "segments": report.theme_totals.get(each.pk, 0),
            }
            for each, _ in report.themes
        ],
        "items": [
            {
                "theme_id": group.theme.pk,
                "theme_name": group.theme.name,
                "code_id": quote.code.pk,
                "code_name": quote.code.name,
                "text": quote.text,
                "source_id": quote.source_id,
                "source_name": quote.source_name,
                "case_name": quote.case_name,
                "attributes": [
                    {"attribute_id": attribute.pk, "name": attribute.name, "value": value}
                    for attribute, value in quote.attributes
                ],
                "coder": quote.coder,
                "start": quote.start,
                "end": quote.end,
            }
            for group in groups
            for quote in group.quotes
        ],
        "count": report.total,
        "page": number,
        "pages": pages,
    }


@router.get("/projects/{project_id}/reports/frequencies", response={200: FrequenciesOut, **ERRORS})
def code_frequencies(
    request: HttpRequest,
    project_id: int,
    attribute: int | None = None,
    layer: LayerName = "coder",
    coder: int | None = None,
) -> dict[str, Any]:
    """Coded passages, and the sources they are in, per code and value of an attribute (the
    first by name unless one is asked for): a response's own value, or else its case's."""
    project = _project(request, project_id)
    segments, described_as = _coding(request, project, layer, coder)
    attributes = Attribute.objects.filter(project=project)
    chosen = (
        attributes.filter(pk=attribute).first() if attribute is not None else attributes.first()
    )
    if attribute is not None and chosen is None:
        raise ServiceError("Choose an attribute of this project", field="attribute")
    if chosen is None:
        return {"coding": described_as, "attribute": None, "columns": [], "folded": 0, "rows": []}
    table = reports.code_frequencies(project, segments, chosen)
    return {
        "coding": described_as,
        "attribute": chosen,
        "columns": table.columns,
        "folded": table.folded,
        "rows": [
            {
                "code_id": row.code.pk,
                "code_name": row.code.name,
                "depth": row.depth,
                "retired": row.code.retired,
                "segments": row.segments,
                "sources": row.sources,
                "total_segments": row.total_segments,
                "total_sources": row.total_sources,
            }
            for row in table.rows
        ],
    }


@router.get(
    "/projects/{project_id}/reports/co-occurrence", response={200: CoOccurrenceOut, **ERRORS}
)
def code_co_occurrence(
    request: HttpRequest,
    project_id: int,
    theme: int | None = None,
    layer: LayerName = "coder",
    coder: int | None = None,
) -> dict[str, Any]:
    """Pairs of codes whose coded passages overlap in the same source (in the coders' layer,
    one person's coding of both), with a matrix when there are few enough codes. A theme
    narrows it to that theme's codes."""
    project = _project(request, project_id)
    segments, described_as = _coding(request, project, layer, coder)
    chosen = _theme_filter(project, theme)
    tree = reports.code_tree(project)
    if chosen is not None:
        tree = reports.branch(tree, set(chosen.codes.values_list("pk", flat=True)))
    result = reports.co_occurrence(
        segments, [row.code for row in tree], same_coder=layer == Layer.CODER
    )
    note = ""
    if result.stopped:
        note = reports.stopped_note()
    elif result.limited:
        note = f"Only the {reports.PAIR_LIMIT} commonest pairs are listed"
    return {
        "coding": described_as,
        "theme_id": chosen.pk if chosen else None,
        "codes": [{"id": code.pk, "name": code.name} for code in result.codes],
        "pairs": [
            {
                "first_id": pair.first.pk,
                "first_name": pair.first.name,
                "second_id": pair.second.pk,
                "second_name": pair.second.name,
                "overlaps": pair.overlaps,
                "sources": pair.sources,
            }
            for pair in result.pairs
        ],
        "matrix": None
        if result.matrix is None
        else [
            {"code_id": row.pk, "code_name": row.name, "overlaps": counts}
            for row, counts in result.matrix
        ],
        "limited": result.limited,
        "stopped": result.stopped,
        "note": note,
    }


# Search


def _search_filters(request: HttpRequest, project: Project, params: SearchParams) -> engine.Filters:
    """The filters as the search page's form reads them, refused the same way."""
    user = actor(request)
    code = None
    if params.code is not None:
        code = Code.objects.filter(project=project, pk=params.code).first()
        if code is None:
            raise ServiceError("Choose a code from this project's codebook", field="code")
    coder = None
    if params.coder is not None:
        # In blind coding a coder may choose only themselves, and a viewer nobody.
        coder = coders_to_offer(user, project).filter(pk=params.coder).first()
        if coder is None:
            raise ServiceError("Choose a coder whose coding you may see", field="coder")
    attribute = None
    value = params.value.strip()
    if params.attribute is not None:
        attribute = Attribute.objects.filter(project=project, pk=params.attribute).first()
        if attribute is None:
            raise ServiceError("Choose an attribute of this project", field="attribute")
        if not value:
            raise ServiceError(f"Enter the value of {attribute.name} to look for", field="value")
    elif value:
        raise ServiceError("Choose the attribute that should have this value", field="attribute")
    if len(value) > VALUE_LIMIT:
        raise ServiceError(f"Enter a value of at most {VALUE_LIMIT} characters", field="value")
    if params.added_from and params.added_to and params.added_from > params.added_to:
        raise ServiceError("Enter a date the same as or after the first date", field="to")
    return engine.Filters(
        code=code,
        coder=coder,
        attribute=attribute,
        value=value,
        added_from=params.added_from,
        added_to=params.added_to,
        kind=params.kind or "",
    )


@router.get("/projects/{project_id}/search", response={200: SearchOut, **ERRORS})
def search(request: HttpRequest, project_id: int, params: Query[SearchParams]) -> dict[str, Any]:
    """Full-text search of the project's released sources and responses, 25 a page in the
    order they were added, each with a snippet whose matching words are marked. Filters on
    coding read only the coding the caller may see. With very common words and filters the
    total may be estimated (`estimated`); the page itself is always exact."""
    project = _project(request, project_id)
    query = engine.parse(params.q)
    results = engine.search(
        project,
        query,
        user=actor(request),
        filters=_search_filters(request, project, params),
        page=params.page,
    )
    return {
        "query": str(results.query),
        "summary": results.summary,
        "total": results.total,
        "estimated": results.estimated,
        "page": results.page,
        "pages": results.pages,
        "per_page": results.per_page,
        "has_next": results.has_next,
        "items": [
            {
                "source_id": hit.source.pk,
                "name": hit.source.name,
                "kind": hit.source.kind,
                "dataset_id": hit.source.dataset_id,
                "row": hit.source.row,
                "case_id": hit.source.case_id,
                "case_name": hit.source.case.name if hit.source.case else None,
                "created_at": hit.source.created_at,
                "snippet": str(hit.snippet),
            }
            for hit in results.hits
        ],
    }
