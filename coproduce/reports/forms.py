"""Choosing what a report covers: organisation, group and period."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from coproduce.groups.models import PartnershipGroup
from coproduce.nhsuk_forms.fields import DateField
from coproduce.organisations.models import Organisation


class PeriodForm(forms.Form):
    """An organisation (or all the reader's) and a period, by default the last twelve months:
    what the dashboard and the reports cover."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="All your organisations",
    )
    starts_on = DateField(label="From", required=False, help_text="For example, 1 4 2026")
    ends_on = DateField(label="To", required=False, help_text="Leave blank for today")
    require_organisation = False

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations  # type: ignore[attr-defined]
        if self.require_organisation:
            field.required = True
            field.empty_label = None  # type: ignore[attr-defined]
            field.error_messages["required"] = "Select the organisation the report is for"

    def default_period(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        return today - datetime.timedelta(days=364), today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        default_start, default_end = self.default_period(timezone.localdate())
        data["ends_on"] = data.get("ends_on") or default_end
        data["starts_on"] = data.get("starts_on") or default_start
        if data["starts_on"] > data["ends_on"]:
            self.add_error("ends_on", "The end of the period must be after its start")
        return data


class ActivityReportForm(PeriodForm):
    group = forms.ModelChoiceField(
        queryset=PartnershipGroup.objects.none(),
        required=False,
        empty_label="All groups and one-off activities",
        label="Partnership group",
    )

    def __init__(self, *args: Any, organisations: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, organisations=organisations, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        group, organisation = data.get("group"), data.get("organisation")
        if group and organisation and group.organisation_id != organisation.pk:
            self.add_error("group", "Select a group run by the organisation you chose")
        return data
