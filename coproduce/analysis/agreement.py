"""How far coders agree when they code the same text.

When several people code the same sources, the team needs to know whether a code means the same
thing to each of them before anyone reads meaning into the themes. This module gives the figures
that a comparison page and the API show: percent agreement, Cohen's kappa and Krippendorff's alpha.

Coding is done by selecting ranges of a source's text, so agreement is measured character by
character: every character of a source is a unit, and each coder either applied a code to it or
did not. Sources can be long and a project can hold millions of segments, so everything at
character level is worked out from the intervals themselves (sorting their boundaries), never
from one value per character; the cost grows with the number of intervals, not with the length of
the text.

The general `krippendorff_alpha` and `cohen_kappa_from_matrix` work on any nominal (or, for alpha,
ordinal, interval or ratio) data, and are what the character-level figures are tested against.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar

Interval = tuple[int, int]
"""A half-open range [start, end) of character offsets."""

Level = Literal["nominal", "ordinal", "interval", "ratio"]


class _CoderId(Hashable, Protocol):
    # Coder ids are sorted so that each pair of coders is always counted the same way round,
    # which keeps their tables from different sources safe to add together.
    def __lt__(self, other: Any, /) -> bool: ...


CodeT = TypeVar("CodeT", bound=Hashable)
CoderT = TypeVar("CoderT", bound=_CoderId)


# Intervals


def merge(intervals: Iterable[Interval], length: int) -> list[Interval]:
    """The intervals clipped to [0, length), sorted, with overlapping and touching ones joined.

    One coder's overlapping segments for a code still cover each character once. Offsets past
    either end of the text are clipped, and ranges left empty (or given backwards) are dropped.
    """
    if length < 0:
        raise ValueError("length must not be negative")
    clipped = sorted(
        (max(start, 0), min(end, length))
        for start, end in intervals
        if max(start, 0) < min(end, length)
    )
    merged: list[Interval] = []
    for start, end in clipped:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _covered(merged: Sequence[Interval]) -> int:
    return sum(end - start for start, end in merged)


def _overlap(first: Sequence[Interval], second: Sequence[Interval]) -> int:
    """Characters inside both of two merged interval lists (one pass over each)."""
    total = 0
    i = j = 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            total += end - start
        # Whichever interval finishes first cannot overlap anything further in the other list.
        if first[i][1] <= second[j][1]:
            i += 1
        else:
            j += 1
    return total


def _applying_counts(length: int, merged: Sequence[Sequence[Interval]]) -> list[int]:
    """See `applying_counts`; takes interval lists that are already merged and clipped."""
    counts = [0] * (len(merged) + 1)
    events = sorted(
        (offset, delta)
        for intervals in merged
        for start, end in intervals
        for offset, delta in ((start, 1), (end, -1))
    )
    active = 0
    previous = 0
    for offset, delta in events:
        counts[active] += offset - previous
        active += delta
        previous = offset
    counts[0] += length - previous
    return counts


def applying_counts(length: int, codings: Sequence[Iterable[Interval]]) -> list[int]:
    """For each m from 0 to the number of coders, how many characters exactly m coders coded.

    `codings` holds one list of intervals per coder, all for the same code on the same source of
    `length` characters. The counts add up to `length`.
    """
    return _applying_counts(length, [merge(intervals, length) for intervals in codings])


# Two coders: the 2x2 table, percent agreement and Cohen's kappa


@dataclass(frozen=True)
class Table:
    """Characters counted by whether each of two coders applied a code to them."""

    both: int = 0
    first_only: int = 0
    second_only: int = 0
    neither: int = 0

    @property
    def total(self) -> int:
        return self.both + self.first_only + self.second_only + self.neither

    def __add__(self, other: Table) -> Table:
        return Table(
            both=self.both + other.both,
            first_only=self.first_only + other.first_only,
            second_only=self.second_only + other.second_only,
            neither=self.neither + other.neither,
        )


def _table_from_merged(length: int, first: Sequence[Interval], second: Sequence[Interval]) -> Table:
    both = _overlap(first, second)
    first_total = _covered(first)
    second_total = _covered(second)
    return Table(
        both=both,
        first_only=first_total - both,
        second_only=second_total - both,
        neither=length - first_total - second_total + both,
    )


def character_table(length: int, first: Iterable[Interval], second: Iterable[Interval]) -> Table:
    """The 2x2 table of characters for two coders' intervals for one code on one source."""
    return _table_from_merged(length, merge(first, length), merge(second, length))


