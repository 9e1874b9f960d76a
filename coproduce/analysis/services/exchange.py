"""Exchanging whole projects with other qualitative-analysis tools through REFI-QDA.

`export_project` writes a project as a QDPX archive that NVivo, ATLAS.ti, MAXQDA and QualCoder
can open; `import_project` brings a QDPX project or a bare .qde project file made by any of them
into an existing project (and hands a QDC codebook to the codebook's own import). `refiqda`
reads and writes the files; this module maps them to and from the models.

What an export holds, and how Coproduce's ideas are said in REFI-QDA's terms:

- The codebook, retired codes included, as a tree with names, colours and descriptions. The
  description carries the code's "when to use it", "when not to use it" and examples under
  headings of their own (as the codebook's QDC export writes them), so another tool shows them
  and a round trip restores them. Each code keeps a GUID, stored on `Code.guid` on first export,
  so that codes match up when the project comes back. Retired codes are members of the set "Retired codes"; each theme is a set
  "Theme: <name>" of its codes.
- Every released source as a text source, its text as it is in Coproduce. Each survey or
  feedback response is its own text source ("<dataset>, row <n>") carrying its attribute
  values, as MAXQDA exports survey rows; sources still under review are left out.
- Every coded segment as a selection with one coding, made by the person who coded it (a REFI
  user named as in Coproduce) at the time they coded it. Coding that arrived from another tool
  under a name that matched nobody keeps that name. The consensus layer is the coding of the
  user "Consensus" (with a fixed GUID); each consensus selection's description says who
  recorded the agreement.
- Memos as notes on the project, source, code or selection they are about; cases with their
  attribute values, and attributes as variables.

An import adds to the project and never changes or removes what is there: codes are matched by
GUID, then by name under the same parent, and only missing ones are made; a source whose name
and text are already in the project is matched rather than added again, and coding already
there is not added twice, so importing the same file twice adds nothing the second time. Coders
are matched to the project's team by name, e-mail address or user name; coding by anyone else
keeps the name the file gives them (`Segment.coder_label`). It all happens in one transaction:
a file imports whole, with what could not be brought in listed for the analyst, or not at all.

Imported texts are not pseudonymised. They were coded in the other tool, and replacing words
would move every coded passage; where the project pseudonymises new texts, the lead confirms
before importing that the texts may be shown to the team as they are.
"""

import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any, Literal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.analysis import refiqda
from coproduce.analysis.models import (
    Attribute,
    Case,
    Code,
    Import,
    Layer,
    Memo,
    Project,
    Segment,
    Source,
    Theme,
)
from coproduce.analysis.services import codebook
from coproduce.analysis.team import Right, may
from coproduce.analysis.transcripts import ImportRefused, normalise
from coproduce.core import audit
from coproduce.core.errors import ServiceError

# GUIDs of things that have none of their own (sources, segments, people, memos...) are made
# from their ids in this namespace, so the same project always exports the same way.
_NAMESPACE = uuid.UUID("0b9d6f4e-2c71-4a3e-8f15-6d2a9c4e7b10")
CONSENSUS_USER = "Consensus"
CONSENSUS_GUID = str(uuid.uuid5(_NAMESPACE, "consensus"))
RETIRED_SET = "Retired codes"
RETIRED_SET_GUID = str(uuid.uuid5(_NAMESPACE, "retired codes"))
THEME_SET_PREFIX = "Theme: "
UNNAMED_CODER = "Unnamed coder"

_RECORDED_BY = re.compile(r"^Agreed by the team; recorded by (.+)$")

# Every member of a QDPX archive is a text file, and Coproduce's reader opens archives of up to
# refiqda.MAX_MEMBERS files: a project with more sources would not come back in.
MAX_EXPORTED_SOURCES = refiqda.MAX_MEMBERS - 1

PROJECT_FORMATS = {"qdpx", "qde"}
FORMAT_NAMES = {
    "qdpx": "REFI-QDA project (.qdpx)",
    "qde": "REFI-QDA project file (.qde)",
    "qdc": "REFI-QDA codebook (.qdc)",
}

_NAME_LIMITS = {"code": 200, "source": 255, "case": 200, "attribute": 100}
_TEXT_LIMITS = {
    "description": 4000,
    "case description": 2000,
    "memo": 10_000,
}


