"""Exchanging whole projects through REFI-QDA: a project goes out as QDPX and comes back the
same; other tools' files come in with their coding and coders; bad files leave nothing behind.

The schemas and the files written by other tools live outside the repository; tests that need
them are skipped where they are absent.
"""

import io
import re
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import Tenant
from coproduce.accounts.models import User
from coproduce.analysis import refiqda
from coproduce.analysis.models import (
    Attribute,
    Case,
    Code,
    Dataset,
    Decision,
    Import,
    Memo,
    Project,
    Segment,
    Source,
    TeamMember,
    TeamRole,
    Theme,
)
from coproduce.analysis.services import coding, exchange, sources
from coproduce.core.audit import AuditEvent
from coproduce.core.errors import ServiceError
from coproduce.core.roles import Role

pytestmark = pytest.mark.django_db

REFI = Path(__file__).resolve().parents[4] / "shared" / "data" / "refi-qda"
PROJECT_XSD = REFI / "schema" / "Project-mrt2019.xsd"
NVIVO = REFI / "samples" / "nvivo-12.6-win_oltas0517.qdpx"
ATLAS = REFI / "samples" / "atlasti-8.4-mac_refi-standard-project.qde"
needs_nvivo = pytest.mark.skipif(not NVIVO.exists(), reason="NVivo sample not present")
needs_atlas = pytest.mark.skipif(not ATLAS.exists(), reason="ATLAS.ti sample not present")
needs_schema = pytest.mark.skipif(not PROJECT_XSD.exists(), reason="REFI-QDA schema not present")

# Pasted with Windows line endings, as text copied from a Word document on Windows arrives.
INTERVIEW = (
    "Interviewer: Sut oedd yr aros?\r\n"
    "Siân: Roedd y nyrs yn garedig 😊 ac esboniodd bopeth.\r\n"
    "Siân: Aros tair wythnos am ganlyniadau — dyna'r rhan galed.\r\n"
    "Zoë: Le café était fermé, nulle part où s'asseoir."
)


def lead(tenant: Tenant) -> User:
    return tenant.users[Role.ANALYST]


def coder(tenant: Tenant) -> User:
    return tenant.users[Role.STAFF]


def at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def new_project(tenant: Tenant, name: str = "Fresh project", *, with_coder: bool = True) -> Project:
    project = Project.objects.create(organisation=tenant.organisation, name=name)
    TeamMember.objects.create(project=project, user=lead(tenant), role=TeamRole.LEAD)
    if with_coder:
        TeamMember.objects.create(project=project, user=coder(tenant), role=TeamRole.CODER)
    return project


