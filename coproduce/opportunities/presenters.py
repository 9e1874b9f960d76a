"""An opportunity's attributes as NHS.UK summary-list rows, for staff and members alike."""

from typing import Any

from django.utils import formats

from coproduce.activities.models import Area
from coproduce.opportunities.models import Interest, Opportunity
from coproduce.people.models import Availability


def _row(key: str, value: str) -> dict[str, Any]:
    return {"key": {"text": key}, "value": {"text": value}}


def _names(items: Any, empty: str) -> str:
    names = [str(item) for item in items]
    return ", ".join(names) if names else empty


def _date(value: Any, empty: str) -> str:
    return formats.date_format(value, "j F Y") if value else empty


def choice_labels(values: list[str], choices: type[Any]) -> str:
    labels = dict(choices.choices)
    return ", ".join(str(labels.get(value, value)) for value in values)


def detail_rows(opportunity: Opportunity, *, for_staff: bool) -> list[dict[str, Any]]:
    rows = [
        _row("What it is", opportunity.description),
        _row("Why it is needed", opportunity.why),
        _row("Kind of involvement", str(opportunity.activity_type)),
        _row("How much say people have", opportunity.get_ladder_level_display()),
        _row(
            "Areas it could influence",
            choice_labels(opportunity.areas, Area) or "Not given",
        ),
        _row("How far it reaches", opportunity.get_scope_display()),
        _row("Started by", opportunity.get_initiated_by_display()),
        _row("Led by", opportunity.get_led_by_display()),
        _row("How technical", opportunity.get_technicality_display()),
        _row("Time it takes", opportunity.time_commitment),
        _row("Hours in total", f"About {opportunity.hours}" if opportunity.hours else "Not given"),
        _row("When it happens", choice_labels(opportunity.timing, Availability) or "Not given"),
        _row("How people take part", opportunity.get_mode_display()),
        _row("Where", opportunity.place or "Not given"),
        _row("Support offered", _names(opportunity.support_offered.all(), "None listed")),
        _row("Payment offered", opportunity.payment_offered or "None"),
        _row("Starts", _date(opportunity.starts_on, "Not given")),
        _row("Closing date", _date(opportunity.closes_on, "Not given")),
        _row("Who we would like to hear from", opportunity.who_wanted or "Anyone"),
        _row("Cancer types", _names(opportunity.cancer_types.all(), "Any")),
        _row("Stages of care", _names(opportunity.pathway_stages.all(), "Any")),
        _row("Topics", _names(opportunity.topics.all(), "Any")),
        _row("Skills or experience that would help", opportunity.skills_wanted or "None needed"),
        _row("How many people", str(opportunity.places) if opportunity.places else "Not given"),
    ]
    if opportunity.group_id:
        rows.append(_row("Partnership group", str(opportunity.group)))
    if for_staff:
        rows.append(
            _row(
                "Asked for by",
                (opportunity.requested_by.get_full_name() or opportunity.requested_by.username)
                if opportunity.requested_by
                else "Not recorded",
            )
        )
    return rows


OPPORTUNITY_COLOURS: dict[str, str] = {
    Opportunity.Status.SUBMITTED: "nhsuk-tag--yellow",
    Opportunity.Status.PUBLISHED: "nhsuk-tag--green",
    Opportunity.Status.WITHDRAWN: "nhsuk-tag--red",
}
INTEREST_COLOURS: dict[str, str] = {
    Interest.Status.EXPRESSED: "nhsuk-tag--blue",
    Interest.Status.SELECTED: "nhsuk-tag--green",
}


def status_tag(item: Opportunity | Interest) -> dict[str, str]:
    colours: dict[str, str] = (
        OPPORTUNITY_COLOURS if isinstance(item, Opportunity) else INTEREST_COLOURS
    )
    return {
        "text": item.get_status_display(),
        "classes": colours.get(item.status, "nhsuk-tag--grey"),
    }
