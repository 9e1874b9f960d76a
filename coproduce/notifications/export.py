"""A person's notifications and email preference, for their subject access download."""

from typing import Any

from coproduce.notifications import services
from coproduce.notifications.models import Notification
from coproduce.people.models import Person


def for_person(person: Person) -> dict[str, Any]:
    return {
        "email_preference": services.frequency_for(person),
        "notifications": [
            {
                "kind": item.get_kind_display(),
                "subject": item.subject,
                "body": item.body,
                "created_at": item.created_at.isoformat(),
                "emailed_at": item.emailed_at.isoformat() if item.emailed_at else None,
                "read_at": item.read_at.isoformat() if item.read_at else None,
            }
            for item in Notification.objects.filter(person=person).order_by("created_at", "id")
        ],
    }