def _made_guid(kind: str, pk: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{pk}"))


def person_name(user: User) -> str:
    """How a person is named in an exported file, and matched when a file comes back."""
    return user.get_full_name().strip() or user.email or user.get_username()


def _require_lead(by: User, project: Project, what: str) -> None:
    if not may(by, project, Right.LEAD):
        raise ServiceError(f"Only the project's lead analyst can {what}", status=403)


# ---------------------------------------------------------------------------------------------
# Export


def _code_guids(project: Project) -> list[Code]:
    """The project's codes, each with a GUID of its own: kept if it has one, made if not."""
    codes = list(Code.objects.filter(project=project).order_by("position", "name", "pk"))
    seen: set[str] = set()
    changed = []
    for code in codes:
        guid = codebook.code_guid(code)
        if guid in seen:
            # Two codes cannot share a GUID in a file; the second gets one of its own.
            guid = str(uuid.uuid4())
        if guid != code.guid:
            code.guid = guid
            changed.append(code)
        seen.add(guid)
    Code.objects.bulk_update(changed, ["guid"])
    return codes


def _codebook(codes: list[Code], notes: dict[int, list[str]]) -> list[refiqda.Code]:
    children: dict[int | None, list[Code]] = defaultdict(list)
    for code in codes:
        children[code.parent_id].append(code)

    def tree(parent: int | None) -> list[refiqda.Code]:
        return [
            refiqda.Code(
                guid=code.guid,
                name=code.name,
                description=codebook.qdc_description(code),
                colour=code.colour,
                children=tree(code.pk),
                note_guids=notes.get(code.pk, []),
            )
            for code in children[parent]
        ]

    return tree(None)


def _code_sets(project: Project, codes: list[Code]) -> list[refiqda.Group]:
    guids = {code.pk: code.guid for code in codes}
    sets = []
    retired = [code.guid for code in codes if code.retired]
    if retired:
        sets.append(
            refiqda.Group(
                guid=RETIRED_SET_GUID,
                name=RETIRED_SET,
                description="Codes no longer offered for new coding; their coded text is kept",
                code_guids=retired,
            )
        )
    for theme in Theme.objects.filter(project=project).prefetch_related("codes"):
        sets.append(
            refiqda.Group(
                guid=_made_guid("theme", theme.pk),
                name=f"{THEME_SET_PREFIX}{theme.name}",
                description=theme.definition,
                code_guids=[guids[code.pk] for code in theme.codes.all() if code.pk in guids],
            )
        )
    return sets


_VARIABLE_TYPES: dict[str, refiqda.VariableType] = {
    Attribute.Kind.TEXT: "Text",
    Attribute.Kind.NUMBER: "Float",
    Attribute.Kind.DATE: "Date",
    Attribute.Kind.BOOLEAN: "Boolean",
}
_YES = {"true", "yes", "y", "1"}
_NO = {"false", "no", "n", "0"}


def _typed(kind: str, raw: object) -> refiqda.Value:
    """An attribute value as its attribute's kind says; ValueError if it is not one."""
    text = str(raw).strip()
    if kind == Attribute.Kind.NUMBER:
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(text) from None
        if not number.is_finite():
            raise ValueError(text)
        return number
    if kind == Attribute.Kind.DATE:
        try:
            return date.fromisoformat(text)
        except ValueError:
            return datetime.fromisoformat(text).date()
    if kind == Attribute.Kind.BOOLEAN:
        if text.lower() in _YES:
            return True
        if text.lower() in _NO:
            return False
        raise ValueError(text)
    return str(raw)


def _variables(
    attributes: list[Attribute], held: Iterable[dict[str, Any]]
) -> tuple[list[refiqda.Variable], dict[str, tuple[refiqda.Variable, str]]]:
    """Variables for the attributes, typed as the attribute is unless a value held does not
    fit that type (a "number" column with "n/a" in it), in which case as text."""
    by_key = {str(attribute.pk): attribute for attribute in attributes}
    misfits: set[str] = set()
    for values in held:
        for key, raw in values.items():
            attribute = by_key.get(key)
            if attribute is None or key in misfits or raw in (None, ""):
                continue
            try:
                _typed(attribute.kind, raw)
            except ValueError:
                misfits.add(key)
    variables = []
    found = {}
    for attribute in attributes:
        key = str(attribute.pk)
        kind = Attribute.Kind.TEXT if key in misfits else attribute.kind
        variable = refiqda.Variable(
            guid=_made_guid("attribute", attribute.pk),
            name=attribute.name,
            type=_VARIABLE_TYPES.get(kind, "Text"),
            description=attribute.description,
        )
        variables.append(variable)
        found[key] = (variable, kind)
    return variables, found


def _values(
    values: dict[str, Any], variables: dict[str, tuple[refiqda.Variable, str]]
) -> list[refiqda.VariableValue]:
    found = []
    for key, raw in values.items():
        if key not in variables or raw in (None, ""):
            continue
        variable, kind = variables[key]
        found.append(refiqda.VariableValue(variable.guid, _typed(kind, raw)))
    return found


class _Coders:
    """The REFI users of an export: everyone who coded or wrote a memo, and the consensus."""

    def __init__(self) -> None:
        self.users: dict[str, refiqda.User] = {}

    def of(self, user: User | None, label: str = "") -> str | None:
        if user is not None:
            guid = _made_guid("user", user.pk)
            self.users.setdefault(guid, refiqda.User(guid, person_name(user)))
            return guid
        if label:
            guid = _made_guid("coder", label)
            self.users.setdefault(guid, refiqda.User(guid, label))
            return guid
        return None

    def consensus(self) -> str:
        self.users.setdefault(CONSENSUS_GUID, refiqda.User(CONSENSUS_GUID, CONSENSUS_USER))
        return CONSENSUS_GUID


def _source_description(source: Source) -> str:
    if source.kind == Source.Kind.RESPONSE and source.dataset_id is not None:
        return f"{source.get_kind_display()}: row {source.row} of {source.dataset}"
    return str(source.get_kind_display())


def _memo_name(memo: Memo, project: Project) -> str:
    if memo.segment is not None:
        return f"Memo on coded text in {memo.segment.source}"
    if memo.source_id is not None:
        return f"Memo on {memo.source}"
    if memo.code_id is not None:
        return f"Memo on the code {memo.code}"
    return f"Memo on {project.name}"


@dataclass
class _Memos:
    notes: list[refiqda.Note] = field(default_factory=list)
    on_project: list[str] = field(default_factory=list)
    on_source: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    on_code: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    on_segment: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))


