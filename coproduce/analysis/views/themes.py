"""Themes: the thematic map, and gathering codes into candidate themes that the lead reviews,
defines and names."""

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from coproduce.analysis import reports
from coproduce.analysis.forms_themes import MoveForm, ThemeCodesForm, ThemeForm, ThemeStatusForm
from coproduce.analysis.models import Code, Project, Theme
from coproduce.analysis.services import themes as services
from coproduce.analysis.team import Right, may, on_project
from coproduce.analysis.views.reports import choices
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest


def _theme(project: Project, theme_pk: int) -> Theme:
    return get_object_or_404(Theme, project=project, pk=theme_pk)


def _url(theme: Theme) -> str:
    return reverse("analysis:theme", kwargs={"project_pk": theme.project_id, "theme_pk": theme.pk})


@on_project(Right.VIEW)
def themes(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    chose = choices(request, project)
    thematic_map = reports.thematic_map(project, chose.segments)
    return render(
        request,
        "analysis/themes/map.jinja",
        {
            "project": project,
            "title": "Themes",
            "form": chose.form,
            "chose": chose,
            "map": thematic_map,
            "drawing": thematic_map.drawing,
            "can_lead": may(request.user, project, Right.LEAD),
        },
    )


@on_project(Right.LEAD)
def theme_add(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    form = ThemeForm(request.POST or None)
    if request.method == "POST":
        theme = submit(
            form,
            lambda: services.add_theme(
                by=request.user,
                project=project,
                name=form.cleaned_data["name"],
                definition=form.cleaned_data["definition"],
            ),
        )
        if theme:
            messages.success(request, f"{theme.name} has been added as a candidate theme")
            return redirect(_url(theme))
    return render(
        request,
        "analysis/themes/form.jinja",
        {
            "project": project,
            "title": "Add a candidate theme",
            "form": form,
            "submit": "Add the theme",
            "back_url": reverse("analysis:themes", kwargs={"project_pk": project.pk}),
        },
    )


@on_project(Right.VIEW)
def theme(request: AuthenticatedRequest, project: Project, theme_pk: int) -> HttpResponse:
    found = _theme(project, theme_pk)
    chose = choices(request, project)
    counts = reports.counts_by_code(chose.segments)
    rows = reports.branch(reports.code_tree(project), set(found.codes.values_list("pk", flat=True)))
    codes = [reports.MapCode(row.code, row.depth, counts.get(row.code.pk, 0)) for row in rows]
    return render(
        request,
        "analysis/themes/detail.jinja",
        {
            "project": project,
            "title": found.name,
            "theme": found,
            "codes": codes,
            "codes_tree": reports.nest(codes),
            "direct": set(found.codes.values_list("pk", flat=True)),
            "described_as": chose.described_as,
            "can_lead": may(request.user, project, Right.LEAD),
            "codes_form": ThemeCodesForm(codes=_addable(project, found)),
            "status_form": ThemeStatusForm(initial={"status": found.status}),
            "back_url": reverse("analysis:themes", kwargs={"project_pk": project.pk}),
        },
    )


def _addable(project: Project, theme: Theme) -> "QuerySet[Code]":
    """Codes not yet in the theme, counting child codes as in it with their parent."""
    covered = reports.branch(
        reports.code_tree(project), set(theme.codes.values_list("pk", flat=True))
    )
    return (
        Code.objects.filter(project=project)
        .exclude(pk__in=[row.code.pk for row in covered])
        .order_by("retired", "position", "name")
    )


@on_project(Right.LEAD)
def theme_edit(request: AuthenticatedRequest, project: Project, theme_pk: int) -> HttpResponse:
    found = _theme(project, theme_pk)
    form = ThemeForm(
        request.POST or None, initial={"name": found.name, "definition": found.definition}
    )
    if request.method == "POST":
        changed = submit(
            form,
            lambda: services.change_theme(
                by=request.user,
                theme=found,
                name=form.cleaned_data["name"],
                definition=form.cleaned_data["definition"],
            ),
        )
        if changed:
            messages.success(request, "The theme has been saved")
            return redirect(_url(changed))
    return render(
        request,
        "analysis/themes/form.jinja",
        {
            "project": project,
            "title": "Name and define the theme",
            "caption": found.name,
            "form": form,
            "submit": "Save the theme",
            "back_url": _url(found),
        },
    )


@on_project(Right.LEAD)
def theme_status(request: AuthenticatedRequest, project: Project, theme_pk: int) -> HttpResponse:
    found = _theme(project, theme_pk)
    form = ThemeStatusForm(request.POST or None, initial={"status": found.status})
    if request.method == "POST":
        moved = submit(
            form,
            lambda: services.set_status(
                by=request.user, theme=found, status=form.cleaned_data["status"]
            ),
        )
        if moved:
            messages.success(request, f"{moved.name} is now {moved.get_status_display().lower()}")
            return redirect(_url(moved))
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": "Where has this theme got to?",
            "caption": found.name,
            "form": form,
            "fields": ["status"],
            "submit": "Save",
            "back_url": _url(found),
        },
    )


