"""Bringing sources into a project: pasted text, documents, transcripts and survey exports,
pseudonymised on the way in and reviewed by the lead before coders see them.

A file is read by the plain importers next to this package (`transcripts`, `documents`,
`responses`), which refuse bad files with a specific message. Large exports are read by a
background task in batches, so the page can show progress; the rows written so far stay hidden
(their import is not released) and are deleted if the file is refused part-way, so a file is
seen whole or not at all.
"""

import itertools
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.activities.models import Activity, Document
from coproduce.analysis import documents, transcripts
from coproduce.analysis.models import (
    Attribute,
    Dataset,
    Import,
    Placeholder,
    Project,
    Replacement,
    Source,
)
from coproduce.analysis.pseudonymise import Pseudonymiser
from coproduce.analysis.pseudonymise import Replacement as Found
from coproduce.analysis.responses import ReadSummary, read_csv
from coproduce.analysis.services import dating
from coproduce.analysis.transcripts import ImportRefused, Transcript
from coproduce.core import audit
from coproduce.core.errors import ServiceError

DOCUMENT_READERS: dict[str, tuple[str, Callable[[bytes], Transcript]]] = {
    "txt": (Source.Kind.TEXT, transcripts.plain_text),
    "docx": (Source.Kind.DOCUMENT, documents.docx),
    "pdf": (Source.Kind.DOCUMENT, documents.pdf),
    "vtt": (Source.Kind.TRANSCRIPT, transcripts.webvtt),
    "srt": (Source.Kind.TRANSCRIPT, transcripts.srt),
}
DATASET_FORMATS = {"csv", "xlsx"}
FORMAT_NAMES = {
    "txt": "plain text (.txt)",
    "docx": "Word (.docx)",
    "pdf": "PDF (.pdf)",
    "vtt": "WebVTT captions (.vtt)",
    "srt": "SubRip captions (.srt)",
    "csv": "CSV (.csv)",
    "xlsx": "Excel (.xlsx)",
}
# Rows written and progress saved together: small enough for steady progress, large enough that
# a million rows are a thousand writes.
BATCH = 1_000


def file_format(name: str) -> str:
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix not in FORMAT_NAMES:
        allowed = ", ".join(FORMAT_NAMES.values())
        raise ServiceError(
            f"Coproduce cannot read .{suffix or '?'} files. Use {allowed}", field="file"
        )
    return suffix


def _check_size(upload: UploadedFile, limit: int) -> None:
    if not upload.size:
        raise ServiceError("The file is empty", field="file")
    if upload.size > limit:
        raise ServiceError(
            f"The file is larger than {limit // (1024 * 1024)} MB. Split it into smaller files",
            field="file",
        )


def _pseudonymiser(project: Project) -> Pseudonymiser:
    return Pseudonymiser(
        {
            (kind, value): placeholder
            for kind, value, placeholder in project.placeholders.values_list(
                "kind", "value", "placeholder"
            )
        }
    )


def _save_placeholders(project: Project, pseudonymiser: Pseudonymiser) -> None:
    known = {
        (kind, value): placeholder
        for kind, value, placeholder in project.placeholders.values_list(
            "kind", "value", "placeholder"
        )
    }
    changed = [
        (kind, value, placeholder)
        for (kind, value), placeholder in pseudonymiser.placeholders.items()
        if known.get((kind, value)) != placeholder
    ]
    for kind, value, placeholder in changed:
        Placeholder.objects.update_or_create(
            project=project, kind=kind, value=value[:500], defaults={"placeholder": placeholder}
        )


def _turns(transcript: Transcript) -> list[dict[str, Any]]:
    return [
        {
            "speaker": turn.speaker,
            "start": turn.start,
            "end": turn.end,
            "starts_at_ms": turn.starts_at_ms,
            "ends_at_ms": turn.ends_at_ms,
        }
        for turn in transcript.turns
    ]


def _replacements(source: Source, found: Iterable[Found]) -> list[Replacement]:
    return [
        Replacement(
            source=source,
            kind=item.kind,
            original=item.original[:500],
            placeholder=item.placeholder,
            start=item.start,
            end=item.end,
        )
        for item in found
    ]


