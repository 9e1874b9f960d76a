"""Helpers that let views hand a form to a service and show the service's refusal on the form."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.db import IntegrityError

from coproduce.core.errors import ServiceError

T = TypeVar("T")


def submit(form: forms.BaseForm, action: Callable[[], T]) -> T | None:
    """Run `action` for a valid form; on a ServiceError, attach its message to the form."""
    if not form.is_valid():
        return None
    try:
        return action()
    except ServiceError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
    except IntegrityError:
        form.add_error(None, "This could not be saved because it conflicts with another record.")
    return None
