"""A person's expressions of interest and invitations, for a subject access request."""

from typing import Any

from coproduce.opportunities.models import Interest, Invitation
from coproduce.people.models import Person


def for_person(person: Person) -> dict[str, Any]:
    return {
        "interests": [
            {
                "opportunity": interest.opportunity.title,
                "status": interest.get_status_display(),
                "note": interest.note,
                "expressed_at": interest.expressed_at.isoformat(),
                "decided_at": interest.decided_at.isoformat() if interest.decided_at else None,
            }
            for interest in Interest.objects.filter(person=person).select_related("opportunity")
        ],
        "invitations": [
            {
                "opportunity": invitation.opportunity.title,
                "invited_at": invitation.invited_at.isoformat(),
            }
            for invitation in Invitation.objects.filter(person=person).select_related("opportunity")
        ],
    }