def _add_document(
    source_import: Import,
    transcript: Transcript,
    *,
    name: str,
    kind: str,
    pseudonymiser: Pseudonymiser | None,
    **extra: Any,
) -> Source:
    """One source, its text pseudonymised if asked. Under review, the text coders will see is
    `text` and the original is kept beside it until release."""
    text, found = transcript.text, list[Found]()
    if pseudonymiser is not None:
        speakers = {turn.speaker for turn in transcript.turns}
        text, found = pseudonymiser.apply(transcript.text, speakers=speakers)
    turns = _turns(transcript)
    if found and turns:
        # Turns are found in the original text. Until release they carry their original offsets
        # too, so that release can move them again if the analyst keeps some words.
        _, moved = _pseudonymised_text(transcript.text, _replacements(Source(), found))
        turns = [
            {
                **turn,
                "original_start": turn["start"],
                "original_end": turn["end"],
                "start": moved[turn["start"]],
                "end": moved[turn["end"]],
            }
            for turn in turns
        ]
    source = Source.objects.create(
        project=source_import.project,
        source_import=source_import,
        kind=kind,
        name=name[:255],
        text=text,
        original_text=transcript.text if found else "",
        turns=turns,
        **extra,
    )
    Replacement.objects.bulk_create(_replacements(source, found))
    return source


def _audit_import(by: User | None, source_import: Import, summary: str) -> None:
    audit.record(
        actor=by,
        action="analysis.imported",
        target=source_import,
        summary=summary,
        organisation_id=source_import.project.organisation_id,
    )


def _finish(source_import: Import) -> None:
    """Straight to coders when nothing was replaced; otherwise to the lead for review."""
    has_replacements = Replacement.objects.filter(source__source_import=source_import).exists()
    source_import.status = Import.Status.REVIEW if has_replacements else Import.Status.RELEASED
    if not has_replacements:
        source_import.released_at = timezone.now()
    source_import.save(
        update_fields=["status", "released_at", "rows_done", "rows_total", "updated_at"]
    )


@transaction.atomic
def paste_text(
    *,
    by: User,
    project: Project,
    name: str,
    text: str,
    pseudonymise: bool | None = None,
    kind: str = Source.Kind.TEXT,
    activity_document: Document | None = None,
) -> Import:
    """Text pasted into a page (or a meeting's minutes): a source straight away, no queue."""
    transcript = transcripts.plain_text(text.encode("utf-8"))
    pseudonymise = project.pseudonymise if pseudonymise is None else pseudonymise
    source_import = Import.objects.create(
        project=project,
        file_name="",
        status=Import.Status.RUNNING,
        imported_by=by,
        pseudonymised=pseudonymise,
        options={"format": "txt", "name": name},
    )
    pseudonymiser = _pseudonymiser(project) if pseudonymise else None
    _add_document(
        source_import,
        transcript,
        name=name,
        kind=kind,
        pseudonymiser=pseudonymiser,
        activity_document=activity_document,
    )
    if pseudonymiser is not None:
        _save_placeholders(project, pseudonymiser)
    source_import.rows_done = source_import.rows_total = 1
    source_import.save(update_fields=["rows_total"])
    _finish(source_import)
    _audit_import(by, source_import, f"Pasted the text {name} into {project.name}")
    return source_import


@transaction.atomic
def queue_import(
    *,
    by: User,
    project: Project,
    upload: UploadedFile,
    name: str = "",
    pseudonymise: bool | None = None,
    text_column: str = "",
    attribute_columns: Iterable[str] = (),
    sheet: str = "",
    kind: str | None = None,
    activity_document: Document | None = None,
) -> Import:
    """Store the file and queue its import. Survey exports need the column holding the text."""
    file_format_ = file_format(upload.name or "")
    dataset = file_format_ in DATASET_FORMATS
    _check_size(
        upload,
        settings.ANALYSIS_MAX_DATASET_BYTES if dataset else settings.ANALYSIS_MAX_DOCUMENT_BYTES,
    )
    if dataset and not text_column.strip():
        raise ServiceError(
            "Enter the name of the column that holds the comments", field="text_column"
        )
    source_import = Import.objects.create(
        project=project,
        file_name=PurePath(upload.name or "").name[:255],
        upload=upload,
        imported_by=by,
        pseudonymised=project.pseudonymise if pseudonymise is None else pseudonymise,
        options={
            "format": file_format_,
            "name": name or PurePath(upload.name or "").stem,
            "text_column": text_column.strip(),
            "attribute_columns": [column.strip() for column in attribute_columns if column.strip()],
            "sheet": sheet.strip(),
            "kind": kind,
            "activity_document": activity_document.pk if activity_document else None,
        },
    )
    from coproduce.analysis.tasks import import_file

    transaction.on_commit(lambda: import_file.enqueue(source_import.pk))
    return source_import


