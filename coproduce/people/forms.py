"""Forms for a person's record, interests and consent (used by staff and by the person)."""

from typing import Any

from django import forms

from coproduce.nhsuk_forms.fields import DateField
from coproduce.organisations.models import Organisation
from coproduce.people.models import (
    CancerType,
    ConsentKind,
    PathwayStage,
    Person,
    SupportNeed,
    Topic,
)
from coproduce.people.services import HEALTH_FIELDS


class PersonForm(forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields: tuple[str, ...] = (
            "kind",
            "given_name",
            "family_name",
            "email",
            "phone",
            "address",
            "postcode",
            "preferred_contact",
            "accessibility_needs",
            "skills_and_experience",
        )
        labels = {
            "kind": "Which best describes them?",
            "given_name": "First name",
            "family_name": "Last name",
            "email": "Email address",
            "phone": "Phone number",
            "preferred_contact": "How do they prefer to be contacted?",
            "accessibility_needs": "Anything that would help them take part",
            "skills_and_experience": "Skills and experience",
        }
        help_texts = {
            "phone": "For example, 07700 900 982 or 0113 496 0000",
            "accessibility_needs": "For example, step-free access, a quiet room, or papers a week ahead",
            "skills_and_experience": "For example, chairing meetings, reading research papers, a career in finance",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "preferred_contact": forms.RadioSelect,
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
            "skills_and_experience": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "kind": {"required": "Select which best describes them"},
            "given_name": {"required": "Enter their first name"},
            "family_name": {"required": "Enter their last name"},
            "email": {
                "invalid": "Enter an email address in the correct format, like name@example.com"
            },
            "preferred_contact": {"required": "Select how they prefer to be contacted"},
        }

    def clean_postcode(self) -> str:
        return " ".join(self.cleaned_data["postcode"].upper().split())

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        digits = [char for char in phone if char.isdigit()]
        if phone and (
            len(digits) < 10 or len(digits) > 13 or any(c not in "0123456789 +()-" for c in phone)
        ):
            raise forms.ValidationError("Enter a UK phone number, like 07700 900 982")
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        method = cleaned.get("preferred_contact")
        needs = {
            Person.ContactMethod.EMAIL: "email",
            Person.ContactMethod.PHONE: "phone",
            Person.ContactMethod.TEXT: "phone",
            Person.ContactMethod.POST: "address",
        }
        needed = needs.get(method) if method else None
        if needed and not cleaned.get(needed) and needed not in self.errors:
            self.add_error(
                needed,
                f"Enter their {'email address' if needed == 'email' else 'phone number' if needed == 'phone' else 'address'}, or choose another way to contact them",
            )
        return cleaned


class MyDetailsForm(PersonForm):
    """The same record in the second person, for members editing their own details."""

    class Meta(PersonForm.Meta):
        fields = tuple(name for name in PersonForm.Meta.fields if name != "kind")
        labels = {
            **PersonForm.Meta.labels,
            "preferred_contact": "How would you like us to contact you?",
            "accessibility_needs": "Anything that would help you take part",
        }
        error_messages = {
            **PersonForm.Meta.error_messages,
            "given_name": {"required": "Enter your first name"},
            "family_name": {"required": "Enter your last name"},
        }


class NewPersonForm(PersonForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Organisation",
        error_messages={"required": "Select the organisation that will hold their record"},
    )
    consent_contact = forms.BooleanField(
        label="They agree to be contacted about involvement", required=False
    )

    class Meta(PersonForm.Meta):
        fields = ("organisation", *PersonForm.Meta.fields)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_field: forms.ModelChoiceField[Organisation] = self.fields["organisation"]  # type: ignore[assignment]
        organisation_field.queryset = organisations
        if organisations.count() == 1:
            organisation_field.initial = organisations.first()
            organisation_field.widget = forms.HiddenInput()


class InterestsForm(forms.Form):
    support_needs = forms.ModelMultipleChoiceField(
        queryset=SupportNeed.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Support needed to take part",
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Topics",
    )
    cancer_types = forms.ModelMultipleChoiceField(
        queryset=CancerType.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Cancer types",
    )
    pathway_stages = forms.ModelMultipleChoiceField(
        queryset=PathwayStage.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Stages of care",
    )

    def __init__(self, *args: Any, health_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.health_allowed = health_allowed
        if not health_allowed:
            for name in HEALTH_FIELDS:
                del self.fields[name]


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ConsentKind.choices,
        widget=forms.RadioSelect,
        label="Which consent?",
        error_messages={"required": "Select which consent this is about"},
    )
    given = forms.TypedChoiceField(
        choices=[("yes", "Consent given"), ("no", "Consent withdrawn")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Given or withdrawn?",
        error_messages={"required": "Select whether consent is given or withdrawn"},
    )
    effective_on = DateField(
        label="Date", required=False, help_text="Leave blank for today. For example, 15 3 2026"
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=500,
        help_text="For example, how the person told you",
        widget=forms.TextInput,
    )


class PersonFilterForm(forms.Form):
    q = forms.CharField(label="Name or email", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any"), *Person.Kind.choices]
    )
    contactable = forms.BooleanField(label="Only people who agree to be contacted", required=False)
