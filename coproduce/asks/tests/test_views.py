import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Tenant
from coproduce.asks.models import Ask, Status
from coproduce.core.roles import Role
from coproduce.factories import ConsentFactory, PersonFactory
from coproduce.people.models import ConsentKind, Person

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_staff_record_an_ask_from_a_meeting_with_who_raised_it(tenant: Tenant) -> None:
    activity = tenant.involvement.activity
    owner = PersonFactory.create(
        organisation=tenant.organisation, kind=Person.Kind.STAFF, user=tenant.users[Role.STAFF]
    )
    client = signed_in(tenant.lead)
    page = client.get(f"/asks/new/?activity={activity.pk}")
    assert page.status_code == 200
    assert tenant.member_person.full_name in page.content.decode()
    response = client.post(
        f"/asks/new/?activity={activity.pk}",
        {
            "organisation": tenant.organisation.pk,
            "title": "A quiet room for bad news",
            "what_was_said": "News was given in a corridor",
            "raised_by": tenant.member_person.pk,
            "owner": owner.pk,
            "documents": [tenant.involvement.document.pk],
        },
    )
    ask = Ask.objects.get(title="A quiet room for bad news")
    assert response.status_code == 302 and response["Location"] == f"/asks/{ask.pk}/"
    assert list(ask.activities.all()) == [activity]
    assert list(ask.documents.all()) == [tenant.involvement.document]
    assert ask.raised_by == tenant.member_person


