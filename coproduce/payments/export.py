"""A person's claims and benefits-advice confirmation, for a subject access request."""

from typing import Any

from coproduce.payments.models import BenefitsAdvice, Claim
from coproduce.payments.pricing import activity_date
from coproduce.people.models import Person


def for_person(person: Person) -> dict[str, Any]:
    """Everything the payments side holds about `person`, as JSON-ready values."""
    advice = BenefitsAdvice.objects.filter(person=person).first()
    claims = (
        Claim.objects.filter(person=person)
        .select_related("activity")
        .prefetch_related("lines", "events", "receipts")
        .order_by("submitted_at", "pk")
    )
    return {
        "benefits_advice_confirmed_at": advice.confirmed_at.isoformat() if advice else None,
        "claims": [
            {
                "id": claim.pk,
                "activity": claim.activity.title,
                "activity_date": activity_date(claim.activity).isoformat(),
                "status": claim.get_status_display(),
                "total": str(claim.total),
                "submitted_at": claim.submitted_at.isoformat(),
                "paid_at": claim.paid_at.isoformat() if claim.paid_at else None,
                "lines": [
                    {
                        "kind": line.get_kind_display(),
                        "description": line.description,
                        "quantity": str(line.quantity),
                        "unit_amount": str(line.unit_amount),
                        "amount": str(line.amount),
                    }
                    for line in claim.lines.all()
                ],
                "receipts": [receipt.original_name for receipt in claim.receipts.all()],
                "history": [
                    {
                        "status": event.get_status_display(),
                        "when": event.occurred_at.isoformat(),
                        "note": event.note,
                    }
                    for event in claim.events.all()
                ],
            }
            for claim in claims
        ],
    }
