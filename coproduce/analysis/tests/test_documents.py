"""Word, PDF and Excel importers: text in reading order, turns, cells, and refusing bad files."""

import datetime
import io
import re
import struct
import tracemalloc
import zipfile
from collections.abc import Sequence

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from pypdf import PdfReader, PdfWriter

from coproduce.analysis import documents
from coproduce.analysis.responses import LONGEST_VALUE, ReadSummary, Response
from coproduce.analysis.transcripts import ImportRefused, Transcript, normalise

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def spoken(transcript: Transcript, index: int) -> str:
    turn = transcript.turns[index]
    return transcript.text[turn.start : turn.end]


def well_formed(transcript: Transcript) -> None:
    assert transcript.text.strip()
    assert normalise(transcript.text) == transcript.text
    for turn in transcript.turns:
        assert 0 <= turn.start <= turn.end <= len(transcript.text)


# Word documents, made with python-docx


def saved(document) -> bytes:
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


def word(*paragraphs: str) -> bytes:
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    return saved(document)


def repacked(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The same zip package with some members' contents replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            target.writestr(member, replace.get(member.filename, source.read(member)))
    return out.getvalue()


def declaring(data: bytes, member: str, size: int) -> bytes:
    """The zip package with `member` declaring `size` bytes unpacked, as a zip bomb might."""
    out = bytearray(data)
    name = member.encode()
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", out, at + 28)[0]
        if bytes(out[at + 46 : at + 46 + name_length]) == name:
            struct.pack_into("<I", out, at + 24, size)
            return bytes(out)
        at = out.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{member} is not in the package")


def test_paragraphs_headings_and_table_cells_are_read_in_order() -> None:
    document = Document()
    document.add_heading("Patient panel \u2014 notes", level=1)
    document.add_paragraph("Cafe\u0301 \u2014 nai\u0308ve \U0001f60a")
    document.add_paragraph("   ")
    table = document.add_table(rows=2, cols=2)
    for row, values in zip(table.rows, [["Ward", "Comment"], ["7B", "Kind staff"]], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("After the table.")
    transcript = documents.docx(saved(document))
    assert transcript.text == (
        "Patient panel \u2014 notes\n\nCaf\u00e9 \u2014 na\u00efve \U0001f60a\n\n"
        "Ward\n\nComment\n\n7B\n\nKind staff\n\nAfter the table."
    )
    assert transcript.turns == []
    well_formed(transcript)


def test_line_breaks_inside_a_paragraph_become_single_newlines() -> None:
    document = Document()
    paragraph = document.add_paragraph()
    run = paragraph.add_run("placeholder")
    run._r.find(qn("w:t")).text = "line one\r\nline two\rline three"
    document.add_paragraph().add_run("broken\nline")  # python-docx writes a <w:br/>
    transcript = documents.docx(saved(document))
    assert transcript.text == "line one\nline two\nline three\n\nbroken\nline"


def test_tracked_changes_keep_insertions_and_drop_deletions() -> None:
    document = Document()
    paragraph = document.add_paragraph("The clinic ")
    paragraph._p.append(
        parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="A"><w:r><w:t>now </w:t></w:r></w:ins>')
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="2" w:author="A">'
            "<w:r><w:delText>never </w:delText></w:r></w:del>"
        )
    )
    paragraph.add_run("opens at nine.")
    assert documents.docx(saved(document)).text == "The clinic now opens at nine."


def test_speaker_paragraphs_become_turns_pointing_at_exactly_the_words() -> None:
    document = Document()
    document.add_heading("Interview with a carer", level=1)
    document.add_paragraph("Recorded at the day unit.")
    document.add_paragraph("Interviewer: What made you want to join the group?")
    document.add_paragraph("Si\u00e2n Llewellyn: I wanted the next person to have it easier.")
    document.add_paragraph("The letters were awful.")
    document.add_paragraph("[Facilitator] Say more about that?")
    document.add_paragraph("INTERVIEWER:   Thank you.")
    document.add_heading("Notes", level=2)
    document.add_paragraph("Consent form signed.")
    transcript = documents.docx(saved(document))
    assert [turn.speaker for turn in transcript.turns] == [
        "Interviewer",
        "Si\u00e2n Llewellyn",
        "Facilitator",
        "INTERVIEWER",
    ]
    assert spoken(transcript, 0) == "What made you want to join the group?"
    # An answer that runs on to a paragraph with no label is still hers.
    assert spoken(transcript, 1) == (
        "I wanted the next person to have it easier.\n\nThe letters were awful."
    )
    assert spoken(transcript, 2) == "Say more about that?"
    # The heading ends the last turn: the notes after it are nobody's words.
    assert spoken(transcript, 3) == "Thank you."
    assert transcript.text.startswith("Interview with a carer\n\nRecorded at the day unit.\n\n")
    well_formed(transcript)


def test_a_single_label_or_a_sentence_with_a_colon_is_not_a_conversation() -> None:
    assert documents.docx(word("Note: this is a draft.", "Nothing else.")).turns == []
    transcript = documents.docx(
        word("P1: Yes.", "The letter from the clinic said: come at nine", "P2: No.")
    )
    assert [turn.speaker for turn in transcript.turns] == ["P1", "P2"]
    assert spoken(transcript, 0) == "Yes.\n\nThe letter from the clinic said: come at nine"


def test_text_boxes_follow_their_paragraph_and_are_read_once() -> None:
    document = Document()
    paragraph = document.add_paragraph("Before the box.")
    box = (
        f'<mc:AlternateContent {nsdecls("w")} xmlns:mc="{MC}"><mc:Choice Requires="wps"><w:drawing>'
        f"<w:txbxContent><w:p><w:r><w:t>In the box.</w:t></w:r></w:p></w:txbxContent>"
        "</w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r>"
        "<w:t>In the box.</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent>"
    )
    run = paragraph.add_run()
    run._r.append(parse_xml(box))
    document.add_paragraph("After.")
    assert documents.docx(saved(document)).text == "Before the box.\n\nIn the box.\n\nAfter."


def test_xml_entities_are_not_expanded() -> None:
    laughs = "".join(
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' if n else '<!ENTITY l0 "ha">' for n in range(9)
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<!DOCTYPE w:document [{laughs}<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        f"<w:document {nsdecls('w')}><w:body>"
        "<w:p><w:r><w:t>Minutes &l8; &secret;</w:t></w:r></w:p>"
        "</w:body></w:document>"
    ).encode()
    data = repacked(word("placeholder"), {"word/document.xml": body})
    try:
        text = documents.docx(data).text
    except ImportRefused:
        return
    assert "haha" not in text
    assert "root:" not in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"Interviewer: hello", r"not a Word document \(.docx\)"),
        (b"%PDF-1.4\n%%EOF", "not a Word document"),
        (OLE + b"\x00" * 600, "old-style Office file or one protected by a password"),
        (
            OLE + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le"),
            "This document is protected by a password. Remove the password in Word",
        ),
        (OLE + "WordDocument".encode("utf-16-le"), r"Word 97-2003 document \(.doc\)"),
    ],
)
def test_files_that_are_not_word_documents_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImportRefused, match=message):
        documents.docx(data)


