"""factory_boy factories shared by every app's tests."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from coproduce.accounts.models import RoleAssignment, User
from coproduce.activities.models import Activity, ActivityType, Attendance, Registration
from coproduce.core.roles import Role
from coproduce.groups.models import Membership, PartnershipGroup
from coproduce.opportunities.models import Interest, Opportunity
from coproduce.organisations.models import Organisation
from coproduce.payments.models import Budget, Claim, ExpenseRule, PaymentRate
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


def _activity_type() -> ActivityType:
    return ActivityType.objects.order_by("position").first() or ActivityType.objects.create(
        name="Reference group consultation"
    )


def _in_days(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class ActivityFactory(factory.django.DjangoModelFactory[Activity]):
    class Meta:
        model = Activity

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Patient information review {n}")
    description = (
        "Read the draft leaflet on what to expect after treatment and say what is missing."
    )
    activity_type = factory.LazyFunction(_activity_type)
    starts_at = factory.LazyFunction(lambda: _in_days(14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))


class OpportunityFactory(factory.django.DjangoModelFactory[Opportunity]):
    class Meta:
        model = Opportunity

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Help us rewrite the chemotherapy leaflet {n}")
    description = "Three of us will read the leaflet together with the nurse who wrote it."
    why = "Patients told us the leaflet uses words they did not understand."
    activity_type = factory.LazyFunction(_activity_type)
    time_commitment = "One two-hour meeting"
    status = Opportunity.Status.PUBLISHED
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=21))


class InterestFactory(factory.django.DjangoModelFactory[Interest]):
    class Meta:
        model = Interest

    opportunity = factory.SubFactory(OpportunityFactory)
    person = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..opportunity.organisation")
    )


class RegistrationFactory(factory.django.DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    activity = factory.SubFactory(ActivityFactory)
    person = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..activity.organisation")
    )


class AttendanceFactory(factory.django.DjangoModelFactory[Attendance]):
    class Meta:
        model = Attendance

    activity = factory.SubFactory(ActivityFactory)
    person = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..activity.organisation")
    )
    hours = Decimal("2.00")


class PaymentRateFactory(factory.django.DjangoModelFactory[PaymentRate]):
    class Meta:
        model = PaymentRate

    organisation = factory.SubFactory(OrganisationFactory)
    unit = PaymentRate.Unit.HOUR
    amount = Decimal("25.00")
    effective_from = datetime.date(2024, 1, 1)


class ExpenseRuleFactory(factory.django.DjangoModelFactory[ExpenseRule]):
    class Meta:
        model = ExpenseRule

    organisation = factory.SubFactory(OrganisationFactory)
    kind = ExpenseRule.Kind.TRAVEL
    limit = Decimal("60.00")
    effective_from = datetime.date(2024, 1, 1)


class ClaimFactory(factory.django.DjangoModelFactory[Claim]):
    class Meta:
        model = Claim

    activity = factory.SubFactory(ActivityFactory)
    person = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..activity.organisation")
    )
    total = Decimal("50.00")
    submitted_at = factory.LazyFunction(timezone.now)


class BudgetFactory(factory.django.DjangoModelFactory[Budget]):
    class Meta:
        model = Budget

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Involvement budget {n}")
    amount = Decimal("12000.00")
    starts_on = datetime.date(2026, 4, 1)
    ends_on = datetime.date(2027, 3, 31)
