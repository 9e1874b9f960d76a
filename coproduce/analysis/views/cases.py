"""Cases and attributes: who or what the sources are about (a person, a site, a group), the
typed attributes that describe them, and which sources and responses belong to each case."""

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from coproduce.analysis.forms_themes import (
    AttributeForm,
    CaseForm,
    FindCasesForm,
    FindSourcesForm,
    LinkSourcesForm,
)
from coproduce.analysis.models import Attribute, Case, Project, Source
from coproduce.analysis.services import cases as services
from coproduce.analysis.team import Right, may, on_project
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.pagination import paginate


def _case(project: Project, case_pk: int) -> Case:
    return get_object_or_404(Case, project=project, pk=case_pk)


def _attribute(project: Project, attribute_pk: int) -> Attribute:
    return get_object_or_404(Attribute, project=project, pk=attribute_pk)


def _case_url(case: Case) -> str:
    return reverse("analysis:case", kwargs={"project_pk": case.project_id, "case_pk": case.pk})


def _attributes_url(project: Project) -> str:
    return reverse("analysis:attributes", kwargs={"project_pk": project.pk})


def _sources_seen(user: Any, project: Project) -> "QuerySet[Source]":
    """Sources still under pseudonymisation review are the lead's alone."""
    sources = Source.objects.filter(project=project)
    return sources if may(user, project, Right.LEAD) else sources.visible()


# Cases ---------------------------------------------------------------------------------


