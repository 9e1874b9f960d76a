from typing import Any, get_args

import pytest
from django.test import Client

from conftest import Tenant
from coproduce.api import schemas
from coproduce.factories import PersonFactory
from coproduce.groups.models import Membership, PartnershipGroup
from coproduce.people.models import ConsentKind, Person

pytestmark = pytest.mark.django_db


def bearer(client: Client, username: str, password: str = "a-good-long-password") -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_a_token_is_issued_for_a_correct_password_only(client: Client, tenant: Tenant) -> None:
    assert (
        "token"
        in client.post(
            "/api/v1/auth/token",
            {"username": tenant.lead.username, "password": "a-good-long-password"},
            content_type="application/json",
        ).json()
    )
    wrong = client.post(
        "/api/v1/auth/token",
        {"username": tenant.lead.username, "password": "nope"},
        content_type="application/json",
    )
    assert wrong.status_code == 401
    assert wrong.json()["detail"] == "Enter a correct username and password"


def test_repeated_failures_are_throttled(client: Client, tenant: Tenant) -> None:
    for _ in range(5):
        client.post(
            "/api/v1/auth/token",
            {"username": tenant.lead.username, "password": "nope"},
            content_type="application/json",
        )
    locked = client.post(
        "/api/v1/auth/token",
        {"username": tenant.lead.username, "password": "a-good-long-password"},
        content_type="application/json",
    )
    assert locked.status_code == 429


def test_requests_without_a_valid_token_are_401_with_a_json_body(
    client: Client, tenant: Tenant
) -> None:
    response = client.get("/api/v1/groups", headers={"Authorization": "Bearer made-up"})
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_lists_are_paged(client: Client, tenant: Tenant) -> None:
    PersonFactory.create_batch(60, organisation=tenant.organisation)
    headers = bearer(client, tenant.lead.username)
    first = client.get("/api/v1/people", headers=headers).json()
    assert first["count"] == 61
    assert len(first["items"]) == 50
    assert len(client.get("/api/v1/people?page=2", headers=headers).json()["items"]) == 11


def test_a_lead_creates_a_group_adds_a_member_and_records_consent(
    client: Client, tenant: Tenant
) -> None:
    headers = bearer(client, tenant.lead.username)
    group = client.post(
        "/api/v1/groups",
        {
            "organisation_id": tenant.organisation.pk,
            "name": "Bowel Cancer Panel",
            "purpose": "Review the bowel pathway",
            "starts_on": "2026-04-01",
        },
        content_type="application/json",
        headers=headers,
    )
    assert group.status_code == 201
    person = PersonFactory.create(organisation=tenant.organisation)
    added = client.post(
        f"/api/v1/groups/{group.json()['id']}/memberships",
        {"person_id": person.pk, "role": "chair"},
        content_type="application/json",
        headers=headers,
    )
    assert added.status_code == 201
    assert Membership.objects.get(pk=added.json()["id"]).role == "chair"
    again = client.post(
        f"/api/v1/groups/{group.json()['id']}/memberships",
        {"person_id": person.pk},
        content_type="application/json",
        headers=headers,
    )
    assert again.status_code == 409
    assert "already a member" in again.json()["detail"]
    consent = client.post(
        f"/api/v1/people/{person.pk}/consent",
        {"kind": "contact", "given": True},
        content_type="application/json",
        headers=headers,
    )
    assert consent.status_code == 201
    assert person.has_consent(ConsentKind.CONTACT)


def test_invalid_input_is_422_and_nothing_is_written(client: Client, tenant: Tenant) -> None:
    headers = bearer(client, tenant.lead.username)
    bad: list[dict[str, Any]] = [
        {
            "organisation_id": tenant.organisation.pk,
            "name": "",
            "purpose": "x",
            "starts_on": "2026-01-01",
        },
        {
            "organisation_id": tenant.organisation.pk,
            "name": "A",
            "purpose": "x",
            "starts_on": "not a date",
        },
        {
            "organisation_id": tenant.organisation.pk,
            "name": "A" * 151,
            "purpose": "x",
            "starts_on": "2026-01-01",
        },
        {
            "organisation_id": tenant.organisation.pk,
            "name": "A",
            "purpose": "x",
            "starts_on": "2026-01-01",
            "cadence": "hourly",
        },
        {
            "organisation_id": tenant.organisation.pk,
            "name": "A",
            "purpose": "x",
            "starts_on": "2026-01-01",
            "ends_on": "2025-01-01",
        },
    ]
    for body in bad:
        response = client.post(
            "/api/v1/groups", body, content_type="application/json", headers=headers
        )
        assert response.status_code == 422, body
        assert response.json()["detail"]
    malformed = client.post(
        "/api/v1/groups", "{not json", content_type="application/json", headers=headers
    )
    assert malformed.status_code in {400, 422}
    assert PartnershipGroup.objects.count() == 1


def test_a_duplicate_person_is_409(client: Client, tenant: Tenant) -> None:
    headers = bearer(client, tenant.lead.username)
    body = {
        "organisation_id": tenant.organisation.pk,
        "kind": "patient",
        "given_name": "Ann",
        "family_name": "Lee",
        "email": tenant.member_person.email,
    }
    response = client.post("/api/v1/people", body, content_type="application/json", headers=headers)
    assert response.status_code == 409
    assert response.json()["field"] == "email"
    assert Person.objects.count() == 1


def test_staff_cannot_write(client: Client, tenant: Tenant) -> None:
    headers = bearer(client, tenant.users["staff"].username)
    response = client.patch(
        f"/api/v1/people/{tenant.member_person.pk}",
        {"given_name": "X"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role does not allow this"


def test_a_member_reads_and_exports_only_their_own_record(client: Client, tenant: Tenant) -> None:
    headers = bearer(client, tenant.member.username)
    me = client.get("/api/v1/me", headers=headers).json()
    assert me["id"] == tenant.member_person.pk
    assert client.get("/api/v1/people", headers=headers).json()["count"] == 0
    assert (
        client.get(f"/api/v1/people/{tenant.member_person.pk}", headers=headers).status_code == 403
    )
    export = client.get("/api/v1/me/export", headers=headers).json()
    assert export["memberships"][0]["group"] == tenant.group.name


def test_the_openapi_document_is_served_and_lists_every_operation(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "Coproduce API"
    assert {"/api/v1/groups", "/api/v1/people", "/api/v1/auth/token", "/api/v1/me/export"} <= set(
        document["paths"]
    )


@pytest.mark.parametrize(
    ("literal", "choices"),
    [
        (schemas.PersonKind, Person.Kind.values),
        (schemas.ContactMethod, Person.ContactMethod.values),
        (schemas.Cadence, PartnershipGroup.Cadence.values),
        (schemas.MembershipType, PartnershipGroup.MembershipType.values),
        (schemas.MemberRole, Membership.Role.values),
        (schemas.Consent, ConsentKind.values),
    ],
)
def test_api_choices_match_the_models(literal: Any, choices: list[str]) -> None:
    assert list(get_args(literal)) == choices
