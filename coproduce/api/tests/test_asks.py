from typing import Any, get_args

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import Tenant
from coproduce.accounts.models import User
from coproduce.accounts.services import issue_api_token
from coproduce.activities.models import Scope
from coproduce.api import asks as api
from coproduce.asks.models import Ask, Domain, Status
from coproduce.core.roles import Role
from coproduce.factories import PersonFactory
from coproduce.notifications.models import Notification
from coproduce.people.models import Person

pytestmark = pytest.mark.django_db


def auth(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user=user)}"}


def post(client: Client, path: str, user: User, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json", headers=auth(user))


def test_asks_are_listed_within_the_users_organisations(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    mine = client.get("/api/v1/asks", headers=auth(tenant.users[Role.ANALYST])).json()
    assert [item["id"] for item in mine["items"]] == [tenant.involvement.ask.pk]
    theirs = client.get("/api/v1/asks", headers=auth(other_tenant.lead)).json()
    assert tenant.involvement.ask.pk not in [item["id"] for item in theirs["items"]]
    assert (
        client.get(
            f"/api/v1/asks/{tenant.involvement.ask.pk}", headers=auth(other_tenant.lead)
        ).status_code
        == 404
    )
    assert client.get("/api/v1/asks").status_code == 401


def test_raise_move_to_changed_and_the_contributors_are_told(
    client: Client, tenant: Tenant
) -> None:
    owner = PersonFactory.create(organisation=tenant.organisation, kind=Person.Kind.STAFF)
    raised = post(
        client,
        "/api/v1/asks",
        tenant.lead,
        {
            "organisation_id": tenant.organisation.pk,
            "title": "Evening phlebotomy",
            "what_was_said": "Blood tests only in working hours",
            "owner_id": owner.pk,
            "raised_by_id": tenant.member_person.pk,
            "activity_ids": [tenant.involvement.activity.pk],
        },
    )
    assert raised.status_code == 201, raised.content
    ask_id = raised.json()["id"]
    assert raised.json()["activity_ids"] == [tenant.involvement.activity.pk]
    skipped = post(client, f"/api/v1/asks/{ask_id}/moves", tenant.lead, {"status": "changed"})
    assert skipped.status_code == 409
    for status in ("under_consideration", "accepted", "in_progress"):
        moved = post(client, f"/api/v1/asks/{ask_id}/moves", tenant.lead, {"status": status})
        assert moved.status_code == 200
    missing = post(client, f"/api/v1/asks/{ask_id}/moves", tenant.lead, {"status": "changed"})
    assert missing.status_code == 422 and missing.json()["field"] == "outcome"
    done = post(
        client,
        f"/api/v1/asks/{ask_id}/moves",
        tenant.lead,
        {
            "status": "changed",
            "outcome": "A Thursday evening clinic opened",
            "domain": "access",
            "scope": "local",
            "took_effect_on": "2026-05-01",
        },
    )
    assert done.status_code == 200
    assert done.json()["level"] == "grass_roots"
    assert [update["status"] for update in done.json()["updates"]][-1] == "changed"
    told = Notification.objects.filter(person=tenant.member_person, path=f"/me/asks/{ask_id}/")
    assert told.count() == 4


def test_not_possible_without_a_reason_is_a_422(client: Client, tenant: Tenant) -> None:
    ask = tenant.involvement.ask
    response = post(client, f"/api/v1/asks/{ask.pk}/moves", tenant.lead, {"status": "not_possible"})
    assert response.status_code == 422 and response.json()["field"] == "reason"
    ask.refresh_from_db()
    assert ask.status == Status.RAISED


def test_staff_who_do_not_own_an_ask_cannot_answer_it(client: Client, tenant: Tenant) -> None:
    ask = tenant.involvement.ask
    response = post(
        client,
        f"/api/v1/asks/{ask.pk}/moves",
        tenant.users[Role.STAFF],
        {"status": "under_consideration"},
    )
    assert response.status_code == 403


def test_evidence_by_link_and_by_file(client: Client, tenant: Tenant) -> None:
    ask = tenant.involvement.ask
    link = post(
        client,
        f"/api/v1/asks/{ask.pk}/evidence",
        tenant.lead,
        {"kind": "link", "title": "New page", "url": "https://example.org/clinic"},
    )
    assert link.status_code == 201 and link.json()["url"] == "https://example.org/clinic"
    refused = client.post(
        f"/api/v1/asks/{ask.pk}/evidence/file",
        {"title": "Program", "file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00", "application/pdf")},
        headers=auth(tenant.lead),
    )
    assert refused.status_code == 422 and refused.json()["field"] == "file"
    accepted = client.post(
        f"/api/v1/asks/{ask.pk}/evidence/file",
        {"title": "Leaflet", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", "application/pdf")},
        headers=auth(tenant.lead),
    )
    assert accepted.status_code == 201 and accepted.json()["has_file"]


def test_contributors_are_for_those_who_manage_asks(client: Client, tenant: Tenant) -> None:
    ask = tenant.involvement.ask
    path = f"/api/v1/asks/{ask.pk}/contributors"
    assert client.get(path, headers=auth(tenant.users[Role.STAFF])).status_code == 403
    names = client.get(path, headers=auth(tenant.lead)).json()["items"]
    assert [item["person_id"] for item in names] == [tenant.member_person.pk]
    other = PersonFactory.create(organisation=tenant.organisation)
    added = post(client, path, tenant.lead, {"person_id": other.pk})
    assert added.status_code == 201
    again = post(client, path, tenant.lead, {"person_id": other.pk})
    assert again.status_code == 422


def test_hearing_back_suppresses_a_few_people(client: Client, tenant: Tenant) -> None:
    body = client.get("/api/v1/asks/hearing-back", headers=auth(tenant.lead)).json()
    assert body == [
        {
            "organisation_id": tenant.organisation.pk,
            "asks": 1,
            "answered": 0,
            "waiting_too_long": 0,
            "contributions": None,
            "heard_back": None,
            "heard_back_percent": None,
        }
    ]


def test_a_member_raises_and_reads_only_their_own(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    raised = post(
        client,
        "/api/v1/me/asks",
        tenant.member,
        {
            "title": "Wheelchair at the entrance",
            "what_was_said": "None there at weekends",
            "activity_id": tenant.involvement.activity.pk,
        },
    )
    assert raised.status_code == 201
    mine = client.get("/api/v1/me/asks", headers=auth(tenant.member)).json()
    assert {item["id"] for item in mine["items"]} == {
        raised.json()["id"],
        tenant.involvement.ask.pk,
    }
    other = client.get(
        f"/api/v1/me/asks/{tenant.involvement.ask.pk}", headers=auth(other_tenant.member)
    )
    assert other.status_code == 404


def test_the_public_record_needs_no_token_and_shows_only_what_was_published(
    client: Client, tenant: Tenant
) -> None:
    Ask.objects.create(
        organisation=tenant.organisation,
        title="Draft",
        what_was_said="x",
        raised_at=tenant.involvement.ask.raised_at,
    )
    body = client.get(f"/api/v1/public/organisations/{tenant.organisation.pk}/asks").json()
    assert [item["title"] for item in body["items"]] == [tenant.involvement.ask.title]
    assert "owner_id" not in body["items"][0]
    assert tenant.member_person.family_name not in str(body)


def test_publishing_through_the_api(client: Client, tenant: Tenant) -> None:
    ask = tenant.involvement.ask
    response = post(client, f"/api/v1/asks/{ask.pk}/publication", tenant.lead, {"published": False})
    assert response.status_code == 200 and response.json()["published_at"] is None
    assert (
        post(
            client,
            f"/api/v1/asks/{ask.pk}/publication",
            tenant.users[Role.STAFF],
            {"published": True},
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("literal", "choices"),
    [(api.AskStatus, Status.values), (api.ImpactDomain, Domain.values), (api.Reach, Scope.values)],
)
def test_api_choices_match_the_models(literal: Any, choices: list[str]) -> None:
    assert list(get_args(literal)) == choices
