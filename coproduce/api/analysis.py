"""Analysis projects in the JSON API: projects and their teams, sources and imports, survey
responses, coding, memos, agreement and the consensus layer.

The same services and access rules as the pages. A project is reached only through
`team.project`: another organisation's project is not found, and one the caller is not on is
forbidden, whatever their role in the organisation. Each operation needs the same team right as
its page (view, code or lead). Coding is read only through `coding.visible_segments` and memos
only through `services.coding.visible_memos`, so blind coding holds here as it does on the
pages; sources still under review are the lead analyst's alone.
"""

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from coproduce.accounts.models import User
from coproduce.analysis import agreement, team
from coproduce.analysis.models import (
    Code,
    Dataset,
    Decision,
    Import,
    Layer,
    Memo,
    Project,
    Replacement,
    Segment,
    Source,
    SourceQuerySet,
    TeamMember,
)
from coproduce.analysis.services import coding
from coproduce.analysis.services import projects as project_services
from coproduce.analysis.services import sources as source_services
from coproduce.analysis.team import Right
from coproduce.analysis.transcripts import ImportRefused
from coproduce.api.auth import actor
from coproduce.api.pagination import Pages
from coproduce.api.schemas import Error
from coproduce.api.schemas_analysis import (
    AgreedOut,
    CodeOut,
    DatasetOut,
    DecisionIn,
    DecisionOut,
    ImportOptions,
    ImportOut,
    ImportStatus,
    KeepIn,
    KeptOut,
    LayerName,
    MemoIn,
    MemoOut,
    PasteIn,
    ProjectAgreementOut,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    ReplacementOut,
    ResponseCodeIn,
    ResponseOut,
    SegmentIn,
    SegmentOut,
    SourceAgreementOut,
    SourceDetailOut,
    SourceKind,
    SourceOut,
    TeamMemberOut,
    TeamRoleIn,
    name_of,
)
from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.errors import ServiceError
from coproduce.organisations.models import Organisation

