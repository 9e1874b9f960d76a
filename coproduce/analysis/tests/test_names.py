import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.analysis import names
from coproduce.analysis.identifiers import Span
from coproduce.analysis.identifiers import find as find_identifiers
from coproduce.analysis.names import Gazetteer, NameFinder
from coproduce.analysis.transcripts import webvtt


def found(text: str, **options: object) -> list[str]:
    return [text[span.start : span.end] for span in names.find(text, **options)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr Sarah Jones was lovely and Mrs Jones too.", ["Sarah Jones", "Jones"]),
        ("Dr. Patel saw me on Tuesday.", ["Patel"]),
        ("Prof Sarah Jones and Ms Okafor ran the clinic.", ["Sarah Jones", "Okafor"]),
        ("Sister Morris looked after me on Ward 5.", ["Morris"]),
        ("nurse jenny was kind, as was dr patel.", ["jenny", "patel"]),
        ("my husband dave came with me", ["dave"]),
        ("Our eldest daughter, Grace, came with me.", ["Grace"]),
        ("My son Will drove and will drive again.", ["Will"]),
        ("My name is Tendai and I live in Bath.", ["Tendai"]),
        ("A nurse called Tavirel explained everything.", ["Tavirel"]),
        ("The consultant Mr Ng explained it all.", ["Ng"]),
        ("Sarah's kindness got me through.", ["Sarah"]),
        ("Thank you Wojciech and Tavirel.", ["Wojciech", "Tavirel"]),
        ("Tavirel explained everything.", ["Tavirel"]),
        ("I saw Grace on Tuesday and Will on Friday.", ["Grace", "Will"]),
        ("Kind regards,\nTendai Moyo", ["Tendai Moyo"]),
        ("Seen by J. Smith in clinic.", ["J. Smith"]),
        ("Jenny Ward was lovely on Rose Ward.", ["Jenny Ward"]),
        ("THE NURSES WERE GREAT ESPECIALLY SARAH", ["SARAH"]),
    ],
)
def test_names_are_found_with_their_exact_words(text: str, expected: list[str]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Will they ring me? I will wait. Hope this helps.",
        "May I say how kind everyone was. In May I started chemo.",
        "By the grace of God I am still here. Faith in the NHS restored.",
        "Mark my words. The bill was high. To be frank, it was poor.",
        "The rose garden is lovely and the amber light was on. A sunny day.",
        "I live in Bath and drive to Chester, then on to Jordan.",
        "We went to St James's University Hospital, then the Christie.",
        "The Royal Marsden, Macmillan and Maggie's were all brilliant.",
        "I was moved to Ward 5 and then Rose Ward on Monday.",
        "The Consultant and the Registrar saw me. Matron sorted it.",
        "Nurse Specialist team, Ward Sister and Staff Nurse on nights.",
        "Herceptin made me sick but Tamoxifen was fine in March.",
        "The James Cook University Hospital was spotless.",
        "Excellent Care From All The Staff On The Unit",
        "Mum and I went to Maggie's on Tuesday.",
        "Interviewer: How was it?\nP3: Fine.\nFacilitator: Thanks.",
    ],
)
def test_words_that_look_like_names_are_left_alone(text: str) -> None:
    assert found(text) == []


def test_accented_and_compound_names_keep_their_exact_offsets() -> None:
    text = "Ms Nowak-Kowalska, Mr O'Neill and Zoë helped Siân."
    spans = names.find(text)
    assert [(s.start, s.end) for s in spans] == [(3, 17), (22, 29), (34, 37), (45, 49)]
    assert [text[s.start : s.end] for s in spans] == ["Nowak-Kowalska", "O'Neill", "Zoë", "Siân"]


def test_keys_ignore_case_accents_and_curly_apostrophes() -> None:
    assert names.key("Siân") == names.key("SIAN") == "sian"
    assert names.key("O\u2019Neill") == "o'neill"
    assert names.key("Łukasz") == "lukasz"
    assert names.name_parts("Dr Sarah-Jane O'Neill's") == ["dr", "sarah-jane", "o'neill"]
    assert names.title_before("Please thank Mrs Jones", 17) == "mrs"
    assert names.title_before("Please thank Jones", 13) is None


