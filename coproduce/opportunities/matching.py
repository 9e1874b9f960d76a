"""Suggest people for an opportunity, best fit first, each with the reasons in plain English.

Candidates are the organisation's patients, carers and members of the public who agree to be
contacted and have neither expressed interest nor been invited already. A score adds up:

- what they are interested in that the opportunity wants (cancer types, stages of care, topics),
- skills and experience that mention what the opportunity asks for,
- support they need: up when all of it is offered, down (and which) when any is not,
- when they are free against when it happens,
- spreading the load: people who have not taken part yet go up, people who took part often in
  the last 12 months go down, so the same few voices are not asked every time.

An organisation can hold tens of thousands of people, so nothing here queries per person: the
candidates' ids, the many-to-many rows that matter and the attendance counts are each read in
one query, scored in Python with sets, and only the people suggested are loaded whole.
"""

import datetime
import heapq
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from coproduce.activities.models import Attendance
from coproduce.opportunities.models import Interest, Invitation, Opportunity
from coproduce.people.models import Availability, Person, SupportNeed

CANCER_TYPE = 3
PATHWAY_STAGE = 2
TOPIC = 2
SKILL = 2
SUPPORT_ALL_OFFERED = 1
SUPPORT_NOT_OFFERED = -3
FREE_WHEN_IT_HAPPENS = 1
NOT_FREE_WHEN_IT_HAPPENS = -2
NEVER_TAKEN_PART = 2
NOT_IN_LAST_YEAR = 1
# Each activity in the last 12 months takes a point off, up to this many.
MOST_TAKEN_OFF_FOR_LOAD = 5

WHEN = {
    Availability.WEEKDAY_DAYTIME: "on weekday daytimes",
    Availability.WEEKDAY_EVENING: "on weekday evenings",
    Availability.WEEKEND: "at weekends",
}
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "being",
        "by",
        "can",
        "for",
        "from",
        "good",
        "has",
        "have",
        "help",
        "helpful",
        "in",
        "into",
        "is",
        "it",
        "its",
        "like",
        "of",
        "on",
        "or",
        "our",
        "people",
        "some",
        "someone",
        "such",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "us",
        "who",
        "with",
        "would",
        "you",
        "your",
        "experience",
        "experienced",
        "skill",
        "skills",
        "knowledge",
    ]
)


@dataclass
class Suggestion:
    person: Person
    score: int
    reasons: list[str] = field(default_factory=list)


def _lower_first(name: str) -> str:
    """'Hearing loop' reads 'hearing loop' mid-sentence; 'British Sign Language' stays."""
    words = name.split()
    if len(words) > 1 and words[1][:1].isupper():
        return name
    return name[:1].lower() + name[1:]


def cancer_phrase(name: str) -> str:
    """'Bowel' -> 'bowel cancer'; 'Skin (including melanoma)' -> 'skin cancer (including ...)'."""
    if "cancer" in name.lower():
        return _lower_first(name)
    head, bracket, rest = name.partition(" (")
    return f"{_lower_first(head)} cancer" + (f" ({rest}" if bracket else "")


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def skill_keywords(text: str) -> list[str]:
    """The words of 'skills wanted' worth looking for, trimmed to a stem ('chairing' -> 'chair')."""
    found: list[str] = []
    for word in re.findall(r"[a-z][a-z'-]+", text.lower()):
        if word in STOP_WORDS or len(word) < 3:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        if word not in found:
            found.append(word)
    return found


def _through_rows(relation: str, people: "range | None", wanted: set[int] | None) -> Any:
    """Person id -> the related ids they hold, from one query on the many-to-many table.

    The rows are found by the span of candidate ids rather than by joining the people table
    for their organisation: an organisation's people are mostly added together, so the span is
    tight, and reading the table's (person, related) index directly is several times faster
    than the join. Rows for people outside the candidates are dropped by the caller.
    """
    held: dict[int, set[int]] = defaultdict(set)
    if people is None:
        return held
    through: Any = getattr(Person, relation).through
    target = Person._meta.get_field(relation).m2m_reverse_field_name()  # type: ignore[union-attr]
    rows = through.objects.filter(person_id__gte=people.start, person_id__lt=people.stop)
    if wanted is not None:
        rows = rows.filter(**{f"{target}__in": wanted})
    for person_id, related_id in rows.values_list("person_id", target):
        held[person_id].add(related_id)
    return held


@dataclass
class _Wanted:
    """One kind of interest the opportunity asks for, and who holds which of it."""

    weight: int
    names: dict[int, str]
    held: dict[int, set[int]]
    phrase: Callable[[str], str]