def test_damaged_and_empty_word_documents_are_refused() -> None:
    data = word("Hello")
    with pytest.raises(ImportRefused, match="damaged or incomplete"):
        documents.docx(data[: len(data) // 2])
    only_text = io.BytesIO()
    with zipfile.ZipFile(only_text, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(ImportRefused, match="is not really a Word document"):
        documents.docx(only_text.getvalue())
    with pytest.raises(ImportRefused, match="is not really a Word document"):
        documents.docx(workbook(["comment"]).getvalue())
    with pytest.raises(ImportRefused, match="The document has no text"):
        documents.docx(word("", "  \t "))


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    data = declaring(word("Hello"), "word/document.xml", 300 * 1024 * 1024)
    with pytest.raises(ImportRefused, match="would unpack to more than 200 MB"):
        documents.docx(data)


# PDFs, written by hand: a catalogue, a page tree, a Helvetica font and one stream per page


def pdf_string(text: str) -> bytes:
    escaped = text.encode("cp1252").replace(b"\\", b"\\\\")
    return b"(" + escaped.replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_content(*lines: str) -> bytes:
    shown = b" T* ".join(pdf_string(line) + b" Tj" for line in lines)
    return b"BT /F1 12 Tf 14 TL 72 720 Td " + shown + b" ET"


IMAGE_CONTENT = b"q 200 0 0 200 72 500 cm /Im1 Do Q"


def pdf_file(*contents: bytes) -> bytes:
    """A valid PDF with one page per content stream, its xref offsets counted as written.

    Pages that draw the image (IMAGE_CONTENT) have it among their resources.
    """
    page_numbers = [5 + 2 * index for index in range(len(contents))]
    kids = b" ".join(b"%d 0 R" % number for number in page_numbers)
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents)),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream",
    }
    for number, content in zip(page_numbers, contents, strict=True):
        objects[number] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> %s>> /Contents %d 0 R >>"
            % (b"/XObject << /Im1 4 0 R >> " if b"/Im1" in content else b"", number + 1)
        )
        objects[number + 1] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref_at = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at)
    return bytes(out)