def build_project(tenant: Tenant) -> Project:
    """A project with everything an export must carry."""
    project = new_project(tenant, "Aros am driniaeth — waiting for treatment")
    project.description = "Interviews in Welsh and French"
    project.save()
    waiting = Code.objects.create(
        project=project,
        name="Aros · waiting",
        colour="#1f77b4",
        description="Anything about waiting",
        inclusion="Waiting for tests, results or treatment",
        exclusion="Waiting rooms as places",
        examples="«Three weeks for results»",
        position=1,
    )
    results = Code.objects.create(
        project=project, parent=waiting, name="Canlyniadau 😔", colour="#ff7f0e"
    )
    Code.objects.create(project=project, parent=results, name="Über Nacht", colour="#9467bd")
    kindness = Code.objects.create(project=project, name="Caredigrwydd", position=2)
    place = Code.objects.create(project=project, name="Lieu", position=3)
    interview = sources.paste_text(
        by=lead(tenant), project=project, name="Cyfweliad Siân", text=INTERVIEW, pseudonymise=False
    ).sources.get()
    text = interview.text
    assert "\r" not in text
    kind = at(text, "Roedd y nyrs yn garedig 😊")
    wait = at(text, "Aros tair wythnos am ganlyniadau")
    cafe = at(text, "Le café était fermé")
    segment = coding.apply_codes(
        by=lead(tenant), source=interview, codes=[kindness], start=kind[0], end=kind[1]
    )[0]
    coding.apply_codes(
        by=lead(tenant), source=interview, codes=[results], start=wait[0], end=wait[1]
    )
    coding.apply_codes(
        by=coder(tenant), source=interview, codes=[kindness], start=kind[0] + 9, end=kind[1]
    )
    coding.apply_codes(
        by=coder(tenant), source=interview, codes=[place], start=cafe[0], end=cafe[1]
    )
    coding.open_comparison(by=lead(tenant), project=project)
    coding.decide(
        by=lead(tenant),
        source=interview,
        code=kindness,
        start=kind[0],
        end=kind[1],
        outcome=Decision.Outcome.AGREED,
    )
    # Retired after use: its coded text stays, and goes out with the project.
    place.retired = True
    place.save()
    coding.add_memo(by=lead(tenant), project=project, segment=segment, text="Warmth, not speed")
    coding.add_memo(by=coder(tenant), project=project, source=interview, text="Recorded at home")
    coding.add_memo(by=lead(tenant), project=project, code=waiting, text="Split by stage later?")
    coding.add_memo(by=lead(tenant), project=project, text="Cyfweliadau yn Gymraeg")
    age = Attribute.objects.create(project=project, name="Oed", kind=Attribute.Kind.NUMBER)
    site = Attribute.objects.create(project=project, name="Safle", kind=Attribute.Kind.TEXT)
    seen = Attribute.objects.create(project=project, name="Seen on", kind=Attribute.Kind.DATE)
    case = Case.objects.create(
        project=project,
        name="Siân",
        description="Patient, 70s",
        values={str(age.pk): "71", str(site.pk): "Ysbyty Gwynedd", str(seen.pk): "2026-02-03"},
    )
    interview.case = case
    interview.save()
    survey_import = Import.objects.create(
        project=project, status=Import.Status.RELEASED, file_name="fft.csv", rows_done=1
    )
    dataset = Dataset.objects.create(
        project=project, source_import=survey_import, name="FFT", text_column="Comment"
    )
    response = Source.objects.create(
        project=project,
        source_import=survey_import,
        dataset=dataset,
        row=2,
        kind=Source.Kind.RESPONSE,
        name="FFT, row 2",
        text="Parcio'n amhosib. Staff très gentils.",
        values={str(site.pk): "Bangor"},
    )
    coding.code_response(by=coder(tenant), source=response, code=kindness)
    theme = Theme.objects.create(project=project, name="Teimlo'n ddiogel", definition="Safety")
    theme.codes.add(kindness, waiting)
    # Under review: neither the text nor anything about it may leave the project yet.
    sources.paste_text(by=lead(tenant), project=project, name="Draft", text="Jenny Okafor rang.")
    return project


def path_of(code: Code) -> tuple[str, ...]:
    names = []
    current: Code | None = code
    while current is not None:
        names.append(current.name)
        current = current.parent
    return tuple(reversed(names))


def codebook_of(project: Project) -> set[tuple[Any, ...]]:
    return {
        (
            path_of(code),
            code.colour,
            code.description,
            code.inclusion,
            code.exclusion,
            code.examples,
            code.retired,
            code.guid,
        )
        for code in Code.objects.filter(project=project)
    }


def who(segment: Segment) -> str:
    return segment.coder.username if segment.coder else f"label:{segment.coder_label}"


def coded(project: Project) -> set[tuple[Any, ...]]:
    return {
        (
            segment.source.name,
            path_of(segment.code),
            segment.source.text[segment.start : segment.end],
            segment.layer,
            who(segment),
            segment.coded_at,
        )
        for segment in Segment.objects.filter(project=project).select_related(
            "source", "code", "coder"
        )
    }


def texts_of(project: Project) -> dict[str, str]:
    return dict(Source.objects.filter(project=project).visible().values_list("name", "text"))


def memos_of(project: Project) -> set[tuple[Any, ...]]:
    found = set()
    for memo in Memo.objects.filter(project=project).select_related(
        "source", "code", "segment__source", "author"
    ):
        about = (
            ("segment", memo.segment.source.text[memo.segment.start : memo.segment.end])
            if memo.segment
            else ("source", memo.source.name)
            if memo.source
            else ("code", memo.code.name)
            if memo.code
            else ("project", "")
        )
        found.add((about, memo.text, memo.author.username if memo.author else None))
    return found


def cases_of(project: Project) -> set[tuple[Any, ...]]:
    names = dict(Attribute.objects.filter(project=project).values_list("pk", "name"))
    return {
        (
            case.name,
            case.description,
            tuple(sorted((names[int(key)], value) for key, value in case.values.items())),
            tuple(sorted(case.sources.values_list("name", flat=True))),
        )
        for case in Case.objects.filter(project=project)
    }


def export(tenant: Tenant, project: Project) -> bytes:
    return exchange.export_project(by=lead(tenant), project=project)


def import_into(tenant: Tenant, project: Project, data: bytes, name: str = "project.qdpx") -> Any:
    return exchange.import_project(
        by=lead(tenant), project=project, data=data, file_name=name, texts_checked=True
    )


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


MODELS = (Code, Source, Segment, Import, Memo, Case, Attribute, Theme, Dataset)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


# Round trips ----------------------------------------------------------------------------------


