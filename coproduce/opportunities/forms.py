"""Forms for asking for involvement, reviewing it, and expressing interest."""

from typing import Any

from django import forms

from coproduce.activities.forms import InvolvementDetailsForm
from coproduce.activities.models import INVOLVEMENT_FIELDS, ActivityType, Area, Mode
from coproduce.groups.models import PartnershipGroup
from coproduce.nhsuk_forms.fields import DateField
from coproduce.opportunities.models import Opportunity
from coproduce.organisations.models import Organisation
from coproduce.people.finder import PersonChoiceField
from coproduce.people.models import (
    Availability,
    CancerType,
    PathwayStage,
    Person,
    Topic,
)


def _checkboxes(model: Any, label: str, hint: str | None = None) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=model.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=label,
        help_text=hint,
    )


class OpportunityForm(InvolvementDetailsForm):
    timing = forms.MultipleChoiceField(
        choices=Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="When does it happen?",
        help_text="Select all that apply. People who are free then are suggested first",
    )
    starts_on = DateField(
        label="When does it start?", required=False, help_text="For example, 15 3 2027"
    )
    closes_on = DateField(
        label="Closing date for expressions of interest",
        help_text="For example, 28 2 2027",
        error_messages={"required": "Enter the closing date"},
    )
    cancer_types = _checkboxes(CancerType, "Experience of which cancer types would help?")
    pathway_stages = _checkboxes(PathwayStage, "Experience of which stages of care would help?")
    topics = _checkboxes(Topic, "Which topics is it about?")
    group = forms.ModelChoiceField(
        queryset=PartnershipGroup.objects.none(),
        required=False,
        label="Is it for a partnership group?",
        empty_label="No, it is not for a group",
    )

    class Meta(InvolvementDetailsForm.Meta):
        model = Opportunity
        fields: tuple[str, ...] = (
            *INVOLVEMENT_FIELDS[:2],
            "why",
            *INVOLVEMENT_FIELDS[2:9],
            "time_commitment",
            "hours",
            "timing",
            *INVOLVEMENT_FIELDS[9:11],
            "support_offered",
            *INVOLVEMENT_FIELDS[11:],
            "starts_on",
            "closes_on",
            "who_wanted",
            "cancer_types",
            "pathway_stages",
            "topics",
            "skills_wanted",
            "places",
            "group",
        )
        labels = InvolvementDetailsForm.Meta.labels | {
            "why": "Why do you need people's involvement?",
            "time_commitment": "How much time will it take?",
            "hours": "Hours in total, roughly",
            "who_wanted": "Who would you like to hear from?",
            "skills_wanted": "Skills or experience that would help",
            "places": "How many people do you need?",
        }
        help_texts = InvolvementDetailsForm.Meta.help_texts | {
            "title": "A short name people will recognise, for example, Review the new bowel screening leaflet",
            "time_commitment": "For example, two hours a month for six months",
            "who_wanted": "For example, people who had surgery in the last two years, and their carers",
            "skills_wanted": "For example, reading research papers, chairing meetings",
        }
        widgets = InvolvementDetailsForm.Meta.widgets | {
            "why": forms.Textarea(attrs={"rows": 4}),
            "who_wanted": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = InvolvementDetailsForm.Meta.error_messages | {
            "why": {"required": "Say why you need people's involvement"},
            "time_commitment": {"required": "Say how much time it will take"},
            "hours": {
                "invalid": "Enter the hours as a number, like 6 or 1.5",
                "max_digits": "Enter fewer hours",
            },
            "places": {"invalid": "Enter how many people as a whole number, like 4"},
        }

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group_field: forms.ModelChoiceField[PartnershipGroup] = self.fields["group"]  # type: ignore[assignment]
        group_field.queryset = groups

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("mode") in (Mode.IN_PERSON, Mode.HYBRID) and not cleaned.get("place"):
            self.add_error("place", "Enter where it will happen, as people will come in person")
        return cleaned


class NewOpportunityForm(OpportunityForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Which organisation is asking?",
        error_messages={"required": "Select the organisation that is asking"},
    )

    class Meta(OpportunityForm.Meta):
        fields = ("organisation", *OpportunityForm.Meta.fields)

    def __init__(self, *args: Any, organisations: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, groups=groups, **kwargs)
        field: forms.ModelChoiceField[Organisation] = self.fields["organisation"]  # type: ignore[assignment]
        field.queryset = organisations
        if organisations.count() == 1:
            field.initial = organisations.first()
            field.widget = forms.HiddenInput()


class OpportunityFilterForm(forms.Form):
    q = forms.CharField(label="Title or description", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any"), *Opportunity.Status.choices]
    )
    activity_type = forms.ModelChoiceField(
        queryset=ActivityType.objects.all(),
        required=False,
        label="Kind of involvement",
        empty_label="Any",
    )


class OpenOpportunityFilterForm(forms.Form):
    activity_type = forms.ModelChoiceField(
        queryset=ActivityType.objects.all(),
        required=False,
        label="Kind of involvement",
        empty_label="Any",
    )
    mode = forms.ChoiceField(
        label="How you take part", required=False, choices=[("", "Any"), *Mode.choices]
    )
    area = forms.ChoiceField(
        label="Area it could influence", required=False, choices=[("", "Any"), *Area.choices]
    )
    fits = forms.BooleanField(label="Only ones that fit my interests", required=False)


class InterestForm(forms.Form):
    note = forms.CharField(
        label="Anything you would like us to know",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, why it matters to you, or support you would need to take part",
    )


class InterestOnBehalfForm(InterestForm):
    person = PersonChoiceField(
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        label="Person",
        error_messages={
            "required": "Select the person",
            "invalid_choice": "Select a person from the list",
        },
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField[Any] = self.fields["person"]  # type: ignore[assignment]
        field.queryset = people
        self.fields["note"].label = "Anything they would like us to know"
        self.fields["note"].help_text = "For example, how they told you, or support they need"


class DecisionForm(forms.Form):
    selected = forms.TypedChoiceField(
        choices=[("yes", "Select them"), ("no", "Do not select them this time")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Your decision",
        help_text="They will be told either way",
        error_messages={"required": "Select whether to select them"},
    )


class EndForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[
            ("closed", "Close it: we have chosen the people we need"),
            ("withdrawn", "Withdraw it: it is no longer going ahead"),
        ],
        widget=forms.RadioSelect,
        label="What has happened?",
        error_messages={"required": "Select whether to close or withdraw it"},
    )


class InviteForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
