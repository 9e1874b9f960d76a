"""Bearer-token authentication for the API, checked against the stored SHA-256 digest."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from coproduce.accounts.models import ApiToken


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
