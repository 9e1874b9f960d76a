import datetime

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Tenant
from coproduce.activities.models import ActivityType, Area, Mode
from coproduce.core.models import AuditEvent
from coproduce.factories import OpportunityFactory, PersonFactory
from coproduce.notifications.models import Notification
from coproduce.opportunities.models import Interest, Invitation, Opportunity
from coproduce.opportunities.tests.factories import contactable_person
from coproduce.people.models import CancerType, Topic

pytestmark = pytest.mark.django_db


def in_days(days: int) -> dict[str, str]:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return {
        "closes_on-day": str(day.day),
        "closes_on-month": str(day.month),
        "closes_on-year": str(day.year),
    }


def request_form(**changes: object) -> dict[str, object]:
    return {
        "title": "Help plan the new bowel screening clinic",
        "description": "Two workshops with the screening team.",
        "why": "Fewer people from some areas return their kits.",
        "activity_type": ActivityType.objects.first().pk,  # type: ignore[union-attr]
        "ladder_level": "co_design",
        "areas": ["planning", "service_delivery"],
        "scope": "local",
        "initiated_by": "professional",
        "led_by": "professional",
        "technicality": "everyday",
        "time_commitment": "Two three-hour workshops",
        "hours": "6",
        "timing": ["weekday_evening"],
        "mode": "online",
        "cancer_types": [CancerType.objects.get(name="Bowel").pk],
        **in_days(21),
    } | changes


def test_staff_ask_for_involvement_and_it_waits_for_review(client: Client, tenant: Tenant) -> None:
    client.force_login(tenant.users["staff"])
    response = client.post("/opportunities/new/", request_form(organisation=tenant.organisation.pk))
    opportunity = Opportunity.objects.get(title="Help plan the new bowel screening clinic")
    assert response.status_code == 302
    assert response["Location"] == f"/opportunities/{opportunity.pk}/"
    assert opportunity.status == Opportunity.Status.SUBMITTED
    assert opportunity.areas == [Area.PLANNING, Area.SERVICE_DELIVERY]
    assert opportunity.requested_by == tenant.users["staff"]
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for review" in page
    assert "Planning, Service delivery" in page
    # Staff who ask cannot publish: that is the involvement lead's review.
    assert client.get(f"/opportunities/{opportunity.pk}/publish/").status_code == 403


