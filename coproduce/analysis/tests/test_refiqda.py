"""REFI-QDA exchange: round trips, the standard's schemas, other tools' files, and bad input.

The schemas and the sample files from other tools live outside the repository (they are test
data, not part of the product); tests that need them are skipped where they are absent.
"""

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from coproduce.analysis.refiqda import (
    CODEBOOK_NAMESPACE,
    MAX_UNPACKED_BYTES,
    PROJECT_NAMESPACE,
    Case,
    Code,
    Codebook,
    Coding,
    Group,
    Note,
    Project,
    Selection,
    Source,
    User,
    Variable,
    VariableValue,
    normalise_colour,
    normalise_with_offsets,
    read_qdc,
    read_qde,
    read_qdpx,
    write_qdc,
    write_qde,
    write_qdpx,
)
from coproduce.analysis.transcripts import ImportRefused, normalise

REFI = Path(__file__).resolve().parents[4] / "shared" / "data" / "refi-qda"
PROJECT_XSD = REFI / "schema" / "Project-mrt2019.xsd"
CODEBOOK_XSD = REFI / "schema" / "Codebook-mrt2019.xsd"
NVIVO = REFI / "samples" / "nvivo-12.6-win_oltas0517.qdpx"
ATLAS = REFI / "samples" / "atlasti-8.4-mac_refi-standard-project.qde"

needs_schemas = pytest.mark.skipif(
    not (PROJECT_XSD.exists() and CODEBOOK_XSD.exists()), reason="REFI-QDA schemas not present"
)
needs_nvivo = pytest.mark.skipif(not NVIVO.exists(), reason="NVivo sample not present")
needs_atlas = pytest.mark.skipif(not ATLAS.exists(), reason="ATLAS.ti sample not present")

AISHA = "3f1c2a9e-0b6d-4c5e-9a71-2d8e4f6a1b01"
TOMAS = "3f1c2a9e-0b6d-4c5e-9a71-2d8e4f6a1b02"
WAITING = "0d3e5f70-1a2b-4c3d-8e9f-000000000001"
RESULTS = "0d3e5f70-1a2b-4c3d-8e9f-000000000002"
BED = "0d3e5f70-1a2b-4c3d-8e9f-000000000003"
OVERNIGHT = "0d3e5f70-1a2b-4c3d-8e9f-000000000004"
KINDNESS = "0d3e5f70-1a2b-4c3d-8e9f-000000000005"
INTERVIEW = "6a7b8c9d-0e1f-4a2b-9c3d-000000000001"
DIARY = "6a7b8c9d-0e1f-4a2b-9c3d-000000000002"
MEMO = "9e8d7c6b-5a4f-4e3d-8c2b-000000000001"
CODE_MEMO = "9e8d7c6b-5a4f-4e3d-8c2b-000000000002"
AGE = "7c6b5a49-3827-4165-9f0e-000000000001"
DIAGNOSIS = "7c6b5a49-3827-4165-9f0e-000000000002"
CONSENTED = "7c6b5a49-3827-4165-9f0e-000000000003"
SCORE = "7c6b5a49-3827-4165-9f0e-000000000004"
DIAGNOSED = "7c6b5a49-3827-4165-9f0e-000000000005"
INTERVIEWED = "7c6b5a49-3827-4165-9f0e-000000000006"

TEXT = (
    "Interviewer: How was the wait?\n"
    "Siân: The nurse was kind 😊 and explained everything.\n"
    "Siân: Waiting three weeks for results — that was the hard part 😔.\n"
    "Café closed early, so nowhere warm to sit."
)
DIARY_TEXT = "Day 1 🏥 A bed was found after midnight.\nDay 2 Home."


def at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def when(hour: int) -> datetime:
    return datetime(2026, 3, 4, hour, 15, 30, tzinfo=UTC)


def codebook_codes() -> list[Code]:
    return [
        Code(
            WAITING,
            "Waiting",
            "Anything about waiting",
            "#1F77B4",
            is_codable=False,
            children=[
                Code(RESULTS, "Waiting for results", colour="#FF7F0E"),
                Code(
                    BED,
                    "Waiting for a bed",
                    children=[Code(OVERNIGHT, "Overnight", "After midnight", "#9467BD")],
                ),
            ],
        ),
        Code(KINDNESS, "Kindness", "Staff being kind — «gentle»", "#2CA02C"),
    ]


