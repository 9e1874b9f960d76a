"""Theme discovery: groups of similar responses that the codebook does not cover yet, and turning
one of them into a code in one step.

The lead analyst asks for themes; a background task reads the responses nobody has coded (no
segment, no accepted suggestion), has the engine (`coproduce.analysis.suggest.discover`) group
them, and stores each group's name, distinctive words, most typical responses and members on
the `Discovery`. Making a code from a theme adds the code through the codebook's own service and
puts the theme's responses up for review as pending suggestions: nothing is coded until a person
accepts them, so the machine never codes on its own.

Only the latest finished discovery can be turned into codes: an older one describes responses
as they were before newer coding, and its themes may overlap the newer ones.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.analysis.models import (
    Code,
    Dataset,
    Discovery,
    Project,
    Segment,
    Source,
    SourceQuerySet,
    Suggestion,
)
from coproduce.analysis.services import codebook
from coproduce.analysis.suggest import discover
from coproduce.analysis.suggest.discovery import MOST_THEMES
from coproduce.analysis.team import Right, may
from coproduce.core import audit
from coproduce.core.errors import ServiceError

# The engine will group as few as four comments, but a handful of responses is quicker to read
# than to group, and under 20 the themes are mostly noise (the engine's default is then two
# themes of ten).
MIN_RESPONSES = 20
FEWEST_THEMES = 2
# Typical responses copied into the new code's examples: each cut to a line a reader takes in,
# and all of them within the codebook's limit for a definition field.
EXAMPLE_LENGTH = 300
# The engine takes seconds even on 100,000 responses, so a search unfinished after this long was
# lost with its worker, and no longer stops the lead asking again.
LOST_AFTER = timedelta(hours=1)
# Ids sent to the database in one query: well under SQLite's limit on parameters.
CHUNK = 5_000

TOO_FEW = (
    f"Fewer than {MIN_RESPONSES} uncoded responses: there is nothing to group yet. "
    "Import more responses, or look again once fewer of them are coded."
)
GONE = "The dataset was removed before its responses could be read."
FAILED = "Themes could not be found because of an error in Coproduce. Try again later."
STALE = "These themes have been replaced by newer ones. Make the code from the themes shown now."


# Reading


def uncoded_responses(project: Project, dataset: Dataset | None = None) -> SourceQuerySet:
    """Released responses with no coding at all (by anyone, in any layer) and no accepted
    suggestion: what the codebook does not cover yet."""
    found = Source.objects.filter(project=project).visible().responses()
    if dataset is not None:
        found = found.filter(dataset=dataset)
    return found.exclude(
        pk__in=Segment.objects.filter(project=project).values("source_id")
    ).exclude(
        pk__in=Suggestion.objects.filter(project=project, status=Suggestion.Status.ACCEPTED).values(
            "source_id"
        )
    )


def latest(project: Project) -> Discovery | None:
    """The newest request for themes, whatever has become of it."""
    return project.discoveries.order_by("-requested_at", "-pk").first()


def ready(project: Project) -> Discovery | None:
    """The newest discovery that found themes: the one whose themes are shown and made into
    codes."""
    return (
        project.discoveries.filter(status=Discovery.Status.READY)
        .order_by("-requested_at", "-pk")
        .first()
    )


def in_progress(discovery: Discovery | None) -> bool:
    return (
        discovery is not None
        and discovery.status in {Discovery.Status.QUEUED, Discovery.Status.RUNNING}
        and discovery.requested_at > timezone.now() - LOST_AFTER
    )


def skipped(discovery: Discovery) -> int:
    """Responses looked at but left out of every theme (empty, or not in English)."""
    return max(0, discovery.responses - sum(len(theme["members"]) for theme in discovery.themes))


def texts(source_ids: Sequence[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for chunk in _chunks(list(source_ids)):
        found.update(Source.objects.filter(pk__in=chunk).values_list("pk", "text"))
    return found


def _chunks(items: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


# Asking for themes


def _audit(by: User | None, action: str, target: Any, summary: str, project: Project) -> None:
    audit.record(
        actor=by,
        action=f"analysis.{action}",
        target=target,
        summary=summary,
        organisation_id=project.organisation_id,
    )


def _require_lead(by: User, project: Project) -> None:
    if not may(by, project, Right.LEAD):
        raise ServiceError("Only the project's lead analyst can do this", status=403)


@transaction.atomic
def start_discovery(
    *, by: User, project: Project, dataset: Dataset | None = None, themes: int | None = None
) -> Discovery:
    """Queue a search for themes among the uncoded responses (of one dataset, or all of them),
    into `themes` themes or as many as the engine thinks fit."""
    _require_lead(by, project)
    if dataset is not None and dataset.project_id != project.pk:
        raise ServiceError("Choose a dataset from this project", field="dataset")
    if themes is not None and not FEWEST_THEMES <= themes <= MOST_THEMES:
        raise ServiceError(
            f"Ask for between {FEWEST_THEMES} and {MOST_THEMES} themes, or leave it blank",
            field="themes",
        )
    # One search at a time: a second would only replace the first.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    if in_progress(latest(project)):
        raise ServiceError(
            "Themes are already being looked for. Wait for them before asking again.",
            status=409,
        )
    discovery = Discovery.objects.create(project=project, requested_by=by)
    where = f" in {dataset.name}" if dataset else ""
    _audit(
        by,
        "discovery_started",
        discovery,
        f"Asked for themes among uncoded responses{where}",
        project,
    )
    # The tasks module imports the services, so the task is imported only when it is queued.
    from coproduce.analysis.tasks import discover_themes

    dataset_id = dataset.pk if dataset else None
    transaction.on_commit(lambda: discover_themes.enqueue(discovery.pk, dataset_id, themes))
    return discovery


def run_discovery(
    discovery_id: int, *, dataset_id: int | None = None, themes: int | None = None
) -> Discovery:
    """Find the themes (the background task's body)."""
    claimed = Discovery.objects.filter(pk=discovery_id, status=Discovery.Status.QUEUED).update(
        status=Discovery.Status.RUNNING
    )
    discovery = Discovery.objects.select_related("project").get(pk=discovery_id)
    if not claimed:
        return discovery  # already run: a task delivered twice does nothing
    project = discovery.project
    try:
        dataset = (
            Dataset.objects.filter(project=project, pk=dataset_id).first() if dataset_id else None
        )
        if dataset_id and dataset is None:
            return _fail(discovery, GONE)
        rows = list(uncoded_responses(project, dataset).order_by("pk").values_list("pk", "text"))
        discovery.responses = len(rows)
        if len(rows) < MIN_RESPONSES:
            return _fail(discovery, TOO_FEW)
        try:
            found = discover([text for _, text in rows], themes=themes, seed=0)
        except ValueError as refusal:  # too few readable responses, or too few shared words
            return _fail(discovery, _plain(str(refusal)))
    except Exception:
        _fail(discovery, FAILED)
        raise
    ids = [pk for pk, _ in rows]
    discovery.themes = [
        {
            "label": theme.label,
            "words": list(theme.words),
            "typical": [ids[i] for i in theme.typical],
            "members": [ids[i] for i in theme.members],
            # How like the theme's centre each member is: the confidence of the suggestions a
            # code made from the theme puts up, so reviewers see how typical each response is.
            "closeness": [round(value, 3) for value in theme.closeness],
            "code": None,
        }
        for theme in found.themes
    ]
    discovery.status = Discovery.Status.READY
    discovery.error = ""
    discovery.finished_at = timezone.now()
    discovery.save(update_fields=["themes", "status", "error", "finished_at", "responses"])
    return discovery


def _plain(message: str) -> str:
    return message.replace("comments", "responses")


def _fail(discovery: Discovery, message: str) -> Discovery:
    discovery.status = Discovery.Status.FAILED
    discovery.error = message
    discovery.themes = []
    discovery.finished_at = timezone.now()
    discovery.save(update_fields=["status", "error", "themes", "finished_at", "responses"])
    return discovery


# Making a code from a theme


@dataclass(frozen=True)
class Made:
    code: Code
    suggested: int


def theme_of(discovery: Discovery, number: int) -> dict[str, Any]:
    """Theme `number` (counting from 1, as the page shows them)."""
    if not 1 <= number <= len(discovery.themes):
        raise ServiceError("Choose one of the themes shown", field="theme", status=404)
    theme: dict[str, Any] = discovery.themes[number - 1]
    return theme


def suggested_name(theme: dict[str, Any]) -> str:
    label = str(theme["label"]).strip()
    return label[:1].upper() + label[1:]


def examples(theme: dict[str, Any]) -> str:
    """The theme's typical responses, one on each line, most typical first."""
    found = texts(theme["typical"])
    lines: list[str] = []
    for pk in theme["typical"]:
        text = " ".join(found.get(pk, "").split())
        if not text:
            continue
        if len(text) > EXAMPLE_LENGTH:
            text = text[: EXAMPLE_LENGTH - 1].rstrip() + "…"
        if sum(len(line) + 1 for line in lines) + len(text) > codebook.TEXT_MAX:
            break
        lines.append(text)
    return "\n".join(lines)


@transaction.atomic
def make_code(
    *, by: User, discovery: Discovery, number: int, name: str, parent: Code | None = None
) -> Made:
    """Add a code for theme `number`, with its typical responses as examples, and put the
    theme's responses up for review as suggestions of it."""
    project = discovery.project
    _require_lead(by, project)
    locked = Discovery.objects.select_for_update().get(pk=discovery.pk)
    current = ready(project)
    if current is None or current.pk != locked.pk:
        raise ServiceError(STALE, status=409)
    theme = theme_of(locked, number)
    if theme["code"] is not None:
        made = Code.objects.filter(project=project, pk=theme["code"]).first()
        raise ServiceError(
            f"This theme has already been made into the code {made.name}"
            if made
            else "This theme has already been made into a code",
            status=409,
        )
    code = codebook.add_code(
        by=by, project=project, name=name, parent=parent, examples=examples(theme)
    )
    suggested = _suggest(
        project, code, dict(zip(theme["members"], theme["closeness"], strict=True))
    )
    themes = list(locked.themes)
    themes[number - 1] = {**theme, "code": code.pk}
    locked.themes = themes
    locked.save(update_fields=["themes"])
    discovery.themes = themes
    _audit(
        by,
        "discovery_code_made",
        code,
        f"Made the code {code.name} from a theme found among uncoded responses, and put "
        f"{suggested} responses up for review",
        project,
    )
    return Made(code=code, suggested=suggested)


def _suggest(project: Project, code: Code, closeness: dict[int, float]) -> int:
    """Pending suggestions of `code` for the theme's members still in the project, leaving out
    any already coded with it or already suggested it. A suggestion's confidence is how like the
    theme's centre its response is (there is no model of the code yet to say more)."""
    made = 0
    for chunk in _chunks(list(closeness)):
        present = set(
            Source.objects.filter(project=project, pk__in=chunk).values_list("pk", flat=True)
        )
        present -= set(
            Segment.objects.filter(code=code, source_id__in=present).values_list(
                "source_id", flat=True
            )
        )
        present -= set(
            Suggestion.objects.filter(code=code, source_id__in=present).values_list(
                "source_id", flat=True
            )
        )
        Suggestion.objects.bulk_create(
            [
                Suggestion(
                    project=project,
                    source_id=pk,
                    code=code,
                    suggester=None,
                    confidence=closeness[pk],
                )
                for pk in sorted(present)
            ],
            batch_size=1_000,
        )
        made += len(present)
    return made
