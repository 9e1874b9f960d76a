import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from conftest import Tenant
from coproduce.core.models import AuditEvent
from coproduce.people.models import ConsentKind, Person

pytestmark = pytest.mark.django_db


def new_person(organisation_id: int, **overrides: str) -> dict[str, str]:
    return {
        "organisation": str(organisation_id),
        "kind": "carer",
        "given_name": "Bronwen",
        "family_name": "Hughes",
        "email": "bronwen@example.org",
        "phone": "",
        "preferred_contact": "email",
        "consent_contact": "on",
    } | overrides


def test_a_lead_adds_a_person_with_consent_to_be_contacted(client: Client, tenant: Tenant) -> None:
    client.force_login(tenant.lead)
    response = client.post("/people/new/", new_person(tenant.organisation.pk))
    person = Person.objects.get(email="bronwen@example.org")
    assert response["Location"] == f"/people/{person.pk}/"
    assert person.has_consent(ConsentKind.CONTACT)
    page = client.get(response["Location"]).content.decode()
    assert "Bronwen Hughes" in page
    assert "Given on" in page


def test_bad_input_is_listed_in_the_error_summary_and_nothing_is_saved(
    client: Client, tenant: Tenant
) -> None:
    client.force_login(tenant.lead)
    response = client.post(
        "/people/new/",
        new_person(
            tenant.organisation.pk,
            given_name="",
            email="not-an-email",
            phone="12",
            preferred_contact="phone",
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert 'href="#id_given_name"' in body
    assert "Enter their first name" in body
    assert "Enter an email address in the correct format" in body
    assert "Enter a UK phone number" in body
    assert "<title>Error:" in body
    assert not Person.objects.filter(family_name="Hughes").exists()


def test_a_duplicate_email_gets_a_clear_message(client: Client, tenant: Tenant) -> None:
    client.force_login(tenant.lead)
    response = client.post(
        "/people/new/", new_person(tenant.organisation.pk, email=tenant.member_person.email.upper())
    )
    assert "already recorded" in response.content.decode()
    assert Person.objects.filter(organisation=tenant.organisation).count() == 1


def test_a_lead_cannot_add_a_person_to_another_organisation(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    client.force_login(tenant.lead)
    response = client.post("/people/new/", new_person(other_tenant.organisation.pk))
    assert "Select a valid choice" in response.content.decode()
    assert not Person.objects.filter(email="bronwen@example.org").exists()


def test_text_fields_have_limits(client: Client, tenant: Tenant) -> None:
    client.force_login(tenant.lead)
    response = client.post("/people/new/", new_person(tenant.organisation.pk, given_name="x" * 101))
    assert "at most 100 characters" in response.content.decode()


def test_recording_and_withdrawing_consent_from_the_person_page(
    client: Client, tenant: Tenant
) -> None:
    client.force_login(tenant.lead)
    url = f"/people/{tenant.member_person.pk}/consent/"
    client.post(url, {"kind": "share_story", "given": "yes"})
    assert tenant.member_person.has_consent(ConsentKind.SHARE_STORY)
    client.post(url, {"kind": "share_story", "given": "no", "note": "Told me by phone"})
    assert not tenant.member_person.has_consent(ConsentKind.SHARE_STORY)
    page = client.get(f"/people/{tenant.member_person.pk}/").content.decode()
    assert "Withdrawn on" in page
    assert "Told me by phone" in page


def test_staff_see_no_health_information(client: Client, tenant: Tenant) -> None:
    from coproduce.people import services
    from coproduce.people.models import CancerType

    services.record_consent(
        actor=tenant.lead,
        person=tenant.member_person,
        kind=ConsentKind.HEALTH_INFORMATION,
        given=True,
    )
    services.update_person(
        actor=tenant.lead,
        person=tenant.member_person,
        interests={"cancer_types": [CancerType.objects.get(name="Sarcoma")]},
    )
    client.force_login(tenant.users["staff"])
    assert "Sarcoma" not in client.get(f"/people/{tenant.member_person.pk}/").content.decode()
    client.force_login(tenant.lead)
    assert "Sarcoma" in client.get(f"/people/{tenant.member_person.pk}/").content.decode()


def test_giving_a_person_a_sign_in_emails_them_a_link_to_set_a_password(
    client: Client, tenant: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    from coproduce.factories import PersonFactory

    person = PersonFactory.create(organisation=tenant.organisation, email="newmember@example.org")
    client.force_login(tenant.lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/people/{person.pk}/sign-in/")
    person.refresh_from_db()
    assert person.user is not None
    assert not person.user.has_usable_password()
    assert len(mail.outbox) == 1
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/account/set-password/" in line
    )
    path = link.split("testserver", 1)[1]
    client.logout()
    follow = client.get(path, follow=True)
    assert "Choose your password" in follow.content.decode()
    client.post(
        follow.redirect_chain[-1][0],
        {"new_password1": "a-long-memorable-phrase", "new_password2": "a-long-memorable-phrase"},
    )
    person.user.refresh_from_db()
    assert person.user.check_password("a-long-memorable-phrase")
    assert AuditEvent.objects.get(action="account.created").on_behalf_of == person


def test_the_people_list_filters_and_pages(client: Client, tenant: Tenant) -> None:
    from coproduce.factories import PersonFactory

    PersonFactory.create_batch(30, organisation=tenant.organisation, family_name="Jones")
    client.force_login(tenant.users["staff"])
    body = client.get("/people/?q=jones").content.decode()
    assert "Showing 1 to 25 of 30" in body
    assert client.get("/people/?q=jones&page=2").content.decode().count('href="/people/') == 5 + 1
    partial = client.get("/people/?q=maya", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert tenant.member_person.full_name in partial


def test_a_member_edits_their_details_and_downloads_their_data(
    client: Client, tenant: Tenant
) -> None:
    client.force_login(tenant.member)
    response = client.post(
        "/me/details/",
        {
            "given_name": "Maya",
            "family_name": tenant.member_person.family_name,
            "email": tenant.member_person.email,
            "phone": "07700 900456",
            "preferred_contact": "phone",
        },
    )
    assert response.status_code == 302
    download = client.get("/me/download/")
    assert download["Content-Disposition"].startswith("attachment;")
    data = json.loads(download.content)
    assert data["profile"]["phone"] == "07700 900456"
    assert data["memberships"][0]["group"] == tenant.group.name
    assert any("Changed phone" in entry["what"] for entry in data["activity_log"])
    assert data["asks"][0]["ask"] == tenant.involvement.ask.title
    assert data["questionnaires"][0]["answered_at"] is None
    assert AuditEvent.objects.filter(action="person.exported", person=tenant.member_person).exists()


def test_a_member_withdraws_consent_as_easily_as_they_give_it(
    client: Client, tenant: Tenant
) -> None:
    client.force_login(tenant.member)
    assert "Give consent" in client.get("/me/consent/contact/").content.decode()
    client.post("/me/consent/contact/")
    assert tenant.member_person.has_consent(ConsentKind.CONTACT)
    assert "Withdraw consent" in client.get("/me/consent/contact/").content.decode()
    client.post("/me/consent/contact/")
    assert not tenant.member_person.has_consent(ConsentKind.CONTACT)