def test_a_project_comes_back_with_the_same_codes_texts_coding_and_coders(
    tenant: Tenant,
) -> None:
    original = build_project(tenant)
    data = export(tenant, original)
    copy = new_project(tenant)
    summary = import_into(tenant, copy, data)

    assert codebook_of(copy) == codebook_of(original)
    assert texts_of(copy) == texts_of(original)
    assert "Draft" not in texts_of(copy)
    assert coded(copy) == coded(original)
    assert memos_of(copy) == memos_of(original)
    assert cases_of(copy) == cases_of(original)
    assert set(Theme.objects.filter(project=copy).values_list("name", "codes__name")) == set(
        Theme.objects.filter(project=original).values_list("name", "codes__name")
    )
    assert summary.codes_created == 5
    assert summary.sources_created == 2
    assert summary.segments_created == Segment.objects.filter(project=original).count() == 6
    assert summary.consensus_segments == 1
    assert summary.warnings == []
    assert {(c.name, c.matched) for c in summary.coders} == {
        (lead(tenant).get_full_name(), lead(tenant).get_full_name()),
        (coder(tenant).get_full_name(), coder(tenant).get_full_name()),
        ("Consensus", "The team's agreed coding"),
    }


def test_imported_sources_are_released_text_and_keep_what_they_were_coded_in(
    tenant: Tenant,
) -> None:
    copy = new_project(tenant)
    summary = import_into(tenant, copy, export(tenant, build_project(tenant)))
    made = Import.objects.get(pk=summary.import_id)
    assert made.status == Import.Status.RELEASED
    assert not made.pseudonymised
    assert made.options["format"] == "qdpx"
    assert all(source.kind == Source.Kind.TEXT for source in made.sources.all())
    response = made.sources.get(name="FFT, row 2")
    site = Attribute.objects.get(project=copy, name="Safle")
    assert response.values == {str(site.pk): "Bangor"}
    assert Attribute.objects.get(project=copy, name="Oed").kind == Attribute.Kind.NUMBER
    assert Attribute.objects.get(project=copy, name="Seen on").kind == Attribute.Kind.DATE


def test_importing_the_same_file_again_adds_nothing(tenant: Tenant) -> None:
    data = export(tenant, build_project(tenant))
    copy = new_project(tenant)
    import_into(tenant, copy, data)
    before = {k: v for k, v in row_counts().items() if k != "Import"}
    again = import_into(tenant, copy, data)
    assert {k: v for k, v in row_counts().items() if k != "Import"} == before
    assert again.codes_matched == 5 and again.codes_created == 0
    assert again.sources_matched == 2 and again.sources_created == 0
    assert again.segments_already_there == 6 and again.segments_created == 0


def test_a_project_sent_back_to_itself_matches_codes_by_guid_even_when_renamed(
    tenant: Tenant,
) -> None:
    project = build_project(tenant)
    data = export(tenant, project)
    kindness = Code.objects.get(project=project, name="Caredigrwydd")
    kindness.name = "Kindness"
    kindness.save()
    summary = import_into(tenant, project, data)
    assert summary.codes_created == 0
    assert not Code.objects.filter(project=project, name="Caredigrwydd").exists()


def test_coders_not_on_the_team_keep_their_names(tenant: Tenant) -> None:
    data = export(tenant, build_project(tenant))
    copy = new_project(tenant, with_coder=False)
    summary = import_into(tenant, copy, data)
    name = coder(tenant).get_full_name()
    theirs = Segment.objects.filter(project=copy, coder_label=name)
    assert theirs.count() == 3
    assert not theirs.filter(coder__isnull=False).exists()
    assert (name, "", 3) in {(c.name, c.matched, c.segments) for c in summary.coders}
    # Exported again, the kept name is still who coded them.
    again = new_project(tenant, "Third")
    import_into(tenant, again, export(tenant, copy))
    assert Segment.objects.filter(project=again, coder=coder(tenant)).count() == 3


def test_the_export_names_who_coded_each_passage_and_the_consensus(tenant: Tenant) -> None:
    project = build_project(tenant)
    parsed = refiqda.read_qdpx(export(tenant, project))
    users = {user.guid: user.name for user in parsed.users}
    assert sorted(users.values()) == sorted(
        ["Consensus", lead(tenant).get_full_name(), coder(tenant).get_full_name()]
    )
    interview = next(source for source in parsed.sources if source.name == "Cyfweliad Siân")
    by_coder = {
        (users[coding.user_guid or ""], interview.text[s.start : s.end]) if interview.text else ()
        for s in interview.selections
        for coding in s.codings
    }
    assert ("Consensus", "Roedd y nyrs yn garedig 😊") in by_coder
    assert (coder(tenant).get_full_name(), "Le café était fermé") in by_coder
    consensus = next(
        s for s in interview.selections if users[s.codings[0].user_guid or ""] == "Consensus"
    )
    assert (
        consensus.description == f"Agreed by the team; recorded by {lead(tenant).get_full_name()}"
    )
    assert all(s.codings[0].created is not None for s in interview.selections)
    assert parsed.warnings == []