def test_a_quote_without_consent_is_shown_in_the_error_summary(tenant: Tenant) -> None:
    activity = tenant.involvement.activity
    response = signed_in(tenant.lead).post(
        f"/asks/new/?activity={activity.pk}",
        {
            "organisation": tenant.organisation.pk,
            "title": "A quiet room",
            "what_was_said": "News was given in a corridor",
            "raised_by": tenant.member_person.pk,
            "quote": "I heard it next to the lifts",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in body and "has not agreed to their words being quoted" in body
    assert not Ask.objects.filter(title="A quiet room").exists()


def test_the_lead_marks_it_not_possible_and_must_give_a_reason(tenant: Tenant) -> None:
    ask = tenant.involvement.ask
    client = signed_in(tenant.lead)
    url = f"/asks/{ask.pk}/move/not_possible/"
    refused = client.post(url, {"reason": ""})
    assert "Give the reason it is not possible" in refused.content.decode()
    ask.refresh_from_db()
    assert ask.status == Status.RAISED
    done = client.post(url, {"reason": "The print supplier cannot do large print"})
    assert done.status_code == 302
    ask.refresh_from_db()
    assert ask.status == Status.NOT_POSSIBLE


def test_a_move_that_skips_the_flow_is_explained_not_offered(tenant: Tenant) -> None:
    ask = tenant.involvement.ask
    client = signed_in(tenant.lead)
    page = client.get(f"/asks/{ask.pk}/move/changed/")
    assert "cannot be marked as changed now" in page.content.decode()
    refused = client.post(
        f"/asks/{ask.pk}/move/changed/",
        {
            "outcome": "Done",
            "domain": "access",
            "scope": "local",
            "took_effect_on-day": "1",
            "took_effect_on-month": "1",
            "took_effect_on-year": "2026",
        },
    )
    assert "can only move to" in refused.content.decode()
    ask.refresh_from_db()
    assert ask.status == Status.RAISED


def test_staff_who_do_not_own_it_cannot_answer(tenant: Tenant) -> None:
    ask = tenant.involvement.ask
    response = signed_in(tenant.users[Role.STAFF]).get(f"/asks/{ask.pk}/move/under_consideration/")
    assert response.status_code == 403
    ask.owner = PersonFactory.create(
        organisation=tenant.organisation, kind=Person.Kind.STAFF, user=tenant.users[Role.STAFF]
    )
    ask.save()
    response = signed_in(tenant.users[Role.STAFF]).post(
        f"/asks/{ask.pk}/move/under_consideration/", {"note": "We will look at it in March"}
    )
    assert response.status_code == 302


def test_the_member_sees_what_they_raised_and_what_changed(tenant: Tenant) -> None:
    ask = tenant.involvement.ask
    Ask.objects.filter(pk=ask.pk).update(
        status=Status.CHANGED, outcome="Letters now come in 16 point type", domain="access"
    )
    client = signed_in(tenant.member)
    listing = client.get("/me/asks/").content.decode()
    assert ask.title in listing and "Letters now come in 16 point type" in listing
    page = client.get(f"/me/asks/{ask.pk}/").content.decode()
    assert "What changed" in page
    evidence = client.get(f"/me/asks/{ask.pk}/evidence/{tenant.involvement.evidence.pk}/")
    assert evidence.status_code == 200


def test_a_member_does_not_see_asks_they_did_not_contribute_to(tenant: Tenant) -> None:
    other = Ask.objects.create(
        organisation=tenant.organisation,
        title="Someone else's",
        what_was_said="x",
        raised_at=timezone.now(),
    )
    client = signed_in(tenant.member)
    assert client.get(f"/me/asks/{other.pk}/").status_code == 404
    assert "Someone else's" not in client.get("/me/asks/").content.decode()


def test_a_member_raises_something_from_a_meeting(tenant: Tenant) -> None:
    activity = tenant.involvement.activity
    client = signed_in(tenant.member)
    response = client.post(
        f"/me/asks/new/?activity={activity.pk}",
        {"title": "Hearing loop in the meeting room", "what_was_said": "I could not hear"},
    )
    ask = Ask.objects.get(title="Hearing loop in the meeting room")
    assert response["Location"] == f"/me/asks/{ask.pk}/"
    assert ask.raised_by == tenant.member_person and ask.owner is None


def test_the_public_record_shows_only_published_asks_and_names_nobody(tenant: Tenant) -> None:
    published = tenant.involvement.ask
    Ask.objects.create(
        organisation=tenant.organisation, title="Not yet public", what_was_said="x",
        raised_at=timezone.now(),
    )  # fmt: skip
    body = Client().get(f"/you-said-we-did/{tenant.organisation.pk}/").content.decode()
    assert published.title in body
    assert "Not yet public" not in body
    assert tenant.member_person.family_name not in body


def test_the_public_record_quotes_only_with_consent(tenant: Tenant) -> None:
    ask = tenant.involvement.ask
    Ask.objects.filter(pk=ask.pk).update(quote="I had to ask my grandson to read it")
    url = f"/you-said-we-did/{tenant.organisation.pk}/"
    assert "my grandson" not in Client().get(url).content.decode()
    ConsentFactory.create(person=tenant.member_person, kind=ConsentKind.SHARE_STORY)
    assert "my grandson" in Client().get(url).content.decode()


def test_the_public_record_filters_by_kind_of_change(tenant: Tenant) -> None:
    ask = tenant.involvement.ask
    Ask.objects.filter(pk=ask.pk).update(domain="access")
    url = f"/you-said-we-did/{tenant.organisation.pk}/"
    assert ask.title in Client().get(url, {"domain": "access"}).content.decode()
    assert ask.title not in Client().get(url, {"domain": "policy"}).content.decode()


def test_the_atom_feed_lists_published_asks(tenant: Tenant) -> None:
    response = Client().get(f"/you-said-we-did/{tenant.organisation.pk}/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed, just made
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [entry.findtext(f"{atom}title") for entry in feed.iter(f"{atom}entry")]
    assert titles == [f"Raised: {tenant.involvement.ask.title}"]
    assert tenant.member_person.family_name.encode() not in response.content


def test_the_list_shows_who_has_heard_back(tenant: Tenant) -> None:
    body = signed_in(tenant.lead).get("/asks/").content.decode()
    assert "Closing the loop" in body
    assert "fewer than 5 people contributed" in body


def test_form_pages_name_their_button(tenant: Tenant) -> None:
    ask = tenant.involvement.ask
    body = signed_in(tenant.lead).get(f"/asks/{ask.pk}/evidence/add/link/").content.decode()
    assert "Add evidence" in body
    assert "Macro" not in body
    paper = signed_in(tenant.lead).get(f"/activities/{tenant.involvement.activity.pk}/papers/add/")
    assert "Add paper" in paper.content.decode() and "Macro" not in paper.content.decode()