def sample_project(origin: str = "Coproduce") -> Project:
    kind = at(TEXT, "The nurse was kind 😊")
    results = at(TEXT, "Waiting three weeks for results")
    cafe = at(TEXT, "Café closed early")
    bed = at(DIARY_TEXT, "A bed was found after midnight")
    codes = codebook_codes()
    return Project(
        name="Chemotherapy unit interviews",
        origin=origin,
        users=[User(AISHA, "Aisha Rahman"), User(TOMAS, "Tomás Ó Briain")],
        codebook=Codebook(codes, origin=origin),
        sources=[
            Source(
                INTERVIEW,
                "Interview 1 (Siân)",
                TEXT,
                description="Recorded in the day unit",
                user_guid=AISHA,
                created=when(9),
                note_guids=[MEMO],
                values=[VariableValue(AGE, 71)],
                selections=[
                    Selection(
                        "5b4c3d2e-1f0a-4b9c-8d7e-000000000001",
                        *kind,
                        name="The nurse was kind",
                        description="Said warmly",
                        user_guid=AISHA,
                        created=when(10),
                        codings=[
                            Coding(
                                "c0d1e2f3-a4b5-4c6d-9e8f-000000000001",
                                KINDNESS,
                                AISHA,
                                when(10),
                                note_guids=[MEMO],
                            ),
                            Coding(
                                "c0d1e2f3-a4b5-4c6d-9e8f-000000000002",
                                KINDNESS,
                                TOMAS,
                                when(11),
                            ),
                        ],
                        note_guids=[CODE_MEMO],
                    ),
                    Selection(
                        "5b4c3d2e-1f0a-4b9c-8d7e-000000000002",
                        *results,
                        user_guid=TOMAS,
                        created=when(12),
                        codings=[
                            Coding("c0d1e2f3-a4b5-4c6d-9e8f-000000000003", RESULTS, TOMAS, None)
                        ],
                    ),
                    Selection(
                        "5b4c3d2e-1f0a-4b9c-8d7e-000000000003",
                        *cafe,
                        codings=[
                            Coding("c0d1e2f3-a4b5-4c6d-9e8f-000000000004", WAITING, AISHA, when(13))
                        ],
                    ),
                ],
            ),
            Source(
                DIARY,
                "Diary",
                DIARY_TEXT,
                selections=[
                    Selection(
                        "5b4c3d2e-1f0a-4b9c-8d7e-000000000004",
                        *bed,
                        user_guid=TOMAS,
                        codings=[
                            Coding("c0d1e2f3-a4b5-4c6d-9e8f-000000000005", OVERNIGHT, TOMAS, None)
                        ],
                    )
                ],
            ),
        ],
        notes=[
            Note(
                MEMO,
                "Memo: kindness",
                "Kindness comes up in every interview.\nCheck Diary.",
                "",
                AISHA,
                when(14),
            ),
            Note(
                CODE_MEMO,
                "Why this matters",
                "Patients remember who was kind — 💬",
                "About the code",
            ),
        ],
        variables=[
            Variable(AGE, "Age", "Integer"),
            Variable(DIAGNOSIS, "Diagnosis", "Text", "As the participant put it"),
            Variable(CONSENTED, "Consented to quotes", "Boolean"),
            Variable(SCORE, "Wellbeing score", "Float"),
            Variable(DIAGNOSED, "Diagnosed", "Date"),
            Variable(INTERVIEWED, "Interviewed", "DateTime"),
        ],
        cases=[
            Case(
                "a1b2c3d4-e5f6-4a7b-8c9d-000000000001",
                "Participant 1",
                "Siân, day unit",
                values=[
                    VariableValue(AGE, 71),
                    VariableValue(DIAGNOSIS, "Lymphoma — stage 2"),
                    VariableValue(CONSENTED, True),
                    VariableValue(SCORE, Decimal("3.75")),
                    VariableValue(DIAGNOSED, date(2025, 11, 2)),
                    VariableValue(INTERVIEWED, when(9)),
                ],
                source_guids=[INTERVIEW],
                selection_guids=["5b4c3d2e-1f0a-4b9c-8d7e-000000000001"],
                code_guids=[KINDNESS],
            ),
            Case(
                "a1b2c3d4-e5f6-4a7b-8c9d-000000000002",
                "Participant 2",
                values=[VariableValue(DIAGNOSIS, None)],
            ),
        ],
        sets=[
            Group(
                "b1c2d3e4-f5a6-4b7c-8d9e-000000000001",
                "Hard moments",
                "Codes and sources about difficulty",
                code_guids=[RESULTS, OVERNIGHT],
                source_guids=[DIARY],
                note_guids=[MEMO],
            )
        ],
        description="Pilot of the day-unit study",
        note_guids=[MEMO],
    )


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def project_xml(body: str, attributes: str = 'name="Test" origin="Other tool 1.0"') -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Project xmlns="{PROJECT_NAMESPACE}" {attributes}>{body}</Project>'
    ).encode()


CODES_XML = """
<CodeBook><Codes>
  <Code guid="11111111-1111-4111-8111-111111111111" name="Pain" isCodable="true"/>
</Codes></CodeBook>"""
PAIN = "11111111-1111-4111-8111-111111111111"


def one_source(text_attributes: str, selections: str = "", origin: str = "Other tool 1.0") -> bytes:
    return project_xml(
        CODES_XML
        + f'<Sources><TextSource guid="22222222-2222-4222-8222-222222222222" name="Notes" '
        f"{text_attributes}>{selections}</TextSource></Sources>",
        f'name="Test" origin="{origin}"',
    )


def selection_xml(start: int, end: int, code: str = PAIN, number: int = 1) -> str:
    return (
        f'<PlainTextSelection guid="33333333-3333-4333-8333-{number:012d}" '
        f'startPosition="{start}" endPosition="{end}">'
        f'<Coding guid="44444444-4444-4444-8444-{number:012d}">'
        f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
    )


def count_codes(codes: list[Code]) -> int:
    return sum(1 + count_codes(code.children) for code in codes)


def depth(codes: list[Code]) -> int:
    return max((1 + depth(code.children) for code in codes), default=0)


def all_codes(codes: list[Code]) -> list[Code]:
    return [c for code in codes for c in [code, *all_codes(code.children)]]


