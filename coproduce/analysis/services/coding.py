"""Coding: applying codes to ranges of a source's text, memos, and the team's agreement.

Every segment records who coded it and when. In a blind project a coder sees only their own
coding until the lead opens the comparison; `visible_segments` is the one place that rule
lives, used by pages, the API and exports alike. Decisions taken in the comparison are kept
row by row (who decided, when, why) and build the consensus layer.
"""

import itertools
import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Length
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.analysis import agreement
from coproduce.analysis.models import (
    AgreementSummary,
    Code,
    Decision,
    Import,
    Layer,
    Memo,
    Origin,
    Project,
    Segment,
    Source,
)
from coproduce.analysis.team import Right, may
from coproduce.core import audit
from coproduce.core.errors import ServiceError


def visible_segments(user: Any, project: Project) -> "QuerySet[Segment]":
    """The coding this user may see: all of it, except in blind coding, where a coder sees
    their own (and the consensus) only. The lead always sees everything."""
    segments = Segment.objects.filter(project=project)
    if project.coding_is_blind and not may(user, project, Right.LEAD):
        segments = segments.filter(coder=user) | segments.filter(layer=Layer.CONSENSUS)
    return segments


def visible_memos(user: Any, project: Project) -> "QuerySet[Memo]":
    """Memos follow their segment: in blind coding a coder reads only their own and the
    project-wide ones the lead writes on sources and codes."""
    memos = Memo.objects.filter(project=project)
    if project.coding_is_blind and not may(user, project, Right.LEAD):
        memos = memos.filter(author=user) | memos.filter(segment__isnull=True, source__isnull=True)
    return memos


def _check_range(source: Source, start: int, end: int) -> None:
    if not 0 <= start < end <= len(source.text):
        raise ServiceError(
            f"Choose some text between characters 0 and {len(source.text)}", field="start"
        )


def _check_codeable(source: Source, code: Code) -> None:
    if source.source_import.status != Import.Status.RELEASED:
        raise ServiceError("This source has not been released to coders yet")
    if code.project_id != source.project_id:
        raise ServiceError("Choose a code from this project's codebook", field="code")
    if code.retired:
        raise ServiceError(f"The code {code.name} is retired: choose another", field="code")


@transaction.atomic
def apply_codes(
    *,
    by: User,
    source: Source,
    codes: Iterable[Code],
    start: int,
    end: int,
    origin: str = Origin.PERSON,
) -> list[Segment]:
    """Apply each code to characters `start` to `end`. Applying a code the coder already put on
    exactly that text again changes nothing. `origin` says whether `by` coded it or accepted
    the model's suggestion."""
    codes = list(codes)
    if not codes:
        raise ServiceError("Choose at least one code", field="code")
    _check_range(source, start, end)
    now = timezone.now()
    made = []
    for code in codes:
        _check_codeable(source, code)
        segment, created = Segment.objects.get_or_create(
            project_id=source.project_id,
            source=source,
            code=code,
            start=start,
            end=end,
            coder=by,
            layer=Layer.CODER,
            defaults={"coded_at": now, "origin": origin},
        )
        if created:
            made.append(segment)
    return made


@transaction.atomic
def code_response(*, by: User, source: Source, code: Code) -> Segment | None:
    """A survey response coded whole, as from its paged list; pressing again removes it."""
    existing = Segment.objects.filter(
        source=source, code=code, coder=by, layer=Layer.CODER, start=0, end=len(source.text)
    ).first()
    if existing is not None:
        existing.delete()
        return None
    return apply_codes(by=by, source=source, codes=[code], start=0, end=len(source.text))[0]


@transaction.atomic
def remove_segment(*, by: User, segment: Segment) -> None:
    """Coders remove their own coding; the lead may remove anyone's."""
    if segment.coder_id != by.pk and not may(by, segment.project, Right.LEAD):
        raise ServiceError("You can remove only your own coding", status=403)
    segment.delete()


