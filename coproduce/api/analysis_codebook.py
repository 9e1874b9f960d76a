"""The codebook and REFI-QDA exchange of analysis projects in the JSON API.

The same services and rules as the codebook's and the exchange's pages: the whole team reads the
codebook and downloads it as CSV or QDC; only the lead analyst changes it, imports codebooks,
and exports or imports whole projects (an export holds everyone's coding). A project is reached
through `analysis._project`, so another organisation's project is not found and one the caller
is not on is forbidden. Counts of coded text come from `coding.visible_segments` and memos from
`coding.visible_memos`, so blind coding holds here too.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from coproduce.analysis.models import Code, Project
from coproduce.analysis.presets import PRESETS
from coproduce.analysis.services import codebook, coding
from coproduce.analysis.services import exchange as exchange_services
from coproduce.analysis.team import Right
from coproduce.analysis.views.exchange import QDC_TYPE, QDPX_TYPE
from coproduce.api import analysis
from coproduce.api.analysis import ERRORS, _fields, _project
from coproduce.api.auth import actor
from coproduce.api.schemas_analysis_codebook import (
    AddedOut,
    ChangedOut,
    CodeDetailOut,
    CodeIn,
    CodePatch,
    ExchangeSummaryOut,
    MergedOut,
    MergeIn,
    MoveIn,
    PresetOut,
    SplitIn,
)
from coproduce.core.errors import ServiceError

router = Router(tags=["analysis"])

CSV_TYPE = "text/csv; charset=utf-8"


def _file(content_type: str, what: str) -> dict[str, Any]:
    """How the OpenAPI document describes an answer that is a file download."""
    return {
        "responses": {
            "200": {
                "description": what,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _code(project: Project, code_id: int) -> Code:
    return get_object_or_404(Code, project=project, pk=code_id)


def _chosen(project: Project, code_id: int | None, field: str) -> Code | None:
    """A code named in a body: one of this project's, or a refusal naming the field."""
    if code_id is None:
        return None
    found = Code.objects.filter(project=project, pk=code_id).first()
    if found is None:
        raise ServiceError("Choose a code from this project's codebook", field=field)
    return found


def _refs(codes: "QuerySet[Code]") -> list[dict[str, Any]]:
    return [{"id": code.pk, "name": code.name} for code in codes.order_by("position", "name")]


def _detail(request: HttpRequest, project: Project, code: Code) -> dict[str, Any]:
    """A code with its definition, what the caller may see of its coding, and its memos."""
    code.refresh_from_db()
    user = actor(request)
    path = codebook.paths(project)[code.pk]
    segments = coding.visible_segments(user, project).filter(code=code)
    return {
        "id": code.pk,
        "parent_id": code.parent_id,
        "path": path,
        "depth": path.count(codebook.SEPARATOR),
        **{key: getattr(code, key) for key in codebook.DEFINITION_FIELDS},
        "position": code.position,
        "retired": code.retired,
        "merged_into_id": code.merged_into_id,
        "segments": segments.count(),
        "sources": segments.values("source_id").distinct().count(),
        "children": _refs(code.children.current()),
        "merged": _refs(code.merged.all()),
        "memos": list(
            coding.visible_memos(user, project)
            .filter(code=code)
            .select_related("author")
            .order_by("created_at", "pk")
        ),
    }


def _added(result: codebook.Added) -> dict[str, Any]:
    return {
        "added": [{"id": code.pk, "name": code.name} for code in result.added],
        "present": result.present,
        "warnings": result.warnings,
        "message": result.message,
    }


# Reading the codebook, and codebook files


@router.get(
    "/projects/{project_id}/codes/export.csv",
    response={200: None, **ERRORS},
    openapi_extra=_file(CSV_TYPE, "The codes in use as a CSV file that codes/import reads back"),
)
def export_codebook_csv(request: HttpRequest, project_id: int) -> HttpResponse:
    """The codes in use, one row each, parents before children."""
    project = _project(request, project_id)
    name = f"{slugify(project.name) or 'project'}-codebook.csv"
    return _download(codebook.export_csv(project), name, CSV_TYPE)


@router.get(
    "/projects/{project_id}/codes/export.qdc",
    response={200: None, **ERRORS},
    openapi_extra=_file(QDC_TYPE, "The codes in use as a REFI-QDA codebook"),
)
def export_codebook_qdc(request: HttpRequest, project_id: int) -> HttpResponse:
    """The codes in use as a REFI-QDA codebook (.qdc) that other tools open."""
    project = _project(request, project_id)
    name = f"{slugify(project.name) or 'project'}-codebook.qdc"
    return _download(codebook.export_qdc(project), name, QDC_TYPE)


