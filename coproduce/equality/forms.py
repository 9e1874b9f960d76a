from django import forms

from coproduce.equality.models import EqualityResponse


class EqualityForm(forms.ModelForm[EqualityResponse]):
    class Meta:
        model = EqualityResponse
        fields = EqualityResponse.QUESTIONS
        widgets = dict.fromkeys(EqualityResponse.QUESTIONS, forms.RadioSelect)


class ReportFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None, label="Organisation", required=False, empty_label="All your organisations"
    )  # type: ignore[arg-type]
