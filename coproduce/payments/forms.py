"""Forms for payment policy, claims, the approver's decisions, the finance export and budgets."""

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from coproduce.activities.models import Activity, Attendance
from coproduce.core.presenters import format_date
from coproduce.groups.models import PartnershipGroup
from coproduce.nhsuk_forms.fields import DateField
from coproduce.organisations.models import Organisation
from coproduce.payments import pricing
from coproduce.payments.models import Claim, ExpenseRule, PaymentRate

NO_PAYMENT = "none"
MONEY_ERRORS = {
    "invalid": "Enter an amount in pounds and pence, like 12.50",
    "max_digits": "Enter an amount of £1,000 or less",
    "max_decimal_places": "Enter an amount to the nearest penny, like 12.50",
    "max_whole_digits": "Enter an amount of £1,000 or less",
}


def money_field(label: str, **kwargs: Any) -> forms.DecimalField:
    kwargs["error_messages"] = {**MONEY_ERRORS, **kwargs.get("error_messages", {})}
    return forms.DecimalField(
        label=label,
        max_digits=9,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **kwargs,
    )


class OrganisationChoice(forms.ModelChoiceField[Organisation]):
    """The organisation a record belongs to, hidden when the user works for only one."""

    def __init__(self, organisations: "QuerySet[Organisation]", label: str) -> None:
        super().__init__(
            queryset=organisations,
            label=label,
            error_messages={"required": "Select the organisation"},
        )
        if organisations.count() == 1:
            self.initial = organisations.first()
            self.widget = forms.HiddenInput()


