"""Theme discovery through the API: the team reads the themes, the lead asks for them and makes
a theme into a code whose responses wait for review; bad input names the field at fault."""

from collections.abc import Callable
from typing import Any, get_args

import pytest
from django.test import Client

from conftest import Tenant
from coproduce.analysis.models import Code, Discovery, Segment, Suggestion
from coproduce.analysis.tests.suggest_data import labelled
from coproduce.analysis.tests.test_discovery_services import add_responses
from coproduce.api import schemas_analysis_discovery as schemas
from coproduce.api.tests.test_analysis import coder, get, lead, project_path, send, viewer
from coproduce.core.roles import Role

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def test_the_statuses_listed_are_the_models() -> None:
    assert set(get_args(schemas.DiscoveryStatus)) == set(Discovery.Status.values)


def test_the_lead_asks_for_themes_and_the_team_reads_them(
    client: Client,
    tenant: Tenant,
    other_tenant: Tenant,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    path = project_path(tenant, "/discovery")
    assert get(client, path, viewer(tenant)).json() == {"latest": None, "ready": None}
    texts, _, _ = labelled(80, seed=4)
    add_responses(tenant, texts)
    for refused in (coder(tenant), viewer(tenant)):
        assert send(client, "post", path, refused, {}).status_code == 403
    assert send(client, "post", path, lead(other_tenant), {}).status_code == 404
    wrong = send(client, "post", path, lead(tenant), {"themes": 40})
    assert wrong.status_code == 422 and wrong.json()["field"] == "themes"
    elsewhere = send(client, "post", path, lead(tenant), {"dataset_id": 999_999})
    assert elsewhere.status_code == 422 and elsewhere.json()["field"] == "dataset_id"
    assert not Discovery.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        started = send(
            client,
            "post",
            path,
            lead(tenant),
            {"dataset_id": tenant.analysis.dataset.pk, "themes": 3},
        )
    assert started.status_code == 202, started.content
    assert started.json()["status"] == "queued"  # the task runs once the request is done

    state = get(client, path, coder(tenant)).json()
    assert state["latest"] == state["ready"]
    ready = state["ready"]
    assert ready["status"] == "ready" and ready["responses"] == 81 and len(ready["themes"]) == 3
    first = ready["themes"][0]
    assert first["number"] == 1 and first["size"] == len(first["members"]) and first["words"]
    assert first["code_id"] is None and 0 < len(first["typical"]) <= 5
    assert first["typical"][0]["text"] and first["typical"][0]["id"] in first["members"]
    assert get(client, path, tenant.users[Role.ADMINISTRATOR]).status_code == 403


def test_the_lead_makes_a_theme_a_code_and_its_responses_wait_for_review(
    client: Client, tenant: Tenant, django_capture_on_commit_callbacks: Capture
) -> None:
    texts, _, _ = labelled(80, seed=4)
    add_responses(tenant, texts)
    with django_capture_on_commit_callbacks(execute=True):
        started = send(client, "post", project_path(tenant, "/discovery"), lead(tenant), {})
    found = Discovery.objects.get(pk=started.json()["id"])
    members = found.themes[0]["members"]
    path = project_path(tenant, f"/discovery/{found.pk}/themes/1/code")
    segments = Segment.objects.count()
    body = {"name": "Parking", "parent_id": tenant.analysis.code.pk}
    for refused in (coder(tenant), viewer(tenant)):
        assert send(client, "post", path, refused, body).status_code == 403
    unknown = send(client, "post", path, lead(tenant), body | {"parent_id": 999_999})
    assert unknown.status_code == 422 and unknown.json()["field"] == "parent_id"
    taken = send(client, "post", path, lead(tenant), {"name": "Hearing back"})
    assert taken.status_code == 422 and taken.json()["field"] == "name"
    missing = project_path(tenant, f"/discovery/{found.pk}/themes/99/code")
    assert send(client, "post", missing, lead(tenant), body).status_code == 404

    made = send(client, "post", path, lead(tenant), body)
    assert made.status_code == 201, made.content
    code = Code.objects.get(pk=made.json()["code"]["id"])
    assert made.json() == {"code": {"id": code.pk, "name": "Parking"}, "suggested": len(members)}
    assert code.parent == tenant.analysis.code and code.examples
    pending = Suggestion.objects.filter(code=code, status=Suggestion.Status.PENDING)
    assert pending.count() == len(members) and Segment.objects.count() == segments
    shown = get(client, project_path(tenant, "/discovery"), viewer(tenant)).json()
    assert shown["ready"]["themes"][0]["code_id"] == code.pk

    again = send(client, "post", path, lead(tenant), {"name": "Parking again"})
    assert again.status_code == 409 and "already been made into the code" in again.json()["detail"]
