"""Claims in the JSON API, under the same access rules as the pages.

Staff with the right to manage claims list and read them for their organisations; a member's
token reads and makes their own. Receipts travel in the JSON body, base64-encoded, and are
checked by their content exactly as uploads through the pages are.
"""

import base64
import binascii
import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from coproduce.activities.models import Activity
from coproduce.api.auth import actor
from coproduce.api.pagination import Pages
from coproduce.api.schemas import Error
from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.errors import ServiceError
from coproduce.payments import pricing, services
from coproduce.payments.models import Claim
from coproduce.people.models import Person

router = Router(tags=["claims"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error, 422: Error}


class LineOut(Schema):
    kind: str
    description: str
    quantity: Decimal
    unit_amount: Decimal
    amount: Decimal


class EventOut(Schema):
    status: str
    note: str
    occurred_at: datetime.datetime


class ClaimOut(Schema):
    id: int
    person_id: int
    activity_id: int
    status: str
    total: Decimal
    submitted_at: datetime.datetime
    paid_at: datetime.datetime | None
    lines: list[LineOut]
    events: list[EventOut]
    receipts: list[str]

    @staticmethod
    def resolve_lines(obj: Claim) -> list[object]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_events(obj: Claim) -> list[object]:
        return list(obj.events.all())

    @staticmethod
    def resolve_receipts(obj: Claim) -> list[str]:
        return [receipt.original_name for receipt in obj.receipts.all()]


class ExpenseIn(Schema):
    kind: str
    amount: Decimal | None = None
    miles: Decimal | None = None


class ReceiptIn(Schema):
    name: str
    content_base64: str


class ClaimIn(Schema):
    activity_id: int
    person_id: int | None = None
    unit: str | None = None
    expenses: list[ExpenseIn] = []
    receipts: list[ReceiptIn] = []
    benefits_advice_confirmed: bool = False


class TransitionIn(Schema):
    to: str
    note: str = ""


def _claims() -> "QuerySet[Claim]":
    return Claim.objects.prefetch_related("lines", "events", "receipts")


def _receipt(receipt: ReceiptIn) -> SimpleUploadedFile:
    try:
        content = base64.b64decode(receipt.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ServiceError("Send each receipt's content as base64", field="receipts") from None
    return SimpleUploadedFile(receipt.name[-200:] or "receipt", content)


@router.get("", response=list[ClaimOut])
@paginate(Pages)
def list_claims(request: HttpRequest, status: str = ""):  # type: ignore[no-untyped-def]
    claims = access.scoped(request.user, _claims(), Permission.MANAGE_CLAIMS)
    return claims.filter(status=status) if status else claims


@router.get("/mine", response={200: list[ClaimOut], **ERRORS})
@paginate(Pages)
def my_claims(request: HttpRequest, status: str = ""):  # type: ignore[no-untyped-def]
    person = getattr(actor(request), "person", None)
    if person is None:
        raise PermissionDenied
    claims = _claims().filter(person=person)
    return claims.filter(status=status) if status else claims


def _readable(request: HttpRequest, claim_id: int, permission: Permission) -> Claim:
    """A claim the user may act on: their own as a member, or one in scope for `permission`."""
    person = getattr(actor(request), "person", None)
    if person is not None:
        own = _claims().filter(pk=claim_id, person=person).first()
        if own is not None:
            return own
    return access.get(request.user, _claims(), permission, pk=claim_id)


@router.get("/{claim_id}", response={200: ClaimOut, **ERRORS})
def get_claim(request: HttpRequest, claim_id: int) -> Claim:
    return _readable(request, claim_id, Permission.MANAGE_CLAIMS)


@router.post("", response={201: ClaimOut, **ERRORS})
def create_claim(request: HttpRequest, body: ClaimIn) -> Status[Claim]:
    user = actor(request)
    if body.person_id is None:
        person = getattr(user, "person", None)
        if person is None:
            raise ServiceError("Give the person_id of the person claiming", field="person_id")
        activity = get_object_or_404(
            Activity.objects.all(), pk=body.activity_id, organisation_id=person.organisation_id
        )
    else:
        person = access.get(
            request.user, Person.objects.all(), Permission.MANAGE_CLAIMS, pk=body.person_id
        )
        activity = access.get(
            request.user, Activity.objects.all(), Permission.MANAGE_CLAIMS, pk=body.activity_id
        )
    claim = services.create_claim(
        actor=user,
        person=person,
        activity=activity,
        unit=body.unit,
        expenses=[
            pricing.ExpenseClaimed(expense.kind, amount=expense.amount, miles=expense.miles)
            for expense in body.expenses
        ],
        receipts=[_receipt(receipt) for receipt in body.receipts],
        benefits_advice_confirmed=body.benefits_advice_confirmed,
    )
    return Status(201, _claims().get(pk=claim.pk))


@router.post("/{claim_id}/transition", response={200: ClaimOut, **ERRORS})
def transition_claim(request: HttpRequest, claim_id: int, body: TransitionIn) -> Claim:
    user = actor(request)
    if body.to == Claim.Status.SUBMITTED:
        # Answering a query: the person themselves, or staff who manage claims for them.
        claim = _readable(request, claim_id, Permission.MANAGE_CLAIMS)
        changed = services.answer_query(actor=user, claim=claim, note=body.note)
    else:
        claim = access.get(
            request.user, Claim.objects.all(), Permission.APPROVE_CLAIMS, pk=claim_id
        )
        changed = services.transition(actor=user, claim=claim, to=body.to, note=body.note)
    return _claims().get(pk=changed.pk)
