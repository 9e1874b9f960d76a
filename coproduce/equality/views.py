"""Equality monitoring: a member's own answers, and the staff report of suppressed totals."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.http import AuthenticatedRequest
from coproduce.equality import services
from coproduce.equality.forms import EqualityForm, ReportFilterForm
from coproduce.equality.models import EqualityResponse
from coproduce.equality.report import profile
from coproduce.organisations.models import Organisation


@access.member_area
def my_answers(request: AuthenticatedRequest) -> HttpResponse:
    person = request.user.person
    existing = EqualityResponse.objects.filter(person=person).first()
    form = EqualityForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        services.save_answers(actor=request.user, person=person, answers=form.cleaned_data)
        messages.success(request, "Your equality monitoring answers have been saved")
        return redirect("me:home")
    return render(
        request,
        "equality/mine.jinja",
        {"title": "Equality monitoring", "form": form, "existing": existing, "back_url": "/me/"},
    )


@access.member_area
def delete_my_answers(request: AuthenticatedRequest) -> HttpResponse:
    person = request.user.person
    if request.method == "POST":
        services.delete_answers(actor=request.user, person=person)
        messages.success(request, "Your equality monitoring answers have been deleted")
        return redirect("me:home")
    return render(
        request,
        "equality/delete.jinja",
        {"title": "Delete your equality answers", "back_url": "/equality/mine/"},
    )


@access.requires(Permission.VIEW_EQUALITY_REPORT)
def report(request: AuthenticatedRequest) -> HttpResponse:
    organisations = access.scoped(
        request.user, Organisation.objects.all(), Permission.VIEW_EQUALITY_REPORT
    )
    form = ReportFilterForm(request.GET or None)
    form.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
    responses = access.scoped(
        request.user, EqualityResponse.objects.all(), Permission.VIEW_EQUALITY_REPORT
    )
    if form.is_valid() and form.cleaned_data["organisation"]:
        responses = responses.filter(person__organisation=form.cleaned_data["organisation"])
    threshold = settings.SMALL_NUMBER_THRESHOLD
    summaries = profile(responses, threshold=threshold)
    respondents = responses.count()
    return render(
        request,
        "equality/report.jinja",
        {
            "title": "Equality monitoring",
            "form": form,
            "summaries": summaries,
            "threshold": threshold,
            "respondents": respondents if respondents == 0 or respondents >= threshold else None,
            "column": "full",
        },
    )
