import itertools

from hypothesis import given
from hypothesis import strategies as st

from coproduce.analysis import names
from coproduce.analysis.identifiers import Span
from coproduce.analysis.pseudonymise import Pseudonymiser, find_all
from coproduce.analysis.transcripts import srt


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
    assert len(replacements) == len(find_all(text))
    expected, position = "", 0
    for replacement in replacements:
        assert text[replacement.start : replacement.end] == replacement.original
        expected += text[position : replacement.start] + replacement.placeholder
        position = replacement.end
    assert replaced == expected + text[position:]


def replace_all(pseudonymiser: Pseudonymiser, *texts: str) -> list[str]:
    return [pseudonymiser.apply(text)[0] for text in texts]


def test_one_person_keeps_one_placeholder_across_the_sources_of_a_project() -> None:
    first = Pseudonymiser()
    assert replace_all(first, "Dr Sarah Jones explained the scan.") == [
        "Dr [Name 1] explained the scan."
    ]
    # The next source of the same project starts from the mapping made so far.
    later = Pseudonymiser(dict(first.placeholders))
    assert replace_all(
        later,
        "Sarah rang me the next day.",
        "Mrs Jones was very kind.",
        "Dr Sarah Anne Jones signed the letter.",
        "Siân Lloyd and Sian Lloyd are one nurse.",
    ) == [
        "[Name 1] rang me the next day.",
        "Mrs [Name 1] was very kind.",
        "Dr [Name 1] signed the letter.",
        "[Name 2] and [Name 2] are one nurse.",
    ]


def test_a_bare_name_seen_first_is_joined_by_the_full_name_that_fits_it() -> None:
    pseudonymiser = Pseudonymiser()
    assert replace_all(
        pseudonymiser, "Sarah was lovely.", "Later Sarah Jones rang.", "Dr Jones agreed."
    ) == ["[Name 1] was lovely.", "Later [Name 1] rang.", "Dr [Name 1] agreed."]


def test_people_who_share_a_name_are_kept_apart_and_nothing_is_guessed() -> None:
    pseudonymiser = Pseudonymiser()
    assert replace_all(
        pseudonymiser,
        "Sarah Jones saw me first.",
        "Mr Jones drove me home.",
        "Sarah Patel took my bloods.",
        "Then Sarah came back.",
        "Mrs Jones said goodbye.",
    ) == [
        "[Name 1] saw me first.",
        "Mr [Name 2] drove me home.",
        "[Name 3] took my bloods.",
        # Two people are called Sarah now, so a bare "Sarah" is not guessed to be either: it
        # gets a placeholder of its own, and keeps it.
        "Then [Name 4] came back.",
        "Mrs [Name 1] said goodbye.",
    ]


def test_names_and_other_identifiers_are_replaced_together_without_overlapping() -> None:
    text = "Email sarah.jones@nhs.net or ring Sarah Jones on 07700 900123 (LS1 4AP)."
    replaced, replacements = Pseudonymiser().apply(text)
    assert replaced == "Email [Email 1] or ring [Name 1] on [Phone 1] ([Postcode 1])."
    assert [r.kind for r in replacements] == ["email", "name", "phone", "postcode"]
    for before, after in itertools.pairwise(replacements):
        assert before.end <= after.start
    assert find_all(text) == [
        Span("email", 6, 25),
        Span("name", 34, 45),
        Span("phone", 49, 61),
        Span("postcode", 63, 70),
    ]


def test_names_found_with_strong_evidence_are_found_again_in_later_sources() -> None:
    assert not names.is_known_name("zorbel")
    first = Pseudonymiser()
    assert replace_all(first, "My husband Zorbel came with me.") == [
        "My husband [Name 1] came with me."
    ]
    later = Pseudonymiser(dict(first.placeholders))
    assert later.known_names == {"zorbel"}
    assert replace_all(later, "Zorbel came in.") == ["[Name 1] came in."]
    assert replace_all(Pseudonymiser(), "Zorbel came in.") == ["Zorbel came in."]


def test_a_transcripts_speaker_labels_are_replaced_like_the_names_in_it() -> None:
    transcript = srt(
        b"1\n00:00:00,000 --> 00:00:02,000\nInterviewer: Who helped you most?\n\n"
        b"2\n00:00:02,000 --> 00:00:05,000\nHope: My nurse, Sister Okafor.\n\n"
        b"3\n00:00:05,000 --> 00:00:07,000\nInterviewer: Thank you, Hope.\n"
    )
    speakers = [turn.speaker for turn in transcript.turns]
    replaced, _ = Pseudonymiser().apply(transcript.text, speakers=speakers)
    assert replaced == (
        "Interviewer: Who helped you most?\n\n"
        "[Name 1]: My nurse, Sister [Name 2].\n\n"
        "Interviewer: Thank you, [Name 1]."
    )