def test_codes_get_a_guid_on_first_export_and_keep_it(tenant: Tenant) -> None:
    project = build_project(tenant)
    Code.objects.filter(project=project).update(guid="")
    first = refiqda.read_qdpx(export(tenant, project))
    stored = set(Code.objects.filter(project=project).values_list("guid", flat=True))
    assert "" not in stored and len(stored) == 5
    second = refiqda.read_qdpx(export(tenant, project))
    assert first.codebook == second.codebook


@needs_schema
def test_the_export_validates_against_the_project_schema(tenant: Tenant) -> None:
    schema = etree.XMLSchema(etree.parse(str(PROJECT_XSD)))
    qde = members_of(export(tenant, build_project(tenant)))["project.qde"]
    document = etree.fromstring(qde)
    assert schema.validate(document), schema.error_log


def test_only_the_lead_may_export_the_project(tenant: Tenant) -> None:
    with pytest.raises(ServiceError) as refused:
        exchange.export_project(by=coder(tenant), project=tenant.analysis.project)
    assert refused.value.status == 403
    assert "lead analyst" in refused.value.message


def test_the_lead_exports_everyone_s_coding_even_while_coding_is_blind(tenant: Tenant) -> None:
    project = tenant.analysis.project
    assert project.coding_is_blind
    parsed = refiqda.read_qdpx(export(tenant, project))
    names = {user.name for user in parsed.users}
    assert coder(tenant).get_full_name() in names
    assert AuditEvent.objects.filter(action="analysis.exported", target_id=str(project.pk)).exists()


def test_windows_line_endings_and_accents_from_another_tool_keep_coding_on_its_words(
    tenant: Tenant,
) -> None:
    # Another tool counts "\r\n" as two characters and a decomposed "é" as two; Coproduce keeps
    # one "\n" and a composed "é", so every position after them moves.
    raw = "Q: Sut oedd hi?\r\nA: Roedd y nyrs yn garedig 😊.\r\nA: Le cafe\u0301 était fermé."
    code = "0d3e5f70-1a2b-4c3d-8e9f-000000000001"
    user = "3f1c2a9e-0b6d-4c5e-9a71-2d8e4f6a1b01"
    made = refiqda.Project(
        name="From elsewhere",
        origin="Other tool 2.1",
        users=[refiqda.User(user, coder(tenant).get_full_name())],
        codebook=refiqda.Codebook([refiqda.Code(code, "Caredigrwydd")]),
        sources=[
            refiqda.Source(
                "6a7b8c9d-0e1f-4a2b-9c3d-000000000001",
                "Interview",
                raw,
                selections=[
                    refiqda.Selection(
                        f"5b4c3d2e-1f0a-4b9c-8d7e-00000000000{n}",
                        *at(raw, words),
                        codings=[
                            refiqda.Coding(
                                f"c0d1e2f3-a4b5-4c6d-9e8f-00000000000{n}",
                                code,
                                user,
                                datetime(2026, 1, 5, 9, n, tzinfo=UTC),
                            )
                        ],
                    )
                    for n, words in enumerate(["Roedd y nyrs yn garedig 😊", "Le cafe\u0301 était"])
                ],
            )
        ],
    )
    project = new_project(tenant)
    import_into(tenant, project, refiqda.write_qdpx(made))
    source = Source.objects.get(project=project)
    assert source.text == "Q: Sut oedd hi?\nA: Roedd y nyrs yn garedig 😊.\nA: Le café était fermé."
    assert {
        (source.text[s.start : s.end], s.coder, s.coded_at.minute)
        for s in Segment.objects.filter(project=project)
    } == {
        ("Roedd y nyrs yn garedig 😊", coder(tenant), 0),
        ("Le café était", coder(tenant), 1),
    }


def test_a_codebook_file_goes_into_the_codebook(tenant: Tenant) -> None:
    qdc = refiqda.write_qdc(
        refiqda.Codebook(
            [
                refiqda.Code(
                    "0d3e5f70-1a2b-4c3d-8e9f-000000000001",
                    "Aros",
                    children=[refiqda.Code("0d3e5f70-1a2b-4c3d-8e9f-000000000002", "Canlyniadau")],
                )
            ],
            origin="Other tool",
        )
    )
    project = new_project(tenant)
    summary = import_into(tenant, project, qdc, "codes.qdc")
    assert summary.what == "codebook"
    assert summary.codes_created == 2
    assert summary.import_id is None
    assert {path_of(code) for code in Code.objects.filter(project=project)} == {
        ("Aros",),
        ("Aros", "Canlyniadau"),
    }


