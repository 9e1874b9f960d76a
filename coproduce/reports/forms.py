"""Choosing what the activity report covers: organisation, group and period."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from coproduce.groups.models import PartnershipGroup
from coproduce.nhsuk_forms.fields import DateField
from coproduce.organisations.models import Organisation


class ActivityReportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="All your organisations",
    )
    group = forms.ModelChoiceField(
        queryset=PartnershipGroup.objects.none(),
        required=False,
        empty_label="All groups and one-off activities",
        label="Partnership group",
    )
    starts_on = DateField(label="From", required=False, help_text="For example, 1 4 2026")
    ends_on = DateField(label="To", required=False, help_text="Leave blank for today")

    def __init__(self, *args: Any, organisations: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        data["ends_on"] = data.get("ends_on") or today
        data["starts_on"] = data.get("starts_on") or data["ends_on"] - datetime.timedelta(days=364)
        if data["starts_on"] > data["ends_on"]:
            self.add_error("ends_on", "The end of the period must be after its start")
        group, organisation = data.get("group"), data.get("organisation")
        if group and organisation and group.organisation_id != organisation.pk:
            self.add_error("group", "Select a group run by the organisation you chose")
        return data
