"""The codebook: adding, changing, moving, merging, splitting and retiring codes, the ready-made
presets, and codebooks in and out as CSV and REFI-QDA (QDC).

Only the lead analyst changes the codebook; the whole team reads it. Nothing here ever deletes
coded text: a retired code keeps its segments (it is only no longer offered for new coding), a
merge moves every segment, decision, memo and theme membership to the code merged into, and a
split moves the chosen segments to the new codes.

The rules that keep the tree readable:

- the names of the codes in use under one parent are different (ignoring case), so a path such
  as "Staff > Competence and training" names one code;
- a code in use never sits inside a retired one: retiring a code retires the codes inside it,
  and nothing is added, moved or restored into a retired code;
- a name never contains " > ", which separates the levels of a path in CSV files.

CSV codebooks have one row per code and these columns (the header row is required; its words
are matched ignoring case, the columns may come in any order, and unknown columns are ignored):

    Parent              the path of the code it sits in, levels separated by " > ";
                        blank for a top-level code (also read: "Path")
    Name                required
    Description         (also read: "Definition")
    When to use it      (also read: "Inclusion")
    When not to use it  (also read: "Exclusion")
    Examples
    Colour              "#" and six hexadecimal digits; blank for the default (also "Color")

A row's parent may be another row of the file (in any order) or a code already in the codebook.
Codes already in the codebook (the same name under the same parent) are left as they are, so
importing the same file twice adds nothing, as does adding the same preset twice.

REFI-QDA codes have a name, a description and a colour only, so a QDC written here puts "When to
use it", "When not to use it" and "Examples" into the description under those headings, and
reading one takes them back out. Each code keeps its REFI-QDA guid, so a codebook that goes to
another tool and comes back is recognised code for code.
"""

import csv
import io
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, QuerySet

from coproduce.accounts.models import User
from coproduce.analysis import refiqda
from coproduce.analysis.models import Code, Decision, Layer, Memo, Project, Segment, Theme
from coproduce.analysis.presets import PRESETS, PresetCode
from coproduce.analysis.services.coding import visible_segments
from coproduce.analysis.team import Right, may
from coproduce.analysis.transcripts import ImportRefused, decode, normalise
from coproduce.core import audit
from coproduce.core.errors import ServiceError
from coproduce.core.spreadsheets import FORMULA_START
from coproduce.core.spreadsheets import row as spreadsheet_row

DEFAULT_COLOUR = "#005eb8"
SEPARATOR = " > "
NAME_MAX = 200
TEXT_MAX = 4000
# A codebook is a few hundred codes at most; these limits only stop a wrong file (a survey
# export chosen by mistake) from being read at all.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_CODES = 5_000

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# Codes made before guids were kept get a guid derived from the code, so the same code always
# exports with the same guid without a write on a read-only page.
_GUID_NAMESPACE = uuid.UUID("0d8f2f4e-33b4-4a8e-9a0e-6f1d8c5f2b71")

DEFINITION_FIELDS = ("name", "description", "inclusion", "exclusion", "examples", "colour")


# ---------------------------------------------------------------------------------------------
# Reading the codebook


def code_guid(code: Code) -> str:
    """The code's REFI-QDA guid: the one it came with, or one derived from it for good."""
    try:
        return str(uuid.UUID(code.guid))
    except ValueError:
        return str(uuid.uuid5(_GUID_NAMESPACE, f"{code.project_id}:{code.pk}"))


@dataclass
class Node:
    code: Code
    children: list["Node"] = field(default_factory=list)
    depth: int = 0
    count: int = 0


def current_tree(project: Project, counts: dict[int, int] | None = None) -> list[Node]:
    """The codes in use as a tree, each level in the analyst's order."""
    codes = list(Code.objects.current().filter(project=project).order_by("position", "name"))
    by_parent: dict[int | None, list[Code]] = defaultdict(list)
    ids = {code.pk for code in codes}
    for code in codes:
        # A code in use inside a retired one breaks the rules above; show it at the top rather
        # than lose it.
        by_parent[code.parent_id if code.parent_id in ids else None].append(code)

    def build(parent: int | None, depth: int) -> list[Node]:
        return [
            Node(code, build(code.pk, depth + 1), depth, (counts or {}).get(code.pk, 0))
            for code in by_parent.get(parent, [])
        ]

    return build(None, 0)


def walk(nodes: Iterable[Node]) -> Iterator[Node]:
    """Every node, depth first, each before the codes inside it."""
    stack = list(reversed(list(nodes)))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def paths(project: Project) -> dict[int, str]:
    """Each code's full path ("Staff > Competence and training"), retired codes included."""
    codes = {
        pk: (name, parent)
        for pk, name, parent in Code.objects.filter(project=project).values_list(
            "pk", "name", "parent_id"
        )
    }
    found: dict[int, str] = {}
    for pk in codes:
        names, seen, at = [], set(), pk
        while at is not None and at not in seen:
            seen.add(at)
            name, parent = codes[at]
            names.append(name)
            at = parent
        found[pk] = SEPARATOR.join(reversed(names))
    return found


