"""The form a person uses to choose how often Coproduce emails them."""

from django import forms

from coproduce.notifications.models import Frequency


class PreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        label="How often would you like emails from Coproduce?",
        help_text="Whatever you choose, everything is also listed on your notifications page.",
        error_messages={"required": "Select how often you would like emails"},
    )