@transaction.atomic
def add_memo(
    *,
    by: User,
    project: Project,
    text: str,
    source: Source | None = None,
    code: Code | None = None,
    segment: Segment | None = None,
) -> Memo:
    if not text.strip():
        raise ServiceError("Write the memo", field="text")
    return Memo.objects.create(
        project=project, source=source, code=code, segment=segment, author=by, text=text.strip()
    )


# Comparing coders and agreeing -------------------------------------------------------------


@transaction.atomic
def open_comparison(*, by: User, project: Project) -> Project:
    """End blind coding: from now on the team sees each other's coding and can agree."""
    if project.comparison_opened_at is None:
        project.comparison_opened_at = timezone.now()
        project.save(update_fields=["comparison_opened_at", "updated_at"])
        audit.record(
            actor=by,
            action="analysis.comparison_opened",
            target=project,
            summary=f"Opened the comparison of coders in {project.name}",
            organisation_id=project.organisation_id,
        )
    return project


@dataclass(frozen=True)
class Difference:
    """A stretch of text where coders differ on one code: who applied it and who did not."""

    code: Code
    start: int
    end: int
    applied_by: frozenset[int]
    not_applied_by: frozenset[int]
    decision: Decision | None


@dataclass(frozen=True)
class SourceComparison:
    source: Source
    coders: list[User]
    agreement: "agreement.Comparison[int]"
    differences: list[Difference]