def segment_counts(user: Any, project: Project) -> dict[int, int]:
    """How many coded segments of each code this user may see."""
    return dict(
        visible_segments(user, project)
        .order_by()
        .values_list("code_id")
        .annotate(count=Count("pk"))
        .values_list("code_id", "count")
    )


def descendants(code: Code) -> set[int]:
    """The ids of every code inside this one, at any depth."""
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent in Code.objects.filter(project_id=code.project_id).values_list(
        "pk", "parent_id"
    ):
        if parent is not None:
            children[parent].append(pk)
    found: set[int] = set()
    stack = list(children[code.pk])
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children[pk])
    return found


# ---------------------------------------------------------------------------------------------
# Checks shared by every change


def _require_lead(by: User, project: Project) -> None:
    if not may(by, project, Right.LEAD):
        raise ServiceError("Only the project's lead analyst can change the codebook", status=403)


def _lock(project: Project, *codes: Code | None) -> None:
    # One change to a project's codebook at a time, so two people cannot both add "Staff" or
    # take the same position; the codes are read again inside the lock, so every check below
    # sees the codebook as it is now, not as it was when the page was shown.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    for code in codes:
        if code is not None:
            code.refresh_from_db()


def clean_name(name: str, *, field: str = "name") -> str:
    name = " ".join(str(name).split())
    if not name:
        raise ServiceError("Enter a name for the code", field=field)
    if len(name) > NAME_MAX:
        raise ServiceError(f"The name must be {NAME_MAX} characters or fewer", field=field)
    if SEPARATOR.strip() in name.split(" "):
        raise ServiceError(
            'A code\'s name cannot contain " > ", which separates levels in a codebook file',
            field=field,
        )
    return name


def clean_text(value: str, *, field: str, label: str) -> str:
    value = str(value).strip()
    if len(value) > TEXT_MAX:
        raise ServiceError(f"{label} must be {TEXT_MAX:,} characters or fewer", field=field)
    return value


def clean_colour(value: str | None, *, field: str = "colour") -> str:
    value = (value or "").strip()
    if not value:
        return DEFAULT_COLOUR
    if not _COLOUR.fullmatch(value):
        raise ServiceError(
            "Enter the colour as # and six hexadecimal digits, for example #007f3b", field=field
        )
    return value.lower()


LABELS = {
    "description": "The description",
    "inclusion": "When to use it",
    "exclusion": "When not to use it",
    "examples": "The examples",
}


def _definition(
    *, name: str, description: str, inclusion: str, exclusion: str, examples: str, colour: str
) -> dict[str, str]:
    return {
        "name": clean_name(name),
        **{
            key: clean_text(value, field=key, label=LABELS[key])
            for key, value in (
                ("description", description),
                ("inclusion", inclusion),
                ("exclusion", exclusion),
                ("examples", examples),
            )
        },
        "colour": clean_colour(colour),
    }


def _siblings(project: Project, parent: Code | None) -> QuerySet[Code]:
    return Code.objects.current().filter(project=project, parent=parent)


def _clash(
    project: Project, parent: Code | None, name: str, *, exclude: int | None = None
) -> Code | None:
    wanted = name.casefold()
    for code in _siblings(project, parent):
        if code.name.casefold() == wanted and code.pk != exclude:
            return code
    return None


def _refuse_clash(project: Project, parent: Code | None, name: str, exclude: int | None) -> None:
    if (found := _clash(project, parent, name, exclude=exclude)) is not None:
        where = f"inside {parent.name}" if parent else "at the top level"
        raise ServiceError(f"There is already a code called {found.name} {where}", field="name")


def _next_position(project: Project, parent: Code | None) -> int:
    highest = Code.objects.filter(project=project, parent=parent).aggregate(Max("position"))
    return (highest["position__max"] or 0) + 1


def _check_parent(project: Project, parent: Code | None) -> None:
    if parent is None:
        return
    if parent.project_id != project.pk:
        raise ServiceError("Choose a code from this project's codebook", field="parent")
    if parent.retired:
        raise ServiceError(
            f"{parent.name} is retired: choose a code in use, or restore it first", field="parent"
        )


def _audit(
    by: User, action: str, target: Any, summary: str, project: Project, **extra: Any
) -> None:
    audit.record(
        actor=by,
        action=f"analysis.{action}",
        target=target,
        summary=summary,
        organisation_id=project.organisation_id,
        **extra,
    )


# ---------------------------------------------------------------------------------------------
# Changing codes


