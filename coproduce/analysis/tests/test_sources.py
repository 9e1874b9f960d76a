"""Bringing sources into a project: pseudonymised on import, reviewed, released whole."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from docx import Document
from openpyxl import Workbook

from conftest import Tenant
from coproduce.analysis.models import Attribute, Import, Placeholder, Replacement, Source
from coproduce.analysis.services import sources
from coproduce.analysis.transcripts import ImportRefused
from coproduce.core.errors import ServiceError
from coproduce.core.roles import Role

pytestmark = pytest.mark.django_db


def imported(
    tenant: Tenant, capture: Callable[..., Any], name: str, data: bytes, **options: Any
) -> Import:
    """Queue a file and run the background import, as the worker would."""
    analysis = tenant.analysis
    with capture(execute=True):
        started = sources.queue_import(
            by=tenant.users[Role.ANALYST],
            project=analysis.project,
            upload=SimpleUploadedFile(name, data),
            **options,
        )
    started.refresh_from_db()
    return started


def test_pasted_text_is_pseudonymised_and_waits_for_review(tenant: Tenant) -> None:
    analysis = tenant.analysis
    pasted = sources.paste_text(
        by=tenant.users[Role.ANALYST],
        project=analysis.project,
        name="Call notes",
        text="Call me on 07700 900123 or write to jo.bloggs@example.org. My nurse Jenny rang.",
    )
    source = pasted.sources.get()
    assert pasted.status == Import.Status.REVIEW
    assert "07700" not in source.text and "jo.bloggs" not in source.text
    assert "Jenny" not in source.text
    assert "[Phone 1]" in source.text and "[Email 1]" in source.text
    assert {r.kind for r in source.replacements.all()} >= {"phone", "email", "name"}
    # Coders cannot see it yet.
    assert not Source.objects.visible().filter(pk=source.pk).exists()


def test_the_same_person_keeps_one_placeholder_across_sources(tenant: Tenant) -> None:
    analysis, lead = tenant.analysis, tenant.users[Role.ANALYST]
    first = sources.paste_text(
        by=lead, project=analysis.project, name="One", text="Phone 07700 900123 please."
    )
    second = sources.paste_text(
        by=lead, project=analysis.project, name="Two", text="I rang 07700900123 again."
    )
    assert "[Phone 1]" in first.sources.get().text
    assert "[Phone 1]" in second.sources.get().text
    assert Placeholder.objects.filter(project=analysis.project, kind="phone").count() == 1


def test_release_keeps_the_words_the_analyst_says_are_not_identifiers(tenant: Tenant) -> None:
    analysis, lead = tenant.analysis, tenant.users[Role.ANALYST]
    pasted = sources.paste_text(
        by=lead,
        project=analysis.project,
        name="Clinic",
        text="Sister Morris was kind. Call 07700 900123.",
    )
    source = pasted.sources.get()
    names = source.replacements.filter(kind="name").values_list("pk", flat=True)
    assert names
    sources.keep_original_words(by=lead, source_import=pasted, replacement_ids=names)
    sources.release(by=lead, source_import=pasted)
    source.refresh_from_db()
    assert source.text == "Sister Morris was kind. Call [Phone 1]."
    # The original text and the replaced words are gone unless the lead keeps originals.
    assert source.original_text == ""
    assert not Replacement.objects.filter(source=source).exclude(original="").exists()
    assert Source.objects.visible().filter(pk=source.pk).exists()
    with pytest.raises(ServiceError):
        sources.release(by=lead, source_import=pasted)


def test_originals_stay_for_the_lead_when_the_project_keeps_them(tenant: Tenant) -> None:
    analysis, lead = tenant.analysis, tenant.users[Role.ANALYST]
    analysis.project.keep_originals = True
    analysis.project.save()
    pasted = sources.paste_text(
        by=lead, project=analysis.project, name="Kept", text="Ring 07700 900123."
    )
    sources.release(by=lead, source_import=pasted)
    assert pasted.sources.get().original_text == "Ring 07700 900123."


def test_text_without_identifiers_goes_straight_to_coders(tenant: Tenant) -> None:
    pasted = sources.paste_text(
        by=tenant.users[Role.ANALYST],
        project=tenant.analysis.project,
        name="Plain",
        text="The waiting room was warm and the tea was good.",
    )
    assert pasted.status == Import.Status.RELEASED


def test_a_transcript_keeps_its_speaker_turns_on_the_released_text(
    tenant: Tenant, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    vtt = (
        b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>How did it go?\n\n"
        b"00:00:05.000 --> 00:00:09.500\n<v P2>My husband Dave drove me, 07700 900123 is his.\n"
    )
    done = imported(tenant, django_capture_on_commit_callbacks, "group.vtt", vtt)
    assert done.status == Import.Status.REVIEW
    sources.release(by=tenant.users[Role.ANALYST], source_import=done)
    source = done.sources.get()
    assert source.kind == Source.Kind.TRANSCRIPT
    spoken = [source.text[turn["start"] : turn["end"]] for turn in source.turns]
    assert spoken[0] == "How did it go?"
    assert spoken[1].startswith("My husband [Name") and spoken[1].endswith("is his.")
    assert source.turns[1]["starts_at_ms"] == 5000
    assert "original_start" not in source.turns[1]


def test_a_survey_export_becomes_one_response_a_row_with_attributes(
    tenant: Tenant, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    data = (
        "Date,Service,Comment\r\n"
        "2026-01-03,Radiotherapy,Café staff were lovely\r\n"
        "2026-01-04,Chemotherapy,\r\n"
        "2026-01-05,Chemotherapy,Parking at Weston was hard; ring 07700 900123\r\n"
    ).encode("cp1252")
    done = imported(
        tenant,
        django_capture_on_commit_callbacks,
        "fft.csv",
        data,
        text_column="Comment",
        attribute_columns=["Date", "Service"],
    )
    assert done.status == Import.Status.REVIEW
    responses = list(done.sources.order_by("row"))
    assert [r.row for r in responses] == [2, 4]
    assert responses[0].text == "Café staff were lovely"
    service = Attribute.objects.get(project=tenant.analysis.project, name="Service")
    assert responses[1].values[str(service.pk)] == "Chemotherapy"
    assert "[Phone" in responses[1].text
    assert done.rows_done == done.rows_total == 2
    assert done.upload.name == ""  # the uploaded file is not kept


def test_an_excel_export_is_read_the_same_way(
    tenant: Tenant, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ward", "What could be better?"])
    sheet.append(["Ward 7", "More chairs for visitors"])
    stream = io.BytesIO()
    book.save(stream)
    done = imported(
        tenant,
        django_capture_on_commit_callbacks,
        "survey.xlsx",
        stream.getvalue(),
        text_column="What could be better?",
        attribute_columns=["Ward"],
        pseudonymise=False,
    )
    assert done.status == Import.Status.RELEASED
    assert done.sources.get().text == "More chairs for visitors"


def test_a_word_document_is_imported(
    tenant: Tenant, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    document = Document()
    document.add_paragraph("Minutes of the partnership group")
    document.add_paragraph("The group asked for clearer letters.")
    stream = io.BytesIO()
    document.save(stream)
    done = imported(tenant, django_capture_on_commit_callbacks, "minutes.docx", stream.getvalue())
    assert done.status == Import.Status.RELEASED
    assert done.sources.get().text.endswith("The group asked for clearer letters.")


def test_a_ragged_export_is_refused_whole_and_leaves_nothing(
    tenant: Tenant, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    rows = ["Comment,Service"] + [f"Fine {n},Clinic" for n in range(2500)]
    rows.append("A row,with,too many,cells")
    done = imported(
        tenant,
        django_capture_on_commit_callbacks,
        "ragged.csv",
        "\n".join(rows).encode(),
        text_column="Comment",
        attribute_columns=["Service"],
    )
    assert done.status == Import.Status.FAILED
    assert "Row 2502" in done.error
    assert not done.sources.exists()
    assert not tenant.analysis.project.datasets.filter(source_import=done).exists()


def test_a_missing_text_column_is_named_in_the_refusal(
    tenant: Tenant, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    done = imported(
        tenant,
        django_capture_on_commit_callbacks,
        "survey.csv",
        b"Feedback\nGood\n",
        text_column="Comment",
    )
    assert done.status == Import.Status.FAILED
    assert "Comment" in done.error


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.rtf", b"{\\rtf1}", "cannot read .rtf"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_unusable_files_are_refused_before_anything_is_stored(
    tenant: Tenant, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(ServiceError, match=message):
        sources.queue_import(
            by=tenant.users[Role.ANALYST],
            project=tenant.analysis.project,
            upload=SimpleUploadedFile(name, data),
        )
    assert not Import.objects.filter(file_name=name).exists()


@override_settings(ANALYSIS_MAX_DOCUMENT_BYTES=10)
def test_a_file_over_the_size_limit_is_refused(tenant: Tenant) -> None:
    with pytest.raises(ServiceError, match="larger than"):
        sources.queue_import(
            by=tenant.users[Role.ANALYST],
            project=tenant.analysis.project,
            upload=SimpleUploadedFile("long.txt", b"x" * 11),
        )


def test_a_survey_export_needs_its_text_column(tenant: Tenant) -> None:
    with pytest.raises(ServiceError, match="column that holds the comments"):
        sources.queue_import(
            by=tenant.users[Role.ANALYST],
            project=tenant.analysis.project,
            upload=SimpleUploadedFile("survey.csv", b"Comment\nGood\n"),
        )


def test_pasted_text_with_nul_characters_is_refused(tenant: Tenant) -> None:
    with pytest.raises(ImportRefused, match="NUL"):
        sources.paste_text(
            by=tenant.users[Role.ANALYST],
            project=tenant.analysis.project,
            name="Bad",
            text="a\x00b",
        )
