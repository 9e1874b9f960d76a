"""Django's model backend, loading the signed-in user's person record with the user."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithPersonBackend(ModelBackend):
    # Every page's navigation asks whether the user has a person record ("My details"): fetching
    # it in the same query as the user saves a query on every request.
    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("person").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