# Other tools' files -------------------------------------------------------------------------


@needs_nvivo
def test_an_nvivo_project_arrives_with_its_coded_text_and_coders(tenant: Tenant) -> None:
    data = NVIVO.read_bytes()
    expected = refiqda.read_qdpx(data)
    project = new_project(tenant)
    summary = import_into(tenant, project, data, NVIVO.name)
    assert summary.origin == "NVivo for Windows 12.6"
    assert summary.sources_created == 2
    assert summary.codes_created == Code.objects.filter(project=project).count() == 152
    wanted = {
        (source.name, (source.text or "")[s.start : s.end])
        for source in expected.sources
        for s in source.selections
    }
    segments = Segment.objects.filter(project=project).select_related("source")
    assert segments.count() == summary.segments_created
    got = {(s.source.name, s.source.text[s.start : s.end]) for s in segments}
    assert got == wanted
    assert all(text.strip() for _, text in got)
    names = {user.name for user in expected.users}
    assert set(segments.values_list("coder_label", flat=True)) <= names
    assert sum(c.segments for c in summary.coders) == 303
    assert any("UTF-16" in warning for warning in summary.warnings)


@needs_atlas
def test_an_atlas_ti_project_without_its_files_brings_its_codebook_and_says_what_is_missing(
    tenant: Tenant,
) -> None:
    project = new_project(tenant)
    summary = import_into(tenant, project, ATLAS.read_bytes(), ATLAS.name)
    assert summary.codes_created == 14
    assert summary.sources_created == 0
    assert Memo.objects.filter(project=project).count() == summary.memos == 2
    missing = [w for w in summary.warnings if "internal://" in w]
    assert len(missing) == 8
    assert all("not imported, nor its coding" in warning for warning in missing)
    assert not any("imported without its text" in warning for warning in summary.warnings)


@needs_atlas
def test_an_atlas_ti_project_zipped_with_a_text_brings_its_coded_text(tenant: Tenant) -> None:
    text = "Toast and tea most mornings, porridge when it is cold. " * 20
    data = zipped(
        {
            "ATLAS.ti standard project.qde": ATLAS.read_bytes(),
            "sources/c1c745f7-8e4d-48b2-9710-655afe7e54fa.txt": text.encode(),
        }
    )
    expected = refiqda.read_qdpx(data)
    simon = next(source for source in expected.sources if source.name == "Simon.docx")
    project = new_project(tenant)
    summary = import_into(tenant, project, data, "atlas.qdpx")
    assert summary.sources_created == 1
    source = Source.objects.get(project=project)
    assert source.text == text
    got = {
        (source.text[s.start : s.end], s.code.name, s.coder_label)
        for s in Segment.objects.filter(source=source).select_related("code")
    }
    users = {user.guid: user.name for user in expected.users}
    codes = {}
    stack = list(expected.codebook.codes)
    while stack:
        code = stack.pop()
        codes[code.guid] = code.name
        stack.extend(code.children)
    assert got == {
        (text[s.start : s.end], codes[c.code_guid], users[c.user_guid or s.user_guid or ""])
        for s in simon.selections
        for c in s.codings
    }
    assert got


# Bad input ----------------------------------------------------------------------------------


def refused(tenant: Tenant, data: bytes, match: str, name: str = "project.qdpx") -> None:
    project = new_project(tenant, "Target")
    before = row_counts()
    with pytest.raises(ServiceError, match=match):
        import_into(tenant, project, data, name)
    assert row_counts() == before


def small_export(tenant: Tenant) -> bytes:
    project = new_project(tenant, "Small")
    code = Code.objects.create(project=project, name="Kindness")
    source = sources.paste_text(
        by=lead(tenant),
        project=project,
        name="Note",
        text="The nurse was kind.",
        pseudonymise=False,
    ).sources.get()
    coding.apply_codes(by=lead(tenant), source=source, codes=[code], start=4, end=18)
    return export(tenant, project)


