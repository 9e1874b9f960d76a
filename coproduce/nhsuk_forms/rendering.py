"""Render a Django form field as a whole NHS.UK component: label, hint, error and control.

Templates call `form_field(form["name"])` and get the component the widget calls for, so every
form in Coproduce looks and behaves the same and error messages always sit where the NHS.UK
design system expects them.
"""

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from jinja2 import Environment
from markupsafe import Markup

from coproduce.nhsuk_forms.fields import DateInput

AUTOCOMPLETE = {
    "given_name": "given-name",
    "family_name": "family-name",
    "email": "email",
    "phone": "tel",
    "postcode": "postal-code",
    "username": "username",
    "password": "current-password",
}


def _macro(env: Environment, component: str, name: str) -> Callable[[dict[str, Any]], Markup]:
    module = env.get_template(f"nhsuk/components/{component}/macro.jinja").module
    return getattr(module, name)


def remembered_component(env: Environment) -> Callable[[str, str, dict[str, Any]], Markup]:
    """Render a component macro, reusing the markup last made from the same parameters.

    The header, the footer and empty filter fields are on most pages and cost a few milliseconds
    each to render through the component macros, yet their parameters rarely change. The macros
    are pure functions of their parameters, so the output can be kept (per process, bounded).
    """

    @lru_cache(maxsize=512)
    def render(component: str, macro: str, params_json: str) -> Markup:
        return _macro(env, component, macro)(json.loads(params_json))

    def component(component: str, macro: str, params: dict[str, Any]) -> Markup:
        return render(component, macro, json.dumps(params, sort_keys=True))

    return component


def _error(bound: forms.BoundField) -> dict[str, str] | None:
    if bound.errors:
        return {"text": " ".join(str(error) for error in bound.errors)}
    return None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [str(item) for item in value]
    return [str(value)]


def _legend(text: str, size: str | None, options: dict[str, Any]) -> dict[str, Any]:
    # With heading=True the legend is the page's h1, as the NHS.UK pattern for one question.
    return {"text": text, "size": size or "s", "isPageHeading": options.pop("heading", False)}


def field_params(bound: forms.BoundField, **options: Any) -> tuple[str, str, dict[str, Any]]:
    """Choose the NHS.UK component for a field and build its parameters."""
    widget = bound.field.widget
    label_text = options.pop("label", None) or str(bound.label)
    hint = options.pop("hint", None) or (str(bound.help_text) if bound.help_text else None)
    size = options.pop("size", None)
    common: dict[str, Any] = {"errorMessage": _error(bound)}
    if hint:
        common["hint"] = {"text": hint}
    if not bound.field.required and not isinstance(widget, forms.CheckboxInput):
        label_text = f"{label_text} (optional)"
    value = bound.value()

    if isinstance(widget, DateInput):
        values = ([*list(value), None, None, None])[:3] if value else [None, None, None]
        # Each box is named "<field>-day" and so on, as DateInput reads them back. (The
        # component's own namePrefix would name them "<field>[day]", which DateInput ignores.)
        return (
            "date-input",
            "dateInput",
            {
                **common,
                "id": bound.auto_id,
                "fieldset": {"legend": _legend(label_text, size, options)},
                "items": [
                    {
                        "id": f"{bound.auto_id}-{part}",
                        "name": f"{bound.html_name}-{part}",
                        "label": part.capitalize(),
                        "width": 4 if part == "year" else 2,
                        "value": part_value,
                    }
                    for part, part_value in zip(DateInput.parts, values, strict=True)
                ],
            },
        )
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        selected = _as_list(value)
        checked_key = "checked"
        items = [
            {
                "value": str(choice_value),
                "text": str(choice_label),
                checked_key: str(choice_value) in selected,
            }
            for choice_value, choice_label in bound.field.choices  # type: ignore[attr-defined]
            if str(choice_value) != ""
        ]
        # Django's CheckboxSelectMultiple is a subclass of RadioSelect, so ask about it first.
        component, macro = (
            ("checkboxes", "checkboxes")
            if isinstance(widget, forms.CheckboxSelectMultiple)
            else ("radios", "radios")
        )
        return (
            component,
            macro,
            {
                **common,
                "idPrefix": bound.auto_id,
                "name": bound.html_name,
                "fieldset": {"legend": _legend(label_text, size, options)},
                "items": items,
                **({"classes": "nhsuk-radios--inline"} if options.pop("inline", False) else {}),
            },
        )
    if isinstance(widget, forms.CheckboxInput):
        return (
            "checkboxes",
            "checkboxes",
            {
                **common,
                "idPrefix": bound.auto_id,
                "name": bound.html_name,
                "items": [{"value": "on", "text": label_text, "checked": bool(value)}],
            },
        )
    base = {**common, "id": bound.auto_id, "name": bound.html_name, "label": {"text": label_text}}
    if size:
        base["label"].update({"size": size, "isPageHeading": options.pop("heading", False)})
    if isinstance(widget, forms.Select):
        selected = _as_list(value)
        items = [
            {"value": str(v), "text": str(text), "selected": str(v) in selected}
            for v, text in bound.field.choices  # type: ignore[attr-defined]
        ]
        return "select", "select", {**base, "items": items}
    if isinstance(widget, forms.Textarea):
        max_length = getattr(bound.field, "max_length", None)
        params = {**base, "value": value or "", "rows": widget.attrs.get("rows", 5)}
        if max_length:
            return "character-count", "characterCount", {**params, "maxlength": max_length}
        return "textarea", "textarea", params
    input_type = getattr(widget, "input_type", "text")
    params = {
        **base,
        "type": input_type,
        "value": "" if input_type == "password" else (value if value is not None else ""),
        "autocomplete": options.pop("autocomplete", AUTOCOMPLETE.get(bound.name)),
        "spellcheck": False if input_type in {"email", "password"} else None,
    }
    if options.get("classes"):
        params["classes"] = options.pop("classes")
    if input_type == "password":
        return "password-input", "passwordInput", params
    return "input", "input", params


def form_field(env: Environment) -> Callable[..., Markup]:
    remembered = remembered_component(env)

    def render(bound: forms.BoundField, **options: Any) -> Markup:
        component, macro, params = field_params(bound, **options)
        # Only a field with nothing in it is remembered: what people type is not kept around.
        value = bound.value()
        # An empty date comes back as three empty boxes.
        empty = value in (None, "", [], False) or (isinstance(value, list) and not any(value))
        if empty and not bound.errors:
            return remembered(component, macro, params)
        return _macro(env, component, macro)(params)

    return render


def error_summary(env: Environment) -> Callable[[forms.BaseForm], Markup]:
    """The summary at the top of a page that failed validation, linking to each field."""

    def render(form: forms.BaseForm) -> Markup:
        if not form.errors:
            return Markup("")
        items: list[dict[str, str]] = [
            {"text": str(error), "href": "#"} for error in form.non_field_errors()
        ]
        for name, errors in form.errors.items():
            if name == NON_FIELD_ERRORS:
                continue
            bound = form[name]
            target = bound.auto_id
            if isinstance(bound.field.widget, DateInput):
                target = f"{bound.auto_id}-day"
            elif isinstance(bound.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                target = f"{bound.auto_id}"
            items.extend({"text": str(error), "href": f"#{target}"} for error in errors)
        return _macro(env, "error-summary", "errorSummary")(
            {"titleText": "There is a problem", "errorList": items}
        )

    return render
