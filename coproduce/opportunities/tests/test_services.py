import datetime

import pytest
from django.utils import timezone

from conftest import Tenant
from coproduce.activities.models import ActivityType, Area, Mode
from coproduce.core.errors import ServiceError
from coproduce.core.models import AuditEvent
from coproduce.factories import OpportunityFactory, PersonFactory
from coproduce.notifications.models import Notification
from coproduce.opportunities import services
from coproduce.opportunities.export import for_person
from coproduce.opportunities.models import Interest, Invitation, Opportunity
from coproduce.opportunities.tests.factories import contactable_person
from coproduce.people.models import Availability, CancerType, SupportNeed

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def details(**changes: object) -> dict[str, object]:
    return {
        "title": "Review the bowel screening leaflet",
        "description": "Read the draft and tell us what is unclear.",
        "why": "People do not return their kits.",
        "activity_type": ActivityType.objects.first(),
        "areas": [Area.PRACTICE],
        "time_commitment": "One two-hour meeting",
        "timing": [Availability.WEEKDAY_EVENING],
        "mode": Mode.ONLINE,
        "closes_on": TODAY() + datetime.timedelta(days=14),
        "cancer_types": [CancerType.objects.get(name="Bowel")],
        "support_offered": [SupportNeed.objects.get(name="Hearing loop")],
    } | changes


def test_a_request_waits_for_review_with_who_asked(tenant: Tenant) -> None:
    staff = tenant.users["staff"]
    opportunity = services.request_involvement(
        actor=staff, organisation=tenant.organisation, details=details(group=tenant.group)
    )
    assert opportunity.status == Opportunity.Status.SUBMITTED
    assert opportunity.get_status_display() == "Waiting for review"
    assert opportunity.requested_by == staff
    assert [str(c) for c in opportunity.cancer_types.all()] == ["Bowel"]
    assert [str(s) for s in opportunity.support_offered.all()] == ["Hearing loop"]
    assert AuditEvent.objects.filter(action="opportunity.requested").count() == 1


