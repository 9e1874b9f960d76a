import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from conftest import Tenant
from coproduce.payments.models import BenefitsAdvice, Budget, Claim, ClaimEvent, PaymentRate
from coproduce.payments.tests.factories import PDF_BYTES, attended, pdf

pytestmark = pytest.mark.django_db
Status = Claim.Status


def test_a_member_claims_with_a_receipt_and_sees_it(client: Client, tenant: Tenant) -> None:
    attendance = attended(tenant.member_person, datetime.date(2026, 5, 4), title="Leaflet review")
    client.force_login(tenant.member)
    page = client.get("/me/claims/new/").content.decode()
    assert "Leaflet review" in page
    assert 'enctype="multipart/form-data"' in page
    response = client.post(
        "/me/claims/new/",
        {
            "activity": attendance.activity.pk,
            "unit": "hour",
            "travel": "14.20",
            "benefits_advice": "on",
            "receipts": [pdf("train.pdf")],
        },
    )
    claim = Claim.objects.get(activity=attendance.activity)
    assert response.status_code == 302 and response["Location"] == f"/me/claims/{claim.pk}/"
    assert claim.total == Decimal("64.20")
    assert BenefitsAdvice.objects.filter(person=tenant.member_person).exists()
    detail = client.get(response["Location"]).content.decode()
    assert "train.pdf" in detail and "£64.20" in detail
    receipt = claim.receipts.get()
    download = client.get(f"/me/claims/{claim.pk}/receipts/{receipt.pk}/")
    assert download.getvalue() == PDF_BYTES
    assert download["Content-Disposition"].startswith("attachment")


def test_a_refused_claim_shows_the_reason_by_the_field(client: Client, tenant: Tenant) -> None:
    attendance = attended(tenant.member_person, datetime.date(2026, 5, 4))
    client.force_login(tenant.member)
    response = client.post(
        "/me/claims/new/",
        {"activity": attendance.activity.pk, "unit": "none", "travel": "75", "receipts": [pdf()]},
    )
    assert response.status_code == 200
    assert "can be claimed up to £60.00 for one activity" in response.content.decode()
    assert not Claim.objects.filter(activity=attendance.activity).exists()


