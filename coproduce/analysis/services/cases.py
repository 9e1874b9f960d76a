"""Cases (a person, a site, a group) and the typed attributes that describe them and sources.

An attribute's values live on cases (`Case.values`) and on survey responses (`Source.values`),
keyed by the attribute's id as text, so renaming an attribute rewrites nothing. Values typed
into Coproduce are checked against the attribute's kind and kept in one canonical form (a
number as a JSON number, a date as "YYYY-MM-DD", yes or no as true or false). Responses keep
the text their spreadsheet held; `parse_value` and `display_value` read both forms alike.
"""

import datetime
import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, Func, TextField
from django.db.models.sql.compiler import SQLCompiler

from coproduce.accounts.models import User
from coproduce.analysis.models import Attribute, Case, Project, Source
from coproduce.core import audit
from coproduce.core.errors import ServiceError

TEXT_LIMIT = 500
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
_UK_DATE = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$")

Kind = Attribute.Kind


def field_name(attribute: Attribute) -> str:
    """The form field, and the ServiceError field, that holds this attribute's value."""
    return f"attribute_{attribute.pk}"


class InvalidValue(ValueError):
    """A value that does not fit its attribute's kind; the message says what would."""


def _number(raw: Any) -> int | float:
    if isinstance(raw, bool):
        raise InvalidValue
    if isinstance(raw, int):
        return raw
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        raise InvalidValue from None
    if not number.is_finite():
        raise InvalidValue
    return int(number) if number == number.to_integral_value() else float(number)


def _date(raw: Any) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = str(raw).strip()
    try:
        if match := _UK_DATE.match(text):
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidValue from None


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise InvalidValue


def parse_value(kind: str, raw: Any) -> Any:
    """`raw` in the canonical form for an attribute of this kind, or None when it is blank.

    Raises InvalidValue when it does not fit the kind."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if kind == Kind.NUMBER:
        return _number(raw)
    if kind == Kind.DATE:
        return _date(raw).isoformat()
    if kind == Kind.BOOLEAN:
        return _boolean(raw)
    text = str(raw).strip()
    if len(text) > TEXT_LIMIT:
        raise InvalidValue
    return text


def problem(attribute: Attribute) -> str:
    """What to do when a value does not fit `attribute`, in words a person can act on."""
    return {
        Kind.NUMBER: f"{attribute.name} must be a number, like 12 or 3.5",
        Kind.DATE: f"{attribute.name} must be a real date, like 15/3/2026",
        Kind.BOOLEAN: f"{attribute.name} must be yes or no",
    }.get(
        Kind(attribute.kind),
        f"{attribute.name} must be {TEXT_LIMIT} characters or fewer",
    )


def check_value(attribute: Attribute, raw: Any) -> Any:
    """The canonical value, or a ServiceError naming the attribute's field."""
    try:
        return parse_value(attribute.kind, raw)
    except InvalidValue:
        raise ServiceError(problem(attribute), field=field_name(attribute)) from None


def display_value(kind: str, value: Any) -> str:
    """A value as a person reads it: '15 March 2026', 'Yes', '3.5'. Values that do not fit
    their kind (an imported spreadsheet may hold anything) are shown as they are."""
    try:
        parsed = parse_value(kind, value)
    except InvalidValue:
        return str(value)
    if parsed is None:
        return ""
    if kind == Kind.DATE:
        date = datetime.date.fromisoformat(parsed)
        return f"{date.day} {date:%B %Y}"
    if kind == Kind.BOOLEAN:
        return "Yes" if parsed else "No"
    return str(parsed)


def described(
    attributes: Iterable[Attribute], *value_maps: Mapping[str, Any]
) -> list[tuple[Attribute, str]]:
    """Each attribute that has a value, with the value as shown; earlier maps win (a response's
    own values before its case's)."""
    shown = []
    for attribute in attributes:
        key = str(attribute.pk)
        for values in value_maps:
            if values.get(key) not in (None, ""):
                shown.append((attribute, display_value(attribute.kind, values[key])))
                break
    return shown


