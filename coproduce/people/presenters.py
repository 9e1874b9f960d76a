"""Turn a person's record into the rows the NHS.UK summary list shows."""

from typing import Any

from coproduce.core.presenters import format_date
from coproduce.people.models import ConsentKind, ConsentRecord, Person


def consent_rows(person: Person) -> list[dict[str, Any]]:
    rows = []
    for kind, record in person.current_consent().items():
        rows.append(
            {"key": {"text": ConsentKind(kind).label}, "value": {"text": consent_state(record)}}
        )
    return rows


def consent_state(record: ConsentRecord | None) -> str:
    if record is None:
        return "Not asked yet"
    verb = "Given" if record.given else "Withdrawn"
    return f"{verb} on {format_date(record.effective_on)}"


def _names(items: Any) -> str:
    return ", ".join(str(item) for item in items) or "None recorded"


def profile_rows(
    person: Person, *, show_health: bool, change_url: str | None = None
) -> list[dict[str, Any]]:
    def row(key: str, value: str, *, changeable: bool = True) -> dict[str, Any]:
        result: dict[str, Any] = {"key": {"text": key}, "value": {"text": value or "Not given"}}
        if change_url and changeable:
            result["actions"] = {
                "items": [{"href": change_url, "text": "Change", "visuallyHiddenText": key.lower()}]
            }
        return result

    return [
        row("Name", person.full_name),
        row("Kind", person.get_kind_display(), changeable=False),
        row("Email address", person.email),
        row("Phone number", person.phone),
        row("Address", ", ".join(part for part in (person.address, person.postcode) if part)),
        row("Preferred contact", person.get_preferred_contact_display()),
        row("Help to take part", person.accessibility_needs),
        row("Skills and experience", person.skills_and_experience),
    ]


def interest_rows(person: Person, *, show_health: bool) -> list[dict[str, Any]]:
    rows = [
        {"key": {"text": "Support needed"}, "value": {"text": _names(person.support_needs.all())}},
        {"key": {"text": "Topics"}, "value": {"text": _names(person.topics.all())}},
    ]
    if show_health:
        rows += [
            {"key": {"text": "Cancer types"}, "value": {"text": _names(person.cancer_types.all())}},
            {
                "key": {"text": "Stages of care"},
                "value": {"text": _names(person.pathway_stages.all())},
            },
        ]
    return rows


def membership_rows(person: Person) -> list[dict[str, str]]:
    return [
        {
            "group": membership.group.name,
            "group_id": str(membership.group_id),
            "role": membership.get_role_display(),
            "dates": f"{format_date(membership.started_on)} to {format_date(membership.ended_on, 'now')}",
            "current": "Current" if membership.is_current else "Past",
        }
        for membership in person.memberships.select_related("group").order_by("-started_on")
    ]
