import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import Tenant
from coproduce.core.errors import ServiceError
from coproduce.core.models import AuditEvent
from coproduce.factories import ClaimFactory, ExpenseRuleFactory
from coproduce.notifications.models import Notification
from coproduce.payments import services
from coproduce.payments.models import BenefitsAdvice, Claim, ClaimEvent, Receipt
from coproduce.payments.pricing import ExpenseClaimed
from coproduce.payments.tests.factories import PNG_BYTES, attended, pdf

pytestmark = pytest.mark.django_db
Status = Claim.Status


def make_claim(tenant: Tenant, *, by=None, unit="hour", **kwargs) -> Claim:
    attendance = attended(tenant.member_person, datetime.date(2025, 5, 1))
    BenefitsAdvice.objects.get_or_create(person=tenant.member_person)
    return services.create_claim(
        actor=by or tenant.member,
        person=tenant.member_person,
        activity=attendance.activity,
        unit=unit,
        expenses=kwargs.pop("expenses", [ExpenseClaimed("travel", amount=Decimal("12.40"))]),
        receipts=kwargs.pop("receipts", [pdf()]),
        **kwargs,
    )


def test_a_claim_is_priced_into_lines_with_its_receipts_and_history(tenant: Tenant) -> None:
    claim = make_claim(tenant)
    assert claim.status == Status.SUBMITTED
    assert claim.total == Decimal("62.40")  # 2 hours at £25 and £12.40 travel
    assert [(line.kind, line.amount) for line in claim.lines.all()] == [
        ("payment", Decimal("50.00")),
        ("travel", Decimal("12.40")),
    ]
    receipt = claim.receipts.get()
    assert (receipt.content_type, receipt.original_name) == ("application/pdf", "receipt.pdf")
    assert list(claim.events.values_list("status", "actor")) == [
        (Status.SUBMITTED, tenant.member.pk)
    ]
    notice = Notification.objects.get(person=tenant.member_person)
    assert notice.kind == Notification.Kind.CLAIM
    assert notice.path == f"/me/claims/{claim.pk}/"
    assert AuditEvent.objects.filter(action="claim.submitted", target_id=str(claim.pk)).exists()


def test_a_second_claim_for_the_same_activity_is_refused(tenant: Tenant) -> None:
    claim = make_claim(tenant)
    with pytest.raises(ServiceError, match="already claimed for this activity") as refused:
        services.create_claim(
            actor=tenant.member,
            person=tenant.member_person,
            activity=claim.activity,
            unit="hour",
            expenses=[],
            receipts=[],
        )
    assert refused.value.status == 409


def test_only_an_activity_the_person_attended_can_be_claimed(tenant: Tenant) -> None:
    attendance = attended(tenant.member_person, datetime.date(2025, 5, 1))
    attendance.attended = False
    attendance.save()
    with pytest.raises(ServiceError, match="not recorded as attending"):
        services.create_claim(
            actor=tenant.member,
            person=tenant.member_person,
            activity=attendance.activity,
            unit=None,
            expenses=[ExpenseClaimed("travel", amount=Decimal(5))],
            receipts=[pdf()],
        )
    assert not Claim.objects.filter(activity=attendance.activity).exists()


def test_a_payment_needs_benefits_advice_but_expenses_alone_do_not(tenant: Tenant) -> None:
    first = attended(tenant.member_person, datetime.date(2025, 5, 1))
    second = attended(tenant.member_person, datetime.date(2025, 5, 2))
    with pytest.raises(ServiceError, match="benefits advice") as refused:
        services.create_claim(
            actor=tenant.member,
            person=tenant.member_person,
            activity=first.activity,
            unit="hour",
            expenses=[],
            receipts=[],
        )
    assert refused.value.field == "benefits_advice"
    expenses_only = services.create_claim(
        actor=tenant.member,
        person=tenant.member_person,
        activity=first.activity,
        unit=None,
        expenses=[ExpenseClaimed("travel", amount=Decimal(8))],
        receipts=[pdf()],
    )
    assert expenses_only.total == Decimal("8.00")
    assert not BenefitsAdvice.objects.filter(person=tenant.member_person).exists()
    # Staff confirming on the person's behalf, as part of a claim, records it once.
    paid = services.create_claim(
        actor=tenant.lead,
        person=tenant.member_person,
        activity=second.activity,
        unit="hour",
        expenses=[],
        receipts=[],
        benefits_advice_confirmed=True,
    )
    assert paid.total == Decimal("50.00")
    advice = BenefitsAdvice.objects.get(person=tenant.member_person)
    assert advice.recorded_by == tenant.lead
    assert (
        AuditEvent.objects.get(action="benefits_advice.confirmed").on_behalf_of
        == tenant.member_person
    )


