import itertools
import random
from collections import Counter
from collections.abc import Hashable, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.analysis.agreement import (
    Agreement,
    BinaryCoincidences,
    Interval,
    Level,
    Table,
    agreement_for_code,
    applying_counts,
    character_alpha,
    character_table,
    cohen_kappa,
    cohen_kappa_from_matrix,
    compare_source,
    krippendorff_alpha,
    merge,
    percent_agreement,
    pool,
)


def applied(intervals: Sequence[Interval], length: int) -> list[int]:
    """One value per character, built the slow way for checking the interval arithmetic."""
    return [int(any(start <= i < end for start, end in intervals)) for i in range(length)]


def per_character(length: int, codings: Sequence[Sequence[Interval]]) -> list[list[int]]:
    columns = [applied(intervals, length) for intervals in codings]
    return [[column[i] for column in columns] for i in range(length)]


intervals_for = st.lists(
    st.tuples(st.integers(-3, 45), st.integers(-3, 45)).map(lambda pair: (min(pair), max(pair))),
    max_size=5,
)


# Published worked examples

# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011): four observers, twelve
# units, with some values missing. The paper reports alpha for each level of measurement.
N = None
KRIPPENDORFF_2011 = list(
    zip(
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
        strict=True,
    )
)


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorffs_own_worked_example_gives_the_published_alpha_at_each_level(
    level: Level, published: float
) -> None:
    alpha = krippendorff_alpha(KRIPPENDORFF_2011, level)
    assert alpha is not None
    assert round(alpha, 3) == published


def test_the_fifty_item_example_in_the_wikipedia_cohens_kappa_article() -> None:
    # Wikipedia, "Cohen's kappa": 20 items both said yes, 5 only A, 10 only B, 15 both said no.
    # Observed agreement 0.7, chance agreement 0.5, kappa 0.4.
    table = Table(both=20, first_only=5, second_only=10, neither=15)
    assert percent_agreement(table) == pytest.approx(0.7)
    assert cohen_kappa(table) == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("table", "published"),
    [
        (Table(both=45, first_only=15, second_only=25, neither=15), 0.1304),
        (Table(both=25, first_only=35, second_only=5, neither=35), 0.2593),
    ],
)
def test_the_same_agreement_with_different_margins_examples_from_wikipedia(
    table: Table, published: float
) -> None:
    # Wikipedia, "Cohen's kappa": two tables with 60% agreement but different kappas.
    assert percent_agreement(table) == pytest.approx(0.6)
    kappa = cohen_kappa(table)
    assert kappa is not None
    assert round(kappa, 4) == published


def test_cohens_own_three_category_example() -> None:
    # Cohen, "A coefficient of agreement for nominal scales" (1960): 200 cases, three
    # categories; observed agreement .70, chance agreement .41, kappa .492.
    matrix = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]
    kappa = cohen_kappa_from_matrix(matrix)
    assert kappa is not None
    assert round(kappa, 3) == 0.492
    assert kappa == pytest.approx((0.70 - 0.41) / (1 - 0.41))


# Cohen's kappa


def test_kappa_is_not_defined_when_both_coders_gave_one_same_value_everywhere() -> None:
    assert cohen_kappa(Table(neither=10)) is None
    assert cohen_kappa(Table(both=10)) is None
    assert cohen_kappa_from_matrix([[0, 0, 0], [0, 7, 0], [0, 0, 0]]) is None


def test_kappa_and_percent_are_not_defined_for_an_empty_table() -> None:
    assert cohen_kappa(Table()) is None
    assert percent_agreement(Table()) is None


def test_kappa_is_defined_when_only_one_coder_varied() -> None:
    # Expected agreement is below 1, so kappa is a number (here no better than chance).
    assert cohen_kappa(Table(both=0, first_only=0, second_only=3, neither=7)) == 0


def test_a_kappa_matrix_must_be_square() -> None:
    with pytest.raises(ValueError, match="square"):
        cohen_kappa_from_matrix([[1, 2], [3]])


@given(st.lists(st.integers(0, 30), min_size=4, max_size=4))
def test_the_2x2_kappa_is_the_matrix_kappa(cells: list[int]) -> None:
    both, first_only, second_only, neither = cells
    table = Table(both, first_only, second_only, neither)
    assert cohen_kappa(table) == cohen_kappa_from_matrix(
        [[both, first_only], [second_only, neither]]
    )


# Krippendorff's alpha