def test_a_corrupt_zip_is_refused_and_nothing_is_kept(tenant: Tenant) -> None:
    data = small_export(tenant)
    refused(tenant, data[: len(data) // 2], "not a readable zip file")


def test_a_file_that_is_not_refi_qda_is_refused(tenant: Tenant) -> None:
    refused(tenant, b"%PDF-1.7\n%binary", "not a REFI-QDA project", "notes.pdf")
    refused(tenant, zipped({"word/document.xml": b"<w/>"}), "no project file", "notes.docx")
    refused(tenant, b"", "The file is empty")
    refused(tenant, b'<?xml version="1.0"?><html/>', "not a REFI-QDA", "page.qde")


def test_a_missing_source_file_is_named_and_the_rest_imported_whole(tenant: Tenant) -> None:
    members = members_of(small_export(tenant))
    [text_file] = [name for name in members if name.startswith("sources/")]
    del members[text_file]
    project = new_project(tenant, "Target")
    summary = import_into(tenant, project, zipped(members))
    guid = text_file.removeprefix("sources/").removesuffix(".txt")
    assert any(
        f"internal://{guid}.txt" in warning and "not imported, nor its coding" in warning
        for warning in summary.warnings
    )
    assert not Source.objects.filter(project=project).exists()
    assert Code.objects.filter(project=project, name="Kindness").exists()


def with_unknown_code(members: dict[str, bytes]) -> dict[str, bytes]:
    """The archive with its one coding pointing at a code that is not in the codebook."""
    qde = members["project.qde"].decode()
    changed, count = re.subn(
        r'<CodeRef targetGUID="[^"]+"',
        '<CodeRef targetGUID="00000000-0000-4000-8000-000000000000"',
        qde,
    )
    assert count == 1
    return {**members, "project.qde": changed.encode()}


def test_coding_with_an_unknown_code_is_reported_and_the_rest_imported(tenant: Tenant) -> None:
    members = with_unknown_code(members_of(small_export(tenant)))
    project = new_project(tenant, "Target")
    summary = import_into(tenant, project, zipped(members))
    assert (
        "1 coding refers to codes that are not in the codebook and were not imported"
        in summary.warnings
    )
    assert Source.objects.filter(project=project).count() == 1
    assert not Segment.objects.filter(project=project).exists()


def test_texts_must_be_confirmed_where_the_project_pseudonymises(tenant: Tenant) -> None:
    data = small_export(tenant)
    project = new_project(tenant, "Target")
    assert project.pseudonymise
    before = row_counts()
    with pytest.raises(ServiceError, match="may be shown to the team") as refusal:
        exchange.import_project(by=lead(tenant), project=project, data=data)
    assert refusal.value.field == "texts_checked"
    assert row_counts() == before
    project.pseudonymise = False
    project.save()
    exchange.import_project(by=lead(tenant), project=project, data=data)
    assert Source.objects.filter(project=project).count() == 1


def test_only_the_lead_may_import(tenant: Tenant) -> None:
    with pytest.raises(ServiceError) as refusal:
        exchange.import_project(
            by=coder(tenant), project=tenant.analysis.project, data=small_export(tenant)
        )
    assert refusal.value.status == 403


def sample_qdpx() -> bytes:
    """A valid file as Coproduce writes it, built without the database."""
    code = "0d3e5f70-1a2b-4c3d-8e9f-000000000001"
    child = "0d3e5f70-1a2b-4c3d-8e9f-000000000002"
    user = "3f1c2a9e-0b6d-4c5e-9a71-2d8e4f6a1b01"
    text = "Roedd y nyrs yn garedig 😊.\nLe café était fermé."
    variable = "7c6b5a49-3827-4165-9f0e-000000000001"
    note = "9e8d7c6b-5a4f-4e3d-8c2b-000000000001"
    source = "6a7b8c9d-0e1f-4a2b-9c3d-000000000001"
    return refiqda.write_qdpx(
        refiqda.Project(
            name="Fuzz",
            users=[refiqda.User(user, "Aisha"), refiqda.User(exchange.CONSENSUS_GUID, "Consensus")],
            codebook=refiqda.Codebook(
                [
                    refiqda.Code(
                        code,
                        "Aros",
                        "Waiting",
                        "#1F77B4",
                        children=[refiqda.Code(child, "Canlyniadau")],
                    )
                ]
            ),
            variables=[refiqda.Variable(variable, "Oed", "Integer")],
            notes=[refiqda.Note(note, "Memo", "Warm", user_guid=user)],
            cases=[
                refiqda.Case(
                    "1c6b5a49-3827-4165-9f0e-000000000001",
                    "Siân",
                    values=[refiqda.VariableValue(variable, 71)],
                    source_guids=[source],
                )
            ],
            sources=[
                refiqda.Source(
                    source,
                    "Interview",
                    text,
                    note_guids=[note],
                    selections=[
                        refiqda.Selection(
                            "5b4c3d2e-1f0a-4b9c-8d7e-000000000001",
                            0,
                            24,
                            user_guid=user,
                            codings=[
                                refiqda.Coding(
                                    "c0d1e2f3-a4b5-4c6d-9e8f-000000000001",
                                    code,
                                    user,
                                    datetime(2026, 1, 1, tzinfo=UTC),
                                ),
                                refiqda.Coding(
                                    "c0d1e2f3-a4b5-4c6d-9e8f-000000000002",
                                    child,
                                    exchange.CONSENSUS_GUID,
                                ),
                            ],
                            note_guids=[note],
                        )
                    ],
                )
            ],
        )
    )


SAMPLE = sample_qdpx()
SAMPLE_QDE = members_of(SAMPLE)["project.qde"]


def mutated(data: bytes) -> st.SearchStrategy[bytes]:
    """The bytes with a few changed, cut short, or with a stretch repeated or removed."""
    size = len(data)

    def change(draw: Callable[..., Any]) -> bytes:
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 6))):
            how = draw(st.sampled_from(["flip", "cut", "repeat", "remove"]))
            position = draw(st.integers(0, max(0, len(out) - 1)))
            if how == "flip" and out:
                out[position] = draw(st.integers(0, 255))
            elif how == "cut":
                del out[position:]
            elif how == "repeat":
                length = draw(st.integers(1, 64))
                out[position:position] = out[position : position + length]
            else:
                del out[position : position + draw(st.integers(1, 64))]
        return bytes(out)

    assert size
    return st.composite(lambda draw: change(draw))()


