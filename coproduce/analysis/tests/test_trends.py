"""Trends in survey and feedback responses: comments by code and sentiment per month or quarter,
the change since the period before, filters, blind coding, dating the responses, the comments
behind a count, downloads, and raising an ask from a trend."""

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import Tenant
from coproduce.analysis.models import (
    Attribute,
    Code,
    Dataset,
    Import,
    Layer,
    Reading,
    Segment,
    Sentiment,
    SentimentLabel,
    Source,
    Suggestion,
)
from coproduce.analysis.services import dating, sources
from coproduce.analysis.services import trends as service
from coproduce.asks.models import Ask, Evidence
from coproduce.core.roles import Role
from coproduce.people.models import Person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# The latest complete month and the one before it, whenever the tests run.
LATEST = service.shift(service.period_start(TODAY, service.MONTH), service.MONTH, -1)
PREVIOUS = service.shift(LATEST, service.MONTH, -1)


class Survey:
    """The tenant's project with a survey of dated responses, coded by the lead analyst."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant
        analysis = tenant.analysis
        self.project = analysis.project
        self.dataset = analysis.dataset
        self.service = analysis.attribute
        self.lead = tenant.users[Role.ANALYST]
        self.coder = tenant.users[Role.STAFF]
        self.viewer = tenant.users[Role.INVOLVEMENT_LEAD]
        self.parking = Code.objects.create(project=self.project, name="Parking", position=1)
        self.staff = Code.objects.create(project=self.project, name="Kind staff", position=2)
        self.row = 10

    def response(
        self,
        text: str,
        day: datetime.date | None,
        codes: tuple[Code, ...] = (),
        service_name: str = "Radiotherapy",
        coder: Any = None,
    ) -> Source:
        self.row += 1
        assert self.dataset.source_import is not None
        source = Source.objects.create(
            project=self.project,
            source_import=self.dataset.source_import,
            dataset=self.dataset,
            row=self.row,
            kind=Source.Kind.RESPONSE,
            name=f"Survey, row {self.row}",
            text=text,
            values={str(self.service.pk): service_name},
            received_on=day,
        )
        for code in codes:
            Segment.objects.create(
                project=self.project,
                source=source,
                code=code,
                start=0,
                end=len(text),
                coder=coder or self.lead,
                coded_at=timezone.now(),
            )
        return source

    def figures(self, user: Any = None, **filters: Any) -> service.Trends:
        return service.trends(
            user or self.lead, [self.project], service.Filters(**filters), today=TODAY
        )


@pytest.fixture
def survey(tenant: Tenant) -> Survey:
    survey = Survey(tenant)
    for number in range(2):
        survey.response(f"Parking was hard {number}", PREVIOUS.replace(day=3), (survey.parking,))
    for number in range(5):
        survey.response(
            f"No spaces again {number}",
            LATEST.replace(day=10),
            (survey.parking,),
            service_name="Chemotherapy",
        )
    survey.response(
        "Lovely staff but nowhere to park",
        LATEST.replace(day=12),
        (survey.parking, survey.staff),
    )
    survey.response("Nothing to add", None)
    return survey


def trend(result: service.Trends, code: Code) -> service.CodeTrend:
    return next(t for t in result.codes if t.key == str(code.pk))


# Counting --------------------------------------------------------------------------------


def test_comments_are_counted_per_code_per_month_with_the_change(survey: Survey) -> None:
    result = survey.figures()
    assert [p.start for p in result.periods] == [PREVIOUS, LATEST]
    assert result.responses == [2, 6]
    assert result.undated == 2  # with the one the tenant's project starts with
    assert trend(result, survey.parking).confirmed == [2, 6]
    assert trend(result, survey.staff).confirmed == [0, 1]
    assert result.latest == service.Period(LATEST, service.MONTH)
    changes = {change.trend.name: change for change in result.changes}
    assert (changes["Parking"].previous, changes["Parking"].latest) == (2, 6)
    assert changes["Parking"].difference == 4
    assert changes["Parking"].described == "+200%"
    assert changes["Kind staff"].described == "new"
    assert result.pairs == [service.PairCount("Kind staff", "Parking", 1)]


def test_a_response_coded_twice_with_one_code_is_counted_once(survey: Survey) -> None:
    source = survey.response("Parking, parking", LATEST.replace(day=2), (survey.parking,))
    Segment.objects.create(
        project=survey.project,
        source=source,
        code=survey.parking,
        start=0,
        end=7,
        coder=survey.coder,
        coded_at=timezone.now(),
    )
    assert trend(survey.figures(), survey.parking).confirmed == [2, 7]


def test_by_quarter_the_latest_complete_quarter_is_compared() -> None:
    today = datetime.date(2026, 5, 20)
    assert service.latest_complete(today, service.QUARTER, None, today) == datetime.date(2026, 1, 1)
    assert service.latest_complete(
        datetime.date(2025, 8, 1), service.MONTH, None, today
    ) == datetime.date(2025, 8, 1)
    # A chosen end on the last day of a month completes that month.
    assert service.latest_complete(
        today, service.MONTH, datetime.date(2026, 3, 31), today
    ) == datetime.date(2026, 3, 1)
    assert service.period_label(datetime.date(2026, 4, 1), service.QUARTER) == (
        "April to June 2026"
    )


def test_suggestions_are_shown_apart_from_confirmed_coding(survey: Survey) -> None:
    waiting = survey.response("Couldn't find a space", LATEST.replace(day=4))
    Suggestion.objects.create(
        project=survey.project, source=waiting, code=survey.parking, confidence=0.9
    )
    already = Source.objects.filter(project=survey.project, text="No spaces again 0").get()
    Suggestion.objects.create(
        project=survey.project, source=already, code=survey.parking, confidence=0.8
    )
    rejected = survey.response("The café", LATEST.replace(day=5))
    Suggestion.objects.create(
        project=survey.project,
        source=rejected,
        code=survey.parking,
        confidence=0.6,
        status=Suggestion.Status.REJECTED,
    )
    parking = trend(survey.figures(), survey.parking)
    assert parking.confirmed == [2, 6]
    assert parking.suggested == [0, 1]  # not the one already coded, not the rejected one
    assert parking.counts(True) == [2, 7]
    change = survey.figures(suggested=True).change_of(str(survey.parking.pk))
    assert change is not None and change.latest == 7


def test_sentiment_is_a_persons_decision_else_the_models_reading(survey: Survey) -> None:
    decided, read, both = Source.objects.filter(
        project=survey.project, received_on__gte=LATEST
    ).order_by("pk")[:3]
    SentimentLabel.objects.create(
        project=survey.project,
        source=decided,
        value=Sentiment.NEGATIVE,
        decided_at=timezone.now(),
    )
    Reading.objects.create(project=survey.project, source=read, sentiment=Sentiment.POSITIVE)
    Reading.objects.create(project=survey.project, source=both, sentiment=Sentiment.POSITIVE)
    SentimentLabel.objects.create(
        project=survey.project, source=both, value=Sentiment.NEUTRAL, decided_at=timezone.now()
    )
    latest = survey.figures().sentiment[1]
    assert latest.confirmed == {"negative": 1, "neutral": 1}
    assert latest.suggested == {"positive": 1}
    assert latest.unknown == 3
    assert latest.count("positive", suggested=False) == 0
    assert latest.count("positive", suggested=True) == 1


def test_filters_by_attribute_value_dates_and_dataset(survey: Survey) -> None:
    chemo = survey.figures(attribute=survey.service, value="chemotherapy")
    assert chemo.responses == [0, 5] or chemo.responses == [5]
    assert trend(chemo, survey.parking).confirmed[-1] == 5
    recent = survey.figures(start=LATEST)
    assert recent.total == 6
    early = survey.figures(end=PREVIOUS.replace(day=28))
    assert early.total == 2
    other = Dataset.objects.create(
        project=survey.project,
        source_import=Import.objects.create(project=survey.project, status=Import.Status.RELEASED),
        name="Another survey",
        text_column="Comment",
    )
    assert survey.figures(dataset=other.pk).total == 0
    assert survey.figures(dataset=survey.dataset.pk).total == 8


def test_responses_under_review_are_not_counted(survey: Survey) -> None:
    waiting = Import.objects.create(project=survey.project, status=Import.Status.REVIEW)
    Source.objects.create(
        project=survey.project,
        source_import=waiting,
        kind=Source.Kind.RESPONSE,
        name="Hidden",
        text="Not yet released",
        received_on=LATEST,
    )
    assert survey.figures().total == 8


def test_in_blind_coding_a_coder_counts_only_their_own_coding(survey: Survey) -> None:
    survey.response("Mine", LATEST.replace(day=6), (survey.staff,), coder=survey.coder)
    assert survey.project.coding_is_blind
    mine = survey.figures(user=survey.coder)
    assert trend(mine, survey.staff).confirmed == [0, 1]
    assert all(t.key != str(survey.parking.pk) for t in mine.codes)
    assert mine.total == 9  # every response is counted; only whose coding differs
    consensus = survey.response("Agreed", LATEST.replace(day=7))
    Segment.objects.create(
        project=survey.project,
        source=consensus,
        code=survey.parking,
        start=0,
        end=6,
        layer=Layer.CONSENSUS,
        coded_at=timezone.now(),
    )
    assert trend(survey.figures(user=survey.coder), survey.parking).confirmed == [0, 1]


# Dating ----------------------------------------------------------------------------------


def test_read_date_takes_iso_and_uk_dates_and_nothing_else() -> None:
    assert dating.read_date("2026-03-14") == datetime.date(2026, 3, 14)
    assert dating.read_date("2026-03-14 09:30:00") == datetime.date(2026, 3, 14)
    assert dating.read_date("14/03/2026") == datetime.date(2026, 3, 14)
    assert dating.read_date(" ") is None
    for not_a_date in ("20260314", "5", "Radiotherapy", "31/02/2026"):
        with pytest.raises(dating.InvalidValue):
            dating.read_date(not_a_date)


def imported(tenant: Tenant, capture: Callable[..., Any], data: str, columns: list[str]) -> Import:
    with capture(execute=True):
        started = sources.queue_import(
            by=tenant.users[Role.ANALYST],
            project=tenant.analysis.project,
            upload=SimpleUploadedFile("fft.csv", data.encode()),
            text_column="Comment",
            attribute_columns=columns,
            pseudonymise=False,
        )
    started.refresh_from_db()
    return started


def test_an_import_dates_responses_from_the_first_column_of_dates(
    tenant: Tenant, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    data = (
        "Score,Visited,Answered,Comment\r\n"
        "5,03/01/2026,2026-01-09,Good\r\n"
        "4,,2026-01-10,Fine\r\n"
        "3,14/02/2026,2026-02-20,Slow\r\n"
    )
    done = imported(
        tenant, django_capture_on_commit_callbacks, data, ["Score", "Visited", "Answered"]
    )
    assert done.status == Import.Status.RELEASED
    dates = list(done.sources.order_by("row").values_list("received_on", flat=True))
    assert dates == [datetime.date(2026, 1, 3), None, datetime.date(2026, 2, 14)]


def test_rows_are_dated_again_when_a_column_turns_out_not_to_hold_dates(
    tenant: Tenant, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    data = "Visited,Answered,Comment\r\n03/01/2026,2026-01-09,Good\r\nnot sure,2026-01-10,Fine\r\n"
    done = imported(tenant, django_capture_on_commit_callbacks, data, ["Visited", "Answered"])
    dates = list(done.sources.order_by("row").values_list("received_on", flat=True))
    assert dates == [datetime.date(2026, 1, 9), datetime.date(2026, 1, 10)]


def test_an_import_without_dates_leaves_responses_undated(
    tenant: Tenant, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    data = "Ward,Comment\r\nWard 7,Good\r\n"
    done = imported(tenant, django_capture_on_commit_callbacks, data, ["Ward"])
    assert done.sources.get().received_on is None


def test_the_lead_dates_responses_by_an_attribute(survey: Survey) -> None:
    when = Attribute.objects.create(project=survey.project, name="When")
    Source.objects.filter(project=survey.project, kind=Source.Kind.RESPONSE).update(
        received_on=None
    )
    responses = list(Source.objects.filter(project=survey.project, kind=Source.Kind.RESPONSE))
    for number, response in enumerate(responses):
        response.values[str(when.pk)] = (
            "no idea" if number == 0 else "" if number == 1 else f"{number}/04/2026"
        )
        response.save()
    result = dating.date_responses(by=survey.lead, project=survey.project, attribute=when)
    assert (result.dated, result.unreadable, result.blank) == (len(responses) - 2, 1, 1)
    assert dating.dated_count(survey.project) == len(responses) - 2


# Pages -----------------------------------------------------------------------------------


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_trends_page_shows_the_figures_with_links_to_the_comments(survey: Survey) -> None:
    url = reverse("analysis:trends", args=[survey.project.pk])
    page = client_for(survey.lead).get(url).content.decode()
    assert "Change in " + f"{LATEST:%B %Y}" in page
    assert "+200%" in page
    assert "Kind staff and Parking" in page
    assert "<svg" in page and 'role="img"' in page
    assert "Raise an ask" in page
    drill = reverse("analysis:trends_comments", args=[survey.project.pk])
    assert (
        f"{drill}?code={survey.parking.pk}&amp;period_start={LATEST.isoformat()}&amp;which=confirmed"
        in page
    )
    # In blind coding the viewer counts only the agreed coding, of which there is none yet.
    survey.project.comparison_opened_at = timezone.now()
    survey.project.save()
    viewer_page = client_for(survey.viewer).get(url).content.decode()
    assert "+200%" in viewer_page
    assert "Raise an ask" not in viewer_page


def test_a_bad_date_range_is_explained_in_an_error_summary(survey: Survey) -> None:
    url = reverse("analysis:trends", args=[survey.project.pk])
    query = "start-day=10&start-month=5&start-year=2026&end-day=1&end-month=5&end-year=2026"
    page = client_for(survey.lead).get(f"{url}?{query}").content.decode()
    assert "There is a problem" in page
    assert "The &#39;to&#39; date must be the same as or after the &#39;from&#39; date" in page
    wrong = client_for(survey.lead).get(f"{url}?start-day=31&start-month=2&start-year=2026")
    assert "Enter a real date" in wrong.content.decode()


def test_the_comments_behind_a_count_are_listed_a_page_at_a_time(survey: Survey) -> None:
    url = reverse("analysis:trends_comments", args=[survey.project.pk])
    query = f"code={survey.staff.pk}&period_start={LATEST.isoformat()}&which=confirmed"
    page = client_for(survey.lead).get(f"{url}?{query}").content.decode()
    assert "Lovely staff but nowhere to park" in page
    assert "No spaces again" not in page
    assert "Coded: Parking, Kind staff" in page
    everything = client_for(survey.viewer).get(url).content.decode()
    assert "Showing 1 to 8 of 8" in everything
    assert "Nothing to add" not in everything  # undated


def test_in_blind_coding_the_comments_behind_a_count_follow_the_coders_own_coding(
    survey: Survey,
) -> None:
    url = reverse("analysis:trends_comments", args=[survey.project.pk])
    page = client_for(survey.coder).get(f"{url}?code={survey.parking.pk}").content.decode()
    assert "No results" in page
    assert "Coded: " not in page


def test_the_figures_download_as_csv_and_xlsx(survey: Survey) -> None:
    url = reverse("analysis:trends", args=[survey.project.pk])
    response = client_for(survey.lead).get(f"{url}?download=csv")
    assert response["Content-Disposition"].endswith('trends.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == service.HEADER
    assert ["Comments by code", "Parking", f"{LATEST:%B %Y}", "6", "0", "6"] in rows
    assert ["Codes in the same response", "Kind staff and Parking", "", "1", "", "1"] in rows
    book = load_workbook(io.BytesIO(client_for(survey.lead).get(f"{url}?download=xlsx").content))
    sheet = book.active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert ["Comments by code", "Parking", f"{LATEST:%B %Y}", 6, 0, 6] in values


def test_the_lead_dates_responses_from_the_page(survey: Survey) -> None:
    Source.objects.filter(project=survey.project).update(received_on=None)
    when = Attribute.objects.create(project=survey.project, name="When")
    Source.objects.filter(project=survey.project, kind=Source.Kind.RESPONSE).update(
        values={str(when.pk): "02/05/2026"}
    )
    trends_url = reverse("analysis:trends", args=[survey.project.pk])
    assert "None of the responses has a date yet" in (
        client_for(survey.lead).get(trends_url).content.decode()
    )
    url = reverse("analysis:trends_dates", args=[survey.project.pk])
    response = client_for(survey.lead).post(url, {"attribute": when.pk}, follow=True)
    assert "10 responses dated by When" in response.content.decode()
    assert client_for(survey.coder).post(url, {"attribute": when.pk}).status_code == 403
    bad = client_for(survey.lead).post(url, {"attribute": "nonsense"}).content.decode()
    assert "There is a problem" in bad


def test_the_lead_raises_an_ask_from_a_trend(survey: Survey) -> None:
    owner = Person.objects.create(
        organisation=survey.project.organisation,
        kind=Person.Kind.STAFF,
        given_name="Sam",
        family_name="Owen",
        user=survey.coder,
    )
    url = reverse("analysis:trends_ask", args=[survey.project.pk])
    form = client_for(survey.lead).get(f"{url}?code={survey.parking.pk}").content.decode()
    summary = (
        f"Comments about Parking rose from 2 in {PREVIOUS:%B %Y} to 6 in {LATEST:%B %Y} (+200%)"
    )
    assert summary in form
    response = client_for(survey.lead).post(
        url,
        {
            "code": str(survey.parking.pk),
            "title": "Make it easier to park",
            "what_was_said": summary + ".",
            "owner": owner.pk,
        },
    )
    ask = Ask.objects.get(title="Make it easier to park")
    assert response.status_code == 302
    assert response["Location"] == reverse("asks:detail", args=[ask.pk])
    assert ask.organisation == survey.project.organisation
    assert ask.owner == owner
    link, figures = ask.evidence.order_by("pk")
    assert link.kind == Evidence.Kind.LINK
    assert f"code={survey.parking.pk}" in link.url and link.url.startswith("http")
    assert figures.kind == Evidence.Kind.FILE
    assert b"Parking" in figures.file.read()


def test_an_ask_needs_a_code_and_what_should_change(survey: Survey) -> None:
    url = reverse("analysis:trends_ask", args=[survey.project.pk])
    page = client_for(survey.lead).post(url, {"code": "", "title": ""}).content.decode()
    assert "There is a problem" in page
    assert "Choose the code whose trend this is about" in page
    assert "Enter what should change" in page
    assert Ask.objects.filter(title__startswith="Comments about").count() == 0
    assert client_for(survey.viewer).get(url).status_code == 403


def test_organisation_trends_count_codes_of_the_same_name_together(survey: Survey) -> None:
    from coproduce.analysis.models import Project, TeamMember

    second = Project.objects.create(organisation=survey.project.organisation, name="Second")
    TeamMember.objects.create(project=second, user=survey.lead, role="lead")
    released = Import.objects.create(project=second, status=Import.Status.RELEASED)
    parking = Code.objects.create(project=second, name="parking")
    source = Source.objects.create(
        project=second,
        source_import=released,
        kind=Source.Kind.RESPONSE,
        name="Row 2",
        text="Parking!",
        received_on=LATEST,
    )
    Segment.objects.create(
        project=second,
        source=source,
        code=parking,
        start=0,
        end=8,
        coder=survey.lead,
        coded_at=timezone.now(),
    )
    result = service.trends(
        survey.lead, [survey.project, second], service.Filters(), across=True, today=TODAY
    )
    assert next(t for t in result.codes if t.name == "Parking").confirmed == [2, 7]
    url = reverse("analysis:organisation_trends", args=[survey.project.organisation.pk])
    page = client_for(survey.lead).get(url).content.decode()
    assert "Trends across projects" in page and "+250%" in page
    # The viewer is on one of the two teams: only that project is counted.
    survey.project.comparison_opened_at = timezone.now()
    survey.project.save()
    viewer_page = client_for(survey.viewer).get(url).content.decode()
    assert "+200%" in viewer_page
    chosen = client_for(survey.lead).get(f"{url}?project={second.pk}").content.decode()
    assert reverse("analysis:trends_comments", args=[second.pk]) in chosen
    listing = client_for(survey.lead).get(reverse("analysis:projects")).content.decode()
    assert url in listing