def run_import(import_id: int) -> Import:
    """Read a queued file into sources (the background task's body)."""
    source_import = Import.objects.select_related("project").get(pk=import_id)
    if source_import.status != Import.Status.QUEUED:
        return source_import  # already run: a task delivered twice does nothing
    source_import.status = Import.Status.RUNNING
    source_import.save(update_fields=["status", "updated_at"])
    try:
        if source_import.options["format"] in DATASET_FORMATS:
            _read_dataset(source_import)
        else:
            _read_document(source_import)
    except ImportRefused as refusal:
        _fail(source_import, refusal.message)
    except Exception:
        _fail(source_import, "The file could not be imported because of an error in Coproduce")
        raise
    finally:
        _discard_upload(source_import)
    return source_import


def _fail(source_import: Import, message: str) -> None:
    with transaction.atomic():
        source_import.sources.all().delete()
        Dataset.objects.filter(source_import=source_import).delete()
        source_import.status = Import.Status.FAILED
        source_import.error = message
        source_import.save(update_fields=["status", "error", "updated_at"])


def _discard_upload(source_import: Import) -> None:
    if source_import.upload:
        source_import.upload.delete(save=False)
        Import.objects.filter(pk=source_import.pk).update(upload="")


def _read_document(source_import: Import) -> None:
    options = source_import.options
    kind, reader = DOCUMENT_READERS[options["format"]]
    kind = options.get("kind") or kind
    with source_import.upload.open("rb") as stored:
        transcript = reader(stored.read())
    project = source_import.project
    with transaction.atomic():
        pseudonymiser = _pseudonymiser(project) if source_import.pseudonymised else None
        _add_document(
            source_import,
            transcript,
            name=options["name"],
            kind=kind,
            pseudonymiser=pseudonymiser,
            activity_document_id=options.get("activity_document"),
        )
        if pseudonymiser is not None:
            _save_placeholders(project, pseudonymiser)
        source_import.rows_done = source_import.rows_total = 1
        _finish(source_import)
    _audit_import(
        source_import.imported_by,
        source_import,
        f"Imported {source_import.file_name} into {project.name}",
    )


def _rows(source_import: Import, summary: ReadSummary) -> Iterator[Any]:
    options = source_import.options
    columns = {
        "text_column": options["text_column"],
        "attribute_columns": options["attribute_columns"],
    }
    with source_import.upload.open("rb") as stored:
        if options["format"] == "xlsx":
            yield from documents.read_xlsx(
                stored, **columns, summary=summary, sheet=options.get("sheet") or None
            )
        else:
            yield from read_csv(stored, **columns, summary=summary)