def _memos(project: Project, released: set[int], coders: _Coders) -> _Memos:
    found = _Memos()
    memos = Memo.objects.filter(project=project).select_related(
        "author", "source", "code", "segment__source"
    )
    for memo in memos.order_by("created_at", "pk"):
        about_source = memo.source_id or (memo.segment.source_id if memo.segment else None)
        if about_source is not None and about_source not in released:
            continue  # a memo on text still under review: the text is not exported either
        guid = _made_guid("memo", memo.pk)
        found.notes.append(
            refiqda.Note(
                guid=guid,
                name=_memo_name(memo, project),
                text=memo.text,
                user_guid=coders.of(memo.author),
                created=memo.created_at,
            )
        )
        if memo.segment_id is not None:
            found.on_segment[memo.segment_id].append(guid)
        elif memo.source_id is not None:
            found.on_source[memo.source_id].append(guid)
        elif memo.code_id is not None:
            found.on_code[memo.code_id].append(guid)
        else:
            found.on_project.append(guid)
    return found


def _selections(
    segments: Iterable[Segment], length: int, coders: _Coders, memos: _Memos
) -> list[refiqda.Selection]:
    selections = []
    for segment in segments:
        if not 0 <= segment.start < segment.end <= length:
            continue  # cannot happen through the services; never let one bad row spoil a file
        description = ""
        user: str | None
        if segment.layer == Layer.CONSENSUS:
            user = coders.consensus()
            if segment.coder is not None:
                description = f"Agreed by the team; recorded by {person_name(segment.coder)}"
        else:
            user = coders.of(segment.coder, segment.coder_label)
        selections.append(
            refiqda.Selection(
                guid=_made_guid("segment", segment.pk),
                start=segment.start,
                end=segment.end,
                description=description,
                user_guid=user,
                created=segment.coded_at,
                codings=[
                    refiqda.Coding(
                        guid=_made_guid("coding", segment.pk),
                        code_guid=segment.code.guid,
                        user_guid=user,
                        created=segment.coded_at,
                    )
                ],
                note_guids=memos.on_segment.get(segment.pk, []),
            )
        )
    return selections


def export_project(*, by: User, project: Project) -> bytes:
    """The whole project as a QDPX archive. It holds everyone's coding, so only the lead may
    export it."""
    _require_lead(by, project, "export the whole project, because it holds everyone's coding")
    sources = Source.objects.filter(project=project).visible()
    count = sources.count()
    if count > MAX_EXPORTED_SOURCES:
        raise ServiceError(
            f"The project has {count:,} sources and responses; a REFI-QDA file can carry at most "
            f"{MAX_EXPORTED_SOURCES:,} that other tools, and Coproduce, can read back. Export "
            "the codebook on its own, or the reports, instead"
        )
    with transaction.atomic():
        codes = _code_guids(project)
    code_by_pk = {code.pk: code for code in codes}
    coders = _Coders()
    released = set(sources.values_list("pk", flat=True))
    memos = _memos(project, released, coders)
    attributes = list(Attribute.objects.filter(project=project).order_by("name"))
    cases = list(Case.objects.filter(project=project).order_by("name", "pk"))
    held = [case.values for case in cases]
    held.extend(sources.exclude(values={}).values_list("values", flat=True))
    variables, by_attribute = _variables(attributes, held)
    by_source: dict[int, list[Segment]] = defaultdict(list)
    segments = Segment.objects.filter(
        project=project, source__source_import__status=Import.Status.RELEASED
    ).select_related("coder")
    for segment in segments.order_by("source_id", "start", "end", "pk").iterator(10_000):
        segment.code = code_by_pk[segment.code_id]
        by_source[segment.source_id].append(segment)
    exported_sources = []
    case_sources: dict[int, list[str]] = defaultdict(list)
    for source in sources.select_related("dataset").order_by("kind", "name", "row", "pk"):
        guid = _made_guid("source", source.pk)
        if source.case_id is not None:
            case_sources[source.case_id].append(guid)
        exported_sources.append(
            refiqda.Source(
                guid=guid,
                name=source.name,
                text=source.text,
                selections=_selections(
                    by_source.pop(source.pk, []), len(source.text), coders, memos
                ),
                description=_source_description(source),
                created=source.created_at,
                note_guids=memos.on_source.get(source.pk, []),
                values=_values(source.values, by_attribute),
            )
        )
    exported = refiqda.Project(
        name=project.name,
        users=sorted(coders.users.values(), key=lambda user: (user.name.casefold(), user.guid)),
        codebook=refiqda.Codebook(_codebook(codes, memos.on_code)),
        sources=exported_sources,
        notes=memos.notes,
        variables=variables,
        cases=[
            refiqda.Case(
                guid=_made_guid("case", case.pk),
                name=case.name,
                description=case.description,
                values=_values(case.values, by_attribute),
                source_guids=case_sources.get(case.pk, []),
            )
            for case in cases
        ],
        sets=_code_sets(project, codes),
        description=project.description,
        note_guids=memos.on_project,
    )
    data = refiqda.write_qdpx(exported)
    audit.record(
        actor=by,
        action="analysis.exported",
        target=project,
        summary=f"Exported {project.name} as a REFI-QDA project",
        organisation_id=project.organisation_id,
    )
    return data


