"""Staff pages: asking for involvement, reviewing and publishing it, and choosing people."""

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render

from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.pagination import paginate
from coproduce.groups.models import PartnershipGroup
from coproduce.opportunities import matching, presenters, services
from coproduce.opportunities.forms import (
    DecisionForm,
    EndForm,
    InterestOnBehalfForm,
    InviteForm,
    NewOpportunityForm,
    OpportunityFilterForm,
    OpportunityForm,
)
from coproduce.opportunities.models import Interest, Invitation, Opportunity
from coproduce.organisations.models import Organisation
from coproduce.people import finder
from coproduce.people.models import Person


def _opportunity(request: AuthenticatedRequest, pk: int, permission: Permission) -> Opportunity:
    return access.get(
        request.user,
        Opportunity.objects.select_related("organisation", "activity_type", "group"),
        permission,
        pk=pk,
    )


def _back(opportunity: Opportunity) -> str:
    return f"/opportunities/{opportunity.pk}/"


@access.requires(Permission.VIEW_OPPORTUNITIES)
def opportunity_list(request: AuthenticatedRequest) -> HttpResponse:
    form = OpportunityFilterForm(request.GET or None)
    opportunities = access.scoped(
        request.user,
        Opportunity.objects.select_related("organisation", "activity_type"),
        Permission.VIEW_OPPORTUNITIES,
    )
    if form.is_valid():
        if form.cleaned_data["q"]:
            text = form.cleaned_data["q"]
            opportunities = opportunities.filter(
                Q(title__icontains=text) | Q(description__icontains=text)
            )
        if form.cleaned_data["status"]:
            opportunities = opportunities.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["activity_type"]:
            opportunities = opportunities.filter(activity_type=form.cleaned_data["activity_type"])
    return render(
        request,
        "opportunities/list.jinja",
        {
            "title": "Opportunities",
            "form": form,
            "opportunities": paginate(request, opportunities.order_by("-created_at", "-pk")),
            "status_tag": presenters.status_tag,
            "column": "full",
            "can_ask": access.has_permission(request.user, Permission.REQUEST_INVOLVEMENT),
        },
    )


def _groups_of(organisations: Any) -> Any:
    return PartnershipGroup.objects.filter(organisation__in=organisations).order_by("name")


@access.requires(Permission.REQUEST_INVOLVEMENT)
def opportunity_create(request: AuthenticatedRequest) -> HttpResponse:
    organisations = access.scoped(
        request.user, Organisation.objects.all(), Permission.REQUEST_INVOLVEMENT
    )
    form = NewOpportunityForm(
        request.POST or None, organisations=organisations, groups=_groups_of(organisations)
    )
    if request.method == "POST":
        opportunity = submit(
            form,
            lambda: services.request_involvement(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                details=form.cleaned_data,
            ),
        )
        if opportunity:
            messages.success(
                request,
                f"Your request, {opportunity.title}, has been sent to the involvement lead to "
                "review",
            )
            return redirect("opportunities:detail", opportunity.pk)
    return render(
        request,
        "opportunities/form.jinja",
        {"title": "Ask for involvement", "form": form, "back_url": "/opportunities/"},
    )


@access.requires(Permission.VIEW_OPPORTUNITIES)
def opportunity_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity(request, pk, Permission.VIEW_OPPORTUNITIES)
    can_manage = access.has_permission(
        request.user, Permission.MANAGE_OPPORTUNITIES, opportunity.organisation_id
    )
    # Who offered to take part is personal: only those who choose people see names.
    interests = (
        paginate(
            request,
            opportunity.interests.select_related("person").order_by("expressed_at", "pk"),
        )
        if can_manage
        else None
    )
    return render(
        request,
        "opportunities/detail.jinja",
        {
            "title": opportunity.title,
            "opportunity": opportunity,
            "rows": presenters.detail_rows(opportunity, for_staff=True),
            "status_tag": presenters.status_tag,
            "interests": interests,
            "interest_count": opportunity.interests.exclude(
                status=Interest.Status.WITHDRAWN
            ).count(),
            "can_manage": can_manage,
            "is_open": Opportunity.objects.open().filter(pk=opportunity.pk).exists(),
            "column": "full",
            "back_url": "/opportunities/",
        },
    )