def percent_agreement(table: Table) -> float | None:
    """The share of characters both coders treated alike; None when there are no characters."""
    if table.total == 0:
        return None
    return (table.both + table.neither) / table.total


def cohen_kappa_from_matrix(matrix: Sequence[Sequence[float]]) -> float | None:
    """Cohen's kappa for two coders from a k x k table of counts (rows: first coder's value).

    Returns None when the table is empty or when chance agreement is already certain: if both
    coders gave the same single value to every item, observed and expected agreement are both 1,
    kappa is 0/0 and no number would be honest. Pages show this as "not defined".
    """
    size = len(matrix)
    if any(len(row) != size for row in matrix):
        raise ValueError("the matrix must be square")
    total = sum(sum(row) for row in matrix)
    agreed = sum(matrix[i][i] for i in range(size))
    row_totals = [sum(row) for row in matrix]
    column_totals = [sum(row[i] for row in matrix) for i in range(size)]
    # Observed and chance agreement are both multiplied by total squared, so whole-number counts
    # stay exact until the one division and "chance agreement is 1" can be tested exactly.
    chance = sum(r * c for r, c in zip(row_totals, column_totals, strict=True))
    if total == 0 or chance == total * total:
        return None
    return (total * agreed - chance) / (total * total - chance)


def cohen_kappa(table: Table) -> float | None:
    """Cohen's kappa for a 2x2 table; None where it is not defined (see the matrix version)."""
    return cohen_kappa_from_matrix(
        [[table.both, table.first_only], [table.second_only, table.neither]]
    )


# Krippendorff's alpha


def _coincidences(
    units: Iterable[Sequence[Hashable | None]],
) -> dict[tuple[Hashable, Hashable], float]:
    """The coincidence matrix: each unit's ordered pairs of values, weighted 1 / (values - 1)."""
    matrix: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for unit in units:
        values = Counter(value for value in unit if value is not None)
        pairable = sum(values.values())
        # A value nobody else gave for the same unit cannot be compared, so the unit is dropped.
        if pairable < 2:
            continue
        for (c, count_c), (k, count_k) in itertools.product(values.items(), repeat=2):
            pairs = count_c * (count_c - 1) if c == k else count_c * count_k
            if pairs:
                matrix[c, k] += pairs / (pairable - 1)
    return matrix


def _number(value: Hashable) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"ordinal, interval and ratio values must be numbers, not {value!r}")
    return float(value)


def _squared_distances(
    level: Level, totals: Mapping[Hashable, float]
) -> dict[tuple[Hashable, Hashable], float]:
    """delta squared between every two values that occur, for the level of measurement."""
    values = list(totals)
    if level == "nominal":
        return {(c, k): 0.0 if c == k else 1.0 for c in values for k in values}
    numbers = {value: _number(value) for value in values}
    if level == "interval":
        return {(c, k): (numbers[c] - numbers[k]) ** 2 for c in values for k in values}
    if level == "ratio":
        if any(number < 0 for number in numbers.values()):
            raise ValueError("ratio values must not be negative")
        return {
            (c, k): 0.0 if c == k else ((numbers[c] - numbers[k]) / (numbers[c] + numbers[k])) ** 2
            for c in values
            for k in values
        }
    if level == "ordinal":
        # Distance between two ranks counts how many values lie between them, so it depends on
        # how often each value was used, not on the numbers themselves.
        ranked = sorted(values, key=numbers.__getitem__)
        running = list(itertools.accumulate((totals[value] for value in ranked), initial=0.0))
        distances: dict[tuple[Hashable, Hashable], float] = {}
        for i, c in enumerate(ranked):
            for j, k in enumerate(ranked):
                low, high = min(i, j), max(i, j)
                between = running[high + 1] - running[low]
                distances[c, k] = (between - (totals[c] + totals[k]) / 2) ** 2
        return distances
    raise ValueError(f"unknown level of measurement: {level!r}")


