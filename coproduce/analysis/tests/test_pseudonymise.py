from hypothesis import given
from hypothesis import strategies as st

from coproduce.analysis.identifiers import Span, find
from coproduce.analysis.pseudonymise import Pseudonymiser


def test_the_same_identifier_gets_the_same_placeholder_however_it_is_written() -> None:
    pseudonymiser = Pseudonymiser()
    first, _ = pseudonymiser.apply("Call 07700 900123 or write to LS1 4AP.")
    second, replacements = pseudonymiser.apply(
        "My number is +44 7700 900123, post code ls14ap, email A.Smith@Example.org"
    )
    assert first == "Call [Phone 1] or write to [Postcode 1]."
    assert second == "My number is [Phone 1], post code [Postcode 1], email [Email 1]"
    assert [r.original for r in replacements] == [
        "+44 7700 900123",
        "ls14ap",
        "A.Smith@Example.org",
    ]


def test_different_values_are_numbered_apart_and_the_mapping_carries_over() -> None:
    pseudonymiser = Pseudonymiser()
    pseudonymiser.apply("One is 07700 900123, the other 07700 900456.")
    carried = Pseudonymiser(dict(pseudonymiser.placeholders))
    text, _ = carried.apply("Ring 07700 900456 first.")
    assert text == "Ring [Phone 2] first."


def test_names_found_elsewhere_are_replaced_by_the_spans_given() -> None:
    text = "Dr Ahmed said Mrs Jones could go home."
    spans = [Span("name", 3, 8), Span("name", 18, 23)]
    replaced, _ = Pseudonymiser().apply(text, spans)
    assert replaced == "Dr [Name 1] said Mrs [Name 2] could go home."


@given(st.text(max_size=300))
def test_only_the_identifiers_change_and_each_is_reported_where_it_was(text: str) -> None:
    replaced, replacements = Pseudonymiser().apply(text)
    assert len(replacements) == len(find(text))
    expected, position = "", 0
    for replacement in replacements:
        assert text[replacement.start : replacement.end] == replacement.original
        expected += text[position : replacement.start] + replacement.placeholder
        position = replacement.end
    assert replaced == expected + text[position:]