@on_project(Right.VIEW)
def cases(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    form = FindCasesForm(request.GET or None)
    found = Case.objects.filter(project=project).order_by("name", "pk")
    if form.is_valid() and form.cleaned_data["q"]:
        found = found.filter(name__icontains=form.cleaned_data["q"])
    page = paginate(request, found)
    sources = dict(
        _sources_seen(request.user, project)
        .filter(case__in=page.items)
        .order_by()
        .values("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    )
    attributes = list(Attribute.objects.filter(project=project))
    return render(
        request,
        "analysis/cases/list.jinja",
        {
            "project": project,
            "title": "Cases",
            "form": form,
            "cases": page,
            "rows": [
                (case, services.described(attributes, case.values), sources.get(case.pk, 0))
                for case in page.items
            ],
            "has_attributes": bool(attributes),
            "can_lead": may(request.user, project, Right.LEAD),
        },
    )


def _case_form(
    request: AuthenticatedRequest, project: Project, case: Case | None
) -> tuple[CaseForm, list[str]]:
    attributes = list(Attribute.objects.filter(project=project))
    form = CaseForm(request.POST or None, attributes=attributes, case=case)
    return form, [services.field_name(attribute) for attribute in attributes]


@on_project(Right.LEAD)
def case_add(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    form, attribute_fields = _case_form(request, project, None)
    if request.method == "POST":
        case = submit(
            form,
            lambda: services.add_case(
                by=request.user,
                project=project,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                values=form.values(),
            ),
        )
        if case:
            messages.success(request, f"The case {case.name} has been added")
            return redirect(_case_url(case))
    return render(
        request,
        "analysis/cases/form.jinja",
        {
            "project": project,
            "title": "Add a case",
            "form": form,
            "attribute_fields": attribute_fields,
            "submit": "Add the case",
            "back_url": reverse("analysis:cases", kwargs={"project_pk": project.pk}),
        },
    )


@on_project(Right.LEAD)
def case_edit(request: AuthenticatedRequest, project: Project, case_pk: int) -> HttpResponse:
    case = _case(project, case_pk)
    form, attribute_fields = _case_form(request, project, case)
    if request.method == "POST":
        changed = submit(
            form,
            lambda: services.change_case(
                by=request.user,
                case=case,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                values=form.values(),
            ),
        )
        if changed:
            messages.success(request, "The case has been saved")
            return redirect(_case_url(changed))
    return render(
        request,
        "analysis/cases/form.jinja",
        {
            "project": project,
            "title": "Change the case",
            "caption": case.name,
            "form": form,
            "attribute_fields": attribute_fields,
            "submit": "Save the case",
            "back_url": _case_url(case),
        },
    )


@on_project(Right.VIEW)
def case(request: AuthenticatedRequest, project: Project, case_pk: int) -> HttpResponse:
    found = _case(project, case_pk)
    attributes = list(Attribute.objects.filter(project=project))
    sources = _sources_seen(request.user, project).filter(case=found).order_by("name", "row", "pk")
    return render(
        request,
        "analysis/cases/detail.jinja",
        {
            "project": project,
            "title": found.name,
            "case": found,
            "values": services.described(attributes, found.values),
            "sources": paginate(request, sources),
            "can_lead": may(request.user, project, Right.LEAD),
            "back_url": reverse("analysis:cases", kwargs={"project_pk": project.pk}),
        },
    )


@on_project(Right.LEAD)
def case_delete(request: AuthenticatedRequest, project: Project, case_pk: int) -> HttpResponse:
    found = _case(project, case_pk)
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and submit(
        form, lambda: services.delete_case(by=request.user, case=found) or True
    ):
        messages.success(request, f"The case {found.name} has been deleted")
        return redirect("analysis:cases", project_pk=project.pk)
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": f"Delete the case {found.name}?",
            "explanation": (
                "Its sources and responses stay in the project, no longer linked to a case, "
                "and their coding is kept."
            ),
            "form": form,
            "fields": [],
            "submit": "Delete the case",
            "back_url": _case_url(found),
        },
    )


@on_project(Right.LEAD)
def case_sources(request: AuthenticatedRequest, project: Project, case_pk: int) -> HttpResponse:
    """Choose sources or responses, a page at a time, to link to the case."""
    found = _case(project, case_pk)
    finder = FindSourcesForm(request.GET or None)
    candidates = Source.objects.filter(project=project).exclude(case=found)
    if finder.is_valid():
        if finder.cleaned_data["q"]:
            candidates = candidates.filter(name__icontains=finder.cleaned_data["q"])
        if finder.cleaned_data["kind"]:
            candidates = candidates.filter(kind=finder.cleaned_data["kind"])
    page = paginate(request, candidates.order_by("name", "row", "pk"))
    form = LinkSourcesForm(
        request.POST if request.method == "POST" else None,
        sources=Source.objects.filter(project=project),
        shown=list(page.items),
    )
    if request.method == "POST":
        linked = submit(
            form,
            lambda: services.link_sources(
                by=request.user, case=found, sources=form.cleaned_data["sources"]
            ),
        )
        if linked:
            messages.success(
                request,
                f"{linked} source{'' if linked == 1 else 's'} linked to the case {found.name}",
            )
            return redirect(_case_url(found))
    return render(
        request,
        "analysis/cases/link.jinja",
        {
            "project": project,
            "title": "Link sources to the case",
            "case": found,
            "finder": finder,
            "form": form,
            "sources": page,
            "back_url": _case_url(found),
        },
    )


@on_project(Right.LEAD)
def case_source_unlink(
    request: AuthenticatedRequest, project: Project, case_pk: int, source_pk: int
) -> HttpResponse:
    found = _case(project, case_pk)
    source = get_object_or_404(Source, project=project, pk=source_pk)
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and submit(
        form, lambda: services.unlink_source(by=request.user, case=found, source=source) or True
    ):
        messages.success(request, f"{source.name} is no longer linked to {found.name}")
        return redirect(_case_url(found))
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": f"Unlink {source.name} from this case?",
            "caption": found.name,
            "explanation": "The source and its coding stay in the project.",
            "form": form,
            "fields": [],
            "submit": "Unlink it",
            "back_url": _case_url(found),
        },
    )


# Attributes ----------------------------------------------------------------------------


