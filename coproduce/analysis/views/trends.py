"""Trends in a project's survey and feedback responses, and across an organisation's projects:
comments by code and sentiment per month or quarter, the change since the period before, the
comments behind each count, downloads, dating the responses, and raising an ask from a trend."""

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.text import slugify

from coproduce.analysis import team
from coproduce.analysis.models import Attribute, Code, Dataset, Project
from coproduce.analysis.services import dating
from coproduce.analysis.services import trends as service
from coproduce.analysis.team import Right, on_project
from coproduce.asks.models import Service
from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.pagination import paginate
from coproduce.nhsuk_forms.fields import DateField
from coproduce.organisations.models import Organisation
from coproduce.people.models import Person

# Parameters that name a count rather than the figures it is part of.
COUNT_PARAMETERS = {"page", "download", "code", "period_start", "which", "sentiment"}


class TrendsForm(forms.Form):
    """What the figures cover. Every field may be left as it is: the figures then cover every
    dated response, by month, as the team confirmed them."""

    period = forms.ChoiceField(
        label="Count by",
        choices=list(service.PERIODS.items()),
        widget=forms.RadioSelect,
        required=False,
    )
    counting = forms.ChoiceField(
        label="Which codes and sentiment to count",
        choices=[
            ("confirmed", "Confirmed only"),
            ("suggested", "Confirmed and suggested"),
        ],
        widget=forms.RadioSelect,
        required=False,
        help_text="Suggested means the model's suggestions that nobody has checked yet",
    )
    dataset = forms.ModelChoiceField(
        label="Survey or feedback",
        queryset=Dataset.objects.none(),
        required=False,
        empty_label="All of them",
    )
    attribute = forms.ModelChoiceField(
        label="Only responses with an attribute",
        queryset=Attribute.objects.none(),
        required=False,
        empty_label="Any attribute",
    )
    value = forms.CharField(
        label="Value of the attribute",
        max_length=200,
        required=False,
        help_text="For example, Radiotherapy when the attribute is Service",
    )
    start = DateField(label="From", required=False, help_text="For example, 1 4 2026")
    end = DateField(label="To", required=False, help_text="For example, 31 3 2027")

    def __init__(
        self,
        data: Any,
        *,
        datasets: "QuerySet[Dataset]",
        attributes: "QuerySet[Attribute]",
        projects: "QuerySet[Project] | None" = None,
    ) -> None:
        super().__init__(data)
        self.fields["dataset"].queryset = datasets  # type: ignore[attr-defined]
        self.fields["attribute"].queryset = attributes  # type: ignore[attr-defined]
        if projects is not None:
            self.fields["project"] = forms.ModelChoiceField(
                label="Project", queryset=projects, required=False, empty_label="All projects"
            )
            self.order_fields(["project"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The 'to' date must be the same as or after the 'from' date")
        if cleaned.get("attribute") and not (cleaned.get("value") or "").strip():
            self.add_error("value", "Enter the value to look for, or choose any attribute")
        return cleaned

    def filters(self) -> service.Filters:
        """The figures' filters, leaving out anything not valid (it then takes its default)."""
        self.is_valid()
        chosen = getattr(self, "cleaned_data", {})
        dataset = chosen.get("dataset")
        attribute = chosen.get("attribute")
        return service.Filters(
            dataset=dataset.pk if dataset else None,
            attribute=attribute if attribute and (chosen.get("value") or "").strip() else None,
            value=(chosen.get("value") or "").strip() if attribute else "",
            start=chosen.get("start"),
            end=chosen.get("end"),
            period=chosen.get("period") or service.MONTH,
            suggested=chosen.get("counting") == "suggested",
        )


def _defaults(request: AuthenticatedRequest) -> Any:
    data = request.GET.copy()
    data.setdefault("period", service.MONTH)
    data.setdefault("counting", "confirmed")
    return data


def _query(request: AuthenticatedRequest, leave_out: set[str] | None = None) -> str:
    """The figures' choices as a query string, for download, drill-down and ask links."""
    left_out = COUNT_PARAMETERS | (leave_out or set())
    return urlencode(
        sorted(
            (key, value)
            for key, value in request.GET.items()
            if key not in left_out and value != ""
        )
    )


@dataclass(frozen=True)
class Links:
    """Addresses built from the figures' choices."""

    base: str
    query: str

    def to(self, **extra: Any) -> str:
        parts = [self.query, urlencode({k: v for k, v in extra.items() if v not in (None, "")})]
        joined = "&".join(part for part in parts if part)
        return self.base + ("?" + joined if joined else "")


# Charts ------------------------------------------------------------------------------------

CONFIRMED_FILL, SUGGESTED_FILL = "#005eb8", "#8dc2e8"
SENTIMENT_FILLS = {"positive": "#007f3b", "neutral": "#768692", "negative": "#d5281b"}


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    fill: str


@dataclass(frozen=True)
class Column:
    label: str
    x: int
    bars: list[Bar]
    total: int


@dataclass(frozen=True)
class Chart:
    """Stacked columns drawn as SVG on the server; the same numbers are in a table below."""

    width: int
    height: int
    plot: int  # the height of the drawing area, above the labels
    columns: list[Column]
    most: int


def chart(labels: list[str], stacks: list[list[tuple[int, str]]], *, height: int = 160) -> Chart:
    step = 48 if len(labels) <= 24 else 24
    bar_width = step - 12
    most = max([sum(n for n, _ in stack) for stack in stacks] + [1])
    columns = []
    for index, (label, stack) in enumerate(zip(labels, stacks, strict=True)):
        x = 40 + index * step
        y = height
        bars = []
        for n, fill in stack:
            tall = round(height * n / most)
            if tall:
                y -= tall
                bars.append(Bar(x, y, bar_width, tall, fill))
        columns.append(Column(label, x, bars, sum(n for n, _ in stack)))
    return Chart(
        width=max(40 + len(labels) * step + 8, 200),
        height=height + 40,
        plot=height,
        columns=columns,
        most=most,
    )


# The pages ---------------------------------------------------------------------------------


def _project_form(request: AuthenticatedRequest, project: Project) -> TrendsForm:
    return TrendsForm(
        _defaults(request),
        datasets=Dataset.objects.filter(project=project),
        attributes=Attribute.objects.filter(project=project),
    )


def _figures_context(
    result: service.Trends, request: AuthenticatedRequest, suggested: bool
) -> dict[str, Any]:
    labels = [period.short for period in result.periods]
    volume = chart(
        labels,
        [
            [
                (sum(t.confirmed[i] for t in result.codes), CONFIRMED_FILL),
                (sum(t.suggested[i] for t in result.codes) if suggested else 0, SUGGESTED_FILL),
            ]
            for i in range(len(labels))
        ],
    )
    feelings = chart(
        labels,
        [
            [
                (counts.count(value, suggested), SENTIMENT_FILLS[value])
                for value, _ in service.SENTIMENTS
            ]
            for counts in result.sentiment
        ],
    )
    return {
        "result": result,
        "volume_chart": volume,
        "sentiment_chart": feelings,
        "sentiments": service.SENTIMENTS,
        "sentiment_legend": [
            (label, SENTIMENT_FILLS[value]) for value, label in service.SENTIMENTS
        ],
        "confirmed_fill": CONFIRMED_FILL,
        "suggested_fill": SUGGESTED_FILL,
        "suggested": suggested,
        "query": _query(request),
    }


@on_project(Right.VIEW)
def trends(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    form = _project_form(request, project)
    filters = form.filters()
    result = service.trends(request.user, [project], filters)
    wanted = request.GET.get("download")
    if wanted in {"csv", "xlsx"}:
        name = f"{slugify(project.name)[:60] or 'project'}-trends"
        return service.download(result, name, wanted)
    is_lead = team.may(request.user, project, Right.LEAD)
    context = _figures_context(result, request, filters.suggested)
    context.update(
        {
            "title": "Trends",
            "project": project,
            "form": form,
            "is_lead": is_lead,
            "comments": Links(
                reverse("analysis:trends_comments", args=[project.pk]), context["query"]
            ),
            "ask": Links(reverse("analysis:trends_ask", args=[project.pk]), context["query"])
            if is_lead
            else None,
            "download": Links(request.path, context["query"]),
            "codes_by_key": {t.key: t.codes[0][1] for t in result.codes},
            "undated_only": result.total == 0 and result.undated > 0 and not _filtered(filters),
        }
    )
    return render(request, "analysis/trends/trends.jinja", context)


def _filtered(filters: service.Filters) -> bool:
    return bool(filters.dataset or filters.attribute or filters.start or filters.end)


WHICH = {
    service.CONFIRMED: "confirmed",
    service.SUGGESTED: "suggested and not yet checked",
    service.BOTH: "confirmed or suggested",
}


@on_project(Right.VIEW)
def trends_comments(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    """The comments behind one count of the trends page, a page at a time."""
    form = _project_form(request, project)
    filters = form.filters()
    code = None
    if request.GET.get("code", "").isdigit():
        code = get_object_or_404(Code, project=project, pk=int(request.GET["code"]))
    period = None
    if request.GET.get("period_start"):
        try:
            day = datetime.date.fromisoformat(request.GET["period_start"])
        except ValueError:
            raise Http404 from None
        period = service.Period(service.period_start(day, filters.period), filters.period)
    which = request.GET.get("which", "")
    if which not in WHICH:
        which = service.BOTH if filters.suggested else service.CONFIRMED
    sentiment = request.GET.get("sentiment", "")
    if sentiment not in dict(service.SENTIMENTS):
        sentiment = ""
    found = service.behind(
        request.user, project, filters, code=code, period=period, which=which, sentiment=sentiment
    )
    page = paginate(request, found, per_page=20)
    about = [
        f"coded {code.name}" if code else "",
        f"{dict(service.SENTIMENTS)[sentiment].lower()} in sentiment" if sentiment else "",
        f"received in {period.label}" if period else "",
    ]
    description = "Comments " + ", ".join(part for part in about if part) if any(about) else ""
    return render(
        request,
        "analysis/trends/comments.jinja",
        {
            "title": "Comments behind the trend",
            "project": project,
            "responses": page,
            "comments": service.comments(request.user, project, page.items),
            "description": description or "Every dated comment in these figures",
            "which": WHICH[which] if (code or sentiment) else "",
            "filters": filters.described(),
            "back": Links(reverse("analysis:trends", args=[project.pk]), _query(request)).to(),
            "column": "full",
        },
    )


class DateForm(forms.Form):
    attribute = forms.ModelChoiceField(
        label="Date the responses by",
        queryset=Attribute.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose the attribute that holds the date"},
    )

    def __init__(self, *args: Any, attributes: "QuerySet[Attribute]", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attribute"].queryset = attributes  # type: ignore[attr-defined]


@on_project(Right.LEAD)
def trends_dates(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    """The lead chooses which attribute dates the responses, when none was found at import."""
    form = DateForm(
        request.POST or None,
        attributes=Attribute.objects.filter(project=project).order_by("name"),
    )
    if request.method == "POST":
        result = submit(
            form,
            lambda: dating.date_responses(
                by=request.user, project=project, attribute=form.cleaned_data["attribute"]
            ),
        )
        if result is not None:
            text = f"{result.dated:,} responses dated by {form.cleaned_data['attribute'].name}"
            if result.unreadable:
                text += (
                    f". {result.unreadable:,} could not be read as dates and are left out of "
                    "the trends"
                )
            if result.blank:
                text += f". {result.blank:,} had no date"
            (messages.success if result.dated else messages.warning)(request, text)
            return redirect("analysis:trends", project_pk=project.pk)
    return render(
        request,
        "analysis/trends/dates.jinja",
        {
            "title": "Date the responses",
            "project": project,
            "form": form,
            "dated": dating.dated_count(project),
        },
    )


class AskForm(forms.Form):
    code = forms.ChoiceField(
        label="Which trend is it about?",
        error_messages={
            "required": "Choose the code whose trend this is about",
            "invalid_choice": "Choose a code that has comments in these figures",
        },
    )
    title = forms.CharField(
        label="What should change?",
        max_length=200,
        error_messages={"required": "Enter what should change"},
        help_text="A short title, for example: Make it easier to park at the clinic",
    )
    what_was_said = forms.CharField(
        label="What was said",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Enter what was said"},
        help_text="Written from the figures; change it if you need to",
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.all(),
        required=False,
        label="Which service is it about?",
        empty_label="Not about one service",
    )
    owner = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Who must answer it?",
        help_text="A member of staff. They are told, and reminded if there is no answer",
        empty_label="Decide later",
    )

    def __init__(
        self, *args: Any, codes: list[tuple[str, str]], staff: "QuerySet[Person]", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", "Choose a code"), *codes]  # type: ignore[attr-defined]
        self.fields["owner"].queryset = staff  # type: ignore[attr-defined]


def staff_of(organisation_id: int) -> "QuerySet[Person]":
    return Person.objects.filter(
        organisation_id=organisation_id, kind=Person.Kind.STAFF, user__isnull=False
    ).order_by("family_name", "given_name")


@on_project(Right.LEAD)
def trends_ask(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    """Raise an ask in the impact record from a code's trend."""
    filters = _project_form(request, project).filters()
    result = service.trends(request.user, [project], filters)
    changes = {change.trend.key: change for change in result.changes}
    codes = [(key, change.trend.name) for key, change in changes.items()]
    chosen = request.POST.get("code") or request.GET.get("code", "")
    initial: dict[str, Any] = {"code": chosen}
    if chosen in changes:
        initial["title"] = f"Comments about {changes[chosen].trend.name}"[:200]
        initial["what_was_said"] = service.summary(result, changes[chosen])
    form = AskForm(
        request.POST or None,
        initial=initial,
        codes=codes,
        staff=staff_of(project.organisation_id),
    )
    query = _query(request)
    if request.method == "POST":
        key = request.POST.get("code", "")
        change = changes.get(key)
        link = request.build_absolute_uri(
            Links(reverse("analysis:trends_comments", args=[project.pk]), query).to(
                code=change.trend.codes[0][1] if change else "",
                period_start=result.latest.key if result.latest else "",
            )
        )
        ask = submit(
            form,
            lambda: service.raise_ask(
                by=request.user,
                project=project,
                result=result,
                key=key,
                title=form.cleaned_data["title"],
                what_was_said=form.cleaned_data["what_was_said"],
                service=form.cleaned_data["service"],
                owner=form.cleaned_data["owner"],
                link=link,
            ),
        )
        if ask:
            messages.success(request, f"{ask.title} has been recorded, with the figures")
            return redirect("asks:detail", ask.pk)
    return render(
        request,
        "analysis/trends/ask.jinja",
        {
            "title": "Raise an ask from a trend",
            "project": project,
            "form": form,
            "result": result,
            "change": changes.get(chosen),
            "back": Links(reverse("analysis:trends", args=[project.pk]), query).to(),
            "action": Links(request.path, query).to(),
        },
    )


@access.requires(Permission.USE_ANALYSIS)
def organisation_trends(request: AuthenticatedRequest, organisation_pk: int) -> HttpResponse:
    """The same figures across the organisation's projects the user is on the team of; codes
    of the same name in different projects are counted together."""
    organisation = access.get(
        request.user, Organisation.objects.all(), Permission.USE_ANALYSIS, pk=organisation_pk
    )
    projects = team.projects_of(request.user).filter(organisation=organisation).order_by("name")
    form = TrendsForm(
        _defaults(request),
        datasets=Dataset.objects.filter(project__in=projects).order_by("project__name", "name"),
        attributes=Attribute.objects.filter(project__in=projects).order_by("name"),
        projects=projects,
    )
    filters = form.filters()
    chosen = form.cleaned_data.get("project") if hasattr(form, "cleaned_data") else None
    counted = [chosen] if chosen else list(projects)
    if filters.attribute is not None:
        # An attribute belongs to one project; the others are matched by its name.
        counted = [p for p in counted if p.pk == filters.attribute.project_id] + [
            p for p in counted if p.pk != filters.attribute.project_id
        ]
    result = _across(request, counted, filters)
    wanted = request.GET.get("download")
    if wanted in {"csv", "xlsx"}:
        name = f"{slugify(organisation.name)[:60] or 'organisation'}-trends"
        return service.download(result, name, wanted)
    context = _figures_context(result, request, filters.suggested)
    context.update(
        {
            "title": f"Trends across {organisation.name}",
            "organisation": organisation,
            "form": form,
            "projects": list(projects),
            "chosen_project": chosen,
            "download": Links(request.path, context["query"]),
            "comments": Links(
                reverse("analysis:trends_comments", args=[chosen.pk]), _query(request, {"project"})
            )
            if chosen
            else None,
            "codes_by_key": {t.key: t.codes[0][1] for t in result.codes} if chosen else {},
            "column": "full",
        }
    )
    return render(request, "analysis/trends/organisation.jinja", context)


def _across(
    request: AuthenticatedRequest, projects: list[Project], filters: service.Filters
) -> service.Trends:
    """Figures over several projects: an attribute or a dataset chosen from one project is
    matched in the others by its name."""
    if filters.attribute is None and filters.dataset is None:
        return service.trends(request.user, projects, filters, across=True)
    parts = []
    dataset_name = (
        Dataset.objects.filter(pk=filters.dataset).values_list("name", flat=True).first()
        if filters.dataset
        else None
    )
    for project in projects:
        attribute = filters.attribute
        if attribute is not None and attribute.project_id != project.pk:
            attribute = Attribute.objects.filter(project=project, name=attribute.name).first()
            if attribute is None:
                continue
        dataset = filters.dataset
        if dataset_name is not None:
            dataset = (
                Dataset.objects.filter(project=project, name=dataset_name)
                .values_list("pk", flat=True)
                .first()
            )
            if dataset is None:
                continue
        parts.append((project, attribute, dataset))
    return service.trends_of(request.user, parts, filters)


urlpatterns = [
    path("<int:project_pk>/trends/", trends, name="trends"),
    path("<int:project_pk>/trends/comments/", trends_comments, name="trends_comments"),
    path("<int:project_pk>/trends/dates/", trends_dates, name="trends_dates"),
    path("<int:project_pk>/trends/ask/", trends_ask, name="trends_ask"),
    path(
        "organisations/<int:organisation_pk>/trends/",
        organisation_trends,
        name="organisation_trends",
    ),
]
