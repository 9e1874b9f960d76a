"""Forms for activities, places at them, attendance, papers, minutes, decisions and actions."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from coproduce.activities.models import INVOLVEMENT_FIELDS, Activity, ActivityType, Area, Attendance
from coproduce.activities.services import MOST_IN_SERIES, AttendanceEntry, Every
from coproduce.groups.models import PartnershipGroup
from coproduce.nhsuk_forms.fields import DateField
from coproduce.opportunities.models import Opportunity
from coproduce.organisations.models import Organisation
from coproduce.people.finder import PersonChoiceField
from coproduce.people.models import Person, SupportNeed


def hours_field(label: str, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=Decimal(24),
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-4"}),
        error_messages={
            "required": "Enter the hours",
            "invalid": "Enter the hours as a number, like 1.5",
            "min_value": "Hours must be 0 or more",
            "max_value": "Hours must be 24 or fewer",
            "max_decimal_places": "Enter hours to 2 decimal places at most",
            "max_digits": "Hours must be 24 or fewer",
        },
    )


class InvolvementDetailsForm(forms.ModelForm[Any]):
    """The questions an opportunity and an activity share, asked the same way in both."""

    activity_type = forms.ModelChoiceField(
        queryset=ActivityType.objects.all(),
        widget=forms.RadioSelect,
        label="What kind of involvement is it?",
        error_messages={"required": "Select the kind of involvement"},
    )
    areas = forms.MultipleChoiceField(
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Which areas could it influence?",
        help_text="Select all that apply",
    )
    support_offered = forms.ModelMultipleChoiceField(
        queryset=SupportNeed.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="What support is offered?",
        help_text="People who need support that is not offered are told before they take part",
    )

    class Meta:
        labels = {
            "title": "Title",
            "description": "What is it, and what will people do?",
            "ladder_level": "How much say will people have?",
            "scope": "How far does it reach?",
            "initiated_by": "Who started this piece of work?",
            "led_by": "Who will lead it?",
            "technicality": "How technical is the subject?",
            "mode": "How will people take part?",
            "place": "Where will it happen?",
            "payment_offered": "What payment or expenses are offered?",
        }
        help_texts = {
            "ladder_level": "From being told about a decision, to making it together as equals",
            "place": "An address and room, or how to join online",
            "payment_offered": "For example, £25 an hour and travel expenses",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "ladder_level": forms.RadioSelect,
            "scope": forms.RadioSelect,
            "initiated_by": forms.RadioSelect,
            "led_by": forms.RadioSelect,
            "technicality": forms.RadioSelect,
            "mode": forms.RadioSelect,
        }
        error_messages = {
            "title": {"required": "Enter a title"},
            "description": {"required": "Describe what people will do"},
        }


class ActivityForm(InvolvementDetailsForm):
    """What happens, when and where. The date, start time and length become `starts_at` and
    `ends_at` in `clean`."""

    date = DateField(label="Date", help_text="For example, 14 5 2026")
    start_time = forms.TimeField(
        label="Start time",
        help_text="Use the 24-hour clock, for example 14:00",
        input_formats=["%H:%M", "%H.%M", "%H%M", "%I:%M%p", "%I%p", "%I:%M %p", "%I %p"],
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5"}),
        error_messages={
            "required": "Enter the start time",
            "invalid": "Enter the start time on the 24-hour clock, like 14:00",
        },
    )
    length = forms.DecimalField(
        label="How long it lasts, in hours",
        help_text="For example, 1.5 for an hour and a half",
        min_value=Decimal("0.25"),
        max_value=Decimal(24),
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-4"}),
        error_messages={
            "required": "Enter how long it lasts",
            "invalid": "Enter how long it lasts as a number of hours, like 1.5",
            "min_value": "It must last at least a quarter of an hour (0.25)",
            "max_value": "It can last 24 hours at most",
            "max_decimal_places": "Enter the length to 2 decimal places at most",
        },
    )

    class Meta(InvolvementDetailsForm.Meta):
        model = Activity
        fields: tuple[str, ...] = (
            "kind",
            "group",
            "opportunity",
            *INVOLVEMENT_FIELDS[:-1],
            "support_offered",
            INVOLVEMENT_FIELDS[-1],
            "capacity",
            "agenda",
        )
        labels = InvolvementDetailsForm.Meta.labels | {
            "kind": "What is it?",
            "group": "Which group is meeting?",
            "opportunity": "Which opportunity does it come from?",
            "capacity": "Places",
            "agenda": "Agenda",
        }
        help_texts = InvolvementDetailsForm.Meta.help_texts | {
            "group": "Leave blank for an activity that is not a group's meeting",
            "capacity": "Leave blank if there is no limit",
        }
        widgets = InvolvementDetailsForm.Meta.widgets | {
            "kind": forms.RadioSelect,
            "agenda": forms.Textarea(attrs={"rows": 6}),
            "capacity": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "nhsuk-input--width-4"}
            ),
        }
        error_messages = InvolvementDetailsForm.Meta.error_messages | {
            "kind": {"required": "Select whether it is a group's meeting or a one-off activity"},
            "capacity": {
                "invalid": "Enter the number of places as a whole number, like 12",
                "min_value": "Places must be 1 or more",
            },
        }

    def __init__(self, *args: Any, organisation_ids: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choose(
            "group",
            PartnershipGroup.objects.filter(organisation_id__in=organisation_ids)
            .active()
            .order_by("name"),
        )
        self._choose(
            "opportunity",
            Opportunity.objects.filter(organisation_id__in=organisation_ids).order_by(
                "-created_at"
            ),
        )
        instance = self.instance
        if instance.pk and instance.starts_at:
            local = timezone.localtime(instance.starts_at)
            self.initial.setdefault("date", local.date())
            self.initial.setdefault("start_time", local.strftime("%H:%M"))
            self.initial.setdefault("length", instance.hours.normalize())

    def _choose(self, name: str, queryset: Any) -> None:
        field: forms.ModelChoiceField[Any] = self.fields[name]  # type: ignore[assignment]
        field.queryset = queryset

    def clean_capacity(self) -> int | None:
        capacity: int | None = self.cleaned_data.get("capacity")
        if capacity is not None and capacity < 1:
            raise forms.ValidationError("Places must be 1 or more")
        return capacity

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, start, length = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("length")
        if day and start and length:
            starts_at = timezone.make_aware(datetime.datetime.combine(day, start))
            cleaned["starts_at"] = starts_at
            cleaned["ends_at"] = starts_at + datetime.timedelta(hours=float(length))
        return cleaned

    def _post_clean(self) -> None:
        # The times come from three fields, so the model is checked by the service, not here.
        pass


class NewActivityForm(ActivityForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Which organisation runs it?",
        error_messages={"required": "Select the organisation that runs it"},
    )
    every = forms.ChoiceField(
        label="Does it repeat?",
        choices=[("once", "No, it happens once"), *Every.choices],
        initial="once",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it repeats"},
    )
    count = forms.IntegerField(
        label="How many meetings in all?",
        help_text=f"Including the first. Up to {MOST_IN_SERIES}",
        required=False,
        min_value=1,
        max_value=MOST_IN_SERIES,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        error_messages={
            "invalid": "Enter how many meetings as a whole number, like 6",
            "min_value": "Enter how many meetings, from 1",
            "max_value": f"A series can have {MOST_IN_SERIES} meetings at most",
        },
    )

    class Meta(ActivityForm.Meta):
        fields = ("organisation", *ActivityForm.Meta.fields)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, organisation_ids=organisations.values("pk"), **kwargs)
        field: forms.ModelChoiceField[Organisation] = self.fields["organisation"]  # type: ignore[assignment]
        field.queryset = organisations
        if organisations.count() == 1:
            field.initial = organisations.first()
            field.widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("every") == "once":
            cleaned["every"], cleaned["count"] = None, 1
        elif cleaned.get("every") and not cleaned.get("count"):
            self.add_error("count", "Enter how many meetings there will be")
        return cleaned


class ActivityFilterForm(forms.Form):
    WHEN = [("upcoming", "Upcoming"), ("past", "Past"), ("all", "All")]

    when = forms.ChoiceField(
        label="When", choices=WHEN, required=False, initial="upcoming", widget=forms.RadioSelect
    )
    group = forms.ModelChoiceField(
        label="Group",
        queryset=PartnershipGroup.objects.none(),
        required=False,
        empty_label="Any group",
    )
    activity_type = forms.ModelChoiceField(
        label="Type", queryset=ActivityType.objects.all(), required=False, empty_label="Any type"
    )

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField[PartnershipGroup] = self.fields["group"]  # type: ignore[assignment]
        field.queryset = groups


class CancelActivityForm(forms.Form):
    reason = forms.CharField(
        label="Why is it cancelled?",
        help_text="We will tell everyone registered, with this reason",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


SUPPORT_LABEL = "Support needed to take part"
SUPPORT_HINT = "For example, a hearing loop, step-free access, or papers in large print"


class RegisterForm(forms.Form):
    person = PersonChoiceField(
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        label="Person",
        error_messages={
            "required": "Select the person to register",
            "invalid_choice": "Select a person from the list",
        },
    )
    support_needed = forms.CharField(
        label=SUPPORT_LABEL,
        help_text=SUPPORT_HINT,
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField[Person] = self.fields["person"]  # type: ignore[assignment]
        field.queryset = people


class MyRegistrationForm(forms.Form):
    support_needed = forms.CharField(
        label="Do you need any support to take part?",
        help_text=SUPPORT_HINT,
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(
        label="Title",
        required=False,
        max_length=200,
        help_text="Leave blank to use the file's name",
    )
    file = forms.FileField(
        label="Choose the file",
        help_text="A PDF, Word document, OpenDocument text or text file, up to 10 MB",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )


def _minutes_fields() -> dict[str, forms.Field]:
    return {
        "minutes": forms.CharField(
            label="Minutes",
            help_text="Write them here, or choose a file of them below, or both",
            required=False,
            max_length=50000,
            widget=forms.Textarea(attrs={"rows": 8}),
        ),
        "minutes_file": forms.FileField(
            label="A file of the minutes",
            help_text="A PDF, Word document, OpenDocument text or text file, up to 10 MB",
            required=False,
        ),
    }


class MinutesForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_minutes_fields())


class AttendanceForm(forms.Form):
    """A checkbox and hours for each person. People registered or already recorded are always
    listed; others found by name are added only if ticked."""

    def __init__(
        self,
        *args: Any,
        activity: Activity,
        people: list[Person],
        extra: list[Person] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        recorded = {row.person_id: row for row in Attendance.objects.filter(activity=activity)}
        default = min(activity.hours, Decimal(24)).normalize()
        self.rows: list[tuple[Person, str, str, bool]] = []
        listed = {person.pk for person in people}
        for person in [*people, *(p for p in extra if p.pk not in listed)]:
            attended_name, hours_name = f"attended_{person.pk}", f"hours_{person.pk}"
            existing = recorded.get(person.pk)
            self.fields[attended_name] = forms.BooleanField(
                label=f"{person.full_name} attended", required=False
            )
            self.fields[hours_name] = hours_field(f"Hours given by {person.full_name}")
            if existing is not None:
                self.initial[attended_name] = existing.attended
                self.initial[hours_name] = (
                    existing.hours.normalize() if existing.attended else default
                )
            else:
                self.initial[attended_name] = (
                    person.pk in listed and activity.status != Activity.Status.PLANNED
                )
                self.initial[hours_name] = default
            always = person.pk in listed or existing is not None
            self.rows.append((person, attended_name, hours_name, always))

    def entries(self) -> list[AttendanceEntry]:
        found = []
        for person, attended_name, hours_name, always in self.rows:
            attended = bool(self.cleaned_data.get(attended_name))
            if not attended and not always:
                continue
            found.append(
                AttendanceEntry(
                    person=person,
                    attended=attended,
                    hours=self.cleaned_data.get(hours_name),
                    field=hours_name,
                )
            )
        return found


class CloseForm(AttendanceForm):
    decisions = forms.CharField(
        label="Decisions",
        help_text="One decision on each line",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_minutes_fields())

    def decision_lines(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data.get("decisions", "").splitlines()
            if line.strip()
        ]


class DecisionForm(forms.Form):
    text = forms.CharField(
        label="Decision",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the decision"},
    )


class ActionForm(forms.Form):
    description = forms.CharField(
        label="What needs to be done",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what needs to be done"},
    )
    owner = PersonChoiceField(
        queryset=Person.objects.none(),
        label="Who will do it?",
        error_messages={
            "required": "Select who will do it",
            "invalid_choice": "Select someone from the list",
        },
    )
    due_on = DateField(label="Due by", help_text="For example, 30 6 2026")

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField[Person] = self.fields["owner"]  # type: ignore[assignment]
        field.queryset = people
        self.fields["due_on"].error_messages["required"] = "Enter the date it is due by"


class ActionDoneForm(forms.Form):
    done_on = DateField(label="Date it was done", required=False, help_text="Leave blank for today")
