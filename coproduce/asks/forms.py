"""Forms for raising asks, answering them, evidence, and the public record's filters."""

from typing import Any

from django import forms

from coproduce.activities.models import Document, Scope
from coproduce.asks.models import Domain, Evidence, Service, Status
from coproduce.groups.models import PartnershipGroup
from coproduce.nhsuk_forms.fields import DateField
from coproduce.organisations.models import Organisation
from coproduce.people.finder import PersonChoiceField
from coproduce.people.models import PathwayStage, Person

_TITLE_HELP = 'A short name for what should change, for example "Clinic letters in larger print"'


class _Details(forms.Form):
    """What every ask says, whoever raises it."""

    title = forms.CharField(
        label="What should change?",
        help_text=_TITLE_HELP,
        max_length=200,
        error_messages={"required": "Enter what should change"},
    )
    what_was_said = forms.CharField(
        label="What was said, and why it matters",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Enter what was said"},
    )
    quote = forms.CharField(
        label="Their words, to quote (optional)",
        help_text=(
            "Only with the consent of the person who said them. Quotes may appear on the public "
            '"you said, we did" record'
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.all(),
        required=False,
        label="Which service is it about?",
        empty_label="Not about one service",
    )
    pathway_stage = forms.ModelChoiceField(
        queryset=PathwayStage.objects.all(),
        required=False,
        label="Which stage of care is it about?",
        empty_label="Not about one stage",
    )


class AskForm(_Details):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Organisation",
        error_messages={"required": "Select the organisation"},
    )
    group = forms.ModelChoiceField(
        queryset=PartnershipGroup.objects.none(),
        required=False,
        label="Did it come from a partnership group?",
        empty_label="No",
    )
    owner = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Who must answer it?",
        help_text="A member of staff. They are told, and reminded if there is no answer",
        empty_label="Decide later",
    )
    raised_by = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Who raised it?",
        empty_label="Not one person",
    )
    documents = forms.ModelMultipleChoiceField(
        queryset=Document.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Which papers is it about?",
    )

    def __init__(
        self,
        *args: Any,
        organisations: Any,
        groups: Any,
        staff: Any,
        attendees: Any = None,
        documents: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            fields["organisation"].initial = organisations.first()
            fields["organisation"].widget = forms.HiddenInput()
        fields["group"].queryset = groups
        fields["owner"].queryset = staff
        if attendees is None:
            del fields["raised_by"]
        else:
            fields["raised_by"].queryset = attendees
        if documents is None or not documents.exists():
            del fields["documents"]
        else:
            fields["documents"].queryset = documents


class EditAskForm(_Details):
    group = AskForm.base_fields["group"]
    owner = AskForm.base_fields["owner"]

    def __init__(self, *args: Any, groups: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["group"].queryset = groups
        fields["owner"].queryset = staff


class MemberAskForm(_Details):
    quote = forms.CharField(
        label="Can we quote your words? (optional)",
        help_text=(
            "Write here any words of yours we may quote, for example in the public "
            '"you said, we did" record. We only quote you if you have agreed to your words being '
            "shared"
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class AskFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Status.choices], required=False, label="Status"
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.all(), required=False, label="Service", empty_label="Any service"
    )
    waiting = forms.BooleanField(required=False, label="Only those waiting too long for an answer")


class PublicFilterForm(forms.Form):
    service = AskFilterForm.base_fields["service"]
    domain = forms.ChoiceField(
        choices=[("", "Any kind of change"), *Domain.choices],
        required=False,
        label="Kind of change",
    )


class MoveForm(forms.Form):
    """Fields for one move; the view keeps only those the chosen status needs."""

    note = forms.CharField(
        label="Anything to add for the people who raised it (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    progress = forms.IntegerField(
        label="Progress, in percent (optional)",
        min_value=0,
        max_value=100,
        required=False,
        error_messages={
            "min_value": "Progress must be from 0 to 100",
            "max_value": "Progress must be from 0 to 100",
            "invalid": "Progress must be a whole number from 0 to 100",
        },
    )
    outcome = forms.CharField(
        label="What changed?",
        help_text="In plain words: this is what the people who raised it are told",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Say what changed"},
    )
    domain = forms.ChoiceField(
        choices=Domain.choices,
        widget=forms.RadioSelect,
        label="What kind of change was it?",
        error_messages={"required": "Select what kind of change it was"},
    )
    scope = forms.ChoiceField(
        choices=Scope.choices,
        widget=forms.RadioSelect,
        label="How far does it reach?",
        error_messages={"required": "Select how far the change reaches"},
    )
    took_effect_on = DateField(
        label="When did it take effect?",
        help_text="For example, 15 3 2026",
        error_messages={"required": "Enter the date the change took effect"},
    )
    reason = forms.CharField(
        label="Why is it not possible?",
        help_text="Be honest and specific: this is what the people who raised it are told",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Give the reason it is not possible"},
    )

    FOR_STATUS: dict[str, tuple[str, ...]] = {
        Status.CHANGED: ("outcome", "domain", "scope", "took_effect_on", "note"),
        Status.NOT_POSSIBLE: ("reason", "note"),
        Status.IN_PROGRESS: ("progress", "note"),
        Status.ACCEPTED: ("progress", "note"),
    }

    def __init__(self, *args: Any, status: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = self.FOR_STATUS.get(status, ("note",))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]


class ProgressForm(forms.Form):
    progress = forms.IntegerField(
        label="Progress, in percent",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Enter the progress",
            "min_value": "Progress must be from 0 to 100",
            "max_value": "Progress must be from 0 to 100",
            "invalid": "Progress must be a whole number from 0 to 100",
        },
    )
    note = forms.CharField(
        label="What has happened?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Say what has happened"},
    )


class EvidenceForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Give the evidence a title"}
    )
    file = forms.FileField(
        label="Choose the file",
        help_text="A PDF, Word document, OpenDocument text, text file, JPEG or PNG, up to 10 MB",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )
    url = forms.URLField(
        label="Web address",
        help_text="For example, the new leaflet on the trust's website",
        max_length=200,
        error_messages={
            "required": "Enter the web address",
            "invalid": "Enter a web address starting with https://",
        },
        assume_scheme="https",
    )
    before = forms.CharField(
        label="How was it before?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        error_messages={"required": "Describe how it was before"},
    )
    after = forms.CharField(
        label="How is it now?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        error_messages={"required": "Describe how it is now"},
    )

    FOR_KIND: dict[str, tuple[str, ...]] = {
        Evidence.Kind.FILE: ("title", "file"),
        Evidence.Kind.LINK: ("title", "url"),
        Evidence.Kind.BEFORE_AFTER: ("title", "before", "after"),
    }

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.FOR_KIND[kind]:
                del self.fields[name]