class ValueOf(Func):
    """The value held under one attribute in a JSON field of values, as text.

    Django's own key transform reads a key that looks like a number ("12") as a position in
    an array, and values are keyed by attribute ids, so this reads the object's key by name.
    SQLite gives numbers and yes-or-no values back untyped (1 for true); `parse_value` reads
    either form.
    """

    output_field = TextField()

    def __init__(self, attribute: Attribute | str, values: str | Expression) -> None:
        self.key = str(attribute.pk) if isinstance(attribute, Attribute) else attribute
        super().__init__(values)

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        if connection.vendor == "postgresql":
            return f"({sql} ->> %s::text)", [*params, self.key]
        return f"json_extract({sql}, %s)", [*params, f"$.{json.dumps(self.key)}"]


# Attributes -------------------------------------------------------------------------------


def _attribute_name(project: Project, name: str, *, other_than: Attribute | None = None) -> str:
    name = name.strip()
    if not name:
        raise ServiceError("Enter a name for the attribute", field="name")
    if len(name) > 100:
        raise ServiceError("The name must be 100 characters or fewer", field="name")
    same = Attribute.objects.filter(project=project, name__iexact=name)
    if other_than is not None:
        same = same.exclude(pk=other_than.pk)
    if same.exists():
        raise ServiceError(f"There is already an attribute called {name}", field="name")
    return name


def _kind(kind: str) -> str:
    if kind not in Kind.values:
        raise ServiceError("Choose what kind of value this attribute holds", field="kind")
    return kind


@transaction.atomic
def add_attribute(
    *, by: User, project: Project, name: str, kind: str, description: str = ""
) -> Attribute:
    attribute = Attribute.objects.create(
        project=project,
        name=_attribute_name(project, name),
        kind=_kind(kind),
        description=description.strip(),
    )
    audit.record(
        actor=by,
        action="analysis.attribute_added",
        target=attribute,
        summary=f"Added the attribute {attribute.name} to {project.name}",
        organisation_id=project.organisation_id,
    )
    return attribute


def _values_that_do_not_fit(attribute: Attribute, kind: str) -> list[str]:
    """Up to three values held for `attribute` that would not fit `kind`: on cases, and the
    distinct values on responses (counted in the database, as there may be a million)."""
    key = str(attribute.pk)
    held: list[Any] = [
        case.values[key]
        for case in Case.objects.filter(project_id=attribute.project_id, values__has_key=key)
    ]
    held += (
        Source.objects.filter(project_id=attribute.project_id, values__has_key=key)
        .annotate(value=ValueOf(key, "values"))
        .order_by()
        .values_list("value", flat=True)
        .distinct()[:10_000]
    )
    misfits: list[str] = []
    for value in held:
        try:
            parse_value(kind, value)
        except InvalidValue:
            if str(value) not in misfits:
                misfits.append(str(value))
            if len(misfits) == 3:
                break
    return misfits


@transaction.atomic
def change_attribute(
    *, by: User, attribute: Attribute, name: str, kind: str, description: str = ""
) -> Attribute:
    """Rename, redescribe or retype an attribute. A new kind is refused while any value held
    would not fit it; cases' values are rewritten in the new kind's form."""
    attribute.name = _attribute_name(_project(attribute), name, other_than=attribute)
    new_kind = _kind(kind)
    if new_kind != attribute.kind:
        misfits = _values_that_do_not_fit(attribute, new_kind)
        if misfits:
            shown = ", ".join(f'"{value}"' for value in misfits)
            raise ServiceError(
                f"{attribute.name} cannot become {Kind(new_kind).label.lower()}: "
                f"some values do not fit, such as {shown}. Change those values first",
                field="kind",
            )
        key = str(attribute.pk)
        for case in Case.objects.filter(project_id=attribute.project_id, values__has_key=key):
            case.values[key] = parse_value(new_kind, case.values[key])
            case.save(update_fields=["values", "updated_at"])
        attribute.kind = new_kind
    attribute.description = description.strip()
    attribute.save()
    audit.record(
        actor=by,
        action="analysis.attribute_changed",
        target=attribute,
        summary=f"Changed the attribute {attribute.name}",
        organisation_id=_project(attribute).organisation_id,
    )
    return attribute


def _project(attribute: Attribute | Case) -> Project:
    return attribute.project


