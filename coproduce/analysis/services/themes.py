"""Themes: codes grouped into patterns of meaning, moving through Braun and Clarke's phases
from candidate (searching for themes) to reviewed and then defined and named.

A theme groups codes; the coded text stays with the codes, so adding a code to a theme, taking
it out or deleting the theme never changes anyone's coding.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max

from coproduce.accounts.models import User
from coproduce.analysis.models import Code, Project, Theme
from coproduce.core import audit
from coproduce.core.errors import ServiceError

Status = Theme.Status


def _name(project: Project, name: str, *, other_than: Theme | None = None) -> str:
    name = name.strip()
    if not name:
        raise ServiceError("Enter a name for the theme", field="name")
    if len(name) > 200:
        raise ServiceError("The name must be 200 characters or fewer", field="name")
    same = Theme.objects.filter(project=project, name__iexact=name)
    if other_than is not None:
        same = same.exclude(pk=other_than.pk)
    if same.exists():
        raise ServiceError(f"There is already a theme called {name}", field="name")
    return name


def _codes_of(project: Project, codes: Iterable[Code]) -> list[Code]:
    codes = list(codes)
    if any(code.project_id != project.pk for code in codes):
        raise ServiceError("Choose codes from this project's codebook", field="codes")
    return codes


def _record(by: User, theme: Theme, action: str, summary: str) -> None:
    audit.record(
        actor=by,
        action=f"analysis.{action}",
        target=theme,
        summary=summary,
        organisation_id=theme.project.organisation_id,
    )


@transaction.atomic
def add_theme(
    *,
    by: User,
    project: Project,
    name: str,
    definition: str = "",
    codes: Iterable[Code] = (),
) -> Theme:
    """A new candidate theme, placed after the others."""
    last = Theme.objects.filter(project=project).aggregate(last=Max("position"))["last"]
    theme = Theme.objects.create(
        project=project,
        name=_name(project, name),
        definition=definition.strip(),
        position=0 if last is None else last + 1,
    )
    theme.codes.set(_codes_of(project, codes))
    _record(by, theme, "theme_added", f"Added the candidate theme {theme.name}")
    return theme


@transaction.atomic
def change_theme(*, by: User, theme: Theme, name: str, definition: str) -> Theme:
    """Rename a theme or write its definition."""
    definition = definition.strip()
    if theme.status == Status.DEFINED and not definition:
        raise ServiceError(
            "A theme that is defined and named needs its definition: write one, or move the "
            "theme back to reviewed first",
            field="definition",
        )
    old_name = theme.name
    theme.name = _name(theme.project, name, other_than=theme)
    theme.definition = definition
    theme.save(update_fields=["name", "definition", "updated_at"])
    summary = f"Changed the theme {theme.name}"
    if old_name != theme.name:
        summary = f"Renamed the theme {old_name} to {theme.name}"
    _record(by, theme, "theme_changed", summary)
    return theme


@transaction.atomic
def set_status(*, by: User, theme: Theme, status: str) -> Theme:
    """Move a theme between the phases. Only a theme with a definition can be defined and
    named, as naming a theme means saying what it is about."""
    if status not in Status.values:
        raise ServiceError("Choose where the theme has got to", field="status")
    if status == Status.DEFINED and not theme.definition.strip():
        raise ServiceError(
            "Write the theme's definition before marking it as defined and named",
            field="status",
        )
    if status == Status.DEFINED and not theme.codes.exists():
        raise ServiceError(
            "Add the codes the theme brings together before marking it as defined and named",
            field="status",
        )
    if status != theme.status:
        theme.status = status
        theme.save(update_fields=["status", "updated_at"])
        _record(
            by,
            theme,
            "theme_status",
            f"Marked the theme {theme.name} as {theme.get_status_display().lower()}",
        )
    return theme


@transaction.atomic
def add_codes(*, by: User, theme: Theme, codes: Iterable[Code]) -> int:
    """Add codes to a theme; codes already in it are left as they are. Returns how many were
    added."""
    codes = _codes_of(theme.project, codes)
    if not codes:
        raise ServiceError("Choose at least one code", field="codes")
    already = set(theme.codes.values_list("pk", flat=True))
    new = [code for code in codes if code.pk not in already]
    theme.codes.add(*new)
    if new:
        names = ", ".join(code.name for code in new)
        _record(by, theme, "theme_codes_added", f"Added {names} to the theme {theme.name}")
    return len(new)


@transaction.atomic
def remove_code(*, by: User, theme: Theme, code: Code) -> None:
    if not theme.codes.filter(pk=code.pk).exists():
        raise ServiceError(f"{code.name} is not in the theme {theme.name}")
    if theme.status == Status.DEFINED and theme.codes.count() == 1:
        raise ServiceError(
            f"{code.name} is the last code of a defined theme: move the theme back to "
            "reviewed before taking it out"
        )
    theme.codes.remove(code)
    _record(by, theme, "theme_code_removed", f"Took {code.name} out of the theme {theme.name}")


@transaction.atomic
def move_theme(*, by: User, theme: Theme, earlier: bool) -> Theme:
    """Move a theme one place earlier or later in the project's order of themes."""
    themes = list(Theme.objects.filter(project_id=theme.project_id).select_for_update())
    themes.sort(key=lambda each: (each.position, each.name, each.pk))
    index = next(i for i, each in enumerate(themes) if each.pk == theme.pk)
    other = index - 1 if earlier else index + 1
    if not 0 <= other < len(themes):
        raise ServiceError(
            f"{theme.name} is already {'first' if earlier else 'last'}", field="direction"
        )
    themes[index], themes[other] = themes[other], themes[index]
    for position, each in enumerate(themes):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])
    theme.position = other
    _record(by, theme, "theme_moved", f"Moved the theme {theme.name} to place {other + 1}")
    return theme


@transaction.atomic
def delete_theme(*, by: User, theme: Theme) -> None:
    """Delete a theme. Its codes and their coding stay in the codebook."""
    _record(by, theme, "theme_deleted", f"Deleted the theme {theme.name}")
    theme.delete()
