"""Reading Word documents, PDFs and Excel workbooks into the same text and responses as the rest.

Minutes, papers and interview transcripts often arrive as .docx or .pdf rather than plain text,
and survey exports as .xlsx rather than CSV. Each importer here gives what `transcripts` and
`responses` give for their files: one immutable text, normalised with `normalise`, that coded
segments point into by character offsets (with speaker turns where a document reads like a
transcript), or a stream of `Response` rows read one at a time.

These files are zip packages or PDFs parsed by third-party libraries, and an upload can be
anything: damaged, truncated, protected by a password, an old binary Office file, or built to
exhaust the server. Each is refused with an `ImportRefused` that says what is wrong and what to
do. Zip packages are checked before parsing for what they would unpack to. The XML inside them
is parsed without expanding entities: python-docx and openpyxl parse with lxml and
`resolve_entities=False`, and worksheets and shared strings are streamed with the standard
library's expat (through openpyxl's `iterparse`, which uses defusedxml when it is installed),
which never fetches external entities and, from expat 2.4, stops runaway entity expansion.
Whatever else a library raises on a malformed file becomes an `ImportRefused` naming the kind of
file, so a bad upload is never a server error.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, BinaryIO

from docx import Document as open_word_document
from openpyxl import load_workbook
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from coproduce.analysis.responses import LONGEST_VALUE, ReadSummary, Response, column_positions
from coproduce.analysis.transcripts import (
    ImportRefused,
    Transcript,
    Turn,
    normalise,
    speaker_label,
)

# Everything python-docx reads, and every part of a workbook except its worksheets, is held in
# memory whole; real documents unpack to a few megabytes, zip bombs to gigabytes.
_MB = 1024 * 1024
LARGEST_UNPACKED = 200 * _MB
# Worksheets are streamed row by row, so they may be larger: a million-row export is a few
# hundred megabytes of XML.
LARGEST_WORKSHEET = 1024 * _MB
# The last row Excel has; a row numbered beyond it means a damaged or hostile sheet.
LAST_EXCEL_ROW = 1_048_576

# Encrypted Office files, and Word 97-2003 and Excel 97-2003 files, are OLE compound files.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Names of the OLE streams that say which it is; the directory stores names in UTF-16LE.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_WORD_97 = "WordDocument".encode("utf-16-le")
_EXCEL_97 = ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le"))
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Block-level elements whose children are read in order: tables, rows, cells, content controls
# and tracked insertions. Deleted and moved-away text (w:del, w:moveFrom) is left out.
_BLOCK_CONTAINERS = frozenset(
    _W + tag for tag in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "ins", "moveTo")
)
# Inside a paragraph: properties hold tab stops, not tabs; deleted text and the fallback copy of
# a drawing would repeat or resurrect words; text boxes become paragraphs of their own.
_NOT_PARAGRAPH_TEXT = frozenset(
    {_W + "pPr", _W + "rPr", _W + "del", _W + "moveFrom", _W + "instrText", _FALLBACK}
)
_SURROGATE = re.compile(r"[\ud800-\udfff]")


@contextmanager
def _reading(refusal: str) -> Iterator[None]:
    """Refuse the file with `refusal` if the parsing library fails on it in any way.

    Libraries raise many kinds of exception on malformed input (KeyError, struct.error,
    RecursionError, their own errors...); to the analyst they all mean the same thing.
    """
    try:
        yield
    except ImportRefused:
        raise
    except Exception as error:
        raise ImportRefused(refusal) from error


def _ole_streams(chunks: Iterable[bytes]) -> set[str]:
    """Which telling stream names an OLE compound file has: "encrypted", "word" or "excel"."""
    found: set[str] = set()
    tail = b""
    for chunk in chunks:
        window = tail + chunk
        if _ENCRYPTED_PACKAGE in window:
            found.add("encrypted")
        if _WORD_97 in window:
            found.add("word")
        if any(name in window for name in _EXCEL_97):
            found.add("excel")
        tail = window[-len(_ENCRYPTED_PACKAGE) :]
    return found


def _check_package(archive: zipfile.ZipFile, streamed: str | None = None) -> None:
    """Refuse a zip package that would unpack to far more than any real document.

    Members under `streamed` are read a little at a time, so each may be larger. The sizes are
    those the package declares; zipfile stops unpacking a member at its declared size (and a
    member cut short there fails its checksum), so the declared sizes bound the real ones.
    """
    whole = 0
    for member in archive.infolist():
        if streamed is not None and member.filename.startswith(streamed):
            if member.file_size > LARGEST_WORKSHEET:
                raise ImportRefused(
                    f"A sheet in the file would unpack to more than "
                    f"{LARGEST_WORKSHEET // _MB:,} MB, far more than any real export, so it "
                    "was not opened. Check that it is the right file"
                )
        else:
            whole += member.file_size
    if whole > LARGEST_UNPACKED:
        raise ImportRefused(
            f"The file would unpack to more than {LARGEST_UNPACKED // _MB:,} MB, far more than "
            "any real document, so it was not opened. Check that it is the right file"
        )


def _text_or_refuse(blocks: list[str]) -> str:
    if not any(blocks):
        raise ImportRefused("The document has no text")
    return "\n\n".join(block for block in blocks if block)


# Word documents


def docx(data: bytes) -> Transcript:
    """The text of a Word document in reading order, one paragraph to a block.

    Paragraphs (headings, body text, each table cell's paragraphs cell by cell, text boxes after
    the paragraph they sit in) are separated by a blank line, as in a plain-text transcript;
    line breaks inside a paragraph stay single newlines and empty paragraphs are dropped.

    Where the document reads like a transcript (at least two body paragraphs start with a
    speaker label such as "Interviewer:", "P3:" or "[Anna]", by the same rule as captions),
    each labelled paragraph starts a turn whose offsets cover the words after the label. Body
    paragraphs without a label continue the turn before them, since an answer can run to
    several paragraphs; a heading, table or text box ends it.
    """
    if not data:
        raise ImportRefused("The file is empty")
    if data.startswith(_OLE):
        found = _ole_streams([data])
        if "encrypted" in found:
            raise ImportRefused(
                "This document is protected by a password. Remove the password in Word and "
                "upload it again"
            )
        if "word" in found:
            raise ImportRefused(
                "This is an old-style Word 97-2003 document (.doc). Open it in Word, save it "
                "as a Word Document (.docx) and upload that"
            )
        raise ImportRefused(
            "This is an old-style Office file or one protected by a password, not a Word "
            "document (.docx). Open it in Word, save it as a .docx without a password and "
            "upload that"
        )
    if not data.startswith(_ZIP):
        raise ImportRefused(
            "This file is not a Word document (.docx). Check that it is the right file, or "
            "save it from Word as a .docx and upload that"
        )
    with (
        _reading(
            "The Word document is damaged or incomplete (perhaps only part of it was uploaded). "
            "Open it in Word, save it again as .docx and upload it again"
        ),
        zipfile.ZipFile(io.BytesIO(data)) as archive,
    ):
        _check_package(archive)
    with _reading(
        "The Word document could not be read: it is damaged or is not really a Word document. "
        "Open it in Word, save it again as .docx and upload it again"
    ):
        document = open_word_document(io.BytesIO(data))
        body = document.element.body
        headings = {
            style.style_id
            for style in document.styles
            if (style.name or "").lower().startswith(("heading", "title", "subtitle"))
        }
    blocks = [
        (normalise(text).strip(), kind) for text, kind in _word_blocks(body, "body", headings)
    ]
    return _with_turns([(text, kind) for text, kind in blocks if text])


def _word_blocks(container: Any, kind: str, headings: set[str]) -> Iterator[tuple[str, str]]:
    """(text, kind) for each paragraph in reading order; kind is body, heading, cell or box."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            style = child.find(f"{_W}pPr/{_W}pStyle")
            is_heading = style is not None and style.get(_W + "val") in headings
            parts: list[str] = []
            boxes: list[Any] = []
            _paragraph_text(child, parts, boxes)
            yield "".join(parts), "heading" if is_heading and kind == "body" else kind
            for box in boxes:
                yield from _word_blocks(box, "box", headings)
        elif tag in _BLOCK_CONTAINERS:
            yield from _word_blocks(child, "cell" if tag == _W + "tbl" else kind, headings)


