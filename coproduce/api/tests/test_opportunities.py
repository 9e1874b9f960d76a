import datetime

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Tenant
from coproduce.accounts.models import User
from coproduce.accounts.services import issue_api_token
from coproduce.activities.models import ActivityType
from coproduce.factories import OpportunityFactory
from coproduce.opportunities.models import Interest, Opportunity
from coproduce.opportunities.tests.factories import contactable_person
from coproduce.people.models import CancerType

pytestmark = pytest.mark.django_db


def auth(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user=user)}"}


def new_request(tenant: Tenant, **changes: object) -> dict[str, object]:
    return {
        "organisation_id": tenant.organisation.pk,
        "title": "Join the lung cancer pathway review",
        "description": "Four meetings with the pathway team.",
        "why": "Patients wait too long between tests.",
        "activity_type_id": ActivityType.objects.first().pk,  # type: ignore[union-attr]
        "time_commitment": "Four two-hour meetings",
        "mode": "online",
        "closes_on": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "cancer_types": [CancerType.objects.get(name="Lung").pk],
    } | changes


def test_staff_ask_and_the_lead_publishes(client: Client, tenant: Tenant) -> None:
    created = client.post(
        "/api/v1/opportunities",
        new_request(tenant),
        content_type="application/json",
        headers=auth(tenant.users["staff"]),
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "submitted"
    assert body["cancer_types"] == ["Lung"]
    refused = client.post(
        f"/api/v1/opportunities/{body['id']}/publish", headers=auth(tenant.users["staff"])
    )
    assert refused.status_code == 403
    published = client.post(
        f"/api/v1/opportunities/{body['id']}/publish", headers=auth(tenant.lead)
    )
    assert published.status_code == 200
    assert published.json()["status"] == "published"


def test_bad_input_is_a_json_error_naming_the_field(client: Client, tenant: Tenant) -> None:
    response = client.post(
        "/api/v1/opportunities",
        new_request(tenant, mode="by pigeon"),
        content_type="application/json",
        headers=auth(tenant.lead),
    )
    assert response.status_code == 422
    assert response.json()["field"] == "mode"
    past = client.post(
        "/api/v1/opportunities",
        new_request(tenant, closes_on="2020-01-01"),
        content_type="application/json",
        headers=auth(tenant.lead),
    )
    assert past.status_code == 422
    assert past.json()["field"] == "closes_on"
    analyst = client.post(
        "/api/v1/opportunities",
        new_request(tenant),
        content_type="application/json",
        headers=auth(tenant.users["analyst"]),
    )
    assert analyst.status_code == 403


def test_publishing_past_the_closing_date_is_refused(client: Client, tenant: Tenant) -> None:
    opportunity = OpportunityFactory.create(
        organisation=tenant.organisation,
        status=Opportunity.Status.SUBMITTED,
        closes_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    response = client.post(
        f"/api/v1/opportunities/{opportunity.pk}/publish", headers=auth(tenant.lead)
    )
    assert response.status_code == 422
    assert response.json()["field"] == "closes_on"


def test_lists_and_reads_are_scoped(client: Client, tenant: Tenant, other_tenant: Tenant) -> None:
    mine = tenant.involvement.opportunity
    listed = client.get("/api/v1/opportunities", headers=auth(tenant.users["analyst"])).json()
    assert [item["id"] for item in listed["items"]] == [mine.pk]
    assert (
        client.get(f"/api/v1/opportunities/{mine.pk}", headers=auth(tenant.lead)).status_code == 200
    )
    other = client.get(f"/api/v1/opportunities/{mine.pk}", headers=auth(other_tenant.lead))
    assert other.status_code == 404
    assert other.json() == {"detail": "Not found"}


def test_interests_and_suggestions_for_the_lead(client: Client, tenant: Tenant) -> None:
    opportunity = tenant.involvement.opportunity
    contactable_person(tenant.organisation, family_name="Suggested")
    interests = client.get(
        f"/api/v1/opportunities/{opportunity.pk}/interests", headers=auth(tenant.lead)
    ).json()
    assert [item["person_name"] for item in interests["items"]] == [tenant.member_person.full_name]
    suggestions = client.get(
        f"/api/v1/opportunities/{opportunity.pk}/suggestions", headers=auth(tenant.lead)
    ).json()
    assert suggestions[0]["person_name"] == "Ada Suggested"
    assert "Has not taken part yet" in suggestions[0]["reasons"]
    for path in ("interests", "suggestions"):
        assert (
            client.get(
                f"/api/v1/opportunities/{opportunity.pk}/{path}",
                headers=auth(tenant.users["staff"]),
            ).status_code
            == 403
        )


def test_a_member_lists_open_ones_and_expresses_interest(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    opportunity = OpportunityFactory.create(organisation=tenant.organisation, title="Open one")
    headers = auth(tenant.member)
    listed = client.get("/api/v1/opportunities/open", headers=headers).json()
    assert {item["title"] for item in listed["items"]} == {
        "Open one",
        tenant.involvement.opportunity.title,
    }
    created = client.post(
        f"/api/v1/opportunities/{opportunity.pk}/interest",
        {"note": "I can help"},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201
    assert created.json()["status"] == "expressed"
    twice = client.post(
        f"/api/v1/opportunities/{opportunity.pk}/interest",
        {},
        content_type="application/json",
        headers=headers,
    )
    assert twice.status_code == 409
    elsewhere = client.post(
        f"/api/v1/opportunities/{other_tenant.involvement.opportunity.pk}/interest",
        {},
        content_type="application/json",
        headers=headers,
    )
    assert elsewhere.status_code == 404
    assert Interest.objects.filter(person=tenant.member_person).count() == 2
    staff = client.get("/api/v1/opportunities/open", headers=auth(tenant.lead))
    assert staff.status_code == 403


def test_no_one_is_suggested_for_a_closed_opportunity(client: Client, tenant: Tenant) -> None:
    from coproduce.accounts.services import issue_api_token
    from coproduce.opportunities.models import Opportunity

    opportunity = tenant.involvement.opportunity
    Opportunity.objects.filter(pk=opportunity.pk).update(status=Opportunity.Status.CLOSED)
    response = client.get(
        f"/api/v1/opportunities/{opportunity.pk}/suggestions",
        headers={"Authorization": f"Bearer {issue_api_token(user=tenant.lead)}"},
    )
    assert response.status_code == 200 and response.json() == []
