"""Search a project's sources: a GET form (so a search is a link that can be shared or kept)
and a page of results with the matching words marked."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from coproduce.accounts.models import User
from coproduce.analysis import search as engine
from coproduce.analysis.models import Attribute, Code, Project, TeamRole
from coproduce.analysis.team import Right, may, on_project, role_in
from coproduce.core.http import AuthenticatedRequest
from coproduce.nhsuk_forms.fields import DateField

QUERY_HINT = (
    'Every word must appear. Use "quotation marks" for a phrase, OR between words for '
    "either, a minus sign to leave a word out (-parking) and * for words that start the "
    "same way (nurs* finds nurse and nursing)."
)


def coders_to_offer(user: User, project: Project) -> "QuerySet[User]":
    """Whose coding the user may filter by: anyone on the team who codes, except in blind
    coding, where a coder may choose only themselves (and the lead anyone)."""
    coders = User.objects.filter(
        analysis_teams__project=project,
        analysis_teams__role__in=[TeamRole.LEAD, TeamRole.CODER],
    )
    if project.coding_is_blind and not may(user, project, Right.LEAD):
        coders = (
            coders.filter(pk=user.pk) if role_in(user, project) == TeamRole.CODER else coders.none()
        )
    return coders.order_by("first_name", "last_name", "email")


class CoderChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class CodeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} (retired)" if obj.retired else str(obj.name)


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for",
        help_text=QUERY_HINT,
        max_length=engine.MAX_QUERY_LENGTH,
        error_messages={
            "required": "Enter words to search for",
            "max_length": f"Search for at most {engine.MAX_QUERY_LENGTH} characters",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of source",
        choices=[("", "All sources"), *engine.Kind.CHOICES],
        required=False,
    )
    code = CodeChoice(
        label="Coded with",
        queryset=Code.objects.none(),
        required=False,
        empty_label="Any code, or none",
        error_messages={"invalid_choice": "Choose a code from the list"},
    )
    coder = CoderChoice(
        label="Coded by",
        queryset=User.objects.none(),
        required=False,
        empty_label="Anyone, or nobody",
        error_messages={"invalid_choice": "Choose a coder from the list"},
    )
    attribute = forms.ModelChoiceField(
        label="Attribute",
        queryset=Attribute.objects.none(),
        required=False,
        empty_label="Any attribute",
        error_messages={"invalid_choice": "Choose an attribute from the list"},
    )
    value = forms.CharField(
        label="Attribute value",
        help_text="The whole value, in any case: Radiotherapy, for example",
        max_length=200,
        required=False,
    )
    added_from = DateField(label="Added to the project on or after", required=False)
    added_to = DateField(label="Added to the project on or before", required=False)

    def __init__(self, *args: Any, project: Project, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["code"].queryset = Code.objects.filter(project=project).order_by(
            "retired", "position", "name"
        )
        fields["coder"].queryset = coders_to_offer(user, project)
        fields["attribute"].queryset = Attribute.objects.filter(project=project)
        self.offer_coder = fields["coder"].queryset.exists()
        if project.coding_is_blind and not may(user, project, Right.LEAD):
            fields["coder"].help_text = "While coding is blind you can choose only your own coding"

    def clean_q(self) -> engine.Query:
        try:
            return engine.parse(self.cleaned_data["q"])
        except engine.SearchError as error:
            raise forms.ValidationError(error.message) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        attribute, value = data.get("attribute"), (data.get("value") or "").strip()
        if attribute is not None and not value:
            self.add_error("value", f"Enter the value of {attribute.name} to look for")
        if value and attribute is None and "attribute" not in self.errors:
            self.add_error("attribute", "Choose the attribute that should have this value")
        start, end = data.get("added_from"), data.get("added_to")
        if start and end and start > end:
            self.add_error("added_to", "Enter a date the same as or after the first date")
        return data

    def filters(self) -> engine.Filters:
        data = self.cleaned_data
        return engine.Filters(
            code=data["code"],
            coder=data["coder"],
            attribute=data["attribute"],
            value=data["value"].strip(),
            added_from=data["added_from"],
            added_to=data["added_to"],
            kind=data["kind"],
        )

    @property
    def filtered(self) -> bool:
        """Whether any filter beyond the words is chosen, so the page opens them."""
        return any(self.data.get(name) for name in self.fields if name != "q") or any(
            self.data.get(f"{name}-{part}")
            for name in ("added_from", "added_to")
            for part in ("day", "month", "year")
        )


def _page_number(request: AuthenticatedRequest) -> int:
    number = request.GET.get("page", "1")
    return int(number) if number.isdigit() and 0 < len(number) < 7 else 1


def _page_url(request: AuthenticatedRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return f"?{urlencode(sorted(query.items()))}"


@on_project(Right.VIEW)
def search(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    searched = "q" in request.GET
    form = SearchForm(request.GET if searched else None, project=project, user=request.user)
    results = None
    if searched and form.is_valid():
        try:
            results = engine.search(
                project,
                form.cleaned_data["q"],
                user=request.user,
                filters=form.filters(),
                page=_page_number(request),
            )
        except engine.SearchError as error:
            form.add_error("q", error.message)
    previous_url = next_url = None
    if results is not None:
        if results.page > 1:
            previous_url = _page_url(request, results.page - 1)
        if results.has_next:
            next_url = _page_url(request, results.page + 1)
    return render(
        request,
        "analysis/search/search.jinja",
        {
            "title": "Search",
            "project": project,
            "form": form,
            "results": results,
            "previous_url": previous_url,
            "next_url": next_url,
            "show_filters": form.filtered if searched else False,
            "offer_coder": form.offer_coder,
        },
    )


urlpatterns = [path("<int:project_pk>/search/", search, name="search")]