def download_name(project: Project, suffix: str) -> str:
    stem = "".join(c if c.isalnum() or c in " -_" else "-" for c in project.name).strip()
    return f"{stem or 'project'}.{suffix}"


# ---------------------------------------------------------------------------------------------
# Import


@dataclass
class CoderSummary:
    name: str  # as the file names them
    matched: str  # who they are on the team, or "" when their name was kept as it is
    segments: int


@dataclass
class ImportSummary:
    """What an import brought in, for the result page (kept on the Import for later)."""

    file_name: str
    what: Literal["project", "codebook"]
    origin: str = ""
    codes_created: int = 0
    codes_matched: int = 0
    sources_created: int = 0
    sources_matched: int = 0
    segments_created: int = 0
    segments_already_there: int = 0
    consensus_segments: int = 0
    memos: int = 0
    cases: int = 0
    attributes: int = 0
    themes: int = 0
    coders: list[CoderSummary] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    import_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ImportSummary":
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["coders"] = [CoderSummary(**coder) for coder in data.get("coders", [])]
        return cls(**known)


def file_format(data: bytes, name: str = "") -> str:
    """The file's format, "qdpx", "qde" or "qdc", from what it holds (its name only breaks a
    tie)."""
    if not data:
        raise ServiceError("The file is empty", field="file")
    if data[:2] == b"PK":
        return "qdpx"
    head = data[:8192].decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        match = re.search(r"<(?:[\w.-]+:)?(CodeBook|Project)[\s>/]", head)
        if match:
            return "qdc" if match.group(1) == "CodeBook" else "qde"
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix in FORMAT_NAMES:
        return suffix
    raise ServiceError(
        "The file is not a REFI-QDA project (.qdpx or .qde) or codebook (.qdc). Export the "
        "project from the other tool as REFI-QDA and import that file",
        field="file",
    )


def import_upload(
    *, by: User, project: Project, upload: UploadedFile, texts_checked: bool = False
) -> ImportSummary:
    """An uploaded file, checked for size before it is read into memory."""
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    limit = (
        settings.ANALYSIS_MAX_DOCUMENT_BYTES
        if suffix == ".qdc"
        else settings.ANALYSIS_MAX_DATASET_BYTES
    )
    if not upload.size:
        raise ServiceError("The file is empty", field="file")
    if upload.size > limit:
        raise ServiceError(
            f"The file is larger than {limit // (1024 * 1024):,} MB, the most Coproduce "
            "imports at once. Export fewer sources from the other tool, or leave out media "
            "files (pictures, audio, video), which Coproduce does not import",
            field="file",
        )
    upload.seek(0)
    return import_project(
        by=by, project=project, data=upload.read(), file_name=name, texts_checked=texts_checked
    )


def import_project(
    *,
    by: User,
    project: Project,
    data: bytes,
    file_name: str = "",
    texts_checked: bool = False,
) -> ImportSummary:
    """Bring a REFI-QDA project or codebook made by another tool into the project.

    Refuses (ServiceError) a file that cannot be read, and leaves nothing behind; otherwise
    imports everything it can in one transaction and lists what it could not."""
    _require_lead(by, project, "import projects and codebooks")
    kind = file_format(data, file_name)
    name = PurePath(file_name).name[:255] or f"Imported {FORMAT_NAMES[kind]}"
    if kind == "qdc":
        return _import_codebook(by, project, data, name)
    try:
        read = refiqda.read_qdpx if kind == "qdpx" else refiqda.read_qde
        parsed = read(data)
    except ImportRefused as refusal:
        raise ServiceError(refusal.message, field="file") from None
    return _import_project(by, project, parsed, name, kind, texts_checked=texts_checked)


def _usable_text(source: refiqda.Source) -> bool:
    return source.text is not None and bool(source.text.strip())


def _warnings(found: list[str]) -> list[str]:
    # Coproduce holds text only: a source whose text is missing is left out with its coding,
    # rather than kept empty as the reader describes it.
    return [
        warning.replace("imported without its text", "not imported, nor its coding")
        for warning in found
    ]


class _Truncations:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def name(self, value: str, what: str, fallback: str) -> str:
        value = value.strip() or fallback
        limit = _NAME_LIMITS[what]
        if len(value) > limit:
            self.counts[f"{what} name"] += 1
            value = value[:limit]
        return value

    def text(self, value: str, what: str) -> str:
        limit = _TEXT_LIMITS[what]
        if len(value) > limit:
            self.counts[what] += 1
            value = value[:limit]
        return value

    def warnings(self) -> list[str]:
        return [
            f"{_plural(count, what, what + 's')} longer than Coproduce keeps "
            f"{'was' if count == 1 else 'were'} shortened"
            for what, count in sorted(self.counts.items())
        ]


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