@on_project(Right.VIEW)
def attributes(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    found = list(Attribute.objects.filter(project=project))
    cases_with = {
        attribute.pk: Case.objects.filter(
            project=project, values__has_key=str(attribute.pk)
        ).count()
        for attribute in found
    }
    return render(
        request,
        "analysis/cases/attributes.jinja",
        {
            "project": project,
            "title": "Attributes",
            "attributes": [(attribute, cases_with[attribute.pk]) for attribute in found],
            "can_lead": may(request.user, project, Right.LEAD),
            "back_url": reverse("analysis:cases", kwargs={"project_pk": project.pk}),
        },
    )


@on_project(Right.LEAD)
def attribute_add(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    form = AttributeForm(request.POST or None)
    if request.method == "POST":
        attribute = submit(
            form,
            lambda: services.add_attribute(
                by=request.user,
                project=project,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
            ),
        )
        if attribute:
            messages.success(request, f"The attribute {attribute.name} has been added")
            return redirect(_attributes_url(project))
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": "Add an attribute",
            "explanation": "Attributes describe cases, such as a person's age group or a site.",
            "form": form,
            "fields": ["name", "kind", "description"],
            "submit": "Add the attribute",
            "back_url": _attributes_url(project),
        },
    )


@on_project(Right.LEAD)
def attribute_edit(
    request: AuthenticatedRequest, project: Project, attribute_pk: int
) -> HttpResponse:
    attribute = _attribute(project, attribute_pk)
    form = AttributeForm(
        request.POST or None,
        initial={
            "name": attribute.name,
            "kind": attribute.kind,
            "description": attribute.description,
        },
    )
    if request.method == "POST":
        changed = submit(
            form,
            lambda: services.change_attribute(
                by=request.user,
                attribute=attribute,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
            ),
        )
        if changed:
            messages.success(request, f"The attribute {changed.name} has been saved")
            return redirect(_attributes_url(project))
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": "Change the attribute",
            "caption": attribute.name,
            "explanation": (
                "A new kind is accepted only if every value already held fits it: "
                "for example, only numbers can become a number."
            ),
            "form": form,
            "fields": ["name", "kind", "description"],
            "submit": "Save the attribute",
            "back_url": _attributes_url(project),
        },
    )


@on_project(Right.LEAD)
def attribute_delete(
    request: AuthenticatedRequest, project: Project, attribute_pk: int
) -> HttpResponse:
    attribute = _attribute(project, attribute_pk)
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and submit(
        form, lambda: services.delete_attribute(by=request.user, attribute=attribute) or True
    ):
        messages.success(request, f"The attribute {attribute.name} has been deleted")
        return redirect(_attributes_url(project))
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": f"Delete the attribute {attribute.name}?",
            "explanation": "Its values are removed from every case.",
            "form": form,
            "fields": [],
            "submit": "Delete the attribute",
            "back_url": _attributes_url(project),
        },
    )


urlpatterns = [
    path("<int:project_pk>/cases/", cases, name="cases"),
    path("<int:project_pk>/cases/new/", case_add, name="case_add"),
    path("<int:project_pk>/cases/<int:case_pk>/", case, name="case"),
    path("<int:project_pk>/cases/<int:case_pk>/edit/", case_edit, name="case_edit"),
    path("<int:project_pk>/cases/<int:case_pk>/delete/", case_delete, name="case_delete"),
    path("<int:project_pk>/cases/<int:case_pk>/sources/", case_sources, name="case_sources"),
    path(
        "<int:project_pk>/cases/<int:case_pk>/sources/<int:source_pk>/unlink/",
        case_source_unlink,
        name="case_source_unlink",
    ),
    path("<int:project_pk>/cases/attributes/", attributes, name="attributes"),
    path("<int:project_pk>/cases/attributes/new/", attribute_add, name="attribute_add"),
    path(
        "<int:project_pk>/cases/attributes/<int:attribute_pk>/edit/",
        attribute_edit,
        name="attribute_edit",
    ),
    path(
        "<int:project_pk>/cases/attributes/<int:attribute_pk>/delete/",
        attribute_delete,
        name="attribute_delete",
    ),
]
