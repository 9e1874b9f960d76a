"""Reading and coding a source, coding survey responses from a paged list, and memos."""

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from coproduce.analysis import presenters, team
from coproduce.analysis.forms import ApplyCodesForm, MemoForm
from coproduce.analysis.models import Code, Dataset, Import, Layer, Project, Segment, Source
from coproduce.analysis.services import coding
from coproduce.analysis.team import Right, on_project
from coproduce.core.errors import ServiceError
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.pagination import paginate

# Codes 1 to 9 of the codebook are applied with the number keys.
SHORTCUTS = 9


def _source(project: Project, source_pk: int) -> Source:
    return get_object_or_404(
        Source.objects.visible().select_related("source_import", "case"),
        project=project,
        pk=source_pk,
    )


def _codes(project: Project) -> "QuerySet[Code]":
    return project.codes.current().order_by("position", "name")


@on_project(Right.VIEW)
def source_detail(request: AuthenticatedRequest, project: Project, source_pk: int) -> HttpResponse:
    source = _source(project, source_pk)
    may_code = team.may(request.user, project, Right.CODE)
    codes = list(_codes(project))
    form = ApplyCodesForm(
        request.POST or None,
        codes=_codes(project),
        initial={"start": request.GET.get("start"), "end": request.GET.get("end")},
    )
    if request.method == "POST":
        if not may_code:
            messages.error(request, "Viewers cannot code")
            return redirect("analysis:source", project_pk=project.pk, source_pk=source.pk)

        def apply() -> list[Segment]:
            made = coding.apply_codes(
                by=request.user,
                source=source,
                codes=form.cleaned_data["codes"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
            if form.cleaned_data["memo"] and made:
                coding.add_memo(
                    by=request.user,
                    project=project,
                    segment=made[0],
                    text=form.cleaned_data["memo"],
                )
            return made

        made = submit(form, apply)
        if made is not None:
            names = ", ".join(segment.code.name for segment in made) or "Nothing new"
            messages.success(request, f"Coded: {names}")
            passage = request.POST.get("passage", "")
            anchor = f"#p{passage}" if passage.isdigit() else ""
            return redirect(f"/analysis/{project.pk}/sources/{source.pk}/{anchor}")
    segments = list(
        coding.visible_segments(request.user, project)
        .filter(source=source)
        .select_related("code", "coder")
        .prefetch_related(
            Prefetch(
                "memos",
                queryset=coding.visible_memos(request.user, project).select_related("author"),
            )
        )
        .order_by("start", "end")
    )
    return render(
        request,
        "analysis/coding/source.jinja",
        {
            "title": source.name,
            "project": project,
            "source": source,
            # Coders see their own coding drawn on the text; viewers see everything they may.
            "passages": presenters.passages(
                source.text,
                [
                    segment
                    for segment in segments
                    if not may_code
                    or (segment.layer == Layer.CODER and segment.coder_id == request.user.pk)
                ],
                code_of=lambda segment: segment.code,
            ),
            "segments": segments,
            "codes": codes,
            "shortcuts": SHORTCUTS,
            "form": form if may_code else None,
            "memo_form": MemoForm(),
            "memos": coding.visible_memos(request.user, project)
            .filter(source=source, segment__isnull=True)
            .select_related("author"),
            "may_code": may_code,
            "is_lead": team.may(request.user, project, Right.LEAD),
            "user_id": request.user.pk,
            "blind": project.coding_is_blind,
            "column": "full",
        },
    )


@on_project(Right.CODE)
def source_memo(request: AuthenticatedRequest, project: Project, source_pk: int) -> HttpResponse:
    source = _source(project, source_pk)
    form = MemoForm(request.POST or None)
    if request.method == "POST":
        memo = submit(
            form,
            lambda: coding.add_memo(
                by=request.user, project=project, source=source, text=form.cleaned_data["text"]
            ),
        )
        if memo:
            messages.success(request, "Memo added")
            return redirect("analysis:source", project_pk=project.pk, source_pk=source.pk)
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": f"Add a memo to {source.name}",
            "caption": project.name,
            "form": form,
            "fields": ["text"],
            "submit": "Add the memo",
            "back_url": f"/analysis/{project.pk}/sources/{source.pk}/",
        },
    )