def test_a_member_cannot_see_anothers_claim_or_receipt(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    client.force_login(other_tenant.member)
    claim = tenant.involvement.claim
    assert client.get(f"/me/claims/{claim.pk}/").status_code == 404
    assert (
        client.get(f"/me/claims/{claim.pk}/receipts/{tenant.involvement.receipt.pk}/").status_code
        == 404
    )


def test_a_member_answers_a_query(client: Client, tenant: Tenant) -> None:
    claim = tenant.involvement.claim
    client.force_login(tenant.lead)
    client.post(f"/payments/{claim.pk}/decide/", {"to": "queried", "note": "Which bus?"})
    # Staff can record the answer for someone who is not online; here the member answers.
    assert (
        "Record the person&#39;s answer"
        in client.get(f"/payments/{claim.pk}/decide/").content.decode()
    )
    client.force_login(tenant.member)
    page = client.get(f"/me/claims/{claim.pk}/answer/").content.decode()
    assert "Which bus?" in page
    client.post(f"/me/claims/{claim.pk}/answer/", {"note": "The number 12"})
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED


def test_the_approver_queue_lists_oldest_first_with_turnaround(
    client: Client, tenant: Tenant
) -> None:
    client.force_login(tenant.lead)
    page = client.get("/payments/").content.decode()
    assert f"Claim {tenant.involvement.claim.pk}" in page
    assert "Submitted (1)" in page
    assert "The standard is to pay within 4 to 6 weeks" in page


def test_an_approver_decides_and_a_note_is_needed_to_reject(client: Client, tenant: Tenant) -> None:
    claim = tenant.involvement.claim
    client.force_login(tenant.lead)
    refused = client.post(f"/payments/{claim.pk}/decide/", {"to": "rejected", "note": ""})
    assert "Enter the reason the claim is rejected" in refused.content.decode()
    client.post(f"/payments/{claim.pk}/decide/", {"to": "approved"})
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED
    assert ClaimEvent.objects.filter(
        claim=claim, status=Status.APPROVED, actor=tenant.lead
    ).exists()


def test_staff_claim_for_someone_and_cannot_approve_it(client: Client, tenant: Tenant) -> None:
    attendance = attended(tenant.member_person, datetime.date(2026, 5, 4), title="Panel interview")
    client.force_login(tenant.lead)
    found = client.get("/payments/new/", {"q": tenant.member_person.family_name}).content.decode()
    assert "Panel interview" in found
    response = client.post(
        "/payments/new/",
        {
            "q": tenant.member_person.family_name,
            "attendance": attendance.pk,
            "unit": "meeting",
            "benefits_advice": "on",
        },
    )
    assert "no payment rate per meeting in force" in response.content.decode()
    response = client.post(
        "/payments/new/",
        {
            "q": tenant.member_person.family_name,
            "attendance": attendance.pk,
            "unit": "hour",
            "benefits_advice": "on",
        },
    )
    claim = Claim.objects.get(activity=attendance.activity)
    assert response["Location"] == f"/payments/{claim.pk}/"
    assert claim.submitted_by == tenant.lead
    refused = client.post(f"/payments/{claim.pk}/decide/", {"to": "approved"})
    assert "cannot approve a claim you submitted" in refused.content.decode()


def test_export_downloads_and_marks_paid(client: Client, tenant: Tenant) -> None:
    claim = tenant.involvement.claim
    Claim.objects.filter(pk=claim.pk).update(status=Status.APPROVED)
    client.force_login(tenant.lead)
    assert "1 approved claim" in client.get("/payments/export/").content.decode()
    response = client.post("/payments/export/", {"format": "xlsx", "mark_paid": "on"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet.cell(row=2, column=1).value == claim.pk
    claim.refresh_from_db()
    assert claim.status == Status.PAID and claim.paid_at is not None
    csv = client.post("/payments/export/", {"format": "csv"})
    assert csv.content.decode("utf-8-sig").count("\n") == 1  # headings only: nothing approved now


def test_policy_pages_add_and_remove_a_future_rate(client: Client, tenant: Tenant) -> None:
    client.force_login(tenant.lead)
    start = datetime.date.today() + datetime.timedelta(days=10)
    client.post(
        "/payments/policy/rates/new/",
        {
            "organisation": tenant.organisation.pk,
            "unit": "hour",
            "amount": "30.00",
            "effective_from-day": start.day,
            "effective_from-month": start.month,
            "effective_from-year": start.year,
        },
    )
    rate = PaymentRate.objects.get(organisation=tenant.organisation, amount=Decimal("30.00"))
    page = client.get("/payments/policy/").content.decode()
    assert "In force" in page and "Takes effect" in page
    in_force = client.get(
        f"/payments/policy/rates/{tenant.involvement.rate.pk}/remove/"
    ).content.decode()
    assert "cannot be removed" in in_force
    client.post(f"/payments/policy/rates/{rate.pk}/remove/")
    assert not PaymentRate.objects.filter(pk=rate.pk).exists()


def test_budget_pages(client: Client, tenant: Tenant) -> None:
    client.force_login(tenant.lead)
    response = client.post(
        "/payments/budgets/new/",
        {
            "organisation": tenant.organisation.pk,
            "name": "Group budget 2026",
            "group": tenant.group.pk,
            "amount": "500",
            "starts_on-day": "1",
            "starts_on-month": "1",
            "starts_on-year": "2020",
            "ends_on-day": "31",
            "ends_on-month": "12",
            "ends_on-year": "2030",
        },
    )
    budget = Budget.objects.get(name="Group budget 2026")
    assert response["Location"] == f"/payments/budgets/{budget.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "£50.00 (waiting for a decision)" in page  # the fixture's submitted claim
    assert "£450.00" in page
    assert "Group budget 2026" in client.get("/payments/budgets/").content.decode()
