"""Starting a project and choosing its team."""

from typing import Any

from django.db import transaction

from coproduce.accounts.models import User
from coproduce.analysis.models import Project, TeamMember, TeamRole
from coproduce.core import access, audit
from coproduce.core.access import Permission
from coproduce.core.errors import ServiceError
from coproduce.organisations.models import Organisation


@transaction.atomic
def start_project(
    *,
    by: User,
    organisation: Organisation,
    name: str,
    description: str = "",
    blind: bool = True,
    pseudonymise: bool = True,
    keep_originals: bool = False,
) -> Project:
    """A new project, with the person who starts it as its lead analyst."""
    access.require(by, Permission.START_ANALYSIS, organisation.pk)
    project = Project.objects.create(
        organisation=organisation,
        name=name,
        description=description,
        blind=blind,
        pseudonymise=pseudonymise,
        keep_originals=keep_originals,
    )
    TeamMember.objects.create(project=project, user=by, role=TeamRole.LEAD)
    audit.record(
        actor=by,
        action="analysis.project_started",
        target=project,
        summary=f"Started the analysis project {name}",
        organisation_id=organisation.pk,
    )
    return project


@transaction.atomic
def change_project(*, by: User, project: Project, **changes: Any) -> Project:
    allowed = {"name", "description", "blind", "pseudonymise", "keep_originals"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(project, name) != value]
    for name in changed:
        setattr(project, name, changes[name])
    if changed:
        project.save(update_fields=[*changed, "updated_at"])
        audit.record(
            actor=by,
            action="analysis.project_changed",
            target=project,
            summary=f"Changed the settings of {project.name}",
            organisation_id=project.organisation_id,
            changed_fields=changed,
        )
    return project


def _leads(project: Project) -> int:
    return project.team.filter(role=TeamRole.LEAD).count()


@transaction.atomic
def set_team_role(*, by: User, project: Project, user: User, role: str) -> TeamMember:
    """Add someone to the team, or change their role. They must be able to analyse in the
    project's organisation (an analyst, a lead, staff or an administrator there)."""
    if role not in TeamRole.values:
        raise ServiceError("Choose lead analyst, coder or viewer", field="role")
    if not access.has_permission(user, Permission.USE_ANALYSIS, project.organisation_id):
        raise ServiceError(
            "This person has no analyst, staff or lead role in the organisation", field="user"
        )
    member, created = TeamMember.objects.get_or_create(
        project=project, user=user, defaults={"role": role}
    )
    if not created and member.role != role:
        if member.role == TeamRole.LEAD and _leads(project) == 1:
            raise ServiceError("A project needs a lead analyst: make someone else lead first")
        member.role = role
        member.save(update_fields=["role", "updated_at"])
    audit.record(
        actor=by,
        action="analysis.team_changed",
        target=member,
        summary=f"{user} is a {member.get_role_display().lower()} on {project.name}",
        organisation_id=project.organisation_id,
    )
    return member


@transaction.atomic
def remove_from_team(*, by: User, member: TeamMember) -> None:
    project = member.project
    if member.role == TeamRole.LEAD and _leads(project) == 1:
        raise ServiceError("A project needs a lead analyst: make someone else lead first")
    audit.record(
        actor=by,
        action="analysis.team_changed",
        target=project,
        summary=f"{member.user} left the team of {project.name}",
        organisation_id=project.organisation_id,
    )
    member.delete()