def _read_dataset(source_import: Import) -> None:
    options = source_import.options
    project = source_import.project
    source_import.rows_total = None
    with transaction.atomic():
        dataset = Dataset.objects.create(
            project=project,
            source_import=source_import,
            name=options["name"][:200],
            text_column=options["text_column"][:200],
        )
        attributes = {
            column: Attribute.objects.get_or_create(project=project, name=column[:100])[0]
            for column in options["attribute_columns"]
        }
        dataset.attributes.set(attributes.values())
    keys = {column: str(attribute.pk) for column, attribute in attributes.items()}
    pseudonymiser = _pseudonymiser(project) if source_import.pseudonymised else None
    summary = ReadSummary()
    name = dataset.name[:200]
    # Each response is dated from the first column that holds only dates: what trends count by.
    dates = dating.DateColumns(options["attribute_columns"])
    rows = _rows(source_import, summary)
    while batch := list(itertools.islice(rows, BATCH)):
        found_by_row: dict[int, list[Found]] = {}
        sources = []
        for response in batch:
            text, found = response.text, list[Found]()
            if pseudonymiser is not None:
                text, found = pseudonymiser.apply(response.text)
            if found:
                found_by_row[response.row] = found
            sources.append(
                Source(
                    project=project,
                    source_import=source_import,
                    dataset=dataset,
                    row=response.row,
                    kind=Source.Kind.RESPONSE,
                    name=f"{name}, row {response.row}",
                    text=text,
                    original_text=response.text if found else "",
                    values={keys[column]: value for column, value in response.attributes.items()},
                    received_on=dates.date(response.attributes),
                )
            )
        with transaction.atomic():
            Source.objects.bulk_create(sources, batch_size=BATCH)
            if found_by_row:
                saved = dict(
                    source_import.sources.filter(row__in=found_by_row).values_list("row", "pk")
                )
                Replacement.objects.bulk_create(
                    [
                        replacement
                        for row, found in found_by_row.items()
                        for replacement in _replacements(Source(pk=saved[row]), found)
                    ],
                    batch_size=BATCH,
                )
            source_import.rows_done += len(sources)
            Import.objects.filter(pk=source_import.pk).update(rows_done=source_import.rows_done)
    if source_import.rows_done == 0:
        raise ImportRefused(
            f"No comments were found in the column {options['text_column']}: every row was blank"
        )
    with transaction.atomic():
        dating.date_import(source_import, dates, keys)
        if pseudonymiser is not None:
            _save_placeholders(project, pseudonymiser)
        source_import.rows_total = source_import.rows_done
        source_import.save(update_fields=["rows_total"])
        _finish(source_import)
    _audit_import(
        source_import.imported_by,
        source_import,
        f"Imported {source_import.rows_done} responses from {source_import.file_name} "
        f"into {project.name}",
    )


def _pseudonymised_text(original: str, replacements: list[Replacement]) -> tuple[str, list[int]]:
    """The text with the replacements the analyst accepted, and, for each character offset of
    the original, where it moved to (used to re-map speaker turns)."""
    parts: list[str] = []
    moved = list(range(len(original) + 1))
    position = 0
    shift = 0
    for replacement in sorted(replacements, key=lambda r: r.start):
        if replacement.kept or replacement.start < position:
            continue
        parts += [original[position : replacement.start], replacement.placeholder]
        difference = len(replacement.placeholder) - (replacement.end - replacement.start)
        for offset in range(position, replacement.start + 1):
            moved[offset] = offset + shift
        for offset in range(replacement.start + 1, replacement.end):
            moved[offset] = replacement.start + shift
        shift += difference
        position = replacement.end
    parts.append(original[position:])
    for offset in range(position, len(original) + 1):
        moved[offset] = offset + shift
    return "".join(parts), moved


@transaction.atomic
def keep_original_words(*, by: User, source_import: Import, replacement_ids: Iterable[int]) -> int:
    """The analyst says these replacements were not identifiers: the words stay as written."""
    if source_import.status != Import.Status.REVIEW:
        raise ServiceError("These sources have already been released to coders")
    changed = Replacement.objects.filter(
        source__source_import=source_import, pk__in=list(replacement_ids), kept=False
    ).update(kept=True)
    audit.record(
        actor=by,
        action="analysis.replacements_kept",
        target=source_import,
        summary=f"Kept the original words of {changed} replacements in {source_import}",
        organisation_id=source_import.project.organisation_id,
    )
    return changed


