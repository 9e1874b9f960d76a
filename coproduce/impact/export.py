"""The questionnaires a person was sent, for their subject access download.

Their answers are not included because they are not linked to them (ADR 0010): nobody, the
person included, can pick out which response was theirs.
"""

from typing import Any

from coproduce.impact.models import Invitation
from coproduce.people.models import Person


def for_person(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "questionnaire": invitation.questionnaire.title,
            "about": invitation.activity.title if invitation.activity else None,
            "sent_at": invitation.sent_at.isoformat(),
            "answered_at": invitation.answered_at.isoformat() if invitation.answered_at else None,
        }
        for invitation in Invitation.objects.filter(person=person)
        .select_related("questionnaire", "activity")
        .order_by("sent_at", "pk")
    ]