@on_project(Right.CODE)
def segment_remove(
    request: AuthenticatedRequest, project: Project, segment_pk: int
) -> HttpResponse:
    segment = get_object_or_404(
        coding.visible_segments(request.user, project).select_related("code", "source"),
        pk=segment_pk,
    )
    back = f"/analysis/{project.pk}/sources/{segment.source_id}/"
    if request.method != "POST":
        return render(
            request,
            "core/confirm.jinja",
            {
                "title": f"Remove the code {segment.code.name} from this passage",
                "caption": segment.source.name,
                "explanation": f"“{segment.source.text[segment.start : segment.end][:300]}”",
                "submit": "Remove the code",
                "fields": [],
                "back_url": back,
            },
        )
    try:
        coding.remove_segment(by=request.user, segment=segment)
        messages.success(request, f"Removed {segment.code.name} from the passage")
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(back)


@on_project(Right.VIEW)
def dataset_detail(
    request: AuthenticatedRequest, project: Project, dataset_pk: int
) -> HttpResponse:
    """Responses one page at a time, each coded whole with one key (or one button)."""
    dataset = get_object_or_404(
        Dataset.objects.select_related("source_import"), project=project, pk=dataset_pk
    )
    # A dataset's rows all come from its one import, so whether coders may see them is decided
    # here once instead of joining every row to its import: with a million rows, counting them
    # and finding a page then use the index on (dataset, row) alone.
    released = (
        dataset.source_import is not None and dataset.source_import.status == Import.Status.RELEASED
    )
    responses = Source.objects.filter(dataset=dataset) if released else Source.objects.none()
    responses = responses.order_by("row")
    uncoded = request.GET.get("show") == "uncoded"
    if uncoded:
        responses = responses.exclude(segments__coder=request.user)
    page = paginate(request, responses, per_page=20)
    mine: dict[int, set[int]] = {}
    for source_id, code_id in (
        coding.visible_segments(request.user, project)
        .filter(source__in=[source.pk for source in page.items], layer=Layer.CODER)
        .values_list("source_id", "code_id")
    ):
        mine.setdefault(source_id, set()).add(code_id)
    attributes = list(dataset.attributes.order_by("name"))
    return render(
        request,
        "analysis/coding/dataset.jinja",
        {
            "title": dataset.name,
            "project": project,
            "dataset": dataset,
            "responses": page,
            "coded": mine,
            "attributes": attributes,
            "codes": list(_codes(project)),
            "shortcuts": SHORTCUTS,
            "may_code": team.may(request.user, project, Right.CODE),
            "uncoded": uncoded,
            "column": "full",
        },
    )


@on_project(Right.CODE)
def response_code(
    request: AuthenticatedRequest, project: Project, response_pk: int
) -> HttpResponse:
    """Code a whole response with one code, or take it off again."""
    response = get_object_or_404(
        Source.objects.visible().responses().select_related("source_import"),
        project=project,
        pk=response_pk,
    )
    back = request.POST.get("next") or f"/analysis/{project.pk}/datasets/{response.dataset_id}/"
    if not back.startswith(f"/analysis/{project.pk}/"):
        back = f"/analysis/{project.pk}/datasets/{response.dataset_id}/"
    if request.method != "POST":
        return render(
            request,
            "analysis/coding/response.jinja",
            {
                "title": response.name,
                "project": project,
                "response": response,
                "codes": list(_codes(project)),
                "back_url": back,
            },
        )
    code = (
        _codes(project).filter(pk=request.POST.get("code", "")).first()
        if request.POST.get("code", "").isdigit()
        else None
    )
    if code is None:
        messages.error(request, "Choose a code from the codebook")
        return redirect(back)
    try:
        made = coding.code_response(by=request.user, source=response, code=code)
        messages.success(
            request, f"Row {response.row}: {'coded' if made else 'removed'} {code.name}"
        )
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(f"{back}#r{response.pk}")


urlpatterns = [
    path("<int:project_pk>/sources/<int:source_pk>/", source_detail, name="source"),
    path("<int:project_pk>/sources/<int:source_pk>/memo/", source_memo, name="source_memo"),
    path(
        "<int:project_pk>/segments/<int:segment_pk>/remove/", segment_remove, name="segment_remove"
    ),
    path("<int:project_pk>/datasets/<int:dataset_pk>/", dataset_detail, name="dataset"),
    path("<int:project_pk>/responses/<int:response_pk>/code/", response_code, name="response_code"),
]