def encrypted(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


TWO_PAGES = pdf_file(
    text_content("Minutes of the patient panel", "Caf\u00e9 (ground floor) at 10:00"),
    text_content("Actions agreed"),
)


def test_the_pdf_text_layer_is_read_with_a_blank_line_between_pages() -> None:
    transcript = documents.pdf(TWO_PAGES)
    assert transcript.text == (
        "Minutes of the patient panel\nCaf\u00e9 (ground floor) at 10:00\n\nActions agreed"
    )
    assert transcript.turns == []
    well_formed(transcript)


def test_blank_pages_add_no_blank_lines() -> None:
    data = pdf_file(text_content("One"), b"", text_content("Three"))
    assert documents.pdf(data).text == "One\n\nThree"


def test_a_pdf_protected_only_against_changes_opens() -> None:
    assert documents.pdf(encrypted(TWO_PAGES, user_password="")).text.startswith("Minutes")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"Minutes of the panel", "This file is not a PDF"),
        (TWO_PAGES[:-200], "The PDF is incomplete: its end is missing"),
        (b"%PDF-1.4\n" + b"garbage " * 50 + b"\n%%EOF\n", "The PDF could not be read"),
        (encrypted(TWO_PAGES, user_password="secret"), "This PDF is protected by a password"),
        (pdf_file(IMAGE_CONTENT, IMAGE_CONTENT), "it seems to be a scan. Run it through text"),
        (pdf_file(b"", b"0 0 m 100 100 l S"), "The document has no text"),
        (pdf_file(), "The PDF has no pages"),
    ],
)
def test_bad_pdfs_are_refused_with_a_specific_message(data: bytes, message: str) -> None:
    with pytest.raises(ImportRefused, match=message):
        documents.pdf(data)


# Excel workbooks, made with openpyxl


