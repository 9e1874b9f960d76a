import datetime

import pytest

from conftest import Tenant
from coproduce.core.errors import ServiceError
from coproduce.core.models import AuditEvent
from coproduce.factories import PersonFactory
from coproduce.groups import services
from coproduce.groups.models import Membership, PartnershipGroup

pytestmark = pytest.mark.django_db

DETAILS = {
    "name": "Breast Cancer Voices",
    "purpose": "Improve breast cancer services.",
    "starts_on": datetime.date(2026, 1, 5),
}


def test_a_lead_sets_up_a_group_and_it_is_audited(tenant: Tenant) -> None:
    group = services.create_group(
        actor=tenant.lead, organisation=tenant.organisation, details=DETAILS
    )
    assert group.organisation == tenant.organisation
    assert AuditEvent.objects.filter(action="group.created", target_id=str(group.pk)).exists()


def test_group_names_are_unique_within_an_organisation(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    services.create_group(actor=tenant.lead, organisation=tenant.organisation, details=DETAILS)
    with pytest.raises(ServiceError, match="already a group"):
        services.create_group(
            actor=tenant.lead,
            organisation=tenant.organisation,
            details=DETAILS | {"name": "breast cancer voices"},
        )
    services.create_group(
        actor=other_tenant.lead, organisation=other_tenant.organisation, details=DETAILS
    )


def test_a_group_cannot_end_before_it_starts(tenant: Tenant) -> None:
    with pytest.raises(ServiceError, match="end date"):
        services.create_group(
            actor=tenant.lead,
            organisation=tenant.organisation,
            details=DETAILS | {"ends_on": datetime.date(2025, 1, 1)},
        )
    assert not PartnershipGroup.objects.filter(name=DETAILS["name"]).exists()


def test_adding_and_ending_a_membership_keeps_the_history(tenant: Tenant) -> None:
    person = PersonFactory.create(organisation=tenant.organisation)
    membership = services.add_member(
        actor=tenant.lead, group=tenant.group, person=person, role="co_chair"
    )
    assert membership.is_current
    with pytest.raises(ServiceError, match="already a member"):
        services.add_member(actor=tenant.lead, group=tenant.group, person=person, role="member")
    services.end_membership(actor=tenant.lead, membership=membership)
    assert not Membership.objects.current().filter(person=person).exists()
    again = services.add_member(actor=tenant.lead, group=tenant.group, person=person, role="member")
    assert list(person.memberships.order_by("id")) == [membership, again]
    assert AuditEvent.objects.filter(person=person).count() == 3


def test_people_of_another_organisation_cannot_join(tenant: Tenant, other_tenant: Tenant) -> None:
    with pytest.raises(ServiceError, match="not recorded by the group's organisation"):
        services.add_member(
            actor=tenant.lead, group=tenant.group, person=other_tenant.member_person, role="member"
        )


def test_a_membership_cannot_end_before_it_started(tenant: Tenant) -> None:
    with pytest.raises(ServiceError, match="on or after"):
        services.end_membership(
            actor=tenant.lead, membership=tenant.membership, ended_on=datetime.date(2020, 1, 1)
        )
    tenant.membership.refresh_from_db()
    assert tenant.membership.ended_on is None