def assert_consistent(project: Project) -> None:
    """What any imported project promises, whatever file it came from."""
    code_guids = {code.guid for code in all_codes(project.codebook.codes)}
    user_guids = {user.guid for user in project.users}
    for source in project.sources:
        if source.text is not None:
            assert source.text == normalise(source.text)
        for selection in source.selections:
            assert 0 <= selection.start < selection.end
            if source.text is not None:
                assert selection.end <= len(source.text)
            for coding in selection.codings:
                assert coding.code_guid in code_guids
                assert coding.user_guid is None or coding.user_guid in user_guids


# Round trips ----------------------------------------------------------------------------------


def test_a_project_survives_a_round_trip_through_qdpx() -> None:
    project = sample_project()
    assert read_qdpx(write_qdpx(project)) == project


def test_a_codebook_survives_a_round_trip_through_qdc() -> None:
    codebook = Codebook(
        codebook_codes(),
        origin="Coproduce",
        sets=[Group("b1c2d3e4-f5a6-4b7c-8d9e-000000000009", "Waits", "Both", [RESULTS, BED])],
    )
    assert read_qdc(write_qdc(codebook)) == codebook


def test_the_archive_holds_the_project_and_each_text_as_utf8_named_by_guid() -> None:
    members = members_of(write_qdpx(sample_project()))
    assert sorted(members) == ["project.qde", f"sources/{INTERVIEW}.txt", f"sources/{DIARY}.txt"]
    assert members[f"sources/{INTERVIEW}.txt"] == TEXT.encode("utf-8")
    root = etree.fromstring(members["project.qde"])
    paths = [s.get("plainTextPath") for s in root.iter(f"{{{PROJECT_NAMESPACE}}}TextSource")]
    assert paths == [f"internal://{INTERVIEW}.txt", f"internal://{DIARY}.txt"]


def test_the_export_says_who_coded_each_segment_and_when() -> None:
    root = etree.fromstring(write_qde(sample_project()))
    selection = root.find(f".//{{{PROJECT_NAMESPACE}}}PlainTextSelection")
    assert selection.get("creatingUser") == AISHA
    assert selection.get("creationDateTime") == "2026-03-04T10:15:30Z"
    codings = selection.findall(f"{{{PROJECT_NAMESPACE}}}Coding")
    assert [(c.get("creatingUser"), c.get("creationDateTime")) for c in codings] == [
        (AISHA, "2026-03-04T10:15:30Z"),
        (TOMAS, "2026-03-04T11:15:30Z"),
    ]


def test_offsets_count_characters_so_emoji_count_once() -> None:
    root = etree.fromstring(write_qde(sample_project()))
    selection = root.findall(f".//{{{PROJECT_NAMESPACE}}}PlainTextSelection")[1]
    start, end = at(TEXT, "Waiting three weeks for results")
    assert (selection.get("startPosition"), selection.get("endPosition")) == (str(start), str(end))
    assert TEXT[:start].count("😊") == 1  # one character, though two UTF-16 units


def test_export_is_the_same_bytes_every_time() -> None:
    assert write_qdpx(sample_project()) == write_qdpx(sample_project())


def test_writing_refuses_what_the_standard_cannot_say() -> None:
    project = sample_project()
    bad_selection = replace(project.sources[1].selections[0], start=5, end=500)
    with pytest.raises(ValueError, match="outside"):
        write_qdpx(
            replace(project, sources=[replace(project.sources[1], selections=[bad_selection])])
        )
    with pytest.raises(ValueError):
        write_qdpx(replace(project, users=[User("not-a-guid", "Somebody")]))
    wrong_type = replace(project.cases[0], values=[VariableValue(AGE, "seventy-one")])
    with pytest.raises(ValueError, match="Integer"):
        write_qdpx(replace(project, cases=[wrong_type]))
    with pytest.raises(ValueError, match="at least one code"):
        write_qdc(Codebook([]))


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(codec="utf-8", exclude_characters="\x00"),
        min_size=1,
        max_size=200,
    ),
    cuts=st.lists(st.tuples(st.integers(0, 400), st.integers(1, 400)), max_size=5),
)
def test_any_text_and_selections_survive_a_round_trip(
    text: str, cuts: list[tuple[int, int]]
) -> None:
    text = normalise(text)
    if not text:
        return
    selections = [
        Selection(
            f"5b4c3d2e-1f0a-4b9c-8d7e-{number:012d}",
            min(start, len(text) - 1),
            min(start, len(text) - 1) + min(length, len(text) - min(start, len(text) - 1)),
            codings=[Coding(f"c0d1e2f3-a4b5-4c6d-9e8f-{number:012d}", KINDNESS, AISHA)],
        )
        for number, (start, length) in enumerate(cuts)
    ]
    project = Project(
        "Fuzzed",
        users=[User(AISHA, "Aisha")],
        codebook=Codebook([Code(KINDNESS, "Kindness")]),
        sources=[Source(INTERVIEW, "Text", text, selections)],
    )
    again = read_qdpx(write_qdpx(project))
    assert again == project
    assert [text[s.start : s.end] for s in again.sources[0].selections] == [
        text[s.start : s.end] for s in selections
    ]


# The standard's schemas ------------------------------------------------------------------------


@needs_schemas
def test_the_exported_project_validates_against_the_project_schema() -> None:
    schema = etree.XMLSchema(etree.parse(str(PROJECT_XSD)))
    qde = members_of(write_qdpx(sample_project()))["project.qde"]
    schema.assertValid(etree.fromstring(qde))


@needs_schemas
def test_a_project_with_only_a_name_validates_too() -> None:
    schema = etree.XMLSchema(etree.parse(str(PROJECT_XSD)))
    schema.assertValid(etree.fromstring(write_qde(Project("Empty"))))