def test_the_request_form_explains_what_is_missing(client: Client, tenant: Tenant) -> None:
    client.force_login(tenant.lead)
    response = client.post(
        "/opportunities/new/",
        request_form(
            organisation=tenant.organisation.pk, title="", mode=Mode.IN_PERSON, **in_days(-2)
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a title" in page
    assert "Enter where it will happen" in page
    assert not Opportunity.objects.filter(
        description="Two workshops with the screening team."
    ).exists()


def test_the_lead_edits_and_publishes_but_not_past_the_closing_date(
    client: Client, tenant: Tenant
) -> None:
    opportunity = OpportunityFactory.create(
        organisation=tenant.organisation,
        status=Opportunity.Status.SUBMITTED,
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(tenant.lead)
    refused = client.post(f"/opportunities/{opportunity.pk}/publish/")
    assert refused.status_code == 200
    assert "The closing date has passed" in refused.content.decode()
    edited = client.post(
        f"/opportunities/{opportunity.pk}/edit/",
        request_form(title="Plan the clinic", topics=[Topic.objects.first().pk]),  # type: ignore[union-attr]
    )
    assert edited.status_code == 302
    published = client.post(f"/opportunities/{opportunity.pk}/publish/")
    assert published.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.title == "Plan the clinic"
    assert opportunity.status == Opportunity.Status.PUBLISHED
    assert opportunity.published_by == tenant.lead


def test_the_staff_list_filters_and_pages(client: Client, tenant: Tenant) -> None:
    OpportunityFactory.create(
        organisation=tenant.organisation, title="Waiting one", status=Opportunity.Status.SUBMITTED
    )
    client.force_login(tenant.lead)
    waiting = client.get("/opportunities/?status=submitted").content.decode()
    assert "Waiting one" in waiting
    assert tenant.involvement.opportunity.title not in waiting
    searched = client.get("/opportunities/?q=waiting+one").content.decode()
    assert "Waiting one" in searched and "Showing 1 to 1 of 1" in searched


def test_the_detail_page_lists_interests_for_the_lead_only(client: Client, tenant: Tenant) -> None:
    url = f"/opportunities/{tenant.involvement.opportunity.pk}/"
    client.force_login(tenant.lead)
    page = client.get(url).content.decode()
    assert tenant.member_person.full_name in page
    assert "Select or not select" in page
    client.force_login(tenant.users["analyst"])
    page = client.get(url).content.decode()
    assert tenant.member_person.full_name not in page
    assert "1 person has expressed interest" in page


def test_the_lead_selects_and_the_person_is_told(client: Client, tenant: Tenant) -> None:
    interest = tenant.involvement.interest
    client.force_login(tenant.lead)
    url = f"/opportunities/{interest.opportunity_id}/interests/{interest.pk}/"
    assert client.post(url, {}).status_code == 200
    response = client.post(url, {"selected": "yes"})
    assert response.status_code == 302
    interest.refresh_from_db()
    assert interest.status == Interest.Status.SELECTED
    assert Notification.objects.filter(
        person=tenant.member_person, kind=Notification.Kind.SELECTION
    ).exists()


def test_closing_with_people_waiting(client: Client, tenant: Tenant) -> None:
    opportunity = tenant.involvement.opportunity
    client.force_login(tenant.lead)
    page = client.get(f"/opportunities/{opportunity.pk}/close/").content.decode()
    assert "1 person is still waiting for a decision" in page
    assert (
        client.post(f"/opportunities/{opportunity.pk}/close/", {"outcome": "closed"}).status_code
        == 302
    )
    assert Interest.objects.get(pk=tenant.involvement.interest.pk).status == "not_selected"


def test_staff_record_interest_for_someone_offline(client: Client, tenant: Tenant) -> None:
    person = PersonFactory.create(organisation=tenant.organisation, family_name="Offline")
    opportunity = tenant.involvement.opportunity
    client.force_login(tenant.lead)
    found = client.get(f"/opportunities/{opportunity.pk}/interests/add/?q=offline").content.decode()
    assert "Ada Offline" in found
    response = client.post(
        f"/opportunities/{opportunity.pk}/interests/add/",
        {"q": "offline", "person": person.pk, "note": "Told me at the clinic"},
    )
    assert response.status_code == 302
    interest = Interest.objects.get(opportunity=opportunity, person=person)
    event = AuditEvent.objects.get(action="interest.expressed", target_id=str(interest.pk))
    assert event.on_behalf_of == person


def test_suggestions_page_invites_once(client: Client, tenant: Tenant) -> None:
    opportunity = tenant.involvement.opportunity
    person = contactable_person(tenant.organisation, family_name="Suggested")
    client.force_login(tenant.lead)
    page = client.get(f"/opportunities/{opportunity.pk}/suggestions/").content.decode()
    assert "Ada Suggested" in page and "Has not taken part yet" in page
    response = client.post(f"/opportunities/{opportunity.pk}/suggestions/", {"person": person.pk})
    assert response.status_code == 302
    assert Invitation.objects.filter(opportunity=opportunity, person=person).count() == 1
    again = client.post(f"/opportunities/{opportunity.pk}/suggestions/", {"person": person.pk})
    assert "has already been invited" in again.content.decode()
    elsewhere = contactable_person(OpportunityFactory.create().organisation)
    stranger = client.post(
        f"/opportunities/{opportunity.pk}/suggestions/", {"person": elsewhere.pk}
    )
    assert stranger.status_code == 404


# A member's pages.


def test_a_member_browses_and_filters_open_opportunities(client: Client, tenant: Tenant) -> None:
    organisation = tenant.organisation
    online = OpportunityFactory.create(
        organisation=organisation, title="Online survey", mode=Mode.ONLINE, areas=[Area.RESEARCH]
    )
    OpportunityFactory.create(
        organisation=organisation, title="Not yet", status=Opportunity.Status.SUBMITTED
    )
    OpportunityFactory.create(
        organisation=organisation,
        title="Too late",
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    OpportunityFactory.create(title="Somewhere else")
    client.force_login(tenant.member)
    page = client.get("/me/opportunities/").content.decode()
    assert "Online survey" in page
    for hidden in ("Not yet", "Too late", "Somewhere else"):
        assert hidden not in page
    filtered = client.get("/me/opportunities/?mode=online&area=research").content.decode()
    assert "Online survey" in filtered
    assert f">{tenant.involvement.opportunity.title}</a></h3>" not in filtered
    tenant.member_person.topics.set([Topic.objects.get(name="Research")])
    online.topics.set([Topic.objects.get(name="Research")])
    fits = client.get("/me/opportunities/?fits=on").content.decode()
    assert "Online survey" in fits
    assert f">{tenant.involvement.opportunity.title}</a></h3>" not in fits


def test_a_member_expresses_interest_and_withdraws(client: Client, tenant: Tenant) -> None:
    opportunity = OpportunityFactory.create(organisation=tenant.organisation)
    client.force_login(tenant.member)
    response = client.post(f"/me/opportunities/{opportunity.pk}/interest/", {"note": "Keen"})
    assert response.status_code == 302
    interest = Interest.objects.get(opportunity=opportunity, person=tenant.member_person)
    assert interest.note == "Keen"
    detail = client.get(f"/me/opportunities/{opportunity.pk}/").content.decode()
    assert "We will tell you whether you have been selected" in detail
    assert client.post(f"/me/opportunities/{opportunity.pk}/withdraw/").status_code == 302
    interest.refresh_from_db()
    assert interest.status == Interest.Status.WITHDRAWN


def test_a_member_cannot_reach_unpublished_or_other_organisations_opportunities(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    waiting = OpportunityFactory.create(
        organisation=tenant.organisation, status=Opportunity.Status.SUBMITTED
    )
    client.force_login(tenant.member)
    assert client.get(f"/me/opportunities/{waiting.pk}/").status_code == 404
    elsewhere = other_tenant.involvement.opportunity
    assert client.get(f"/me/opportunities/{elsewhere.pk}/").status_code == 404
    assert client.post(f"/me/opportunities/{elsewhere.pk}/interest/").status_code == 404
    assert not Interest.objects.filter(opportunity=elsewhere, person=tenant.member_person).exists()


def test_interest_past_the_closing_date_is_refused_with_a_reason(
    client: Client, tenant: Tenant
) -> None:
    opportunity = OpportunityFactory.create(organisation=tenant.organisation)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    # The member offered before it closed, so they can still see it and its outcome.
    Interest.objects.create(
        opportunity=opportunity, person=tenant.member_person, status=Interest.Status.WITHDRAWN
    )
    client.force_login(tenant.member)
    page = client.get(f"/me/opportunities/{opportunity.pk}/interest/").content.decode()
    assert "no longer taking expressions of interest" in page
    response = client.post(f"/me/opportunities/{opportunity.pk}/interest/", {"note": "Late"})
    assert response.status_code == 200
    assert "The closing date for this opportunity was" in response.content.decode()