def workbook(*rows: Sequence[object], title: str = "Feedback", more: bool = False) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if more:
        book.create_sheet("Second").append(["comment", "ward"])
        book["Second"].append(["From the second sheet", "7B"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


HEADER = ["id", "comment", "ward", "seen", "score"]


def read(
    data: io.BytesIO,
    summary: ReadSummary | None = None,
    attributes: tuple[str, ...] = ("ward", "seen", "score"),
    sheet: str | None = None,
) -> list[Response]:
    return list(
        documents.read_xlsx(
            data,
            text_column="comment",
            attribute_columns=list(attributes),
            summary=summary,
            sheet=sheet,
        )
    )


def test_rows_become_responses_with_cells_as_excel_shows_them() -> None:
    summary = ReadSummary()
    rows = read(
        workbook(
            HEADER,
            [1, "The nurses were kind.", "Day unit", datetime.date(2025, 3, 5), 4],
            [2, "  ", "Ward 7", datetime.datetime(2025, 3, 6, 14, 30), 3.5],
            [],
            [None, None, "   ", None],
            [3, "Cafe\u0301 closed\r\nat six.", None, datetime.datetime(2025, 3, 7), 3.0],
            [4, 12345, True, datetime.time(9, 15), -2],
            [5, "Lovely", "7B", datetime.datetime(2025, 3, 8, 9, 0, 0, 999_990), 1e-05],
        ),
        summary,
    )
    assert [(row.row, row.text, row.attributes) for row in rows] == [
        (2, "The nurses were kind.", {"ward": "Day unit", "seen": "2025-03-05", "score": "4"}),
        (6, "Caf\u00e9 closed\nat six.", {"ward": "", "seen": "2025-03-07", "score": "3"}),
        (7, "12345", {"ward": "TRUE", "seen": "09:15:00", "score": "-2"}),
        (8, "Lovely", {"ward": "7B", "seen": "2025-03-08 09:00:01", "score": "1e-05"}),
    ]
    assert (summary.rows, summary.empty, summary.columns) == (5, 1, HEADER)


def test_the_header_may_follow_blank_rows_and_row_numbers_stay_as_shown() -> None:
    book = Workbook()
    sheet = book.active
    sheet["B3"] = " comment "
    sheet["C3"] = "ward"
    sheet["B5"] = "Parking was impossible"
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    rows = read(data, attributes=("ward",))
    assert [(row.row, row.text, row.attributes) for row in rows] == [
        (5, "Parking was impossible", {"ward": ""})
    ]


def test_another_sheet_can_be_chosen_by_name() -> None:
    rows = read(workbook(HEADER, more=True), attributes=("ward",), sheet="Second")
    assert [(row.text, row.attributes) for row in rows] == [
        ("From the second sheet", {"ward": "7B"})
    ]
    with pytest.raises(
        ImportRefused, match=re.escape("no sheet called 'Third'. Its sheets are: Feedback, Second")
    ):
        read(workbook(HEADER, more=True), sheet="Third")


def test_a_missing_column_is_named_with_the_columns_there_are() -> None:
    with pytest.raises(
        ImportRefused,
        match=re.escape(
            "The sheet 'Feedback' has no column called 'ward', 'score'. "
            "Its columns are: id, comment, seen"
        ),
    ):
        read(workbook(["id", "comment", "seen"], [1, "Hello", "today"]))


def test_a_value_longer_than_the_limit_is_refused_with_its_row() -> None:
    # Excel and openpyxl stop at 32,767 characters, but other writers do not.
    data = workbook(HEADER, [1, "fine", "a"], [2, "PLACEHOLDER", "b"]).getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    long = sheet.replace(b"PLACEHOLDER", b"x" * (LONGEST_VALUE + 1))
    with pytest.raises(ImportRefused, match=f"Row 3 has a value longer than {LONGEST_VALUE:,}"):
        read(io.BytesIO(repacked(data, {"xl/worksheets/sheet1.xml": long})))


def test_an_empty_sheet_is_refused() -> None:
    with pytest.raises(ImportRefused, match="The sheet 'Feedback' is empty: it needs a header"):
        read(workbook([None, "  "]))


def test_a_sheet_with_a_wrong_size_in_it_is_read_whole() -> None:
    data = workbook(HEADER, [1, "First", "a"], [2, "Second", "b"]).getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    start = sheet.index(b"<dimension")
    wrong = sheet[:start] + b'<dimension ref="A1:E1"/>' + sheet[sheet.index(b">", start) + 1 :]
    rows = read(io.BytesIO(repacked(data, {"xl/worksheets/sheet1.xml": wrong})))
    assert [row.text for row in rows] == ["First", "Second"]


def test_rows_are_read_one_at_a_time_in_bounded_memory() -> None:
    rows_in_sheet = 10_000
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Feedback")
    sheet.append(HEADER)
    for number in range(rows_in_sheet):
        sheet.append([number, f"comment {number % 50}", "Day unit", number * 1.5, number])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    rows = documents.read_xlsx(data, text_column="comment", attribute_columns=["ward", "score"])
    assert next(rows).text == "comment 0"  # yields before reading the rest
    tracemalloc.start()
    try:
        count = 1 + sum(1 for _ in rows)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == rows_in_sheet
    # Holding 10,000 responses takes about 6 MB. Reading them one at a time takes about 1 MB:
    # openpyxl keeps some 90 bytes for each row it has read (about 17 MB for 200,000 rows and
    # 90 MB for a million), and nothing here keeps anything.
    assert peak < 2.5 * 1024 * 1024


def test_cells_right_of_the_last_named_column_are_left_out() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Feedback"
    sheet.append(["id", "comment", "ward"])
    sheet.append([1, "Kind staff", "7B"])
    sheet["XFD2"] = "x" * (LONGEST_VALUE + 1)
    sheet["XFD3"] = "belongs to no column"
    sheet.append([4, "Long wait", None])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    summary = ReadSummary()
    rows = read(data, summary, attributes=("ward",))
    assert [(row.row, row.text, row.attributes) for row in rows] == [
        (2, "Kind staff", {"ward": "7B"}),
        (4, "Long wait", {"ward": ""}),
    ]
    assert (summary.rows, summary.empty) == (2, 0)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def excel_like(rows: str) -> io.BytesIO:
    """A workbook as Excel writes one: shared strings, dates by number format, a wrong size."""
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{PACKAGE}/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{SPREADSHEET}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" '
        f'ContentType="{SPREADSHEET}.sharedStrings+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{SPREADSHEET}.styles+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{PACKAGE}/relationships">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
        '<sheet name="Responses" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PACKAGE}/relationships">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" '
        'Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
        "</Relationships>",
        "xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font/></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>",
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}"><si><t>comment</t></si><si><t>seen</t>'
        "</si><si><r><t>Rich </t></r><r><rPr><b/></rPr><t>text</t></r></si>"
        '<si><t xml:space="preserve">  Waited 4 hours  </t></si></sst>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><dimension ref="A1"/>'
        f"<sheetData>{rows}</sheetData></worksheet>",
    }
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + xml)
    data.seek(0)
    return data