def test_a_transcripts_speakers_are_names_and_roles_are_not() -> None:
    transcript = webvtt(
        b"WEBVTT\n\n00:00.000 --> 00:02.000\n<v Interviewer>How was it?\n\n"
        b"00:02.000 --> 00:04.000\n<v Faith>Fine. Faith is my name.\n\n"
        b"00:04.000 --> 00:06.000\n<v P2>Thanks, Faith.\n"
    )
    speakers = [turn.speaker for turn in transcript.turns]
    text = transcript.text
    assert found(text, speakers=speakers) == ["Faith", "Faith", "Faith"]
    assert names.speaker_is_person("Dr Patel")
    assert not names.speaker_is_person("Participant 2")
    assert not names.speaker_is_person("Interviewer")


def test_names_learned_elsewhere_in_a_project_are_found_again() -> None:
    text = "Zorbel came in."
    assert not names.is_known_name("zorbel")
    assert found(text) == []
    assert found(text, known={"zorbel"}) == ["Zorbel"]
    detections = names.detect("My husband Zorbel came.")
    assert [(d.rule, d.new_words) for d in detections] == [("relation", ("zorbel",))]


def test_words_inside_other_identifiers_are_not_names_or_cues() -> None:
    text = "Write to LS1 4GP, Shirley or email sarah.jones@nhs.net"
    identifiers = find_identifiers(text)
    assert found(text, ignore=identifiers) == []


def test_a_gazetteer_without_a_name_needs_other_evidence() -> None:
    finder = NameFinder(Gazetteer.default().without(["Tendai"]))
    assert finder.find("Tendai was here.") == []
    assert [(s.start, s.end) for s in finder.find("My name is Tendai.")] == [(11, 17)]


@given(st.text(max_size=300))
def test_spans_never_overlap_and_cover_whole_words(text: str) -> None:
    spans = names.find(text)
    for before, after in itertools.pairwise(spans):
        assert before.end <= after.start
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.kind == "name"
        assert not text[span.start].isspace() and not text[span.end - 1].isspace()


