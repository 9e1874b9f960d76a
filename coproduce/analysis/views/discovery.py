"""Theme discovery's pages: the themes found among uncoded responses, each theme's responses,
asking for themes, and making a theme into a code. The whole team reads them; only the lead
analyst asks for themes and makes codes."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from coproduce.analysis.models import Code, Dataset, Discovery, Project, Source
from coproduce.analysis.services import codebook
from coproduce.analysis.services import discovery as services
from coproduce.analysis.suggest.discovery import MOST_THEMES
from coproduce.analysis.team import Right, may, on_project
from coproduce.core.errors import ServiceError
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.pagination import PagedList

ALL = "all"
TOP_LEVEL = ""
PAGE_SIZE = 25


class StartForm(forms.Form):
    dataset = forms.ChoiceField(
        label="Which responses",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose which responses to look at",
            "invalid_choice": "Choose which responses to look at from the list",
        },
    )
    themes = forms.IntegerField(
        label="How many themes",
        help_text="Leave it blank and the number is chosen from how many responses there are",
        required=False,
        min_value=services.FEWEST_THEMES,
        max_value=MOST_THEMES,
        error_messages={
            "invalid": "Enter the number of themes as a whole number, like 8",
            "min_value": f"Ask for at least {services.FEWEST_THEMES} themes",
            "max_value": f"Ask for {MOST_THEMES} themes or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
    )

    def __init__(self, *args: Any, datasets: list[Dataset], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dataset = self.fields["dataset"]
        assert isinstance(dataset, forms.ChoiceField)
        dataset.choices = [
            (ALL, "All uncoded responses"),
            *((str(each.pk), f"Uncoded responses in {each.name}") for each in datasets),
        ]
        if not self.is_bound:
            self.initial.setdefault("dataset", ALL)


class MakeCodeForm(forms.Form):
    name = forms.CharField(
        label="Name of the code",
        max_length=codebook.NAME_MAX,
        error_messages={"required": "Enter a name for the code"},
    )
    parent = forms.ChoiceField(
        label="Where it goes",
        required=False,
        error_messages={"invalid_choice": "Choose where the code goes from the list"},
    )

    def __init__(self, *args: Any, places: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ChoiceField)
        parent.choices = [(TOP_LEVEL, "At the top level"), *places]


def _places(project: Project) -> list[tuple[int, str]]:
    """Codes in use, in tree order, by their full path: where a new code can go."""
    names = codebook.paths(project)
    return [
        (node.code.pk, names[node.code.pk])
        for node in codebook.walk(codebook.current_tree(project))
    ]


def _datasets(project: Project) -> list[Dataset]:
    return list(Dataset.objects.filter(project=project).order_by("name"))


def _page_url(project: Project) -> str:
    return reverse("analysis:discovery", kwargs={"project_pk": project.pk})


def _code_form(
    project: Project, theme: dict[str, Any], number: int, places: list[tuple[int, str]]
) -> MakeCodeForm:
    return MakeCodeForm(
        places=places,
        prefix=f"theme-{number}",
        initial={"name": services.suggested_name(theme), "parent": TOP_LEVEL},
    )


@dataclass
class ThemeRow:
    number: int
    label: str
    words: list[str]
    size: int
    typical: list[Source]
    code: Code | None
    made: bool
    form: MakeCodeForm | None


def _rows(project: Project, found: Discovery, can_lead: bool) -> list[ThemeRow]:
    typical_ids = [pk for theme in found.themes for pk in theme["typical"]]
    sources = Source.objects.filter(project=project).in_bulk(typical_ids)
    codes = Code.objects.filter(project=project).in_bulk(
        [theme["code"] for theme in found.themes if theme["code"] is not None]
    )
    places = _places(project) if can_lead else []
    rows = []
    for number, theme in enumerate(found.themes, start=1):
        made = theme["code"] is not None
        rows.append(
            ThemeRow(
                number=number,
                label=services.suggested_name(theme),
                words=theme["words"],
                size=len(theme["members"]),
                typical=[sources[pk] for pk in theme["typical"] if pk in sources],
                code=codes.get(theme["code"]) if made else None,
                made=made,
                form=_code_form(project, theme, number, places) if can_lead and not made else None,
            )
        )
    return rows


@on_project(Right.VIEW)
def discovery(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    newest = services.latest(project)
    running = services.in_progress(newest)
    if request.headers.get("HX-Request") and request.GET.get("progress"):
        # The progress panel asks every few seconds; once the search ends, reload the page.
        if not running:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "analysis/discovery/_progress.jinja", {"item": newest})
    can_lead = may(request.user, project, Right.LEAD)
    # Which responses are left uncoded says what others coded: not for coders while blind.
    hidden = project.coding_is_blind and not can_lead
    found = None if hidden else services.ready(project)
    return render(
        request,
        "analysis/discovery/page.jinja",
        {
            "project": project,
            "title": "Themes not yet in the codebook",
            "newest": newest,
            "running": running,
            "found": found,
            "skipped": services.skipped(found) if found else 0,
            "themes": _rows(project, found, can_lead) if found else [],
            "can_lead": can_lead,
            "start_form": StartForm(datasets=_datasets(project)) if can_lead else None,
            "min_responses": services.MIN_RESPONSES,
            "hidden": hidden,
        },
    )


@on_project(Right.LEAD)
def discovery_start(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    datasets = _datasets(project)
    form = StartForm(request.POST if request.method == "POST" else None, datasets=datasets)
    if request.method == "POST":

        def start() -> Discovery:
            chosen = form.cleaned_data["dataset"]
            return services.start_discovery(
                by=request.user,
                project=project,
                dataset=next((each for each in datasets if str(each.pk) == chosen), None),
                themes=form.cleaned_data["themes"],
            )

        if submit(form, start):
            return redirect(_page_url(project))
    return render(
        request,
        "analysis/discovery/start.jinja",
        {
            "project": project,
            "title": "Look for themes",
            "form": form,
            "back_url": _page_url(project),
            "min_responses": services.MIN_RESPONSES,
        },
    )


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@on_project(Right.VIEW)
def discovery_members(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    """Every response in one theme of the themes shown, a page at a time."""
    found = services.ready(project)
    if project.coding_is_blind and not may(request.user, project, Right.LEAD):
        found = None
    number = _number(request.GET.get("theme"))
    if found is None:
        return render(
            request,
            "analysis/discovery/members.jinja",
            {"project": project, "title": "Responses in a theme", "theme": None},
        )
    try:
        theme = services.theme_of(found, number or 0)
    except ServiceError:
        raise Http404 from None
    # The members are already in order and known by id, so the ids are paged and only one
    # page of responses is read.
    paginator = Paginator(theme["members"], PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        page = paginator.page(1)
    rows = (
        Source.objects.filter(project=project).select_related("dataset").in_bulk(page.object_list)
    )
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]

    def link(at: int) -> str:
        return f"?theme={number}&page={at}"

    return render(
        request,
        "analysis/discovery/members.jinja",
        {
            "project": project,
            "title": services.suggested_name(theme),
            "theme": theme,
            "number": number,
            "members": PagedList(
                page=page,
                previous_url=link(page.previous_page_number()) if page.has_previous() else None,
                next_url=link(page.next_page_number()) if page.has_next() else None,
            ),
            "back_url": _page_url(project),
        },
    )


def _chosen_parent(project: Project, value: str) -> Code | None:
    if value in (TOP_LEVEL, None):
        return None
    return get_object_or_404(Code, project=project, pk=int(value))


@on_project(Right.LEAD)
def discovery_code(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    """Make one theme into a code: from the form beside the theme, or this page's own."""
    data = request.POST if request.method == "POST" else request.GET
    found = services.ready(project)
    number = _number(data.get("theme"))
    if found is None:
        return render(
            request,
            "analysis/discovery/make_code.jinja",
            {"project": project, "title": "Make a theme into a code", "theme": None},
        )
    wanted = _number(data.get("discovery"))
    if request.method == "POST" and wanted is not None:
        # The form names the discovery its theme came from, so that a newer search is noticed.
        found = get_object_or_404(Discovery, project=project, pk=wanted)
    try:
        theme = services.theme_of(found, number or 0)
    except ServiceError:
        raise Http404 from None
    places = _places(project)
    form = MakeCodeForm(
        request.POST if request.method == "POST" else None,
        places=places,
        prefix=f"theme-{number}",
        initial={"name": services.suggested_name(theme), "parent": TOP_LEVEL},
    )
    if request.method == "POST":
        made = submit(
            form,
            lambda: services.make_code(
                by=request.user,
                discovery=found,
                number=number or 0,
                name=form.cleaned_data["name"],
                parent=_chosen_parent(project, form.cleaned_data["parent"]),
            ),
        )
        if made is not None:
            messages.success(
                request,
                f"Code {made.code.name} added. {_responses(made.suggested)} put up for review "
                "as suggestions of it: nothing is coded until someone accepts them.",
            )
            return redirect("analysis:code", project_pk=project.pk, code_pk=made.code.pk)
    sources = Source.objects.filter(project=project).in_bulk(theme["typical"])
    return render(
        request,
        "analysis/discovery/make_code.jinja",
        {
            "project": project,
            "title": "Make this theme a code",
            "theme": theme,
            "number": number,
            "found": found,
            "typical": [sources[pk] for pk in theme["typical"] if pk in sources],
            "form": form,
            "back_url": _page_url(project),
        },
    )


def _responses(count: int) -> str:
    return f"{count:,} response{'' if count == 1 else 's'}"


urlpatterns = [
    path("<int:project_pk>/discovery/", discovery, name="discovery"),
    path("<int:project_pk>/discovery/start/", discovery_start, name="discovery_start"),
    path("<int:project_pk>/discovery/responses/", discovery_members, name="discovery_members"),
    path("<int:project_pk>/discovery/code/", discovery_code, name="discovery_code"),
]
