"""The codebook's pages: the tree of codes, each code with its definition and coded text, and
the lead analyst's changes (add, edit, move, order, merge, split, retire, restore, presets,
files in and out). Counts and coded text come only from what the user may see."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib import messages
from django.db.models import F, QuerySet
from django.db.models.functions import Least, Substr
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.text import slugify

from coproduce.analysis.forms_codebook import (
    COLOUR_NAMES,
    TOP_LEVEL,
    CodebookFileForm,
    CodeForm,
    MergeForm,
    MoveForm,
    PresetForm,
    SplitForm,
)
from coproduce.analysis.models import Code, Layer, Project, Segment
from coproduce.analysis.presets import PRESETS
from coproduce.analysis.services import codebook
from coproduce.analysis.services.coding import visible_memos, visible_segments
from coproduce.analysis.team import Right, may, on_project
from coproduce.core.errors import ServiceError
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.pagination import paginate

# Long passages are cut on the codebook's pages; the whole is on the source's own page.
EXTRACT_LENGTH = 600


def _code(project: Project, code_pk: int) -> Code:
    return get_object_or_404(
        Code.objects.select_related("parent", "merged_into"), project=project, pk=code_pk
    )


def _places(project: Project, leave_out: Iterable[int] = ()) -> list[tuple[int, str]]:
    """Codes in use, in tree order, by their full path: where a code can go."""
    skip = set(leave_out)
    names = codebook.paths(project)
    return [
        (node.code.pk, names[node.code.pk])
        for node in codebook.walk(codebook.current_tree(project))
        if node.code.pk not in skip
    ]


def _extracts(segments: "QuerySet[Segment]") -> "QuerySet[Segment]":
    """Segments with their text cut from the source in the database, so a long transcript is
    never loaded whole to show a few lines of it."""
    return (
        segments.select_related("coder")
        .annotate(
            source_name=F("source__name"),
            extract=Substr(
                "source__text", F("start") + 1, Least(F("end") - F("start"), EXTRACT_LENGTH)
            ),
        )
        .order_by("source__name", "source_id", "start", "end", "pk")
    )


def _coded_by(segment: Segment) -> str:
    if segment.layer == Layer.CONSENSUS:
        return "The team (agreed)"
    if segment.coder is not None:
        return segment.coder.get_full_name() or str(segment.coder)
    return segment.coder_label or "Unknown"


def _extract_label(segment: Any) -> str:
    shortened = "…" if segment.end - segment.start > EXTRACT_LENGTH else ""
    return f"“{segment.extract}{shortened}” ({segment.source_name}, coded by {_coded_by(segment)})"


def _page(
    request: AuthenticatedRequest,
    project: Project,
    template: str,
    title: str,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    return render(
        request,
        f"analysis/codebook/{template}",
        {"project": project, "title": title, **context},
        status=status,
    )


def _confirm(
    request: AuthenticatedRequest,
    project: Project,
    *,
    title: str,
    explanation: Sequence[str],
    submit_text: str | None,
    back_url: str,
    code: Code | None = None,
) -> HttpResponse:
    """The page a button posts from, for anyone who arrives by its address."""
    return _page(
        request,
        project,
        "confirm.jinja",
        title,
        explanation=explanation,
        submit_text=submit_text,
        back_url=back_url,
        code=code,
    )


def _posted(request: AuthenticatedRequest, *, files: bool = False) -> Any:
    """What the form is bound to: the POST (even an empty one, so that a form sent with
    nothing chosen says what is missing), or nothing on a GET."""
    if request.method != "POST":
        return (None, None) if files else None
    return (request.POST, request.FILES) if files else request.POST


def _detail_url(project: Project, code: Code) -> str:
    return reverse("analysis:code", kwargs={"project_pk": project.pk, "code_pk": code.pk})


def _codes_url(project: Project) -> str:
    return reverse("analysis:codes", kwargs={"project_pk": project.pk})


def _chosen_code(project: Project, value: str) -> Code | None:
    if value in (TOP_LEVEL, None):
        return None
    return get_object_or_404(Code, project=project, pk=int(value))


# Reading


@on_project(Right.VIEW)
def codes(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    counts = codebook.segment_counts(request.user, project)
    tree = codebook.current_tree(project, counts)
    retired = list(
        Code.objects.filter(project=project, retired=True)
        .select_related("merged_into")
        .order_by("name")
    )
    names = codebook.paths(project) if retired else {}
    return _page(
        request,
        project,
        "codes.jinja",
        "Codebook",
        tree=tree,
        retired=[(code, names[code.pk], counts.get(code.pk, 0)) for code in retired],
        total=sum(counts.values()),
        code_count=sum(1 for _ in codebook.walk(tree)),
        is_lead=may(request.user, project, Right.LEAD),
        colour_names=COLOUR_NAMES,
    )


@on_project(Right.VIEW)
def code_detail(request: AuthenticatedRequest, project: Project, code_pk: int) -> HttpResponse:
    code = _code(project, code_pk)
    segments = visible_segments(request.user, project).filter(code=code)
    paged = paginate(request, _extracts(segments))
    names = codebook.paths(project)
    return _page(
        request,
        project,
        "code.jinja",
        code.name,
        code=code,
        path=names[code.pk],
        parent_path=names[code.parent_id] if code.parent_id else None,
        extracts=paged,
        rows=[
            (segment, _coded_by(segment), segment.end - segment.start > EXTRACT_LENGTH)
            for segment in paged.items
        ],
        extract_count=paged.page.paginator.count,
        source_count=segments.values("source_id").distinct().count(),
        children=code.children.current().order_by("position", "name"),
        merged=code.merged.order_by("name"),
        memos=visible_memos(request.user, project)
        .filter(code=code)
        .select_related("author")
        .order_by("created_at"),
        is_lead=may(request.user, project, Right.LEAD),
        colour_name=COLOUR_NAMES.get(code.colour.lower()),
    )


# The lead's changes


def _definition(form: CodeForm) -> dict[str, str]:
    return {key: form.cleaned_data[key] for key in codebook.DEFINITION_FIELDS}


@on_project(Right.LEAD)
def code_add(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    places = _places(project)
    initial = {"colour": codebook.DEFAULT_COLOUR}
    wanted = request.GET.get("parent", "")
    if wanted.isdigit() and any(pk == int(wanted) for pk, _ in places):
        initial["parent"] = wanted
    form = CodeForm(_posted(request), places=places, initial=initial)
    if request.method == "POST":
        code = submit(
            form,
            lambda: codebook.add_code(
                by=request.user,
                project=project,
                parent=_chosen_code(project, form.cleaned_data["parent"]),
                **_definition(form),
            ),
        )
        if code is not None:
            messages.success(request, f"Code {code.name} added")
            return redirect(_detail_url(project, code))
    return _page(
        request,
        project,
        "form.jinja",
        "Add a code",
        form=form,
        fields=["name", "parent", "description", "inclusion", "exclusion", "examples", "colour"],
        submit_text="Add the code",
        back_url=_codes_url(project),
    )


@on_project(Right.LEAD)
def code_edit(request: AuthenticatedRequest, project: Project, code_pk: int) -> HttpResponse:
    code = _code(project, code_pk)
    form = CodeForm(
        _posted(request),
        current_colour=code.colour,
        initial={key: getattr(code, key) for key in codebook.DEFINITION_FIELDS},
    )
    changed = None
    if request.method == "POST":
        changed = submit(
            form, lambda: codebook.change_code(by=request.user, code=code, **_definition(form))
        )
    if changed is not None:
        messages.success(request, f"Code {code.name} saved")
        return redirect(_detail_url(project, code))
    return _page(
        request,
        project,
        "form.jinja",
        f"Change {code.name}",
        form=form,
        code=code,
        fields=["name", "description", "inclusion", "exclusion", "examples", "colour"],
        submit_text="Save the code",
        back_url=_detail_url(project, code),
    )


@on_project(Right.LEAD)
def code_move(request: AuthenticatedRequest, project: Project, code_pk: int) -> HttpResponse:
    code = _code(project, code_pk)
    places = _places(project, {code.pk, *codebook.descendants(code)})
    form = MoveForm(
        _posted(request), places=places, initial={"parent": code.parent_id or TOP_LEVEL}
    )
    moved = None
    if request.method == "POST":
        moved = submit(
            form,
            lambda: codebook.move_code(
                by=request.user,
                code=code,
                parent=_chosen_code(project, form.cleaned_data["parent"]),
            ),
        )
    if moved is not None:
        messages.success(request, f"Code {code.name} moved")
        return redirect(_detail_url(project, code))
    return _page(
        request,
        project,
        "form.jinja",
        f"Move {code.name}",
        form=form,
        code=code,
        fields=["parent"],
        submit_text="Move the code",
        back_url=_detail_url(project, code),
    )


def _order(request: AuthenticatedRequest, project: Project, parent: Code | None) -> HttpResponse:
    siblings = list(codebook.current_tree(project))
    if parent is not None:
        found = next((node for node in codebook.walk(siblings) if node.code.pk == parent.pk), None)
        siblings = found.children if found else []
    order = [node.code.pk for node in siblings]
    back_url = _detail_url(project, parent) if parent else _codes_url(project)
    if request.method == "POST":
        for direction, step in (("up", -1), ("down", 1)):
            value = request.POST.get(direction, "")
            if value.isdigit() and int(value) in order:
                at = order.index(int(value))
                to = at + step
                if 0 <= to < len(order):
                    order[at], order[to] = order[to], order[at]
                    try:
                        codebook.reorder_codes(
                            by=request.user, project=project, parent=parent, order=order
                        )
                    except ServiceError as error:
                        messages.error(request, error.message)
        return redirect(request.path)
    where = f"inside {parent.name}" if parent else "at the top level"
    return _page(
        request,
        project,
        "order.jinja",
        f"Order the codes {where}",
        nodes=siblings,
        parent=parent,
        back_url=back_url,
    )


@on_project(Right.LEAD)
def codes_order(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    return _order(request, project, None)


@on_project(Right.LEAD)
def code_order(request: AuthenticatedRequest, project: Project, code_pk: int) -> HttpResponse:
    return _order(request, project, _code(project, code_pk))


@on_project(Right.LEAD)
def code_merge(request: AuthenticatedRequest, project: Project, code_pk: int) -> HttpResponse:
    code = _code(project, code_pk)
    targets = _places(project, {code.pk, *codebook.descendants(code)})
    form = MergeForm(_posted(request), targets=targets)
    if request.method == "POST" and form.is_valid():
        target = _chosen_code(project, form.cleaned_data["target"])
        assert target is not None  # the choices are codes, and the field is required
        merged = submit(
            form, lambda: codebook.merge_codes(by=request.user, source=code, target=target)
        )
        if merged is not None:
            messages.success(
                request,
                f"{code.name} merged into {target.name}: {merged.moved:,} coded extracts moved"
                + (f", {merged.dropped:,} were already there" if merged.dropped else ""),
            )
            return redirect(_detail_url(project, target))
    return _page(
        request,
        project,
        "merge.jinja",
        f"Merge {code.name} into another code",
        form=form,
        code=code,
        back_url=_detail_url(project, code),
    )


def _checkbox_items(form: SplitForm) -> list[dict[str, Any]]:
    field = form["segments"]
    chosen = {str(value) for value in field.value() or []}
    return [
        {"value": str(value), "text": str(text), "checked": str(value) in chosen}
        for value, text in form.fields["segments"].choices  # type: ignore[attr-defined]
    ]


@on_project(Right.LEAD)
def code_split(request: AuthenticatedRequest, project: Project, code_pk: int) -> HttpResponse:
    code = _code(project, code_pk)
    segments = _extracts(visible_segments(request.user, project).filter(code=code))
    paged = paginate(request, segments, per_page=50)
    shown = list(paged.items)
    posted = [int(pk) for pk in request.POST.getlist("segments") if pk.isdigit()]
    chosen = [segment for segment in segments.filter(pk__in=posted) if segment not in shown]
    form = SplitForm(
        _posted(request),
        code_name=code.name,
        extracts=[(segment.pk, _extract_label(segment)) for segment in [*chosen, *shown]],
    )
    if request.method == "POST":
        made = submit(
            form,
            lambda: codebook.split_code(
                by=request.user,
                code=code,
                parts=[
                    codebook.SplitPart(
                        name=form.cleaned_data["name"],
                        description=form.cleaned_data["description"],
                        segment_ids=form.cleaned_data["segments"],
                    )
                ],
                inside=form.cleaned_data["place"] == "inside",
            ),
        )
        if made:
            messages.success(
                request,
                f"New code {made[0].name} made from {len(form.cleaned_data['segments']):,} "
                f"coded extracts of {code.name}",
            )
            return redirect(_detail_url(project, made[0]))
    return _page(
        request,
        project,
        "split.jinja",
        f"Split {code.name}",
        form=form,
        code=code,
        extracts=paged,
        segment_items=_checkbox_items(form),
        back_url=_detail_url(project, code),
    )


@on_project(Right.LEAD)
def code_retire(request: AuthenticatedRequest, project: Project, code_pk: int) -> HttpResponse:
    code = _code(project, code_pk)
    back_url = _detail_url(project, code)
    if code.retired:
        return _confirm(
            request,
            project,
            title=f"{code.name} is retired",
            explanation=["It is not offered for coding. Its coded text is kept."],
            submit_text=None,
            back_url=back_url,
            code=code,
        )
    if request.method == "POST":
        try:
            count = codebook.retire_code(by=request.user, code=code)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            also = f" and {count - 1} codes inside it" if count > 1 else ""
            messages.success(request, f"{code.name}{also} retired. The coded text is kept")
        return redirect(back_url)
    inside = Code.objects.filter(pk__in=codebook.descendants(code), retired=False).count()
    return _confirm(
        request,
        project,
        title=f"Retire {code.name}",
        explanation=[
            "A retired code is no longer offered for coding. Everything already coded with it "
            "is kept, and you can restore it at any time.",
            *(
                [f"The {inside} codes inside it are retired with it."]
                if inside > 1
                else ["The code inside it is retired with it."]
                if inside == 1
                else []
            ),
        ],
        submit_text="Retire the code",
        back_url=back_url,
        code=code,
    )


@on_project(Right.LEAD)
def code_restore(request: AuthenticatedRequest, project: Project, code_pk: int) -> HttpResponse:
    code = _code(project, code_pk)
    back_url = _detail_url(project, code)
    if not code.retired:
        return _confirm(
            request,
            project,
            title=f"{code.name} is in use",
            explanation=["It is offered for coding already: there is nothing to restore."],
            submit_text=None,
            back_url=back_url,
            code=code,
        )
    if request.method == "POST":
        try:
            count = codebook.restore_code(by=request.user, code=code)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            also = f" and {count - 1} codes inside it" if count > 1 else ""
            messages.success(request, f"{code.name}{also} restored for coding")
        return redirect(back_url)
    if code.merged_into is not None:
        explanation = [
            f"{code.name} was merged into {code.merged_into.name}, which now holds all its "
            "coded text, so it cannot be restored. Add a new code if you need it again."
        ]
        submit_text = None
    else:
        explanation = [
            "It will be offered for coding again, with the retired codes inside it that were "
            "not merged away."
        ]
        submit_text = "Restore the code"
    return _confirm(
        request,
        project,
        title=f"Restore {code.name}",
        explanation=explanation,
        submit_text=submit_text,
        back_url=back_url,
        code=code,
    )


@on_project(Right.LEAD)
def codes_preset(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    form = PresetForm(_posted(request))
    if request.method == "POST":
        result = submit(
            form,
            lambda: codebook.add_preset(
                by=request.user, project=project, preset=form.cleaned_data["preset"]
            ),
        )
        if result is not None:
            messages.success(
                request, f"{PRESETS[form.cleaned_data['preset']].name}: {result.message}"
            )
            return redirect(_codes_url(project))
    return _page(
        request,
        project,
        "presets.jinja",
        "Add a ready-made codebook",
        form=form,
        presets=PRESETS.values(),
        back_url=_codes_url(project),
    )


@on_project(Right.LEAD)
def codes_import(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    form = CodebookFileForm(*_posted(request, files=True))
    if request.method == "POST":

        def read() -> codebook.Added:
            upload = form.cleaned_data["file"]
            if upload.size > codebook.MAX_FILE_BYTES:
                # Refused before it is read into memory.
                raise ServiceError(
                    f"The file is larger than {codebook.MAX_FILE_BYTES // (1024 * 1024)} MB, "
                    "which is far more than any codebook. Check that you chose the right file",
                    field="file",
                )
            return codebook.import_file(
                by=request.user, project=project, name=upload.name or "", data=upload.read()
            )

        result = submit(form, read)
        if result is not None:
            return _page(
                request,
                project,
                "imported.jinja",
                "Codebook imported",
                result=result,
                back_url=_codes_url(project),
            )
    return _page(
        request,
        project,
        "import.jinja",
        "Import a codebook",
        form=form,
        back_url=_codes_url(project),
    )


def _download(project: Project, data: bytes, suffix: str, content_type: str) -> HttpResponse:
    name = f"{slugify(project.name) or 'project'}-codebook.{suffix}"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@on_project(Right.VIEW)
def codes_export_csv(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    return _download(project, codebook.export_csv(project), "csv", "text/csv; charset=utf-8")


@on_project(Right.VIEW)
def codes_export_qdc(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    try:
        data = codebook.export_qdc(project)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(_codes_url(project))
    return _download(project, data, "qdc", "application/xml")


CODE = "<int:project_pk>/codes/<int:code_pk>/"

urlpatterns = [
    path("<int:project_pk>/codes/", codes, name="codes"),
    path("<int:project_pk>/codes/add/", code_add, name="code_add"),
    path("<int:project_pk>/codes/order/", codes_order, name="codes_order"),
    path("<int:project_pk>/codes/presets/", codes_preset, name="codes_preset"),
    path("<int:project_pk>/codes/import/", codes_import, name="codes_import"),
    path("<int:project_pk>/codes/codebook.csv", codes_export_csv, name="codes_export_csv"),
    path("<int:project_pk>/codes/codebook.qdc", codes_export_qdc, name="codes_export_qdc"),
    path(CODE, code_detail, name="code"),
    path(f"{CODE}edit/", code_edit, name="code_edit"),
    path(f"{CODE}move/", code_move, name="code_move"),
    path(f"{CODE}order/", code_order, name="code_order"),
    path(f"{CODE}merge/", code_merge, name="code_merge"),
    path(f"{CODE}split/", code_split, name="code_split"),
    path(f"{CODE}retire/", code_retire, name="code_retire"),
    path(f"{CODE}restore/", code_restore, name="code_restore"),
]