EXCEL_HEADER = (
    '<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="inlineStr"><is><t>score</t></is></c></row>'
)


def test_a_workbook_as_excel_writes_it_is_read() -> None:
    rows = read(
        excel_like(
            EXCEL_HEADER + '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" s="1"><v>45658</v>'
            '</c><c r="C2"><f>1+1</f><v>2</v></c></row>'
            '<row r="4" ht="30" customHeight="1"><c r="A4" t="s"><v>3</v></c>'
            '<c r="B4" t="e"><v>#N/A</v></c><c r="C4" t="b"><v>1</v></c></row>'
        ),
        attributes=("seen", "score"),
    )
    assert [(row.row, row.text, row.attributes) for row in rows] == [
        (2, "Rich text", {"seen": "2025-01-01", "score": "2"}),
        (4, "Waited 4 hours", {"seen": "#N/A", "score": "TRUE"}),
    ]


def test_damage_inside_a_sheet_is_refused_with_the_last_row_read() -> None:
    with pytest.raises(ImportRefused, match="could not be read after row 2: it is damaged"):
        read(
            excel_like(
                EXCEL_HEADER + '<row r="2"><c r="A2" t="s"><v>3</v></c></row>'
                '<row r="3"><c r="A3" t="s"><v>99</v></c></row>'
            ),
            attributes=(),
        )
    with pytest.raises(ImportRefused, match="beyond Excel's last row"):
        read(
            excel_like(EXCEL_HEADER + '<row r="2000000"><c t="s"><v>3</v></c></row>'),
            attributes=(),
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"id,comment\n1,hello\n", r"not an Excel workbook \(.xlsx\)"),
        (OLE + b"junk" * 200, "old-style Office file or one protected by a password"),
        (
            OLE + b"junk" * 200 + "EncryptedPackage".encode("utf-16-le"),
            "This spreadsheet is protected by a password. Remove the password in Excel",
        ),
        (OLE + "Workbook".encode("utf-16-le"), r"Excel 97-2003 workbook \(.xls\)"),
        (workbook(HEADER).getvalue()[:-100], "The spreadsheet is damaged or incomplete"),
        (word("Hello"), "is not really an Excel workbook"),
        (
            declaring(workbook(HEADER).getvalue(), "xl/styles.xml", 300 * 1024 * 1024),
            "would unpack to more than 200 MB",
        ),
        (
            declaring(workbook(HEADER).getvalue(), "xl/worksheets/sheet1.xml", 2**31),
            "A sheet in the file would unpack to more than 1,024 MB",
        ),
    ],
)
def test_bad_workbooks_are_refused_with_a_specific_message(data: bytes, message: str) -> None:
    with pytest.raises(ImportRefused, match=message):
        read(io.BytesIO(data))