@transaction.atomic
def add_code(
    *,
    by: User,
    project: Project,
    name: str,
    parent: Code | None = None,
    description: str = "",
    inclusion: str = "",
    exclusion: str = "",
    examples: str = "",
    colour: str = DEFAULT_COLOUR,
) -> Code:
    _require_lead(by, project)
    _lock(project, parent)
    values = _definition(
        name=name,
        description=description,
        inclusion=inclusion,
        exclusion=exclusion,
        examples=examples,
        colour=colour,
    )
    _check_parent(project, parent)
    _refuse_clash(project, parent, values["name"], None)
    code = Code.objects.create(
        project=project,
        parent=parent,
        position=_next_position(project, parent),
        guid=str(uuid.uuid4()),
        **values,
    )
    where = f" inside {parent.name}" if parent else ""
    _audit(by, "code_added", code, f"Added the code {code.name}{where}", project)
    return code


@transaction.atomic
def change_code(
    *,
    by: User,
    code: Code,
    name: str | None = None,
    description: str | None = None,
    inclusion: str | None = None,
    exclusion: str | None = None,
    examples: str | None = None,
    colour: str | None = None,
) -> Code:
    """Change a code's name or definition. Arguments left out stay as they are."""
    project = code.project
    _require_lead(by, project)
    _lock(project, code)
    given = {
        "name": name,
        "description": description,
        "inclusion": inclusion,
        "exclusion": exclusion,
        "examples": examples,
        "colour": colour,
    }
    values = _definition(
        **{key: getattr(code, key) if value is None else value for key, value in given.items()}
    )
    changed = [key for key, value in values.items() if getattr(code, key) != value]
    if not changed:
        return code
    if "name" in changed and not code.retired:
        _refuse_clash(project, code.parent, values["name"], code.pk)
    old_name = code.name
    for key in changed:
        setattr(code, key, values[key])
    code.save(update_fields=[*changed, "updated_at"])
    _audit(
        by,
        "code_changed",
        code,
        f"Changed the code {old_name}"
        + (f" (now called {code.name})" if code.name != old_name else ""),
        project,
        changed_fields=changed,
    )
    return code


@transaction.atomic
def move_code(*, by: User, code: Code, parent: Code | None) -> Code:
    """Put the code (and the codes inside it) inside another code, or at the top level."""
    project = code.project
    _require_lead(by, project)
    _lock(project, code, parent)
    if code.retired:
        raise ServiceError("Restore the code before moving it", field="parent")
    if parent is not None and (parent.pk == code.pk or parent.pk in descendants(code)):
        raise ServiceError(
            f"{code.name} cannot go inside itself or one of its own sub-codes", field="parent"
        )
    _check_parent(project, parent)
    if code.parent_id == (parent.pk if parent else None):
        return code
    _refuse_clash(project, parent, code.name, code.pk)
    code.parent = parent
    code.position = _next_position(project, parent)
    code.save(update_fields=["parent", "position", "updated_at"])
    where = f"inside {parent.name}" if parent else "to the top level"
    _audit(by, "code_moved", code, f"Moved the code {code.name} {where}", project)
    return code


@transaction.atomic
def reorder_codes(*, by: User, project: Project, parent: Code | None, order: Sequence[int]) -> None:
    """Put the codes in use directly inside `parent` (or at the top level) in this order."""
    _require_lead(by, project)
    _lock(project, parent)
    siblings = {code.pk: code for code in _siblings(project, parent)}
    if sorted(order) != sorted(siblings) or len(set(order)) != len(order):
        raise ServiceError("The list of codes has changed since the page was shown: try again")
    for position, pk in enumerate(order, start=1):
        if siblings[pk].position != position:
            siblings[pk].position = position
            siblings[pk].save(update_fields=["position", "updated_at"])
    where = f"inside {parent.name}" if parent else "at the top level"
    _audit(by, "codes_reordered", parent or project, f"Reordered the codes {where}", project)


@transaction.atomic
def retire_code(*, by: User, code: Code) -> int:
    """Stop offering the code (and the codes inside it) for new coding. Their coded text stays.
    Returns how many codes were retired."""
    project = code.project
    _require_lead(by, project)
    _lock(project, code)
    if code.retired:
        raise ServiceError(f"{code.name} is already retired")
    inside = descendants(code)
    retired = Code.objects.filter(pk__in={code.pk, *inside}, retired=False).update(retired=True)
    _audit(
        by,
        "code_retired",
        code,
        f"Retired the code {code.name}"
        + (f" and {retired - 1} codes inside it" if retired > 1 else ""),
        project,
    )
    return retired


