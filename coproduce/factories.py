"""factory_boy factories shared by every app's tests."""

import datetime

import factory

from coproduce.accounts.models import RoleAssignment, User
from coproduce.core.roles import Role
from coproduce.groups.models import Membership, PartnershipGroup
from coproduce.organisations.models import Organisation
from coproduce.people.models import ConsentKind, ConsentRecord, Person


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Valley {n} Cancer Alliance")
    kind = Organisation.Kind.CANCER_ALLIANCE


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    password = factory.PostGenerationMethodCall("set_password", "a-good-long-password")

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


def user_with_role(role: str, organisation: Organisation, **kwargs: object) -> User:
    user = UserFactory.create(**kwargs)
    RoleAssignment.objects.create(user=user, organisation=organisation, role=role)
    return user


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Person.Kind.PATIENT
    given_name = "Ada"
    family_name = factory.Sequence(lambda n: f"Lovelace{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")


def member_of(organisation: Organisation, **kwargs: object) -> tuple[User, Person]:
    """A member: a sign-in with the member role, linked to their person record."""
    user = user_with_role(Role.MEMBER, organisation)
    person = PersonFactory.create(organisation=organisation, user=user, **kwargs)
    return user, person


class ConsentFactory(factory.django.DjangoModelFactory[ConsentRecord]):
    class Meta:
        model = ConsentRecord

    person = factory.SubFactory(PersonFactory)
    kind = ConsentKind.CONTACT
    given = True
    effective_on = factory.LazyFunction(datetime.date.today)


class GroupFactory(factory.django.DjangoModelFactory[PartnershipGroup]):
    class Meta:
        model = PartnershipGroup

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Partnership Group {n}")
    purpose = "Bring patients' views into service planning."
    starts_on = datetime.date(2024, 1, 1)


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    group = factory.SubFactory(GroupFactory)
    person = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..group.organisation")
    )
    role = Membership.Role.MEMBER
    started_on = datetime.date(2024, 2, 1)