def test_alpha_is_not_defined_without_pairable_values_or_without_variation() -> None:
    assert krippendorff_alpha([]) is None
    assert krippendorff_alpha([[1, None], [None, 2], [3]]) is None
    assert krippendorff_alpha([[1, 1], [1, 1, None]]) is None
    assert krippendorff_alpha([[2, 2], [2, 2]], "interval") is None


def test_units_with_a_single_value_are_left_out() -> None:
    units: list[list[int | None]] = [[1, 1], [2, 2], [1, 2], [3, 3]]
    assert krippendorff_alpha([*units, [4, None], [None, None]]) == krippendorff_alpha(units)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_perfect_agreement_gives_alpha_one_at_every_level(level: Level) -> None:
    units: list[list[int | None]] = [[1, 1, 1], [2, 2, None], [5, 5, 5]]
    assert krippendorff_alpha(units, level) == pytest.approx(1)


def test_non_numbers_are_refused_where_distances_need_numbers() -> None:
    with pytest.raises(TypeError):
        krippendorff_alpha([["low", "high"], ["low", "low"]], "ordinal")
    with pytest.raises(ValueError, match="negative"):
        krippendorff_alpha([[-1, 2], [2, 2]], "ratio")
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha([[1, 2], [2, 2]], "cardinal")  # type: ignore[arg-type]


unit_values = st.lists(
    st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=3, max_size=3),
    min_size=1,
    max_size=12,
)


@given(unit_values)
def test_nominal_alpha_ignores_what_the_values_are_called(units: list[list[int | None]]) -> None:
    renamed = [[None if value is None else f"code {value}" for value in unit] for unit in units]
    assert krippendorff_alpha(renamed) == pytest.approx(krippendorff_alpha(units))


@given(unit_values)
def test_ordinal_alpha_depends_only_on_the_order_of_the_values(
    units: list[list[int | None]],
) -> None:
    stretched = [[None if value is None else value**3 + 10 for value in unit] for unit in units]
    assert krippendorff_alpha(stretched, "ordinal") == pytest.approx(
        krippendorff_alpha(units, "ordinal")
    )


@given(unit_values)
def test_interval_alpha_is_unchanged_by_a_change_of_unit_or_origin(
    units: list[list[int | None]],
) -> None:
    moved = [[None if value is None else 2.5 * value - 7 for value in unit] for unit in units]
    assert krippendorff_alpha(moved, "interval") == pytest.approx(
        krippendorff_alpha(units, "interval")
    )


# Intervals


def test_overlapping_and_touching_intervals_of_one_coder_count_once() -> None:
    assert merge([(5, 15), (0, 10), (15, 20), (30, 40), (32, 35)], 100) == [(0, 20), (30, 40)]


def test_offsets_outside_the_text_are_clipped_and_empty_ranges_dropped() -> None:
    assert merge([(-5, 3), (90, 150), (120, 130), (7, 7), (9, 8)], 100) == [(0, 3), (90, 100)]
    assert character_table(100, [(90, 150)], [(95, 200)]) == Table(
        both=5, first_only=5, second_only=0, neither=90
    )


@given(intervals_for, st.integers(0, 40))
def test_merging_covers_exactly_the_characters_the_intervals_cover(
    intervals: list[Interval], length: int
) -> None:
    merged = merge(intervals, length)
    assert applied(merged, length) == applied(intervals, length)
    assert all(start < end for start, end in merged)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(merged))


# Two coders, character by character


def test_identical_coding_agrees_completely() -> None:
    coding = [(3, 10), (20, 31)]
    table = character_table(50, coding, coding)
    assert table == Table(both=18, first_only=0, second_only=0, neither=32)
    assert percent_agreement(table) == 1
    assert cohen_kappa(table) == 1
    assert character_alpha(50, [coding, coding]) == 1


def test_disjoint_coding() -> None:
    table = character_table(100, [(0, 20)], [(50, 70)])
    assert table == Table(both=0, first_only=20, second_only=20, neither=60)
    assert percent_agreement(table) == pytest.approx(0.6)
    # Chance agreement is 0.2 * 0.2 + 0.8 * 0.8 = 0.68, so kappa is (0.6 - 0.68) / 0.32.
    assert cohen_kappa(table) == pytest.approx(-0.25)


