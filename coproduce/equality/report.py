"""Equality monitoring counts with small numbers suppressed.

A count below the threshold could identify someone, so it is shown as "fewer than N". When a
question has exactly one suppressed count, the next smallest is hidden too, or the hidden one
could be worked out by subtracting the others from the total.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db import models

if TYPE_CHECKING:
    from coproduce.equality.models import EqualityResponse


@dataclass(frozen=True)
class Cell:
    label: str
    count: int | None  # None when suppressed

    def display(self, threshold: int) -> str:
        return f"Fewer than {threshold}" if self.count is None else f"{self.count:,}"


@dataclass(frozen=True)
class QuestionSummary:
    question: str
    cells: list[Cell]
    answered: int | None


def suppress(counts: Mapping[str, int], *, threshold: int) -> tuple[dict[str, int | None], bool]:
    """Replace counts under `threshold` with None, adding a second suppression where needed.

    Returns the suppressed counts and whether the total must also be hidden (when everything
    answered would otherwise be below the threshold).
    """
    shown: dict[str, int | None] = {
        key: (value if value == 0 or value >= threshold else None) for key, value in counts.items()
    }
    hidden = [key for key, value in shown.items() if value is None]
    if len(hidden) == 1:
        remaining = sorted(
            ((value, key) for key, value in shown.items() if value), key=lambda pair: pair[0]
        )
        if remaining:
            shown[remaining[0][1]] = None
    total = sum(counts.values())
    return shown, 0 < total < threshold


def summarise(
    question: str,
    choices: Iterable[tuple[str, str]],
    counts: Mapping[str, int],
    *,
    threshold: int,
) -> QuestionSummary:
    choices = list(choices)
    labelled = {value: counts.get(value, 0) for value, _ in choices}
    shown, hide_total = suppress(labelled, threshold=threshold)
    labels = dict(choices)
    cells = [Cell(labels[value], shown[value]) for value in labelled]
    total = sum(labelled.values())
    return QuestionSummary(question, cells, None if hide_total else total)


def profile(
    responses: "models.QuerySet[EqualityResponse]", *, threshold: int
) -> list[QuestionSummary]:
    """Every question's suppressed counts for a set of responses (already access-scoped).

    The answers are read in one query and counted here: one query per question would run the
    set's (often costly) filter eight times over.
    """
    from coproduce.equality.models import EqualityResponse

    questions = list(EqualityResponse.QUESTIONS)
    counters: list[Counter[str]] = [Counter() for _ in questions]
    for answers in responses.values_list(*questions).iterator(chunk_size=5000):
        for counter, answer in zip(counters, answers, strict=True):
            if answer:
                counter[answer] += 1
    summaries = []
    for name, counts in zip(questions, counters, strict=True):
        field = cast(models.Field[Any, Any], EqualityResponse._meta.get_field(name))
        summaries.append(
            summarise(
                str(field.verbose_name),
                cast(list[tuple[str, str]], field.choices or []),
                counts,
                threshold=threshold,
            )
        )
    return summaries
