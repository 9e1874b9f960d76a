import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from conftest import Tenant
from coproduce.asks import measures, services
from coproduce.asks.models import Ask, AskUpdate, Contribution, Domain, Evidence, Status
from coproduce.core.errors import ServiceError
from coproduce.core.models import AuditEvent
from coproduce.core.roles import Role
from coproduce.factories import ConsentFactory, PersonFactory, RegistrationFactory
from coproduce.notifications.models import Notification
from coproduce.people.models import ConsentKind, Person

CHANGED = {
    "outcome": "Clinic letters are now printed in 16 point type",
    "domain": Domain.PATIENT_INFORMATION,
    "scope": "local",
    "took_effect_on": datetime.date(2026, 3, 1),
}


def raise_one(tenant: Tenant, **details: object) -> Ask:
    owner = PersonFactory.create(organisation=tenant.organisation, kind=Person.Kind.STAFF)
    return services.raise_ask(
        actor=tenant.lead,
        organisation=tenant.organisation,
        details={"title": "Quieter waiting room", "what_was_said": "It is loud", "owner": owner}
        | details,
        raised_by=tenant.member_person,
    )


def walk(tenant: Tenant, ask: Ask, *statuses: str) -> Ask:
    for status in statuses:
        ask = services.move(
            actor=tenant.lead,
            ask=ask,
            status=status,
            outcome=CHANGED if status == Status.CHANGED else {"reason": "No budget this year"},
        )
    return ask


@pytest.mark.django_db
def test_raising_records_the_raiser_as_contributor_and_starts_the_timeline(tenant: Tenant) -> None:
    ask = raise_one(tenant)
    assert ask.status == Status.RAISED
    contribution = Contribution.objects.get(ask=ask)
    assert contribution.person == tenant.member_person and contribution.raised_it
    assert list(ask.updates.values_list("status", flat=True)) == [Status.RAISED]
    assert Notification.objects.filter(person=ask.owner, path=f"/asks/{ask.pk}/").exists()
    assert AuditEvent.objects.filter(action="ask.raised", target_id=str(ask.pk)).exists()


@pytest.mark.django_db
def test_the_flow_runs_from_raised_to_changed_and_closed(tenant: Tenant) -> None:
    ask = walk(
        tenant,
        raise_one(tenant),
        Status.UNDER_CONSIDERATION,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.CHANGED,
        Status.CLOSED,
    )
    assert ask.status == Status.CLOSED
    assert ask.progress == 100
    assert ask.domain == Domain.PATIENT_INFORMATION and ask.level == "grass_roots"
    assert ask.answered_at is not None
    assert list(ask.updates.values_list("status", flat=True)) == [
        "raised",
        "under_consideration",
        "accepted",
        "in_progress",
        "changed",
        "closed",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "target"),
    [
        ((), Status.CHANGED),
        ((), Status.ACCEPTED),
        ((Status.UNDER_CONSIDERATION,), Status.IN_PROGRESS),
        ((Status.UNDER_CONSIDERATION, Status.NOT_POSSIBLE), Status.ACCEPTED),
        ((), Status.RAISED),
    ],
)
def test_moves_that_skip_the_flow_are_refused_and_change_nothing(
    tenant: Tenant, path: tuple[str, ...], target: str
) -> None:
    ask = walk(tenant, raise_one(tenant), *path)
    before = (ask.status, ask.updates.count(), Notification.objects.count())
    with pytest.raises(ServiceError) as refused:
        services.move(actor=tenant.lead, ask=ask, status=target, outcome=CHANGED)
    assert refused.value.status == 409
    assert "can only move to" in refused.value.message
    ask.refresh_from_db()
    assert (ask.status, ask.updates.count(), Notification.objects.count()) == before


@pytest.mark.django_db
def test_a_closed_ask_cannot_move(tenant: Tenant) -> None:
    ask = walk(tenant, raise_one(tenant), Status.NOT_POSSIBLE, Status.CLOSED)
    with pytest.raises(ServiceError, match="closed"):
        services.move(actor=tenant.lead, ask=ask, status=Status.RAISED)


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_not_possible_needs_a_reason(tenant: Tenant, reason: str) -> None:
    ask = raise_one(tenant)
    with pytest.raises(ServiceError) as refused:
        services.move(
            actor=tenant.lead, ask=ask, status=Status.NOT_POSSIBLE, outcome={"reason": reason}
        )
    assert refused.value.field == "reason"
    ask.refresh_from_db()
    assert ask.status == Status.RAISED and ask.updates.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("missing", "field"),
    [
        ({"outcome": ""}, "outcome"),
        ({"domain": "weather"}, "domain"),
        ({"scope": ""}, "scope"),
        ({"took_effect_on": None}, "took_effect_on"),
        ({"took_effect_on": timezone.localdate() + datetime.timedelta(days=3)}, "took_effect_on"),
    ],
)
def test_changed_needs_what_changed_its_domain_scope_and_date(
    tenant: Tenant, missing: dict[str, object], field: str
) -> None:
    ask = walk(tenant, raise_one(tenant), Status.UNDER_CONSIDERATION, Status.ACCEPTED)
    ask = walk(tenant, ask, Status.IN_PROGRESS)
    with pytest.raises(ServiceError) as refused:
        services.move(actor=tenant.lead, ask=ask, status=Status.CHANGED, outcome=CHANGED | missing)
    assert refused.value.field == field
    ask.refresh_from_db()
    assert ask.status == Status.IN_PROGRESS and not ask.outcome