# A small labelled set, in the words of patient feedback and focus groups: [brackets] mark the
# names. It is a floor for quality, not a benchmark (see bench/names.py for that).
LABELLED = """
Nurse [Bethany] stayed late to finish my discharge letter.
[Dr Okonkwo] told me the results kindly and clearly.
The whole team were great, especially [Kwame] on nights.
My wife [Heather] came to every appointment.
I'd like to thank [Gareth Evans] in the pharmacy.
[Priya] on reception always remembered my name.
We were looked after by [Sister O'Donnell] on the day unit.
My consultant, Mr [Shah], was very patient with my questions.
The parking at the hospital is terrible.
I waited three hours for a scan on Tuesday.
[Mrs Nowak] rang to move my appointment, which was fine.
my daughter [chloe] helped me fill this in
Thank you [Aoife] and [Rhys] for the cups of tea.
The volunteers at Maggie's were wonderful.
Will the new unit have a cafe?
[Mohammed]'s explanation of the side effects helped a lot.
I was seen by [Prof Ewa Kowalczyk] and her registrar.
We hope the waiting times come down soon.
The Macmillan nurse phoned me the next day.
[Siân] in radiotherapy made me laugh every morning.
Ask for [Tunde] at the front desk.
My name is [Margaret] and I am 78.
The letters kept arriving after my appointments.
[Dr. Chen] and [Dr. Adeyemi] both saw me.
Our son [Callum] drove us every day from Chester.
Grace and dignity were shown to my mother.
The food on Rose Ward was cold.
[Lakshmi] and [Zofia] on the chemo suite were brilliant.
I had Herceptin for a year and it went well.
Staff at the Christie could not have been kinder.
[Mr Fitzgerald] operated on me and I am very grateful.
A nurse called [Folake] held my hand.
In May I was told the cancer had spread.
[Ruth] from the support group rang me every week.
Thanks to [Declan] and the porters.
The receptionist was rude on the phone.
[Jo Walsh] organised the transport for me.
My husband [Ifeanyi] and I both felt heard.
I saw [Agnieszka] for my bloods, she was very gentle.
The nurses were a joy to deal with.
[Dr Mehta]'s secretary never rang back.
The consultant was lovely but rushed.
[Nurse Rhiannon] made sure I had a blanket.
My sister came with me to St James's.
Bath time was hard after the operation.
[Yetunde], [Olena] and [Deepak] were all fantastic.
Mark my words, this ward is the best.
I live near Barry and the bus takes an hour.
Our granddaughter [Maisie] made a card for the nurses.
[Chidi] explained the plan and wrote it down.
The registrar [Dr Ruaridh Fraser] took time to explain.
The phlebotomy queue was long again.
I would like [Imran] to know how much he helped.
[Mrs Begum] and her daughter were in the next bed.
Hope you can use this feedback.
The Sister on duty was firm but fair.
[Stephen] on the night shift was amazing.
Matron came round and sorted out the noise.
[Niamh]'s advice on diet was really useful.
I started tamoxifen in June.
[Dr Lindqvist] was very thorough.
[Tomasz] helped me into the wheelchair.
We were at the Royal Marsden for six weeks.
I was introduced to [Hodan], who runs the support group.
[Sarah Thompson] is my keyworker and she always rings back.
Frank advice from the surgeon was what I needed.
Please pass my thanks to [Dr Singh] and [Dr Kaur].
The CNS rang me on Friday with the results.
[Emeka Obi] from the chemo unit rang me at home.
Sunny weather helped with the walks.
[Ioana] at the pharmacy explained every tablet.
My dad [Winston] was treated here in 2019.
The hospice staff were so caring.
[Wei] translated for my mother at every visit.
Interviewer: What went well?\n[Bronwen]: The nurses, every time.\n[Hamish]: I agree with that.
[Gurpreet] and the team on the unit were wonderful.
My neighbour [Brian Hughes] drove me to radiotherapy.
The doctors did not talk to each other.
[Dr Nguyen] explained the scan results.
The new building is much better.
Love to [Femi] and all the nurses on nights.
[Kirsty] from the Macmillan centre helped with my benefits.
The leaflet was hard to understand.
[Mr Adebayo] was very reassuring before surgery.
[Lowri] in outpatients sorted my parking permit.
It was a long day but everyone was kind.
Special thanks to [Hassan] and [Olivia].
My partner [Jamie] stayed overnight on the ward.
[Dorota]'s smile made my day.
I was born in Preston and moved here in 1990.
[Ms Achterberg] from the trust replied to my complaint.
[Dr Ahmed Raza] and the team saved my life.
The bay was noisy all night.
[Moira] was the only one who listened.
My friend [Thandiwe] came with me to the clinic.
Thank you [Ngozi] for everything.
The scanner broke and we were sent home.
The physio, [Ayesha], gave me exercises to do at home.
I was transferred to Leeds for surgery.
"""

_TITLE = re.compile(r"^(?:Dr\.?|Mr|Mrs|Ms|Prof|Nurse|Sister) ")


def labelled() -> list[tuple[str, list[tuple[int, int]]]]:
    """The sentences without brackets, and where each name is (titles are not part of it)."""
    examples = []
    for line in LABELLED.strip().splitlines():
        line = line.replace("\\n", "\n")
        text, spans = "", []
        for piece in re.split(r"(\[[^\]]+\])", line):
            if piece.startswith("["):
                name = piece[1:-1]
                title = _TITLE.match(name)
                start = len(text) + (title.end() if title else 0)
                spans.append((start, len(text) + len(name)))
                text += name
            else:
                text += piece
        examples.append((text, spans))
    return examples


def test_the_quality_floor_on_a_small_labelled_set() -> None:
    gold_count = found_count = detected_count = correct_count = 0
    for text, gold in labelled():
        detected = names.find(text)
        gold_count += len(gold)
        detected_count += len(detected)
        found_count += sum(any(d.start <= g[0] and d.end >= g[1] for d in detected) for g in gold)
        correct_count += sum(any(d.start < g[1] and g[0] < d.end for g in gold) for d in detected)
    assert len(labelled()) >= 100 and gold_count > 60
    assert found_count / gold_count >= 0.9
    assert correct_count / detected_count >= 0.85


def test_the_labelled_set_is_read_as_intended() -> None:
    text, spans = labelled()[1]
    assert text == "Dr Okonkwo told me the results kindly and clearly."
    assert [text[start:end] for start, end in spans] == ["Okonkwo"]
    assert Span("name", 3, 10) == names.find(text)[0]
