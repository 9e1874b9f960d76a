"""The JSON API under /api/v1/: the same services and the same access path as the pages.

Every operation but the token exchange needs a bearer token. Errors are JSON bodies with a
`detail` (and the `field` at fault where there is one): 400 malformed, 401 no or bad token,
403 not allowed, 404 not found (or not yours to know about), 409 conflict, 422 invalid.
"""

from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Status
from ninja.errors import AuthenticationError

from coproduce.accounts import services as account_services
from coproduce.accounts.models import TOKEN_LIFETIME
from coproduce.api import (
    activities,
    analysis,
    analysis_codebook,
    analysis_discovery,
    analysis_suggestions,
    analysis_themes,
    analysis_trends,
    asks,
    claims,
    groups,
    impact,
    me,
    opportunities,
    organisations,
    people,
    reports,
)
from coproduce.api.auth import TokenAuth
from coproduce.api.schemas import Error, TokenOut, TokenRequest
from coproduce.core.errors import ServiceError

api = NinjaAPI(
    title="Coproduce API",
    version="1",
    description="Partnership groups, people, memberships and consent, under the same access rules as the pages.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
)


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, error: ServiceError) -> HttpResponse:
    return api.create_response(
        request, {"detail": error.message, "field": error.field}, status=error.status
    )


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "Your role does not allow this"}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found"}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Send a valid token: Authorization: Bearer <token>"}, status=401
    )


@api.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: Error, 429: Error},
    summary="Exchange a username and password for a bearer token",
)
def obtain_token(request: HttpRequest, credentials: TokenRequest) -> Status[dict[str, object]]:
    try:
        user = authenticate(request, username=credentials.username, password=credentials.password)
    except AxesBackendPermissionDenied:
        user = None
    if getattr(request, "axes_locked_out", False):
        return Status(429, {"detail": "Too many failed attempts. Try again in 15 minutes."})
    if user is None or not user.is_active:
        return Status(401, {"detail": "Enter a correct username and password"})
    return Status(
        200,
        {
            "token": account_services.issue_api_token(user=user),
            "expires_in_days": TOKEN_LIFETIME.days,
        },
    )


api.add_router("/organisations", organisations.router)
api.add_router("/groups", groups.router)
api.add_router("/people", people.router)
api.add_router("/me/asks", asks.me_router)
api.add_router("/me/questionnaires", impact.me_router)
api.add_router("/me", me.router)
api.add_router("/opportunities", opportunities.router)
api.add_router("/activities", activities.router)
api.add_router("/claims", claims.router)
api.add_router("/reports", reports.router)
api.add_router("/asks", asks.router)
api.add_router("/public", asks.public_router)
api.add_router("/impact", impact.router)
api.add_router("/analysis", analysis.router)
api.add_router("/analysis", analysis_codebook.router)
api.add_router("/analysis", analysis_themes.router)
api.add_router("/analysis", analysis_trends.router)
api.add_router("/analysis", analysis_discovery.router)
api.add_router("/analysis", analysis_suggestions.router)

PAGE_SIZE = settings.API_PAGE_SIZE
