"""Pages about the organisations a user works in."""

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render

from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.http import AuthenticatedRequest
from coproduce.organisations.models import Organisation


@access.requires(Permission.VIEW_ORGANISATION)
def organisation_list(request: AuthenticatedRequest) -> HttpResponse:
    organisations = access.scoped(
        request.user, Organisation.objects.all(), Permission.VIEW_ORGANISATION
    )
    return render(
        request,
        "organisations/list.jinja",
        {"title": "Organisations", "organisations": organisations},
    )


@access.requires(Permission.VIEW_ORGANISATION)
def organisation_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = access.get(
        request.user,
        Organisation.objects.annotate(
            group_count=Count("groups", distinct=True), people_count=Count("people", distinct=True)
        ),
        Permission.VIEW_ORGANISATION,
        pk=pk,
    )
    return render(
        request,
        "organisations/detail.jinja",
        {
            "title": organisation.name,
            "organisation": organisation,
            "can_see_people": access.has_permission(
                request.user, Permission.VIEW_PEOPLE, organisation.pk
            ),
            "back_url": "/organisations/",
        },
    )
