"""A project's trends through the API: the same figures and filters as the page, under the same
access rules (blind coding included), and an ask raised from a code's trend by the lead."""

import pytest
from django.test import Client

from conftest import Tenant
from coproduce.analysis.tests.test_trends import LATEST, PREVIOUS, Survey
from coproduce.api.tests.test_analysis import coder, get, lead, project_path, send, viewer
from coproduce.asks.models import Ask, Evidence
from coproduce.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(tenant: Tenant) -> Survey:
    survey = Survey(tenant)
    for number in range(2):
        survey.response(f"Parking was hard {number}", PREVIOUS.replace(day=3), (survey.parking,))
    for number in range(3):
        survey.response(
            f"No spaces {number}", LATEST.replace(day=9), (survey.parking,), "Chemotherapy"
        )
    return survey


def test_the_team_reads_the_figures_as_on_the_page(
    client: Client, tenant: Tenant, survey: Survey
) -> None:
    response = get(client, project_path(tenant, "/trends"), lead(tenant))
    assert response.status_code == 200, response.content
    body = response.json()
    assert [p["responses"] for p in body["periods"]] == [2, 3]
    assert body["latest"] == LATEST.isoformat() and body["previous"] == PREVIOUS.isoformat()
    [parking] = [c for c in body["codes"] if c["name"] == "Parking"]
    assert parking["confirmed"] == [2, 3] and parking["suggested"] == [0, 0]
    [change] = body["changes"]
    assert (change["previous"], change["latest"], change["described"]) == (2, 3, "+50%")
    assert body["undated"] == 1
    chemo = get(
        client,
        project_path(
            tenant, f"/trends?attribute={survey.service.pk}&value=chemotherapy&period=quarter"
        ),
        lead(tenant),
    ).json()
    assert sum(p["responses"] for p in chemo["periods"]) == 3


def test_blind_coding_and_access_hold(
    client: Client, tenant: Tenant, other_tenant: Tenant, survey: Survey
) -> None:
    mine = get(client, project_path(tenant, "/trends"), coder(tenant)).json()
    assert mine["codes"] == [] and mine["changes"] == []
    assert get(client, project_path(tenant, "/trends"), viewer(tenant)).status_code == 200
    path = project_path(tenant, "/trends")
    assert get(client, path, tenant.users[Role.ADMINISTRATOR]).status_code == 403
    assert get(client, path, lead(other_tenant)).status_code == 404


def test_bad_filters_are_refused_with_the_field(
    client: Client, tenant: Tenant, survey: Survey
) -> None:
    backwards = get(
        client, project_path(tenant, "/trends?from=2026-05-02&to=2026-05-01"), lead(tenant)
    )
    assert backwards.status_code == 400 or backwards.status_code == 422
    assert backwards.json()["field"] == "to"
    other = get(client, project_path(tenant, "/trends?attribute=999999&value=x"), lead(tenant))
    assert other.json()["field"] == "attribute"
    assert get(client, project_path(tenant, "/trends?period=week"), lead(tenant)).status_code == 422


def test_the_lead_raises_an_ask_from_a_trend(
    client: Client, tenant: Tenant, survey: Survey
) -> None:
    path = project_path(tenant, "/trends/asks")
    body = {"code": survey.parking.pk}
    assert send(client, "post", path, coder(tenant), body).status_code == 403
    raised = send(client, "post", path, lead(tenant), body)
    assert raised.status_code == 201, raised.content
    ask = Ask.objects.get(pk=raised.json()["id"])
    assert ask.title == "Comments about Parking"
    assert ask.what_was_said.startswith(
        f"Comments about Parking rose from 2 in {PREVIOUS:%B %Y} to 3 in {LATEST:%B %Y}"
    )
    assert set(ask.evidence.values_list("kind", flat=True)) == {
        Evidence.Kind.LINK,
        Evidence.Kind.FILE,
    }
    refused = send(client, "post", path, lead(tenant), {"code": survey.staff.pk})
    assert refused.json()["field"] == "code"
    nobody = send(client, "post", path, lead(tenant), {**body, "owner_id": tenant.member_person.pk})
    assert nobody.json()["field"] == "owner_id"
    assert Ask.objects.filter(title="Comments about Parking").count() == 1