def check_only_refused_or_imported(tenant: Tenant, data: bytes) -> None:
    with transaction.atomic():
        before = row_counts()
        try:
            import_into(tenant, tenant.analysis.project, data)
        except ServiceError as refusal:
            assert refusal.message
            assert row_counts() == before
        # Each example starts from the same project.
        transaction.set_rollback(True)


def test_the_fuzzed_files_start_out_valid(tenant: Tenant) -> None:
    project = new_project(tenant)
    summary = import_into(tenant, project, SAMPLE)
    assert summary.segments_created == 2 and summary.consensus_segments == 1
    assert summary.memos == 2 and summary.cases == 1
    assert summary.warnings == [
        "1 coding has no date in the file, so the time of the import was recorded instead"
    ]
    summary = import_into(tenant, new_project(tenant, "Bare"), SAMPLE_QDE, "project.qde")
    assert summary.codes_created == 2


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=mutated(SAMPLE))
def test_damaged_archives_are_refused_whole_or_imported(tenant: Tenant, data: bytes) -> None:
    check_only_refused_or_imported(tenant, data)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(qde=mutated(SAMPLE_QDE))
def test_damaged_project_files_are_refused_whole_or_imported(tenant: Tenant, qde: bytes) -> None:
    members = members_of(SAMPLE)
    members["project.qde"] = qde
    check_only_refused_or_imported(tenant, zipped(members))


