"""The projects a user works on, starting one, its settings and its team."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from coproduce.accounts.models import User
from coproduce.analysis import team
from coproduce.analysis.forms import ProjectForm, TeamMemberForm
from coproduce.analysis.models import Import, Project, Source, TeamMember
from coproduce.analysis.services import coding, projects
from coproduce.analysis.team import Right, on_project
from coproduce.core import access
from coproduce.core.access import ROLE_PERMISSIONS, Permission
from coproduce.core.errors import ServiceError
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.organisations.models import Organisation


@access.requires(Permission.USE_ANALYSIS)
def project_list(request: AuthenticatedRequest) -> HttpResponse:
    mine = (
        team.projects_of(request.user)
        .select_related("organisation")
        .annotate(
            documents=Count(
                "sources",
                filter=Q(sources__source_import__status=Import.Status.RELEASED)
                & ~Q(sources__kind=Source.Kind.RESPONSE),
            )
        )
        .order_by("name")
    )
    roles = dict(
        TeamMember.objects.filter(user=request.user, project__in=mine).values_list(
            "project_id", "role"
        )
    )
    return render(
        request,
        "analysis/projects.jinja",
        {
            "title": "Analysis projects",
            "projects": [(project, roles.get(project.pk)) for project in mine],
            "may_start": access.has_permission(request.user, Permission.START_ANALYSIS),
            "column": "full",
        },
    )


@access.requires(Permission.START_ANALYSIS)
def project_create(request: AuthenticatedRequest) -> HttpResponse:
    organisations = access.scoped(
        request.user, Organisation.objects.order_by("name"), Permission.START_ANALYSIS
    )
    form = ProjectForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        project = submit(
            form,
            lambda: projects.start_project(
                by=request.user,
                organisation=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                blind=form.cleaned_data["blind"],
                pseudonymise=form.cleaned_data["pseudonymise"],
                keep_originals=form.cleaned_data["keep_originals"],
            ),
        )
        if project:
            messages.success(request, f"Project {project.name} started: you are its lead analyst")
            return redirect("analysis:project", project_pk=project.pk)
    return render(
        request,
        "analysis/project_form.jinja",
        {"title": "Start an analysis project", "form": form, "back_url": "/analysis/"},
    )


@on_project(Right.VIEW)
def project_detail(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    # Counted from the imports, not from a million rows joined to them.
    released = project.imports.filter(status=Import.Status.RELEASED)
    counts = {
        "documents": Source.objects.filter(project=project, source_import__in=released)
        .documents()
        .count(),
        "responses": released.filter(dataset__isnull=False).aggregate(total=Sum("rows_done"))[
            "total"
        ]
        or 0,
    }
    waiting = project.imports.exclude(status=Import.Status.RELEASED).order_by("-created_at")[:10]
    segments = coding.visible_segments(request.user, project)
    return render(
        request,
        "analysis/project.jinja",
        {
            "title": project.name,
            "project": project,
            "counts": counts,
            "codes": project.codes.current().count(),
            "segments": segments.count(),
            "mine": segments.filter(coder=request.user).count(),
            "waiting": waiting,
            "role": team.role_in(request.user, project),
            "is_lead": team.may(request.user, project, Right.LEAD),
        },
    )


@on_project(Right.LEAD)
def project_edit(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    organisations = Organisation.objects.filter(pk=project.organisation_id)
    form = ProjectForm(
        request.POST or None,
        organisations=organisations,
        editing=True,
        initial={
            "name": project.name,
            "description": project.description,
            "blind": project.blind,
            "pseudonymise": project.pseudonymise,
            "keep_originals": project.keep_originals,
        },
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda: projects.change_project(
                by=request.user,
                project=project,
                **{
                    name: form.cleaned_data[name]
                    for name in ("name", "description", "blind", "pseudonymise", "keep_originals")
                },
            ),
        )
        if saved:
            messages.success(request, "Project settings saved")
            return redirect("analysis:project", project_pk=project.pk)
    return render(
        request,
        "analysis/project_form.jinja",
        {"title": "Project settings", "form": form, "project": project, "editing": True},
    )


def _candidates(project: Project) -> "list[int]":
    """Users who may join: those with a role that lets them analyse in the organisation."""
    allowed = [
        role for role, rights in ROLE_PERMISSIONS.items() if Permission.USE_ANALYSIS in rights
    ]
    return list(
        User.objects.filter(
            role_assignments__organisation=project.organisation_id,
            role_assignments__role__in=allowed,
            is_active=True,
        )
        .values_list("pk", flat=True)
        .distinct()
    )


@on_project(Right.VIEW)
def team_list(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    is_lead = team.may(request.user, project, Right.LEAD)
    form = TeamMemberForm(
        request.POST or None,
        users=User.objects.filter(pk__in=_candidates(project)).order_by("last_name", "email"),
    )
    if request.method == "POST":
        if not is_lead:
            raise PermissionDenied
        member = submit(
            form,
            lambda: projects.set_team_role(
                by=request.user,
                project=project,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
            ),
        )
        if member:
            messages.success(request, f"{member.user} is now a {member.get_role_display().lower()}")
            return redirect("analysis:team", project_pk=project.pk)
    return render(
        request,
        "analysis/team.jinja",
        {
            "title": "Team",
            "project": project,
            "members": project.team.select_related("user"),
            "form": form if is_lead else None,
            "is_lead": is_lead,
        },
    )


@on_project(Right.LEAD)
def team_remove(request: AuthenticatedRequest, project: Project, member_pk: int) -> HttpResponse:
    member = get_object_or_404(
        TeamMember.objects.select_related("user"), project=project, pk=member_pk
    )
    if request.method != "POST":
        return render(
            request,
            "core/confirm.jinja",
            {
                "title": f"Remove {member.user} from the team",
                "caption": project.name,
                "explanation": "Their coding stays in the project, under their name.",
                "submit": "Remove from the team",
                "fields": [],
                "back_url": f"/analysis/{project.pk}/team/",
            },
        )
    try:
        projects.remove_from_team(by=request.user, member=member)
        messages.success(request, f"{member.user} is no longer on the team")
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("analysis:team", project_pk=project.pk)


urlpatterns = [
    path("", project_list, name="projects"),
    path("new/", project_create, name="project_create"),
    path("<int:project_pk>/", project_detail, name="project"),
    path("<int:project_pk>/settings/", project_edit, name="project_edit"),
    path("<int:project_pk>/team/", team_list, name="team"),
    path("<int:project_pk>/team/<int:member_pk>/remove/", team_remove, name="team_remove"),
]