@needs_schemas
def test_the_exported_codebook_validates_against_the_codebook_schema() -> None:
    schema = etree.XMLSchema(etree.parse(str(CODEBOOK_XSD)))
    codebook = Codebook(
        codebook_codes(), sets=[Group("b1c2d3e4-f5a6-4b7c-8d9e-000000000009", "Waits", "", [BED])]
    )
    schema.assertValid(etree.fromstring(write_qdc(codebook)))


# Other tools' files -------------------------------------------------------------------------


@needs_nvivo
def test_an_nvivo_project_is_read_with_its_users_codes_and_codings() -> None:
    project = read_qdpx(NVIVO.read_bytes())
    assert project.origin == "NVivo for Windows 12.6"
    assert len(project.users) == 2
    assert count_codes(project.codebook.codes) == 152
    assert depth(project.codebook.codes) > 1
    assert len(project.sources) == 2
    assert all(source.text for source in project.sources)
    selections = [s for source in project.sources for s in source.selections]
    assert len(selections) == 303
    assert sum(len(s.codings) for s in selections) == 303
    assert {c.user_guid for s in selections for c in s.codings} <= {u.guid for u in project.users}
    assert_consistent(project)
    assert project.warnings == [
        "Positions in this file count UTF-16 code units rather than characters (as NVivo "
        "does), so they were converted to characters"
    ]


@needs_nvivo
def test_nvivo_positions_land_on_whole_words_once_the_bom_and_utf16_are_accounted_for() -> None:
    # Coders select whole words and comments. If the byte-order mark were counted, or the
    # UTF-16 positions read as characters, most selections would begin or end inside a word.
    project = read_qdpx(NVIVO.read_bytes())
    tidy = 0
    for source in project.sources:
        assert source.text is not None
        assert not source.text.startswith("\ufeff")
        for s in source.selections:
            inside = source.text[s.start : s.end]
            before = source.text[s.start - 1 : s.start]
            after = source.text[s.end : s.end + 1]
            tidy += (
                inside == inside.strip()
                and not (before.isalnum() and inside[:1].isalnum())
                and not (after.isalnum() and inside[-1:].isalnum())
            )
    assert tidy >= 290


@needs_nvivo
def test_nvivo_selections_do_not_depend_on_the_bom_or_the_sources_folder_name() -> None:
    original = members_of(NVIVO.read_bytes())
    rezipped = {
        (name.lower() if name.endswith(".txt") else name): (
            data.removeprefix(b"\xef\xbb\xbf") if name.endswith(".txt") else data
        )
        for name, data in original.items()
        if not name.endswith(".docx")
    }
    renamed = {
        ("Exported project.qde" if k == "project.qde" else k): v for k, v in rezipped.items()
    }
    first = read_qdpx(NVIVO.read_bytes())
    second = read_qdpx(zipped(renamed))
    assert second.sources == first.sources


@needs_atlas
def test_an_atlas_ti_project_is_read_without_its_files_and_says_what_is_missing() -> None:
    project = read_qde(ATLAS.read_bytes())
    assert project.name == "ATLAS.ti standard project"
    assert len(project.users) == 3
    assert count_codes(project.codebook.codes) == 14
    # Six text sources and the text representations of two PDFs; pictures, audio and video
    # are not text.
    assert len(project.sources) == 8
    assert all(source.text is None for source in project.sources)
    assert sum(len(source.selections) for source in project.sources) == 8
    assert sum(len(s.codings) for source in project.sources for s in source.selections) == 9
    assert len(project.notes) == 2
    assert len(project.sets) == 16
    assert_consistent(project)
    missing = [w for w in project.warnings if "internal://" in w]
    assert len(missing) == 8
    assert any("internal://B2F54555-0D2D-43B2-B40C-2A1C048F5F1C.txt" in w for w in missing)
    assert "Sources that are not text were not imported: 1 audio, 1 picture, 2 video" in (
        project.warnings
    )
    assert (
        "Selections of pictures, PDF pages, audio or video were not imported: 7 selections "
        "and 7 codings" in project.warnings
    )


@needs_atlas
def test_an_atlas_ti_project_zipped_with_its_texts_gets_them() -> None:
    qde = ATLAS.read_bytes()
    text = "Toast and tea most mornings, porridge when it is cold. " * 20
    archive = zipped(
        {
            "ATLAS.ti standard project.qde": qde,
            "sources/c1c745f7-8e4d-48b2-9710-655afe7e54fa.TXT": text.encode(),
        }
    )
    project = read_qdpx(archive)
    simon = next(source for source in project.sources if source.name == "Simon.docx")
    assert simon.text == text
    assert len([w for w in project.warnings if "internal://" in w]) == 7


# Refusals ---------------------------------------------------------------------------------------


def refused(reading: Callable[..., object], data: bytes, match: str, **options: int) -> None:
    with pytest.raises(ImportRefused, match=match):
        reading(data, **options)


def test_refuses_a_file_that_is_not_a_zip() -> None:
    refused(read_qdpx, b"%PDF-1.7 not a zip", "not a readable zip file")


def test_refuses_xml_given_as_a_qdpx_and_a_zip_given_as_a_qde() -> None:
    refused(read_qdpx, project_xml(""), "is XML, not a QDPX archive")
    refused(read_qde, write_qdpx(sample_project()), "zip archive, not a .qde")


