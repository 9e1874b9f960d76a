"""Reading survey and feedback exports, one response per row, in bounded memory.

A year of Friends and Family Test comments can be a million rows, so the file is read as a
stream: rows are yielded one at a time and nothing holds the whole file. The analyst chooses the
column with the free text and the columns that become attributes (date, service, score...). The
caller saves the rows inside one transaction, so a file that is refused part-way (a ragged row,
a value far too long, a change of encoding) leaves nothing half-imported.
"""

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from coproduce.analysis.transcripts import ImportRefused, normalise

SAMPLE_BYTES = 64 * 1024
LONGEST_VALUE = 100_000


@dataclass(frozen=True)
class Response:
    row: int  # the row's number as a spreadsheet shows it, the header being row 1
    text: str
    attributes: dict[str, str]


@dataclass
class ReadSummary:
    rows: int = 0
    empty: int = 0  # rows whose text was blank: not imported, but counted for the analyst
    encoding: str = ""
    columns: list[str] = field(default_factory=list)


def _encoding(sample: bytes) -> str:
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        # The sample may end part-way through a character: decode it as the start of a stream.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def column_positions(columns: list[str], wanted: list[str], what: str) -> dict[str, int]:
    """Where each wanted column is in a header row (the first of two with the same name).

    CSV files and Excel sheets refuse a missing column in the same words. The message lists the
    columns there are, so the analyst can see how the file spells them; `what` names the file
    or sheet.
    """
    missing = [name for name in wanted if name not in columns]
    if missing:
        raise ImportRefused(
            f"{what} has no column called {', '.join(repr(m) for m in missing)}. "
            f"Its columns are: {', '.join(columns)}"
        )
    return {name: columns.index(name) for name in wanted}


def read_csv(
    stream: BinaryIO,
    *,
    text_column: str,
    attribute_columns: list[str],
    summary: ReadSummary | None = None,
) -> Iterator[Response]:
    """Yield each row's response text and attributes; raise ImportRefused on the first problem."""
    summary = summary if summary is not None else ReadSummary()
    buffered = io.BufferedReader(stream, buffer_size=SAMPLE_BYTES)  # type: ignore[type-var]
    summary.encoding = _encoding(buffered.peek(SAMPLE_BYTES)[:SAMPLE_BYTES])
    text = io.TextIOWrapper(buffered, encoding=summary.encoding, newline="", errors="strict")
    csv.field_size_limit(LONGEST_VALUE)
    reader = csv.reader(text)
    row_number = 1
    try:
        header = next(reader, None)
        if not header or not any(name.strip() for name in header):
            raise ImportRefused("The file is empty: it needs a header row naming its columns")
        columns = [name.strip() for name in header]
        summary.columns = columns
        where = column_positions(columns, [text_column, *attribute_columns], "The file")
        for values in reader:
            row_number += 1
            if not values:
                continue
            if len(values) != len(columns):
                raise ImportRefused(
                    f"Row {row_number} has {len(values)} values but the header has "
                    f"{len(columns)} columns. Check for a missing or extra comma or quote"
                )
            summary.rows += 1
            response_text = normalise(values[where[text_column]]).strip()
            if not response_text:
                summary.empty += 1
                continue
            yield Response(
                row_number,
                response_text,
                {name: values[where[name]].strip() for name in attribute_columns},
            )
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise ImportRefused(
                f"Row {row_number + 1} has a value longer than {LONGEST_VALUE:,} characters"
            ) from None
        raise ImportRefused(f"Row {row_number + 1} could not be read: {error}") from None
    except UnicodeDecodeError:
        raise ImportRefused(
            f"Near row {row_number + 1} the file stops being {summary.encoding} text: it mixes "
            "encodings. Save it again as UTF-8 and try again"
        ) from None
