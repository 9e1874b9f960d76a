"""Closing the loop: who has heard back, and which asks are still waiting for an answer.

A contributor has heard back on an ask once they have been told of any status after "raised".
The share is counted over contributions (a person who contributed to three asks counts three
times), because what matters is whether each thing someone raised got an answer. Counts of
people under the small-number threshold are not shown, as in every other aggregate.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from coproduce.asks.models import ANSWERED, Ask, Contribution, Status
from coproduce.asks.services import answer_within


@dataclass(frozen=True)
class Loop:
    contributions: int
    heard_back: int
    contributors: int  # distinct people
    asks: int
    answered: int
    waiting_too_long: int
    threshold: int

    @property
    def few_people(self) -> bool:
        return 0 < self.contributors < self.threshold

    @property
    def heard_back_percent(self) -> int | None:
        if self.few_people or not self.contributions:
            return None
        return round(100 * self.heard_back / self.contributions)

    @property
    def heard_back_text(self) -> str:
        if self.few_people:
            return f"Not shown: fewer than {self.threshold} people contributed"
        if not self.contributions:
            return "Nobody has contributed to an ask yet"
        return (
            f"{self.heard_back_percent}% ({self.heard_back:,} of {self.contributions:,} "
            "contributions)"
        )

    @property
    def contributors_text(self) -> str:
        return f"Fewer than {self.threshold}" if self.few_people else f"{self.contributors:,}"


def loops(asks: "QuerySet[Ask]") -> dict[int, Loop]:
    """The hearing-back measures per organisation, over asks already scoped by the access path.

    Two grouped queries whatever the number of organisations.
    """
    late = timezone.now() - answer_within()
    by_contribution = {
        row["ask__organisation"]: row
        for row in Contribution.objects.filter(ask__in=asks.values("pk"))
        .values("ask__organisation")
        .annotate(
            total=Count("pk"),
            heard=Count("pk", filter=Q(told_status__in=ANSWERED)),
            people=Count("person", distinct=True),
        )
        .order_by()
    }
    result = {}
    for row in (
        asks.values("organisation")
        .annotate(
            total=Count("pk"),
            answered=Count("pk", filter=~Q(status=Status.RAISED)),
            late=Count("pk", filter=Q(status=Status.RAISED, raised_at__lt=late)),
        )
        .order_by()
    ):
        contributions = by_contribution.get(row["organisation"], {})
        result[row["organisation"]] = Loop(
            contributions=contributions.get("total", 0),
            heard_back=contributions.get("heard", 0),
            contributors=contributions.get("people", 0),
            asks=row["total"],
            answered=row["answered"],
            waiting_too_long=row["late"],
            threshold=settings.SMALL_NUMBER_THRESHOLD,
        )
    return result