@transaction.atomic
def delete_attribute(*, by: User, attribute: Attribute) -> None:
    """Remove an attribute and its values from every case. Attributes that came from a survey
    import stay while its responses hold them, so a dataset never loses a column silently."""
    project = _project(attribute)
    if Source.objects.filter(project=project, values__has_key=str(attribute.pk)).exists():
        raise ServiceError(
            f"{attribute.name} holds values of imported responses, so it cannot be deleted"
        )
    key = str(attribute.pk)
    for case in Case.objects.filter(project=project, values__has_key=key):
        del case.values[key]
        case.save(update_fields=["values", "updated_at"])
    audit.record(
        actor=by,
        action="analysis.attribute_deleted",
        target=attribute,
        summary=f"Deleted the attribute {attribute.name} from {project.name}",
        organisation_id=project.organisation_id,
    )
    attribute.delete()


# Cases ----------------------------------------------------------------------------------


def _case_name(project: Project, name: str, *, other_than: Case | None = None) -> str:
    name = name.strip()
    if not name:
        raise ServiceError("Enter a name for the case", field="name")
    if len(name) > 200:
        raise ServiceError("The name must be 200 characters or fewer", field="name")
    same = Case.objects.filter(project=project, name__iexact=name)
    if other_than is not None:
        same = same.exclude(pk=other_than.pk)
    if same.exists():
        raise ServiceError(f"There is already a case called {name}", field="name")
    return name


def _merged_values(
    project: Project, current: Mapping[str, Any], values: Mapping[Attribute, Any]
) -> dict[str, Any]:
    """`current` with each given attribute's value checked and set (or removed when blank)."""
    merged = dict(current)
    for attribute, raw in values.items():
        if attribute.project_id != project.pk:
            raise ServiceError("Choose attributes of this project", field=field_name(attribute))
        value = check_value(attribute, raw)
        if value is None:
            merged.pop(str(attribute.pk), None)
        else:
            merged[str(attribute.pk)] = value
    return merged


@transaction.atomic
def add_case(
    *,
    by: User,
    project: Project,
    name: str,
    description: str = "",
    values: Mapping[Attribute, Any] | None = None,
) -> Case:
    case = Case.objects.create(
        project=project,
        name=_case_name(project, name),
        description=description.strip(),
        values=_merged_values(project, {}, values or {}),
    )
    audit.record(
        actor=by,
        action="analysis.case_added",
        target=case,
        summary=f"Added the case {case.name} to {project.name}",
        organisation_id=project.organisation_id,
    )
    return case


@transaction.atomic
def change_case(
    *,
    by: User,
    case: Case,
    name: str,
    description: str = "",
    values: Mapping[Attribute, Any] | None = None,
) -> Case:
    """Change a case. Attributes left out of `values` keep their values; a blank one is
    cleared."""
    project = _project(case)
    case.name = _case_name(project, name, other_than=case)
    case.description = description.strip()
    case.values = _merged_values(project, case.values, values or {})
    case.save()
    audit.record(
        actor=by,
        action="analysis.case_changed",
        target=case,
        summary=f"Changed the case {case.name}",
        organisation_id=project.organisation_id,
    )
    return case


@transaction.atomic
def delete_case(*, by: User, case: Case) -> None:
    """Delete a case; its sources stay, no longer linked to any case."""
    project = _project(case)
    audit.record(
        actor=by,
        action="analysis.case_deleted",
        target=case,
        summary=f"Deleted the case {case.name} from {project.name}",
        organisation_id=project.organisation_id,
    )
    case.delete()


@transaction.atomic
def link_sources(*, by: User, case: Case, sources: Iterable[Source]) -> int:
    """Link sources or responses to a case (moving them from any case they were linked to).
    Returns how many were linked."""
    project = _project(case)
    ids = [source.pk for source in sources if source.project_id == project.pk]
    if not ids:
        raise ServiceError("Choose at least one source", field="sources")
    linked = Source.objects.filter(project=project, pk__in=ids).update(case=case)
    audit.record(
        actor=by,
        action="analysis.sources_linked",
        target=case,
        summary=f"Linked {linked} sources to the case {case.name}",
        organisation_id=project.organisation_id,
    )
    return linked


@transaction.atomic
def unlink_source(*, by: User, case: Case, source: Source) -> None:
    if source.case_id != case.pk:
        raise ServiceError(f"{source.name} is not linked to {case.name}")
    source.case = None
    source.save(update_fields=["case", "updated_at"])
    audit.record(
        actor=by,
        action="analysis.source_unlinked",
        target=case,
        summary=f"Unlinked {source.name} from the case {case.name}",
        organisation_id=_project(case).organisation_id,
    )
