"""A member's opportunities: what is open in their organisation, and what they offered to do.

Every query here starts from `request.user.person`: a member sees only their own organisation's
published opportunities and only their own expressions of interest.
"""

from django import forms
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from coproduce.core import access
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.pagination import paginate
from coproduce.opportunities import presenters, services
from coproduce.opportunities.forms import InterestForm, OpenOpportunityFilterForm
from coproduce.opportunities.models import Interest, Opportunity
from coproduce.people.models import Person

HIDDEN = (Opportunity.Status.DRAFT, Opportunity.Status.SUBMITTED)


def _visible_to(person: Person) -> "QuerySet[Opportunity]":
    """Open opportunities, and any published one the person has already offered to join."""
    return (
        Opportunity.objects.filter(organisation_id=person.organisation_id)
        .exclude(status__in=HIDDEN)
        .filter(Q(pk__in=Opportunity.objects.open().values("pk")) | Q(interests__person=person))
        .distinct()
    )


def _opportunity(request: AuthenticatedRequest, pk: int) -> Opportunity:
    opportunity = (
        _visible_to(request.user.person).select_related("activity_type").filter(pk=pk).first()
    )
    if opportunity is None:
        raise Http404
    return opportunity


def fits(person: Person) -> Q:
    """Opportunities that ask for any cancer type, stage of care or topic the person gave."""
    return (
        Q(cancer_types__in=person.cancer_types.all())
        | Q(pathway_stages__in=person.pathway_stages.all())
        | Q(topics__in=person.topics.all())
    )


@access.member_area
def my_opportunity_list(request: AuthenticatedRequest) -> HttpResponse:
    person = request.user.person
    form = OpenOpportunityFilterForm(request.GET or None)
    opportunities = Opportunity.objects.open().filter(organisation_id=person.organisation_id)
    if form.is_valid():
        chosen = form.cleaned_data
        if chosen["activity_type"]:
            opportunities = opportunities.filter(activity_type=chosen["activity_type"])
        if chosen["mode"]:
            opportunities = opportunities.filter(mode=chosen["mode"])
        if chosen["area"]:
            opportunities = opportunities.filter(areas__icontains=f'"{chosen["area"]}"')
        if chosen["fits"]:
            opportunities = opportunities.filter(
                pk__in=Opportunity.objects.filter(fits(person)).values("pk")
            )
    mine = {
        interest.opportunity_id: interest
        for interest in Interest.objects.filter(person=person).select_related("opportunity")
    }
    return render(
        request,
        "opportunities/me/list.jinja",
        {
            "title": "Opportunities to get involved",
            "form": form,
            "opportunities": paginate(
                request, opportunities.select_related("activity_type").order_by("closes_on", "pk")
            ),
            "mine": mine,
            "my_interests": sorted(
                mine.values(), key=lambda interest: interest.expressed_at, reverse=True
            ),
            "status_tag": presenters.status_tag,
        },
    )


@access.member_area
def my_opportunity_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity(request, pk)
    interest = Interest.objects.filter(opportunity=opportunity, person=request.user.person).first()
    return render(
        request,
        "opportunities/me/detail.jinja",
        {
            "title": opportunity.title,
            "opportunity": opportunity,
            "rows": presenters.detail_rows(opportunity, for_staff=False),
            "interest": interest,
            "status_tag": presenters.status_tag,
            "is_open": Opportunity.objects.open().filter(pk=opportunity.pk).exists(),
            "back_url": "/me/opportunities/",
        },
    )


@access.member_area
def my_interest(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity(request, pk)
    person = request.user.person
    form = InterestForm(request.POST or None)
    if request.method == "POST":
        interest = submit(
            form,
            lambda: services.express_interest(
                actor=request.user,
                opportunity=opportunity,
                person=person,
                note=form.cleaned_data["note"],
            ),
        )
        if interest:
            messages.success(
                request,
                f"Thank you. We have your interest in {opportunity.title}, and will tell you "
                "whether you have been selected",
            )
            return redirect("me_opportunities:detail", opportunity.pk)
    current = (
        Interest.objects.filter(opportunity=opportunity, person=person)
        .exclude(status=Interest.Status.WITHDRAWN)
        .first()
    )
    return render(
        request,
        "opportunities/me/interest.jinja",
        {
            "title": f"Take part in {opportunity.title}",
            "opportunity": opportunity,
            "current": current,
            "status_tag": presenters.status_tag,
            "is_open": Opportunity.objects.open().filter(pk=opportunity.pk).exists(),
            "form": form,
            "back_url": f"/me/opportunities/{opportunity.pk}/",
        },
    )


@access.member_area
def my_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity(request, pk)
    interest = (
        Interest.objects.filter(opportunity=opportunity, person=request.user.person)
        .select_related("person", "opportunity")
        .first()
    )
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and interest is not None:
        withdrawn = submit(
            form, lambda: services.withdraw_interest(actor=request.user, interest=interest)
        )
        if withdrawn:
            messages.success(request, f"You have withdrawn from {opportunity.title}")
            return redirect("me_opportunities:detail", opportunity.pk)
    return render(
        request,
        "opportunities/me/withdraw.jinja",
        {
            "title": f"Withdraw from {opportunity.title}",
            "opportunity": opportunity,
            "active": interest is not None and interest.status in services.STILL_ACTIVE,
            "form": form,
            "back_url": f"/me/opportunities/{opportunity.pk}/",
        },
    )