class _Scorer:
    def __init__(self, opportunity: Opportunity, people: "range | None") -> None:
        self.wanted: list[_Wanted] = []
        for relation, weight, phrase in (
            ("cancer_types", CANCER_TYPE, lambda n: f"Interested in {cancer_phrase(n)}"),
            ("pathway_stages", PATHWAY_STAGE, lambda n: f"Has experience of {_lower_first(n)}"),
            ("topics", TOPIC, lambda n: f"Interested in {_lower_first(n)}"),
        ):
            names = dict(getattr(opportunity, relation).values_list("pk", "name"))
            if names:
                held = _through_rows(relation, people, set(names))
                self.wanted.append(_Wanted(weight, names, held, phrase))
        self.keywords = skill_keywords(opportunity.skills_wanted)
        self.timing = set(opportunity.timing or [])
        self.offered = set(opportunity.support_offered.values_list("pk", flat=True))
        self.needs = _through_rows("support_needs", people, None)
        self.support_names = (
            dict(SupportNeed.objects.values_list("pk", "name")) if self.needs else {}
        )
        cutoff = timezone.now() - datetime.timedelta(days=365)
        self.attendance: dict[int, tuple[int, int]] = {}
        if people is not None:
            self.attendance = {
                person_id: (total, recent)
                for person_id, total, recent in Attendance.objects.filter(
                    person_id__gte=people.start, person_id__lt=people.stop, attended=True
                )
                .values("person_id")
                .annotate(
                    total=Count("id"),
                    recent=Count("id", filter=Q(activity__starts_at__gte=cutoff)),
                )
                .order_by()
                .values_list("person_id", "total", "recent")
            }

    def score(self, row: tuple[Any, ...], explain: bool) -> tuple[int, list[str]]:
        person_id = row[0]
        score = 0
        reasons: list[str] = []
        for wanted in self.wanted:
            matched = wanted.held.get(person_id)
            if matched:
                score += wanted.weight * len(matched)
                if explain:
                    reasons += [wanted.phrase(wanted.names[pk]) for pk in sorted(matched)]
        position = 1
        if self.timing:
            # Read as JSON text and matched by substring: decoding 20,000 small JSON lists
            # was a fifth of the time.
            free_text = row[position] or ""
            position += 1
            if free_text not in ("", "[]"):
                overlap = {value for value in self.timing if f'"{value}"' in free_text}
                if overlap:
                    score += FREE_WHEN_IT_HAPPENS
                    if explain:
                        when = [WHEN[Availability(v)] for v in Availability.values if v in overlap]
                        reasons.append(f"Free {_listed(when)}, when it happens")
                else:
                    score += NOT_FREE_WHEN_IT_HAPPENS
                    if explain:
                        reasons.append("Not usually free when it happens")
        if self.keywords:
            text = (row[position] or "").lower()
            found = [word for word in self.keywords if word in text]
            if found:
                score += SKILL * len(found)
                if explain:
                    reasons.append(f"Skills and experience mention {_listed(found)}")
        needs = self.needs.get(person_id)
        if needs:
            unmet = needs - self.offered
            if unmet:
                score += SUPPORT_NOT_OFFERED
                if explain:
                    names = [_lower_first(self.support_names[pk]) for pk in sorted(unmet)]
                    reasons.append(
                        f"Needs {_listed(names)}, which {'is' if len(names) == 1 else 'are'} "
                        "not offered"
                    )
            else:
                score += SUPPORT_ALL_OFFERED
                if explain:
                    names = [_lower_first(self.support_names[pk]) for pk in sorted(needs)]
                    reasons.append(
                        f"Needs {_listed(names)}, which {'is' if len(names) == 1 else 'are'} "
                        "offered"
                    )
        total, recent = self.attendance.get(person_id, (0, 0))
        if total == 0:
            score += NEVER_TAKEN_PART
            if explain:
                reasons.append("Has not taken part yet")
        elif recent == 0:
            score += NOT_IN_LAST_YEAR
            if explain:
                reasons.append("Has not taken part in the last 12 months")
        else:
            score -= min(recent, MOST_TAKEN_OFF_FOR_LOAD)
            if explain:
                activities = "activity" if recent == 1 else "activities"
                reasons.append(f"Took part in {recent} {activities} in the last 12 months")
        return score, reasons


def candidates(opportunity: Opportunity) -> Any:
    """The people who could be suggested: contactable, not staff, not already asked or keen."""
    return (
        Person.objects.filter(organisation_id=opportunity.organisation_id)
        .exclude(kind=Person.Kind.STAFF)
        .contactable()
        .exclude(pk__in=Interest.objects.filter(opportunity=opportunity).values("person_id"))
        .exclude(pk__in=Invitation.objects.filter(opportunity=opportunity).values("person_id"))
    )


def suggest(opportunity: Opportunity, limit: int = 25) -> list[Suggestion]:
    keywords = skill_keywords(opportunity.skills_wanted)
    columns: list[Any] = ["pk"]
    people = candidates(opportunity)
    if opportunity.timing:
        people = people.annotate(free_text=Cast("availability", output_field=TextField()))
        columns.append("free_text")
    if keywords:
        columns.append("skills_and_experience")
    rows = {row[0]: row for row in people.values_list(*columns)}
    span = range(min(rows), max(rows) + 1) if rows else None
    scorer = _Scorer(opportunity, span)
    scored = ((scorer.score(row, explain=False)[0], person_id) for person_id, row in rows.items())
    # Best score first; among equals, the person recorded first, so the order is stable.
    best = heapq.nlargest(limit, scored, key=lambda pair: (pair[0], -pair[1]))
    found = Person.objects.in_bulk([person_id for _, person_id in best])
    suggestions = []
    for score, person_id in best:
        _, reasons = scorer.score(rows[person_id], explain=True)
        suggestions.append(Suggestion(person=found[person_id], score=score, reasons=reasons))
    return suggestions
