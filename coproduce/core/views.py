"""Pages that belong to no one domain: the start page, health check, statements and the audit log."""

import datetime

from django import forms
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.models import AuditEvent
from coproduce.core.pagination import paginate
from coproduce.nhsuk_forms.fields import DateField
from coproduce.organisations.models import Organisation


@access.signed_in
def home(request: AuthenticatedRequest) -> HttpResponse:
    if not access.has_permission(request.user, Permission.VIEW_ORGANISATION):
        if getattr(request.user, "person", None) is not None:
            return redirect("me:home")
        return render(request, "core/no_role.jinja", {"title": "You have no role yet"})
    organisations = access.scoped(
        request.user, Organisation.objects.all(), Permission.VIEW_ORGANISATION
    )
    return render(
        request,
        "core/home.jinja",
        {
            "title": "Coproduce",
            "organisations": organisations,
            "can_manage_people": access.has_permission(request.user, Permission.MANAGE_PEOPLE),
            "can_manage_groups": access.has_permission(request.user, Permission.MANAGE_GROUPS),
        },
    )


@access.public
def healthz(request: AuthenticatedRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@access.public
def accessibility(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "core/accessibility.jinja", {"title": "Accessibility statement"})


@access.public
def privacy(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "core/privacy.jinja", {"title": "Privacy notice"})


class AuditFilterForm(forms.Form):
    person = forms.CharField(label="Person's name", required=False, max_length=100)
    start = DateField(label="From", required=False)
    end = DateField(label="To", required=False)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
            self.add_error("end", "The 'to' date must be the same as or after the 'from' date")
        return cleaned


@access.requires(Permission.VIEW_AUDIT)
def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = access.scoped(
        request.user, AuditEvent.objects.select_related("organisation"), Permission.VIEW_AUDIT
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["person"]:
            events = events.filter(person_label__icontains=data["person"].strip())
        events = events.between(data["start"], data["end"])
    if request.GET.get("person_id", "").isdigit():
        events = events.about_person(int(request.GET["person_id"]))
    return render(
        request,
        "core/audit_log.jinja",
        {"title": "Audit log", "form": form, "events": paginate(request, events), "column": "full"},
    )