@transaction.atomic
def restore_code(*, by: User, code: Code) -> int:
    """Offer a retired code for coding again, with the retired codes inside it. A code merged
    into another stays retired: its coding is now the other code's. Returns how many codes were
    restored."""
    project = code.project
    _require_lead(by, project)
    _lock(project, code)
    if not code.retired:
        raise ServiceError(f"{code.name} is in use already")
    if code.merged_into_id is not None:
        raise ServiceError(
            f"{code.name} was merged into {code.merged_into}, which now holds its coding. "
            "Add a new code instead"
        )
    parent = code.parent
    if parent is not None and parent.retired:
        raise ServiceError(f"Restore {parent.name} first: {code.name} is inside it")
    _refuse_clash(project, parent, code.name, code.pk)
    restored = [code.pk]
    # Sub-codes come back too, except any merged away, or any whose name is now taken.
    names: dict[int, set[str]] = defaultdict(set)
    frontier = [code.pk]
    while frontier:
        parent_id = frontier.pop()
        for child in Code.objects.filter(parent_id=parent_id).order_by("position", "name"):
            if child.retired and child.merged_into_id is None:
                if child.name.casefold() in names[parent_id]:
                    continue
                restored.append(child.pk)
                frontier.append(child.pk)
            names[parent_id].add(child.name.casefold())
    Code.objects.filter(pk__in=restored).update(retired=False)
    _audit(
        by,
        "code_restored",
        code,
        f"Restored the code {code.name}"
        + (f" and {len(restored) - 1} codes inside it" if len(restored) > 1 else ""),
        project,
    )
    return len(restored)


@dataclass(frozen=True)
class Merged:
    moved: int  # segments now on the target
    dropped: int  # segments the target already had (same text, coder and layer)


def _segment_key(segment: dict[str, Any]) -> tuple[Any, ...]:
    # A consensus segment is the team's, whoever recorded it; a coder's segment is theirs.
    if segment["layer"] == Layer.CONSENSUS:
        return (segment["source_id"], segment["layer"], segment["start"], segment["end"])
    return (
        segment["source_id"],
        segment["layer"],
        segment["start"],
        segment["end"],
        segment["coder_id"],
        segment["coder_label"],
    )


_KEY_FIELDS = ("pk", "source_id", "layer", "start", "end", "coder_id", "coder_label")


@transaction.atomic
def merge_codes(*, by: User, source: Code, target: Code) -> Merged:
    """Merge `source` into `target`: all its coding, decisions, memos, theme memberships and
    sub-codes move to the target, and `source` is retired, marked as merged into the target.

    Where the target already codes the same text for the same coder and layer, the source's
    segment is dropped rather than doubled, and its memos move to the target's segment."""
    project = source.project
    _require_lead(by, project)
    _lock(project, source, target)
    if target.project_id != source.project_id:
        raise ServiceError("Choose a code from this project's codebook", field="target")
    if target.pk == source.pk:
        raise ServiceError("Choose a different code to merge into", field="target")
    if target.retired:
        raise ServiceError(
            f"{target.name} is retired: choose a code in use, or restore it first",
            field="target",
        )
    if target.pk in descendants(source):
        raise ServiceError(
            f"{target.name} is inside {source.name}. Merge {target.name} into {source.name} "
            f"instead, or move it out first",
            field="target",
        )
    target_names = {child.name.casefold() for child in _siblings(project, target)}
    for child in _siblings(project, source):
        if child.name.casefold() in target_names:
            raise ServiceError(
                f"Both codes have a sub-code called {child.name}: merge or rename one of them "
                "first",
                field="target",
            )

    kept: dict[tuple[Any, ...], int] = {}
    for segment in (
        Segment.objects.filter(
            code=target,
            source_id__in=Segment.objects.filter(code=source).values("source_id"),
        )
        .values(*_KEY_FIELDS)
        .iterator(chunk_size=5_000)
    ):
        kept.setdefault(_segment_key(segment), segment["pk"])
    doubles: dict[int, int] = {}
    for segment in Segment.objects.filter(code=source).values(*_KEY_FIELDS).iterator(5_000):
        key = _segment_key(segment)
        if key in kept:
            doubles[segment["pk"]] = kept[key]
        else:
            kept[key] = segment["pk"]
    for dropped, keeper in doubles.items():
        Memo.objects.filter(segment_id=dropped).update(segment_id=keeper)
    for batch in _batches(list(doubles), 5_000):
        Segment.objects.filter(pk__in=batch).delete()
    moved = Segment.objects.filter(code=source).update(code=target)

    Decision.objects.filter(code=source).update(code=target)
    Memo.objects.filter(code=source).update(code=target)
    Membership = Theme.codes.through
    themes = set(Membership.objects.filter(code=source).values_list("theme_id", flat=True))
    already = set(
        Membership.objects.filter(code=target, theme_id__in=themes).values_list(
            "theme_id", flat=True
        )
    )
    Membership.objects.bulk_create(
        [Membership(theme_id=theme, code_id=target.pk) for theme in themes - already]
    )
    Membership.objects.filter(code=source).delete()

    position = _next_position(project, target)
    for offset, child in enumerate(Code.objects.filter(parent=source).order_by("position")):
        child.parent = target
        child.position = position + offset
        child.save(update_fields=["parent", "position", "updated_at"])
    # Codes merged into the source before now point at where their coding went.
    Code.objects.filter(merged_into=source).update(merged_into=target)
    source.retired = True
    source.merged_into = target
    source.save(update_fields=["retired", "merged_into", "updated_at"])
    _audit(
        by,
        "codes_merged",
        target,
        f"Merged the code {source.name} into {target.name}: {moved} segments moved, "
        f"{len(doubles)} already there",
        project,
    )
    return Merged(moved=moved, dropped=len(doubles))


