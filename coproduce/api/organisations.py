from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from coproduce.api.pagination import Pages
from coproduce.api.schemas import Error, OrganisationOut
from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.organisations.models import Organisation

router = Router(tags=["organisations"])


@router.get("", response=list[OrganisationOut])
@paginate(Pages)
def list_organisations(request: HttpRequest):  # type: ignore[no-untyped-def]
    return access.scoped(request.user, Organisation.objects.all(), Permission.VIEW_ORGANISATION)


@router.get("/{organisation_id}", response={200: OrganisationOut, 403: Error, 404: Error})
def get_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    return access.get(
        request.user, Organisation.objects.all(), Permission.VIEW_ORGANISATION, pk=organisation_id
    )
