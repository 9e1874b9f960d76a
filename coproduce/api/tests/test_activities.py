import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Tenant
from coproduce.accounts.models import User
from coproduce.accounts.services import issue_api_token
from coproduce.activities.models import Activity, Attendance, Registration
from coproduce.activities.tests.helpers import activity_for, person_in, soon

pytestmark = pytest.mark.django_db


def auth(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user=user)}"}


def test_list_is_scoped_and_filters_upcoming(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    coming = activity_for(tenant)
    body = client.get("/api/v1/activities", headers=auth(tenant.users["analyst"])).json()
    assert {item["id"] for item in body["items"]} == {coming.pk, tenant.involvement.activity.pk}
    upcoming = client.get(
        "/api/v1/activities?upcoming=true", headers=auth(tenant.users["analyst"])
    ).json()
    assert [item["id"] for item in upcoming["items"]] == [coming.pk]
    theirs = client.get("/api/v1/activities", headers=auth(other_tenant.lead)).json()
    assert coming.pk not in {item["id"] for item in theirs["items"]}
    assert (
        client.get(f"/api/v1/activities/{coming.pk}", headers=auth(other_tenant.lead)).status_code
        == 404
    )
    assert client.get("/api/v1/activities").status_code == 401


def test_create_a_series_needs_manage_activities(client: Client, tenant: Tenant) -> None:
    starts = soon(5)
    payload = {
        "organisation_id": tenant.organisation.pk,
        "kind": "meeting",
        "group_id": tenant.group.pk,
        "title": "Skin cancer group",
        "description": "Fortnightly meeting",
        "activity_type_id": tenant.involvement.activity.activity_type_id,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + datetime.timedelta(hours=2)).isoformat(),
        "every": "2",
        "count": 3,
    }
    refused = client.post(
        "/api/v1/activities",
        payload,
        content_type="application/json",
        headers=auth(tenant.users["staff"]),
    )
    assert refused.status_code == 403
    made = client.post(
        "/api/v1/activities", payload, content_type="application/json", headers=auth(tenant.lead)
    )
    assert made.status_code == 201, made.content
    assert len(made.json()) == 3
    assert (
        Activity.objects.filter(title="Skin cancer group").values("series").distinct().count() == 1
    )
    bad = client.post(
        "/api/v1/activities",
        payload | {"kind": "activity"},
        content_type="application/json",
        headers=auth(tenant.lead),
    )
    assert bad.status_code == 422 and bad.json()["field"] == "every"


def test_register_and_list_registrations(client: Client, tenant: Tenant) -> None:
    activity = activity_for(tenant, capacity=1)
    first, second = person_in(tenant), person_in(tenant)
    url = f"/api/v1/activities/{activity.pk}/registrations"
    for person in (first, second):
        response = client.post(
            url,
            {"person_id": person.pk},
            content_type="application/json",
            headers=auth(tenant.lead),
        )
        assert response.status_code == 201
    assert response.json()["status"] == Registration.Status.WAITING
    again = client.post(
        url, {"person_id": first.pk}, content_type="application/json", headers=auth(tenant.lead)
    )
    assert again.status_code == 409
    # Who registered, with their support needs, is for those who run activities.
    assert client.get(url, headers=auth(tenant.users["staff"])).status_code == 403
    listed = client.get(url, headers=auth(tenant.lead)).json()["items"]
    assert [(r["person_id"], r["status"]) for r in listed] == [
        (first.pk, "registered"),
        (second.pk, "waiting"),
    ]


def test_record_attendance_checks_hours(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    activity = tenant.involvement.activity
    url = f"/api/v1/activities/{activity.pk}/attendance"
    person = tenant.member_person
    too_many = client.post(
        url,
        {"attendance": [{"person_id": person.pk, "hours": 25}]},
        content_type="application/json",
        headers=auth(tenant.lead),
    )
    assert too_many.status_code in {400, 422}
    stranger = client.post(
        url,
        {"attendance": [{"person_id": other_tenant.member_person.pk}]},
        content_type="application/json",
        headers=auth(tenant.lead),
    )
    assert stranger.status_code == 404
    done = client.post(
        url,
        {"attendance": [{"person_id": person.pk, "hours": "1.5"}]},
        content_type="application/json",
        headers=auth(tenant.lead),
    )
    assert done.status_code == 200 and Decimal(done.json()[0]["hours"]) == Decimal("1.5")
    assert str(Attendance.objects.get(activity=activity, person=person).hours) == "1.50"
    future = activity_for(tenant, starts_at=timezone.now() + datetime.timedelta(days=2))
    early = client.post(
        f"/api/v1/activities/{future.pk}/attendance",
        {"attendance": [{"person_id": person.pk}]},
        content_type="application/json",
        headers=auth(tenant.lead),
    )
    assert early.status_code == 409
