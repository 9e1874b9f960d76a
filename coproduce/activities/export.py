"""A person's activities, attendance and actions, for a UK GDPR subject access request."""

from typing import Any

from coproduce.people.models import Person


def for_person(person: Person) -> dict[str, Any]:
    return {
        "registrations": [
            {
                "activity": registration.activity.title,
                "starts_at": registration.activity.starts_at.isoformat(),
                "status": registration.get_status_display(),
                "support_needed": registration.support_needed,
                "registered_at": registration.created_at.isoformat(),
                "reminded_at": (
                    registration.reminded_at.isoformat() if registration.reminded_at else None
                ),
            }
            for registration in person.registrations.select_related("activity").order_by(
                "activity__starts_at", "pk"
            )
        ],
        "attendance": [
            {
                "activity": row.activity.title,
                "starts_at": row.activity.starts_at.isoformat(),
                "attended": row.attended,
                "hours": str(row.hours),
            }
            for row in person.attendance.select_related("activity").order_by(
                "activity__starts_at", "pk"
            )
        ],
        "actions": [
            {
                "activity": action.activity.title,
                "description": action.description,
                "due_on": action.due_on.isoformat(),
                "done_on": action.done_on.isoformat() if action.done_on else None,
            }
            for action in person.actions.select_related("activity").order_by("due_on", "pk")
        ],
    }
