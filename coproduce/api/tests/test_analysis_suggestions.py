"""Suggested codes through the API: the lead trains and runs batches, coders review, viewers
read, and bad input is refused with a 4xx and nothing written."""

from typing import Any

import pytest
from django.test import Client

from conftest import Tenant
from coproduce.analysis.models import Origin, Segment, SentimentLabel, Suggester, Suggestion
from coproduce.analysis.tests.suggest_project import coded_survey
from coproduce.api.tests.test_analysis import coder, get, lead, project_path, send, viewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(tenant: Tenant) -> Any:
    return coded_survey(tenant, labelled_tones=120)


def train_and_run(client: Client, tenant: Tenant, capture: Any) -> int:
    for kind in ("codes", "sentiment"):
        with capture(execute=True):
            trained = send(
                client, "post", project_path(tenant, "/suggesters"), lead(tenant), {"kind": kind}
            )
        assert trained.status_code == 202, trained.json()
    with capture(execute=True):
        started = send(client, "post", project_path(tenant, "/suggestion-batches"), lead(tenant))
    assert started.status_code == 202, started.json()
    return started.json()["id"]


def test_the_whole_loop_through_the_api(client, tenant, survey, django_capture_on_commit_callbacks):
    batch = train_and_run(client, tenant, django_capture_on_commit_callbacks)
    model = get(client, project_path(tenant, "/suggesters/codes"), viewer(tenant)).json()
    assert model["status"] == "ready"
    learnt = [code for code in model["codes"] if code["learnt"]]
    assert len(learnt) == 4 and all(code["recall"] > 0.8 for code in learnt)
    progress = get(client, project_path(tenant, f"/suggestion-batches/{batch}"), viewer(tenant))
    assert progress.json()["status"] == "done"
    waiting = get(client, project_path(tenant, "/suggestions"), coder(tenant)).json()
    first = waiting["items"][0]
    reviewed = send(
        client,
        "post",
        project_path(tenant, f"/responses/{first['source']}/review"),
        coder(tenant),
        {"accept": [first["code"]], "sentiment": "positive"},
    )
    assert reviewed.status_code == 200, reviewed.json()
    assert reviewed.json()["accepted"] == 1
    segment = Segment.objects.get(source_id=first["source"], code_id=first["code"])
    assert (segment.origin, segment.coder) == (Origin.MACHINE, coder(tenant))
    accepted = get(client, project_path(tenant, "/suggestions?status=accepted"), coder(tenant))
    assert accepted.json()["items"][0]["decided_by"] == coder(tenant).pk
    assert SentimentLabel.objects.get(source_id=first["source"]).value == "positive"


def test_the_lead_moves_the_target_and_bad_targets_are_refused(
    client, tenant, survey, django_capture_on_commit_callbacks
):
    train_and_run(client, tenant, django_capture_on_commit_callbacks)
    path = project_path(tenant, "/suggesters/codes/target")
    moved = send(client, "put", path, lead(tenant), {"recall": 0.9})
    assert moved.status_code == 200
    assert moved.json()["recall"] == 0.9
    refused = send(client, "put", path, lead(tenant), {"recall": 3})
    assert refused.status_code == 422
    assert "between 5% and 99%" in str(refused.json())
    assert send(client, "put", path, coder(tenant), {"recall": 0.5}).status_code == 403
    assert Suggester.objects.get(kind="codes").recall == 0.9


def test_viewers_cannot_train_or_review_and_bad_sentiment_is_refused(
    client, tenant, survey, django_capture_on_commit_callbacks
):
    train_and_run(client, tenant, django_capture_on_commit_callbacks)
    assert (
        send(client, "post", project_path(tenant, "/suggesters"), viewer(tenant)).status_code == 403
    )
    pending = Suggestion.objects.filter(status="pending")[0]
    path = project_path(tenant, f"/responses/{pending.source_id}/review")
    assert send(client, "post", path, viewer(tenant), {"accept": []}).status_code == 403
    bad = send(client, "post", path, coder(tenant), {"accept": [], "sentiment": "happy"})
    assert bad.status_code == 422
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_blind_projects_offer_no_suggestions(client, tenant):
    found = get(client, project_path(tenant, "/suggesters/codes"), lead(tenant))
    assert found.status_code == 409
    assert "blind coding" in found.json()["detail"]