def test_a_large_but_streamed_worksheet_is_not_taken_for_a_zip_bomb() -> None:
    data = workbook(HEADER, [1, "Hello", "a"]).getvalue()
    # 300 MB of worksheet is a big export, not a bomb: it is read a row at a time.
    big = declaring(data, "xl/worksheets/sheet1.xml", 300 * 1024 * 1024)
    assert [row.text for row in read(io.BytesIO(big))] == ["Hello"]


# Fuzzing: whatever the bytes, the importers either read them or refuse them cleanly


SAMPLE_DOCX = word("Interviewer: How was the wait?", "P1: Long, but the caf\u00e9 helped.")
SAMPLE_XLSX = workbook(HEADER, [1, "Kind staff", "7B", datetime.date(2025, 1, 2), 5]).getvalue()
FUZZ = settings(max_examples=60, deadline=None)


def damaged(data: bytes, draw: st.DrawFn) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        out = out[: draw(st.integers(0, len(out)))]
    return bytes(out)


@st.composite
def damaged_docx(draw: st.DrawFn) -> bytes:
    return damaged(SAMPLE_DOCX, draw)


@st.composite
def damaged_pdf(draw: st.DrawFn) -> bytes:
    data = damaged(TWO_PAGES, draw)
    # Most cuts lose the end marker; keep it sometimes so the parser itself meets the damage.
    return data + b"\n%%EOF\n" if draw(st.booleans()) else data


@st.composite
def damaged_xlsx(draw: st.DrawFn) -> bytes:
    return damaged(SAMPLE_XLSX, draw)


def transcript_or_refused(importer, data: bytes) -> None:
    try:
        transcript = importer(data)
    except ImportRefused:
        return
    well_formed(transcript)


def responses_or_refused(data: bytes) -> None:
    try:
        for response in documents.read_xlsx(
            io.BytesIO(data), text_column="comment", attribute_columns=["ward", "seen"]
        ):
            assert response.text.strip()
    except ImportRefused:
        pass


@FUZZ
@given(st.one_of(st.binary(max_size=600), st.binary(max_size=600).map(lambda b: b"PK\x03\x04" + b)))
def test_any_bytes_are_read_or_refused_as_word(data: bytes) -> None:
    transcript_or_refused(documents.docx, data)


@FUZZ
@given(damaged_docx())
def test_damaged_word_documents_are_read_or_refused(data: bytes) -> None:
    transcript_or_refused(documents.docx, data)


@FUZZ
@given(st.binary(max_size=600).map(lambda b: b"%PDF-1.4\n" + b + b"\n%%EOF"))
def test_any_bytes_are_read_or_refused_as_pdf(data: bytes) -> None:
    transcript_or_refused(documents.pdf, data)


@FUZZ
@given(damaged_pdf())
def test_damaged_pdfs_are_read_or_refused(data: bytes) -> None:
    transcript_or_refused(documents.pdf, data)


@FUZZ
@given(st.one_of(st.binary(max_size=600), st.binary(max_size=600).map(lambda b: b"PK\x03\x04" + b)))
def test_any_bytes_are_read_or_refused_as_a_workbook(data: bytes) -> None:
    responses_or_refused(data)


@FUZZ
@given(damaged_xlsx())
def test_damaged_workbooks_are_read_or_refused(data: bytes) -> None:
    responses_or_refused(data)