class _Codebook:
    """Merges a file's codes into the project's codebook: matched by GUID, then by name under
    the same parent; missing codes are made. Never changes a code that is there already, except
    to give it the file's GUID if it had none.

    The codebook's own rules hold for the codes made: names are tidied as the codebook tidies
    them (" > " becomes " / ", as it separates levels in codebook files), and a code made inside
    a retired code is retired too."""

    def __init__(self, project: Project, truncate: _Truncations) -> None:
        self.project = project
        self.truncate = truncate
        # Retired codes first, so that a code in use wins where both have the same name.
        codes = sorted(Code.objects.filter(project=project), key=lambda code: not code.retired)
        self.by_guid = {codebook.code_guid(code): code for code in codes}
        self.by_name = {(code.parent_id, code.name.casefold()): code for code in codes}
        self.positions: dict[int | None, int] = Counter()
        for code in codes:
            self.positions[code.parent_id] = max(self.positions[code.parent_id], code.position + 1)
        self.targets: dict[str, Code] = {}  # file GUID -> the code its codings go to
        self.created = 0
        self.matched = 0
        self.renamed = 0

    def merge(self, codes: list[refiqda.Code], retired: set[str]) -> None:
        stack: list[tuple[refiqda.Code, Code | None]] = [(code, None) for code in reversed(codes)]
        # Iterative, not recursive: codebooks nest as deep as XML allows.
        while stack:
            found, parent = stack.pop()
            code = self.one(found, parent, retired=found.guid in retired)
            stack.extend((child, code) for child in reversed(found.children))

    def clean_name(self, name: str) -> str:
        words = name.split()
        if codebook.SEPARATOR.strip() in words:
            self.renamed += 1
            words = ["/" if word == codebook.SEPARATOR.strip() else word for word in words]
        return self.truncate.name(" ".join(words), "code", "Unnamed code")

    def one(self, found: refiqda.Code, parent: Code | None, *, retired: bool) -> Code:
        parent_id = parent.pk if parent is not None else None
        name = self.clean_name(found.name)
        code = self.by_guid.get(found.guid) or self.by_name.get((parent_id, name.casefold()))
        if code is not None:
            self.matched += 1
            if (
                not code.guid
                and not Code.objects.filter(project=self.project, guid=found.guid).exists()
            ):
                code.guid = found.guid
                code.save(update_fields=["guid", "updated_at"])
        else:
            try:
                description = normalise(found.description)
            except ImportRefused:
                description = ""
            notes = codebook.split_description(description)
            code = Code.objects.create(
                project=self.project,
                parent=parent,
                name=name,
                description=self.truncate.text(notes.get("description", ""), "description"),
                inclusion=self.truncate.text(notes.get("inclusion", ""), "description"),
                exclusion=self.truncate.text(notes.get("exclusion", ""), "description"),
                examples=self.truncate.text(notes.get("examples", ""), "description"),
                colour=(found.colour or codebook.DEFAULT_COLOUR).lower(),
                position=self.positions[parent_id],
                retired=retired or (parent is not None and parent.retired),
                guid=found.guid,
            )
            self.positions[parent_id] += 1
            self.created += 1
            self.by_guid[found.guid] = code
            self.by_name[(parent_id, name.casefold())] = code
        self.targets[found.guid] = code
        return code

    def warnings(self) -> list[str]:
        if not self.renamed:
            return []
        return [
            f'" > " was replaced by " / " in the names of {_plural(self.renamed, "code", "codes")}'
            ", because it separates levels in Coproduce's codebook files"
        ]

    def target(self, guid: str) -> Code | None:
        """The code a coding goes to: a code merged into another codes the one it joined."""
        code = self.targets.get(guid)
        seen: set[int] = set()
        while code is not None and code.merged_into_id is not None and code.pk not in seen:
            seen.add(code.pk)
            code = code.merged_into
        return code


def _themes(
    project: Project, sets: list[refiqda.Group], codes: _Codebook, *, trusted: bool
) -> tuple[int, int]:
    """Themes from a Coproduce file's "Theme: " sets; (themes made or matched, sets left out)."""
    themes = skipped = 0
    for group in sets:
        if group.guid == RETIRED_SET_GUID:
            continue
        if not (trusted and group.name.startswith(THEME_SET_PREFIX)):
            skipped += 1
            continue
        name = group.name.removeprefix(THEME_SET_PREFIX).strip()[:200] or "Unnamed theme"
        theme = Theme.objects.filter(project=project, name=name).first()
        if theme is None:
            theme = Theme.objects.create(
                project=project, name=name, definition=group.description[:4000]
            )
        theme.codes.add(
            *[codes.targets[guid] for guid in group.code_guids if guid in codes.targets]
        )
        themes += 1
    return themes, skipped


def _sets_warning(skipped: int) -> list[str]:
    if not skipped:
        return []
    return [
        f"{skipped} {'set' if skipped == 1 else 'sets'} (named groups of codes, sources or "
        "notes) were not imported; group codes into themes instead"
    ]


def _import_codebook(by: User, project: Project, data: bytes, name: str) -> ImportSummary:
    """A codebook goes through the codebook's own import, which holds its rules."""
    try:
        added = codebook.import_qdc(by=by, project=project, data=data)
    except ImportRefused as refusal:
        raise ServiceError(refusal.message, field="file") from None
    return ImportSummary(
        file_name=name,
        what="codebook",
        codes_created=len(added.added),
        codes_matched=added.present,
        warnings=list(added.warnings),
    )


def _retired(sets: list[refiqda.Group], origin: str) -> set[str]:
    return {
        guid
        for group in sets
        if group.guid == RETIRED_SET_GUID
        or (origin.startswith(refiqda.ORIGIN) and group.name == RETIRED_SET)
        for guid in group.code_guids
    }


