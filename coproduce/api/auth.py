"""Bearer-token authentication for the API, checked against the stored SHA-256 digest."""

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from coproduce.accounts.models import ApiToken, User


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.current()
            .select_related("user")
            .filter(digest=ApiToken.digest_of(token))
            .first()
        )
        if found is None:
            return None
        request.user = found.user
        return found.user


def actor(request: HttpRequest) -> User:
    """The user a token authenticated; every operation behind TokenAuth has one."""
    user = request.user
    if not isinstance(user, User):
        raise AuthenticationError
    return user
