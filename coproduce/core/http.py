"""Request types for views whose access rule guarantees a signed-in user."""

from django.http import HttpRequest

from coproduce.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
