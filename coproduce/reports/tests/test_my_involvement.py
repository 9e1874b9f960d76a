import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Tenant
from coproduce.activities.models import Registration
from coproduce.factories import ActivityFactory, ClaimFactory, RegistrationFactory
from coproduce.payments.models import Claim
from coproduce.reports.involvement import for_member

pytestmark = pytest.mark.django_db


def test_a_member_sees_what_they_did_what_is_coming_and_their_claims(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    person = tenant.member_person
    upcoming = ActivityFactory.create(
        organisation=tenant.organisation, title="Prehab co-design day"
    )
    RegistrationFactory.create(activity=upcoming, person=person, status=Registration.Status.WAITING)
    claim = tenant.involvement.claim
    claim.status = Claim.Status.PAID
    claim.paid_at = timezone.now() - datetime.timedelta(days=2)
    claim.save()
    mine = for_member(person)
    assert mine.hours_in_all == Decimal("2.00") and mine.activities_attended == 1
    assert [r.activity for r in mine.upcoming] == [upcoming]
    assert mine.paid_this_year == Decimal("50.00") and mine.claims_waiting == 0

    client.force_login(tenant.member)
    page = client.get("/me/involvement/").content.decode()
    assert "Prehab co-design day" in page and "On the waiting list" in page
    assert tenant.involvement.opportunity.title in page
    assert "£50.00" in page and "Paid" in page
    # Nothing of anyone else's.
    assert other_tenant.involvement.activity.title not in page


def test_claims_waiting_counts_submitted_queried_and_approved(tenant: Tenant) -> None:
    for status in (Claim.Status.QUERIED, Claim.Status.APPROVED, Claim.Status.REJECTED):
        ClaimFactory.create(
            activity=ActivityFactory.create(organisation=tenant.organisation),
            person=tenant.member_person,
            status=status,
        )
    # The tenant's own claim is submitted: with queried and approved, three are waiting.
    assert for_member(tenant.member_person).claims_waiting == 3
