"""Sign-in and role forms, with messages in plain English."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from coproduce.core.access import Role
from coproduce.organisations.models import Organisation


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case sensitive.",
        "inactive": "This sign-in has been switched off. Ask your organisation to switch it back on.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username or email address"
        self.fields["username"].error_messages["required"] = "Enter your username or email address"
        self.fields["password"].error_messages["required"] = "Enter your password"


class RoleForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Organisation",
        error_messages={"required": "Select an organisation"},
    )
    role = forms.ChoiceField(
        choices=Role.choices,
        widget=forms.RadioSelect,
        label="Role",
        error_messages={"required": "Select a role"},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