@transaction.atomic
def release(*, by: User, source_import: Import) -> Import:
    """Fix the reviewed text for good and let coders see it. From now on the text never
    changes. The original text and the replaced words are dropped unless the lead keeps them."""
    source_import = (
        Import.objects.select_for_update().select_related("project").get(pk=source_import.pk)
    )
    if source_import.status != Import.Status.REVIEW:
        raise ServiceError("Only sources waiting for review can be released")
    project = source_import.project
    reviewed = source_import.sources.exclude(original_text="").prefetch_related("replacements")
    # In chunks: a survey export can have tens of thousands of reviewed rows.
    for source in reviewed.iterator(chunk_size=2_000):
        replacements = list(source.replacements.all())
        fields = ["updated_at"]
        moved = None
        if any(replacement.kept for replacement in replacements):
            source.text, moved = _pseudonymised_text(source.original_text, replacements)
            fields.append("text")
        if source.turns:
            source.turns = [_settled(turn, moved) for turn in source.turns]
            fields.append("turns")
        if len(fields) > 1:
            source.save(update_fields=fields)
    if not project.keep_originals:
        source_import.sources.exclude(original_text="").update(original_text="")
        Replacement.objects.filter(source__source_import=source_import).update(original="")
    source_import.status = Import.Status.RELEASED
    source_import.released_by = by
    source_import.released_at = timezone.now()
    source_import.save(update_fields=["status", "released_by", "released_at", "updated_at"])
    audit.record(
        actor=by,
        action="analysis.released",
        target=source_import,
        summary=f"Released {source_import} to the coders of {project.name}",
        organisation_id=project.organisation_id,
    )
    return source_import


def _settled(turn: dict[str, Any], moved: list[int] | None) -> dict[str, Any]:
    """A turn's offsets in the released text, without the original offsets kept for review."""
    original_start = turn.pop("original_start", turn["start"])
    original_end = turn.pop("original_end", turn["end"])
    if moved is not None:
        turn["start"], turn["end"] = moved[original_start], moved[original_end]
    return turn


@transaction.atomic
def remove_source(*, by: User, source: Source) -> None:
    """Take a source out of the project with its coding and memos (a released text cannot be
    corrected, so a wrong one is removed and imported again)."""
    project = source.project
    audit.record(
        actor=by,
        action="analysis.source_removed",
        target=source.source_import,
        summary=f"Removed {source.name} and its coding from {project.name}",
        organisation_id=project.organisation_id,
    )
    source.delete()


# Minutes and papers sent in from the involvement side

# What the activities app stores, and the importer that reads it here.
DOCUMENT_FORMATS = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "text/plain": "txt",
}


def send_from_activity(
    *,
    by: User,
    project: Project,
    activity: Activity,
    minutes: bool,
    documents: Iterable[Document],
) -> list[Import]:
    """A meeting's minutes and papers, as sources of the project (pseudonymised as the project
    says). Papers in a format the importers cannot read are refused before anything is sent."""
    if activity.organisation_id != project.organisation_id:
        raise ServiceError("Send papers only to a project of the same organisation")
    documents = list(documents)
    unreadable = [d.title for d in documents if d.content_type not in DOCUMENT_FORMATS]
    if unreadable:
        raise ServiceError(
            f"Coproduce can analyse PDF, Word and text papers only: {', '.join(unreadable)} "
            "would need saving as one of those first",
            field="documents",
        )
    if not minutes and not documents:
        raise ServiceError("Choose the minutes or at least one paper to send", field="documents")
    if minutes and not activity.minutes.strip():
        raise ServiceError("This meeting has no minutes written yet", field="minutes")
    sent = []
    with transaction.atomic():
        when = activity.starts_at.date().isoformat()
        if minutes:
            sent.append(
                paste_text(
                    by=by,
                    project=project,
                    name=f"{activity.title}, minutes, {when}"[:255],
                    text=activity.minutes,
                    kind=Source.Kind.MINUTES,
                )
            )
        for document in documents:
            with document.file.open("rb") as stored:
                upload = SimpleUploadedFile(
                    f"{document.title}.{DOCUMENT_FORMATS[document.content_type]}",
                    stored.read(),
                    document.content_type,
                )
            sent.append(
                queue_import(
                    by=by,
                    project=project,
                    upload=upload,
                    name=f"{activity.title}: {document.title}"[:200],
                    kind=Source.Kind.MINUTES
                    if document.kind == Document.Kind.MINUTES
                    else Source.Kind.DOCUMENT,
                    activity_document=document,
                )
            )
    return sent