def _batches(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class SplitPart:
    """One new code made by a split, and the ids of the segments that move to it."""

    name: str
    segment_ids: Sequence[int]
    description: str = ""
    colour: str | None = None


@transaction.atomic
def split_code(
    *, by: User, code: Code, parts: Sequence[SplitPart], inside: bool = False
) -> list[Code]:
    """Make new codes from some of a code's segments: each new code takes the segments given for
    it; the rest stay where they are. New codes go beside the code, or inside it."""
    project = code.project
    _require_lead(by, project)
    _lock(project, code)
    if code.retired:
        raise ServiceError(f"{code.name} is retired: restore it before splitting it")
    if not parts:
        raise ServiceError("Name the new code", field="name")
    parent = code if inside else code.parent
    names: set[str] = set()
    claimed: dict[int, str] = {}
    cleaned = []
    for part in parts:
        name = clean_name(part.name)
        if name.casefold() in names:
            raise ServiceError(f"Two of the new codes are called {name}", field="name")
        names.add(name.casefold())
        _refuse_clash(project, parent, name, None)
        ids = {int(pk) for pk in part.segment_ids}
        if not ids:
            raise ServiceError(f"Choose the coded text that moves to {name}", field="segments")
        for pk in ids:
            if pk in claimed:
                raise ServiceError(
                    f"Each coded extract can move to one new code only, but one was chosen "
                    f"for both {claimed[pk]} and {name}",
                    field="segments",
                )
            claimed[pk] = name
        cleaned.append(
            (
                name,
                ids,
                clean_text(part.description, field="description", label=LABELS["description"]),
                clean_colour(part.colour) if part.colour else code.colour,
            )
        )
    found = Segment.objects.filter(code=code, pk__in=list(claimed)).count()
    if found != len(claimed):
        raise ServiceError(
            f"Some of the chosen coded text is not coded {code.name} any more: reload the page "
            "and choose again",
            field="segments",
        )
    made = []
    position = _next_position(project, parent)
    for offset, (name, ids, description, colour) in enumerate(cleaned):
        new = Code.objects.create(
            project=project,
            parent=parent,
            name=name,
            description=description,
            colour=colour,
            position=position + offset,
            guid=str(uuid.uuid4()),
        )
        ranges = set(
            Segment.objects.filter(pk__in=ids, layer=Layer.CONSENSUS).values_list(
                "source_id", "start", "end"
            )
        )
        Segment.objects.filter(pk__in=ids).update(code=new)
        # The decision behind a consensus segment goes with it.
        for source_id, start, end in ranges:
            Decision.objects.filter(code=code, source_id=source_id, start=start, end=end).update(
                code=new
            )
        made.append(new)
    _audit(
        by,
        "code_split",
        code,
        f"Split {len(claimed)} segments of {code.name} into " + ", ".join(new.name for new in made),
        project,
    )
    return made


# ---------------------------------------------------------------------------------------------
# Adding many codes at once: presets and files


@dataclass
class Planned:
    """A code to add unless the codebook has it already, and the codes to add inside it."""

    name: str
    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    examples: str = ""
    colour: str = DEFAULT_COLOUR
    guid: str = ""
    children: list["Planned"] = field(default_factory=list)


def _planned(
    definition: dict[str, str], *, guid: str = "", children: list[Planned] | None = None
) -> Planned:
    return Planned(
        name=definition["name"],
        description=definition["description"],
        inclusion=definition["inclusion"],
        exclusion=definition["exclusion"],
        examples=definition["examples"],
        colour=definition["colour"],
        guid=guid,
        children=children or [],
    )


@dataclass(frozen=True)
class Added:
    added: list[Code]
    present: int  # codes the codebook had already, left as they were
    warnings: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        added = len(self.added)
        text = f"{added} {'code' if added == 1 else 'codes'} added"
        if self.present:
            text += f"; {self.present} {'was' if self.present == 1 else 'were'} there already"
        return text


def _add_planned(
    by: User, project: Project, under: Code | None, planned: Sequence[Planned]
) -> tuple[list[Code], int]:
    """Add the planned codes under `under`, matching ones already there by guid (anywhere in the
    codebook) or by name (among the codes in use under the same parent)."""
    by_guid = {code_guid(code): code for code in Code.objects.current().filter(project=project)}
    guids_taken = set(Code.objects.filter(project=project).values_list("guid", flat=True))
    children: dict[int | None, dict[str, Code]] = {}
    positions: dict[int | None, int] = {}
    added: list[Code] = []
    present = 0

    def existing(parent: Code | None) -> dict[str, Code]:
        key = parent.pk if parent else None
        if key not in children:
            children[key] = {
                code.name.casefold(): code for code in _siblings(project, parent).order_by("pk")
            }
            positions[key] = _next_position(project, parent)
        return children[key]

    stack: list[tuple[Code | None, Planned]] = [(under, item) for item in reversed(planned)]
    while stack:
        parent, item = stack.pop()
        there = existing(parent)
        code = by_guid.get(item.guid) if item.guid else None
        code = code or there.get(item.name.casefold())
        if code is not None:
            present += 1
        else:
            key = parent.pk if parent else None
            guid = item.guid if item.guid and item.guid not in guids_taken else str(uuid.uuid4())
            guids_taken.add(guid)
            code = Code.objects.create(
                project=project,
                parent=parent,
                name=item.name,
                description=item.description,
                inclusion=item.inclusion,
                exclusion=item.exclusion,
                examples=item.examples,
                colour=item.colour,
                position=positions[key],
                guid=guid,
            )
            positions[key] += 1
            there[code.name.casefold()] = code
            by_guid[guid] = code
            added.append(code)
        stack.extend((code, child) for child in reversed(item.children))
    return added, present


def _planned_preset(codes: Sequence[PresetCode], colour: str) -> list[Planned]:
    return [
        Planned(
            name=code.name,
            description=code.full_description,
            colour=code.colour or colour,
            children=_planned_preset(code.children, code.colour or colour),
        )
        for code in codes
    ]


@transaction.atomic
def add_preset(*, by: User, project: Project, preset: str) -> Added:
    """Add a ready-made codebook's codes, except those the project has already."""
    _require_lead(by, project)
    if preset not in PRESETS:
        raise ServiceError("Choose one of the ready-made codebooks", field="preset")
    chosen = PRESETS[preset]
    _lock(project)
    added, present = _add_planned(by, project, None, _planned_preset(chosen.codes, DEFAULT_COLOUR))
    _audit(
        by,
        "codebook_preset_added",
        project,
        f"Added {len(added)} codes from {chosen.name}",
        project,
    )
    return Added(added, present)


def _check_file(data: bytes) -> None:
    if not data:
        raise ImportRefused("The file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, which is far more "
            "than any codebook. Check that you chose the right file"
        )


def _too_many() -> ImportRefused:
    return ImportRefused(f"The file has more than {MAX_CODES:,} codes, more than any codebook")


def _file_definition(values: dict[str, str], where: str) -> dict[str, str]:
    """A code's fields from a file, checked, with the place in the file in any refusal."""
    try:
        return _definition(
            name=values.get("name", ""),
            description=values.get("description", ""),
            inclusion=values.get("inclusion", ""),
            exclusion=values.get("exclusion", ""),
            examples=values.get("examples", ""),
            colour=values.get("colour", ""),
        )
    except ServiceError as error:
        raise ImportRefused(f"{where}: {error.message}") from None


def _finish_import(by: User, project: Project, kind: str, result: Added) -> Added:
    _audit(
        by,
        "codebook_imported",
        project,
        f"Imported a {kind} codebook: {result.message}",
        project,
    )
    return result


# CSV


CSV_HEADER = (
    "Parent",
    "Name",
    "Description",
    "When to use it",
    "When not to use it",
    "Examples",
    "Colour",
)
_CSV_COLUMNS = {
    "parent": "parent",
    "path": "parent",
    "parent path": "parent",
    "name": "name",
    "code": "name",
    "description": "description",
    "definition": "description",
    "when to use it": "inclusion",
    "inclusion": "inclusion",
    "when not to use it": "exclusion",
    "exclusion": "exclusion",
    "examples": "examples",
    "example": "examples",
    "colour": "colour",
    "color": "colour",
}


def split_path(text: str) -> tuple[str, ...]:
    """("Staff", "Competence and training") from "Staff > Competence and training"."""
    return tuple(part.strip() for part in " ".join(text.split()).split(SEPARATOR) if part.strip())


def _unprotect(value: str) -> str:
    # Downloads put an apostrophe before text a spreadsheet would run as a formula; reading a
    # codebook back takes it off again.
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def _csv_rows(text: str) -> list[list[str]]:
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_CODES + 1:
                raise _too_many()
    except csv.Error as error:
        raise ImportRefused(
            f"Line {reader.line_num} is not valid CSV ({error}). Save the file from your "
            "spreadsheet as CSV and try again"
        ) from None
    return rows


def read_codebook_csv(data: bytes) -> list[tuple[tuple[str, ...], Planned, str]]:
    """The codes in a CSV file, each with its parent's path and where it is in the file,
    checked for everything that does not need the database."""
    _check_file(data)
    text = normalise(decode(data))
    if not text.strip():
        raise ImportRefused("The file is empty")
    rows = _csv_rows(text)
    header = [cell.strip().casefold() for cell in rows[0]] if rows else []
    columns: dict[str, int] = {}
    for index, heading in enumerate(header):
        name = _CSV_COLUMNS.get(" ".join(heading.lstrip("\ufeff").split()))
        if name is None:
            continue
        if name in columns:
            raise ImportRefused(
                f'The header row has two columns for "{name}" ({rows[0][columns[name]]} and '
                f"{rows[0][index]}): keep one"
            )
        columns[name] = index
    if "name" not in columns:
        raise ImportRefused(
            'The first row must be a header row with a "Name" column. The columns Coproduce '
            "reads are " + ", ".join(CSV_HEADER)
        )
    found: list[tuple[tuple[str, ...], Planned, str]] = []
    seen: dict[tuple[str, ...], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise ImportRefused(
                f"Row {number} has {len(row)} cells but the header row has {len(header)}. "
                "Check for a comma that should be inside quotes"
            )
        values = {
            name: _unprotect(row[index]) if index < len(row) else ""
            for name, index in columns.items()
        }
        where = f"Row {number}"
        definition = _file_definition(values, where)
        path = split_path(values.get("parent", ""))
        key = tuple(part.casefold() for part in (*path, definition["name"]))
        if key in seen:
            where_in = f"inside {SEPARATOR.join(path)}" if path else "at the top level"
            raise ImportRefused(
                f"Rows {seen[key]} and {number} both add a code called {definition['name']} "
                f"{where_in}: a name can be used once under each parent"
            )
        seen[key] = number
        found.append((path, _planned(definition), where))
    if not found:
        raise ImportRefused("The file has a header row but no codes")
    return found


@transaction.atomic
def import_csv(*, by: User, project: Project, data: bytes) -> Added:
    """Add the codes in a CSV codebook (see the module's description for its columns), whole
    or not at all."""
    _require_lead(by, project)
    rows = read_codebook_csv(data)
    _lock(project)
    in_use = set(Code.objects.current().filter(project=project).values_list("pk", flat=True))
    existing = {
        tuple(part.casefold() for part in path.split(SEPARATOR)): pk
        for pk, path in paths(project).items()
        if pk in in_use
    }
    by_key = {
        tuple(part.casefold() for part in (*path, planned.name)): planned
        for path, planned, _ in rows
    }
    roots: dict[int | None, list[Planned]] = defaultdict(list)
    for path, planned, where in rows:
        parent_key = tuple(part.casefold() for part in path)
        if not parent_key:
            roots[None].append(planned)
        elif parent_key in by_key:
            by_key[parent_key].children.append(planned)
        elif parent_key in existing:
            roots[existing[parent_key]].append(planned)
        else:
            raise ImportRefused(
                f"{where}: its parent {SEPARATOR.join(path)} is neither a code in the file nor "
                "one in use in the codebook"
            )
    added: list[Code] = []
    present = 0
    under = Code.objects.in_bulk([pk for pk in roots if pk is not None])
    for parent_pk, inside in roots.items():
        parent = under[parent_pk] if parent_pk is not None else None
        more, there = _add_planned(by, project, parent, inside)
        added += more
        present += there
    return _finish_import(by, project, "CSV", Added(added, present))


def export_csv(project: Project) -> bytes:
    """The codes in use as a CSV file that `import_csv` reads back, parents before children.

    It starts with a byte-order mark so that Excel reads names with accents correctly."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(CSV_HEADER)
    names: dict[int, str] = {}
    for node in walk(current_tree(project)):
        code = node.code
        parent = names.get(code.parent_id) if code.parent_id else None
        names[code.pk] = f"{parent}{SEPARATOR}{code.name}" if parent else code.name
        writer.writerow(
            spreadsheet_row(
                [
                    parent or "",
                    code.name,
                    code.description,
                    code.inclusion,
                    code.exclusion,
                    code.examples,
                    code.colour,
                ]
            )
        )
    return ("\ufeff" + text.getvalue()).encode("utf-8")


# REFI-QDA codebooks (QDC)


_SECTIONS = (
    ("inclusion", "When to use it"),
    ("exclusion", "When not to use it"),
    ("examples", "Examples"),
)
_SECTIONED = re.compile(
    r"(?P<description>.*?)"
    + "".join(
        rf"(?:(?:\A|\n\n){re.escape(heading)}:\n(?P<{key}>.*?))?" for key, heading in _SECTIONS
    )
    + r"\Z",
    re.DOTALL,
)


def qdc_description(code: Code) -> str:
    """The description and the notes on using the code, as one text under headings."""
    parts = [code.description] if code.description else []
    for key, heading in _SECTIONS:
        if value := getattr(code, key):
            parts.append(f"{heading}:\n{value}")
    return "\n\n".join(parts)


def split_description(text: str) -> dict[str, str]:
    """`qdc_description` read back: the description and the notes under each heading."""
    match = _SECTIONED.fullmatch(text)
    if match is None:  # pragma: no cover - every text matches: all but the first part is optional
        return {"description": text}
    return {key: (value or "").strip() for key, value in match.groupdict().items()}


def export_qdc(project: Project) -> bytes:
    """The codes in use as a REFI-QDA codebook (.qdc)."""
    nodes = current_tree(project)
    if not nodes:
        raise ServiceError("The codebook has no codes in use to export")

    def convert(node: Node) -> refiqda.Code:
        code = node.code
        return refiqda.Code(
            guid=code_guid(code),
            name=code.name,
            description=qdc_description(code),
            colour=code.colour.upper(),
            children=[convert(child) for child in node.children],
        )

    return refiqda.write_qdc(refiqda.Codebook([convert(node) for node in nodes]))


def read_codebook_qdc(data: bytes) -> tuple[list[Planned], list[str]]:
    """The codes in a QDC file, checked, and what was changed to fit them into Coproduce."""
    _check_file(data)
    codebook = refiqda.read_qdc(data)
    warnings = list(codebook.warnings)
    renamed: list[str] = []
    not_codable = 0
    count = 0

    def convert(code: refiqda.Code, path: tuple[str, ...]) -> Planned:
        nonlocal not_codable, count
        count += 1
        if count > MAX_CODES:
            raise _too_many()
        name = code.name
        if SEPARATOR.strip() in name.split():
            # Other tools allow any name; " > " is kept for paths in CSV files.
            name = " ".join("/" if word == SEPARATOR.strip() else word for word in name.split())
            renamed.append(code.name)
        not_codable += not code.is_codable
        values = {
            "name": name,
            **split_description(normalise(code.description)),
            "colour": (code.colour or DEFAULT_COLOUR).lower(),
        }
        definition = _file_definition(values, f"The code {SEPARATOR.join((*path, code.name))}")
        inside = (*path, definition["name"])
        children = unique([convert(child, inside) for child in code.children], inside)
        return _planned(definition, guid=code.guid, children=children)

    def unique(planned: list[Planned], path: tuple[str, ...]) -> list[Planned]:
        names: set[str] = set()
        for item in planned:
            if item.name.casefold() in names:
                where = f"inside {SEPARATOR.join(path)}" if path else "at the top level"
                raise ImportRefused(
                    f"The file has two codes called {item.name} {where}: a name can be used "
                    "once under each parent"
                )
            names.add(item.name.casefold())
        return planned

    top = unique([convert(code, ()) for code in codebook.codes], ())
    if renamed:
        listed = ", ".join(renamed[:10]) + (" and others" if len(renamed) > 10 else "")
        warnings.append(
            f'" > " was replaced by " / " in the names of {len(renamed)} codes ({listed}), '
            "because it separates levels in Coproduce's codebook files"
        )
    if not_codable:
        warnings.append(
            f"{not_codable} codes were marked in the other tool as headings not to be applied; "
            "in Coproduce they can be applied like any other code"
        )
    if codebook.sets:
        warnings.append(
            f"The file's {len(codebook.sets)} sets of codes were not imported: group codes into "
            "themes instead"
        )
    return top, warnings


@transaction.atomic
def import_qdc(*, by: User, project: Project, data: bytes) -> Added:
    """Add the codes in a REFI-QDA codebook, whole or not at all. Codes the project has (by
    guid, or by name under the same parent) are left as they are."""
    _require_lead(by, project)
    planned, warnings = read_codebook_qdc(data)
    _lock(project)
    added, present = _add_planned(by, project, None, planned)
    return _finish_import(by, project, "REFI-QDA", Added(added, present, warnings))


def import_file(*, by: User, project: Project, name: str, data: bytes) -> Added:
    """A codebook file chosen by its name's extension: .csv or .qdc."""
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return import_csv(by=by, project=project, data=data)
    if lowered.endswith(".qdc"):
        return import_qdc(by=by, project=project, data=data)
    raise ImportRefused("Choose a CSV file (.csv) or a REFI-QDA codebook (.qdc)")
