"""Signing in and out, setting a password, and administrators managing roles."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from coproduce.accounts import services
from coproduce.accounts.forms import RoleForm, SignInForm
from coproduce.accounts.models import RoleAssignment, User
from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.errors import ServiceError
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.pagination import paginate
from coproduce.organisations.models import Organisation

sign_in = access.public(
    auth_views.LoginView.as_view(
        template_name="accounts/sign_in.jinja",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
        extra_context={"title": "Sign in"},
    )
)

set_password = access.public(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/set_password.jinja",
        form_class=SetPasswordForm,
        success_url=reverse_lazy("accounts:login"),
        post_reset_login=False,
        extra_context={"title": "Choose your password"},
    )
)

change_password = access.signed_in(
    auth_views.PasswordChangeView.as_view(
        template_name="accounts/change_password.jinja",
        form_class=PasswordChangeForm,
        success_url=reverse_lazy("core:home"),
        extra_context={"title": "Change your password"},
    )
)


@access.public
def sign_out(request: AuthenticatedRequest) -> HttpResponse:
    """A page with a button: signing out changes state, so it is a POST, never a bare link."""
    if request.method == "POST":
        logout(request)
        messages.success(request, "You have signed out")
        return redirect("accounts:login")
    return render(request, "accounts/sign_out.jinja", {"title": "Sign out"})


@access.requires(Permission.MANAGE_ACCOUNTS)
def user_list(request: AuthenticatedRequest) -> HttpResponse:
    organisations = access.organisations_with(request.user, Permission.MANAGE_ACCOUNTS)
    assignments = RoleAssignment.objects.filter(organisation_id__in=organisations).select_related(
        "organisation"
    )
    users = (
        User.objects.filter(role_assignments__organisation_id__in=organisations)
        .distinct()
        .order_by("last_name", "first_name", "username")
        .prefetch_related(
            Prefetch("role_assignments", queryset=assignments, to_attr="visible_roles")
        )
    )
    q = request.GET.get("q", "").strip()[:100]
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    return render(
        request,
        "accounts/users.jinja",
        {"title": "Accounts and roles", "users": paginate(request, users), "q": q},
    )


@access.requires(Permission.MANAGE_ACCOUNTS)
def user_roles(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisations = access.scoped(
        request.user, Organisation.objects.all(), Permission.MANAGE_ACCOUNTS
    )
    user = access.get(
        request.user,
        User.objects.filter(role_assignments__organisation__in=organisations).distinct(),
        Permission.MANAGE_ACCOUNTS,
        pk=pk,
    )
    form = RoleForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove:
            assignment = access.get(
                request.user,
                RoleAssignment.objects.filter(user=user),
                Permission.MANAGE_ACCOUNTS,
                pk=remove,
            )
            try:
                services.remove_role(actor=request.user, assignment=assignment)
            except ServiceError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, "The role has been removed")
                return redirect("accounts:user_roles", user.pk)
        else:
            added = submit(
                form,
                lambda: services.assign_role(
                    actor=request.user,
                    user=user,
                    organisation=form.cleaned_data["organisation"],
                    role=form.cleaned_data["role"],
                ),
            )
            if added:
                messages.success(request, "The role has been added")
                return redirect("accounts:user_roles", user.pk)
    roles = access.scoped(
        request.user,
        user.role_assignments.select_related("organisation"),
        Permission.MANAGE_ACCOUNTS,
    )
    return render(
        request,
        "accounts/user_roles.jinja",
        {
            "title": f"Roles for {user.get_full_name() or user.username}",
            "account": user,
            "roles": roles,
            "form": form,
            "back_url": "/account/users/",
        },
    )