_ATTRIBUTE_VALUE = re.compile(rb'="([^"]*)"')
_VALUES = list(_ATTRIBUTE_VALUE.finditer(SAMPLE_QDE))


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    changes=st.lists(
        st.tuples(
            st.integers(0, len(_VALUES) - 1),
            st.one_of(
                st.text(max_size=40),
                st.integers(-(2**70), 2**70).map(str),
                st.sampled_from(["", "0", "-1", "true", "#abc", "rgb(1,2,3)", "2026-13-40"]),
            ),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_odd_values_in_a_project_file_are_refused_whole_or_imported(
    tenant: Tenant, changes: list[tuple[int, str]]
) -> None:
    # Names, positions, GUIDs, dates and colours replaced by anything at all: the XML stays
    # well-formed, so the file reaches every step of the import.
    qde = SAMPLE_QDE
    for index, value in sorted(dict(changes).items(), reverse=True):
        match = _VALUES[index]
        escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        qde = qde[: match.start(1)] + escaped.encode() + qde[match.end(1) :]
    members = members_of(SAMPLE)
    members["project.qde"] = qde
    check_only_refused_or_imported(tenant, zipped(members))


# Pages --------------------------------------------------------------------------------------


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_lead_downloads_the_project_and_a_coder_is_told_why_they_cannot(
    tenant: Tenant,
) -> None:
    project = tenant.analysis.project
    as_lead = client_for(lead(tenant))
    page = as_lead.get(reverse("analysis:exchange", args=[project.pk])).content.decode()
    assert "Download the project (.qdpx)" in page
    download = as_lead.get(reverse("analysis:exchange_export", args=[project.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="Why people stay involved.qdpx"'
    assert refiqda.read_qdpx(download.content).name == project.name
    project.name = "Aros · ŵyr"
    project.save()
    download = as_lead.get(reverse("analysis:exchange_export", args=[project.pk]))
    assert download["Content-Disposition"] == (
        "attachment; filename*=utf-8''Aros%20-%20%C5%B5yr.qdpx"
    )
    as_coder = client_for(coder(tenant))
    page = as_coder.get(reverse("analysis:exchange", args=[project.pk])).content.decode()
    assert "Only the lead analyst can export the whole project" in page
    assert "Download the project" not in page
    assert as_coder.get(reverse("analysis:exchange_export", args=[project.pk])).status_code == 403
    codebook = as_coder.get(reverse("analysis:exchange_codebook", args=[project.pk]))
    assert codebook.status_code == 200
    assert [c.name for c in refiqda.read_qdc(codebook.content).codes] == ["Hearing back"]


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_an_upload_shows_what_was_imported_and_what_was_not(tenant: Tenant) -> None:
    members = with_unknown_code(members_of(small_export(tenant)))
    project = new_project(tenant, "Target")
    url = reverse("analysis:exchange_import", args=[project.pk])
    client = client_for(lead(tenant))
    form = client.get(url).content.decode()
    assert "texts imported from another tool are not pseudonymised" in form
    response = client.post(
        url, {"file": upload("from nvivo.qdpx", zipped(members)), "texts_checked": "on"}
    )
    made = Import.objects.get(project=project)
    assert response.status_code == 302
    assert response["Location"] == reverse("analysis:exchange_result", args=[project.pk, made.pk])
    page = client.get(response["Location"]).content.decode()
    assert "from nvivo.qdpx" in page
    assert "refers to codes that are not in the codebook" in page
    assert "Who coded the imported passages" not in page  # the one coding was dropped
    listing = client.get(reverse("analysis:exchange", args=[project.pk])).content.decode()
    assert "from nvivo.qdpx" in listing


def test_an_upload_names_who_coded_what(tenant: Tenant) -> None:
    project = new_project(tenant, "Target")
    project.pseudonymise = False
    project.save()
    client = client_for(lead(tenant))
    response = client.post(
        reverse("analysis:exchange_import", args=[project.pk]),
        {"file": upload("project.qdpx", export(tenant, build_project(tenant)))},
        follow=True,
    )
    page = response.content.decode()
    assert "Who coded the imported passages" in page
    assert coder(tenant).get_full_name() in page
    assert "Everything in the file was imported as it was" in page


def test_a_bad_upload_is_refused_on_the_form(tenant: Tenant, settings: Any) -> None:
    project = new_project(tenant, "Target")
    client = client_for(lead(tenant))
    url = reverse("analysis:exchange_import", args=[project.pk])
    before = row_counts()
    page = client.post(url, {"file": upload("x.qdpx", b"PK\x03\x04broken"), "texts_checked": "on"})
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    assert "not a readable zip file" in page.content.decode()
    page = client.post(url, {"file": upload("x.qdpx", small_export(tenant))})
    assert "may be shown to the team as they are" in page.content.decode()
    settings.ANALYSIS_MAX_DATASET_BYTES = 1024 * 1024
    page = client.post(url, {"file": upload("big.qdpx", b"PK" + b"0" * (1024 * 1024 + 1))})
    assert "larger than 1 MB" in page.content.decode()
    counts = row_counts()
    assert counts["Source"] == before["Source"] + 1  # the small export's own project
    assert not Import.objects.filter(project=project).exists()


def test_a_codebook_upload_shows_its_result(tenant: Tenant) -> None:
    qdc = refiqda.write_qdc(
        refiqda.Codebook([refiqda.Code("0d3e5f70-1a2b-4c3d-8e9f-000000000001", "Aros")])
    )
    project = new_project(tenant, "Target")
    response = client_for(lead(tenant)).post(
        reverse("analysis:exchange_import", args=[project.pk]), {"file": upload("c.qdc", qdc)}
    )
    assert response.status_code == 200
    assert "Codebook imported" in response.content.decode()
    assert Code.objects.filter(project=project, name="Aros").exists()


def test_the_result_page_of_another_kind_of_import_points_to_the_sources_page(
    tenant: Tenant,
) -> None:
    analysis = tenant.analysis
    page = client_for(lead(tenant)).get(
        reverse("analysis:exchange_result", args=[analysis.project.pk, analysis.under_review.pk])
    )
    assert page.status_code == 200
    assert (
        reverse("analysis:import", args=[analysis.project.pk, analysis.under_review.pk])
        in page.content.decode()
    )
    other = new_project(tenant, "Elsewhere")
    assert (
        client_for(lead(tenant))
        .get(reverse("analysis:exchange_result", args=[other.pk, analysis.under_review.pk]))
        .status_code
        == 404
    )
