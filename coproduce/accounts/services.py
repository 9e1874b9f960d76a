"""Sign-ins, roles and API tokens."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from coproduce.accounts.models import ApiToken, RoleAssignment, User
from coproduce.core import access, audit
from coproduce.core.access import Role
from coproduce.core.errors import ServiceError
from coproduce.organisations.models import Organisation
from coproduce.people.models import Person


def set_password_link(request: HttpRequest, user: User) -> str:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


@transaction.atomic
def give_sign_in(*, actor: User, person: Person, request: HttpRequest) -> User:
    """Register a member on their behalf: a sign-in with no password, and an e-mail to set one."""
    if person.user_id is not None:
        raise ServiceError(f"{person.full_name} can already sign in", status=409)
    if not person.email:
        raise ServiceError(
            "Add an email address first: the invitation is sent there", field="email"
        )
    if User.objects.filter(username__iexact=person.email).exists():
        raise ServiceError("A sign-in already uses this email address", field="email", status=409)
    user = User(
        username=person.email,
        email=person.email,
        first_name=person.given_name,
        last_name=person.family_name,
    )
    user.set_unusable_password()
    user.save()
    RoleAssignment.objects.create(
        user=user, organisation_id=person.organisation_id, role=Role.MEMBER
    )
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    audit.record(
        actor=actor,
        action="account.created",
        target=user,
        summary=f"Created a sign-in for {person.full_name}",
        organisation_id=person.organisation_id,
        person=person,
        on_behalf_of=person,
    )
    link = set_password_link(request, user)
    transaction.on_commit(
        lambda: send_mail(
            subject="Set up your Coproduce sign-in",
            message=(
                f"Hello {person.given_name},\n\n"
                f"{person.organisation.name} has set up a Coproduce sign-in for you, so you can see "
                "and update your details and choose how we contact you.\n\n"
                f"Choose your password here (the link works for {settings.PASSWORD_RESET_TIMEOUT // 86400} days):\n{link}\n\n"
                f"Your username is {user.username}.\n"
            ),
            from_email=None,
            recipient_list=[person.email],
        )
    )
    return user


@transaction.atomic
def assign_role(
    *, actor: User, user: User, organisation: Organisation, role: str
) -> RoleAssignment:
    if role not in Role.values:
        raise ServiceError("Choose a role", field="role")
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    if not created:
        raise ServiceError(f"{user.get_username()} already has this role", field="role", status=409)
    access.forget_roles(user)
    audit.record(
        actor=actor,
        action="role.assigned",
        target=assignment,
        summary=f"Gave {user.get_username()} the role {assignment.get_role_display().lower()}",
        organisation_id=organisation.pk,
    )
    return assignment


@transaction.atomic
def remove_role(*, actor: User, assignment: RoleAssignment) -> None:
    if assignment.user_id == actor.pk and assignment.role == Role.ADMINISTRATOR:
        raise ServiceError("You cannot remove your own administrator role")
    audit.record(
        actor=actor,
        action="role.removed",
        target=assignment,
        summary=f"Removed the role {assignment.get_role_display().lower()} from {assignment.user.get_username()}",
        organisation_id=assignment.organisation_id,
    )
    assignment.delete()


def issue_api_token(*, user: User) -> str:
    """A new API token for a signed-in user; the raw value is returned once and never stored."""
    _, raw = ApiToken.issue(user)
    return raw
