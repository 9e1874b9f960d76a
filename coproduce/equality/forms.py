from django import forms

from coproduce.equality.models import EqualityResponse
from coproduce.organisations.models import Organisation


class EqualityForm(forms.ModelForm[EqualityResponse]):
    class Meta:
        model = EqualityResponse
        fields = EqualityResponse.QUESTIONS
        widgets = dict.fromkeys(EqualityResponse.QUESTIONS, forms.RadioSelect)


class ReportFilterForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Organisation",
        required=False,
        empty_label="All your organisations",
    )
