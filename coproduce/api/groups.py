from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from coproduce.api.auth import actor
from coproduce.api.pagination import Pages
from coproduce.api.schemas import (
    Error,
    GroupIn,
    GroupOut,
    GroupPatch,
    MembershipEnd,
    MembershipIn,
    MembershipOut,
)
from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.groups import services
from coproduce.groups.models import Membership, PartnershipGroup
from coproduce.organisations.models import Organisation
from coproduce.people.models import Person

router = Router(tags=["groups"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error, 422: Error}


@router.get("", response=list[GroupOut])
@paginate(Pages)
def list_groups(request: HttpRequest, q: str = ""):  # type: ignore[no-untyped-def]
    groups = access.scoped(request.user, PartnershipGroup.objects.all(), Permission.VIEW_GROUPS)
    return groups.search(q[:100]) if q else groups


@router.post("", response={201: GroupOut, **ERRORS})
def create_group(request: HttpRequest, body: GroupIn) -> Status[PartnershipGroup]:
    organisation = access.get(
        request.user, Organisation.objects.all(), Permission.MANAGE_GROUPS, pk=body.organisation_id
    )
    details = body.dict(exclude={"organisation_id"})
    return Status(
        201, services.create_group(actor=actor(request), organisation=organisation, details=details)
    )


@router.get("/{group_id}", response={200: GroupOut, **ERRORS})
def get_group(request: HttpRequest, group_id: int) -> PartnershipGroup:
    return access.get(
        request.user, PartnershipGroup.objects.all(), Permission.VIEW_GROUPS, pk=group_id
    )


@router.patch("/{group_id}", response={200: GroupOut, **ERRORS})
def update_group(request: HttpRequest, group_id: int, body: GroupPatch) -> PartnershipGroup:
    group = access.get(
        request.user, PartnershipGroup.objects.all(), Permission.MANAGE_GROUPS, pk=group_id
    )
    return services.update_group(
        actor=actor(request), group=group, details=body.dict(exclude_unset=True)
    )


@router.get("/{group_id}/memberships", response={200: list[MembershipOut], **ERRORS})
@paginate(Pages)
def list_memberships(request: HttpRequest, group_id: int, current: bool = False):  # type: ignore[no-untyped-def]
    group = access.get(
        request.user, PartnershipGroup.objects.all(), Permission.VIEW_GROUPS, pk=group_id
    )
    memberships = Membership.objects.filter(group=group)
    return memberships.current() if current else memberships


@router.post("/{group_id}/memberships", response={201: MembershipOut, **ERRORS})
def add_member(request: HttpRequest, group_id: int, body: MembershipIn) -> Status[Membership]:
    group = access.get(
        request.user, PartnershipGroup.objects.all(), Permission.MANAGE_GROUPS, pk=group_id
    )
    person = access.get(
        request.user, Person.objects.all(), Permission.MANAGE_PEOPLE, pk=body.person_id
    )
    membership = services.add_member(
        actor=actor(request),
        group=group,
        person=person,
        role=body.role,
        started_on=body.started_on,
    )
    return Status(201, membership)


@router.post("/{group_id}/memberships/{membership_id}/end", response={200: MembershipOut, **ERRORS})
def end_membership(
    request: HttpRequest, group_id: int, membership_id: int, body: MembershipEnd
) -> Membership:
    membership = access.get(
        request.user,
        Membership.objects.select_related("group", "person"),
        Permission.MANAGE_GROUPS,
        pk=membership_id,
        group_id=group_id,
    )
    return services.end_membership(
        actor=actor(request), membership=membership, ended_on=body.ended_on
    )
