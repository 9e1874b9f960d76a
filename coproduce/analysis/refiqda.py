"""Reading and writing REFI-QDA exchange files: QDPX projects and QDC codebooks.

REFI-QDA (www.qdasoftware.org) is the standard by which qualitative-analysis tools such as NVivo,
ATLAS.ti, MAXQDA and QualCoder exchange their work. It lets a team bring an analysis begun
elsewhere into Coproduce, and take its codebook and coded segments out again, with who coded
what and when.

Nothing here touches the database: files become plain dataclasses and dataclasses become files,
and the analysis app maps them to and from its models. Files written by other tools often break
the standard in small ways, so reading is forgiving wherever the meaning is still clear, and
every allowance made is recorded in `warnings` so the analyst can check the import before
accepting it. Where the file cannot be understood, or is unsafe to open, reading stops with an
`ImportRefused` that says what is wrong.

Offsets: a selection is `text[start:end]` of its source's text, counted in characters (Unicode
code points), as the standard says. Imported text is kept in the same normal form as every other
source (`transcripts.normalise`), so the offsets read from a file move with the text wherever
normalising changes it. NVivo counts UTF-16 code units instead of characters; that is detected
from where its selections fall and converted.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import uuid
import zipfile
import zlib
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from urllib.parse import unquote

from lxml import etree

from coproduce.analysis.transcripts import ImportRefused, decode, normalise

PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
# ATLAS.ti has been reported to declare this namespace on its codebooks. The elements are the
# same as in 1.0, so such codebooks are read as 1.0 with a warning.
_OLD_CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:0:4"

# What the exporter writes as the producing tool. Files that say they came from here are known to
# count positions in characters, so they are never second-guessed.
ORIGIN = "Coproduce"

# A QDPX file is a zip: refuse archives that would unpack to more than this, or that have more
# members than any real project, judged from the zip's directory before anything is unpacked.
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_MEMBERS = 20_000

# Names are listed in full up to this many; after that, one warning counts the rest.
_LISTED = 20

# Identifiers that are not GUIDs, or that are missing, become name-based UUIDs in this namespace,
# so the same file always reads the same way.
_GUID_NAMESPACE = uuid.UUID("5f0c6d2e-6a51-4c1e-9a59-7d0f0b6b1c3a")

VariableType = Literal["Text", "Boolean", "Integer", "Float", "Date", "DateTime"]
VARIABLE_TYPES: tuple[VariableType, ...] = (
    "Text",
    "Boolean",
    "Integer",
    "Float",
    "Date",
    "DateTime",
)
# Float values are read as Decimal: the standard types them xsd:decimal, and Decimal keeps the
# digits exactly as written.
Value = str | bool | int | float | Decimal | date | datetime | None


@dataclass(frozen=True)
class User:
    guid: str
    name: str


@dataclass(frozen=True)
class Code:
    guid: str
    name: str
    description: str = ""
    colour: str | None = None  # "#RRGGBB", upper case
    is_codable: bool = True
    children: list[Code] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Group:
    """A REFI-QDA set: a named group of codes, sources and notes (a codebook's sets hold codes)."""

    guid: str
    name: str
    description: str = ""
    code_guids: list[str] = field(default_factory=list)
    source_guids: list[str] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Codebook:
    codes: list[Code]
    origin: str = ORIGIN
    # A .qdc's sets of codes. In a project, sets (of codes, sources and notes) are Project.sets.
    sets: list[Group] = field(default_factory=list)
    # Filled when a codebook is read from a .qdc; a project's warnings are on the Project.
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Coding:
    guid: str
    code_guid: str
    user_guid: str | None = None
    created: datetime | None = None
    note_guids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Selection:
    """`text[start:end]` of its source: character offsets, end exclusive."""

    guid: str
    start: int
    end: int
    name: str = ""
    description: str = ""
    user_guid: str | None = None
    created: datetime | None = None
    codings: list[Coding] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Variable:
    guid: str
    name: str
    type: VariableType
    description: str = ""


@dataclass(frozen=True)
class VariableValue:
    variable_guid: str
    value: Value


@dataclass(frozen=True)
class Source:
    """A text source. `text` is None when the file did not contain it."""

    guid: str
    name: str
    text: str | None
    selections: list[Selection] = field(default_factory=list)
    description: str = ""
    user_guid: str | None = None
    created: datetime | None = None
    note_guids: list[str] = field(default_factory=list)
    values: list[VariableValue] = field(default_factory=list)


@dataclass(frozen=True)
class Note:
    """A memo. Notes are attached to projects, sources, codes, selections and codings by guid."""

    guid: str
    name: str
    text: str
    description: str = ""
    user_guid: str | None = None
    created: datetime | None = None


@dataclass(frozen=True)
class Case:
    guid: str
    name: str
    description: str = ""
    values: list[VariableValue] = field(default_factory=list)
    source_guids: list[str] = field(default_factory=list)
    selection_guids: list[str] = field(default_factory=list)
    code_guids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Project:
    name: str
    origin: str = ORIGIN
    users: list[User] = field(default_factory=list)
    codebook: Codebook = field(default_factory=lambda: Codebook([]))
    sources: list[Source] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    variables: list[Variable] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    sets: list[Group] = field(default_factory=list)
    description: str = ""
    note_guids: list[str] = field(default_factory=list)  # notes about the project as a whole
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Text normal form, with offsets carried through it


class _Pieces:
    """Where each position of a text lands after the text was changed piece by piece.

    A piece either survived unchanged (positions inside it move by a fixed amount) or was
    replaced (a position inside it can only go to the replacement's start or end).
    """

    def __init__(self) -> None:
        self._old: list[int] = []
        self._new: list[int] = []
        self._same: list[bool] = []
        self._old_length = 0
        self._new_length = 0

    def add(self, old_length: int, new_length: int, *, same: bool) -> None:
        if old_length == 0 and new_length == 0:
            return
        if same and self._same and self._same[-1]:
            # Runs of unchanged text are one piece, so the map stays small.
            self._old_length += old_length
            self._new_length += new_length
            return
        self._old.append(self._old_length)
        self._new.append(self._new_length)
        self._same.append(same)
        self._old_length += old_length
        self._new_length += new_length

    def map(self, position: int, *, round_up: bool) -> int:
        if position <= 0:
            return 0
        if position >= self._old_length:
            return self._new_length
        piece = bisect_right(self._old, position) - 1
        old_start, new_start = self._old[piece], self._new[piece]
        if self._same[piece] or position == old_start:
            return new_start + (position - old_start)
        if not round_up:
            return new_start
        return self._new[piece + 1] if piece + 1 < len(self._new) else self._new_length


class Offsets:
    """Takes offsets in a text to offsets in its normal form.

    A position inside something normalising replaced ("\\r\\n", or a letter and the accent
    NFC composes with it) goes to the start of the replacement for a selection's `start` and to
    its end for a selection's `end`, so a selection never loses text it covered.
    """

    def __init__(self, *steps: _Pieces) -> None:
        self._steps = steps

    def start(self, position: int) -> int:
        for step in self._steps:
            position = step.map(position, round_up=False)
        return position

    def end(self, position: int) -> int:
        for step in self._steps:
            position = step.map(position, round_up=True)
        return position


_LINE_BREAKS_AND_BOM = re.compile("\r\n|\r|\ufeff")


def normalise_with_offsets(text: str) -> tuple[str, Offsets]:
    """`transcripts.normalise(text)`, and where offsets in `text` go in it."""
    if "\x00" in text:
        raise ImportRefused("The file contains NUL characters, so it is not a text file")
    lines = _Pieces()
    parts: list[str] = []
    done = 0
    for match in _LINE_BREAKS_AND_BOM.finditer(text):
        lines.add(match.start() - done, match.start() - done, same=True)
        parts.append(text[done : match.start()])
        replacement = "" if match.group() == "\ufeff" else "\n"
        lines.add(len(match.group()), len(replacement), same=False)
        parts.append(replacement)
        done = match.end()
    lines.add(len(text) - done, len(text) - done, same=True)
    parts.append(text[done:])
    composed, composition = _nfc_with_offsets("".join(parts))
    return composed, Offsets(lines, composition)


def _nfc_with_offsets(text: str) -> tuple[str, _Pieces]:
    mapping = _Pieces()
    if unicodedata.is_normalized("NFC", text):
        mapping.add(len(text), len(text), same=True)
        return text, mapping
    # NFC only changes text within runs that start at a character that cannot combine with
    # what comes before it. Cutting the text at such characters and normalising each run gives
    # the same result as normalising the whole, and says where every run went.
    parts: list[str] = []
    run_start = 0
    for position in range(1, len(text) + 1):
        if position < len(text) and not _starts_run(text, run_start, position):
            continue
        run = text[run_start:position]
        composed = unicodedata.normalize("NFC", run)
        mapping.add(len(run), len(composed), same=composed == run)
        parts.append(composed)
        run_start = position
    result = "".join(parts)
    if result != unicodedata.normalize("NFC", text):
        # Not expected; if it ever happens the text is still right and offsets round outwards.
        whole = _Pieces()
        whole.add(len(text), len(result), same=False)
        return unicodedata.normalize("NFC", text), whole
    return result, mapping


def _starts_run(text: str, run_start: int, position: int) -> bool:
    character = text[position]
    # No character below U+0300 composes with what precedes it or decomposes to a combining
    # mark, so the common case needs no normalising.
    if ord(character) < 0x300:
        return True
    if unicodedata.combining(character):
        return False
    if unicodedata.combining(unicodedata.normalize("NFD", character)[0]):
        return False
    before = text[run_start:position]
    return unicodedata.normalize("NFC", before + character) == (
        unicodedata.normalize("NFC", before) + unicodedata.normalize("NFC", character)
    )


# ---------------------------------------------------------------------------------------------
# Colours


_SCHEMA_COLOUR = re.compile(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}")
_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_RGB = re.compile(r"(?:rgba?\s*\()?\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,[^)]*)?\)?")


def normalise_colour(value: str) -> tuple[str | None, bool]:
    """("#RRGGBB" or None if not a colour, whether the value was not already "#RRGGBB").

    Accepts "#RGB", hex with no "#", "#RRGGBBAA" (the alpha is dropped) and "rgb(r, g, b)" or
    "r,g,b". Eight digits could also be .NET's #AARRGGBB, but nothing tells the two apart in
    general (#FF780080 is a translucent orange or an opaque purple), so the CSS order is taken.
    """
    value = value.strip()
    if match := _HEX.fullmatch(value):
        digits = match.group(1).upper()
        if len(digits) == 3:
            digits = "".join(digit * 2 for digit in digits)
        elif len(digits) == 8:
            digits = digits[:6]
        colour = "#" + digits
        return colour, colour != value
    if (match := _RGB.fullmatch(value)) and all(int(part) <= 255 for part in match.groups()):
        return "#" + "".join(f"{int(part):02X}" for part in match.groups()), True
    return None, True


# ---------------------------------------------------------------------------------------------
# Safe XML


def _parse_xml(data: bytes, what: str) -> Any:
    """The root element of `data`, refusing DTDs, entities and anything not well-formed."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        # The parser above is hardened: no entity expansion, no network, no DTD loading and
        # libxml2's limits on depth and size; DOCTYPE is refused just below.
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = f" at line {error.lineno}" if error.lineno else ""
        raise ImportRefused(
            f"{what} is not well-formed XML{line}: {_plain(error.msg)}. It may be damaged or "
            "not a REFI-QDA file"
        ) from None
    except ValueError:
        raise ImportRefused(f"{what} is not an XML file") from None
    if root is None:
        raise ImportRefused(f"{what} is empty")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise ImportRefused(
            f"{what} declares a DOCTYPE (a DTD or entities), which REFI-QDA files never need; "
            "it was refused for safety"
        )
    return root


def _plain(message: str | None) -> str:
    """libxml2's message without the position (given separately) or its advice to programmers."""
    message = re.sub(r",\s*line \d+, column \d+\s*$", "", (message or "unreadable").strip())
    if message.startswith("Excessive depth"):
        return "elements are nested more than 256 levels deep"
    return message.rstrip(".")


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _namespace(element: Any) -> str:
    tag = element.tag
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _kids(element: Any, name: str) -> list[Any]:
    return [child for child in element if _local(child) == name]


def _kid(element: Any, name: str) -> Any | None:
    return next((child for child in element if _local(child) == name), None)


def _text(element: Any | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


# ---------------------------------------------------------------------------------------------
# Reading


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


@dataclass
class _RawSelection:
    element: Any
    start: int
    end: int
    guid: str
    codings: list[Coding]
    whole: bool = False  # a coding of the whole source, placed once the text is known


@dataclass
class _RawSource:
    guid: str
    name: str
    text: str | None  # as decoded, before normalising
    selections: list[_RawSelection]
    description: str
    user_guid: str | None
    created: datetime | None
    note_guids: list[str]
    values: list[VariableValue]


class _Unreadable(Exception):
    pass


_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
)


class _Archive:
    """The members of a QDPX zip, found the way other tools name them."""

    def __init__(self, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
        self._archive = archive
        self._by_path = {member.filename.lower(): member for member in members}
        self._by_name: dict[str, list[zipfile.ZipInfo]] = {}
        for member in members:
            self._by_name.setdefault(_base_name(member.filename), []).append(member)

    def read(self, path: str) -> bytes | None:
        member = self._find(path)
        if member is None:
            return None
        try:
            with self._archive.open(member) as opened:
                return opened.read()
        except _ZIP_ERRORS as error:
            # A damaged member fails in many ways: a bad checksum, a broken deflate stream, an
            # encrypted entry, a compression method Python does not have.
            if "encrypted" in str(error):
                raise _Unreadable("it is password-protected") from None
            raise _Unreadable(str(error) or type(error).__name__) from None

    def _find(self, path: str) -> zipfile.ZipInfo | None:
        # MAXQDA and NVivo for Mac write "sources/", NVivo for Windows "Sources/", qc bare
        # relative paths; the standard's "internal://NAME" gives only the file's name.
        relative = _strip_scheme(path)
        for candidate in (relative, f"sources/{relative}"):
            if member := self._by_path.get(candidate.lower()):
                return member
        # Some tools write paths as URLs, with spaces as %20.
        matches = self._by_name.get(_base_name(relative)) or self._by_name.get(
            _base_name(unquote(relative)), []
        )
        in_sources = [m for m in matches if m.filename.lower().startswith("sources/")]
        found = in_sources or matches
        return found[0] if found else None


def _strip_scheme(path: str) -> str:
    path = path.strip()
    for scheme in ("internal://", "relative://", "absolute://", "file://"):
        if path.lower().startswith(scheme):
            path = path[len(scheme) :]
            break
    return path.replace("\\", "/").lstrip("/")


def _base_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1].lower()


class _Reader:
    """Turns a parsed project or codebook into dataclasses, collecting what it had to allow."""

    def __init__(self, archive: _Archive | None) -> None:
        self.archive = archive
        self.warnings: list[str] = []
        self.counts: Counter[str] = Counter()
        self.missing_files: list[str] = []
        self.defined: set[str] = set()
        self.users: dict[str, User] = {}
        self.note_guids: set[str] = set()
        self.code_guids: set[str] = set()
        self.variables: dict[str, Variable] = {}

    # Identifiers ------------------------------------------------------------------------------

    def reference(self, raw: str | None) -> str | None:
        if raw is None or not raw.strip():
            return None
        try:
            return str(uuid.UUID(raw.strip()))
        except ValueError:
            return str(uuid.uuid5(_GUID_NAMESPACE, raw.strip()))

    def identifier(self, element: Any) -> str:
        """The guid an element defines: canonical, and unique across the project."""
        raw = element.get("guid")
        guid = self.reference(raw)
        if guid is None:
            self.counts["guid missing"] += 1
            guid = str(uuid.uuid5(_GUID_NAMESPACE, element.getroottree().getpath(element)))
        elif raw is not None:
            try:
                uuid.UUID(raw.strip())
            except ValueError:
                self.counts["guid invalid"] += 1
        if guid in self.defined:
            self.counts["guid repeated"] += 1
            guid = str(uuid.uuid5(_GUID_NAMESPACE, element.getroottree().getpath(element)))
        self.defined.add(guid)
        return guid

    def user(self, raw: str | None) -> str | None:
        guid = self.reference(raw)
        if guid is not None and guid not in self.users:
            self.counts["unknown user"] += 1
            self.users[guid] = User(guid, "")
        return guid

    def moment(self, raw: str | None) -> datetime | None:
        if raw is None or not raw.strip():
            return None
        try:
            return datetime.fromisoformat(raw.strip())
        except ValueError:
            self.counts["date unreadable"] += 1
            return None

    def notes_of(self, element: Any) -> list[str]:
        found: list[str] = []
        for ref in _kids(element, "NoteRef"):
            guid = self.reference(ref.get("targetGUID"))
            if guid in self.note_guids:
                found.append(guid)
            else:
                self.counts["note reference unknown"] += 1
        return found

    # Codes ------------------------------------------------------------------------------------

    def codes(self, parent: Any) -> list[Code]:
        found: list[Code] = []
        # A loop, not a comprehension: codes nest as deep as the XML parser allows (256 levels),
        # and each frame saved keeps that within Python's recursion limit.
        for element in _kids(parent, "Code"):
            found.append(self.code(element))
        return found

    def code(self, element: Any) -> Code:
        guid = self.identifier(element)
        self.code_guids.add(guid)
        name = element.get("name") or ""
        if not name.strip():
            self.counts["code unnamed"] += 1
            name = "Unnamed code"
        colour = None
        if (raw_colour := element.get("color")) is not None and raw_colour.strip():
            colour, changed = normalise_colour(raw_colour)
            if colour is None:
                self.counts["colour dropped"] += 1
            elif changed and not _SCHEMA_COLOUR.fullmatch(raw_colour):
                # "#abc" and lower case are valid; only forms the standard forbids are counted.
                self.counts["colour converted"] += 1
        return Code(
            guid=guid,
            name=name,
            description=_text(_kid(element, "Description")),
            colour=colour,
            is_codable=_boolean(element.get("isCodable"), default=True),
            children=self.codes(element),
            note_guids=self.notes_of(element),
        )

    def groups(self, parent: Any | None, *, sources: set[str] | None = None) -> list[Group]:
        """Sets; `sources` is None for a codebook, whose sets hold only codes."""
        if parent is None:
            return []
        elements = _kids(parent, "Set")
        if not elements:
            self.warnings.append(
                "The file has an empty list of sets, which the standard does not allow; "
                "it was ignored"
            )
        found: list[Group] = []
        for element in elements:
            guid = self.identifier(element)
            found.append(
                Group(
                    guid=guid,
                    name=element.get("name") or "",
                    description=_text(_kid(element, "Description")),
                    code_guids=self.members(element, "MemberCode", self.code_guids),
                    source_guids=[]
                    if sources is None
                    else self.members(element, "MemberSource", sources),
                    note_guids=[]
                    if sources is None
                    else self.members(element, "MemberNote", self.note_guids),
                )
            )
        return found

    def members(self, element: Any, name: str, known: set[str]) -> list[str]:
        # Codebooks name members with "guid", projects with "targetGUID"; accept either. Members
        # that were not imported (a picture, a selection outside its text) are dropped.
        found: list[str] = []
        for member in _kids(element, name):
            guid = self.reference(member.get("targetGUID") or member.get("guid"))
            if guid is None or guid not in known:
                self.counts["reference unknown"] += 1
            else:
                found.append(guid)
        return found

    # Variables --------------------------------------------------------------------------------

    def read_variables(self, parent: Any | None) -> list[Variable]:
        found: list[Variable] = []
        for element in _kids(parent, "Variable") if parent is not None else []:
            kind = (element.get("typeOfVariable") or "").strip()
            matched = next((t for t in VARIABLE_TYPES if t.lower() == kind.lower()), None)
            if matched is None:
                self.counts["variable type unknown"] += 1
                matched = "Text"
            variable = Variable(
                guid=self.identifier(element),
                name=element.get("name") or "",
                type=matched,
                description=_text(_kid(element, "Description")),
            )
            self.variables[variable.guid] = variable
            found.append(variable)
        return found

    def values(self, element: Any) -> list[VariableValue]:
        found: list[VariableValue] = []
        for holder in _kids(element, "VariableValue"):
            ref = _kid(holder, "VariableRef")
            guid = self.reference(ref.get("targetGUID")) if ref is not None else None
            if guid is None or guid not in self.variables:
                self.counts["variable unknown"] += 1
                continue
            value_element = next(
                (child for child in holder if _local(child).endswith("Value")), None
            )
            if value_element is None:
                found.append(VariableValue(guid, None))
                continue
            try:
                value = _parse_value(_local(value_element), _text(value_element))
            except ValueError:
                self.counts["value unreadable"] += 1
                continue
            found.append(VariableValue(guid, value))
        return found

    # Text -------------------------------------------------------------------------------------

    def text_of(self, element: Any, name: str) -> str | None:
        """The raw text of a TextSource-like element (BOM removed, not yet normalised)."""
        path = element.get("plainTextPath") or ""
        if path.strip():
            data = None
            if self.archive is not None:
                try:
                    data = self.archive.read(path)
                except _Unreadable as error:
                    self.warnings.append(
                        f'The text of "{name}" ({path}) could not be read from the archive '
                        f"({error}); it was imported without its text"
                    )
                    return None
            if data is not None:
                return self.decoded(data, name, path)
        content = _kid(element, "PlainTextContent")
        if content is not None:
            return _text(content)
        if path.strip():
            self.missing_files.append(f'"{name}" ({path})')
        else:
            self.warnings.append(
                f'"{name}" has no text in the file, so it was imported without its text'
            )
        return None

    def decoded(self, data: bytes, name: str, path: str) -> str | None:
        # transcripts.decode drops a leading byte-order mark, which is what NVivo's positions
        # need: see _choose_units for the check against its selections.
        try:
            text = decode(data)
        except ImportRefused as refusal:
            self.warnings.append(
                f'The text of "{name}" ({path}) could not be read: {refusal.message}; '
                "it was imported without its text"
            )
            return None
        if not data.startswith(b"\xef\xbb\xbf") and not _is_utf8(data):
            self.warnings.append(
                f'The text of "{name}" ({path}) is not UTF-8, as the standard requires; it was '
                "read as UTF-16 or Windows-1252, so check that its characters look right"
            )
        return text

    # Sources ----------------------------------------------------------------------------------

    def read_sources(self, parent: Any | None) -> list[_RawSource]:
        found: list[_RawSource] = []
        skipped: Counter[str] = Counter()
        for element in list(parent) if parent is not None else []:
            kind = _local(element)
            if kind == "TextSource":
                found.append(self.text_source(element, element))
                continue
            self.count_media_selections(element)
            representation = _kid(element, "Representation") if kind == "PDFSource" else None
            if representation is not None:
                # The standard codes a PDF's text through its plain-text representation; keep
                # that as a text source under the PDF's own guid, which sets and cases name.
                found.append(self.text_source(element, representation))
            elif kind:
                skipped[_MEDIA_NAMES.get(kind, kind)] += 1
        if skipped:
            listed = ", ".join(f"{count} {kind}" for kind, count in sorted(skipped.items()))
            self.warnings.append(f"Sources that are not text were not imported: {listed}")
        return found

    def count_media_selections(self, element: Any) -> None:
        for selection in element.iter():
            if _local(selection) in _MEDIA_SELECTIONS:
                self.counts["media selections"] += 1
                self.counts["media codings"] += len(_kids(selection, "Coding"))
        self.counts["transcripts"] += len(_kids(element, "Transcript"))
        # Codings of a whole picture, audio or video source.
        if _local(element) != "PDFSource" or _kid(element, "Representation") is None:
            self.counts["media codings"] += len(_kids(element, "Coding"))

    def text_source(self, outer: Any, inner: Any) -> _RawSource:
        guid = self.identifier(outer)
        name = outer.get("name") or inner.get("name") or ""
        text = self.text_of(inner, name or guid)
        selections: list[_RawSelection] = []
        for element in _kids(inner, "PlainTextSelection"):
            selection = self.raw_selection(element)
            if selection is not None:
                selections.append(selection)
        for element in _kids(outer, "Coding") + (
            _kids(inner, "Coding") if inner is not outer else []
        ):
            coding = self.coding(element)
            if coding is not None:
                whole = str(uuid.uuid5(_GUID_NAMESPACE, f"whole source {coding.guid}"))
                selections.append(_RawSelection(element, 0, 0, whole, [coding], whole=True))
        return _RawSource(
            guid=guid,
            name=name,
            text=text,
            selections=selections,
            description=_text(_kid(outer, "Description")),
            user_guid=self.user(outer.get("creatingUser")),
            created=self.moment(outer.get("creationDateTime")),
            note_guids=self.notes_of(outer),
            values=self.values(outer),
        )

    def raw_selection(self, element: Any) -> _RawSelection | None:
        guid = self.identifier(element)
        try:
            start = int((element.get("startPosition") or "").strip())
            end = int((element.get("endPosition") or "").strip())
        except ValueError:
            self.counts["selection unreadable"] += 1
            return None
        codings = [c for c in map(self.coding, _kids(element, "Coding")) if c is not None]
        return _RawSelection(element, start, end, guid, codings)

    def coding(self, element: Any) -> Coding | None:
        guid = self.identifier(element)
        ref = _kid(element, "CodeRef")
        code_guid = self.reference(ref.get("targetGUID")) if ref is not None else None
        if code_guid is None or code_guid not in self.code_guids:
            self.counts["coding code unknown"] += 1
            return None
        return Coding(
            guid=guid,
            code_guid=code_guid,
            user_guid=self.user(element.get("creatingUser")),
            created=self.moment(element.get("creationDateTime")),
            note_guids=self.notes_of(element),
        )

    def finish_sources(self, raw_sources: list[_RawSource], *, trusted: bool) -> list[Source]:
        utf16 = not trusted and _choose_units(raw_sources)
        if utf16:
            self.warnings.append(
                "Positions in this file count UTF-16 code units rather than characters (as "
                "NVivo does), so they were converted to characters"
            )
        return [self.finish_source(raw, utf16=utf16) for raw in raw_sources]

    def finish_source(self, raw: _RawSource, *, utf16: bool) -> Source:
        text: str | None = None
        mapped: Offsets | None = None
        if raw.text is not None:
            try:
                text, mapped = normalise_with_offsets(raw.text)
            except ImportRefused as refusal:
                self.warnings.append(
                    f'The text of "{raw.name}" could not be used: {refusal.message}; it was '
                    "imported without its text"
                )
        units = _Units(raw.text, utf16=utf16) if raw.text is not None else None
        selections: list[Selection] = []
        outside = 0
        for selection in raw.selections:
            start, end = selection.start, selection.end
            if selection.whole:
                if text is None or units is None:
                    self.counts["whole coding without text"] += 1
                    continue
                self.counts["whole codings"] += 1
                start, end = 0, units.length
            if units is not None:
                converted = units.to_characters(start, end)
                if converted is None:
                    outside += 1
                    continue
                start, end = converted
            elif start < 0 or end <= start:
                outside += 1
                continue
            if mapped is not None:
                start, end = mapped.start(start), mapped.end(end)
            selections.append(self.selection(selection, start, end))
        if outside:
            where = f'the text of "{raw.name}"' if units is not None else f'"{raw.name}"'
            self.warnings.append(
                f"{_plural(outside, 'selection', 'selections')} lie outside {where} or are "
                "empty, and were not imported"
            )
        return Source(
            guid=raw.guid,
            name=raw.name,
            text=text,
            selections=selections,
            description=raw.description,
            user_guid=raw.user_guid,
            created=raw.created,
            note_guids=raw.note_guids,
            values=raw.values,
        )

    def selection(self, raw: _RawSelection, start: int, end: int) -> Selection:
        element = raw.element
        if raw.whole:
            return Selection(guid=raw.guid, start=start, end=end, codings=raw.codings)
        return Selection(
            guid=raw.guid,
            start=start,
            end=end,
            name=element.get("name") or "",
            description=_text(_kid(element, "Description")),
            user_guid=self.user(element.get("creatingUser")),
            created=self.moment(element.get("creationDateTime")),
            codings=raw.codings,
            note_guids=self.notes_of(element),
        )

    # Notes and cases --------------------------------------------------------------------------

    def read_notes(self, parent: Any | None) -> list[Note]:
        """Memos. Read before anything else, so that references to them can be checked."""
        found: list[Note] = []
        for element in _kids(parent, "Note") if parent is not None else []:
            guid = self.identifier(element)
            self.note_guids.add(guid)
            name = element.get("name") or ""
            raw = self.text_of(element, name or "a note")
            text = ""
            if raw is not None:
                try:
                    text = normalise(raw)
                except ImportRefused:
                    self.counts["note text unreadable"] += 1
            inner = _kids(element, "PlainTextSelection") + _kids(element, "Coding")
            self.counts["note codings"] += len(inner)
            found.append(
                Note(
                    guid=guid,
                    name=name,
                    text=text,
                    description=_text(_kid(element, "Description")),
                    user_guid=self.user(element.get("creatingUser")),
                    created=self.moment(element.get("creationDateTime")),
                )
            )
        return found

    def read_cases(
        self, parent: Any | None, sources: list[Source], selections: set[str]
    ) -> list[Case]:
        source_guids = {source.guid for source in sources}
        found: list[Case] = []
        for element in _kids(parent, "Case") if parent is not None else []:
            found.append(
                Case(
                    guid=self.identifier(element),
                    name=element.get("name") or "",
                    description=_text(_kid(element, "Description")),
                    values=self.values(element),
                    source_guids=self.members(element, "SourceRef", source_guids),
                    selection_guids=self.members(element, "SelectionRef", selections),
                    code_guids=self.members(element, "CodeRef", self.code_guids),
                )
            )
        return found

    # Warnings ---------------------------------------------------------------------------------

    def summary(self) -> list[str]:
        messages = list(self.warnings)
        for listed in self.missing_files[:_LISTED]:
            where = (
                "is not in the archive"
                if self.archive is not None
                else "is kept in a separate file, which a bare .qde file does not include"
            )
            messages.append(f"The text of {listed} {where}, so it was imported without its text")
        if len(self.missing_files) > _LISTED:
            messages.append(
                f"The text of {len(self.missing_files) - _LISTED} more sources is missing too"
            )
        counts = self.counts
        if counts["media selections"] or counts["media codings"]:
            messages.append(
                "Selections of pictures, PDF pages, audio or video were not imported: "
                f"{_plural(counts['media selections'], 'selection', 'selections')} and "
                f"{_plural(counts['media codings'], 'coding', 'codings')}"
            )
        for key, singular, plural, rest in _COUNTED:
            if counts[key]:
                messages.append(f"{_plural(counts[key], singular, plural)} {rest}")
        return messages


_MEDIA_NAMES = {
    "PictureSource": "picture",
    "PDFSource": "PDF",
    "AudioSource": "audio",
    "VideoSource": "video",
}
_MEDIA_SELECTIONS = {
    "PictureSelection",
    "PDFSelection",
    "AudioSelection",
    "VideoSelection",
    "TranscriptSelection",
}
_COUNTED: list[tuple[str, str, str, str]] = [
    (
        "transcripts",
        "transcript of audio or video was",
        "transcripts of audio or video were",
        "not imported",
    ),
    (
        "coding code unknown",
        "coding refers",
        "codings refer",
        "to codes that are not in the codebook and were not imported",
    ),
    (
        "selection unreadable",
        "selection has",
        "selections have",
        "missing or unreadable positions and were not imported",
    ),
    (
        "whole codings",
        "coding of a whole source was",
        "codings of whole sources were",
        "imported as selections of the whole text",
    ),
    (
        "whole coding without text",
        "coding of a whole source was",
        "codings of whole sources were",
        "not imported because the source's text is missing",
    ),
    (
        "colour converted",
        "code colour was",
        "code colours were",
        "not written as #RRGGBB and were converted",
    ),
    ("colour dropped", "code colour was", "code colours were", "not understood and left out"),
    ("code unnamed", "code has", "codes have", 'no name and were called "Unnamed code"'),
    (
        "unknown user",
        "person who made selections or codings is",
        "people who made selections or codings are",
        "not in the project's list of users and were added without a name",
    ),
    ("date unreadable", "date was", "dates were", "unreadable and left out"),
    (
        "note reference unknown",
        "reference to a note",
        "references to notes",
        "that are not in the project were dropped",
    ),
    (
        "reference unknown",
        "member of a set or case refers",
        "members of sets or cases refer",
        "to something that was not imported and were dropped",
    ),
    (
        "variable unknown",
        "variable value refers",
        "variable values refer",
        "to variables that are not defined and were not imported",
    ),
    ("value unreadable", "variable value was", "variable values were", "unreadable and left out"),
    (
        "variable type unknown",
        "variable has",
        "variables have",
        "an unknown type and were read as text",
    ),
    (
        "note codings",
        "selection or coding inside a note was",
        "selections and codings inside notes were",
        "not imported",
    ),
    ("note text unreadable", "note's text was", "notes' texts were", "unreadable and left out"),
    ("guid missing", "item has", "items have", "no identifier and were given one"),
    ("guid invalid", "identifier is", "identifiers are", "not GUIDs and were replaced"),
    (
        "guid repeated",
        "identifier is",
        "identifiers are",
        "used more than once; the repeats were given new ones",
    ),
]


class _Units:
    """Converts a file's positions into the raw text's character offsets, checking the range.

    NVivo is a .NET program and counts positions in UTF-16 code units, in which characters
    beyond U+FFFF (emoji, for example) take two; the standard counts characters.
    """

    def __init__(self, text: str, *, utf16: bool) -> None:
        self._utf16 = utf16
        self._pairs: list[int] = []
        if utf16:
            for index, match in enumerate(_ASTRAL.finditer(text)):
                self._pairs.append(match.start() + index)
        self.length = len(text) + len(self._pairs)

    def to_characters(self, start: int, end: int) -> tuple[int, int] | None:
        if not 0 <= start < end <= self.length:
            return None
        if not self._utf16:
            return start, end
        return self._character(start, round_up=False), self._character(end, round_up=True)

    def inside_pair(self, position: int) -> bool:
        """Whether a UTF-16 position falls between the two halves of one character."""
        before = bisect_left(self._pairs, position)
        return before > 0 and self._pairs[before - 1] == position - 1

    def _character(self, position: int, *, round_up: bool) -> int:
        character = position - bisect_left(self._pairs, position)
        return character + 1 if round_up and self.inside_pair(position) else character


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _choose_units(sources: list[_RawSource]) -> bool:
    """Whether the file's positions count UTF-16 code units (True) rather than characters.

    The two differ only in texts with characters beyond U+FFFF. For those, every selection is
    placed both ways, and UTF-16 is chosen only when strictly more selection ends then fall
    tidily: between words, and not on a space. Checked against an NVivo 12.6 export with 303
    coded selections in a text with emoji: counted in UTF-16 units from after the byte-order
    mark, 599 of the 606 ends are tidy and 281 selections begin a line (each is a comment);
    counted in characters, 189 ends are tidy and 16 begin a line. Counting the mark as position
    0 does worse either way (196 tidy ends in UTF-16 units, 139 in characters; 4 selections
    begin a line), so the mark is not counted: `decode` drops it before positions are read.
    """
    by_characters = by_units = 0
    for source in sources:
        if source.text is None or not _ASTRAL.search(source.text):
            continue
        characters = _Units(source.text, utf16=False)
        units = _Units(source.text, utf16=True)
        for selection in source.selections:
            if selection.whole:
                continue
            by_characters += _tidy_ends(source.text, characters, selection, utf16=False)
            by_units += _tidy_ends(source.text, units, selection, utf16=True)
    return by_units > by_characters


def _tidy_ends(text: str, units: _Units, selection: _RawSelection, *, utf16: bool) -> int:
    """How many of a selection's two ends fall between words and next to a non-space."""
    converted = units.to_characters(selection.start, selection.end)
    if converted is None:
        return 0
    start, end = converted
    tidy = 0
    for position, inside, raw in ((start, start, selection.start), (end, end - 1, selection.end)):
        if utf16 and units.inside_pair(raw):
            continue  # between the halves of one character: no tool puts an end there
        splits_word = 0 < position < len(text) and (
            text[position - 1].isalnum() and text[position].isalnum()
        )
        tidy += not splits_word and not text[inside].isspace()
    return tidy


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _boolean(raw: str | None, *, default: bool) -> bool:
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in {"true", "1"}:
        return True
    if value in {"false", "0"}:
        return False
    return default


def _parse_value(kind: str, raw: str) -> Value:
    text = raw.strip()
    if kind == "TextValue":
        return raw
    if kind == "BooleanValue":
        if text.lower() not in {"true", "1", "false", "0"}:
            raise ValueError(text)
        return text.lower() in {"true", "1"}
    if kind == "IntegerValue":
        return int(text)
    if kind == "FloatValue":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(text) from None
        if not number.is_finite():
            raise ValueError(text)
        return number
    if kind == "DateValue":
        return date.fromisoformat(re.sub(r"(Z|[+-]\d\d:\d\d)$", "", text))
    if kind == "DateTimeValue":
        return datetime.fromisoformat(text)
    raise ValueError(kind)


def _refuse_wrong_root(root: Any, expected: str) -> None:
    name, namespace = _local(root), _namespace(root)
    if expected == "Project" and name == "CodeBook":
        raise ImportRefused(
            "This is a REFI-QDA codebook (.qdc), not a project; import it as a codebook"
        )
    if expected == "CodeBook" and name == "Project":
        raise ImportRefused(
            "This is a REFI-QDA project (.qde), not a codebook; import it as a project"
        )
    if name != expected:
        raise ImportRefused(
            f'The file\'s main element is "{name}", not "{expected}", so it is not a '
            f"REFI-QDA {'project' if expected == 'Project' else 'codebook'}"
        )
    allowed = (
        {PROJECT_NAMESPACE}
        if expected == "Project"
        else {CODEBOOK_NAMESPACE, _OLD_CODEBOOK_NAMESPACE}
    )
    if namespace not in allowed:
        wanted = PROJECT_NAMESPACE if expected == "Project" else CODEBOOK_NAMESPACE
        raise ImportRefused(
            f'The file\'s "{name}" element is in the namespace "{namespace or "(none)"}" '
            f'rather than "{wanted}", so it is not a REFI-QDA file this can read'
        )


def _read_project(root: Any, archive: _Archive | None) -> Project:
    _refuse_wrong_root(root, "Project")
    reader = _Reader(archive)
    users_element = _kid(root, "Users")
    users: list[User] = []
    for element in _kids(users_element, "User") if users_element is not None else []:
        user = User(reader.identifier(element), element.get("name") or "")
        if user.guid not in reader.users:
            reader.users[user.guid] = user
            users.append(user)
    notes = reader.read_notes(_kid(root, "Notes"))
    codebook_element = _kid(root, "CodeBook")
    codes_element = _kid(codebook_element, "Codes") if codebook_element is not None else None
    codes = reader.codes(codes_element) if codes_element is not None else []
    variables = reader.read_variables(_kid(root, "Variables"))
    origin = root.get("origin") or ""
    raw_sources = reader.read_sources(_kid(root, "Sources"))
    sources = reader.finish_sources(raw_sources, trusted=origin.startswith(ORIGIN))
    selection_guids = {s.guid for source in sources for s in source.selections}
    cases = reader.read_cases(_kid(root, "Cases"), sources, selection_guids)
    sets = reader.groups(_kid(root, "Sets"), sources={source.guid for source in sources})
    for kind in ("Links", "Graphs"):
        if (element := _kid(root, kind)) is not None and len(element):
            reader.warnings.append(
                f"The project's {kind.lower()} ({len(element)}) are not supported and were not "
                "imported"
            )
    about_project = reader.notes_of(root)
    # Users first named by a selection or coding come after the declared ones.
    declared = {user.guid for user in users}
    users.extend(user for guid, user in reader.users.items() if guid not in declared)
    return Project(
        name=root.get("name") or "",
        origin=origin,
        users=users,
        codebook=Codebook(codes, origin=origin),
        sources=sources,
        notes=notes,
        variables=variables,
        cases=cases,
        sets=sets,
        description=_text(_kid(root, "Description")),
        note_guids=about_project,
        warnings=reader.summary(),
    )


def read_qde(data: bytes) -> Project:
    """A project from a bare .qde file (XML, as ATLAS.ti can write); its source files are absent."""
    if data[:4] == b"PK\x03\x04":
        raise ImportRefused(
            "The file is a zip archive, not a .qde XML file; import it as a .qdpx project"
        )
    return _read_project(_parse_xml(data, "The project file"), None)


def read_qdpx(
    data: bytes,
    *,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
    max_members: int = MAX_MEMBERS,
) -> Project:
    """A project from a .qdpx archive: one .qde file and its sources."""
    if data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        raise ImportRefused(
            "The file is XML, not a QDPX archive; if it is a .qde project file, import it as one"
        )
    declared = _declared_member_count(data) if data[:2] == b"PK" else None
    if declared is not None and declared > max_members:
        raise _too_many(declared, max_members)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except _ZIP_ERRORS as error:
        raise ImportRefused(
            f"The file is not a QDPX archive: it is not a readable zip file ({error})"
        ) from None
    with archive:
        if len(members) > max_members:
            raise _too_many(len(members), max_members)
        unpacked = sum(member.file_size for member in members)
        if unpacked > max_unpacked_bytes:
            raise ImportRefused(
                f"The QDPX archive would unpack to {unpacked // 1024**2:,} MB, more than the "
                f"{max_unpacked_bytes // 1024**2:,} MB allowed, so it was not opened"
            )
        files = [m for m in members if not m.is_dir() and not _is_resource_fork(m.filename)]
        projects = [m for m in files if m.filename.lower().endswith(".qde")]
        if not projects:
            raise ImportRefused(
                "The QDPX archive has no project file (.qde) in it, so it is not a REFI-QDA project"
            )
        if len(projects) > 1:
            names = ", ".join(sorted(m.filename for m in projects)[:_LISTED])
            raise ImportRefused(
                f"The QDPX archive has {len(projects)} project files (.qde) in it ({names}); "
                "it should have one"
            )
        files_by_name = _Archive(archive, files)
        try:
            qde = files_by_name.read(projects[0].filename)
        except _Unreadable as error:
            raise ImportRefused(
                f"The project file {projects[0].filename} in the archive could not be read: {error}"
            ) from None
        root = _parse_xml(qde or b"", f"The project file {projects[0].filename}")
        return _read_project(root, files_by_name)


def _too_many(count: int, limit: int) -> ImportRefused:
    return ImportRefused(
        f"The QDPX archive has {count:,} files in it, more than the {limit:,} allowed, so it was "
        "not opened"
    )


def _is_resource_fork(name: str) -> bool:
    # macOS's zip adds "__MACOSX/._project.qde" beside the real file.
    return name.startswith("__MACOSX/") or _base_name(name).startswith("._")


def _declared_member_count(data: bytes) -> int | None:
    """The member count in the zip's end record, read before Python builds its whole directory.

    A zip's directory can list millions of tiny entries; reading the count first means such a
    file is refused without building them all.
    """
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    count = int.from_bytes(data[end + 10 : end + 12], "little")
    locator = end - 20
    if count == 0xFFFF and locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        record = int.from_bytes(data[locator + 8 : locator + 16], "little")
        if data[record : record + 4] == b"PK\x06\x06":
            return int.from_bytes(data[record + 32 : record + 40], "little")
    return count


def read_qdc(data: bytes) -> Codebook:
    """A codebook from a .qdc file."""
    root = _parse_xml(data, "The codebook file")
    _refuse_wrong_root(root, "CodeBook")
    reader = _Reader(None)
    if _namespace(root) == _OLD_CODEBOOK_NAMESPACE:
        reader.warnings.append(
            f'The codebook declares the namespace "{_OLD_CODEBOOK_NAMESPACE}"; it was read as '
            f'"{CODEBOOK_NAMESPACE}", whose elements are the same'
        )
    codes_element = _kid(root, "Codes")
    codes = reader.codes(codes_element) if codes_element is not None else []
    if not codes:
        raise ImportRefused("The codebook has no codes in it")
    sets = reader.groups(_kid(root, "Sets"))
    return Codebook(codes, origin=root.get("origin") or "", sets=sets, warnings=reader.summary())


# ---------------------------------------------------------------------------------------------
# Writing


# XML 1.0 cannot carry these characters at all. Source texts go into files, so they are only
# removed from names, descriptions and memo text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _safe(value: str) -> str:
    return _NOT_XML.sub("", value)


def _guid(value: str) -> str:
    return str(uuid.UUID(value))


def _when(value: datetime) -> str:
    if value.tzinfo is None:
        return value.isoformat()
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _element(parent: Any, namespace: str, tag: str, /, **attributes: str | None) -> Any:
    element = etree.SubElement(parent, f"{{{namespace}}}{tag}")
    for key, value in attributes.items():
        if value is not None:
            element.set(key, _safe(value))
    return element


def _described(parent: Any, namespace: str, description: str) -> None:
    if description:
        _element(parent, namespace, "Description").text = _safe(description)


def _refs(parent: Any, name: str, guids: Iterable[str], attribute: str = "targetGUID") -> None:
    for guid in guids:
        _element(parent, PROJECT_NAMESPACE, name, **{attribute: _guid(guid)})


def _write_codes(parent: Any, namespace: str, codes: list[Code], *, notes: bool) -> None:
    holder = _element(parent, namespace, "Codes") if _local(parent) != "Code" else parent
    for code in codes:
        colour = normalise_colour(code.colour)[0] if code.colour else None
        if code.colour and colour is None:
            raise ValueError(f"{code.colour!r} is not a colour")
        element = _element(
            holder,
            namespace,
            "Code",
            guid=_guid(code.guid),
            name=code.name,
            isCodable="true" if code.is_codable else "false",
            color=colour,
        )
        _described(element, namespace, code.description)
        if notes:
            _refs(element, "NoteRef", code.note_guids)
        _write_codes(element, namespace, code.children, notes=notes)


def _write_values(parent: Any, values: list[VariableValue], variables: dict[str, Variable]) -> None:
    for held in values:
        variable = variables.get(_guid(held.variable_guid))
        if variable is None:
            raise ValueError(f"variable {held.variable_guid} is not among the project's variables")
        element = _element(parent, PROJECT_NAMESPACE, "VariableValue")
        _element(element, PROJECT_NAMESPACE, "VariableRef", targetGUID=_guid(variable.guid))
        if held.value is not None:
            _element(element, PROJECT_NAMESPACE, f"{variable.type}Value").text = _format_value(
                variable, held.value
            )


def _format_value(variable: Variable, value: Value) -> str:
    kind = variable.type
    if kind == "Text" and isinstance(value, str):
        return _safe(value)
    if kind == "Boolean" and isinstance(value, bool):
        return "true" if value else "false"
    if kind == "Integer" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if kind == "Float" and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if number.is_finite():
            return format(number, "f")
    if kind == "DateTime" and isinstance(value, datetime):
        return _when(value)
    if kind == "Date" and isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    raise ValueError(f"{value!r} is not a {kind} value for variable {variable.name!r}")


def _write_group(parent: Any, namespace: str, group: Group, *, codebook: bool) -> None:
    element = _element(parent, namespace, "Set", guid=_guid(group.guid), name=group.name)
    _described(element, namespace, group.description)
    for guid in group.code_guids:
        attribute = "guid" if codebook else "targetGUID"
        _element(element, namespace, "MemberCode", **{attribute: _guid(guid)})
    if not codebook:
        _refs(element, "MemberSource", group.source_guids)
        _refs(element, "MemberNote", group.note_guids)


def _serialise(root: Any) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def write_qde(project: Project) -> bytes:
    """The project.qde XML of `write_qdpx`, which refers to each text as internal://<guid>.txt."""
    ns = PROJECT_NAMESPACE
    root = etree.Element(f"{{{ns}}}Project", nsmap={None: ns})
    root.set("name", _safe(project.name))
    root.set("origin", _safe(project.origin or ORIGIN))
    if project.users:
        users = _element(root, ns, "Users")
        for user in project.users:
            _element(users, ns, "User", guid=_guid(user.guid), name=user.name)
    if project.codebook.codes:
        _write_codes(_element(root, ns, "CodeBook"), ns, project.codebook.codes, notes=True)
    variables = {_guid(variable.guid): variable for variable in project.variables}
    if project.variables:
        holder = _element(root, ns, "Variables")
        for variable in project.variables:
            element = _element(
                holder,
                ns,
                "Variable",
                guid=_guid(variable.guid),
                name=variable.name,
                typeOfVariable=variable.type,
            )
            _described(element, ns, variable.description)
    if project.cases:
        holder = _element(root, ns, "Cases")
        for case in project.cases:
            element = _element(holder, ns, "Case", guid=_guid(case.guid), name=case.name)
            _described(element, ns, case.description)
            _refs(element, "CodeRef", case.code_guids)
            _write_values(element, case.values, variables)
            _refs(element, "SourceRef", case.source_guids)
            _refs(element, "SelectionRef", case.selection_guids)
    if project.sources:
        holder = _element(root, ns, "Sources")
        for source in project.sources:
            _write_source(holder, source, variables)
    if project.notes:
        holder = _element(root, ns, "Notes")
        for note in project.notes:
            element = _element(
                holder,
                ns,
                "Note",
                guid=_guid(note.guid),
                name=note.name,
                creatingUser=_guid(note.user_guid) if note.user_guid else None,
                creationDateTime=_when(note.created) if note.created else None,
            )
            _described(element, ns, note.description)
            _element(element, ns, "PlainTextContent").text = _safe(note.text)
    if project.sets:
        holder = _element(root, ns, "Sets")
        for group in project.sets:
            _write_group(holder, ns, group, codebook=False)
    _described(root, ns, project.description)
    _refs(root, "NoteRef", project.note_guids)
    return _serialise(root)


def _write_source(parent: Any, source: Source, variables: dict[str, Variable]) -> None:
    ns = PROJECT_NAMESPACE
    guid = _guid(source.guid)
    element = _element(
        parent,
        ns,
        "TextSource",
        guid=guid,
        name=source.name,
        plainTextPath=f"internal://{guid}.txt" if source.text is not None else None,
        creatingUser=_guid(source.user_guid) if source.user_guid else None,
        creationDateTime=_when(source.created) if source.created else None,
    )
    _described(element, ns, source.description)
    for selection in source.selections:
        length = len(source.text) if source.text is not None else selection.end
        if not 0 <= selection.start < selection.end <= length:
            raise ValueError(f"selection {selection.guid} is empty or outside its source's text")
        chosen = _element(
            element,
            ns,
            "PlainTextSelection",
            guid=_guid(selection.guid),
            name=selection.name or None,
            startPosition=str(selection.start),
            endPosition=str(selection.end),
            creatingUser=_guid(selection.user_guid) if selection.user_guid else None,
            creationDateTime=_when(selection.created) if selection.created else None,
        )
        _described(chosen, ns, selection.description)
        for coding in selection.codings:
            coded = _element(
                chosen,
                ns,
                "Coding",
                guid=_guid(coding.guid),
                creatingUser=_guid(coding.user_guid) if coding.user_guid else None,
                creationDateTime=_when(coding.created) if coding.created else None,
            )
            _element(coded, ns, "CodeRef", targetGUID=_guid(coding.code_guid))
            _refs(coded, "NoteRef", coding.note_guids)
        _refs(chosen, "NoteRef", selection.note_guids)
    _refs(element, "NoteRef", source.note_guids)
    _write_values(element, source.values, variables)


def _entry(name: str) -> zipfile.ZipInfo:
    # A fixed date, so the same project always makes the same bytes.
    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry


def write_qdpx(project: Project) -> bytes:
    """A .qdpx archive: project.qde at the root, each text as sources/<guid>.txt in UTF-8."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_entry("project.qde"), write_qde(project))
        for source in project.sources:
            if source.text is not None:
                name = f"sources/{_guid(source.guid)}.txt"
                archive.writestr(_entry(name), source.text.encode("utf-8"))
    return buffer.getvalue()


def write_qdc(codebook: Codebook) -> bytes:
    """A .qdc codebook file. The standard needs at least one code."""
    if not codebook.codes:
        raise ValueError("a codebook needs at least one code")
    ns = CODEBOOK_NAMESPACE
    root = etree.Element(f"{{{ns}}}CodeBook", nsmap={None: ns})
    root.set("origin", _safe(codebook.origin or ORIGIN))
    _write_codes(root, ns, codebook.codes, notes=False)
    if codebook.sets:
        holder = _element(root, ns, "Sets")
        for group in codebook.sets:
            _write_group(holder, ns, group, codebook=True)
    return _serialise(root)