@on_project(Right.LEAD)
def theme_codes_add(request: AuthenticatedRequest, project: Project, theme_pk: int) -> HttpResponse:
    found = _theme(project, theme_pk)
    form = ThemeCodesForm(request.POST or None, codes=_addable(project, found))
    if request.method == "POST":
        added = submit(
            form,
            lambda: services.add_codes(
                by=request.user, theme=found, codes=form.cleaned_data["codes"]
            ),
        )
        if added is not None and not form.errors:
            messages.success(request, f"{reports.plural(added, 'code')} added to {found.name}")
            return redirect(_url(found))
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": "Add codes to the theme",
            "caption": found.name,
            "form": form,
            "fields": ["codes"],
            "submit": "Add the codes",
            "back_url": _url(found),
        },
    )


@on_project(Right.LEAD)
def theme_code_remove(
    request: AuthenticatedRequest, project: Project, theme_pk: int, code_pk: int
) -> HttpResponse:
    found = _theme(project, theme_pk)
    code = get_object_or_404(found.codes.all(), pk=code_pk)
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and submit(
        form, lambda: services.remove_code(by=request.user, theme=found, code=code) or True
    ):
        messages.success(request, f"{code.name} has been taken out of {found.name}")
        return redirect(_url(found))
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": f"Take {code.name} out of this theme?",
            "caption": found.name,
            "explanation": "The code and everything coded with it stay in the codebook.",
            "form": form,
            "fields": [],
            "submit": "Take it out",
            "back_url": _url(found),
        },
    )


@on_project(Right.LEAD)
def theme_move(request: AuthenticatedRequest, project: Project, theme_pk: int) -> HttpResponse:
    found = _theme(project, theme_pk)
    form = MoveForm(request.POST or None)
    if request.method == "POST" and submit(
        form,
        lambda: bool(
            services.move_theme(
                by=request.user, theme=found, earlier=form.cleaned_data["direction"] == "earlier"
            )
        ),
    ):
        messages.success(request, f"{found.name} has been moved")
        return redirect("analysis:themes", project_pk=project.pk)
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": "Move the theme",
            "caption": found.name,
            "form": form,
            "fields": ["direction"],
            "submit": "Move it",
            "back_url": reverse("analysis:themes", kwargs={"project_pk": project.pk}),
        },
    )


@on_project(Right.LEAD)
def theme_delete(request: AuthenticatedRequest, project: Project, theme_pk: int) -> HttpResponse:
    found = _theme(project, theme_pk)
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and submit(
        form, lambda: services.delete_theme(by=request.user, theme=found) or True
    ):
        messages.success(request, f"The theme {found.name} has been deleted")
        return redirect("analysis:themes", project_pk=project.pk)
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": f"Delete the theme {found.name}?",
            "explanation": "Its codes and everything coded with them stay in the codebook.",
            "form": form,
            "fields": [],
            "submit": "Delete the theme",
            "back_url": _url(found),
        },
    )


urlpatterns = [
    path("<int:project_pk>/themes/", themes, name="themes"),
    path("<int:project_pk>/themes/new/", theme_add, name="theme_add"),
    path("<int:project_pk>/themes/<int:theme_pk>/", theme, name="theme"),
    path("<int:project_pk>/themes/<int:theme_pk>/edit/", theme_edit, name="theme_edit"),
    path("<int:project_pk>/themes/<int:theme_pk>/status/", theme_status, name="theme_status"),
    path("<int:project_pk>/themes/<int:theme_pk>/codes/", theme_codes_add, name="theme_codes_add"),
    path(
        "<int:project_pk>/themes/<int:theme_pk>/codes/<int:code_pk>/remove/",
        theme_code_remove,
        name="theme_code_remove",
    ),
    path("<int:project_pk>/themes/<int:theme_pk>/move/", theme_move, name="theme_move"),
    path("<int:project_pk>/themes/<int:theme_pk>/delete/", theme_delete, name="theme_delete"),
]
