"""Forms for partnership groups and their members."""

from typing import Any

from django import forms

from coproduce.groups.models import Membership, PartnershipGroup
from coproduce.nhsuk_forms.fields import DateField
from coproduce.organisations.models import Organisation
from coproduce.people.finder import ChoosePersonForm


class GroupForm(forms.ModelForm[PartnershipGroup]):
    starts_on = DateField(
        label="When did or will the group start?", help_text="For example, 1 4 2026"
    )
    ends_on = DateField(
        label="When will it end?", required=False, help_text="Leave blank if the group is ongoing"
    )

    class Meta:
        model = PartnershipGroup
        fields: tuple[str, ...] = (
            "name",
            "purpose",
            "decisions",
            "who_takes_part",
            "cadence",
            "membership_type",
            "starts_on",
            "ends_on",
        )
        labels = {
            "name": "Group name",
            "purpose": "What is the group for?",
            "decisions": "What does the group decide, and how?",
            "who_takes_part": "Who takes part?",
            "cadence": "How often does it meet?",
            "membership_type": "Who can join?",
        }
        help_texts = {
            "decisions": "For example, it agrees patient information before it is published, by consensus",
            "who_takes_part": "For example, patients and carers from across the alliance, with the lead nurse and a commissioner",
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
            "who_takes_part": forms.Textarea(attrs={"rows": 3}),
            "cadence": forms.RadioSelect,
            "membership_type": forms.RadioSelect,
        }
        error_messages = {
            "name": {"required": "Enter the group's name"},
            "purpose": {"required": "Say what the group is for"},
        }


class NewGroupForm(GroupForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Which organisation runs the group?",
        error_messages={"required": "Select the organisation that runs the group"},
    )

    class Meta(GroupForm.Meta):
        fields = ("organisation", *GroupForm.Meta.fields)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField[Organisation] = self.fields["organisation"]  # type: ignore[assignment]
        field.queryset = organisations
        if organisations.count() == 1:
            field.initial = organisations.first()
            field.widget = forms.HiddenInput()


class AddMemberForm(ChoosePersonForm):
    role = forms.ChoiceField(
        choices=Membership.Role.choices,
        widget=forms.RadioSelect,
        initial=Membership.Role.MEMBER,
        label="Role",
        error_messages={"required": "Select their role"},
    )
    started_on = DateField(
        label="Date they joined", required=False, help_text="Leave blank for today"
    )


class EndMembershipForm(forms.Form):
    ended_on = DateField(label="Date they left", required=False, help_text="Leave blank for today")


class GroupFilterForm(forms.Form):
    q = forms.CharField(label="Name or purpose", required=False, max_length=100)
    include_ended = forms.BooleanField(label="Include groups that have ended", required=False)