def _coding_of(segments: Iterable[Segment]) -> dict[int, dict[int, list[tuple[int, int]]]]:
    coding: dict[int, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for segment in segments:
        if segment.coder_id is not None:
            coding[segment.coder_id][segment.code_id].append((segment.start, segment.end))
    return coding


def _differences(
    length: int, coding: dict[int, dict[int, list[tuple[int, int]]]], code_id: int
) -> list[tuple[int, int, frozenset[int]]]:
    """Maximal stretches where the set of coders applying `code_id` is neither all nor none.

    One sweep over the boundaries of every coder's merged intervals, so the cost grows with the
    number of segments, not with their product."""
    coders = list(coding)
    merged = {coder: agreement.merge(coding[coder].get(code_id, ()), length) for coder in coders}
    points = sorted({0, length, *(p for runs in merged.values() for run in runs for p in run)})
    position = dict.fromkeys(coders, 0)
    stretches: list[tuple[int, int, frozenset[int]]] = []
    for start, end in itertools.pairwise(points):
        applying = set()
        for coder in coders:
            runs = merged[coder]
            while position[coder] < len(runs) and runs[position[coder]][1] <= start:
                position[coder] += 1
            if position[coder] < len(runs) and runs[position[coder]][0] <= start:
                applying.add(coder)
        if 0 < len(applying) < len(coders):
            frozen = frozenset(applying)
            if stretches and stretches[-1][1] == start and stretches[-1][2] == frozen:
                stretches[-1] = (stretches[-1][0], end, frozen)
            else:
                stretches.append((start, end, frozen))
    return stretches


def compare(source: Source) -> SourceComparison:
    """Agreement on one source between everyone who coded it, and each difference to settle."""
    segments = list(
        Segment.objects.filter(source=source, layer=Layer.CODER).select_related("coder")
    )
    coding = _coding_of(segments)
    length = len(source.text)
    result = agreement.compare_source(length, coding)
    codes = Code.objects.in_bulk({segment.code_id for segment in segments})
    decisions = {
        (decision.code_id, decision.start, decision.end): decision
        for decision in Decision.objects.filter(source=source)
    }
    differences = []
    if len(coding) >= 2:
        for code_id in sorted(codes, key=lambda pk: (codes[pk].position, codes[pk].name)):
            for start, end, applying in _differences(length, coding, code_id):
                differences.append(
                    Difference(
                        code=codes[code_id],
                        start=start,
                        end=end,
                        applied_by=applying,
                        not_applied_by=frozenset(coding) - applying,
                        decision=decisions.get((code_id, start, end)),
                    )
                )
    differences.sort(key=lambda difference: (difference.start, difference.code.name))
    coders = {segment.coder_id: segment.coder for segment in segments if segment.coder}
    return SourceComparison(
        source=source,
        coders=[coders[pk] for pk in sorted(coders, key=lambda pk: str(coders[pk]))],
        agreement=result,
        differences=differences,
    )


# Sources whose lengths are read in one query while pooling agreement: well within SQLite's
# limit on a query's parameters, and a million sources in a few hundred queries.
AGREEMENT_BATCH = 5_000
# Agreements on one code of one source, kept by length and coding for reuse. Survey responses are
# coded whole, so a few patterns repeat across millions of them; documents rarely repeat.
AGREEMENT_CACHE = 50_000

Coding = dict[int, dict[int, list[tuple[int, int]]]]


def _coded_sources(project: Project) -> Iterator[tuple[int, Coding]]:
    """Each source two or more people coded, with {coder: {code: intervals}}, in source order.

    The segments are read as plain rows, in order, and grouped as they arrive, so a project of
    millions of segments is never held in memory at once."""
    rows = (
        Segment.objects.filter(project=project, layer=Layer.CODER, coder__isnull=False)
        .order_by("source_id", "start", "end")
        .values_list("source_id", "coder_id", "code_id", "start", "end")
        .iterator(chunk_size=10_000)
    )
    for source_id, group in itertools.groupby(rows, key=operator.itemgetter(0)):
        coding: Coding = {}
        for _, coder_id, code_id, start, end in group:
            coding.setdefault(coder_id, {}).setdefault(code_id, []).append((start, end))
        if len(coding) >= 2:
            yield source_id, coding


class _Total:
    """An `agreement.Agreement` added up in place: the same sums, in the same order, as adding
    with `+`, without making new objects for every code of every source."""

    def __init__(self) -> None:
        self.counts = [0, 0, 0, 0]  # characters, unanimous, coded by any, coded by all
        self.coders: set[Any] = set()
        self.coincidences = [0.0, 0.0, 0.0]
        self.pairs: dict[tuple[Any, Any], list[int]] = {}

    def add(self, found: "agreement.Agreement") -> None:
        counts = self.counts
        counts[0] += found.characters
        counts[1] += found.unanimous
        counts[2] += found.coded_by_any
        counts[3] += found.coded_by_all
        self.coders.update(found.coders)
        coincidences = found.coincidences
        self.coincidences[0] += coincidences.applied_applied
        self.coincidences[1] += coincidences.mixed
        self.coincidences[2] += coincidences.not_not
        for pair, table in found.pairs.items():
            cells = self.pairs.setdefault(pair, [0, 0, 0, 0])
            cells[0] += table.both
            cells[1] += table.first_only
            cells[2] += table.second_only
            cells[3] += table.neither

    def add_total(self, other: "_Total") -> None:
        for index, count in enumerate(other.counts):
            self.counts[index] += count
        self.coders.update(other.coders)
        for index, weight in enumerate(other.coincidences):
            self.coincidences[index] += weight
        for pair, table in other.pairs.items():
            cells = self.pairs.setdefault(pair, [0, 0, 0, 0])
            for index, count in enumerate(table):
                cells[index] += count

    def agreement(self) -> "agreement.Agreement":
        return agreement.Agreement(
            characters=self.counts[0],
            unanimous=self.counts[1],
            coded_by_any=self.counts[2],
            coded_by_all=self.counts[3],
            coders=frozenset(self.coders),
            coincidences=agreement.BinaryCoincidences(*self.coincidences),
            pairs={pair: agreement.Table(*cells) for pair, cells in self.pairs.items()},
        )


def _compared(project: Project) -> Iterator[tuple[int, dict[int, "agreement.Agreement"]]]:
    """Agreement on each code of each source two or more people coded, as
    `agreement.compare_source` finds it, a batch of sources at a time."""
    cache: dict[Any, agreement.Agreement] = {}
    sources = _coded_sources(project)
    while batch := list(itertools.islice(sources, AGREEMENT_BATCH)):
        # The batch is in source order: where its sources are close together, one range of ids
        # is much cheaper to ask for than thousands of ids one by one.
        first, last = batch[0][0], batch[-1][0]
        sources_in_batch = (
            Source.objects.filter(project=project, pk__range=(first, last))
            if last - first < 4 * len(batch)
            else Source.objects.filter(pk__in=[source_id for source_id, _ in batch])
        )
        lengths = dict(sources_in_batch.annotate(length=Length("text")).values_list("pk", "length"))
        for source_id, coding in batch:
            length = lengths[source_id]
            coders = sorted(coding)
            by_code = {}
            for code in dict.fromkeys(code for codes in coding.values() for code in codes):
                intervals = [coding[coder].get(code, []) for coder in coders]
                key = (length, tuple(coders), tuple(tuple(sorted(runs)) for runs in intervals))
                found = cache.get(key)
                if found is None:
                    if len(cache) >= AGREEMENT_CACHE:
                        cache.clear()
                    found = cache[key] = agreement.agreement_for_code(
                        length, dict(zip(coders, intervals, strict=True))
                    )
                by_code[code] = found
            yield source_id, by_code


def agreement_by_source(project: Project) -> "dict[int, agreement.Comparison[int]]":
    """Agreement on each source that two or more people coded, keyed by source id."""
    compared = {}
    for source_id, by_code in _compared(project):
        total = _Total()
        for found in by_code.values():
            total.add(found)
        compared[source_id] = agreement.Comparison(by_code=by_code, overall=total.agreement())
    return compared


def _pooled(
    sources: Iterable[Mapping[int, "agreement.Agreement"]],
) -> "agreement.Comparison[int]":
    by_code: dict[int, _Total] = {}
    overall = _Total()
    for found_by_code in sources:
        source = _Total()
        for code, found in found_by_code.items():
            by_code.setdefault(code, _Total()).add(found)
            source.add(found)
        overall.add_total(source)
    return agreement.Comparison(
        by_code={code: total.agreement() for code, total in by_code.items()},
        overall=overall.agreement(),
    )


def pool(comparisons: Iterable["agreement.Comparison[int]"]) -> "agreement.Comparison[int]":
    """`agreement.pool`, added up in place: the same figures, much faster for many sources."""
    return _pooled(comparison.by_code for comparison in comparisons)


def project_agreement(project: Project) -> "agreement.Comparison[int]":
    """Agreement pooled over every source that two or more people coded: the same figures as
    `agreement.pool` over `agreement_by_source`, added up as the sources stream past."""
    return _pooled(found_by_code for _, found_by_code in _compared(project))


# Below this many coded passages a project's agreement is worked out on each visit (well under a
# second); above it, in the background, and the page shows the figures last worked out.
INLINE_AGREEMENT = 50_000
# The sources a summary keeps, least agreed first: the ones worth the team's discussion.
SUMMARY_SOURCES = 100


def _figures(result: "agreement.Agreement") -> dict[str, Any]:
    return {
        "characters": result.characters,
        "percent": result.percent,
        "kappa": result.kappa,
        "alpha": result.alpha,
        "coders": len(result.coders),
    }


def summarise_agreement(project: Project) -> dict[str, Any]:
    """Agreement overall, by code and by source, as plain data a page or the API can show."""
    per_source = agreement_by_source(project)
    pooled = pool(per_source.values())
    worst = sorted(
        per_source.items(),
        key=lambda item: item[1].overall.percent if item[1].overall.percent is not None else 2,
    )[:SUMMARY_SOURCES]
    names = dict(Source.objects.filter(pk__in=[pk for pk, _ in worst]).values_list("pk", "name"))
    return {
        "overall": _figures(pooled.overall),
        "by_code": [
            {"code": code_id, **_figures(result)} for code_id, result in pooled.by_code.items()
        ],
        "by_source": [
            {"source": pk, "name": names.get(pk, ""), **_figures(result.overall)}
            for pk, result in worst
        ],
        "sources_compared": len(per_source),
    }


def agreement_is_large(project: Project) -> bool:
    return (
        Segment.objects.filter(project=project, layer=Layer.CODER)
        .order_by()[: INLINE_AGREEMENT + 1]
        .count()
        > INLINE_AGREEMENT
    )


@transaction.atomic
def request_agreement(*, by: User, project: Project) -> AgreementSummary:
    """Ask for the project's agreement to be worked out again in the background."""
    summary, _ = AgreementSummary.objects.get_or_create(project=project)
    if not summary.working:
        summary.requested_at = timezone.now()
        summary.save(update_fields=["requested_at"])
        from coproduce.analysis.tasks import work_out_agreement

        transaction.on_commit(lambda: work_out_agreement.enqueue(project.pk))
    return summary


def work_out_agreement(project_id: int) -> AgreementSummary:
    """The background task's body: work the figures out and keep them."""
    project = Project.objects.get(pk=project_id)
    figures = summarise_agreement(project)
    summary, _ = AgreementSummary.objects.get_or_create(project=project)
    summary.figures = figures
    summary.worked_out_at = timezone.now()
    summary.save(update_fields=["figures", "worked_out_at"])
    return summary


@transaction.atomic
def decide(
    *,
    by: User,
    source: Source,
    code: Code,
    start: int,
    end: int,
    outcome: str,
    note: str = "",
) -> Decision:
    """Settle a difference: the consensus layer codes the text, or not, and the decision is kept
    with who took it."""
    if outcome not in Decision.Outcome.values:
        raise ServiceError("Choose whether the team agrees to code this text", field="outcome")
    _check_range(source, start, end)
    if code.project_id != source.project_id:
        raise ServiceError("Choose a code from this project's codebook", field="code")
    project = Project.objects.get(pk=source.project_id)  # as it is now, not as first read
    if project.coding_is_blind:
        raise ServiceError("Open the comparison before the team agrees on coding")
    decision = Decision.objects.create(
        project=project,
        source=source,
        code=code,
        start=start,
        end=end,
        outcome=outcome,
        note=note.strip(),
        decided_by=by,
    )
    consensus = Segment.objects.filter(
        source=source, code=code, layer=Layer.CONSENSUS, start=start, end=end
    )
    if outcome == Decision.Outcome.AGREED:
        if not consensus.exists():
            Segment.objects.create(
                project=project,
                source=source,
                code=code,
                start=start,
                end=end,
                layer=Layer.CONSENSUS,
                coder=by,
                coded_at=timezone.now(),
            )
    else:
        consensus.delete()
    audit.record(
        actor=by,
        action="analysis.decided",
        target=decision,
        summary=f"{decision.get_outcome_display()} for {code.name} in {source.name}",
        organisation_id=project.organisation_id,
    )
    return decision


@transaction.atomic
def agree_where_unanimous(*, by: User, source: Source) -> int:
    """Copy into the consensus layer the text every coder coded alike, so the team's time goes
    on the differences. Returns how many consensus segments were made."""
    if Project.objects.get(pk=source.project_id).coding_is_blind:
        # Coders see the agreed layer, so agreeing now would show them where others coded.
        raise ServiceError("Open the comparison before the team agrees on coding")
    comparison = compare(source)
    if len(comparison.coders) < 2:
        raise ServiceError("Two or more people must code this source before it can be agreed")
    segments = Segment.objects.filter(source=source, layer=Layer.CODER)
    coding = _coding_of(segments)
    made = 0
    now = timezone.now()
    for code_id in {segment.code_id for segment in segments}:
        shared: list[tuple[int, int]] | None = None
        for coder in coding:
            merged = agreement.merge(coding[coder].get(code_id, ()), len(source.text))
            shared = merged if shared is None else _intersect(shared, merged)
        for start, end in shared or []:
            _, created = Segment.objects.get_or_create(
                project_id=source.project_id,
                source=source,
                code_id=code_id,
                layer=Layer.CONSENSUS,
                start=start,
                end=end,
                defaults={"coder": by, "coded_at": now},
            )
            made += created
    return made


def _intersect(
    first: list[tuple[int, int]], second: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    result = []
    i = j = 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            result.append((start, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return result
