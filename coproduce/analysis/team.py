"""Who may do what inside an analysis project: the project's own team, on top of the
organisation's roles.

Interview transcripts and patient comments are read by the people analysing them and nobody
else, so a project is reached through `access.get` (the organisation must grant
USE_ANALYSIS) and then through its team: a user who is not on the team is refused even if they
administer the organisation. Every page inside a project declares its right with `on_project`,
and the permission walk reads that right back.
"""

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from coproduce.analysis.models import Project, TeamMember, TeamRole
from coproduce.core import access
from coproduce.core.access import AccessRule, Permission


class Right(enum.StrEnum):
    VIEW = "view"  # read sources, codes, reports
    CODE = "code"  # code, write memos
    LEAD = "lead"  # import and release sources, edit the codebook, open the comparison, agree


RIGHTS: dict[str, frozenset[Right]] = {
    TeamRole.LEAD: frozenset(Right),
    TeamRole.CODER: frozenset({Right.VIEW, Right.CODE}),
    TeamRole.VIEWER: frozenset({Right.VIEW}),
}


def role_in(user: Any, project: Project) -> str | None:
    cache: dict[int, str | None] = user.__dict__.setdefault("_coproduce_teams", {})
    if project.pk not in cache:
        cache[project.pk] = (
            TeamMember.objects.filter(project=project, user=user)
            .values_list("role", flat=True)
            .first()
        )
    return cache[project.pk]


def may(user: Any, project: Project, right: Right) -> bool:
    role = role_in(user, project)
    return role is not None and right in RIGHTS[role]


def projects_of(user: Any) -> Any:
    """The projects the user is on the team of, in organisations that let them analyse."""
    return access.scoped(user, Project.objects.all(), Permission.USE_ANALYSIS).filter(
        team__user=user
    )


def project(user: Any, pk: int, right: Right) -> Project:
    """The project, if the user's organisation lets them analyse and their team role allows
    `right`: another organisation's project is not found, one they are not on is forbidden."""
    found = access.get(
        user, Project.objects.select_related("organisation"), Permission.USE_ANALYSIS, pk=pk
    )
    if not may(user, found, right):
        raise PermissionDenied
    return found


def on_project(right: Right) -> Callable[[Callable[..., HttpResponseBase]], Any]:
    """A view inside a project: the URL's `project_pk` becomes the `project` argument."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Any:
        @wraps(view)
        def inner(request: HttpRequest, *args: Any, project_pk: int, **kwargs: Any) -> Any:
            found = project(request.user, project_pk, right)
            return view(request, *args, project=found, **kwargs)

        wrapper = access.requires(Permission.USE_ANALYSIS)(inner)
        wrapper.access_rule = AccessRule(  # type: ignore[attr-defined]
            "permission", Permission.USE_ANALYSIS, team_right=right
        )
        return wrapper

    return decorator