def test_a_file_that_is_not_a_receipt_is_refused_whatever_its_name(tenant: Tenant) -> None:
    fake = SimpleUploadedFile(
        "receipt.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf"
    )
    with pytest.raises(ServiceError, match="must be a PDF, a JPEG photo or a PNG image") as refused:
        make_claim(tenant, receipts=[fake])
    assert refused.value.field == "receipts"
    assert not Claim.objects.filter(person=tenant.member_person, total__gt=50).exists()
    assert Receipt.objects.count() == 1  # only the fixture's


def test_a_receipt_that_is_too_large_is_refused(tenant: Tenant) -> None:
    big = SimpleUploadedFile("scan.png", PNG_BYTES + b"\x00" * settings.UPLOAD_MAX_BYTES)
    with pytest.raises(ServiceError, match="smaller than 10 MB"):
        make_claim(tenant, receipts=[big])


def test_several_receipts_are_kept(tenant: Tenant) -> None:
    claim = make_claim(
        tenant, receipts=[pdf("train.pdf"), SimpleUploadedFile("taxi.png", PNG_BYTES)]
    )
    assert sorted(claim.receipts.values_list("original_name", "content_type")) == [
        ("taxi.png", "image/png"),
        ("train.pdf", "application/pdf"),
    ]


# The state machine.

ALL = list(Status.values)
ALLOWED = {
    (Status.SUBMITTED, Status.QUERIED),
    (Status.SUBMITTED, Status.APPROVED),
    (Status.SUBMITTED, Status.REJECTED),
    (Status.QUERIED, Status.SUBMITTED),
    (Status.QUERIED, Status.APPROVED),
    (Status.QUERIED, Status.REJECTED),
    (Status.APPROVED, Status.PAID),
}


@pytest.mark.parametrize(("start", "to"), [(a, b) for a in ALL for b in ALL])
def test_every_transition_is_allowed_or_refused(tenant: Tenant, start: str, to: str) -> None:
    claim = tenant.involvement.claim
    Claim.objects.filter(pk=claim.pk).update(status=start)
    claim.refresh_from_db()
    if (start, to) in ALLOWED:
        changed = services.transition(actor=tenant.lead, claim=claim, to=to, note="A note")
        assert changed.status == to
        event = ClaimEvent.objects.get(claim=claim)
        assert (event.status, event.note, event.actor) == (to, "A note", tenant.lead)
        assert (
            Notification.objects.filter(
                person=tenant.member_person, kind="claim", path=f"/me/claims/{claim.pk}/"
            ).count()
            == 1
        )
        assert (changed.paid_at is not None) == (to == Status.PAID)
    else:
        with pytest.raises(ServiceError, match="cannot be"):
            services.transition(actor=tenant.lead, claim=claim, to=to, note="A note")
        claim.refresh_from_db()
        assert claim.status == start
        assert not ClaimEvent.objects.filter(claim=claim).exists()


@pytest.mark.parametrize("to", [Status.QUERIED, Status.REJECTED])
def test_a_query_or_rejection_needs_a_note(tenant: Tenant, to: str) -> None:
    with pytest.raises(ServiceError, match="Enter the") as refused:
        services.transition(actor=tenant.lead, claim=tenant.involvement.claim, to=to, note="  ")
    assert refused.value.field == "note"


