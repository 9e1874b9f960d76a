"""The suggested-codes pages: training, the per-code table, batches, and review without JS."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduce.analysis.models import (
    BatchPart,
    Origin,
    Segment,
    Sentiment,
    SentimentLabel,
    Suggester,
    Suggestion,
)
from coproduce.analysis.services import batches, suggestions
from coproduce.analysis.tests.suggest_project import Survey, coded_survey
from coproduce.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(tenant: Any) -> Survey:
    return coded_survey(tenant, labelled_tones=120)


def url(survey: Survey, name: str, **kwargs: Any) -> str:
    return reverse(f"analysis:{name}", kwargs={"project_pk": survey.project.pk, **kwargs})


def train_and_run(client: Any, survey: Survey, capture: Any) -> None:
    client.force_login(survey.lead)
    for kind in ("codes", "sentiment"):
        with capture(execute=True):
            client.post(url(survey, "suggestion_train"), {"kind": kind})
    with capture(execute=True):
        client.post(url(survey, "suggestion_run"))


def test_the_lead_trains_runs_and_sees_each_codes_precision_and_recall(
    client, survey, django_capture_on_commit_callbacks
):
    train_and_run(client, survey, django_capture_on_commit_callbacks)
    page = client.get(url(survey, "suggestions"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "How far to trust each code" in html
    for name in survey.codes:
        assert name in html
    assert "Cross-validated on the team&#39;s coding" in html
    assert "Code these next" in html
    assert "Review suggestions" in html
    assert "right by cross-validation" in html  # sentiment


def test_too_few_coded_responses_are_explained_on_the_page(
    client, tenant, django_capture_on_commit_callbacks
):
    survey = coded_survey(tenant, n=40, coded=10)
    client.force_login(survey.lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(survey, "suggestion_train"), {"kind": "codes"})
    html = client.get(url(survey, "suggestions")).content.decode()
    assert "The model was not trained" in html
    assert "Code 10 more responses first" in html


def test_in_blind_coding_the_page_says_why_there_are_no_suggestions(client, tenant):
    client.force_login(tenant.users[Role.ANALYST])
    page = client.get(
        reverse("analysis:suggestions", kwargs={"project_pk": tenant.analysis.project.pk})
    )
    assert "they start once blind coding ends" in page.content.decode()


def test_a_coder_reviews_without_javascript_accepting_some_and_rejecting_the_rest(
    client, survey, django_capture_on_commit_callbacks
):
    train_and_run(client, survey, django_capture_on_commit_callbacks)
    client.force_login(survey.coder)
    page = client.get(url(survey, "suggestion_review"))
    assert page.status_code == 200
    source = suggestions.pending(survey.project)[0]
    assert f'id="r{source.pk}"' in page.content.decode()
    pending = list(Suggestion.objects.filter(source=source, status=Suggestion.Status.PENDING))
    keep = pending[0]
    response = client.post(
        url(survey, "suggestion_decide", response_pk=source.pk),
        {
            "accept": [keep.code_id],
            "sentiment": Sentiment.NEGATIVE,
            "action": "accept",
            "next": url(survey, "suggestion_review") + "#r1",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#r1")
    keep.refresh_from_db()
    assert keep.status == Suggestion.Status.ACCEPTED
    assert keep.decided_by == survey.coder
    segment = Segment.objects.get(source=source, code=keep.code)
    assert (segment.origin, segment.coder) == (Origin.MACHINE, survey.coder)
    assert set(
        Suggestion.objects.filter(source=source)
        .exclude(pk=keep.pk)
        .values_list("status", flat=True)
    ) <= {Suggestion.Status.REJECTED}
    assert SentimentLabel.objects.get(source=source).value == Sentiment.NEGATIVE
    assert f'id="r{source.pk}"' not in client.get(url(survey, "suggestion_review")).content.decode()


def test_reject_all_rejects_every_suggestion_of_the_response(
    client, survey, django_capture_on_commit_callbacks
):
    train_and_run(client, survey, django_capture_on_commit_callbacks)
    client.force_login(survey.coder)
    source = suggestions.pending(survey.project)[0]
    client.post(
        url(survey, "suggestion_decide", response_pk=source.pk),
        {"accept": ["1", "2"], "action": "reject", "next": "https://elsewhere.example/"},
    )
    assert set(Suggestion.objects.filter(source=source).values_list("status", flat=True)) == {
        Suggestion.Status.REJECTED
    }
    assert not Segment.objects.filter(source=source).exists()


def test_a_viewer_cannot_review_or_train(client, tenant, survey):
    client.force_login(tenant.users[Role.INVOLVEMENT_LEAD])
    assert client.get(url(survey, "suggestions")).status_code == 200
    assert client.get(url(survey, "suggestion_review")).status_code == 403
    assert client.post(url(survey, "suggestion_train")).status_code == 403
    assert not Suggester.objects.exists()


def test_the_lead_moves_the_thresholds_towards_recall(
    client, survey, django_capture_on_commit_callbacks
):
    train_and_run(client, survey, django_capture_on_commit_callbacks)
    response = client.post(url(survey, "suggestion_target"), {"leaning": "most"})
    assert response.status_code == 302
    model = Suggester.objects.filter(kind=Suggester.Kind.CODES).latest("trained_at")
    assert model.recall == 0.9
    bad = client.post(url(survey, "suggestion_target"), {"leaning": "everything"})
    assert "Select a valid choice" in bad.content.decode()


def test_a_stalled_part_is_shown_with_a_resume_button_that_finishes_the_batch(
    client, survey, django_capture_on_commit_callbacks
):
    client.force_login(survey.lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(survey, "suggestion_train"), {"kind": "codes"})
    with (
        mock.patch.object(batches, "_enqueue"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(url(survey, "suggestion_run"))
    batch = survey.project.batches.get()
    BatchPart.objects.filter(batch=batch).update(
        status=BatchPart.Status.RUNNING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    html = client.get(url(survey, "suggestions")).content.decode()
    assert "has not finished in time" in html
    assert "Resume the batch" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(survey, "suggestion_resume"))
    batch.refresh_from_db()
    assert batch.status == "done"
    assert "Suggesting codes for" not in client.get(url(survey, "suggestions")).content.decode()
