"""Finding a person by name or email on a staff page, without JavaScript.

An organisation holds thousands of people, so a page that acts for someone (adding a member,
recording interest, registering for a meeting, claiming) first asks for part of their name in a
GET search, then lists the few who match to choose from. A search that matches too many asks for
more of the name instead of listing hundreds.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest

from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.people.models import Person

MOST_PEOPLE_LISTED = 20


class FindPersonForm(forms.Form):
    q = forms.CharField(
        label="Find the person",
        help_text="Their name or email address",
        required=False,
        max_length=100,
    )


class PersonChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        # Two people can share a name: the email address tells them apart.
        return f"{obj.full_name} ({obj.email})" if obj.email else obj.full_name


class ChoosePersonForm(forms.Form):
    """The choice among the people a search listed; forms that ask more add their own fields."""

    person = PersonChoiceField(
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        label="Person",
        error_messages={
            "required": "Select the person",
            "invalid_choice": "Select a person from the list",
        },
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField[Any] = self.fields["person"]  # type: ignore[assignment]
        field.queryset = people


@dataclass
class PersonSearch:
    form: FindPersonForm
    query: str
    matches: "QuerySet[Person]"
    count: int

    @property
    def listed(self) -> bool:
        """Few enough matches to list them as choices."""
        return 0 < self.count <= MOST_PEOPLE_LISTED

    def context(self) -> dict[str, Any]:
        return {
            "finder": self.form,
            "query": self.query,
            "match_count": self.count,
            "listed": self.listed,
        }


def find(
    request: HttpRequest,
    candidates: "QuerySet[Person]",
    *,
    permission: Permission,
    label: str = "",
) -> PersonSearch:
    """Search `candidates` for the query in the request, among those the user may act on with
    `permission` (the search goes through the one access path, whatever the caller passed).

    The query comes from the GET search, or from the hidden copy posted back with the choice, so
    the posted choice is checked against the same list the page showed.
    """
    source = (
        request.GET if "q" in request.GET else request.POST if request.method == "POST" else None
    )
    form = FindPersonForm(source)
    if label:
        form.fields["q"].label = label
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    candidates = access.scoped(request.user, candidates, permission)
    matches = (
        candidates.search(query)  # type: ignore[attr-defined]
        .only("id", "given_name", "family_name", "email", "organisation_id")
        .order_by("family_name", "given_name", "pk")
        if query
        else candidates.none()
    )
    return PersonSearch(form, query, matches, matches.count() if query else 0)
