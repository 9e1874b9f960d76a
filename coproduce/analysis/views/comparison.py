"""Comparing coders: agreement per code, per source and overall, each source's differences side
by side, and the decisions that build the consensus layer."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from coproduce.analysis import presenters, team
from coproduce.analysis.forms import DecisionForm
from coproduce.analysis.models import AgreementSummary, Layer, Project, Segment, Source
from coproduce.analysis.services import coding
from coproduce.analysis.team import Right, on_project
from coproduce.core.errors import ServiceError
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest


@on_project(Right.VIEW)
def comparison(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    """Agreement across the project. While coding is blind only the lead sees it."""
    is_lead = team.may(request.user, project, Right.LEAD)
    shown = is_lead or not project.coding_is_blind
    figures: dict[str, Any] | None = None
    summary = None
    if shown:
        if coding.agreement_is_large(project):
            summary = AgreementSummary.objects.filter(project=project).first()
            figures = summary.figures if summary and summary.worked_out_at else None
        else:
            figures = coding.summarise_agreement(project)
    by_code = None
    if figures:
        codes = project.codes.in_bulk([row["code"] for row in figures["by_code"]])
        by_code = sorted(
            ((codes[row["code"]], row) for row in figures["by_code"] if row["code"] in codes),
            key=lambda pair: (pair[0].position, pair[0].name),
        )
    return render(
        request,
        "analysis/comparison/overview.jinja",
        {
            "title": "Agreement between coders",
            "project": project,
            "is_lead": is_lead,
            "shown": shown,
            "figures": figures,
            "by_code": by_code,
            "summary": summary,
            "large": summary is not None or (shown and figures is None),
        },
    )


@on_project(Right.LEAD)
def comparison_open(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    if request.method != "POST":
        return render(
            request,
            "core/confirm.jinja",
            {
                "title": "Open the comparison",
                "caption": project.name,
                "explanation": (
                    "Coders will then see each other's coding, and the team can agree on each "
                    "difference. This ends blind coding for the project and cannot be undone."
                ),
                "submit": "Open the comparison",
                "fields": [],
                "back_url": f"/analysis/{project.pk}/comparison/",
            },
        )
    coding.open_comparison(by=request.user, project=project)
    messages.success(request, "The comparison is open: the team can now see each other's coding")
    return redirect("analysis:comparison", project_pk=project.pk)


@on_project(Right.VIEW)
def comparison_source(
    request: AuthenticatedRequest, project: Project, source_pk: int
) -> HttpResponse:
    """Each coder's coding of one source side by side, with every difference to settle."""
    source = get_object_or_404(Source.objects.visible(), project=project, pk=source_pk)
    if project.coding_is_blind and not team.may(request.user, project, Right.LEAD):
        return render(
            request,
            "analysis/comparison/blind.jinja",
            {"title": f"Compare coding of {source.name}", "project": project, "source": source},
        )
    result = coding.compare(source)
    codes = {difference.code.pk: difference.code for difference in result.differences}
    by_code = sorted(
        (
            (code, outcome)
            for code_pk, outcome in result.agreement.by_code.items()
            if (code := codes.get(code_pk) or project.codes.filter(pk=code_pk).first())
        ),
        key=lambda pair: pair[0].name,
    )
    consensus = list(
        Segment.objects.filter(source=source, layer=Layer.CONSENSUS)
        .select_related("code")
        .order_by("start")
    )
    by_coder: dict[int, list[Segment]] = {}
    for segment in Segment.objects.filter(source=source, layer=Layer.CODER).select_related("code"):
        by_coder.setdefault(segment.coder_id or 0, []).append(segment)
    columns = [
        (
            coder,
            presenters.passages(
                source.text, by_coder.get(coder.pk, []), code_of=lambda segment: segment.code
            ),
        )
        for coder in result.coders
    ]
    return render(
        request,
        "analysis/comparison/source.jinja",
        {
            "title": f"Compare coding of {source.name}",
            "project": project,
            "source": source,
            "result": result,
            "by_code": by_code,
            "consensus": consensus,
            "columns": columns,
            "may_decide": team.may(request.user, project, Right.LEAD)
            and not project.coding_is_blind,
            "is_lead": team.may(request.user, project, Right.LEAD),
            "column": "full",
        },
    )


@on_project(Right.LEAD)
def decide(request: AuthenticatedRequest, project: Project, source_pk: int) -> HttpResponse:
    source = get_object_or_404(Source.objects.visible(), project=project, pk=source_pk)
    back = f"/analysis/{project.pk}/comparison/{source.pk}/"
    if request.method != "POST":
        return render(
            request,
            "core/confirm.jinja",
            {
                "title": "Agree on what every coder coded alike",
                "caption": source.name,
                "explanation": (
                    "Text that every coder coded with the same code goes into the agreed coding, "
                    "so the team's time goes on the differences."
                ),
                "submit": "Agree where coders agree",
                "fields": [],
                "back_url": back,
            },
        )
    if "unanimous" in request.POST:
        try:
            made = coding.agree_where_unanimous(by=request.user, source=source)
            messages.success(request, f"{made} passages agreed where every coder agreed")
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect(back)
    form = DecisionForm(request.POST, codes=project.codes.all())
    decision = submit(
        form,
        lambda: coding.decide(
            by=request.user,
            source=source,
            code=form.cleaned_data["code"],
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        ),
    )
    if decision:
        messages.success(request, f"{decision.get_outcome_display()} ({decision.code.name})")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(f"{back}#d{request.POST.get('difference', '')}")


@on_project(Right.LEAD)
def comparison_refresh(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    """Work out a large project's agreement again, in the background."""
    if request.method != "POST":
        return render(
            request,
            "core/confirm.jinja",
            {
                "title": "Work out agreement again",
                "caption": project.name,
                "explanation": (
                    "Over a project this size it takes a few minutes. The figures on the page "
                    "change when it has finished."
                ),
                "submit": "Work it out again",
                "fields": [],
                "back_url": f"/analysis/{project.pk}/comparison/",
            },
        )
    coding.request_agreement(by=request.user, project=project)
    messages.success(request, "Agreement is being worked out: come back in a few minutes")
    return redirect("analysis:comparison", project_pk=project.pk)


urlpatterns = [
    path("<int:project_pk>/comparison/", comparison, name="comparison"),
    path("<int:project_pk>/comparison/open/", comparison_open, name="comparison_open"),
    path("<int:project_pk>/comparison/refresh/", comparison_refresh, name="comparison_refresh"),
    path(
        "<int:project_pk>/comparison/<int:source_pk>/", comparison_source, name="comparison_source"
    ),
    path("<int:project_pk>/comparison/<int:source_pk>/decide/", decide, name="decide"),
]