def test_refuses_an_archive_without_a_project_file() -> None:
    refused(read_qdpx, zipped({"sources/a.txt": b"text"}), r"no project file \(\.qde\)")


def test_refuses_an_archive_with_two_project_files() -> None:
    archive = zipped({"project.qde": project_xml(""), "copy/old.qde": project_xml("")})
    refused(read_qdpx, archive, r"2 project files \(\.qde\).*copy/old\.qde")


def test_accepts_a_project_file_with_any_name_and_ignores_macos_resource_forks() -> None:
    archive = zipped(
        {
            "My Project.QDE": project_xml(""),
            "__MACOSX/._My Project.QDE": b"\x00\x05\x16\x07 resource fork",
        }
    )
    assert read_qdpx(archive).name == "Test"


def test_refuses_malformed_xml_and_says_which_line() -> None:
    broken = b'<?xml version="1.0"?>\n<Project name="x">\n<Users>\n</Project>'
    refused(read_qde, broken, "not well-formed XML at line 4")
    refused(read_qdpx, zipped({"project.qde": broken}), "project.qde is not well-formed XML")
    refused(read_qde, b"\x89PNG\r\n\x1a\n", "not well-formed XML")
    refused(read_qde, b"", "not well-formed XML")


def test_refuses_the_wrong_root_element_or_namespace() -> None:
    refused(read_qde, b'<Poject xmlns="urn:QDA-XML:project:1.0" name="x"/>', '"Poject"')
    refused(read_qde, b'<Project name="x"/>', r"namespace \"\(none\)\"")
    refused(read_qde, write_qdc(Codebook(codebook_codes())), "codebook .* not a project")
    refused(read_qdc, project_xml(""), "project .* not a codebook")
    refused(read_qdc, b'<CodeBook xmlns="urn:example"><Codes/></CodeBook>', "namespace")


def test_refuses_doctypes_and_entities_without_expanding_them() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;">]><Project xmlns="urn:QDA-XML:project:1.0" name="&c;"/>'
    )
    refused(read_qde, laughs, "DOCTYPE")
    external = (
        b'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Description>&secret;</Description>'
        b"</Project>"
    )
    refused(read_qde, external, "DOCTYPE")
    refused(read_qdpx, zipped({"project.qde": external}), "DOCTYPE")
    refused(
        read_qdc, b'<!DOCTYPE CodeBook SYSTEM "http://example.com/x.dtd"><CodeBook/>', "DOCTYPE"
    )


def test_refuses_an_archive_that_would_unpack_too_large_before_unpacking_it() -> None:
    honest = zipped({"project.qde": project_xml(""), "sources/big.txt": b"a" * 5_000})
    refused(read_qdpx, honest, "would unpack to", max_unpacked_bytes=4_000)
    # A zip bomb's directory claims the real sizes: here 4 GB for a few bytes of text.
    lying = bytearray(zipped({"project.qde": project_xml(""), "sources/big.txt": b"a" * 10}))
    entry = lying.rfind(b"PK\x01\x02")
    lying[entry + 24 : entry + 28] = (0xFFFF_FFF0).to_bytes(4, "little")
    refused(read_qdpx, bytes(lying), f"more than the {MAX_UNPACKED_BYTES // 1024**2:,} MB allowed")


def test_refuses_an_archive_with_too_many_members() -> None:
    many = zipped({"project.qde": project_xml("")} | {f"sources/{n}.txt": b"x" for n in range(30)})
    refused(read_qdpx, many, "31 files in it, more than the 10 allowed", max_members=10)


def test_refuses_a_damaged_project_file_inside_the_archive() -> None:
    archive = bytearray(zipped({"project.qde": project_xml(CODES_XML * 20)}))
    archive[60] ^= 0xFF
    refused(read_qdpx, bytes(archive), "project")


def test_refuses_xml_nested_deeper_than_the_parser_allows() -> None:
    nested = "<Code>" * 300 + "</Code>" * 300
    refused(
        read_qdc,
        f'<CodeBook xmlns="{CODEBOOK_NAMESPACE}"><Codes>{nested}</Codes></CodeBook>'.encode(),
        "at line 1: elements are nested more than 256 levels deep",
    )


def test_refuses_a_password_protected_project_file() -> None:
    archive = bytearray(zipped({"project.qde": project_xml("")}))
    archive[6] |= 1  # the "encrypted" flag, in the member's header and in the directory
    archive[archive.rfind(b"PK\x01\x02") + 8] |= 1
    refused(
        read_qdpx,
        bytes(archive),
        "project.qde in the archive could not be read: it is password-protected",
    )


def test_refuses_a_codebook_without_codes() -> None:
    refused(
        read_qdc, f'<CodeBook xmlns="{CODEBOOK_NAMESPACE}"><Codes/></CodeBook>'.encode(), "no codes"
    )


# Tolerance --------------------------------------------------------------------------------------


def test_colours_from_other_tools_are_normalised() -> None:
    assert normalise_colour("#46aa00") == ("#46AA00", True)
    assert normalise_colour("#46AA00") == ("#46AA00", False)
    assert normalise_colour("#4a0") == ("#44AA00", True)
    assert normalise_colour("46AA00") == ("#46AA00", True)
    assert normalise_colour("#46AA0080") == ("#46AA00", True)  # CSS order, alpha last
    assert normalise_colour("#FF780080") == ("#FF7800", True)  # not .NET's #AARRGGBB
    assert normalise_colour("#46AA00FF") == ("#46AA00", True)
    assert normalise_colour("rgb(70,170,0)") == ("#46AA00", True)
    assert normalise_colour("70, 170, 0") == ("#46AA00", True)
    assert normalise_colour("rgba(70,170,0,0.5)") == ("#46AA00", True)
    assert normalise_colour("rgb(300,0,0)") == (None, True)
    assert normalise_colour("blue") == (None, True)


