"""Exchanging work with other qualitative-analysis tools through REFI-QDA: exporting the whole
project (QDPX) or its codebook (QDC), and importing projects and codebooks made elsewhere."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import content_disposition_header

from coproduce.analysis import team
from coproduce.analysis.models import Import, Project
from coproduce.analysis.services import codebook
from coproduce.analysis.services import exchange as services
from coproduce.analysis.team import Right, on_project
from coproduce.core.errors import ServiceError
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest

QDPX_TYPE = "application/vnd.refi-qda+zip"
QDC_TYPE = "application/xml"


class ExchangeImportForm(forms.Form):
    file = forms.FileField(
        label="Choose the file",
        help_text=(
            "A REFI-QDA project (.qdpx or .qde) or codebook (.qdc) exported from NVivo, "
            "ATLAS.ti, MAXQDA, QualCoder or another tool"
        ),
        error_messages={"required": "Select a file", "empty": "The file is empty"},
        widget=forms.ClearableFileInput(attrs={"accept": ".qdpx,.qde,.qdc"}),
    )
    texts_checked = forms.BooleanField(
        label="The texts in this file may be shown to the team as they are",
        help_text=(
            "Coproduce does not pseudonymise texts imported from other tools, because that "
            "would move the coded passages. Tick this once you have checked that the texts are "
            "already pseudonymised, or that nobody in them can be identified"
        ),
        required=False,
    )

    def __init__(self, *args: object, project: Project, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not project.pseudonymise:
            del self.fields["texts_checked"]


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@on_project(Right.VIEW)
def exchange(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    is_lead = team.may(request.user, project, Right.LEAD)
    return render(
        request,
        "analysis/exchange/exchange.jinja",
        {
            "title": "Import and export",
            "project": project,
            "is_lead": is_lead,
            "has_codes": project.codes.current().exists(),
            "imports": services.exchange_imports(project)[:20] if is_lead else [],
            "consensus_user": services.CONSENSUS_USER,
        },
    )


@on_project(Right.LEAD)
def exchange_export(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    try:
        data = services.export_project(by=request.user, project=project)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("analysis:exchange", project_pk=project.pk)
    return _download(data, services.download_name(project, "qdpx"), QDPX_TYPE)


@on_project(Right.VIEW)
def exchange_codebook(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    try:
        data = codebook.export_qdc(project)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("analysis:exchange", project_pk=project.pk)
    return _download(data, services.download_name(project, "qdc"), QDC_TYPE)


@on_project(Right.LEAD)
def exchange_import(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    form = ExchangeImportForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST":
        summary = submit(
            form,
            lambda: services.import_upload(
                by=request.user,
                project=project,
                upload=form.cleaned_data["file"],
                texts_checked=form.cleaned_data.get("texts_checked", False),
            ),
        )
        if summary is not None and summary.import_id is not None:
            messages.success(request, f"{summary.file_name} has been imported")
            return redirect(
                "analysis:exchange_result", project_pk=project.pk, import_pk=summary.import_id
            )
        if summary is not None:
            # A codebook brings in codes only, and no import of sources to come back to.
            return render(
                request,
                "analysis/exchange/result.jinja",
                {"title": "Codebook imported", "project": project, "summary": summary},
            )
    return render(
        request,
        "analysis/exchange/import.jinja",
        {
            "title": "Import from another tool",
            "project": project,
            "form": form,
            "max_project_mb": settings.ANALYSIS_MAX_DATASET_BYTES // (1024 * 1024),
            "max_codebook_mb": settings.ANALYSIS_MAX_DOCUMENT_BYTES // (1024 * 1024),
        },
    )


@on_project(Right.LEAD)
def exchange_result(
    request: AuthenticatedRequest, project: Project, import_pk: int
) -> HttpResponse:
    source_import = get_object_or_404(Import, project=project, pk=import_pk)
    if source_import.options.get("format") not in services.PROJECT_FORMATS:
        # Files read by the sources page have their own page there.
        return render(
            request,
            "analysis/exchange/not_exchanged.jinja",
            {"title": str(source_import), "project": project, "item": source_import},
        )
    summary = services.summary_of(source_import)
    return render(
        request,
        "analysis/exchange/result.jinja",
        {
            "title": f"Imported {summary.file_name}",
            "project": project,
            "summary": summary,
            "item": source_import,
        },
    )


urlpatterns = [
    path("<int:project_pk>/exchange/", exchange, name="exchange"),
    path("<int:project_pk>/exchange/project.qdpx", exchange_export, name="exchange_export"),
    path("<int:project_pk>/exchange/codebook.qdc", exchange_codebook, name="exchange_codebook"),
    path("<int:project_pk>/exchange/import/", exchange_import, name="exchange_import"),
    path(
        "<int:project_pk>/exchange/imports/<int:import_pk>/",
        exchange_result,
        name="exchange_result",
    ),
]