@access.requires(Permission.MANAGE_OPPORTUNITIES)
def opportunity_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity(request, pk, Permission.MANAGE_OPPORTUNITIES)
    form = OpportunityForm(
        request.POST or None,
        instance=opportunity,
        groups=PartnershipGroup.objects.filter(organisation_id=opportunity.organisation_id),
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda: services.update_opportunity(
                actor=request.user, opportunity=opportunity, details=form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, f"{opportunity.title} has been updated")
            return redirect("opportunities:detail", opportunity.pk)
    return render(
        request,
        "opportunities/form.jinja",
        {"title": f"Change {opportunity.title}", "form": form, "back_url": _back(opportunity)},
    )


@access.requires(Permission.MANAGE_OPPORTUNITIES)
def opportunity_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity(request, pk, Permission.MANAGE_OPPORTUNITIES)
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        published = submit(
            form, lambda: services.publish(actor=request.user, opportunity=opportunity)
        )
        if published:
            messages.success(request, f"{opportunity.title} is published: members can now see it")
            return redirect("opportunities:detail", opportunity.pk)
    return render(
        request,
        "opportunities/publish.jinja",
        {
            "title": f"Publish {opportunity.title}",
            "opportunity": opportunity,
            "form": form,
            "back_url": _back(opportunity),
        },
    )


@access.requires(Permission.MANAGE_OPPORTUNITIES)
def opportunity_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity(request, pk, Permission.MANAGE_OPPORTUNITIES)
    form = EndForm(request.POST or None)
    if request.method == "POST":
        ended = submit(
            form,
            lambda: services.end(
                actor=request.user,
                opportunity=opportunity,
                withdraw=form.cleaned_data["outcome"] == "withdrawn",
            ),
        )
        if ended:
            messages.success(
                request, f"{opportunity.title} is {ended.get_status_display().lower()}"
            )
            return redirect("opportunities:detail", opportunity.pk)
    return render(
        request,
        "opportunities/close.jinja",
        {
            "title": f"Close or withdraw {opportunity.title}",
            "opportunity": opportunity,
            "form": form,
            "waiting": opportunity.interests.filter(status=Interest.Status.EXPRESSED).count(),
            "back_url": _back(opportunity),
        },
    )


@access.requires(Permission.MANAGE_OPPORTUNITIES)
def opportunity_suggestions(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Ranked suggestions of people to invite; pressing "Invite" tells that person about it."""
    opportunity = _opportunity(request, pk, Permission.MANAGE_OPPORTUNITIES)
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        invitation = submit(
            form,
            lambda: services.invite(
                actor=request.user,
                opportunity=opportunity,
                person=access.get(
                    request.user,
                    Person.objects.filter(organisation_id=opportunity.organisation_id),
                    Permission.MANAGE_OPPORTUNITIES,
                    pk=form.cleaned_data["person"],
                ),
            ),
        )
        if invitation:
            messages.success(
                request, f"{invitation.person.full_name} has been invited, and has been told"
            )
            return redirect("opportunities:suggestions", opportunity.pk)
    is_open = Opportunity.objects.open().filter(pk=opportunity.pk).exists()
    return render(
        request,
        "opportunities/suggestions.jinja",
        {
            "title": f"Suggested people for {opportunity.title}",
            "opportunity": opportunity,
            "suggestions": matching.suggest(opportunity) if is_open else [],
            "invitations": Invitation.objects.filter(opportunity=opportunity).select_related(
                "person"
            ),
            "is_open": is_open,
            "form": form,
            "column": "full",
            "back_url": _back(opportunity),
        },
    )


@access.requires(Permission.MANAGE_OPPORTUNITIES)
def interest_decide(request: AuthenticatedRequest, pk: int, interest_pk: int) -> HttpResponse:
    interest = access.get(
        request.user,
        Interest.objects.select_related("opportunity", "person"),
        Permission.MANAGE_OPPORTUNITIES,
        pk=interest_pk,
        opportunity_id=pk,
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        decided = submit(
            form,
            lambda: services.decide(
                actor=request.user, interest=interest, selected=form.cleaned_data["selected"]
            ),
        )
        if decided:
            outcome = "selected" if decided.status == Interest.Status.SELECTED else "not selected"
            messages.success(
                request, f"{interest.person.full_name} is {outcome}, and has been told"
            )
            return redirect("opportunities:detail", pk)
    return render(
        request,
        "opportunities/decide.jinja",
        {
            "title": f"Decide on {interest.person.full_name}",
            "interest": interest,
            "status_tag": presenters.status_tag,
            "undecided": interest.status == Interest.Status.EXPRESSED,
            "form": form,
            "back_url": _back(interest.opportunity),
        },
    )


@access.requires(Permission.MANAGE_OPPORTUNITIES)
def interest_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record interest for someone who told staff in person, by phone or on paper."""
    opportunity = _opportunity(request, pk, Permission.MANAGE_OPPORTUNITIES)
    search = finder.find(
        request,
        Person.objects.filter(organisation_id=opportunity.organisation_id).exclude(
            pk__in=opportunity.interests.exclude(status=Interest.Status.WITHDRAWN).values(
                "person_id"
            )
        ),
        permission=Permission.MANAGE_OPPORTUNITIES,
    )
    form = InterestOnBehalfForm(
        request.POST if request.method == "POST" else None, people=search.matches
    )
    if request.method == "POST":
        interest = submit(
            form,
            lambda: services.express_interest(
                actor=request.user,
                opportunity=opportunity,
                person=form.cleaned_data["person"],
                note=form.cleaned_data["note"],
            ),
        )
        if interest:
            messages.success(request, f"{interest.person.full_name}'s interest has been recorded")
            return redirect("opportunities:detail", opportunity.pk)
    return render(
        request,
        "opportunities/interest_add.jinja",
        {
            "title": f"Record interest in {opportunity.title}",
            "opportunity": opportunity,
            **search.context(),
            "form": form,
            "back_url": _back(opportunity),
        },
    )