def test_a_codebook_that_fails_the_schema_is_read_with_warnings() -> None:
    # Taguette writes an empty <Sets/>; some tools write RGB or alpha colours.
    qdc = f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="{CODEBOOK_NAMESPACE}" origin="Taguette 1.4.1">
  <Codes>
    <Code guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="Fear" isCodable="true" color="rgb(70,170,0)"/>
    <Code guid="{{B52FB733-B6AF-4B31-BB78-3E733135171A}}" name="Hope" isCodable="true" color="#FF780080">
      <Code guid="14C4E248-F726-42CB-B1CD-A65D6A86F296" name="Cure" isCodable="1" color="#abc"/>
    </Code>
    <Code guid="9FCD0F84-AA08-4765-B1B1-57A39966042A" name="Anger" isCodable="true" color="angry red"/>
  </Codes>
  <Sets/>
</CodeBook>""".encode()
    codebook = read_qdc(qdc)
    assert [(c.name, c.colour) for c in all_codes(codebook.codes)] == [
        ("Fear", "#46AA00"),
        ("Hope", "#FF7800"),
        ("Cure", "#AABBCC"),
        ("Anger", None),
    ]
    assert codebook.codes[1].guid == "b52fb733-b6af-4b31-bb78-3e733135171a"
    assert codebook.origin == "Taguette 1.4.1"
    assert codebook.warnings == [
        "The file has an empty list of sets, which the standard does not allow; it was ignored",
        "2 code colours were not written as #RRGGBB and were converted",
        "1 code colour was not understood and left out",
    ]


def test_a_codebook_in_the_atlas_ti_namespace_is_read_with_a_warning() -> None:
    qdc = b"""<CodeBook xmlns="urn:QDA-XML:codebook:0:4" origin="ATLAS.ti Win 23.4.0">
  <Codes><Code guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="code1" color="#46AA00"
    isCodable="true"><Description>description</Description></Code></Codes>
  <Sets><Set name="group 1" guid="ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F0">
    <MemberCode guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294"/>
    <MemberCode guid="00000000-0000-4000-8000-000000000000"/></Set></Sets>