def krippendorff_alpha(
    units: Iterable[Sequence[Hashable | None]], level: Level = "nominal"
) -> float | None:
    """Krippendorff's alpha for any number of coders, with missing values allowed.

    Each unit is a sequence with one value per coder, None where that coder gave no value.
    Units with fewer than two values are left out. For ordinal, interval and ratio levels the
    values must be numbers (for ordinal only their order matters; ratio values must not be
    negative). Returns None when alpha is not defined: no unit has two values, or every value is
    the same so no disagreement could be expected.
    """
    matrix = _coincidences(units)
    totals: defaultdict[Hashable, float] = defaultdict(float)
    for (c, _k), weight in matrix.items():
        totals[c] += weight
    n = sum(totals.values())
    distances = _squared_distances(level, totals)
    observed = sum(weight * distances[pair] for pair, weight in matrix.items())
    expected = sum(totals[c] * totals[k] * distances[c, k] for c in totals for k in totals)
    if n == 0 or expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


# Any number of coders applying one code, character by character


@dataclass(frozen=True)
class BinaryCoincidences:
    """The coincidence matrix for applied / not applied, which is all alpha needs.

    `mixed` is the weight of (applied, not applied) pairs, which equals that of (not applied,
    applied). Matrices from different codes and sources add, giving alpha over all their units.
    """

    applied_applied: float = 0.0
    mixed: float = 0.0
    not_not: float = 0.0

    @classmethod
    def from_counts(cls, counts: Sequence[int]) -> BinaryCoincidences:
        """From `applying_counts`: counts[m] characters were coded by exactly m coders."""
        coders = len(counts) - 1
        if coders < 2:
            return cls()
        weight = coders - 1
        return cls(
            applied_applied=sum(n * m * (m - 1) for m, n in enumerate(counts)) / weight,
            mixed=sum(n * m * (coders - m) for m, n in enumerate(counts)) / weight,
            not_not=sum(n * (coders - m) * (coders - m - 1) for m, n in enumerate(counts)) / weight,
        )

    def __add__(self, other: BinaryCoincidences) -> BinaryCoincidences:
        return BinaryCoincidences(
            applied_applied=self.applied_applied + other.applied_applied,
            mixed=self.mixed + other.mixed,
            not_not=self.not_not + other.not_not,
        )

    @property
    def alpha(self) -> float | None:
        """Nominal alpha; None when one value was given everywhere (or nothing was compared)."""
        applied = self.applied_applied + self.mixed
        not_applied = self.not_not + self.mixed
        n = applied + not_applied
        if applied == 0 or not_applied == 0:
            return None
        # With two values the general formula's sums reduce to the single mixed cell.
        return 1 - (n - 1) * self.mixed / (applied * not_applied)


def character_alpha(length: int, codings: Sequence[Iterable[Interval]]) -> float | None:
    """Krippendorff's alpha with each character a unit, for one code on one source.

    `codings` holds one list of intervals per coder who coded the source; characters outside a
    coder's intervals count as "not applied" by that coder. Equal to `krippendorff_alpha` on one
    unit per character, without building those units.
    """
    return BinaryCoincidences.from_counts(applying_counts(length, codings)).alpha


# Summaries for a comparison page


