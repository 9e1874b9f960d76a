"""Transcript and text importers: offsets, speakers, times, encodings, and refusing bad files."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.analysis.transcripts import ImportRefused, plain_text, speaker_label, srt, webvtt

VTT = """WEBVTT

1
00:00:01.000 --> 00:00:04.500
<v Interviewer>What made you want to join the group?</v>

2
00:00:05.000 --> 00:00:09.250
<v Siân Llewellyn>I wanted the next person to have it easier — the letters were awful.

3
00:00:09.300 --> 00:00:12.000
<v Siân Llewellyn>Nobody told me what "MDT" meant.

NOTE the recording paused here

4
00:01:02.000 --> 00:01:03.000
Interviewer: Thank you.
"""

SRT = """1
00:00:01,000 --> 00:00:03,000
P1: The café at the hospital was the only warm place.

2
00:00:03,500 --> 00:00:05,000
[Facilitator] Say more about that?
"""


def spoken(transcript, index):
    turn = transcript.turns[index]
    return transcript.text[turn.start : turn.end]


def test_webvtt_keeps_speakers_times_and_exact_offsets() -> None:
    transcript = webvtt(VTT.encode())
    assert [t.speaker for t in transcript.turns] == ["Interviewer", "Siân Llewellyn", "Interviewer"]
    # Two cues of one speaker become one turn, from the first cue's start to the last's end.
    assert spoken(transcript, 1) == (
        "I wanted the next person to have it easier — the letters were awful. "
        'Nobody told me what "MDT" meant.'
    )
    assert (transcript.turns[1].starts_at_ms, transcript.turns[1].ends_at_ms) == (5000, 12000)
    assert spoken(transcript, 2) == "Thank you."
    assert transcript.turns[2].starts_at_ms == 62000
    assert transcript.text.startswith("Interviewer: What made you want")


def test_srt_reads_labelled_and_bracketed_speakers() -> None:
    transcript = srt(SRT.encode())
    assert [t.speaker for t in transcript.turns] == ["P1", "Facilitator"]
    assert spoken(transcript, 0) == "The café at the hospital was the only warm place."
    assert transcript.turns[1].starts_at_ms == 3500


def test_windows_line_endings_and_encodings_give_the_same_text_and_offsets() -> None:
    unix = webvtt(VTT.encode("utf-8"))
    for data in (
        VTT.replace("\n", "\r\n").encode("utf-8"),
        b"\xef\xbb\xbf" + VTT.encode("utf-8"),
        VTT.encode("utf-16"),
    ):
        assert webvtt(data) == unix


def test_windows_1252_text_is_read() -> None:
    text = "Caf\u00e9 \u2013 \u201cgood\u201d"
    assert plain_text(text.encode("cp1252")).text == text


def test_decomposed_accents_are_composed_so_offsets_count_characters_people_see() -> None:
    assert plain_text("Sia\u0302n".encode()).text == "Siân"


@pytest.mark.parametrize(
    ("importer", "data", "message"),
    [
        (webvtt, b"00:00:01.000 --> 00:00:02.000\nHello", 'must start with the line "WEBVTT"'),
        (webvtt, b"WEBVTT\n\n00:00:01 --> 00:00:02\nHello", "is not in the form 00:01:02.345"),
        (webvtt, b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nHello", "ends before it starts"),
        (webvtt, b"WEBVTT\n\nNOTE only a note", "no captions with any words"),
        (srt, b"1\n00:00:01.000 --> 00:00:02.000\nHello", "is not in the form 00:01:02,345"),
        (srt, b"1\n", "no timing line"),
        (plain_text, b"   \n\n ", "The file is empty"),
        (plain_text, b"abc\x00def", "not a text file"),
        (plain_text, b"\xff\xfeA\x00\x00\xd8", "is not valid UTF-16"),
        (plain_text, b"caf\x81\x8d", "encoding could not be recognised"),
    ],
)
def test_bad_files_are_refused_with_a_specific_message(importer, data, message) -> None:
    with pytest.raises(ImportRefused, match=message):
        importer(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_either_import_or_are_refused_cleanly(data: bytes) -> None:
    for importer in (plain_text, webvtt, srt):
        try:
            transcript = importer(data)
        except ImportRefused:
            continue
        for turn in transcript.turns:
            assert 0 <= turn.start <= turn.end <= len(transcript.text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Interviewer", "Anna", "P2", "Siân"]),
            st.text(
                alphabet=st.characters(
                    blacklist_categories=("Cs", "Cc"), blacklist_characters="<>:[]"
                ),
                min_size=1,
                max_size=40,
            ).filter(lambda s: s.strip() and "-->" not in s),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_every_turn_points_at_exactly_the_words_said(lines: list[tuple[str, str]]) -> None:
    body = "\n\n".join(
        f"{i + 1}\n00:00:{i:02d},000 --> 00:00:{i:02d},500\n{speaker}: {words.strip()}"
        for i, (speaker, words) in enumerate(lines)
    )
    transcript = srt(body.encode())
    said = unicodedata.normalize("NFC", " ".join(words.strip() for _, words in lines))
    assert " ".join(spoken(transcript, i) for i in range(len(transcript.turns))).split() == (
        said.split()
    )


def test_a_sentence_with_a_colon_is_not_taken_for_a_speaker() -> None:
    transcript = srt(
        b"1\n00:00:01,000 --> 00:00:02,000\nThe letter from the clinic said: come at nine\n"
    )
    assert transcript.turns[0].speaker == ""
    assert transcript.text == "The letter from the clinic said: come at nine"


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("Interviewer: What brought you here?", ("Interviewer", 13)),
        ("  P3:   Yes.", ("P3", 8)),
        ("[Si\u00e2n Llewellyn] It was hard.", ("Si\u00e2n Llewellyn", 17)),
        ("Dr Amir Khan Junior: Hello.", ("Dr Amir Khan Junior", 21)),
        ("The letter from the clinic said: come at nine", None),
        ("[ ] nobody", None),
        ("Interviewer:no space", None),
        ("No label here", None),
    ],
)
def test_a_speaker_label_is_a_short_name_before_the_words(
    line: str, label: tuple[str, int] | None
) -> None:
    assert speaker_label(line) == label