class _People:
    """Who each of the file's users is: someone on the team, the consensus, or a name kept."""

    def __init__(self, project: Project, users: list[refiqda.User]) -> None:
        team = [member.user for member in project.team.select_related("user")]
        index: dict[str, set[User]] = defaultdict(set)
        for user in team:
            for key in (user.get_full_name(), user.email, user.get_username()):
                if key.strip():
                    index[_key(key)].add(user)
        self.index = index
        self.names = {user.guid: user.name.strip() for user in users}
        self.counts: Counter[str | None] = Counter()

    def find(self, name: str) -> User | None:
        found = self.index.get(_key(name), set())
        # Two people on the team with the same name: the coding is kept under the name.
        return next(iter(found)) if len(found) == 1 else None

    def is_consensus(self, guid: str | None) -> bool:
        return guid == CONSENSUS_GUID or (
            guid is not None and _key(self.names.get(guid, "")) == _key(CONSENSUS_USER)
        )

    def coder(self, guid: str | None, description: str) -> tuple[str, User | None, str]:
        """(layer, coder, coder_label) for a coding by the file's user `guid`."""
        self.counts[guid] += 1
        if self.is_consensus(guid):
            recorded = _RECORDED_BY.match(description.strip())
            return Layer.CONSENSUS, self.find(recorded.group(1)) if recorded else None, ""
        name = self.label(guid)
        user = self.find(name) if guid is not None else None
        return Layer.CODER, user, "" if user is not None else name[:200]

    def label(self, guid: str | None) -> str:
        if guid is None:
            return UNNAMED_CODER
        return self.names.get(guid) or f"{UNNAMED_CODER} {guid[:8]}"

    def summary(self) -> list[CoderSummary]:
        found = []
        for guid, count in self.counts.most_common():
            if self.is_consensus(guid):
                found.append(CoderSummary(CONSENSUS_USER, "The team's agreed coding", count))
                continue
            name = self.label(guid)
            user = self.find(name) if guid is not None else None
            found.append(CoderSummary(name, person_name(user) if user else "", count))
        return found


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    try:
        if timezone.is_naive(moment):
            return timezone.make_aware(moment, UTC)
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _stored(value: refiqda.Value) -> str | None:
    """A REFI value as Coproduce keeps attribute values: as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


_ATTRIBUTE_KINDS = {
    "Text": Attribute.Kind.TEXT,
    "Boolean": Attribute.Kind.BOOLEAN,
    "Integer": Attribute.Kind.NUMBER,
    "Float": Attribute.Kind.NUMBER,
    "Date": Attribute.Kind.DATE,
    "DateTime": Attribute.Kind.DATE,
}


def _attributes(
    project: Project, variables: list[refiqda.Variable], truncate: _Truncations
) -> tuple[dict[str, str], int]:
    """Attribute ids (as Coproduce keys values) for each variable; and how many were made."""
    keys = {}
    made = 0
    for variable in variables:
        name = truncate.name(variable.name, "attribute", "Unnamed attribute")
        attribute, created = Attribute.objects.get_or_create(
            project=project,
            name=name,
            defaults={
                "kind": _ATTRIBUTE_KINDS.get(variable.type, Attribute.Kind.TEXT),
                "description": variable.description[:1000],
            },
        )
        made += created
        keys[variable.guid] = str(attribute.pk)
    return keys, made


def _values_of(held: list[refiqda.VariableValue], keys: dict[str, str]) -> dict[str, str]:
    values = {}
    for item in held:
        stored = _stored(item.value)
        if item.variable_guid in keys and stored is not None:
            values[keys[item.variable_guid]] = stored
    return values


def _matching_sources(project: Project, sources: list[refiqda.Source]) -> dict[str, Source]:
    """Released sources already in the project with the same name and text as the file's."""
    wanted: dict[str, list[refiqda.Source]] = defaultdict(list)
    for candidate in sources:
        wanted[_source_name(candidate)].append(candidate)
    found: dict[str, Source] = {}
    names = list(wanted)
    for start in range(0, len(names), 500):
        existing = Source.objects.filter(project=project, name__in=names[start : start + 500])
        for source in existing.visible():
            for candidate in wanted[source.name]:
                if candidate.text == source.text and candidate.guid not in found:
                    found[candidate.guid] = source
    return found


def _source_name(source: refiqda.Source) -> str:
    return source.name.strip()[: _NAME_LIMITS["source"]] or "Untitled source"


@dataclass
class _Placed:
    """Where the file's selections and codings landed, for the notes attached to them."""

    by_selection: dict[str, int] = field(default_factory=dict)  # -> first segment's id
    by_coding: dict[str, int] = field(default_factory=dict)  # -> segment id


def _segment_key(segment: Segment) -> tuple[Any, ...]:
    return (
        segment.source_id,
        segment.code_id,
        segment.start,
        segment.end,
        segment.layer,
        segment.coder_id,
        segment.coder_label,
    )