</CodeBook>"""
    codebook = read_qdc(qdc)
    assert codebook.codes == [
        Code("1ff58b12-6f6f-4b0c-8be5-bbdc91f55294", "code1", "description", "#46AA00")
    ]
    assert codebook.sets == [
        Group(
            "eca18d76-2b8b-4f26-bc1d-19eca19fb3f0",
            "group 1",
            code_guids=["1ff58b12-6f6f-4b0c-8be5-bbdc91f55294"],
        )
    ]
    assert "urn:QDA-XML:codebook:0:4" in codebook.warnings[0]
    assert "1 member of a set or case refers" in codebook.warnings[1]


def test_codings_of_unknown_codes_are_dropped_and_counted() -> None:
    text = "It hurt. Nobody listened."
    qde = one_source(
        'plainTextPath="internal://notes.txt"',
        selection_xml(0, 8)
        + selection_xml(9, 25, code="55555555-5555-4555-8555-555555555555", number=2),
    )
    project = read_qdpx(zipped({"project.qde": qde, "sources/notes.txt": text.encode()}))
    selections = project.sources[0].selections
    assert [(text[s.start : s.end], len(s.codings)) for s in selections] == [
        ("It hurt.", 1),
        ("Nobody listened.", 0),
    ]
    assert "1 coding refers to codes that are not in the codebook and were not imported" in (
        project.warnings
    )


def test_a_missing_source_file_is_named_and_the_structure_kept() -> None:
    qde = one_source('plainTextPath="internal://AbSeNt.txt"', selection_xml(0, 8))
    project = read_qdpx(zipped({"project.qde": qde}))
    source = project.sources[0]
    assert source.text is None
    assert [(s.start, s.end) for s in source.selections] == [(0, 8)]
    assert project.warnings == [
        'The text of "Notes" (internal://AbSeNt.txt) is not in the archive, so it was imported '
        "without its text"
    ]


def test_a_damaged_source_file_is_named_and_the_rest_imported() -> None:
    qde = one_source('plainTextPath="internal://notes.txt"', selection_xml(0, 4))
    archive = bytearray(
        zipped({"project.qde": qde, "sources/notes.txt": b"Sore arm"}, zipfile.ZIP_STORED)
    )
    archive[archive.index(b"Sore arm")] ^= 0x20  # the checksum no longer matches
    project = read_qdpx(bytes(archive))
    assert project.sources[0].text is None
    assert project.warnings == [
        'The text of "Notes" (internal://notes.txt) could not be read from the archive (Bad '
        "CRC-32 for file 'sources/notes.txt'); it was imported without its text"
    ]


@pytest.mark.parametrize(
    ("path", "member"),
    [
        ("internal://Notes.TXT", "Sources/notes.txt"),
        ("internal://notes.txt", "sources/NOTES.txt"),
        ("sources/notes.txt", "sources/notes.txt"),
        ("notes.txt", "notes.txt"),
        ("relative:///interviews/notes.txt", "interviews/notes.txt"),
        ("internal://notes%20one.txt", "sources/notes one.txt"),
    ],
)
def test_source_files_are_found_however_the_tool_named_them(path: str, member: str) -> None:
    qde = one_source(f'plainTextPath="{path}"', selection_xml(0, 3))
    project = read_qdpx(zipped({"project.qde": qde, member: b"Sore arm"}))
    assert project.sources[0].text == "Sore arm"
    assert project.warnings == []


def test_text_is_normalised_and_offsets_move_with_it() -> None:
    # Windows line endings and a decomposed "é" (e + combining accent), as some tools save.
    raw = "Cafe\u0301 was cold.\r\nThe nurse\r\nwas kind."
    start, end = at(raw, "nurse\r\nwas kind")
    qde = one_source('plainTextPath="internal://notes.txt"', selection_xml(start, end))
    project = read_qdpx(zipped({"project.qde": qde, "sources/notes.txt": raw.encode()}))
    source = project.sources[0]
    assert source.text == "Café was cold.\nThe nurse\nwas kind."
    selection = source.selections[0]
    assert source.text[selection.start : selection.end] == "nurse\nwas kind"


def test_plain_text_content_in_the_project_is_used_when_there_is_no_file() -> None:
    qde = one_source("", "<PlainTextContent>Short note</PlainTextContent>" + selection_xml(6, 10))
    project = read_qde(qde)
    source = project.sources[0]
    assert source.text == "Short note"
    assert source.text[source.selections[0].start : source.selections[0].end] == "note"


def test_selections_outside_the_text_are_dropped_with_a_warning() -> None:
    qde = one_source(
        'plainTextPath="internal://notes.txt"',
        selection_xml(0, 4)
        + selection_xml(5, 99, number=2)
        + selection_xml(3, 3, number=3)
        + selection_xml(-1, 2, number=4),
    )
    project = read_qdpx(zipped({"project.qde": qde, "sources/notes.txt": b"Sore arm"}))
    assert [(s.start, s.end) for s in project.sources[0].selections] == [(0, 4)]
    assert '3 selections lie outside the text of "Notes" or are empty, and were not imported' in (
        project.warnings
    )


def test_utf16_positions_from_nvivo_are_converted_to_characters() -> None:
    text = "😀😀😀 Long wait. 🙏 Kind nurse 🙂 and a warm room."
    utf16 = text.encode("utf-16-le")

    def units(words: str) -> tuple[int, int]:
        start = len(text[: text.index(words)].encode("utf-16-le")) // 2
        return start, start + len(words.encode("utf-16-le")) // 2

    picked = ["Long wait.", "Kind nurse", "a warm room"]
    qde = one_source(
        'plainTextPath="internal://notes.txt"',
        "".join(selection_xml(*units(w), number=n) for n, w in enumerate(picked)),
        origin="NVivo for Windows 12.6",
    )
    project = read_qdpx(
        zipped({"project.qde": qde, "sources/notes.txt": b"\xef\xbb\xbf" + text.encode()})
    )
    source = project.sources[0]
    assert source.text is not None
    assert [source.text[s.start : s.end] for s in source.selections] == picked
    assert any("UTF-16 code units" in w for w in project.warnings)
    assert len(utf16) // 2 > len(text)


def test_files_that_count_characters_are_not_mistaken_for_utf16() -> None:
    project = sample_project(origin="Other tool 2.0")
    again = read_qdpx(write_qdpx(project))
    assert again.sources == project.sources
    assert again.warnings == []


def test_a_coding_of_a_whole_source_becomes_a_selection_of_all_its_text() -> None:
    qde = one_source(
        'plainTextPath="internal://notes.txt"',
        f'<Coding guid="44444444-4444-4444-8444-000000000009"><CodeRef targetGUID="{PAIN}"/>'
        "</Coding>",
    )
    project = read_qdpx(zipped({"project.qde": qde, "sources/notes.txt": b"Sore arm"}))
    assert project.sources[0].guid == "22222222-2222-4222-8222-222222222222"
    (selection,) = project.sources[0].selections
    assert (selection.start, selection.end) == (0, 8)
    assert selection.codings[0].code_guid == PAIN


def test_coders_missing_from_the_users_list_are_added_without_a_name() -> None:
    selection = (
        '<PlainTextSelection guid="33333333-3333-4333-8333-000000000001" startPosition="0" '
        'endPosition="4" creatingUser="66666666-6666-4666-8666-666666666666">'
        '<Coding guid="44444444-4444-4444-8444-000000000001" '
        'creatingUser="66666666-6666-4666-8666-666666666666" creationDateTime="yesterday">'
        f'<CodeRef targetGUID="{PAIN}"/></Coding></PlainTextSelection>'
    )
    qde = one_source('plainTextPath="internal://notes.txt"', selection)
    project = read_qdpx(zipped({"project.qde": qde, "sources/notes.txt": b"Sore arm"}))
    assert project.users == [User("66666666-6666-4666-8666-666666666666", "")]
    assert project.sources[0].selections[0].codings[0].created is None
    assert (
        "1 person who made selections or codings is not in the project's list of users and "
        "were added without a name" in project.warnings
    )
    assert "1 date was unreadable and left out" in project.warnings


def test_text_that_is_not_utf8_is_read_with_a_warning() -> None:
    qde = one_source('plainTextPath="internal://notes.txt"', selection_xml(0, 4))
    project = read_qdpx(zipped({"project.qde": qde, "sources/notes.txt": "Café".encode("cp1252")}))
    assert project.sources[0].text == "Café"
    assert any("not UTF-8" in w for w in project.warnings)


def test_codes_nested_as_deep_as_xml_allows_are_read() -> None:
    levels = 250
    nested = (
        "".join(
            f'<Code guid="00000000-0000-4000-8000-{n:012d}" name="Level {n}" isCodable="true">'
            for n in range(levels)
        )
        + "</Code>" * levels
    )
    codebook = read_qdc(
        f'<CodeBook xmlns="{CODEBOOK_NAMESPACE}"><Codes>{nested}</Codes></CodeBook>'.encode()
    )
    assert depth(codebook.codes) == levels


# Offsets through normalisation ------------------------------------------------------------------


def test_offsets_move_with_windows_line_endings() -> None:
    text, mapped = normalise_with_offsets("ab\r\ncd\r\n")
    assert text == "ab\ncd\n"
    assert [mapped.start(p) for p in range(9)] == [0, 1, 2, 2, 3, 4, 5, 5, 6]
    assert [mapped.end(p) for p in range(9)] == [0, 1, 2, 3, 3, 4, 5, 6, 6]


def test_offsets_move_with_characters_that_compose() -> None:
    raw = "Cafe\u0301 au lait, Ha\u0300\u0323 No\u0323\u0302i"
    text, mapped = normalise_with_offsets(raw)
    assert text == unicodedata.normalize("NFC", raw)
    # Inside "e + accent": a start goes back to the "é", an end forward past it.
    assert (mapped.start(4), mapped.end(4)) == (3, 4)
    start, end = raw.index(" au lait"), raw.index(",")
    assert text[mapped.start(start) : mapped.end(end)] == " au lait"
    start = raw.index("No")
    assert text[mapped.start(start) : mapped.end(len(raw))] == "N\u1ed9i"


def test_offsets_move_past_byte_order_marks_and_hangul_jamo() -> None:
    raw = "\ufeffA \u1100\u1161\u11a8 B"  # the jamo compose into one syllable
    text, mapped = normalise_with_offsets(raw)
    assert text == "A 각 B"
    assert text[mapped.start(raw.index("B")) :] == "B"
    assert text[mapped.start(3) : mapped.end(6)] == "각"


def test_nul_characters_are_refused() -> None:
    with pytest.raises(ImportRefused, match="NUL"):
        normalise_with_offsets("a\x00b")


@settings(max_examples=60, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            # Line breaks, byte-order marks, combining marks, Hangul jamo, an emoji, and
            # characters NFC rewrites (Tibetan, Oriya, angstrom and A-ring).
            [
                *"ab \n\r\ufeffe\u00e9",
                *"\u0301\u0323\u0302\u1100\u1161\u11a8",
                *"\U0001f600\u0f73\u0b47\u0b3e\u00c5\u212b",
            ]
        ),
        max_size=40,
    )
)
def test_offset_mapping_agrees_with_normalise_and_keeps_order(raw: str) -> None:
    text, mapped = normalise_with_offsets(raw)
    assert text == normalise(raw)
    starts = [mapped.start(p) for p in range(len(raw) + 1)]
    ends = [mapped.end(p) for p in range(len(raw) + 1)]
    assert starts[0] == ends[0] == 0
    assert starts[-1] == ends[-1] == len(text)
    assert starts == sorted(starts)
    assert ends == sorted(ends)
    assert all(s <= e for s, e in zip(starts, ends, strict=True))


# Fuzzing ----------------------------------------------------------------------------------------


def survives(reading: Callable[[bytes], object], data: bytes) -> None:
    try:
        result = reading(data)
    except ImportRefused as refusal:
        assert refusal.message
        return
    if isinstance(result, Project):
        assert_consistent(result)
    else:
        assert isinstance(result, Codebook)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2_000))
def test_random_bytes_are_refused_or_read(data: bytes) -> None:
    survives(read_qdpx, data)
    survives(read_qde, data)
    survives(read_qdc, data)


VALID_DEFLATED = write_qdpx(sample_project())
VALID_STORED = zipped(members_of(VALID_DEFLATED), zipfile.ZIP_STORED)
VALID_QDE = write_qde(sample_project())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.sampled_from(["deflated", "stored", "qde"]),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), max_size=6),
    keep=st.floats(0.05, 1),
)
def test_a_damaged_project_is_refused_or_read(
    which: str, flips: list[tuple[float, int]], keep: float
) -> None:
    original = {"deflated": VALID_DEFLATED, "stored": VALID_STORED, "qde": VALID_QDE}[which]
    data = bytearray(original)
    for where, mask in flips:
        data[int(where * len(data))] ^= mask
    data = data[: max(1, int(len(data) * keep))]
    survives(read_qde if which == "qde" else read_qdpx, bytes(data))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_damaged_codebook_is_refused_or_read(data: st.DataObject) -> None:
    qdc = bytearray(write_qdc(Codebook(codebook_codes())))
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(qdc) - 1))
        qdc[position] = data.draw(st.integers(0, 255))
    survives(read_qdc, bytes(qdc))


def test_the_fuzzed_files_start_out_valid() -> None:
    assert read_qdpx(VALID_STORED) == sample_project()
    assert read_qde(VALID_QDE).sources[0].text is None
    assert re.search(rb"internal://[0-9a-f-]{36}\.txt", VALID_QDE)
