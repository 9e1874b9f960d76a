"""A member's own asks: what they raised or contributed to, and what it changed.

Every view starts from `request.user.person`: a member reaches only the asks they contributed to.
"""

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from coproduce.activities.models import Activity, Registration
from coproduce.asks import presenters, services
from coproduce.asks.forms import MemberAskForm
from coproduce.asks.models import Ask, Contribution, Evidence
from coproduce.core import access, uploads
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.pagination import paginate


def _mine(request: AuthenticatedRequest) -> "QuerySet[Ask]":
    return Ask.objects.filter(contributions__person=request.user.person)


def _my_ask(request: AuthenticatedRequest, pk: int) -> Ask:
    ask = _mine(request).select_related("service", "pathway_stage", "group", "raised_by")
    found = ask.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@access.member_area
def my_asks(request: AuthenticatedRequest) -> HttpResponse:
    contributions = (
        Contribution.objects.filter(person=request.user.person)
        .select_related("ask")
        .order_by("-ask__raised_at", "-pk")
    )
    return render(
        request,
        "asks/me/list.jinja",
        {
            "title": "What you raised",
            "contributions": paginate(request, contributions),
            "status_tag": presenters.status_tag,
        },
    )


@access.member_area
def my_ask(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    ask = _my_ask(request, pk)
    return render(
        request,
        "asks/me/detail.jinja",
        {
            "title": ask.title,
            "ask": ask,
            "rows": presenters.detail_rows(ask, quote=True),
            "updates": ask.updates.all(),
            "evidence": ask.evidence.all(),
            "status_tag": presenters.status_tag,
        },
    )


def _my_activity(request: AuthenticatedRequest) -> Activity | None:
    if "activity" not in request.GET:
        return None
    activity = (
        Activity.objects.filter(
            pk__in=Registration.objects.filter(person=request.user.person).values("activity_id")
        )
        .filter(pk=request.GET["activity"] if request.GET["activity"].isdigit() else 0)
        .first()
    )
    if activity is None:
        raise Http404
    return activity


@access.member_area
def my_ask_create(request: AuthenticatedRequest) -> HttpResponse:
    activity = _my_activity(request)
    form = MemberAskForm(request.POST or None)
    if request.method == "POST":
        ask = submit(
            form,
            lambda: services.member_raise(
                actor=request.user,
                person=request.user.person,
                details=form.cleaned_data,
                activity=activity,
            ),
        )
        if ask:
            messages.success(
                request,
                f"Thank you. {ask.title} has been sent to the involvement team. You will hear "
                "each time it moves on",
            )
            return redirect("me_asks:detail", ask.pk)
    return render(
        request,
        "asks/me/form.jinja",
        {
            "title": "Raise something that should change",
            "form": form,
            "activity": activity,
            "back_url": f"/me/activities/{activity.pk}/" if activity else "/me/asks/",
        },
    )


@access.member_area
def my_evidence(request: AuthenticatedRequest, pk: int, evidence_pk: int) -> FileResponse:
    ask = _my_ask(request, pk)
    evidence = Evidence.objects.filter(ask=ask, pk=evidence_pk).exclude(file="").first()
    if evidence is None:
        raise Http404
    return uploads.serve(
        evidence.file, evidence.content_type, services.evidence_download_name(evidence)
    )