def _segments(
    project: Project,
    pairs: list[tuple[refiqda.Source, Source]],
    matched: set[int],
    codes: _Codebook,
    people: _People,
    summary: ImportSummary,
) -> _Placed:
    """Segments for the file's codings, leaving out coding the project already has."""
    existing: dict[tuple[Any, ...], int] = {}
    if matched:
        for segment in Segment.objects.filter(source_id__in=matched).iterator(10_000):
            existing[_segment_key(segment)] = segment.pk
    now = timezone.now()
    undated = 0
    new: dict[tuple[Any, ...], Segment] = {}
    placing: list[tuple[str, str, tuple[Any, ...]]] = []
    for found, source in pairs:
        for selection in found.selections:
            if not 0 <= selection.start < selection.end <= len(source.text):
                continue  # empty once the text was normalised (a lone byte-order mark)
            for coding in selection.codings:
                code = codes.target(coding.code_guid)
                if code is None:
                    continue
                layer, coder, label = people.coder(
                    coding.user_guid or selection.user_guid, selection.description
                )
                coded_at = _aware(coding.created) or _aware(selection.created)
                segment = Segment(
                    project=project,
                    source=source,
                    code=code,
                    start=selection.start,
                    end=selection.end,
                    layer=layer,
                    coder=coder,
                    coder_label=label,
                    coded_at=coded_at or now,
                )
                key = _segment_key(segment)
                placing.append((selection.guid, coding.guid, key))
                if key in existing:
                    summary.segments_already_there += 1
                elif key not in new:  # the same coding twice in the file is added once
                    new[key] = segment
                    undated += coded_at is None
                    summary.consensus_segments += layer == Layer.CONSENSUS
    Segment.objects.bulk_create(new.values(), batch_size=2_000)
    placed = _Placed()
    for selection_guid, coding_guid, key in placing:
        pk = existing[key] if key in existing else new[key].pk
        placed.by_coding[coding_guid] = pk
        placed.by_selection.setdefault(selection_guid, pk)
    summary.segments_created = len(new)
    if undated:
        summary.warnings.append(
            f"{_plural(undated, 'coding has', 'codings have')} no date in the file, so the "
            "time of the import was recorded instead"
        )
    return placed


@dataclass
class _Targets:
    project: list[str]
    sources: dict[str, Source]
    codes: _Codebook
    placed: _Placed


def _memos_from_notes(
    project: Project,
    parsed: refiqda.Project,
    targets: _Targets,
    people: _People,
    truncate: _Truncations,
) -> int:
    """Memos from the file's notes, each on what the note is about. Notes about nothing in
    particular, or about something not imported, become memos on the project."""
    about: dict[str, list[dict[str, int]]] = defaultdict(list)
    for guid in parsed.note_guids:
        about[guid].append({})
    for found in parsed.sources:
        source = targets.sources.get(found.guid)
        if source is None:
            continue
        for guid in found.note_guids:
            about[guid].append({"source_id": source.pk})
        for selection in found.selections:
            segment = targets.placed.by_selection.get(selection.guid)
            target = {"segment_id": segment} if segment else {"source_id": source.pk}
            for guid in selection.note_guids:
                about[guid].append(target)
            for coding in selection.codings:
                coded = targets.placed.by_coding.get(coding.guid)
                for guid in coding.note_guids:
                    about[guid].append({"segment_id": coded} if coded else target)
    stack = list(parsed.codebook.codes)
    while stack:
        code = stack.pop()
        stack.extend(code.children)
        if (mapped := targets.codes.targets.get(code.guid)) is not None:
            for guid in code.note_guids:
                about[guid].append({"code_id": mapped.pk})
    existing: set[tuple[int | None, int | None, int | None, str]] = set(
        Memo.objects.filter(project=project).values_list(
            "source_id", "code_id", "segment_id", "text"
        )
    )
    memos: list[tuple[Memo, datetime | None]] = []
    for note in parsed.notes:
        text = truncate.text((note.text.strip() or note.name.strip()), "memo")
        if not text:
            continue
        author = people.find(people.names.get(note.user_guid or "", ""))
        for target in about.get(note.guid) or [{}]:
            key = (
                target.get("source_id"),
                target.get("code_id"),
                target.get("segment_id"),
                text,
            )
            if key in existing:
                continue
            existing.add(key)
            memo = Memo(project=project, author=author, text=text, **target)
            memos.append((memo, _aware(note.created)))
    Memo.objects.bulk_create([memo for memo, _ in memos])
    # Saving stamps created_at with now; a memo keeps the date it was written in the other tool.
    dated = []
    for memo, created in memos:
        if created is not None:
            memo.created_at = created
            dated.append(memo)
    Memo.objects.bulk_update(dated, ["created_at"])
    return len(memos)


def _cases(
    project: Project,
    cases: list[refiqda.Case],
    keys: dict[str, str],
    sources: dict[str, Source],
    created_sources: set[int],
    truncate: _Truncations,
) -> tuple[int, list[str]]:
    existing = {case.name.casefold(): case for case in Case.objects.filter(project=project)}
    made = 0
    linked: dict[int, Case] = {}
    several = 0
    dropped = 0
    for found in cases:
        name = truncate.name(found.name, "case", "Unnamed case")
        case = existing.get(name.casefold())
        values = _values_of(found.values, keys)
        if case is None:
            case = Case.objects.create(
                project=project,
                name=name,
                description=truncate.text(found.description, "case description"),
                values=values,
            )
            existing[name.casefold()] = case
            made += 1
        elif any(key not in case.values for key in values):
            case.values = {**values, **case.values}
            case.save(update_fields=["values", "updated_at"])
        dropped += len(found.selection_guids) + len(found.code_guids)
        for guid in found.source_guids:
            source = sources.get(guid)
            if source is None or source.pk not in created_sources:
                continue
            if source.pk in linked:
                several += 1
                continue
            linked[source.pk] = case
    by_case: dict[int, list[int]] = defaultdict(list)
    for source_pk, case in linked.items():
        by_case[case.pk].append(source_pk)
    for case_pk, source_pks in by_case.items():
        Source.objects.filter(pk__in=source_pks).update(case_id=case_pk)
    warnings = []
    if several:
        warnings.append(
            f"{several} {'source belongs' if several == 1 else 'sources belong'} to more than "
            "one case in the file; in Coproduce a source is about one case, so each was linked "
            "to the first"
        )
    if dropped:
        warnings.append(
            f"{dropped} links from cases to codes or to coded passages were not imported; in "
            "Coproduce a case links to whole sources"
        )
    return made, warnings