router = Router(tags=["analysis"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error, 422: Error}
BLIND = "Coding is blind: only the lead analyst sees agreement until the comparison is opened"


# Reaching a project and what is inside it


def _project(request: HttpRequest, project_id: int, right: Right = Right.VIEW) -> Project:
    """The project, if the caller's team role gives them `right`, with their role on it."""
    user = actor(request)
    project = team.project(user, project_id, right)
    project.my_role = team.role_in(user, project)  # type: ignore[attr-defined]
    return project


def _is_lead(request: HttpRequest, project: Project) -> bool:
    return team.may(actor(request), project, Right.LEAD)


def _sources(request: HttpRequest, project: Project) -> SourceQuerySet:
    """Every source to the lead analyst; released ones only to coders and viewers."""
    found = Source.objects.filter(project=project)
    return found if _is_lead(request, project) else found.visible()


def _import(project: Project, import_id: int) -> Import:
    return get_object_or_404(Import, project=project, pk=import_id)


@contextmanager
def _fields(**names: str) -> Iterator[None]:
    """Services name their arguments in a refusal; the API names the body's fields instead."""
    try:
        yield
    except ServiceError as error:
        if error.field in names:
            error.field = names[error.field]
        raise


def _refuse_while_blind(request: HttpRequest, project: Project) -> None:
    if project.coding_is_blind and not _is_lead(request, project):
        raise ServiceError(BLIND, status=403)


# Projects and teams


@router.get("/projects", response={200: list[ProjectOut], **ERRORS})
@paginate(Pages)
def list_projects(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The projects the caller is on the team of."""
    user = actor(request)
    if not access.has_permission(user, Permission.USE_ANALYSIS):
        raise PermissionDenied
    role = TeamMember.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1]
    return team.projects_of(user).annotate(my_role=Subquery(role)).order_by("name", "pk")


@router.post("/projects", response={201: ProjectOut, **ERRORS})
def start_project(request: HttpRequest, body: ProjectIn) -> Status[Project]:
    """Start a project in one of the caller's organisations; they become its lead analyst."""
    user = actor(request)
    organisation = access.get(
        user, Organisation.objects.all(), Permission.START_ANALYSIS, pk=body.organisation_id
    )
    started = project_services.start_project(
        by=user,
        organisation=organisation,
        name=body.name,
        description=body.description.strip(),
        blind=body.blind,
        pseudonymise=body.pseudonymise,
        keep_originals=body.keep_originals,
    )
    return Status(201, _project(request, started.pk))


@router.get("/projects/{project_id}", response={200: ProjectOut, **ERRORS})
def get_project(request: HttpRequest, project_id: int) -> Project:
    return _project(request, project_id)


@router.patch("/projects/{project_id}", response={200: ProjectOut, **ERRORS})
def change_project(request: HttpRequest, project_id: int, body: ProjectPatch) -> Project:
    """Change the settings; anything left out (or null) stays as it is. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    changes = {
        name: value.strip() if isinstance(value, str) else value
        for name, value in body.dict(exclude_unset=True).items()
        if value is not None
    }
    project_services.change_project(by=actor(request), project=project, **changes)
    return project


@router.get("/projects/{project_id}/team", response={200: list[TeamMemberOut], **ERRORS})
def list_team(request: HttpRequest, project_id: int) -> "QuerySet[TeamMember]":
    project = _project(request, project_id)
    return project.team.select_related("user").order_by("role", "user__last_name", "pk")


@router.put("/projects/{project_id}/team/{user_id}", response={200: TeamMemberOut, **ERRORS})
def set_team_role(
    request: HttpRequest, project_id: int, user_id: int, body: TeamRoleIn
) -> TeamMember:
    """Add someone to the team or change their role. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    # Anyone outside the organisation gets the same answer as a stranger, so nothing is learnt
    # about other organisations' users.
    user = User.objects.filter(
        pk=user_id, is_active=True, role_assignments__organisation_id=project.organisation_id
    ).first()
    if user is None:
        raise ServiceError(
            "This person has no analyst, staff or lead role in the organisation", field="user_id"
        )
    with _fields(user="user_id"):
        return project_services.set_team_role(
            by=actor(request), project=project, user=user, role=body.role
        )


@router.delete("/projects/{project_id}/team/{user_id}", response={204: None, **ERRORS})
def remove_from_team(request: HttpRequest, project_id: int, user_id: int) -> Status[None]:
    """Their coding stays in the project, under their name. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    member = get_object_or_404(
        TeamMember.objects.select_related("user", "project"), project=project, user_id=user_id
    )
    project_services.remove_from_team(by=actor(request), member=member)
    return Status(204, None)


# Sources


@router.get("/projects/{project_id}/sources", response={200: list[SourceOut], **ERRORS})
@paginate(Pages)
def list_sources(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    project_id: int,
    kind: SourceKind | None = None,
    import_id: int | None = None,
):
    """Documents, transcripts, minutes and pasted text, by name; survey responses only when
    asked for with kind=response (or, one export at a time, under its dataset). Coders and
    viewers see released sources only."""
    project = _project(request, project_id)
    found = _sources(request, project)
    found = found.filter(kind=kind) if kind else found.documents()
    if import_id is not None:
        found = found.filter(source_import_id=import_id)
    return (
        found.defer("text", "original_text", "turns", "values")
        .annotate(text_length=Length("text"), import_status=F("source_import__status"))
        .order_by("name", "row", "pk")
    )


# Declared before the source route, whose id would otherwise take the word `text`.
@router.post("/projects/{project_id}/sources/text", response={201: ImportOut, **ERRORS})
def paste_text(request: HttpRequest, project_id: int, body: PasteIn) -> Status[Import]:
    """Paste text as a new source. If pseudonymisation replaced anything it waits for review;
    otherwise coders see it at once. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    try:
        pasted = source_services.paste_text(
            by=actor(request),
            project=project,
            name=body.name,
            text=body.text,
            pseudonymise=body.pseudonymise,
        )
    except ImportRefused as refusal:
        raise ServiceError(refusal.message, field="text") from None
    return Status(201, pasted)


@router.get("/projects/{project_id}/sources/{source_id}", response={200: SourceDetailOut, **ERRORS})
def get_source(request: HttpRequest, project_id: int, source_id: int) -> dict[str, Any]:
    """A source's text with its speaker turns, attribute values and case. Its coding is under
    /segments?source=, as each caller may see it."""
    project = _project(request, project_id)
    source = get_object_or_404(
        _sources(request, project).select_related("source_import", "case"), pk=source_id
    )
    case = source.case
    keys = {*source.values, *(case.values if case else {})}
    attributes = project.attributes.filter(pk__in=[int(key) for key in keys if key.isdigit()])
    return {
        "id": source.pk,
        "name": source.name,
        "kind": source.kind,
        "import_id": source.source_import_id,
        "released": source.source_import.status == Import.Status.RELEASED,
        "dataset_id": source.dataset_id,
        "row": source.row,
        "text": source.text,
        "turns": source.turns,
        "values": source.values,
        "attributes": list(attributes.order_by("name")),
        "case": case,
        # The words before pseudonymisation are for the lead analyst's eyes only.
        "original_text": (source.original_text or None) if _is_lead(request, project) else None,
    }


# Imports: files on their way in, and the lead's review of pseudonymisation


@router.get("/projects/{project_id}/imports", response={200: list[ImportOut], **ERRORS})
@paginate(Pages)
def list_imports(  # type: ignore[no-untyped-def]
    request: HttpRequest, project_id: int, status: ImportStatus | None = None
):
    """Every file and pasted text brought in, newest first. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    imports = project.imports.all()
    if status:
        imports = imports.filter(status=status)
    return imports.order_by("-created_at", "-pk")


@router.post("/projects/{project_id}/imports", response={202: ImportOut, **ERRORS})
def import_source_file(
    request: HttpRequest,
    project_id: int,
    file: File[UploadedFile],
    options: Form[ImportOptions],
) -> Status[Import]:
    """Upload a file to import in the background (multipart form). Follow its progress at
    /imports/{import_id}: a file that cannot be read ends as `failed` with the reason in
    `error`, and leaves nothing behind. Lead analyst only."""
    project = _project(request, project_id, Right.LEAD)
    queued = source_services.queue_import(
        by=actor(request),
        project=project,
        upload=file,
        name=options.name.strip(),
        pseudonymise=options.pseudonymise,
        text_column=options.text_column,
        attribute_columns=options.attribute_columns,
        sheet=options.sheet,
    )
    # A queue that runs tasks at once has already read the file: answer with where it is now.
    queued.refresh_from_db()
    return Status(202, queued)


@router.get("/projects/{project_id}/imports/{import_id}", response={200: ImportOut, **ERRORS})
def get_import(request: HttpRequest, project_id: int, import_id: int) -> Import:
    """Progress while the file is read (rows_done of rows_total), then where it stands."""
    return _import(_project(request, project_id, Right.LEAD), import_id)


@router.get(
    "/projects/{project_id}/imports/{import_id}/replacements",
    response={200: list[ReplacementOut], **ERRORS},
)
@paginate(Pages)
def list_replacements(request: HttpRequest, project_id: int, import_id: int):  # type: ignore[no-untyped-def]
    """What pseudonymisation replaced, for the lead analyst to review before release."""
    source_import = _import(_project(request, project_id, Right.LEAD), import_id)
    return (
        Replacement.objects.filter(source__source_import=source_import)
        .annotate(source_name=F("source__name"))
        .order_by("source__row", "source_id", "start", "pk")
    )


@router.post("/projects/{project_id}/imports/{import_id}/keep", response={200: KeptOut, **ERRORS})
def keep_original_words(
    request: HttpRequest, project_id: int, import_id: int, body: KeepIn
) -> dict[str, int]:
    """Say these replacements were not identifiers: their words stay as written."""
    source_import = _import(_project(request, project_id, Right.LEAD), import_id)
    ids = set(body.replacement_ids)
    known = Replacement.objects.filter(source__source_import=source_import, pk__in=ids).count()
    if known != len(ids):
        raise ServiceError("No such replacement in this import", field="replacement_ids")
    kept = source_services.keep_original_words(
        by=actor(request), source_import=source_import, replacement_ids=ids
    )
    return {"kept": kept}


@router.post(
    "/projects/{project_id}/imports/{import_id}/release", response={200: ImportOut, **ERRORS}
)
def release(request: HttpRequest, project_id: int, import_id: int) -> Import:
    """Let coders see the reviewed sources. Their text never changes after this."""
    source_import = _import(_project(request, project_id, Right.LEAD), import_id)
    return source_services.release(by=actor(request), source_import=source_import)


# Survey and feedback exports


def _datasets(request: HttpRequest, project: Project) -> "QuerySet[Dataset]":
    datasets = project.datasets.all()
    if not _is_lead(request, project):
        datasets = datasets.filter(source_import__status=Import.Status.RELEASED)
    return datasets


@router.get("/projects/{project_id}/datasets", response={200: list[DatasetOut], **ERRORS})
@paginate(Pages)
def list_datasets(request: HttpRequest, project_id: int):  # type: ignore[no-untyped-def]
    project = _project(request, project_id)
    return (
        _datasets(request, project)
        .select_related("source_import")
        .prefetch_related("attributes")
        .annotate(rows=Count("responses"))
        .order_by("name", "pk")
    )


def _my_codes(request: HttpRequest, project: Project) -> "QuerySet[Segment]":
    """The caller's own coding, still drawn from what they may see."""
    user = actor(request)
    return coding.visible_segments(user, project).filter(coder=user, layer=Layer.CODER)


def _with_my_codes(
    request: HttpRequest, project: Project, responses: "QuerySet[Source]"
) -> "QuerySet[Source]":
    mine = _my_codes(request, project).only("pk", "source_id", "code_id")
    return responses.prefetch_related(Prefetch("segments", queryset=mine, to_attr="my_segments"))


@router.get(
    "/projects/{project_id}/datasets/{dataset_id}/responses",
    response={200: list[ResponseOut], **ERRORS},
)
@paginate(Pages)
def list_responses(  # type: ignore[no-untyped-def]
    request: HttpRequest, project_id: int, dataset_id: int, uncoded: bool = False
):
    """Responses in row order, each with the codes the caller gave it; uncoded=true for those
    the caller has not coded yet."""
    project = _project(request, project_id)
    dataset = get_object_or_404(_datasets(request, project), pk=dataset_id)
    responses = Source.objects.responses().filter(project=project, dataset=dataset)
    if uncoded:
        responses = responses.exclude(pk__in=_my_codes(request, project).values("source_id"))
    return _with_my_codes(request, project, responses.defer("original_text", "turns")).order_by(
        "row", "pk"
    )


@router.post(
    "/projects/{project_id}/responses/{response_id}/code", response={200: ResponseOut, **ERRORS}
)
def code_response(
    request: HttpRequest, project_id: int, response_id: int, body: ResponseCodeIn
) -> Source:
    """Code a whole response with one code, or, if the caller already has, take it off."""
    project = _project(request, project_id, Right.CODE)
    response = get_object_or_404(
        Source.objects.visible().responses().select_related("source_import"),
        project=project,
        pk=response_id,
    )
    code = project.codes.filter(pk=body.code_id).first()
    if code is None:
        raise ServiceError("Choose a code from this project's codebook", field="code_id")
    with _fields(code="code_id"):
        coding.code_response(by=actor(request), source=response, code=code)
    return _with_my_codes(request, project, Source.objects.filter(pk=response.pk)).get()


# The codebook, read only here


@router.get("/projects/{project_id}/codes", response={200: list[CodeOut], **ERRORS})
def list_codes(request: HttpRequest, project_id: int) -> list[Code]:
    """The whole codebook as a flat list in tree order: each code is followed by its children,
    with `depth` and `parent_id` to rebuild the tree. Retired codes are included and marked."""
    project = _project(request, project_id)
    codes = list(project.codes.order_by("position", "name", "pk"))
    children: dict[int | None, list[Code]] = defaultdict(list)
    for code in codes:
        children[code.parent_id].append(code)
    ordered: list[Code] = []
    seen: set[int] = set()
    stack = [(code, 0) for code in reversed(children[None])]
    while stack:
        code, depth = stack.pop()
        if code.pk in seen:
            continue
        seen.add(code.pk)
        code.depth = depth  # type: ignore[attr-defined]
        ordered.append(code)
        stack.extend((child, depth + 1) for child in reversed(children[code.pk]))
    # A code whose parent could not be reached still belongs in the list.
    ordered += [code for code in codes if code.pk not in seen]
    return ordered


# Coding


def _segments(request: HttpRequest, project: Project) -> "QuerySet[Segment]":
    return (
        coding.visible_segments(actor(request), project)
        .select_related("coder")
        .annotate(quote=Substr("source__text", F("start") + 1, F("end") - F("start")))
    )


@router.get("/projects/{project_id}/segments", response={200: list[SegmentOut], **ERRORS})
@paginate(Pages)
def list_segments(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    project_id: int,
    source: int | None = None,
    code: int | None = None,
    coder: int | None = None,
    layer: LayerName | None = None,
):
    """Coded text as the caller may see it: in blind coding a coder sees only their own coding
    and the agreed (consensus) coding until the lead analyst opens the comparison."""
    project = _project(request, project_id)
    segments = _segments(request, project)
    if source is not None:
        segments = segments.filter(source_id=source)
    if code is not None:
        segments = segments.filter(code_id=code)
    if coder is not None:
        segments = segments.filter(coder_id=coder)
    if layer:
        segments = segments.filter(layer=layer)
    return segments.order_by("source_id", "start", "end", "pk")


@router.post(
    "/projects/{project_id}/segments",
    response={200: list[SegmentOut], 201: list[SegmentOut], **ERRORS},
)
def code_text(request: HttpRequest, project_id: int, body: SegmentIn) -> Status[Any]:
    """Apply codes to characters start to end of a released source. Answers 201 with the
    caller's coding of that text, or 200 if it was all there already."""
    project = _project(request, project_id, Right.CODE)
    user = actor(request)
    source = (
        _sources(request, project).select_related("source_import").filter(pk=body.source_id)
    ).first()
    if source is None:
        raise ServiceError("No such source in this project", field="source_id")
    codes = list(project.codes.filter(pk__in=body.code_ids))
    if len(codes) != len(set(body.code_ids)):
        raise ServiceError("Choose codes from this project's codebook", field="code_ids")
    with _fields(code="code_ids"):
        made = coding.apply_codes(
            by=user, source=source, codes=codes, start=body.start, end=body.end
        )
    coded = _segments(request, project).filter(
        source=source, coder=user, layer=Layer.CODER, start=body.start, end=body.end
    )
    return Status(201 if made else 200, list(coded.filter(code__in=codes).order_by("code_id")))


@router.delete("/projects/{project_id}/segments/{segment_id}", response={204: None, **ERRORS})
def remove_segment(request: HttpRequest, project_id: int, segment_id: int) -> Status[None]:
    """Coders remove their own coding; the lead analyst anyone's."""
    project = _project(request, project_id, Right.CODE)
    segment = get_object_or_404(
        coding.visible_segments(actor(request), project).select_related("project"),
        pk=segment_id,
    )
    coding.remove_segment(by=actor(request), segment=segment)
    return Status(204, None)


# Memos


@router.get("/projects/{project_id}/memos", response={200: list[MemoOut], **ERRORS})
@paginate(Pages)
def list_memos(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    project_id: int,
    source: int | None = None,
    code: int | None = None,
    segment: int | None = None,
):
    """Memos the caller may read: in blind coding a coder reads their own, and the lead's on
    the project and on codes."""
    project = _project(request, project_id)
    memos = coding.visible_memos(actor(request), project).select_related("author")
    if source is not None:
        memos = memos.filter(source_id=source)
    if code is not None:
        memos = memos.filter(code_id=code)
    if segment is not None:
        memos = memos.filter(segment_id=segment)
    return memos.order_by("created_at", "pk")


@router.post("/projects/{project_id}/memos", response={201: MemoOut, **ERRORS})
def add_memo(request: HttpRequest, project_id: int, body: MemoIn) -> Status[Memo]:
    """A memo on the project, or on a source, a code or a coded segment."""
    project = _project(request, project_id, Right.CODE)
    user = actor(request)

    def one(rows: "QuerySet[Any]", pk: int | None, field: str, what: str) -> Any:
        if pk is None:
            return None
        found = rows.filter(pk=pk).first()
        if found is None:
            raise ServiceError(f"No such {what} in this project", field=field)
        return found

    memo = coding.add_memo(
        by=user,
        project=project,
        text=body.text,
        source=one(_sources(request, project), body.source_id, "source_id", "source"),
        code=one(project.codes.all(), body.code_id, "code_id", "code"),
        segment=one(
            coding.visible_segments(user, project), body.segment_id, "segment_id", "segment"
        ),
    )
    return Status(201, memo)


# Agreement and the consensus layer


def _figures(result: agreement.Agreement) -> dict[str, Any]:
    share = result.percent
    return {
        "characters": result.characters,
        "percent": None if share is None else share * 100,
        "kappa": result.kappa,
        "alpha": result.alpha,
        "coders": len(result.coders),
    }


def _by_code(project: Project, by_code: Any) -> list[dict[str, Any]]:
    codes = project.codes.in_bulk(list(by_code))
    ordered = sorted(
        (pk for pk in by_code if pk in codes), key=lambda pk: (codes[pk].position, codes[pk].name)
    )
    return [{"code_id": pk, "code_name": codes[pk].name, **_figures(by_code[pk])} for pk in ordered]


@router.get("/projects/{project_id}/agreement", response={200: ProjectAgreementOut, **ERRORS})
def project_agreement(request: HttpRequest, project_id: int) -> dict[str, Any]:
    """Agreement between coders, per code and overall, over every source two or more people
    coded. While coding is blind only the lead analyst may see it."""
    project = _project(request, project_id)
    _refuse_while_blind(request, project)
    pooled = coding.project_agreement(project)
    compared = (
        Source.objects.visible()
        .filter(project=project, segments__layer=Layer.CODER)
        .annotate(coders=Count("segments__coder", distinct=True))
        .filter(coders__gte=2)
        .order_by("name", "pk")
        .values("pk", "name", "coders")[:200]
    )
    return {
        "coding_is_blind": project.coding_is_blind,
        "overall": _figures(pooled.overall),
        "by_code": _by_code(project, pooled.by_code),
        "sources": [
            {"source_id": row["pk"], "name": row["name"], "coders": row["coders"]}
            for row in compared
        ],
    }


@router.get(
    "/projects/{project_id}/agreement/sources/{source_id}",
    response={200: SourceAgreementOut, **ERRORS},
)
def source_agreement(request: HttpRequest, project_id: int, source_id: int) -> dict[str, Any]:
    """Agreement on one source, and each stretch of text where coders differ on a code, with
    the decision taken on it if there is one. Lead analyst only while coding is blind."""
    project = _project(request, project_id)
    _refuse_while_blind(request, project)
    source = get_object_or_404(Source.objects.visible(), project=project, pk=source_id)
    result = coding.compare(source)
    return {
        "source_id": source.pk,
        "name": source.name,
        "coding_is_blind": project.coding_is_blind,
        "coders": [{"id": coder.pk, "name": name_of(coder)} for coder in result.coders],
        "overall": _figures(result.agreement.overall),
        "by_code": _by_code(project, result.agreement.by_code),
        "differences": [
            {
                "code_id": difference.code.pk,
                "code_name": difference.code.name,
                "start": difference.start,
                "end": difference.end,
                "text": source.text[difference.start : difference.end],
                "applied_by": sorted(difference.applied_by),
                "not_applied_by": sorted(difference.not_applied_by),
                "decision": difference.decision,
            }
            for difference in result.differences
        ],
    }


@router.post("/projects/{project_id}/comparison/open", response={200: ProjectOut, **ERRORS})
def open_comparison(request: HttpRequest, project_id: int) -> Project:
    """End blind coding: the team sees each other's coding and can agree. Cannot be undone."""
    project = _project(request, project_id, Right.LEAD)
    return coding.open_comparison(by=actor(request), project=project)


@router.post(
    "/projects/{project_id}/comparison/sources/{source_id}/decisions",
    response={201: DecisionOut, **ERRORS},
)
def decide(
    request: HttpRequest, project_id: int, source_id: int, body: DecisionIn
) -> Status[Decision]:
    """Record the team's decision on a stretch of text: agreed puts the code on it in the
    consensus layer, rejected takes it off. Lead analyst only, once the comparison is open."""
    project = _project(request, project_id, Right.LEAD)
    source = get_object_or_404(Source.objects.visible(), project=project, pk=source_id)
    code = project.codes.filter(pk=body.code_id).first()
    if code is None:
        raise ServiceError("Choose a code from this project's codebook", field="code_id")
    with _fields(code="code_id"):
        decision = coding.decide(
            by=actor(request),
            source=source,
            code=code,
            start=body.start,
            end=body.end,
            outcome=body.outcome,
            note=body.note,
        )
    return Status(201, decision)


@router.post(
    "/projects/{project_id}/comparison/sources/{source_id}/agree-unanimous",
    response={200: AgreedOut, **ERRORS},
)
def agree_unanimous(request: HttpRequest, project_id: int, source_id: int) -> dict[str, int]:
    """Put into the consensus layer the text every coder coded alike, so the team's time goes
    on the differences. Lead analyst only, once the comparison is open."""
    project = _project(request, project_id, Right.LEAD)
    source = get_object_or_404(Source.objects.visible(), project=project, pk=source_id)
    # Coders see the consensus layer, so agreeing while blind would show them where the others
    # coded as they did.
    if project.coding_is_blind:
        raise ServiceError("Open the comparison before the team agrees on coding")
    return {"made": coding.agree_where_unanimous(by=actor(request), source=source)}
