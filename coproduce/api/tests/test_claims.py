import base64
import datetime

import pytest
from django.test import Client

from conftest import Tenant
from coproduce.accounts.models import User
from coproduce.accounts.services import issue_api_token
from coproduce.core.roles import Role
from coproduce.payments.models import BenefitsAdvice, Claim
from coproduce.payments.tests.factories import PDF_BYTES, attended

pytestmark = pytest.mark.django_db


def auth(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user=user)}"}


def test_staff_list_claims_in_their_organisation_filtered_by_status(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    listed = client.get("/api/v1/claims", headers=auth(tenant.lead)).json()
    assert [item["id"] for item in listed["items"]] == [tenant.involvement.claim.pk]
    assert listed["items"][0]["events"] == []
    assert client.get("/api/v1/claims?status=paid", headers=auth(tenant.lead)).json()["count"] == 0
    assert client.get("/api/v1/claims", headers=auth(tenant.users[Role.STAFF])).json()["count"] == 0
    assert (
        client.get(
            f"/api/v1/claims/{tenant.involvement.claim.pk}", headers=auth(other_tenant.lead)
        ).status_code
        == 404
    )
    assert (
        client.get(
            f"/api/v1/claims/{tenant.involvement.claim.pk}",
            headers=auth(tenant.users[Role.ANALYST]),
        ).status_code
        == 403
    )


def test_a_member_claims_for_themselves_and_lists_their_own(client: Client, tenant: Tenant) -> None:
    attendance = attended(tenant.member_person, datetime.date(2026, 5, 4))
    headers = auth(tenant.member)
    body = {
        "activity_id": attendance.activity.pk,
        "unit": "hour",
        "expenses": [{"kind": "travel", "amount": "9.60"}],
        "receipts": [{"name": "bus.pdf", "content_base64": base64.b64encode(PDF_BYTES).decode()}],
        "benefits_advice_confirmed": True,
    }
    created = client.post("/api/v1/claims", body, content_type="application/json", headers=headers)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["total"] == "59.60"
    assert data["receipts"] == ["bus.pdf"]
    assert [line["kind"] for line in data["lines"]] == ["payment", "travel"]
    again = client.post("/api/v1/claims", body, content_type="application/json", headers=headers)
    assert again.status_code == 409
    mine = client.get("/api/v1/claims/mine", headers=headers).json()
    assert {item["id"] for item in mine["items"]} == {data["id"], tenant.involvement.claim.pk}
    assert client.get(f"/api/v1/claims/{data['id']}", headers=headers).status_code == 200
    assert client.get("/api/v1/claims/mine", headers=auth(tenant.lead)).status_code == 403


def test_a_claim_over_the_limit_is_a_422_naming_the_field(client: Client, tenant: Tenant) -> None:
    attendance = attended(tenant.member_person, datetime.date(2026, 5, 4))
    refused = client.post(
        "/api/v1/claims",
        {"activity_id": attendance.activity.pk, "expenses": [{"kind": "travel", "amount": "61"}]},
        content_type="application/json",
        headers=auth(tenant.member),
    )
    assert refused.status_code == 422
    assert refused.json() == {
        "detail": "Travel can be claimed up to £60.00 for one activity; this claim is for £61.00",
        "field": "travel",
    }


def test_staff_claim_for_a_person_and_another_approves(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    attendance = attended(tenant.member_person, datetime.date(2026, 5, 4))
    BenefitsAdvice.objects.create(person=tenant.member_person)
    body = {
        "activity_id": attendance.activity.pk,
        "person_id": tenant.member_person.pk,
        "unit": "hour",
    }
    assert (
        client.post(
            "/api/v1/claims", body, content_type="application/json", headers=auth(other_tenant.lead)
        ).status_code
        == 404
    )
    created = client.post(
        "/api/v1/claims", body, content_type="application/json", headers=auth(tenant.lead)
    )
    assert created.status_code == 201
    claim_id = created.json()["id"]
    own = client.post(
        f"/api/v1/claims/{claim_id}/transition",
        {"to": "approved"},
        content_type="application/json",
        headers=auth(tenant.lead),
    )
    assert own.status_code == 403
    approved = client.post(
        f"/api/v1/claims/{claim_id}/transition",
        {"to": "approved", "note": "Fine"},
        content_type="application/json",
        headers=auth(tenant.users[Role.ADMINISTRATOR]),
    )
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert [event["status"] for event in approved.json()["events"]] == ["submitted", "approved"]


def test_a_member_answers_a_query_but_cannot_approve(client: Client, tenant: Tenant) -> None:
    claim = tenant.involvement.claim
    queried = client.post(
        f"/api/v1/claims/{claim.pk}/transition",
        {"to": "queried", "note": "Which day?"},
        content_type="application/json",
        headers=auth(tenant.lead),
    )
    assert queried.json()["status"] == "queried"
    member = auth(tenant.member)
    assert (
        client.post(
            f"/api/v1/claims/{claim.pk}/transition",
            {"to": "approved"},
            content_type="application/json",
            headers=member,
        ).status_code
        == 403
    )
    answered = client.post(
        f"/api/v1/claims/{claim.pk}/transition",
        {"to": "submitted", "note": "Tuesday"},
        content_type="application/json",
        headers=member,
    )
    assert answered.status_code == 200
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
