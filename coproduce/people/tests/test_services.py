import datetime

import pytest

from conftest import Tenant
from coproduce.core.errors import ServiceError
from coproduce.core.models import AuditEvent
from coproduce.factories import ConsentFactory, PersonFactory
from coproduce.people import services
from coproduce.people.models import CancerType, ConsentKind, PathwayStage, Person

pytestmark = pytest.mark.django_db


def test_adding_a_person_is_audited_with_the_fields_not_the_values(tenant: Tenant) -> None:
    person = services.create_person(
        actor=tenant.lead,
        organisation=tenant.organisation,
        details={
            "kind": "carer",
            "given_name": "Rhys",
            "family_name": "Owen",
            "email": "Rhys.Owen@Example.org",
        },
    )
    assert person.email == "rhys.owen@example.org"
    event = AuditEvent.objects.get(action="person.created")
    assert event.actor == tenant.lead
    assert event.person == person
    assert "email" in event.changed_fields
    assert "rhys" not in str(event.changed_fields).lower()


def test_the_same_email_cannot_be_added_twice_in_one_organisation(tenant: Tenant) -> None:
    PersonFactory.create(organisation=tenant.organisation, email="jo@example.org")
    with pytest.raises(ServiceError) as refusal:
        services.create_person(
            actor=tenant.lead,
            organisation=tenant.organisation,
            details={
                "kind": "patient",
                "given_name": "Jo",
                "family_name": "Bloggs",
                "email": "JO@example.org",
            },
        )
    assert refusal.value.field == "email"
    assert "already recorded" in refusal.value.message
    assert Person.objects.filter(email="jo@example.org").count() == 1


def test_another_organisation_may_hold_the_same_email(tenant: Tenant, other_tenant: Tenant) -> None:
    PersonFactory.create(organisation=tenant.organisation, email="jo@example.org")
    person = services.create_person(
        actor=other_tenant.lead,
        organisation=other_tenant.organisation,
        details={
            "kind": "patient",
            "given_name": "Jo",
            "family_name": "Bloggs",
            "email": "jo@example.org",
        },
    )
    assert person.organisation == other_tenant.organisation


def test_health_interests_need_consent_to_hold_health_information(tenant: Tenant) -> None:
    person = tenant.member_person
    lung = CancerType.objects.get(name="Lung")
    with pytest.raises(ServiceError, match="consent to hold health information"):
        services.update_person(actor=tenant.lead, person=person, interests={"cancer_types": [lung]})
    assert not person.cancer_types.exists()

    services.record_consent(
        actor=tenant.lead, person=person, kind=ConsentKind.HEALTH_INFORMATION, given=True
    )
    services.update_person(actor=tenant.lead, person=person, interests={"cancer_types": [lung]})
    assert list(person.cancer_types.all()) == [lung]


def test_withdrawing_health_consent_erases_health_information(tenant: Tenant) -> None:
    person = tenant.member_person
    services.record_consent(
        actor=tenant.lead, person=person, kind=ConsentKind.HEALTH_INFORMATION, given=True
    )
    services.update_person(
        actor=tenant.lead,
        person=person,
        interests={
            "cancer_types": CancerType.objects.all()[:2],
            "pathway_stages": PathwayStage.objects.all()[:1],
        },
    )
    services.record_consent(
        actor=tenant.member, person=person, kind=ConsentKind.HEALTH_INFORMATION, given=False
    )
    assert not person.cancer_types.exists()
    assert not person.pathway_stages.exists()
    event = AuditEvent.objects.get(action="consent.withdrawn")
    assert "health information erased" in event.summary
    assert event.on_behalf_of is None  # the member withdrew it themselves


def test_consent_recorded_by_staff_is_audited_as_on_the_persons_behalf(tenant: Tenant) -> None:
    services.record_consent(
        actor=tenant.lead, person=tenant.member_person, kind=ConsentKind.PHOTOGRAPH, given=True
    )
    event = AuditEvent.objects.get(action="consent.given")
    assert event.actor == tenant.lead
    assert event.on_behalf_of == tenant.member_person


def test_a_withdrawal_takes_effect_in_every_query_that_relies_on_consent(tenant: Tenant) -> None:
    person = tenant.member_person
    services.record_consent(actor=tenant.lead, person=person, kind=ConsentKind.CONTACT, given=True)
    assert person in Person.objects.contactable()
    assert person.has_consent(ConsentKind.CONTACT)
    services.record_consent(
        actor=tenant.member, person=person, kind=ConsentKind.CONTACT, given=False
    )
    assert person not in Person.objects.contactable()
    assert not person.has_consent(ConsentKind.CONTACT)


def test_the_latest_record_wins_even_when_dated_earlier(tenant: Tenant) -> None:
    person = tenant.member_person
    ConsentFactory.create(
        person=person, kind=ConsentKind.CONTACT, given=True, effective_on=datetime.date(2026, 3, 1)
    )
    ConsentFactory.create(
        person=person, kind=ConsentKind.CONTACT, given=False, effective_on=datetime.date(2026, 2, 1)
    )
    assert not person.has_consent(ConsentKind.CONTACT)
    assert person not in Person.objects.contactable()


def test_consent_cannot_be_dated_in_the_future(tenant: Tenant) -> None:
    with pytest.raises(ServiceError, match="future"):
        services.record_consent(
            actor=tenant.lead,
            person=tenant.member_person,
            kind=ConsentKind.CONTACT,
            given=True,
            effective_on=datetime.date.today() + datetime.timedelta(days=2),
        )


def test_editing_records_only_the_fields_that_changed(tenant: Tenant) -> None:
    person = tenant.member_person
    services.update_person(
        actor=tenant.lead,
        person=person,
        details={"phone": "07700 900123", "given_name": person.given_name},
    )
    event = AuditEvent.objects.get(action="person.updated")
    assert event.changed_fields == ["phone"]
    services.update_person(actor=tenant.lead, person=person, details={"phone": "07700 900123"})
    assert AuditEvent.objects.filter(action="person.updated").count() == 1