@pytest.mark.django_db
def test_every_contributor_is_told_of_each_move_and_hears_the_reason(tenant: Tenant) -> None:
    ask = raise_one(tenant)
    other = PersonFactory.create(organisation=tenant.organisation)
    services.add_contributor(actor=tenant.lead, ask=ask, person=other)
    services.move(
        actor=tenant.lead,
        ask=ask,
        status=Status.NOT_POSSIBLE,
        outcome={"reason": "The building is listed, so the windows cannot change"},
    )
    for person in (tenant.member_person, other):
        told = Notification.objects.filter(person=person, kind=Notification.Kind.CHANGE).first()
        assert told is not None
        assert told.subject == "Not possible: Quieter waiting room"
        assert "The building is listed" in told.body
        assert told.path == f"/me/asks/{ask.pk}/"
    statuses = Contribution.objects.filter(ask=ask).values_list("told_status", flat=True)
    assert set(statuses) == {"not_possible"}


@pytest.mark.django_db
def test_only_the_owner_or_the_lead_may_answer(tenant: Tenant) -> None:
    staff = tenant.users[Role.STAFF]
    ask = raise_one(tenant)
    with pytest.raises(ServiceError) as refused:
        services.move(actor=staff, ask=ask, status=Status.UNDER_CONSIDERATION)
    assert refused.value.status == 403
    assert ask.owner is not None
    ask.owner.user = staff
    ask.owner.save()
    moved = services.move(actor=staff, ask=ask, status=Status.UNDER_CONSIDERATION)
    assert moved.status == Status.UNDER_CONSIDERATION
    assert AskUpdate.objects.filter(ask=ask).last().moved_by == staff  # type: ignore[union-attr]


@pytest.mark.django_db
def test_a_quote_needs_the_consent_of_the_person_who_said_it(tenant: Tenant) -> None:
    with pytest.raises(ServiceError) as refused:
        raise_one(tenant, quote="I could not read the letter at all")
    assert refused.value.field == "quote"
    assert not Ask.objects.filter(title="Quieter waiting room").exists()
    ConsentFactory.create(person=tenant.member_person, kind=ConsentKind.SHARE_STORY)
    assert raise_one(tenant, quote="I could not read the letter at all").quote