def test_a_request_refuses_another_organisations_group_and_a_past_closing_date(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    with pytest.raises(ServiceError) as group_error:
        services.request_involvement(
            actor=tenant.lead,
            organisation=tenant.organisation,
            details=details(group=other_tenant.group),
        )
    assert group_error.value.field == "group"
    with pytest.raises(ServiceError) as date_error:
        services.request_involvement(
            actor=tenant.lead,
            organisation=tenant.organisation,
            details=details(closes_on=TODAY() - datetime.timedelta(days=1)),
        )
    assert date_error.value.field == "closes_on"


def test_publishing_records_who_and_when(tenant: Tenant) -> None:
    opportunity = OpportunityFactory.create(
        organisation=tenant.organisation, status=Opportunity.Status.SUBMITTED
    )
    services.publish(actor=tenant.lead, opportunity=opportunity)
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.PUBLISHED
    assert opportunity.published_by == tenant.lead
    assert opportunity.published_at is not None
    with pytest.raises(ServiceError) as twice:
        services.publish(actor=tenant.lead, opportunity=opportunity)
    assert twice.value.status == 409


def test_publishing_is_refused_after_the_closing_date(tenant: Tenant) -> None:
    opportunity = OpportunityFactory.create(
        organisation=tenant.organisation,
        status=Opportunity.Status.SUBMITTED,
        closes_on=TODAY() - datetime.timedelta(days=1),
    )
    with pytest.raises(ServiceError) as refused:
        services.publish(actor=tenant.lead, opportunity=opportunity)
    assert refused.value.field == "closes_on"
    assert "closing date has passed" in refused.value.message
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.SUBMITTED


def test_editing_keeps_lists_and_refuses_a_start_before_the_closing_date(tenant: Tenant) -> None:
    opportunity = tenant.involvement.opportunity
    services.update_opportunity(
        actor=tenant.lead,
        opportunity=opportunity,
        details={"title": "A better title", "topics": [], "cancer_types": []},
    )
    opportunity.refresh_from_db()
    assert opportunity.title == "A better title"
    with pytest.raises(ServiceError) as refused:
        services.update_opportunity(
            actor=tenant.lead,
            opportunity=opportunity,
            details={"starts_on": opportunity.closes_on - datetime.timedelta(days=1)},
        )
    assert refused.value.field == "starts_on"


def test_a_member_expresses_interest_once(tenant: Tenant) -> None:
    opportunity = OpportunityFactory.create(organisation=tenant.organisation)
    person = tenant.member_person
    interest = services.express_interest(
        actor=tenant.member, opportunity=opportunity, person=person, note="I had surgery"
    )
    assert interest.status == Interest.Status.EXPRESSED
    assert interest.recorded_by == tenant.member
    with pytest.raises(ServiceError) as twice:
        services.express_interest(actor=tenant.member, opportunity=opportunity, person=person)
    assert twice.value.status == 409
    assert twice.value.message == "You have already expressed interest in this opportunity"
    event = AuditEvent.objects.get(action="interest.expressed", target_id=str(interest.pk))
    assert event.on_behalf_of is None


def test_staff_record_interest_on_someones_behalf(tenant: Tenant) -> None:
    opportunity = OpportunityFactory.create(organisation=tenant.organisation)
    person = PersonFactory.create(organisation=tenant.organisation)
    interest = services.express_interest(
        actor=tenant.lead, opportunity=opportunity, person=person, note="Rang the office"
    )
    event = AuditEvent.objects.get(action="interest.expressed", target_id=str(interest.pk))
    assert event.on_behalf_of == person
    assert interest.recorded_by == tenant.lead
    with pytest.raises(ServiceError) as twice:
        services.express_interest(actor=tenant.lead, opportunity=opportunity, person=person)
    assert (
        twice.value.message
        == f"{person.full_name} has already expressed interest in this opportunity"
    )


def test_interest_is_refused_after_the_closing_date_and_before_publishing(tenant: Tenant) -> None:
    closed = OpportunityFactory.create(
        organisation=tenant.organisation, closes_on=TODAY() - datetime.timedelta(days=1)
    )
    with pytest.raises(ServiceError) as late:
        services.express_interest(
            actor=tenant.member, opportunity=closed, person=tenant.member_person
        )
    assert "closing date for this opportunity was" in late.value.message
    waiting = OpportunityFactory.create(
        organisation=tenant.organisation, status=Opportunity.Status.SUBMITTED
    )
    with pytest.raises(ServiceError):
        services.express_interest(
            actor=tenant.member, opportunity=waiting, person=tenant.member_person
        )
    assert not Interest.objects.filter(opportunity__in=[closed, waiting]).exists()


def test_interest_from_another_organisation_is_refused(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    with pytest.raises(ServiceError):
        services.express_interest(
            actor=other_tenant.member,
            opportunity=tenant.involvement.opportunity,
            person=other_tenant.member_person,
        )


def test_withdrawing_and_coming_back(tenant: Tenant) -> None:
    interest = tenant.involvement.interest
    services.withdraw_interest(actor=tenant.member, interest=interest)
    interest.refresh_from_db()
    assert interest.status == Interest.Status.WITHDRAWN
    with pytest.raises(ServiceError) as again:
        services.withdraw_interest(actor=tenant.member, interest=interest)
    assert again.value.status == 409
    back = services.express_interest(
        actor=tenant.member,
        opportunity=interest.opportunity,
        person=tenant.member_person,
        note="I can come after all",
    )
    assert back.pk == interest.pk
    assert back.status == Interest.Status.EXPRESSED
    assert back.note == "I can come after all"


def test_selection_tells_the_person(tenant: Tenant) -> None:
    interest = tenant.involvement.interest
    services.decide(actor=tenant.lead, interest=interest, selected=True)
    interest.refresh_from_db()
    assert interest.status == Interest.Status.SELECTED
    assert interest.decided_by == tenant.lead
    assert interest.decided_at is not None
    told = Notification.objects.get(person=tenant.member_person)
    assert told.kind == Notification.Kind.SELECTION
    assert told.subject.startswith("You have been selected")
    assert told.path == f"/me/opportunities/{interest.opportunity_id}/"
    with pytest.raises(ServiceError) as twice:
        services.decide(actor=tenant.lead, interest=interest, selected=False)
    assert twice.value.status == 409


def test_not_being_selected_is_told_kindly(tenant: Tenant) -> None:
    services.decide(actor=tenant.lead, interest=tenant.involvement.interest, selected=False)
    told = Notification.objects.get(person=tenant.member_person)
    assert told.kind == Notification.Kind.SELECTION
    assert "Thank you" in told.body
    assert "other opportunities" in told.body


def test_closing_tells_everyone_still_waiting(tenant: Tenant) -> None:
    opportunity = tenant.involvement.opportunity
    chosen = Interest.objects.create(
        opportunity=opportunity,
        person=PersonFactory.create(organisation=tenant.organisation),
        status=Interest.Status.SELECTED,
    )
    services.end(actor=tenant.lead, opportunity=opportunity)
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.CLOSED
    waiting = Interest.objects.get(pk=tenant.involvement.interest.pk)
    assert waiting.status == Interest.Status.NOT_SELECTED
    told = Notification.objects.get(person=tenant.member_person)
    assert "Thank you" in told.body and "other opportunities" in told.body
    assert not Notification.objects.filter(person=chosen.person).exists()
    with pytest.raises(ServiceError):
        services.end(actor=tenant.lead, opportunity=opportunity)


def test_a_request_can_be_withdrawn_before_publishing(tenant: Tenant) -> None:
    opportunity = OpportunityFactory.create(
        organisation=tenant.organisation, status=Opportunity.Status.SUBMITTED
    )
    with pytest.raises(ServiceError):
        services.end(actor=tenant.lead, opportunity=opportunity)
    services.end(actor=tenant.lead, opportunity=opportunity, withdraw=True)
    assert Opportunity.objects.get(pk=opportunity.pk).status == Opportunity.Status.WITHDRAWN
    with pytest.raises(ServiceError) as frozen:
        services.update_opportunity(
            actor=tenant.lead, opportunity=opportunity, details={"title": "Too late"}
        )
    assert frozen.value.status == 409


def test_an_invitation_is_sent_once_and_only_with_consent(tenant: Tenant) -> None:
    opportunity = tenant.involvement.opportunity
    person = contactable_person(tenant.organisation)
    services.invite(actor=tenant.lead, opportunity=opportunity, person=person)
    told = Notification.objects.get(person=person)
    assert told.kind == Notification.Kind.OPPORTUNITY
    assert told.path == f"/me/opportunities/{opportunity.pk}/"
    with pytest.raises(ServiceError) as twice:
        services.invite(actor=tenant.lead, opportunity=opportunity, person=person)
    assert twice.value.message.endswith("has already been invited")
    silent = PersonFactory.create(organisation=tenant.organisation)
    with pytest.raises(ServiceError) as no_consent:
        services.invite(actor=tenant.lead, opportunity=opportunity, person=silent)
    assert "not agreed to be contacted" in no_consent.value.message
    assert Invitation.objects.filter(opportunity=opportunity).count() == 1


def test_export_lists_a_persons_interests(tenant: Tenant) -> None:
    exported = for_person(tenant.member_person)
    assert exported["interests"] == [
        {
            "opportunity": tenant.involvement.opportunity.title,
            "status": "Interested",
            "note": "",
            "expressed_at": tenant.involvement.interest.expressed_at.isoformat(),
            "decided_at": None,
        }
    ]
    assert exported["invitations"] == []
