"""Forms for answering questionnaires, editing them, self-assessment, and choosing a period."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from coproduce.groups.models import PartnershipGroup
from coproduce.impact.defaults import CUBE, LIKERT, STANDARDS
from coproduce.impact.models import Principle, Question, Rating, Standard, Theme
from coproduce.nhsuk_forms.fields import DateField
from coproduce.organisations.models import Organisation
from coproduce.reports.forms import PeriodForm


class AnswerForm(forms.Form):
    """One field per question of a version, named "q<question id>" as the service expects."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            required = {"required": f"Answer “{question.text}”"}
            field: forms.Field
            if question.kind == Question.Kind.LIKERT:
                field = forms.TypedChoiceField(
                    choices=[(str(value), label) for value, label in LIKERT],
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages=required,
                )
            elif question.kind == Question.Kind.CHOICE:
                field = forms.ChoiceField(
                    choices=[(choice, choice) for choice in question.choices],
                    widget=forms.RadioSelect,
                    error_messages=required,
                )
            else:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
            field.label = question.text
            field.help_text = question.hint
            field.required = question.required
            self.fields[f"q{question.pk}"] = field


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Question",
        max_length=300,
        help_text="Write it in plain words, as you would say it to someone",
        error_messages={"required": "Enter the question"},
    )
    hint = forms.CharField(label="Hint", max_length=300, required=False)
    kind = forms.ChoiceField(
        label="How people answer",
        choices=Question.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how people answer"},
    )
    choices = forms.CharField(
        label="Choices, one on each line",
        help_text="Only for questions where people choose one answer",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    principle = forms.ChoiceField(
        label="PPEET principle it tells you about",
        choices=[("", "None"), *Principle.choices],
        required=False,
    )
    theme = forms.ChoiceField(
        label="Personal-impact theme it tells you about",
        choices=[("", "None"), *Theme.choices],
        required=False,
    )
    negative = forms.BooleanField(
        label="Agreeing is a bad sign (for example, “Taking part left me exhausted”)",
        required=False,
    )
    required = forms.BooleanField(label="People must answer it", required=False, initial=True)

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class SelfAssessmentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Organisation",
        error_messages={"required": "Select the organisation"},
    )
    group = forms.ModelChoiceField(
        queryset=PartnershipGroup.objects.none(),
        required=False,
        label="Which group is this about?",
        empty_label="The whole organisation",
    )
    assessed_on = DateField(label="Date of the assessment", help_text="For example, 15 3 2026")
    notes = forms.CharField(
        label="Who took part, and anything else to remember",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args: Any, organisations: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if len(organisations) == 1:
            # Most leads work for one organisation: nothing to choose.
            self.fields["organisation"].initial = organisations[0].pk
            self.fields["organisation"].widget = forms.HiddenInput()
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["assessed_on"].initial = timezone.localdate()
        for standard in Standard:
            self.fields[f"{standard.value}_rating"] = forms.TypedChoiceField(
                label=standard.label,
                help_text=STANDARDS[standard],
                choices=[(str(value), label) for value, label in Rating.choices],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": f"Rate “{standard.label}”"},
            )
            self.fields[f"{standard.value}_evidence"] = forms.CharField(
                label="Evidence",
                help_text="What shows this: papers, feedback, numbers",
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=5000,
                required=False,
            )
            self.fields[f"{standard.value}_actions"] = forms.CharField(
                label="What you will do next",
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=5000,
                required=False,
            )
        for name, question, low, high in CUBE:
            self.fields[name] = forms.TypedChoiceField(
                label=question,
                choices=[
                    (
                        str(point),
                        f"{point}{f' ({low})' if point == 1 else ''}"
                        f"{f' ({high})' if point == 5 else ''}",
                    )
                    for point in range(1, 6)
                ],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": f"{question} Choose a point from 1 to 5"},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        group, organisation = data.get("group"), data.get("organisation")
        if group and organisation and group.organisation_id != organisation.pk:
            self.add_error("group", "Select a group run by the organisation you chose")
        return data

    def ratings(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            standard.value: {
                "rating": data[f"{standard.value}_rating"],
                "evidence": data[f"{standard.value}_evidence"],
                "actions": data[f"{standard.value}_actions"],
            }
            for standard in Standard
        }

    def cube(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name, *_ in CUBE}


def last_financial_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The NHS financial year (April to March) that ended most recently."""
    year = today.year if today.month >= 4 else today.year - 1
    return datetime.date(year - 1, 4, 1), datetime.date(year, 3, 31)


class AnnualReportForm(PeriodForm):
    """One organisation and, unless chosen, its last financial year."""

    require_organisation = True

    def default_period(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        return last_financial_year(today)


class ResultsForm(forms.Form):
    starts_on = DateField(label="From", required=False, help_text="For example, 1 4 2026")
    ends_on = DateField(label="To", required=False, help_text="Leave blank for today")
    group = forms.ModelChoiceField(
        queryset=PartnershipGroup.objects.none(),
        required=False,
        label="Partnership group",
        empty_label="All groups",
    )

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