@router.get("/projects/{project_id}/codes/presets", response={200: list[PresetOut], **ERRORS})
def list_presets(request: HttpRequest, project_id: int) -> list[dict[str, Any]]:
    """The ready-made codebooks a lead analyst can add with codes/presets/{preset}."""
    _project(request, project_id)
    return [
        {"key": p.key, "name": p.name, "summary": p.summary, "codes": p.count()}
        for p in PRESETS.values()
    ]


# Code ids are matched as numbers, so that codes/import, codes/presets and the exports are never
# taken for a code.
@router.get("/projects/{project_id}/codes/{int:code_id}", response={200: CodeDetailOut, **ERRORS})
def get_code(request: HttpRequest, project_id: int, code_id: int) -> dict[str, Any]:
    """A code's definition, how much coded text the caller may see under it, and the memos on
    it the caller may read. Retired codes are found too."""
    project = _project(request, project_id)
    return _detail(request, project, _code(project, code_id))


# Changing the codebook: lead analyst only


# Registered on the analysis router rather than this one: GET on the same path is there, and
# each path belongs to one router's view, which would answer any other method with 405.
@analysis.router.post("/projects/{project_id}/codes", response={201: CodeDetailOut, **ERRORS})
def add_code(request: HttpRequest, project_id: int, body: CodeIn) -> Status[dict[str, Any]]:
    """Add a code at the top level or inside a code in use. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    with _fields(parent="parent_id"):
        code = codebook.add_code(
            by=actor(request),
            project=project,
            parent=_chosen(project, body.parent_id, "parent_id"),
            name=body.name,
            description=body.description,
            inclusion=body.inclusion,
            exclusion=body.exclusion,
            examples=body.examples,
            colour=body.colour,
        )
    return Status(201, _detail(request, project, code))


@router.patch("/projects/{project_id}/codes/{int:code_id}", response={200: CodeDetailOut, **ERRORS})
def change_code(
    request: HttpRequest, project_id: int, code_id: int, body: CodePatch
) -> dict[str, Any]:
    """Change a code's name or definition; fields left out stay as they are. Lead only."""
    project = _project(request, project_id, Right.LEAD)
    code = _code(project, code_id)
    codebook.change_code(by=actor(request), code=code, **body.dict(exclude_none=True))
    return _detail(request, project, code)


@router.post(
    "/projects/{project_id}/codes/{int:code_id}/move", response={200: CodeDetailOut, **ERRORS}
)
def move_code(request: HttpRequest, project_id: int, code_id: int, body: MoveIn) -> dict[str, Any]:
    """Put the code, with the codes inside it, inside another code or (parent_id null) at the
    top level. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    code = _code(project, code_id)
    with _fields(parent="parent_id"):
        codebook.move_code(
            by=actor(request), code=code, parent=_chosen(project, body.parent_id, "parent_id")
        )
    return _detail(request, project, code)


@router.post(
    "/projects/{project_id}/codes/{int:code_id}/retire", response={200: ChangedOut, **ERRORS}
)
def retire_code(request: HttpRequest, project_id: int, code_id: int) -> dict[str, Any]:
    """Stop offering the code, and the codes inside it, for coding. Their coded text stays."""
    project = _project(request, project_id, Right.LEAD)
    code = _code(project, code_id)
    count = codebook.retire_code(by=actor(request), code=code)
    return {"count": count, "code": _detail(request, project, code)}


@router.post(
    "/projects/{project_id}/codes/{int:code_id}/restore", response={200: ChangedOut, **ERRORS}
)
def restore_code(request: HttpRequest, project_id: int, code_id: int) -> dict[str, Any]:
    """Offer a retired code for coding again, with the retired codes inside it. A code merged
    into another cannot come back."""
    project = _project(request, project_id, Right.LEAD)
    code = _code(project, code_id)
    count = codebook.restore_code(by=actor(request), code=code)
    return {"count": count, "code": _detail(request, project, code)}


@router.post(
    "/projects/{project_id}/codes/{int:code_id}/merge", response={200: MergedOut, **ERRORS}
)
def merge_code(
    request: HttpRequest, project_id: int, code_id: int, body: MergeIn
) -> dict[str, Any]:
    """Move all the code's coding, decisions, memos, themes and sub-codes to the target; the
    code is retired, marked as merged into it. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    code = _code(project, code_id)
    target = _chosen(project, body.target_id, "target_id")
    assert target is not None  # the body's target_id is required
    with _fields(target="target_id"):
        merged = codebook.merge_codes(by=actor(request), source=code, target=target)
    return {
        "moved": merged.moved,
        "dropped": merged.dropped,
        "target": _detail(request, project, target),
    }