@transaction.atomic
def _import_project(
    by: User,
    project: Project,
    parsed: refiqda.Project,
    name: str,
    kind: str,
    *,
    texts_checked: bool,
) -> ImportSummary:
    texts = [source for source in parsed.sources if _usable_text(source)]
    if texts and project.pseudonymise and not texts_checked:
        raise ServiceError(
            "Confirm that the texts in the file may be shown to the team as they are: "
            "Coproduce does not pseudonymise texts imported from other tools",
            field="texts_checked",
        )
    if not (texts or parsed.codebook.codes or parsed.notes or parsed.cases):
        raise ServiceError(
            "Nothing in the file could be imported: it has no codes, no sources with text, no "
            "notes and no cases",
            field="file",
        )
    # One import into a project's codebook at a time, so two cannot both add the same code.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    summary = ImportSummary(file_name=name, what="project", origin=parsed.origin)
    summary.warnings.extend(_warnings(parsed.warnings))
    empty = [s.name for s in parsed.sources if s.text is not None and not _usable_text(s)]
    if empty:
        listed = ", ".join(f'"{source}"' for source in empty[:20])
        summary.warnings.append(f"These sources have no text, so they were not imported: {listed}")
    truncate = _Truncations()
    codes = _Codebook(project, truncate)
    codes.merge(parsed.codebook.codes, _retired(parsed.sets, parsed.origin))
    summary.codes_created, summary.codes_matched = codes.created, codes.matched
    keys, summary.attributes = _attributes(project, parsed.variables, truncate)
    matched = _matching_sources(project, texts)
    added = len(texts) - len(matched)
    source_import = Import.objects.create(
        project=project,
        file_name=name,
        status=Import.Status.RELEASED,
        pseudonymised=False,
        imported_by=by,
        released_by=by,
        released_at=timezone.now(),
        rows_done=added,
        rows_total=added,
        options={"format": kind, "origin": parsed.origin[:200]},
    )
    summary.import_id = source_import.pk
    new = [
        Source(
            project=project,
            source_import=source_import,
            kind=Source.Kind.TEXT,
            name=truncate.name(found.name, "source", "Untitled source"),
            text=found.text or "",
            values=_values_of(found.values, keys),
        )
        for found in texts
        if found.guid not in matched
    ]
    Source.objects.bulk_create(new, batch_size=1_000)
    made = iter(new)
    by_guid = {
        found.guid: matched[found.guid] if found.guid in matched else next(made) for found in texts
    }
    summary.sources_created, summary.sources_matched = len(new), len(matched)
    people = _People(project, parsed.users)
    pairs = [(found, by_guid[found.guid]) for found in texts]
    placed = _segments(
        project,
        pairs,
        {source.pk for source in matched.values()},
        codes,
        people,
        summary,
    )
    summary.coders = people.summary()
    summary.cases, case_warnings = _cases(
        project,
        parsed.cases,
        keys,
        by_guid,
        {source.pk for source in new},
        truncate,
    )
    summary.memos = _memos_from_notes(
        project,
        parsed,
        _Targets(parsed.note_guids, by_guid, codes, placed),
        people,
        truncate,
    )
    themes, skipped = _themes(
        project, parsed.sets, codes, trusted=parsed.origin.startswith(refiqda.ORIGIN)
    )
    summary.themes = themes
    summary.warnings.extend(
        [*codes.warnings(), *case_warnings, *_sets_warning(skipped), *truncate.warnings()]
    )
    source_import.options = {**source_import.options, "summary": summary.as_json()}
    source_import.save(update_fields=["options", "updated_at"])
    audit.record(
        actor=by,
        action="analysis.imported",
        target=source_import,
        summary=(
            f"Imported {name} into {project.name}: {summary.sources_created} sources, "
            f"{summary.segments_created} coded passages, {summary.codes_created} new codes"
        ),
        organisation_id=project.organisation_id,
    )
    return summary


def summary_of(source_import: Import) -> ImportSummary:
    """What an import of a file from another tool brought in, as recorded when it ran."""
    recorded = source_import.options.get("summary")
    if isinstance(recorded, dict):
        try:
            return ImportSummary.from_json(recorded)
        except TypeError:
            pass  # recorded in another shape: count what is there instead
    return ImportSummary(
        file_name=str(source_import),
        what="project",
        origin=str(source_import.options.get("origin", "")),
        sources_created=source_import.sources.count(),
        segments_created=Segment.objects.filter(source__source_import=source_import).count(),
        import_id=source_import.pk,
    )


def exchange_imports(project: Project) -> "QuerySet[Import]":
    """Files from other tools imported into the project, newest first."""
    return (
        project.imports.filter(options__format__in=sorted(PROJECT_FORMATS))
        .select_related("imported_by")
        .order_by("-created_at", "-pk")
    )
