"""Reports on a project's coding: quotes by theme, code frequencies by attribute and code
co-occurrence, each as a page and as a download, reading only the coding the user may see."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.text import slugify

from coproduce.accounts.models import User
from coproduce.analysis import reports
from coproduce.analysis.forms_themes import ReportForm
from coproduce.analysis.models import Attribute, Layer, Project, Segment, TeamRole, Theme
from coproduce.analysis.team import Right, may, on_project
from coproduce.core.http import AuthenticatedRequest


def coders_for(user: Any, project: Project) -> list[User]:
    """Whose coding the user may choose to see: in blind coding a coder sees only their own."""
    if project.coding_is_blind and not may(user, project, Right.LEAD):
        return [user]
    return list(
        User.objects.filter(
            analysis_teams__project=project,
            analysis_teams__role__in=[TeamRole.LEAD, TeamRole.CODER],
        ).order_by("first_name", "last_name", "username")
    )


@dataclass
class Choices:
    form: ReportForm
    chosen: dict[str, Any]
    segments: "QuerySet[Segment]"
    layer: str
    described_as: str
    query: str  # the choices as a query string, for download and paging links

    def link(self, **extra: Any) -> str:
        return "?" + "&".join(part for part in (self.query, urlencode(extra)) if part)


def choices(request: AuthenticatedRequest, project: Project, **fields: Any) -> Choices:
    data = request.GET.copy()
    data.setdefault("layer", Layer.CODER)
    coders = coders_for(request.user, project)
    form = ReportForm(data, coders=coders, **fields)
    chosen = form.chosen()
    layer = chosen.get("layer", Layer.CODER)
    coder = next((user for user in coders if user.pk == chosen.get("coder")), None)
    if layer != Layer.CODER:
        coder = None
    query = urlencode(
        sorted((key, value) for key, value in data.items() if key not in {"page", "download"})
    )
    return Choices(
        form=form,
        chosen=chosen,
        segments=reports.coding(request.user, project, layer, coder.pk if coder else None),
        layer=layer,
        described_as=reports.layer_description(layer, coder),
        query=query,
    )


def download(content: bytes, content_type: str, project: Project, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    filename = f"{slugify(project.name)[:60] or 'project'}-{name}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@on_project(Right.VIEW)
def index(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    return render(request, "analysis/reports/index.jinja", {"project": project, "title": "Reports"})


@on_project(Right.VIEW)
def quotes(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    chose = choices(request, project, themes=Theme.objects.filter(project=project))
    report = reports.QuotesByTheme(project, chose.segments, chose.chosen.get("theme"))
    wanted = request.GET.get("download")
    if wanted == "xlsx":
        return download(
            reports.quotes_xlsx(report, chose.described_as),
            reports.XLSX,
            project,
            "quotes-by-theme.xlsx",
        )
    if wanted == "docx":
        return download(
            reports.quotes_docx(report, chose.described_as),
            reports.DOCX,
            project,
            "quotes-by-theme.docx",
        )
    per_page = settings.PAGE_SIZE
    pages = max(1, -(-report.total // per_page))
    page = request.GET.get("page", "1")
    number = min(int(page), pages) if page.isdigit() and int(page) > 0 else 1
    start = (number - 1) * per_page
    stop = min(start + per_page, report.total)
    return render(
        request,
        "analysis/reports/quotes.jinja",
        {
            "project": project,
            "title": "Quotes by theme",
            "form": chose.form,
            "chose": chose,
            "report": report,
            "groups": report.page(start, stop),
            "summary": (
                f"Showing quotes {start + 1:,} to {stop:,} of {report.total:,}"
                if report.total
                else "No coded text in these themes"
            ),
            "previous_url": chose.link(page=number - 1) if number > 1 else None,
            "next_url": chose.link(page=number + 1) if number < pages else None,
            "export_limit": reports.QUOTE_EXPORT_LIMIT,
            "export_note": reports.export_note(report.total),
        },
    )


@on_project(Right.VIEW)
def frequencies(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    attributes = Attribute.objects.filter(project=project)
    chose = choices(request, project, attributes=attributes)
    attribute = chose.chosen.get("attribute") or attributes.first()
    table = (
        reports.code_frequencies(project, chose.segments, attribute)
        if attribute is not None
        else None
    )
    if table is not None and request.GET.get("download") == "xlsx":
        return download(
            reports.frequencies_xlsx(project, table, chose.described_as),
            reports.XLSX,
            project,
            f"code-frequencies-by-{slugify(table.attribute.name)[:40] or 'attribute'}.xlsx",
        )
    return render(
        request,
        "analysis/reports/frequencies.jinja",
        {
            "project": project,
            "title": "Code frequencies by attribute",
            "form": chose.form,
            "chose": chose,
            "table": table,
            "column_limit": reports.VALUE_COLUMN_LIMIT,
        },
    )


@on_project(Right.VIEW)
def co_occurrence(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    chose = choices(
        request, project, themes=Theme.objects.filter(project=project), all_themes="All codes"
    )
    theme = chose.chosen.get("theme")
    tree = reports.code_tree(project)
    if theme is not None:
        tree = reports.branch(tree, set(theme.codes.values_list("pk", flat=True)))
    result = reports.co_occurrence(
        chose.segments, [row.code for row in tree], same_coder=chose.layer == Layer.CODER
    )
    if request.GET.get("download") == "xlsx":
        return download(
            reports.co_occurrence_xlsx(project, result, chose.described_as),
            reports.XLSX,
            project,
            "code-co-occurrence.xlsx",
        )
    return render(
        request,
        "analysis/reports/co_occurrence.jinja",
        {
            "project": project,
            "title": "Code co-occurrence",
            "form": chose.form,
            "chose": chose,
            "result": result,
            "theme": theme,
            "matrix_limit": reports.MATRIX_LIMIT,
            "pair_limit": reports.PAIR_LIMIT,
            "seconds": f"{reports.CO_OCCURRENCE_SECONDS:g}",
            "stopped_note": reports.stopped_note(),
        },
    )


urlpatterns = [
    path("<int:project_pk>/reports/", index, name="reports"),
    path("<int:project_pk>/reports/quotes/", quotes, name="report_quotes"),
    path("<int:project_pk>/reports/frequencies/", frequencies, name="report_frequencies"),
    path("<int:project_pk>/reports/co-occurrence/", co_occurrence, name="report_co_occurrence"),
]