def test_nested_coding() -> None:
    table = character_table(100, [(10, 50)], [(20, 30)])
    assert table == Table(both=10, first_only=30, second_only=0, neither=60)
    assert percent_agreement(table) == pytest.approx(0.7)
    # Chance agreement is 0.4 * 0.1 + 0.6 * 0.9 = 0.58.
    assert cohen_kappa(table) == pytest.approx((0.7 - 0.58) / 0.42)


def test_one_coders_overlapping_segments_are_not_counted_twice() -> None:
    assert character_table(40, [(0, 10), (5, 15), (15, 20)], [(0, 20)]) == Table(
        both=20, first_only=0, second_only=0, neither=20
    )


def test_kappa_is_not_defined_when_nobody_applied_the_code() -> None:
    table = character_table(30, [], [])
    assert table == Table(neither=30)
    assert percent_agreement(table) == 1
    assert cohen_kappa(table) is None
    assert character_alpha(30, [[], []]) is None


@given(intervals_for, intervals_for, st.integers(0, 40))
def test_the_table_matches_counting_character_by_character(
    first: list[Interval], second: list[Interval], length: int
) -> None:
    pairs = Counter(zip(applied(first, length), applied(second, length), strict=True))
    assert character_table(length, first, second) == Table(
        both=pairs[1, 1], first_only=pairs[1, 0], second_only=pairs[0, 1], neither=pairs[0, 0]
    )


def test_tables_add_cell_by_cell() -> None:
    total = Table(1, 2, 3, 4) + Table(10, 20, 30, 40)
    assert total == Table(both=11, first_only=22, second_only=33, neither=44)
    assert total.total == 110


# Any number of coders, character by character


@given(st.lists(intervals_for, min_size=1, max_size=5), st.integers(0, 40))
def test_counts_by_number_of_coders_match_counting_character_by_character(
    codings: list[list[Interval]], length: int
) -> None:
    counts = Counter(sum(unit) for unit in per_character(length, codings))
    assert applying_counts(length, codings) == [counts[m] for m in range(len(codings) + 1)]


@given(st.lists(intervals_for, min_size=2, max_size=5), st.integers(1, 40))
def test_character_alpha_equals_alpha_on_one_unit_per_character(
    codings: list[list[Interval]], length: int
) -> None:
    expected = krippendorff_alpha(per_character(length, codings))
    actual = character_alpha(length, codings)
    if expected is None:
        assert actual is None
    else:
        assert actual == pytest.approx(expected)


def test_character_alpha_needs_two_coders() -> None:
    assert character_alpha(10, [[(0, 5)]]) is None
    assert BinaryCoincidences.from_counts([4, 6]) == BinaryCoincidences()


def test_with_two_coders_alpha_comes_close_to_kappa_on_a_long_text() -> None:
    # Alpha and kappa differ only in how chance is estimated; when both coders apply a code
    # about as often, on many characters, the two nearly coincide.
    chooser = random.Random(20110625)
    length = 200_000

    def coding() -> list[Interval]:
        starts = [chooser.randrange(length) for _ in range(400)]
        return [(start, start + chooser.randrange(20, 200)) for start in starts]

    shared = coding()
    first = shared[:300] + coding()[:100]
    second = shared[100:] + coding()[:100]
    kappa = cohen_kappa(character_table(length, first, second))
    alpha = character_alpha(length, [first, second])
    assert kappa is not None
    assert alpha is not None
    assert 0.2 < kappa < 0.9
    assert alpha == pytest.approx(kappa, abs=0.01)


# Summaries per code, per source and pooled


def test_two_coders_on_one_code() -> None:
    agreement = agreement_for_code(100, {2: [(10, 50)], 1: [(20, 30)]})
    assert agreement.characters == 100
    assert agreement.coded_by_any == 40
    assert agreement.coded_by_all == 10
    assert agreement.coders == {1, 2}
    # Coders are put in order, so the first of the pair is coder 1.
    assert agreement.pairs == {(1, 2): Table(both=10, first_only=0, second_only=30, neither=60)}
    assert agreement.percent == pytest.approx(0.7)
    assert agreement.kappa == pytest.approx(cohen_kappa(Table(10, 30, 0, 60)))
    assert agreement.alpha == pytest.approx(
        krippendorff_alpha(per_character(100, [[(10, 50)], [(20, 30)]]))
    )


