"""An ask as NHS.UK summary-list rows and tags, for staff, members and the public record."""

from typing import Any

from django.utils import formats

from coproduce.asks.models import Ask, Status
from coproduce.people.models import ConsentKind

COLOURS: dict[str, str] = {
    Status.RAISED: "nhsuk-tag--grey",
    Status.UNDER_CONSIDERATION: "nhsuk-tag--blue",
    Status.ACCEPTED: "nhsuk-tag--aqua-green",
    Status.IN_PROGRESS: "nhsuk-tag--yellow",
    Status.CHANGED: "nhsuk-tag--green",
    Status.NOT_POSSIBLE: "nhsuk-tag--orange",
    Status.CLOSED: "nhsuk-tag--white",
}
MOVE_TITLES: dict[str, str] = {
    Status.UNDER_CONSIDERATION: "Mark as under consideration",
    Status.ACCEPTED: "Accept it",
    Status.IN_PROGRESS: "Mark as in progress",
    Status.CHANGED: "Record what changed",
    Status.NOT_POSSIBLE: "Say it is not possible",
    Status.CLOSED: "Close it",
}


def status_tag(ask: Ask) -> dict[str, str]:
    return {"text": ask.get_status_display(), "classes": COLOURS.get(ask.status, "")}


def move_title(status: Status) -> str:
    return MOVE_TITLES.get(status, f"Move to {status.label.lower()}")


def _row(key: str, value: str) -> dict[str, Any]:
    return {"key": {"text": key}, "value": {"text": value}}


def quotable(ask: Ask) -> str:
    """The quote, only while the person who said it consents to their words being shared."""
    if (
        ask.quote
        and ask.raised_by is not None
        and ask.raised_by.has_consent(ConsentKind.SHARE_STORY)
    ):
        return ask.quote
    return ""


def outcome_rows(ask: Ask) -> list[dict[str, Any]]:
    """What the answer was: the part of an ask everyone who reads it is owed."""
    rows = []
    if ask.status in (Status.CHANGED, Status.CLOSED) and ask.domain:
        rows += [
            _row("What changed", ask.outcome),
            _row("Kind of change", f"{ask.get_domain_display()} ({ask.get_level_display()})"),
            _row("How far it reaches", ask.get_scope_display()),
            _row(
                "Took effect",
                formats.date_format(ask.took_effect_on, "j F Y") if ask.took_effect_on else "",
            ),
        ]
    elif ask.status == Status.NOT_POSSIBLE or (ask.status == Status.CLOSED and ask.outcome):
        rows.append(_row("Why it is not possible", ask.outcome))
    return rows


def detail_rows(ask: Ask, *, quote: bool) -> list[dict[str, Any]]:
    rows = [
        _row("What was said", ask.what_was_said),
        _row("Raised", formats.date_format(ask.raised_at, "j F Y")),
        _row("Service", str(ask.service) if ask.service else "Not about one service"),
        _row(
            "Stage of care", str(ask.pathway_stage) if ask.pathway_stage else "Not about one stage"
        ),
        _row("Partnership group", str(ask.group) if ask.group else "None"),
        _row("Who must answer", ask.owner.full_name if ask.owner else "Nobody yet"),
        _row("Progress", f"{ask.progress}%"),
    ]
    if quote and ask.quote:
        rows.insert(
            1,
            _row("Their words", quotable(ask) or "Not shown: they have not agreed to be quoted"),
        )
    return rows + outcome_rows(ask)


def public_rows(ask: Ask) -> list[dict[str, Any]]:
    """What the public record shows: no names, and words quoted only with consent."""
    rows = [_row("You said", ask.what_was_said)]
    words = quotable(ask)
    if words:
        rows.append(_row("In their words", f"“{words}”"))
    rows.append(_row("Where it is now", ask.get_status_display()))
    if ask.service:
        rows.append(_row("Service", str(ask.service)))
    return rows + outcome_rows(ask)
