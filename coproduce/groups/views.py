"""Pages for partnership groups and their membership."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render

from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.pagination import paginate
from coproduce.groups import services
from coproduce.groups.forms import (
    AddMemberForm,
    EndMembershipForm,
    GroupFilterForm,
    GroupForm,
    NewGroupForm,
)
from coproduce.groups.models import Membership, PartnershipGroup
from coproduce.organisations.models import Organisation
from coproduce.people import finder
from coproduce.people.models import Person


@access.requires(Permission.VIEW_GROUPS)
def group_list(request: AuthenticatedRequest) -> HttpResponse:
    form = GroupFilterForm(request.GET or None)
    groups = access.scoped(
        request.user,
        PartnershipGroup.objects.select_related("organisation"),
        Permission.VIEW_GROUPS,
    )
    include_ended = False
    if form.is_valid():
        if form.cleaned_data["q"]:
            groups = groups.search(form.cleaned_data["q"])
        include_ended = form.cleaned_data["include_ended"]
    if not include_ended:
        groups = groups.active()
    paged = paginate(request, groups.order_by("name", "pk"))
    # Count members for the groups on this page only: counting them for every group in scope
    # before paging was most of the page's cost at national scale.
    counts = dict(
        Membership.objects.current()
        .filter(group__in=paged.items)
        .values_list("group_id")
        .annotate(Count("id"))
        .order_by()
    )
    for group in paged.items:
        group.member_count = counts.get(group.pk, 0)
    return render(
        request,
        "groups/list.jinja",
        {
            "title": "Partnership groups",
            "form": form,
            "groups": paged,
            "column": "full",
            "can_add": access.has_permission(request.user, Permission.MANAGE_GROUPS),
        },
    )


@access.requires(Permission.MANAGE_GROUPS)
def group_create(request: AuthenticatedRequest) -> HttpResponse:
    organisations = access.scoped(
        request.user, Organisation.objects.all(), Permission.MANAGE_GROUPS
    )
    form = NewGroupForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        group = submit(
            form,
            lambda: services.create_group(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                details=form.cleaned_data,
            ),
        )
        if group:
            messages.success(request, f"{group.name} has been set up")
            return redirect("groups:detail", group.pk)
    return render(
        request,
        "groups/form.jinja",
        {"title": "Set up a partnership group", "form": form, "back_url": "/groups/"},
    )


@access.requires(Permission.VIEW_GROUPS)
def group_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    group = access.get(
        request.user,
        PartnershipGroup.objects.select_related("organisation"),
        Permission.VIEW_GROUPS,
        pk=pk,
    )
    # A large group has hundreds of members: show one page of them, current or past.
    showing_past = request.GET.get("show") == "past"
    memberships = (
        (group.memberships.past() if showing_past else group.memberships.ongoing())
        .select_related("person")
        .only(
            "role",
            "started_on",
            "ended_on",
            "group_id",
            "person__given_name",
            "person__family_name",
        )
        .order_by("person__family_name", "person__given_name", "pk")
    )
    can_see_people = access.has_permission(
        request.user, Permission.VIEW_PEOPLE, group.organisation_id
    )
    return render(
        request,
        "groups/detail.jinja",
        {
            "title": group.name,
            "group": group,
            "showing_past": showing_past,
            "members": paginate(request, memberships),
            "current_count": group.memberships.ongoing().count(),
            "past_count": group.memberships.past().count(),
            "can_manage": access.has_permission(
                request.user, Permission.MANAGE_GROUPS, group.organisation_id
            ),
            "can_see_people": can_see_people,
            "back_url": "/groups/",
        },
    )


@access.requires(Permission.MANAGE_GROUPS)
def group_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    group = access.get(
        request.user, PartnershipGroup.objects.all(), Permission.MANAGE_GROUPS, pk=pk
    )
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST":
        saved = submit(
            form,
            lambda: services.update_group(
                actor=request.user, group=group, details=form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, f"{group.name} has been updated")
            return redirect("groups:detail", group.pk)
    return render(
        request,
        "groups/form.jinja",
        {"title": f"Change {group.name}", "form": form, "back_url": f"/groups/{group.pk}/"},
    )


@access.requires(Permission.MANAGE_GROUPS)
def member_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    group = access.get(
        request.user, PartnershipGroup.objects.all(), Permission.MANAGE_GROUPS, pk=pk
    )
    search = finder.find(
        request,
        Person.objects.filter(organisation_id=group.organisation_id).exclude(
            pk__in=Membership.objects.filter(group=group).ongoing().values("person_id")
        ),
        permission=Permission.MANAGE_GROUPS,
        label="Find the person to add",
    )
    matches = search.matches
    form = AddMemberForm(request.POST if request.method == "POST" else None, people=matches)
    if request.method == "POST":
        membership = submit(
            form,
            lambda: services.add_member(
                actor=request.user,
                group=group,
                person=form.cleaned_data["person"],
                role=form.cleaned_data["role"],
                started_on=form.cleaned_data["started_on"],
            ),
        )
        if membership:
            messages.success(
                request, f"{membership.person.full_name} has been added to {group.name}"
            )
            return redirect("groups:detail", group.pk)
    return render(
        request,
        "groups/add_member.jinja",
        {
            "title": f"Add a member to {group.name}",
            **search.context(),
            "form": form,
            "group": group,
            "back_url": f"/groups/{group.pk}/",
        },
    )


@access.requires(Permission.MANAGE_GROUPS)
def member_end(request: AuthenticatedRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = access.get(
        request.user,
        Membership.objects.select_related("group", "person"),
        Permission.MANAGE_GROUPS,
        pk=membership_pk,
        group_id=pk,
    )
    form = EndMembershipForm(request.POST or None)
    if request.method == "POST":
        ended = submit(
            form,
            lambda: services.end_membership(
                actor=request.user, membership=membership, ended_on=form.cleaned_data["ended_on"]
            ),
        )
        if ended:
            messages.success(
                request, f"{membership.person.full_name} has left {membership.group.name}"
            )
            return redirect("groups:detail", pk)
    return render(
        request,
        "groups/end_member.jinja",
        {
            "title": f"{membership.person.full_name} leaves {membership.group.name}",
            "form": form,
            "membership": membership,
            "back_url": f"/groups/{pk}/",
        },
    )