@dataclass(frozen=True)
class Agreement:
    """Agreement on one code of one source, or pooled over codes and sources with `+`.

    Only characters that at least two coders could have coded are counted: a source coded by
    one person has nothing to compare and adds nothing. Percent agreement is the share of those
    characters on which every coder agreed. Alpha uses every coder. Kappa is defined for two
    coders only, so with more it is the mean of the kappas of each pair (pairs whose kappa is
    not defined are left out of the mean).
    """

    characters: int = 0
    unanimous: int = 0
    coded_by_any: int = 0
    coded_by_all: int = 0
    coders: frozenset[Hashable] = frozenset()
    coincidences: BinaryCoincidences = BinaryCoincidences()
    pairs: Mapping[tuple[Hashable, Hashable], Table] = field(default_factory=dict)

    def __add__(self, other: Agreement) -> Agreement:
        pairs = dict(self.pairs)
        for pair, table in other.pairs.items():
            pairs[pair] = pairs.get(pair, Table()) + table
        return Agreement(
            characters=self.characters + other.characters,
            unanimous=self.unanimous + other.unanimous,
            coded_by_any=self.coded_by_any + other.coded_by_any,
            coded_by_all=self.coded_by_all + other.coded_by_all,
            coders=self.coders | other.coders,
            coincidences=self.coincidences + other.coincidences,
            pairs=pairs,
        )

    @property
    def percent(self) -> float | None:
        """Share (0 to 1) of characters on which all coders agreed; None if none were compared."""
        if self.characters == 0:
            return None
        return self.unanimous / self.characters

    @property
    def pairwise_kappa(self) -> dict[tuple[Hashable, Hashable], float | None]:
        return {pair: cohen_kappa(table) for pair, table in self.pairs.items()}

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa, or the mean over pairs of coders; None where no pair's is defined."""
        defined = [kappa for kappa in self.pairwise_kappa.values() if kappa is not None]
        if not defined:
            return None
        return sum(defined) / len(defined)

    @property
    def alpha(self) -> float | None:
        return self.coincidences.alpha


def agreement_for_code(length: int, coding: Mapping[CoderT, Iterable[Interval]]) -> Agreement:
    """Agreement on one code of one source of `length` characters: {coder: intervals}.

    Every coder named has coded the source, so a coder with no intervals gave "not applied" to
    every character.
    """
    coders = sorted(coding)
    if len(coders) < 2:
        return Agreement()
    merged = [merge(coding[coder], length) for coder in coders]
    counts = _applying_counts(length, merged)
    everyone = len(coders)
    return Agreement(
        characters=length,
        unanimous=counts[0] + counts[everyone],
        coded_by_any=length - counts[0],
        coded_by_all=counts[everyone],
        coders=frozenset(coders),
        coincidences=BinaryCoincidences.from_counts(counts),
        pairs={
            (coders[i], coders[j]): _table_from_merged(length, merged[i], merged[j])
            for i, j in itertools.combinations(range(everyone), 2)
        },
    )


@dataclass(frozen=True)
class Comparison(Generic[CodeT]):
    """Agreement per code and overall, for one source or pooled over several with `pool`."""

    by_code: Mapping[CodeT, Agreement] = field(default_factory=dict)
    overall: Agreement = Agreement()


def compare_source(
    length: int,
    coding: Mapping[CoderT, Mapping[CodeT, Iterable[Interval]]],
    codes: Iterable[CodeT] | None = None,
) -> Comparison[CodeT]:
    """Agreement on each code of one source, and pooled over its codes.

    `coding` is {coder: {code: intervals}} for every coder who coded the source. By default the
    codes compared are those any coder used here: a code nobody applied would only add
    characters everyone agreed on and make agreement look better than it is.
    """
    if codes is None:
        codes = dict.fromkeys(code for by_code in coding.values() for code in by_code)
    by_code = {
        code: agreement_for_code(
            length, {coder: by_code.get(code, ()) for coder, by_code in coding.items()}
        )
        for code in codes
    }
    return Comparison(by_code=by_code, overall=sum(by_code.values(), Agreement()))


def pool(comparisons: Iterable[Comparison[CodeT]]) -> Comparison[CodeT]:
    """Comparisons of several sources added together, per code and overall."""
    by_code: dict[CodeT, Agreement] = {}
    overall = Agreement()
    for comparison in comparisons:
        for code, agreement in comparison.by_code.items():
            by_code[code] = by_code.get(code, Agreement()) + agreement
        overall += comparison.overall
    return Comparison(by_code=by_code, overall=overall)