def test_with_three_coders_percent_needs_everyone_and_kappa_is_the_mean_over_pairs() -> None:
    coding = {"a": [(0, 10)], "b": [(0, 10)], "c": [(0, 5)]}
    agreement = agreement_for_code(20, coding)
    # Characters 5 to 9 are the only ones where the coders differ.
    assert agreement.percent == pytest.approx(15 / 20)
    pairwise = [
        cohen_kappa(character_table(20, coding[x], coding[y]))
        for x, y in (("a", "b"), ("a", "c"), ("b", "c"))
    ]
    assert agreement.pairwise_kappa == dict(
        zip([("a", "b"), ("a", "c"), ("b", "c")], pairwise, strict=True)
    )
    assert agreement.kappa == pytest.approx(sum(k for k in pairwise if k is not None) / 3)
    assert agreement.alpha == pytest.approx(
        krippendorff_alpha(per_character(20, list(coding.values())))
    )


def test_pairs_whose_kappa_is_not_defined_are_left_out_of_the_mean() -> None:
    # Coders a and b never applied the code; only the pairs with c have a kappa.
    agreement = agreement_for_code(20, {"a": [], "b": [], "c": [(0, 5)]})
    assert agreement.pairwise_kappa[("a", "b")] is None
    assert agreement.kappa == pytest.approx(0)


def test_a_source_coded_by_one_person_has_nothing_to_compare() -> None:
    agreement = agreement_for_code(100, {1: [(0, 10)]})
    assert agreement == Agreement()
    assert agreement.percent is None
    assert agreement.kappa is None
    assert agreement.alpha is None


def test_a_source_compares_the_codes_anyone_used_unless_told_which() -> None:
    coding = {1: {"pain": [(0, 10)], "waiting": [(40, 60)]}, 2: {"pain": [(5, 10)]}}
    comparison = compare_source(100, coding)
    assert list(comparison.by_code) == ["pain", "waiting"]
    assert comparison.by_code["waiting"].coded_by_any == 20
    assert comparison.by_code["waiting"].coded_by_all == 0
    assert comparison.overall.characters == 200
    assert comparison.overall == comparison.by_code["pain"] + comparison.by_code["waiting"]

    named = compare_source(100, coding, codes=["pain", "transport"])
    unused = named.by_code["transport"]
    assert unused.percent == 1
    assert unused.kappa is None
    assert unused.alpha is None


def test_pooling_adds_up_per_code_and_overall() -> None:
    first = compare_source(50, {1: {"pain": [(0, 10)]}, 2: {"pain": [(0, 20)]}})
    second = compare_source(
        30, {1: {"pain": [(0, 30)], "cost": [(0, 5)]}, 2: {"pain": [], "cost": [(0, 5)]}}
    )
    pooled = pool([first, second])
    pain = pooled.by_code["pain"]
    assert pain.characters == 80
    assert pain.pairs == {(1, 2): Table(both=10, first_only=30, second_only=10, neither=30)}
    assert pain.percent == pytest.approx(40 / 80)
    assert pain.kappa == pytest.approx(cohen_kappa(Table(10, 30, 10, 30)))
    assert pooled.by_code["cost"] == second.by_code["cost"]
    assert pooled.overall == first.overall + second.overall
    assert pooled.overall.characters == 110
    assert pool([]).overall == Agreement()


coded_sources = st.lists(
    st.tuples(
        st.integers(1, 30),
        st.dictionaries(st.sampled_from("abcd"), intervals_for, min_size=2, max_size=4),
    ),
    min_size=1,
    max_size=4,
)


@given(coded_sources)
def test_pooled_alpha_over_sources_equals_alpha_on_all_their_characters(
    sources: list[tuple[int, dict[str, list[Interval]]]],
) -> None:
    # A coder who did not code a source gives no value for its characters, as in the general
    # formula's missing values.
    units: list[list[Hashable | None]] = []
    for length, coding in sources:
        columns = {coder: applied(coding.get(coder, []), length) for coder in "abcd"}
        units.extend(
            [columns[coder][i] if coder in coding else None for coder in "abcd"]
            for i in range(length)
        )
    pooled = pool(
        compare_source(length, {c: {"x": i} for c, i in coding.items()})
        for length, coding in sources
    )
    expected = krippendorff_alpha(units)
    if expected is None:
        assert pooled.overall.alpha is None
    else:
        assert pooled.overall.alpha == pytest.approx(expected)
    assert pooled.overall.characters == sum(length for length, _ in sources)
    unanimous = sum(1 for unit in units if len({value for value in unit if value is not None}) == 1)
    assert pooled.overall.unanimous == unanimous