class RateForm(forms.Form):
    unit = forms.ChoiceField(
        choices=PaymentRate.Unit.choices,
        widget=forms.RadioSelect,
        label="What is the rate paid per?",
        error_messages={"required": "Select what the rate is paid per"},
    )
    amount = money_field(
        "Amount in pounds",
        help_text="For example, 25.00",
        error_messages={"required": "Enter the amount", **MONEY_ERRORS},
    )
    effective_from = DateField(
        label="When does it take effect?",
        help_text="Activities on or after this date are paid at this rate. For example, 1 4 2026",
        error_messages={"required": "Enter the date the rate takes effect"},
    )

    def __init__(self, *args: Any, organisations: "QuerySet[Organisation]", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = OrganisationChoice(organisations, "Which organisation?")
        self.order_fields(["organisation"])


class RuleForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ExpenseRule.Kind.choices,
        widget=forms.RadioSelect,
        label="Which expense does the rule cover?",
        error_messages={"required": "Select the kind of expense"},
    )
    limit = money_field(
        "Most that can be claimed for one activity, in pounds",
        required=False,
        help_text="Leave blank for no limit",
    )
    rate_per_mile = money_field(
        "Rate per mile, in pounds", required=False, help_text="For mileage only. For example, 0.45"
    )
    receipt_required = forms.BooleanField(label="A receipt is needed", required=False)
    effective_from = DateField(
        label="When does it take effect?",
        help_text="Activities on or after this date follow this rule. For example, 1 4 2026",
        error_messages={"required": "Enter the date the rule takes effect"},
    )

    def __init__(self, *args: Any, organisations: "QuerySet[Organisation]", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = OrganisationChoice(organisations, "Which organisation?")
        self.order_fields(["organisation"])


class ConfirmForm(forms.Form):
    """A form with nothing to fill in, for pages that confirm one action."""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ReceiptsField(forms.FileField):
    """Any number of files from one file input; each is checked by the service."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(ReceiptsField, self).clean(file, initial) for file in files]


class ActivityChoice(forms.ModelChoiceField[Activity]):
    def label_from_instance(self, obj: Activity) -> str:
        return f"{obj.title}, {format_date(obj.starts_at)}"


class AttendanceChoice(forms.ModelChoiceField[Attendance]):
    def label_from_instance(self, obj: Attendance) -> str:
        activity = obj.activity
        return f"{obj.person.full_name}: {activity.title}, {format_date(activity.starts_at)}"


class ClaimForm(forms.Form):
    """What is claimed: the payment unit, each expense, and receipts."""

    unit = forms.ChoiceField(
        choices=[(NO_PAYMENT, "No involvement payment: expenses only"), *PaymentRate.Unit.choices],
        widget=forms.RadioSelect,
        label="How is the involvement payment worked out?",
        help_text="Paid at the rate in force on the day of the activity",
        error_messages={"required": "Select how the payment is worked out, or expenses only"},
    )
    travel = money_field(
        "Travel: fares, parking and taxis, in pounds",
        required=False,
        help_text="For example, 12.50",
    )
    mileage = forms.DecimalField(
        label="Miles driven in your own vehicle",
        required=False,
        max_digits=7,
        decimal_places=1,
        help_text="There and back. For example, 24",
        error_messages={
            "invalid": "Enter the number of miles, like 24",
            "max_digits": "Enter 1,000 miles or fewer",
            "max_whole_digits": "Enter 1,000 miles or fewer",
            "max_decimal_places": "Enter the miles to one decimal place, like 24.5",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    carer_cover = money_field("Carer or childcare cover, in pounds", required=False)
    subsistence = money_field("Food and drink, in pounds", required=False)
    receipts = ReceiptsField(
        label="Receipts",
        required=False,
        help_text="PDFs or photos (JPEG or PNG), up to 10 MB each. You can choose several",
    )
    benefits_advice = forms.BooleanField(required=False)

    EXPENSES = ("travel", "mileage", "carer_cover", "subsistence")

    def expenses(self) -> list[pricing.ExpenseClaimed]:
        data = self.cleaned_data
        claimed = []
        for kind in self.EXPENSES:
            value: Decimal | None = data.get(kind)
            if value is None:
                continue
            if kind == ExpenseRule.Kind.MILEAGE:
                claimed.append(pricing.ExpenseClaimed(kind, miles=value))
            else:
                claimed.append(pricing.ExpenseClaimed(kind, amount=value))
        return claimed

    def payment_unit(self) -> str | None:
        unit: str = self.cleaned_data["unit"]
        return None if unit == NO_PAYMENT else unit


class MemberClaimForm(ClaimForm):
    def __init__(
        self, *args: Any, activities: "QuerySet[Activity]", needs_advice: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"] = ActivityChoice(
            queryset=activities,
            widget=forms.RadioSelect,
            label="Which activity are you claiming for?",
            error_messages={
                "required": "Select the activity you are claiming for",
                "invalid_choice": "Select an activity from the list",
            },
        )
        self.order_fields(["activity"])
        self.fields[
            "benefits_advice"
        ].label = "I have considered whether being paid could affect any benefits I get"
        if not needs_advice:
            del self.fields["benefits_advice"]


class StaffClaimForm(ClaimForm):
    def __init__(self, *args: Any, attendance: "QuerySet[Attendance]", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendance"] = AttendanceChoice(
            queryset=attendance,
            widget=forms.RadioSelect,
            label="Who is claiming, and for which activity?",
            error_messages={
                "required": "Select the person and activity",
                "invalid_choice": "Select a person and activity from the list",
            },
        )
        self.order_fields(["attendance"])
        self.fields[
            "benefits_advice"
        ].label = "They have confirmed that they have considered benefits advice"
        self.fields["mileage"].label = "Miles driven in their own vehicle"
        self.fields["benefits_advice"].help_text = "Needed once, before their first payment"


class TransitionForm(forms.Form):
    to = forms.ChoiceField(
        widget=forms.RadioSelect,
        label="What do you want to do?",
        error_messages={"required": "Select what happens to the claim"},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed to query or reject a claim. The person will see it",
    )

    ACTIONS = {
        Claim.Status.QUERIED: "Ask the person a question about it",
        Claim.Status.APPROVED: "Approve it",
        Claim.Status.REJECTED: "Reject it",
        Claim.Status.PAID: "Record that it has been paid",
        Claim.Status.SUBMITTED: "Record the person's answer, which sends it back for approval",
    }

    def __init__(self, *args: Any, allowed: "list[str]", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ChoiceField = self.fields["to"]  # type: ignore[assignment]
        field.choices = [(status, self.ACTIONS[status]) for status in allowed]  # type: ignore[index]


class AnswerForm(forms.Form):
    note = forms.CharField(
        label="Your answer",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter your answer to the question"},
    )


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[("csv", "CSV (comma-separated values)"), ("xlsx", "Excel workbook (XLSX)")],
        widget=forms.RadioSelect,
        label="Which format?",
        initial="csv",
        error_messages={"required": "Select a format"},
    )
    mark_paid = forms.BooleanField(
        label="Record these claims as paid",
        required=False,
        help_text="Only once finance have paid them. Each person is told",
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(choices=Claim.Status.choices, required=False)


class BudgetForm(forms.Form):
    name = forms.CharField(
        label="Name of the budget",
        max_length=150,
        error_messages={"required": "Enter a name for the budget"},
        help_text="For example, Involvement payments 2026 to 2027",
    )
    amount = money_field(
        "Amount in pounds",
        error_messages={
            "required": "Enter the amount",
            **MONEY_ERRORS,
            "max_digits": "Enter an amount under £10,000,000",
            "max_whole_digits": "Enter an amount under £10,000,000",
        },
    )
    starts_on = DateField(
        label="Start of the period", error_messages={"required": "Enter the start date"}
    )
    ends_on = DateField(
        label="End of the period", error_messages={"required": "Enter the end date"}
    )

    def __init__(
        self,
        *args: Any,
        organisations: "QuerySet[Organisation]",
        groups: "QuerySet[PartnershipGroup]",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = OrganisationChoice(organisations, "Which organisation?")
        self.fields["group"] = forms.ModelChoiceField(
            queryset=groups,
            required=False,
            label="For one partnership group",
            empty_label="The whole organisation",
            help_text="Leave as the whole organisation to cover every group and activity",
            error_messages={"invalid_choice": "Select a group from the list"},
        )
        self.order_fields(["organisation", "name", "group"])