def test_a_query_is_answered_and_the_claim_goes_back_for_approval(tenant: Tenant) -> None:
    claim = tenant.involvement.claim
    services.transition(actor=tenant.lead, claim=claim, to=Status.QUERIED, note="Which station?")
    with pytest.raises(ServiceError, match="Enter your answer"):
        services.answer_query(actor=tenant.member, claim=claim, note="")
    answered = services.answer_query(actor=tenant.member, claim=claim, note="Shrewsbury")
    assert answered.status == Status.SUBMITTED
    assert list(claim.events.values_list("status", "note")) == [
        (Status.QUERIED, "Which station?"),
        (Status.SUBMITTED, "Shrewsbury"),
    ]
    with pytest.raises(ServiceError, match="no question to answer"):
        services.answer_query(actor=tenant.member, claim=claim, note="Again")


def test_nobody_approves_a_claim_they_submitted_for_someone(tenant: Tenant) -> None:
    claim = make_claim(tenant, by=tenant.lead)
    with pytest.raises(ServiceError, match="cannot approve a claim you submitted") as refused:
        services.transition(actor=tenant.lead, claim=claim, to=Status.APPROVED)
    assert refused.value.status == 403
    from coproduce.core.roles import Role

    approved = services.transition(
        actor=tenant.users[Role.ADMINISTRATOR], claim=claim, to=Status.APPROVED
    )
    assert approved.status == Status.APPROVED


def test_marking_paid_records_an_event_for_each(tenant: Tenant) -> None:
    claims = [tenant.involvement.claim, ClaimFactory.create(activity=tenant.involvement.activity)]
    for claim in claims:
        services.transition(actor=tenant.lead, claim=claim, to=Status.APPROVED)
    assert services.mark_paid(actor=tenant.lead, claims=claims, note="Paid in the June run") == 2
    assert ClaimEvent.objects.filter(status=Status.PAID, note="Paid in the June run").count() == 2
    assert set(
        Claim.objects.filter(pk__in=[c.pk for c in claims]).values_list("status", flat=True)
    ) == {Status.PAID}


def test_policy_can_only_be_removed_before_it_takes_effect(tenant: Tenant) -> None:
    with pytest.raises(ServiceError, match="took effect on 1 January 2024"):
        services.remove_rate(actor=tenant.lead, rate=tenant.involvement.rate)
    future = services.add_rate(
        actor=tenant.lead,
        organisation=tenant.organisation,
        unit="hour",
        amount=Decimal("30"),
        effective_from=datetime.date.today() + datetime.timedelta(days=30),
    )
    services.remove_rate(actor=tenant.lead, rate=future)
    assert not type(future).objects.filter(pk=future.pk).exists()
    rule = ExpenseRuleFactory.create(
        organisation=tenant.organisation,
        effective_from=datetime.date.today() + datetime.timedelta(days=1),
    )
    services.remove_rule(actor=tenant.lead, rule=rule)
    with pytest.raises(ServiceError, match="cannot be removed"):
        services.remove_rule(actor=tenant.lead, rule=tenant.involvement.rule)


def test_a_second_rate_on_the_same_day_is_refused(tenant: Tenant) -> None:
    with pytest.raises(ServiceError, match="already a rate") as refused:
        services.add_rate(
            actor=tenant.lead,
            organisation=tenant.organisation,
            unit="hour",
            amount=Decimal("30"),
            effective_from=datetime.date(2024, 1, 1),
        )
    assert refused.value.field == "effective_from"
    with pytest.raises(ServiceError, match="Enter the rate per mile"):
        services.add_rule(
            actor=tenant.lead,
            organisation=tenant.organisation,
            kind="mileage",
            limit=None,
            rate_per_mile=None,
            receipt_required=False,
            effective_from=datetime.date(2025, 1, 1),
        )


def test_an_approver_who_answered_a_query_for_the_person_cannot_also_approve(
    tenant: Tenant,
) -> None:
    from coproduce.core.errors import ServiceError
    from coproduce.payments import services as claim_services

    claim = tenant.involvement.claim
    claim_services.transition(actor=tenant.lead, claim=claim, to="queried", note="Which train?")
    claim_services.answer_query(actor=tenant.lead, claim=claim, note="The 09:10 from Leeds")
    with pytest.raises(ServiceError, match="cannot approve"):
        claim_services.transition(actor=tenant.lead, claim=claim, to="approved")
    administrator = tenant.users["administrator"]
    approved = claim_services.transition(actor=administrator, claim=claim, to="approved")
    assert approved.status == "approved"
