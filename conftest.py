"""Fixtures shared by all tests: two organisations and a user for every role in each."""

from dataclasses import dataclass

import pytest

from coproduce.accounts.models import User
from coproduce.core.roles import Role
from coproduce.factories import (
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    member_of,
    user_with_role,
)
from coproduce.groups.models import Membership, PartnershipGroup
from coproduce.organisations.models import Organisation
from coproduce.people.models import Person


@dataclass
class Tenant:
    organisation: Organisation
    users: dict[str, User]
    member_person: Person
    group: PartnershipGroup
    membership: Membership

    @property
    def lead(self) -> User:
        return self.users[Role.INVOLVEMENT_LEAD]

    @property
    def member(self) -> User:
        return self.users[Role.MEMBER]


def make_tenant(name: str) -> Tenant:
    organisation = OrganisationFactory.create(name=name)
    users: dict[str, User] = {
        role: user_with_role(role, organisation, username=f"{role}-{organisation.pk}")
        for role in (Role.ADMINISTRATOR, Role.INVOLVEMENT_LEAD, Role.STAFF, Role.ANALYST)
    }
    member_user, member_person = member_of(
        organisation, given_name="Maya", family_name=f"Member{organisation.pk}"
    )
    users[Role.MEMBER] = member_user
    group = GroupFactory.create(organisation=organisation, name=f"{name} Partnership Group")
    membership = MembershipFactory.create(group=group, person=member_person)
    return Tenant(organisation, users, member_person, group, membership)


@pytest.fixture
def tenant(db: None) -> Tenant:
    return make_tenant("Severn Cancer Alliance")


@pytest.fixture
def other_tenant(db: None) -> Tenant:
    return make_tenant("Fenland Cancer Alliance")