def _paragraph_text(element: Any, parts: list[str], boxes: list[Any]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if tag == _W + "t":
            parts.append(child.text or "")
        elif tag in (_W + "tab", _W + "ptab"):
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            # Page and column breaks too: otherwise the words either side would run together.
            parts.append("\n")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        elif tag == _W + "txbxContent":
            boxes.append(child)
        elif isinstance(tag, str) and tag not in _NOT_PARAGRAPH_TEXT:
            _paragraph_text(child, parts, boxes)


def _with_turns(blocks: list[tuple[str, str]]) -> Transcript:
    text = _text_or_refuse([block for block, _ in blocks])
    labelled = [speaker_label(block) if kind == "body" else None for block, kind in blocks]
    # One "Note: ..." in a paper is not a conversation.
    if sum(label is not None for label in labelled) < 2:
        return Transcript(text)
    turns: list[Turn] = []
    in_turn = False
    position = 0
    for (block, kind), label in zip(blocks, labelled, strict=True):
        end = position + len(block)
        if label is not None:
            speaker, words_at = label
            turns.append(Turn(speaker, position + words_at, end))
            in_turn = True
        elif kind == "body" and in_turn:
            turns[-1] = replace(turns[-1], end=end)
        else:
            in_turn = False
        position = end + len("\n\n")
    return Transcript(text, turns)


# PDFs


def pdf(data: bytes) -> Transcript:
    """The text layer of a PDF, page by page, with a blank line between pages."""
    if not data:
        raise ImportRefused("The file is empty")
    # The PDF header may follow up to a kilobyte of other bytes, as PDF readers allow.
    if b"%PDF-" not in data[:1024]:
        raise ImportRefused(
            "This file is not a PDF. Check that it is the right file, or save it as a PDF and "
            "upload that"
        )
    if b"%%EOF" not in data[-1024:]:
        raise ImportRefused(
            "The PDF is incomplete: its end is missing, perhaps because the upload or download "
            "was cut short. Download or save it again and upload it again"
        )
    damaged = (
        "The PDF could not be read: it is damaged. Open it and save or print it to a new PDF, "
        "then upload that"
    )
    try:
        reader = PdfReader(io.BytesIO(data))
        # pypdf has already tried the empty password that many "protected" PDFs use to
        # restrict printing or copying while opening for anyone.
        locked = reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED
    except DependencyError:
        raise ImportRefused(
            "This PDF is encrypted in a way that cannot be read here. Save a copy without "
            "security (or print it to a new PDF) and upload that"
        ) from None
    except Exception as error:
        raise ImportRefused(damaged) from error
    if locked:
        raise ImportRefused(
            "This PDF is protected by a password. Save a copy without the password and upload that"
        )
    with _reading(damaged):
        pages = [page.extract_text() for page in reader.pages]
    if not pages:
        raise ImportRefused("The PDF has no pages")
    # Text from broken font maps can hold NULs or lone surrogates, which no database stores.
    texts = [
        normalise(_SURROGATE.sub("\ufffd", text.replace("\x00", ""))).strip() for text in pages
    ]
    if not any(texts) and _has_images(reader):
        raise ImportRefused(
            "The PDF has no text that can be read, only images: it seems to be a scan. Run it "
            "through text recognition (OCR) or upload a version with text, such as the "
            "original document"
        )
    return Transcript(_text_or_refuse(texts))


def _has_images(reader: PdfReader) -> bool:
    try:
        return any(len(page.images) > 0 for page in reader.pages)
    except Exception:
        # Pages too damaged to list their images are unlikely to be blank: say it is a scan.
        return True


# Excel workbooks


def read_xlsx(
    stream: BinaryIO,
    *,
    text_column: str,
    attribute_columns: list[str],
    summary: ReadSummary | None = None,
    sheet: str | None = None,
) -> Iterator[Response]:
    """Yield each row's response text and attributes; raise ImportRefused on the first problem.

    The first non-blank row of the sheet (the first sheet unless `sheet` names another) names
    the columns. Row numbers are those the spreadsheet shows. Fully blank rows are skipped and
    not counted; rows whose text is blank are counted in `summary.empty`. Cells become text as
    Excel shows them in the simplest form: dates as 2024-03-05, date-times as
    2024-03-05 14:30:00, whole numbers without ".0", TRUE and FALSE. The stream must be
    seekable, as reading a zip package needs.
    """
    summary = summary if summary is not None else ReadSummary()
    _check_workbook(stream)
    with _reading(
        "The spreadsheet could not be read: it is damaged or is not really an Excel workbook. "
        "Open it in Excel, save it again as .xlsx and upload it again"
    ):
        workbook = load_workbook(stream, read_only=True, data_only=True, keep_links=False)
    try:
        worksheet = _worksheet(workbook, sheet)
        yield from _rows(worksheet, text_column, attribute_columns, summary)
    finally:
        workbook.close()


def _check_workbook(stream: BinaryIO) -> None:
    start = stream.tell()
    head = stream.read(len(_OLE))
    stream.seek(start)
    if not head:
        raise ImportRefused("The file is empty")
    if head.startswith(_OLE):
        found = _ole_streams(iter(lambda: stream.read(1024 * 1024), b""))
        stream.seek(start)
        if "encrypted" in found:
            raise ImportRefused(
                "This spreadsheet is protected by a password. Remove the password in Excel and "
                "upload it again"
            )
        if "excel" in found:
            raise ImportRefused(
                "This is an old-style Excel 97-2003 workbook (.xls). Open it in Excel, save it "
                "as an Excel Workbook (.xlsx) and upload that"
            )
        raise ImportRefused(
            "This is an old-style Office file or one protected by a password, not an Excel "
            "workbook (.xlsx). Open it in Excel, save it as an .xlsx without a password and "
            "upload that"
        )
    if not head.startswith(_ZIP):
        raise ImportRefused(
            "This file is not an Excel workbook (.xlsx). Check that it is the right file, or "
            "save it from Excel as an .xlsx (or as CSV) and upload that"
        )
    with (
        _reading(
            "The spreadsheet is damaged or incomplete (perhaps only part of it was uploaded). Open "
            "it in Excel, save it again as .xlsx and upload it again"
        ),
        zipfile.ZipFile(stream) as archive,
    ):
        _check_package(archive, streamed="xl/worksheets/")
    stream.seek(start)


def _worksheet(workbook: Any, name: str | None) -> Any:
    sheets = workbook.worksheets
    if not sheets:
        raise ImportRefused("The workbook has no sheets with cells in them")
    if name is None:
        return sheets[0]
    chosen = next((each for each in sheets if each.title == name), None)
    if chosen is None:
        raise ImportRefused(
            f"The workbook has no sheet called {name!r}. Its sheets are: "
            f"{', '.join(each.title for each in sheets)}"
        )
    return chosen


def _rows(
    worksheet: Any, text_column: str, attribute_columns: list[str], summary: ReadSummary
) -> Iterator[Response]:
    where: dict[str, int] | None = None
    width: int | None = None  # the header's, once it is found
    for row_number, values in _guarded(_sheet_rows(worksheet)):
        # openpyxl gives every cell up to a row's last one, so one cell in column XFD makes a
        # row 16,384 values long. Cells to the right of the last named column belong to no
        # column; leaving them out keeps each row's cost to the width of the table.
        cells = ["" if value is None else _cell_text(value, row_number) for value in values[:width]]
        if not any(cell.strip() for cell in cells):
            continue
        if where is None:
            summary.columns = [cell.strip() for cell in cells]
            where = column_positions(
                summary.columns, [text_column, *attribute_columns], f"The sheet {worksheet.title!r}"
            )
            width = max(at for at, name in enumerate(summary.columns) if name) + 1
            width = max(width, *(at + 1 for at in where.values()))
            continue
        summary.rows += 1
        response_text = _at(cells, where[text_column]).strip()
        if not response_text:
            summary.empty += 1
            continue
        yield Response(
            row_number,
            response_text,
            {name: _at(cells, where[name]).strip() for name in attribute_columns},
        )
    if where is None:
        raise ImportRefused(
            f"The sheet {worksheet.title!r} is empty: it needs a header row naming its columns"
        )


def _at(cells: list[str], position: int) -> str:
    """A row's cell by position; a row stops at its last cell, so those after it are blank."""
    return cells[position] if position < len(cells) else ""


def _sheet_rows(worksheet: Any) -> Iterator[tuple[int, tuple[object, ...]]]:
    """Each row with cells in it, with its number and its cells' values from column A.

    openpyxl's read-only worksheet parses the sheet a row at a time (shared strings, dates by
    number format, booleans, errors, formulas' last values) and gives rows missing from the file
    as empty ones, so counting rows gives the numbers Excel shows. Rows out of order or repeated
    are skipped, as openpyxl skips them. Each row is as wide as its last cell.

    Memory grows with the rows read, inside openpyxl, and its public interface gives no way to
    let it go: it keeps each row's emptied XML element (about 85 bytes a row, some 90 MB for a
    million rows) and the settings of every row that has a height, style or other setting
    (another 400 to 700 bytes a row). Excel writes a height on rows that wrapped text has made
    taller; some writers put settings on every row.
    """
    # The size a sheet declares is often wrong (some writers put A1 on a sheet of any size), and
    # openpyxl would stop at it; forgetting it makes openpyxl read every row there is.
    worksheet.reset_dimensions()
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        # Checked on every row, blank ones too, so a hostile row number such as 10**12 costs
        # no more than a sheet of Excel's size before it is refused.
        if number > LAST_EXCEL_ROW:
            raise ImportRefused(
                f"The sheet has a row numbered beyond Excel's last row ({LAST_EXCEL_ROW:,}), "
                "so it is damaged. Open it in Excel, save it again as .xlsx and upload it again"
            )
        if values:
            yield number, values


def _guarded(
    rows: Iterator[tuple[int, tuple[object, ...]]],
) -> Iterator[tuple[int, tuple[object, ...]]]:
    """The rows, turning any failure of the parser into ImportRefused naming where it was."""
    last = 0
    while True:
        try:
            row = next(rows, None)
        except ImportRefused:
            raise
        except Exception as error:
            raise ImportRefused(
                f"The spreadsheet could not be read{f' after row {last}' if last else ''}: it is "
                "damaged. Open it in Excel, save it again as .xlsx and upload it again"
            ) from error
        if row is None:
            return
        last = row[0]
        yield row


def _cell_text(value: object, row_number: int) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        if len(value) > LONGEST_VALUE:
            raise ImportRefused(
                f"Row {row_number} has a value longer than {LONGEST_VALUE:,} characters"
            )
        return normalise(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        value = _to_second(value)
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.time):
        return _to_second(datetime.datetime.combine(datetime.date.min, value)).time().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        seconds = round(value.total_seconds())
        sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
        return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return str(value)


def _to_second(moment: datetime.datetime) -> datetime.datetime:
    """Excel stores times as fractions of a day, so they come back a few microseconds off."""
    whole = moment.replace(microsecond=0)
    if moment.microsecond < 500_000:
        return whole
    try:
        return whole + datetime.timedelta(seconds=1)
    except OverflowError:  # the last second there is
        return whole