@pytest.mark.django_db
def test_the_owner_must_be_staff_of_the_same_organisation(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    for owner in (
        tenant.member_person,
        PersonFactory.create(organisation=other_tenant.organisation, kind=Person.Kind.STAFF),
    ):
        with pytest.raises(ServiceError) as refused:
            raise_one(tenant, owner=owner)
        assert refused.value.field == "owner"


@pytest.mark.django_db
def test_a_member_raises_from_a_meeting_they_were_at_and_the_lead_hears(tenant: Tenant) -> None:
    ask = services.member_raise(
        actor=tenant.member,
        person=tenant.member_person,
        details={"title": "Parking", "what_was_said": "There is never a space"},
        activity=tenant.involvement.activity,
    )
    assert ask.owner is None and ask.group == tenant.group
    assert list(ask.activities.all()) == [tenant.involvement.activity]
    lead_person = PersonFactory.create(organisation=tenant.organisation, user=tenant.lead)
    services.member_raise(
        actor=tenant.member,
        person=tenant.member_person,
        details={"title": "Signs", "what_was_said": "Hard to find the unit"},
    )
    assert Notification.objects.filter(person=lead_person, path__startswith="/asks/").exists()


@pytest.mark.django_db
def test_a_member_cannot_raise_from_a_meeting_they_were_not_at(tenant: Tenant) -> None:
    stranger = PersonFactory.create(organisation=tenant.organisation)
    with pytest.raises(ServiceError):
        services.member_raise(
            actor=tenant.member,
            person=stranger,
            details={"title": "Parking", "what_was_said": "No spaces"},
            activity=tenant.involvement.activity,
        )
    RegistrationFactory.create(activity=tenant.involvement.activity, person=stranger)
    assert services.member_raise(
        actor=tenant.member,
        person=stranger,
        details={"title": "Parking", "what_was_said": "No spaces"},
        activity=tenant.involvement.activity,
    )


@pytest.mark.django_db
def test_evidence_of_the_wrong_type_is_refused_and_nothing_is_saved(tenant: Tenant) -> None:
    ask = raise_one(tenant)
    fake = SimpleUploadedFile("leaflet.pdf", b"MZ\x90\x00 this is a program", "application/pdf")
    with pytest.raises(ServiceError) as refused:
        services.add_evidence(
            actor=tenant.lead, ask=ask, kind=Evidence.Kind.FILE, title="Leaflet", upload=fake
        )
    assert refused.value.field == "file"
    assert not ask.evidence.exists()


@pytest.mark.django_db
@override_settings(UPLOAD_MAX_BYTES=100)
def test_evidence_over_the_size_limit_is_refused(tenant: Tenant) -> None:
    ask = raise_one(tenant)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4 " + b"x" * 200, "application/pdf")
    with pytest.raises(ServiceError):
        services.add_evidence(
            actor=tenant.lead, ask=ask, kind=Evidence.Kind.FILE, title="Big", upload=big
        )
    assert not ask.evidence.exists()


@pytest.mark.django_db
def test_evidence_of_each_kind(tenant: Tenant) -> None:
    ask = raise_one(tenant)
    pdf = SimpleUploadedFile("leaflet.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")
    services.add_evidence(
        actor=tenant.lead, ask=ask, kind=Evidence.Kind.FILE, title="Leaflet", upload=pdf
    )
    services.add_evidence(
        actor=tenant.lead, ask=ask, kind="link", title="Web page", url="https://example.org/a"
    )
    services.add_evidence(
        actor=tenant.lead, ask=ask, kind="before_after", title="Signs", before="No", after="Yes"
    )
    with pytest.raises(ServiceError) as refused:
        services.add_evidence(
            actor=tenant.lead, ask=ask, kind="before_after", title="x", before="a"
        )
    assert refused.value.field == "after"
    assert ask.evidence.count() == 3


@pytest.mark.django_db
@override_settings(SMALL_NUMBER_THRESHOLD=2)
def test_hearing_back_counts_contributions_told_an_answer(tenant: Tenant) -> None:
    Ask.objects.all().delete()
    first, second = raise_one(tenant), raise_one(tenant, title="Second")
    services.add_contributor(
        actor=tenant.lead, ask=first, person=PersonFactory.create(organisation=tenant.organisation)
    )
    services.move(actor=tenant.lead, ask=first, status=Status.UNDER_CONSIDERATION)
    loop = measures.loops(Ask.objects.all())[tenant.organisation.pk]
    assert (loop.asks, loop.answered, loop.contributions, loop.heard_back) == (2, 1, 3, 2)
    assert loop.contributors == 2
    assert loop.heard_back_percent == 67
    assert second.status == Status.RAISED


@pytest.mark.django_db
def test_hearing_back_is_not_shown_for_a_few_people(tenant: Tenant) -> None:
    Ask.objects.all().delete()
    raise_one(tenant)
    loop = measures.loops(Ask.objects.all())[tenant.organisation.pk]
    assert loop.few_people
    assert loop.heard_back_percent is None
    assert "fewer than 5" in loop.heard_back_text


@pytest.mark.django_db
def test_asks_waiting_too_long_are_chased_once_a_week(tenant: Tenant) -> None:
    Ask.objects.all().delete()
    ask = raise_one(tenant)
    Ask.objects.filter(pk=ask.pk).update(raised_at=timezone.now() - datetime.timedelta(days=40))
    lead_person = PersonFactory.create(organisation=tenant.organisation, user=tenant.lead)
    assert services.remind_unanswered() == 1
    assert services.remind_unanswered() == 0  # not again the same week
    reminded = Notification.objects.filter(kind=Notification.Kind.REMINDER)
    assert set(reminded.values_list("person", flat=True)) == {lead_person.pk, ask.owner_id}
    assert measures.loops(Ask.objects.all())[tenant.organisation.pk].waiting_too_long == 1
    later = timezone.now() + datetime.timedelta(days=8)
    assert services.remind_unanswered(later) == 1
    services.move(actor=tenant.lead, ask=ask, status=Status.UNDER_CONSIDERATION)
    assert services.remind_unanswered(later + datetime.timedelta(days=8)) == 0
