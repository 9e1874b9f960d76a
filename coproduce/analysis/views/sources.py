"""A project's sources: the list, importing files, pasting text, and the lead's review of what
pseudonymisation replaced before coders see it."""

from django.contrib import messages
from django.db.models import Count, F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from coproduce.activities.models import Activity
from coproduce.analysis import team
from coproduce.analysis.forms import ImportForm, PasteForm, SendFromActivityForm
from coproduce.analysis.models import Import, Project, Replacement, Segment, Source, TeamRole
from coproduce.analysis.services import sources
from coproduce.analysis.team import Right, on_project
from coproduce.analysis.transcripts import ImportRefused
from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.errors import ServiceError
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.pagination import paginate


@on_project(Right.VIEW)
def source_list(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    # Documents are paged first and their coding counted for the rows shown only: counting
    # through a join for every source made the list take over a second at scale.
    documents = paginate(
        request,
        Source.objects.filter(project=project).visible().documents().order_by("name"),
    )
    coded = dict(
        Segment.objects.filter(
            source__in=[source.pk for source in documents.items], coder=request.user
        )
        .values("source_id")
        .annotate(total=Count("pk"))
        .values_list("source_id", "total")
    )
    for source in documents.items:
        source.coded = coded.get(source.pk, 0)
    # A dataset's rows are the rows its import wrote.
    datasets = project.datasets.filter(source_import__status=Import.Status.RELEASED).annotate(
        rows=F("source_import__rows_done")
    )
    is_lead = team.may(request.user, project, Right.LEAD)
    waiting = project.imports.exclude(status=Import.Status.RELEASED) if is_lead else None
    return render(
        request,
        "analysis/sources/list.jinja",
        {
            "title": "Sources",
            "project": project,
            "documents": documents,
            "datasets": datasets,
            "waiting": waiting,
            "is_lead": is_lead,
        },
    )


@on_project(Right.LEAD)
def source_import(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    form = ImportForm(
        request.POST or None, request.FILES or None, initial={"pseudonymise": project.pseudonymise}
    )
    if request.method == "POST":
        started = submit(
            form,
            lambda: sources.queue_import(
                by=request.user,
                project=project,
                upload=form.cleaned_data["file"],
                name=form.cleaned_data["name"],
                pseudonymise=form.cleaned_data["pseudonymise"],
                text_column=form.cleaned_data["text_column"],
                attribute_columns=form.columns(),
                sheet=form.cleaned_data["sheet"],
            ),
        )
        if started:
            return redirect("analysis:import", project_pk=project.pk, import_pk=started.pk)
    return render(
        request,
        "analysis/sources/import.jinja",
        {"title": "Import a file", "project": project, "form": form},
    )


@on_project(Right.LEAD)
def source_paste(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    form = PasteForm(request.POST or None, initial={"pseudonymise": project.pseudonymise})
    if request.method == "POST":

        def paste() -> Import:
            try:
                return sources.paste_text(
                    by=request.user,
                    project=project,
                    name=form.cleaned_data["name"],
                    text=form.cleaned_data["text"],
                    pseudonymise=form.cleaned_data["pseudonymise"],
                )
            except ImportRefused as refusal:
                raise ServiceError(refusal.message, field="text") from None

        pasted = submit(form, paste)
        if pasted:
            return redirect("analysis:import", project_pk=project.pk, import_pk=pasted.pk)
    return render(
        request,
        "analysis/sources/paste.jinja",
        {"title": "Paste text", "project": project, "form": form},
    )


@on_project(Right.LEAD)
def import_detail(request: AuthenticatedRequest, project: Project, import_pk: int) -> HttpResponse:
    """Progress while the file is read; then the replacements to review, and release."""
    source_import = get_object_or_404(Import, project=project, pk=import_pk)
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("keep") if value.isdigit()]
        try:
            kept = sources.keep_original_words(
                by=request.user, source_import=source_import, replacement_ids=ids
            )
            messages.success(request, f"{kept} replaced words will stay as they were written")
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect("analysis:import", project_pk=project.pk, import_pk=import_pk)
    running = source_import.status in {Import.Status.QUEUED, Import.Status.RUNNING}
    if request.headers.get("HX-Request") and request.GET.get("progress"):
        # The progress panel asks every few seconds; once the file is read, reload the page.
        if not running:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(
            request,
            "analysis/sources/_progress.jinja",
            {"project": project, "item": source_import},
        )
    replacements = Replacement.objects.filter(source__source_import=source_import).select_related(
        "source"
    )
    sources_ = source_import.sources.order_by("row", "name")
    document = sources_.first() if source_import.status == Import.Status.REVIEW else None
    return render(
        request,
        "analysis/sources/import_detail.jinja",
        {
            "title": str(source_import),
            "project": project,
            "item": source_import,
            "replacements": paginate(
                request, replacements.order_by("source__row", "source_id", "start")
            ),
            "by_kind": replacements.values("kind").annotate(total=Count("pk")).order_by("kind"),
            "document": document if sources_.count() == 1 else None,
            "sources": sources_ if source_import.status == Import.Status.RELEASED else None,
            "running": running,
        },
    )


@on_project(Right.LEAD)
def import_release(request: AuthenticatedRequest, project: Project, import_pk: int) -> HttpResponse:
    source_import = get_object_or_404(Import, project=project, pk=import_pk)
    if request.method != "POST":
        return render(
            request,
            "core/confirm.jinja",
            {
                "title": f"Release {source_import} to coders",
                "caption": project.name,
                "explanation": (
                    "Coders will see the text as it is now, with the placeholders you accepted. "
                    "After release the text cannot change, because coding points into it."
                    + ("" if project.keep_originals else " The original words will be deleted.")
                ),
                "submit": "Release to coders",
                "fields": [],
                "back_url": f"/analysis/{project.pk}/imports/{import_pk}/",
            },
        )
    try:
        sources.release(by=request.user, source_import=source_import)
        messages.success(request, f"{source_import} released to coders")
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("analysis:import", project_pk=project.pk, import_pk=import_pk)
    return redirect("analysis:sources", project_pk=project.pk)


@on_project(Right.LEAD)
def source_remove(request: AuthenticatedRequest, project: Project, source_pk: int) -> HttpResponse:
    source = get_object_or_404(Source, project=project, pk=source_pk)
    if request.method != "POST":
        return render(
            request,
            "core/confirm.jinja",
            {
                "title": f"Remove {source.name}",
                "caption": project.name,
                "explanation": (
                    f"Its text and all {source.segments.count()} coded passages and memos on it "
                    "will be deleted for everyone. This cannot be undone."
                ),
                "submit": "Remove the source",
                "fields": [],
                "back_url": f"/analysis/{project.pk}/sources/{source.pk}/",
            },
        )
    sources.remove_source(by=request.user, source=source)
    messages.success(request, f"{source.name} removed")
    return redirect("analysis:sources", project_pk=project.pk)


@access.requires(Permission.USE_ANALYSIS)
def send_from_activity(request: AuthenticatedRequest, activity_pk: int) -> HttpResponse:
    """A meeting's minutes and papers, sent into a project the user leads."""
    activity = access.get(
        request.user, Activity.objects.all(), Permission.VIEW_ACTIVITIES, pk=activity_pk
    )
    projects = team.projects_of(request.user).filter(
        organisation=activity.organisation_id,
        team__user=request.user,
        team__role=TeamRole.LEAD,
    )
    form = SendFromActivityForm(
        request.POST or None,
        projects=projects.order_by("name"),
        documents=activity.documents.order_by("title"),
        has_minutes=bool(activity.minutes.strip()),
    )
    if request.method == "POST":
        sent = submit(
            form,
            lambda: sources.send_from_activity(
                by=request.user,
                project=form.cleaned_data["project"],
                activity=activity,
                minutes=form.cleaned_data.get("minutes", False),
                documents=form.cleaned_data["documents"],
            ),
        )
        if sent:
            messages.success(request, f"Sent {len(sent)} to {form.cleaned_data['project'].name}")
            return redirect("analysis:sources", project_pk=form.cleaned_data["project"].pk)
    return render(
        request,
        "analysis/sources/send_from_activity.jinja",
        {
            "title": "Send to an analysis project",
            "activity": activity,
            "form": form,
            "has_projects": projects.exists(),
            "back_url": f"/activities/{activity.pk}/",
        },
    )


urlpatterns = [
    path("from-activity/<int:activity_pk>/", send_from_activity, name="send_from_activity"),
    path("<int:project_pk>/sources/", source_list, name="sources"),
    path("<int:project_pk>/sources/import/", source_import, name="source_import"),
    path("<int:project_pk>/sources/paste/", source_paste, name="source_paste"),
    path("<int:project_pk>/sources/<int:source_pk>/remove/", source_remove, name="source_remove"),
    path("<int:project_pk>/imports/<int:import_pk>/", import_detail, name="import"),
    path(
        "<int:project_pk>/imports/<int:import_pk>/release/", import_release, name="import_release"
    ),
]
