"""The one access path to organisation data.

Every read of organisation data in a page or the API goes through `scoped` (lists) or `get`
(one object); both filter by the organisations in which the user holds a role that grants the
permission asked for. A model says how it reaches its organisation with `organisation_path`.

Each view also declares its rule with one of the decorators at the bottom (`public`,
`signed_in`, `member_area`, `requires`); a test walks every URL and fails on any view without
one, and on any response that leaks another organisation's data.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from coproduce.core.roles import Role


class Permission(enum.StrEnum):
    VIEW_ORGANISATION = "view_organisation"
    VIEW_GROUPS = "view_groups"
    MANAGE_GROUPS = "manage_groups"
    VIEW_PEOPLE = "view_people"
    MANAGE_PEOPLE = "manage_people"
    VIEW_HEALTH_INFORMATION = "view_health_information"
    VIEW_EQUALITY_REPORT = "view_equality_report"
    VIEW_AUDIT = "view_audit"
    MANAGE_ACCOUNTS = "manage_accounts"
    VIEW_OPPORTUNITIES = "view_opportunities"
    REQUEST_INVOLVEMENT = "request_involvement"
    MANAGE_OPPORTUNITIES = "manage_opportunities"
    VIEW_ACTIVITIES = "view_activities"
    MANAGE_ACTIVITIES = "manage_activities"
    MANAGE_CLAIMS = "manage_claims"
    APPROVE_CLAIMS = "approve_claims"
    MANAGE_PAYMENT_POLICY = "manage_payment_policy"
    VIEW_ACTIVITY_REPORT = "view_activity_report"
    VIEW_ASKS = "view_asks"
    RAISE_ASKS = "raise_asks"
    # Answering an ask is also checked against the ask: staff answer only those given to them.
    ANSWER_ASKS = "answer_asks"
    MANAGE_ASKS = "manage_asks"
    VIEW_IMPACT = "view_impact"
    # Editing questionnaires, sending them, and recording self-assessments.
    MANAGE_IMPACT = "manage_impact"
    # Analysis projects are read by their own team only (see coproduce/analysis/team.py); this
    # lets a user be on a team at all, and the next starts new projects.
    USE_ANALYSIS = "use_analysis"
    START_ANALYSIS = "start_analysis"


P = Permission
_STAFF_SIDE = {
    P.VIEW_ORGANISATION,
    P.VIEW_GROUPS,
    P.VIEW_OPPORTUNITIES,
    P.VIEW_ACTIVITIES,
    P.VIEW_ASKS,
    P.VIEW_IMPACT,
    P.USE_ANALYSIS,
}
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.ADMINISTRATOR: frozenset(Permission),
    Role.INVOLVEMENT_LEAD: frozenset(
        _STAFF_SIDE
        | {
            P.MANAGE_GROUPS,
            P.VIEW_PEOPLE,
            P.MANAGE_PEOPLE,
            P.VIEW_HEALTH_INFORMATION,
            P.VIEW_EQUALITY_REPORT,
            P.REQUEST_INVOLVEMENT,
            P.MANAGE_OPPORTUNITIES,
            P.MANAGE_ACTIVITIES,
            P.MANAGE_CLAIMS,
            P.APPROVE_CLAIMS,
            P.MANAGE_PAYMENT_POLICY,
            P.VIEW_ACTIVITY_REPORT,
            P.RAISE_ASKS,
            P.ANSWER_ASKS,
            P.MANAGE_ASKS,
            P.MANAGE_IMPACT,
            P.START_ANALYSIS,
        }
    ),
    # Staff ask for involvement in their work; the lead reviews and publishes it.
    Role.STAFF: frozenset(
        _STAFF_SIDE | {P.VIEW_PEOPLE, P.REQUEST_INVOLVEMENT, P.RAISE_ASKS, P.ANSWER_ASKS}
    ),
    Role.ANALYST: frozenset(_STAFF_SIDE | {P.VIEW_ACTIVITY_REPORT, P.START_ANALYSIS}),
    # A member's rights are over their own record only; they come from `member_area`.
    Role.MEMBER: frozenset(),
}

_CACHE_ATTRIBUTE = "_coproduce_roles"


def roles_by_organisation(user: Any) -> dict[int, frozenset[str]]:
    """The user's roles, keyed by organisation id; read once per request and kept on the user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached: dict[int, frozenset[str]] | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        roles: dict[int, set[str]] = {}
        for organisation_id, role in user.role_assignments.values_list("organisation_id", "role"):
            roles.setdefault(organisation_id, set()).add(role)
        cached = {org: frozenset(found) for org, found in roles.items()}
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_roles(user: Any) -> None:
    """Drop the per-request cache after roles change."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def organisations_with(user: Any, permission: Permission) -> frozenset[int]:
    return frozenset(
        organisation_id
        for organisation_id, roles in roles_by_organisation(user).items()
        if any(permission in ROLE_PERMISSIONS[role] for role in roles)
    )


def has_permission(user: Any, permission: Permission, organisation_id: int | None = None) -> bool:
    allowed = organisations_with(user, permission)
    return bool(allowed) if organisation_id is None else organisation_id in allowed


def require(user: Any, permission: Permission, organisation_id: int) -> None:
    if not has_permission(user, permission, organisation_id):
        raise PermissionDenied


ModelT = TypeVar("ModelT", bound=models.Model)
QuerySetT = TypeVar("QuerySetT", bound="models.QuerySet[Any]")


def _path(model: type[models.Model]) -> str:
    path = getattr(model, "organisation_path", None)
    if path is None:
        raise TypeError(f"{model.__name__} does not declare organisation_path")
    return str(path)


def scoped(user: Any, queryset: QuerySetT, permission: Permission) -> QuerySetT:
    """Only the rows in organisations where the user's roles grant `permission`."""
    return queryset.filter(**{f"{_path(queryset.model)}__in": organisations_with(user, permission)})


