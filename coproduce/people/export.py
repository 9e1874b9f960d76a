"""Everything Coproduce holds about one person, for a UK GDPR subject access request."""

from typing import Any

from django.utils import timezone

from coproduce.activities import export as activities_export
from coproduce.asks import export as asks_export
from coproduce.core.models import AuditEvent
from coproduce.equality.models import EqualityResponse
from coproduce.impact import export as impact_export
from coproduce.notifications import export as notifications_export
from coproduce.opportunities import export as opportunities_export
from coproduce.payments import export as payments_export
from coproduce.people.models import Person
from coproduce.people.services import PROFILE_FIELDS

# Each app that holds records about a person adds its own section to the download.
SECTIONS = {
    "opportunities": opportunities_export,
    "activities": activities_export,
    "payments": payments_export,
    "notifications": notifications_export,
    "asks": asks_export,
    "questionnaires": impact_export,
}


def subject_access_export(person: Person) -> dict[str, Any]:
    equality = EqualityResponse.objects.filter(person=person).first()
    user = person.user
    return {
        "exported_at": timezone.now().isoformat(),
        "organisation": person.organisation.name,
        "profile": {name: getattr(person, name) for name in PROFILE_FIELDS}
        | {
            "created_at": person.created_at.isoformat(),
            "updated_at": person.updated_at.isoformat(),
        },
        "interests": {
            "support_needs": [str(item) for item in person.support_needs.all()],
            "topics": [str(item) for item in person.topics.all()],
            "cancer_types": [str(item) for item in person.cancer_types.all()],
            "pathway_stages": [str(item) for item in person.pathway_stages.all()],
        },
        "memberships": [
            {
                "group": membership.group.name,
                "role": membership.get_role_display(),
                "started_on": membership.started_on.isoformat(),
                "ended_on": membership.ended_on.isoformat() if membership.ended_on else None,
            }
            for membership in person.memberships.select_related("group")
        ],
        "consent": [
            {
                "kind": record.get_kind_display(),
                "given": record.given,
                "effective_on": record.effective_on.isoformat(),
                "recorded_at": record.recorded_at.isoformat(),
                "recorded_by": str(record.recorded_by) if record.recorded_by else None,
                "note": record.note,
            }
            for record in person.consent_records.select_related("recorded_by")
        ],
        "equality_monitoring": (
            {
                name: getattr(equality, f"get_{name}_display")()
                for name in EqualityResponse.QUESTIONS
                if getattr(equality, name)
            }
            if equality
            else None
        ),
        "sign_in": (
            {
                "username": user.get_username(),
                "last_signed_in": user.last_login.isoformat() if user.last_login else None,
                "roles": [
                    {
                        "organisation": assignment.organisation.name,
                        "role": assignment.get_role_display(),
                    }
                    for assignment in user.role_assignments.select_related("organisation")
                ],
            }
            if user
            else None
        ),
        "activity_log": [
            {
                "when": event.occurred_at.isoformat(),
                "who": event.actor_label,
                "what": event.summary,
            }
            for event in AuditEvent.objects.about_person(person.pk)
        ],
    } | {section: module.for_person(person) for section, module in SECTIONS.items()}
