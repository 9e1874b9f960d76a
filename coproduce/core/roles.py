"""The roles a user can hold in an organisation (kept apart from access.py so models can import it)."""

from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    INVOLVEMENT_LEAD = "involvement_lead", "Involvement lead"
    STAFF = "staff", "Staff"
    ANALYST = "analyst", "Analyst"
    MEMBER = "member", "Member"
