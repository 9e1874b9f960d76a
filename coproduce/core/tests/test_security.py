import pytest
from django.test import Client

from conftest import Tenant
from coproduce.core.models import AuditEvent
from coproduce.people import services
from coproduce.people.models import ConsentKind

pytestmark = pytest.mark.django_db


def test_pages_send_security_headers_and_a_content_security_policy(client: Client) -> None:
    response = client.get("/account/sign-in/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_nothing_is_loaded_from_another_site(client: Client, tenant: Tenant) -> None:
    client.force_login(tenant.lead)
    body = client.get("/people/").content.decode()
    assert "https://" not in body.replace("https://www.w3.org", "")


def test_sign_in_is_throttled_after_repeated_failures(client: Client, tenant: Tenant) -> None:
    for _ in range(5):
        client.post("/account/sign-in/", {"username": tenant.lead.username, "password": "wrong"})
    response = client.post(
        "/account/sign-in/", {"username": tenant.lead.username, "password": "a-good-long-password"}
    )
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_forms_need_a_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/account/sign-in/", {"username": "x", "password": "y"}).status_code == 403


def test_pages_with_personal_data_are_not_cached(client: Client, tenant: Tenant) -> None:
    client.force_login(tenant.lead)
    assert client.get(f"/people/{tenant.member_person.pk}/")["Cache-Control"] == "no-store"


def test_the_audit_log_filters_by_person_and_date(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    before = AuditEvent.objects.count()  # what the fixtures recorded
    services.record_consent(
        actor=tenant.lead, person=tenant.member_person, kind=ConsentKind.CONTACT, given=True
    )
    services.record_consent(
        actor=other_tenant.lead,
        person=other_tenant.member_person,
        kind=ConsentKind.CONTACT,
        given=True,
    )
    client.force_login(tenant.users["administrator"])
    body = client.get("/audit/", {"person": "Maya"}).content.decode()
    assert tenant.member_person.full_name in body
    assert other_tenant.member_person.full_name not in body
    assert AuditEvent.objects.count() == before + 2
    empty = client.get(
        "/audit/",
        {
            "start-day": "1",
            "start-month": "1",
            "start-year": "2000",
            "end-day": "2",
            "end-month": "1",
            "end-year": "2000",
        },
    )
    assert "No results" in empty.content.decode()
    bad = client.get(
        "/audit/",
        {
            "start-day": "9",
            "start-month": "1",
            "start-year": "2020",
            "end-day": "1",
            "end-month": "1",
            "end-year": "2020",
        },
    )
    assert "must be the same as or after" in bad.content.decode()


def test_the_navigation_marks_only_the_section_the_page_is_in(client, tenant) -> None:
    client.force_login(tenant.member)
    page = client.get("/me/involvement/").content.decode()
    marker = "nhsuk-header__navigation-item--current"
    assert page.count(marker) == 1
    assert 'href="/me/involvement/" aria-current="true"' in page


def test_a_download_is_named_by_its_checked_type_not_the_uploaders_name() -> None:
    from coproduce.core import uploads

    assert uploads.download_name("../x.html", uploads.PDF, "receipt") == "x.pdf"
    assert uploads.download_name("<script>.exe", uploads.PNG, "receipt") == "-script-.png"
    assert uploads.download_name("", uploads.JPEG, "receipt") == "receipt.jpg"
