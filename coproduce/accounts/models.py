"""Who can sign in, the roles they hold in each organisation, and their API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from coproduce.core.models import TimestampedModel
from coproduce.core.roles import Role


class User(AbstractUser):
    """A sign-in. A member's user is linked to their person record (`person`)."""

    organisation_path = "role_assignments__organisation"

    # Names and e-mail live on the person record for members; staff keep theirs here.
    email = models.EmailField(blank=True)


class RoleAssignment(TimestampedModel):
    organisation_path = "organisation"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="one_role_assignment_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.get_role_display()} at {self.organisation}"


TOKEN_LIFETIME = timedelta(days=30)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def current(self) -> "ApiTokenQuerySet":
        return self.filter(expires_at__gt=timezone.now(), user__is_active=True)


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"API token for {self.user} until {self.expires_at:%Y-%m-%d}"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User) -> tuple["ApiToken", str]:
        raw = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, digest=cls.digest_of(raw), expires_at=timezone.now() + TOKEN_LIFETIME
        )
        return token, raw
