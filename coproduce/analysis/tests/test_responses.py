import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.analysis.responses import LONGEST_VALUE, ReadSummary, Response, read_csv
from coproduce.analysis.transcripts import ImportRefused

SHARED = (
    Path(__file__).resolve().parents[4]
    / "shared"
    / "data"
    / "nhs-feedback-phase1"
    / "text_data.csv"
)


def export(rows: list[list[str]], encoding: str = "utf-8", newline: str = "\r\n") -> io.BytesIO:
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator=newline).writerows(rows)
    return io.BytesIO(text.getvalue().encode(encoding))


HEADER = ["id", "comment", "service", "score"]


def read(data: io.BytesIO, summary: ReadSummary | None = None) -> list[Response]:
    return list(
        read_csv(
            data, text_column="comment", attribute_columns=["service", "score"], summary=summary
        )
    )


def test_rows_become_responses_with_their_attributes_and_row_numbers() -> None:
    summary = ReadSummary()
    rows = read(
        export(
            [
                HEADER,
                ["1", "The nurses were kind, but the wait was long.", "Chemotherapy", "4"],
                ["2", "  ", "Radiotherapy", "3"],
                ["3", 'Parking was "impossible"\nat the Royal.', "Outpatients", "1"],
            ]
        ),
        summary,
    )
    assert [(r.row, r.text, r.attributes) for r in rows] == [
        (
            2,
            "The nurses were kind, but the wait was long.",
            {"service": "Chemotherapy", "score": "4"},
        ),
        (4, 'Parking was "impossible"\nat the Royal.', {"service": "Outpatients", "score": "1"}),
    ]
    assert (summary.rows, summary.empty, summary.encoding) == (3, 1, "utf-8")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_excel_encodings_are_read(encoding: str) -> None:
    comment = "Caf\u00e9 staff \u2013 lovely"
    rows = read(export([HEADER, ["1", comment, "Day unit", "5"]], encoding))
    assert rows[0].text == comment


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"id,text\n1,hello\n", "no column called 'comment', 'service', 'score'"),
        (b"id,comment,service,score\n1,hi,a\n", "Row 2 has 3 values but the header has 4"),
        (b"id,comment,service,score\n1,hi,a,1,extra\n", "Row 2 has 5 values"),
        (b"id,comment,service,score\n1,ok,a,1\n2,\xe9t\xe9 \x81,b,2\n", "stops being cp1252 text"),
    ],
)
def test_bad_exports_are_refused_with_the_row_and_the_problem(data: bytes, message: str) -> None:
    with pytest.raises(ImportRefused, match=message):
        read(io.BytesIO(data))


def test_a_file_that_changes_encoding_part_way_is_refused_whole() -> None:
    utf8 = export([HEADER] + [[str(i), "Caf\u00e9 fine", "a", "1"] for i in range(5_000)])
    data = utf8.getvalue() + b"5001,\xe9t\xe9 was hot,b,2\r\n"
    with pytest.raises(ImportRefused, match="stops being utf-8 text: it mixes encodings"):
        read(io.BytesIO(data))


def test_a_value_longer_than_the_limit_is_refused() -> None:
    with pytest.raises(ImportRefused, match="Row 2 has a value longer than"):
        read(export([HEADER, ["1", "x" * (LONGEST_VALUE + 1), "a", "1"]]))


def test_rows_are_read_one_at_a_time() -> None:
    rows = read_csv(
        export([HEADER] + [[str(i), f"comment {i}", "a", "1"] for i in range(10_000)]),
        text_column="comment",
        attribute_columns=[],
    )
    assert next(rows).text == "comment 0"  # yields before reading the rest


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=500))
def test_any_bytes_are_read_or_refused_cleanly(data: bytes) -> None:
    try:
        for response in read_csv(
            io.BytesIO(b"comment,score\n" + data),
            text_column="comment",
            attribute_columns=["score"],
        ):
            assert response.text.strip()
    except ImportRefused:
        pass


@pytest.mark.skipif(
    not SHARED.exists(), reason="the shared development data is not on this machine"
)
def test_the_nhs_feedback_export_reads_whole() -> None:
    summary = ReadSummary()
    with SHARED.open("rb") as stream:
        rows = list(
            read_csv(
                stream,
                text_column="feedback",
                attribute_columns=["organization", "question", "criticality"],
                summary=summary,
            )
        )
    assert summary.rows == 10_334
    assert len(rows) + summary.empty == summary.rows
    assert rows[0].attributes["organization"] == "Trust A"