def get(
    user: Any, queryset: "models.QuerySet[ModelT]", permission: Permission, **lookup: Any
) -> ModelT:
    """One object the user may act on with `permission`.

    An object outside every organisation the user belongs to is "not found", so its existence is
    not revealed; one inside the user's organisation but beyond their role is "forbidden".
    """
    path = _path(queryset.model)
    permitted = queryset.filter(
        **lookup, **{f"{path}__in": organisations_with(user, permission)}
    ).first()
    if permitted is not None:
        return permitted
    mine = roles_by_organisation(user).keys()
    if queryset.filter(**lookup, **{f"{path}__in": mine}).exists():
        raise PermissionDenied
    raise Http404


# View rules: each view declares exactly one, and the URL walk test reads it back.


@dataclass(frozen=True)
class AccessRule:
    kind: str  # "public", "signed_in", "member_area" or "permission"
    permission: Permission | None = None
    # Pages inside an analysis project also need this right in the project's team.
    team_right: str | None = None


ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def _declare(view: Any, rule: AccessRule) -> None:
    view.access_rule = rule


def public(view: ViewFunc) -> ViewFunc:
    _declare(view, AccessRule("public"))
    return view


def signed_in(view: ViewFunc) -> ViewFunc:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    _declare(wrapper, AccessRule("signed_in"))
    return wrapper  # type: ignore[return-value]


def member_area(view: ViewFunc) -> ViewFunc:
    """Pages about the signed-in person's own record; nobody else's record is reachable here."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request.user, "person", None) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    _declare(wrapper, AccessRule("member_area"))
    return wrapper  # type: ignore[return-value]


def requires(permission: Permission) -> Callable[[ViewFunc], ViewFunc]:
    """The user must hold `permission` in some organisation; objects are checked with `get`."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_permission(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        _declare(wrapper, AccessRule("permission", permission))
        return wrapper  # type: ignore[return-value]

    return decorator


def rule_of(view: Any) -> AccessRule | None:
    """The declared rule of a resolved view (class-based views carry it on `view_class`)."""
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "__wrapped__", None)):
        rule = getattr(candidate, "access_rule", None)
        if rule is not None:
            return rule
    return None
