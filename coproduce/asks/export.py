"""What a person raised or contributed to, for their subject access download."""

from typing import Any

from coproduce.asks.models import Contribution
from coproduce.people.models import Person


def for_person(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "ask": contribution.ask.title,
            "what_was_said": contribution.ask.what_was_said if contribution.raised_it else None,
            "quote": contribution.ask.quote if contribution.raised_it else None,
            "raised_it": contribution.raised_it,
            "status": contribution.ask.get_status_display(),
            "last_told": contribution.told_status,
            "told_at": contribution.told_at.isoformat() if contribution.told_at else None,
        }
        for contribution in Contribution.objects.filter(person=person)
        .select_related("ask")
        .order_by("ask__raised_at", "pk")
    ]