@router.post(
    "/projects/{project_id}/codes/{int:code_id}/split",
    response={201: list[CodeDetailOut], **ERRORS},
)
def split_code(
    request: HttpRequest, project_id: int, code_id: int, body: SplitIn
) -> Status[list[dict[str, Any]]]:
    """Make new codes from some of the code's coded passages: each part names a new code and
    the segments that move to it; the rest stay. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    code = _code(project, code_id)
    parts = [
        codebook.SplitPart(
            name=part.name,
            description=part.description,
            colour=part.colour,
            segment_ids=part.segment_ids,
        )
        for part in body.parts
    ]
    # Every refusal is about one of the parts: the body's field is `parts`.
    with _fields(name="parts", description="parts", colour="parts", segments="parts"):
        made = codebook.split_code(by=actor(request), code=code, parts=parts, inside=body.inside)
    return Status(201, [_detail(request, project, new) for new in made])


@router.post("/projects/{project_id}/codes/presets/{preset}", response={200: AddedOut, **ERRORS})
def add_preset(request: HttpRequest, project_id: int, preset: str) -> dict[str, Any]:
    """Add a ready-made codebook (see codes/presets), except codes already there. Lead only."""
    project = _project(request, project_id, Right.LEAD)
    return _added(codebook.add_preset(by=actor(request), project=project, preset=preset))


@router.post("/projects/{project_id}/codes/import", response={200: AddedOut, **ERRORS})
def import_codebook(
    request: HttpRequest, project_id: int, file: File[UploadedFile]
) -> dict[str, Any]:
    """Add the codes in a CSV (.csv) or REFI-QDA codebook (.qdc) file, uploaded as a multipart
    form: whole, or not at all. Codes already there are left as they are. Lead only."""
    project = _project(request, project_id, Right.LEAD)
    if (file.size or 0) > codebook.MAX_FILE_BYTES:
        # Refused before it is read into memory.
        raise ServiceError(
            f"The file is larger than {codebook.MAX_FILE_BYTES // (1024 * 1024)} MB, which is "
            "far more than any codebook. Check that you chose the right file",
            field="file",
        )
    result = codebook.import_file(
        by=actor(request), project=project, name=file.name or "", data=file.read()
    )
    return _added(result)


# Whole projects to and from other tools: lead analyst only


@router.get(
    "/projects/{project_id}/export.qdpx",
    response={200: None, **ERRORS},
    openapi_extra=_file(QDPX_TYPE, "The project as a REFI-QDA project archive"),
)
def export_project(request: HttpRequest, project_id: int) -> HttpResponse:
    """The whole project (codebook, released sources, everyone's coding, memos, cases and
    attributes) as a QDPX archive that NVivo, ATLAS.ti, MAXQDA and QualCoder open."""
    project = _project(request, project_id, Right.LEAD)
    data = exchange_services.export_project(by=actor(request), project=project)
    return _download(data, exchange_services.download_name(project, "qdpx"), QDPX_TYPE)


@router.post("/projects/{project_id}/import", response={200: ExchangeSummaryOut, **ERRORS})
def import_project(
    request: HttpRequest,
    project_id: int,
    file: File[UploadedFile],
    texts_checked: Form[bool] = False,
) -> dict[str, Any]:
    """Bring a REFI-QDA project (.qdpx or .qde) or codebook (.qdc) from another tool into the
    project, as a multipart form. It adds, never changes: what is there already is matched.
    Imported texts are not pseudonymised, so where the project pseudonymises, send
    texts_checked=true to confirm they may be shown to the team as they are. Answers with what
    was brought in and warnings about what was not; a file that cannot be read leaves nothing
    behind. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    summary = exchange_services.import_upload(
        by=actor(request), project=project, upload=file, texts_checked=texts_checked
    )
    return summary.as_json()


@router.get(
    "/projects/{project_id}/imports/{import_id}/summary",
    response={200: ExchangeSummaryOut, **ERRORS},
)
def import_summary(request: HttpRequest, project_id: int, import_id: int) -> dict[str, Any]:
    """What an import of a project from another tool brought in, as recorded when it ran.
    Other imports have no summary. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    found = get_object_or_404(exchange_services.exchange_imports(project), pk=import_id)
    return exchange_services.summary_of(found).as_json()
