"""Forms for projects, their team, bringing in sources, coding and agreeing."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from coproduce.accounts.models import User
from coproduce.activities.models import Document
from coproduce.analysis.models import Code, Decision, Project, TeamRole
from coproduce.analysis.services.sources import FORMAT_NAMES
from coproduce.organisations.models import Organisation


class ProjectForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Organisation",
        empty_label=None,
        error_messages={"required": "Select the organisation the project belongs to"},
    )
    name = forms.CharField(
        label="Project name", max_length=200, error_messages={"required": "Enter a project name"}
    )
    description = forms.CharField(
        label="What the project is about",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    blind = forms.BooleanField(
        label="Coders code blind",
        required=False,
        initial=True,
        help_text="Each coder sees only their own coding until you open the comparison",
    )
    pseudonymise = forms.BooleanField(
        label="Pseudonymise new transcripts and feedback",
        required=False,
        initial=True,
        help_text=(
            "Names, NHS numbers, phone numbers, email addresses, postcodes and dates of birth "
            "are replaced by placeholders, and you review them before coders see the text"
        ),
    )
    keep_originals = forms.BooleanField(
        label="Keep the original text after review",
        required=False,
        help_text="Only the lead analyst can read it. Leave this unticked unless you need it",
    )

    def __init__(
        self,
        *args: Any,
        organisations: "QuerySet[Organisation]",
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        if editing or organisations.count() == 1:
            field.required = False
            field.widget = forms.HiddenInput()
            if not editing:
                self.initial["organisation"] = organisations.first()

    def clean_organisation(self) -> Organisation | None:
        chosen: Organisation | None = self.cleaned_data.get("organisation")
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        if chosen is None and isinstance(field.widget, forms.HiddenInput):
            return field.queryset.first()  # type: ignore[union-attr]
        return chosen


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj} ({obj.email})"


class TeamMemberForm(forms.Form):
    user = PersonChoiceField(
        queryset=User.objects.none(),
        label="Person",
        error_messages={"required": "Select who to add", "invalid_choice": "Select who to add"},
    )
    role = forms.ChoiceField(
        label="Role in the project",
        choices=TeamRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their role in the project"},
    )

    def __init__(self, *args: Any, users: "QuerySet[User]", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = users


class PasteForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=255, error_messages={"required": "Enter a name for the text"}
    )
    text = forms.CharField(
        label="Text",
        max_length=2_000_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": "Paste the text"},
    )
    pseudonymise = forms.BooleanField(label="Pseudonymise this text", required=False)


FORMATS = ", ".join(FORMAT_NAMES.values())


class ImportForm(forms.Form):
    file = forms.FileField(
        label="File",
        help_text=f"One of: {FORMATS}",
        error_messages={"required": "Choose a file to import", "empty": "The file is empty"},
    )
    name = forms.CharField(
        label="Name",
        max_length=200,
        required=False,
        help_text="Leave blank to use the file's name",
    )
    text_column = forms.CharField(
        label="Column with the comments",
        max_length=200,
        required=False,
        help_text="Survey exports only: its heading exactly as in the first row, such as Comment",
    )
    attribute_columns = forms.CharField(
        label="Columns to keep as attributes",
        max_length=2000,
        required=False,
        help_text="Survey exports only: their headings, one on each line, such as Date or Service",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sheet = forms.CharField(
        label="Worksheet",
        max_length=200,
        required=False,
        help_text="Excel files only: leave blank to use the first worksheet",
    )
    pseudonymise = forms.BooleanField(label="Pseudonymise this file", required=False)

    def columns(self) -> list[str]:
        lines = self.cleaned_data["attribute_columns"].replace(",", "\n").splitlines()
        return [line.strip() for line in lines if line.strip()]


class CodeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ApplyCodesForm(forms.Form):
    """Codes applied to a range of the text: chosen by selection in the browser, or typed as
    character positions (shown beside each paragraph) where there is no JavaScript."""

    codes = CodeChoiceField(
        queryset=Code.objects.none(),
        label="Codes to apply",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one code"},
    )
    start = forms.IntegerField(
        label="From character",
        min_value=0,
        error_messages={"required": "Enter where the passage starts"},
    )
    end = forms.IntegerField(
        label="To character", min_value=1, error_messages={"required": "Enter where it ends"}
    )
    memo = forms.CharField(
        label="Memo on this passage (optional)",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, codes: "QuerySet[Code]", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["codes"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", "The passage must end after it starts")
        return data


class MemoForm(forms.Form):
    text = forms.CharField(
        label="Memo",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the memo"},
    )


class DecisionForm(forms.Form):
    code = forms.ModelChoiceField(queryset=Code.objects.none(), widget=forms.HiddenInput)
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label="The team's decision",
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to code this text"},
    )
    note = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, codes: "QuerySet[Code]", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = codes


class SendFromActivityForm(forms.Form):
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        label="Analysis project",
        empty_label=None,
        error_messages={"required": "Select the project to send them to"},
    )
    minutes = forms.BooleanField(label="The minutes written for this meeting", required=False)
    documents = forms.ModelMultipleChoiceField(
        queryset=Document.objects.none(),
        label="Papers",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        projects: "QuerySet[Project]",
        documents: "QuerySet[Document]",
        has_minutes: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        project = self.fields["project"]
        assert isinstance(project, forms.ModelChoiceField)
        project.queryset = projects
        papers = self.fields["documents"]
        assert isinstance(papers, forms.ModelMultipleChoiceField)
        papers.queryset = documents
        if not has_minutes:
            del self.fields["minutes"]
