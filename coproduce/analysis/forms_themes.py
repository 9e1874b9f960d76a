"""Forms for themes, cases and their attributes, and the choices that shape each report."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet

from coproduce.accounts.models import User
from coproduce.analysis.models import Attribute, Case, Code, Layer, Source, Theme
from coproduce.analysis.services.cases import (
    InvalidValue,
    field_name,
    parse_value,
    problem,
)
from coproduce.nhsuk_forms.fields import DateField

# Themes ------------------------------------------------------------------------------------


class ThemeForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="A working name is fine for a candidate theme; you can rename it later",
        error_messages={"required": "Enter a name for the theme"},
    )
    definition = forms.CharField(
        label="Definition",
        help_text="What the theme is about and what it is not: its central idea in a few sentences",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        required=False,
    )


class ThemeStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Where has this theme got to?",
        choices=[
            (Theme.Status.CANDIDATE, "Candidate: codes gathered while searching for themes"),
            (Theme.Status.REVIEWED, "Reviewed: checked against the coded text and the data set"),
            (Theme.Status.DEFINED, "Defined and named: its definition and name are settled"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the theme has got to"},
    )


class CodeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name) + (" (retired)" if obj.retired else "")


class ThemeCodesForm(forms.Form):
    codes = CodeChoiceField(
        label="Codes to add",
        queryset=Code.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one code"},
    )

    def __init__(self, *args: Any, codes: "QuerySet[Code]", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["codes"].queryset = codes  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    direction = forms.ChoiceField(
        label="Move the theme",
        choices=[("earlier", "One place earlier"), ("later", "One place later")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where to move the theme"},
    )


# Attributes and cases --------------------------------------------------------------------


class AttributeForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="For example: age group, site, date of interview",
        error_messages={"required": "Enter a name for the attribute"},
    )
    kind = forms.ChoiceField(
        label="What kind of value does it hold?",
        choices=Attribute.Kind.choices,
        widget=forms.RadioSelect,
        initial=Attribute.Kind.TEXT,
        error_messages={"required": "Choose what kind of value this attribute holds"},
    )
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


BOOLEAN_CHOICES = [("yes", "Yes"), ("no", "No"), ("unknown", "Not recorded")]


class CaseForm(forms.Form):
    """A case's name and description, with one field per attribute of the project, each of
    the kind its attribute asks for."""

    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="A person (under a pseudonym such as P1), a site or a group",
        error_messages={"required": "Enter a name for the case"},
    )
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(
        self, *args: Any, attributes: list[Attribute], case: Case | None = None, **kwargs: Any
    ) -> None:
        if case is not None:
            kwargs.setdefault("initial", {}).update(
                {"name": case.name, "description": case.description}
                | {
                    field_name(attribute): self._initial(attribute, case.values)
                    for attribute in attributes
                }
            )
        super().__init__(*args, **kwargs)
        self.attributes = attributes
        for attribute in attributes:
            self.fields[field_name(attribute)] = self._field(attribute)

    @staticmethod
    def _initial(attribute: Attribute, values: dict[str, Any]) -> Any:
        value = values.get(str(attribute.pk))
        if value is None:
            return "unknown" if attribute.kind == Attribute.Kind.BOOLEAN else None
        try:
            parsed = parse_value(attribute.kind, value)
        except InvalidValue:
            return value
        if attribute.kind == Attribute.Kind.DATE:
            return datetime.date.fromisoformat(parsed)
        if attribute.kind == Attribute.Kind.BOOLEAN:
            return "yes" if parsed else "no"
        return parsed

    @staticmethod
    def _field(attribute: Attribute) -> forms.Field:
        hint = attribute.description
        label = attribute.name
        if attribute.kind == Attribute.Kind.DATE:
            return DateField(
                label=label,
                required=False,
                help_text=hint or "For example, 15 3 2026",
                error_messages={
                    "incomplete": f"{attribute.name} must have a day, month and year",
                    "invalid": problem(attribute),
                },
            )
        if attribute.kind == Attribute.Kind.BOOLEAN:
            return forms.ChoiceField(
                label=label,
                choices=BOOLEAN_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                help_text=hint,
            )
        return forms.CharField(
            label=label,
            required=False,
            help_text=hint or ("A number, like 12 or 3.5" if attribute.kind == "number" else ""),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for attribute in self.attributes:
            name = field_name(attribute)
            if name in self.errors:
                continue
            raw = data.get(name)
            if attribute.kind == Attribute.Kind.BOOLEAN and raw == "unknown":
                raw = None
            try:
                parse_value(attribute.kind, raw)
            except InvalidValue:
                self.add_error(name, problem(attribute))
        return data

    def values(self) -> dict[Attribute, Any]:
        """Each attribute's value as entered, for the service (which checks it again)."""
        values = {}
        for attribute in self.attributes:
            raw = self.cleaned_data.get(field_name(attribute))
            if attribute.kind == Attribute.Kind.BOOLEAN and raw in ("unknown", ""):
                raw = None
            values[attribute] = raw
        return values


class SourceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display().lower()})"


class LinkSourcesForm(forms.Form):
    sources = SourceChoiceField(
        label="Sources to link to this case",
        queryset=Source.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one source"},
    )

    def __init__(
        self, *args: Any, sources: "QuerySet[Source]", shown: list[Source], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sources"]
        field.queryset = sources  # type: ignore[attr-defined]
        # Only one page of sources is offered at a time; any of the project's may be chosen.
        field.choices = [(source.pk, field.label_from_instance(source)) for source in shown]  # type: ignore[attr-defined]


class FindSourcesForm(forms.Form):
    q = forms.CharField(label="Source name contains", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("", "Any kind"), *Source.Kind.choices],
        required=False,
    )


class FindCasesForm(forms.Form):
    q = forms.CharField(label="Case name contains", required=False, max_length=200)


# Reports ---------------------------------------------------------------------------------

LAYER_CHOICES = [
    (Layer.CODER, "Each coder's own coding"),
    (Layer.CONSENSUS, "The coding the team agreed (consensus)"),
]


class ReportForm(forms.Form):
    """Which coding a report reads, and what it is about. Every field has a default, so the
    report shows something before anyone chooses."""

    layer = forms.ChoiceField(
        label="Coding", choices=LAYER_CHOICES, widget=forms.RadioSelect, required=False
    )
    coder = forms.TypedChoiceField(label="Coder", coerce=int, required=False, empty_value=None)

    def __init__(
        self,
        data: Any,
        *,
        coders: list[User],
        themes: "QuerySet[Theme] | None" = None,
        attributes: "QuerySet[Attribute] | None" = None,
        all_themes: str = "All themes",
    ) -> None:
        super().__init__(data)
        self.fields["coder"].choices = [  # type: ignore[attr-defined]
            ("", "Everyone whose coding you can see"),
            *((user.pk, user.get_full_name() or user.get_username()) for user in coders),
        ]
        self.fields["coder"].help_text = "In the coders' layer only"
        if themes is not None:
            self.fields["theme"] = forms.ModelChoiceField(
                label="Theme", queryset=themes, required=False, empty_label=all_themes
            )
        if attributes is not None:
            self.fields["attribute"] = forms.ModelChoiceField(
                label="Count by attribute",
                queryset=attributes,
                required=False,
                empty_label=None,
            )

    def chosen(self) -> dict[str, Any]:
        """What was chosen, leaving out anything not valid (the report then uses its default)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}
