import datetime

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Tenant
from coproduce.factories import GroupFactory, MembershipFactory, PersonFactory
from coproduce.groups.models import Membership
from coproduce.people.finder import MOST_PEOPLE_LISTED

pytestmark = pytest.mark.django_db


def test_the_group_list_counts_only_current_members(client: Client, tenant: Tenant) -> None:
    today = timezone.localdate()
    MembershipFactory.create(group=tenant.group, ended_on=today)  # left today
    MembershipFactory.create(group=tenant.group, started_on=today + datetime.timedelta(days=7))
    GroupFactory.create(organisation=tenant.organisation, name="Empty group")
    client.force_login(tenant.lead)
    page = client.get("/groups/").content.decode()
    row = page[page.index(tenant.group.name) :]
    assert ">1</td>" in row[: row.index("</tr>")]
    empty = page[page.index("Empty group") :]
    assert ">0</td>" in empty[: empty.index("</tr>")]


def test_a_group_page_lists_current_and_past_members_separately(
    client: Client, tenant: Tenant
) -> None:
    today = timezone.localdate()
    past = MembershipFactory.create(
        group=tenant.group,
        person=PersonFactory.create(organisation=tenant.organisation, given_name="Olwen"),
        started_on=today - datetime.timedelta(days=400),
        ended_on=today - datetime.timedelta(days=30),
    )
    client.force_login(tenant.lead)
    current = client.get(f"/groups/{tenant.group.pk}/").content.decode()
    assert tenant.member_person.full_name in current
    assert past.person.full_name not in current
    assert "Current (1)" in current and "Past (1)" in current
    shown_past = client.get(f"/groups/{tenant.group.pk}/?show=past").content.decode()
    assert past.person.full_name in shown_past
    assert tenant.member_person.full_name not in shown_past


def test_a_large_group_pages_its_members(client: Client, tenant: Tenant) -> None:
    for _ in range(30):
        MembershipFactory.create(
            group=tenant.group, person=PersonFactory.create(organisation=tenant.organisation)
        )
    client.force_login(tenant.lead)
    page = client.get(f"/groups/{tenant.group.pk}/").content.decode()
    assert "Showing 1 to 25 of 31" in page
    assert "page=2" in page


def test_a_lead_finds_a_person_by_name_and_adds_them(client: Client, tenant: Tenant) -> None:
    person = PersonFactory.create(
        organisation=tenant.organisation, given_name="Rhiannon", family_name="Pryce"
    )
    client.force_login(tenant.lead)
    url = f"/groups/{tenant.group.pk}/members/add/"
    found = client.get(url, {"q": "rhian"}).content.decode()
    assert "1 person matches" in found
    assert "Rhiannon Pryce" in found
    response = client.post(
        url, {"q": "rhian", "person": person.pk, "role": "co_chair", "started_on-day": ""}
    )
    assert response.status_code == 302
    assert Membership.objects.current().get(group=tenant.group, person=person).role == "co_chair"


def test_the_search_leaves_out_current_members_and_other_organisations(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    client.force_login(tenant.lead)
    url = f"/groups/{tenant.group.pk}/members/add/"
    already = client.get(url, {"q": tenant.member_person.family_name}).content.decode()
    assert "No one matches" in already
    elsewhere = client.get(url, {"q": other_tenant.member_person.family_name}).content.decode()
    assert "No one matches" in elsewhere
    # Posting the id of someone outside the search is refused, not trusted.
    response = client.post(
        url, {"q": "member", "person": other_tenant.member_person.pk, "role": "member"}
    )
    assert response.status_code == 200
    assert "Select a person from the list" in response.content.decode()
    assert not Membership.objects.filter(
        group=tenant.group, person=other_tenant.member_person
    ).exists()


def test_a_search_matching_many_people_asks_for_more_of_the_name(
    client: Client, tenant: Tenant
) -> None:
    for _ in range(MOST_PEOPLE_LISTED + 1):
        PersonFactory.create(organisation=tenant.organisation, given_name="Gareth")
    client.force_login(tenant.lead)
    page = client.get(f"/groups/{tenant.group.pk}/members/add/", {"q": "gareth"}).content.decode()
    assert f"{MOST_PEOPLE_LISTED + 1} people match" in page
    assert 'name="person"' not in page
