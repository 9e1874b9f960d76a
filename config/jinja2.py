"""The Jinja2 environment for every page.

Templates resolve first from the apps' own `jinja2/` folders, then from nhsuk-frontend-jinja, so
pages extend the NHS.UK page template and call its component macros directly.
"""

from typing import Any

from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from coproduce.core import presenters
from coproduce.nhsuk_forms import rendering


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    options["undefined"] = ChainableUndefined
    options.setdefault("autoescape", True)
    env = Environment(**options)  # noqa: S701 - autoescape is set just above
    env.globals.update(
        {
            "url": url,
            "static": static,
            "now": timezone.now,
            "get_messages": messages.get_messages,
            "form_field": rendering.form_field(env),
            "error_summary": rendering.error_summary(env),
            "remembered_component": rendering.remembered_component(env),
        }
    )
    env.filters.update(
        {
            "date": presenters.format_date,
            "datetime": presenters.format_datetime,
            "count": presenters.format_count,
        }
    )
    return env
