"""The JSON shapes of analysis projects in the API. Limits match the models, so bad input is a 422.

Offsets (`start`, `end`) are character positions in a source's text, end exclusive, counted in
Unicode code points as Python counts them, so they are the same numbers the pages use.
"""

import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from coproduce.accounts.models import User
from coproduce.analysis.models import Code, Decision, Import, Memo, Project, Segment, Source

# Spelled out so the OpenAPI document lists them; a test checks they match the models' choices.
TeamRoleName = Literal["lead", "coder", "viewer"]
SourceKind = Literal["text", "document", "transcript", "minutes", "response"]
ImportStatus = Literal["queued", "running", "failed", "review", "released"]
LayerName = Literal["coder", "consensus"]
OutcomeName = Literal["agreed", "rejected"]

ProjectName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
SourceName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
MemoText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]


def name_of(user: User | None) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


# Projects and their teams


class ProjectOut(Schema):
    id: int
    organisation_id: int
    name: str
    description: str
    blind: bool = Field(..., description="Coders code without seeing each other's coding")
    coding_is_blind: bool = Field(
        ..., description="Blind and the comparison not yet opened: coders see only their own"
    )
    comparison_opened_at: datetime.datetime | None
    pseudonymise: bool = Field(..., description="New sources are pseudonymised by default")
    keep_originals: bool = Field(
        ..., description="Original text is kept after release, for the lead analyst only"
    )
    role: TeamRoleName | None = Field(..., description="The caller's place in the team")
    created_at: datetime.datetime

    @staticmethod
    def resolve_role(project: Project) -> str | None:
        return getattr(project, "my_role", None)


class ProjectIn(Schema):
    organisation_id: int
    name: ProjectName
    description: str = Field("", max_length=4000)
    blind: bool = True
    pseudonymise: bool = True
    keep_originals: bool = False


class ProjectPatch(Schema):
    name: ProjectName | None = None
    description: str | None = Field(None, max_length=4000)
    blind: bool | None = None
    pseudonymise: bool | None = None
    keep_originals: bool | None = None


class TeamMemberOut(Schema):
    id: int
    user_id: int
    name: str
    role: TeamRoleName

    @staticmethod
    def resolve_name(member: Any) -> str:
        return name_of(member.user) or ""


class TeamRoleIn(Schema):
    role: TeamRoleName


# Sources and imports


class AttributeOut(Schema):
    id: int
    name: str
    kind: str


class CaseOut(Schema):
    id: int
    name: str
    description: str
    values: dict[str, Any] = Field(..., description="Attribute values keyed by attribute id")


class TurnOut(Schema):
    speaker: str
    start: int
    end: int
    starts_at_ms: int | None = None
    ends_at_ms: int | None = None


class SourceOut(Schema):
    id: int
    name: str
    kind: SourceKind
    import_id: int = Field(..., alias="source_import_id")
    released: bool = Field(..., description="Coders and viewers see released sources only")
    dataset_id: int | None
    row: int | None
    case_id: int | None
    length: int = Field(..., description="Characters in the text")
    created_at: datetime.datetime

    @staticmethod
    def resolve_released(source: Source) -> bool:
        return getattr(source, "import_status", None) == Import.Status.RELEASED

    @staticmethod
    def resolve_length(source: Source) -> int:
        return int(getattr(source, "text_length", 0) or 0)


class SourceDetailOut(Schema):
    id: int
    name: str
    kind: SourceKind
    import_id: int
    released: bool
    dataset_id: int | None
    row: int | None
    text: str = Field(..., description="Fixed once released: coding points into it")
    turns: list[TurnOut] = Field(..., description="Speaker turns, as offsets into the text")
    values: dict[str, Any] = Field(..., description="Attribute values keyed by attribute id")
    attributes: list[AttributeOut] = Field(..., description="The attributes `values` names")
    case: CaseOut | None
    original_text: str | None = Field(
        ...,
        description="The text before pseudonymisation: for the lead analyst only, while under "
        "review or where the project keeps originals",
    )


class PasteIn(Schema):
    name: SourceName
    text: Annotated[str, StringConstraints(min_length=1, max_length=2_000_000)]
    pseudonymise: bool | None = Field(None, description="Leave out for the project's setting")


class ImportOut(Schema):
    id: int
    file_name: str
    name: str
    format: str
    status: ImportStatus
    pseudonymised: bool
    rows_done: int
    rows_total: int | None
    error: str = Field(..., description="Why the file was not imported, when it failed")
    created_at: datetime.datetime
    released_at: datetime.datetime | None

    @staticmethod
    def resolve_name(source_import: Import) -> str:
        return str(source_import.options.get("name", ""))

    @staticmethod
    def resolve_format(source_import: Import) -> str:
        return str(source_import.options.get("format", ""))


class ImportOptions(Schema):
    name: str = Field("", max_length=200, description="Leave blank to use the file's name")
    text_column: str = Field(
        "", max_length=200, description="Survey exports: the heading of the column of comments"
    )
    attribute_columns: list[Annotated[str, StringConstraints(max_length=200)]] = Field(
        default_factory=list,
        max_length=100,
        description="Survey exports: headings of columns kept as attributes, one field each",
    )
    sheet: str = Field("", max_length=200, description="Excel: the worksheet; blank for the first")
    pseudonymise: bool | None = Field(None, description="Leave out for the project's setting")


class ReplacementOut(Schema):
    id: int
    source_id: int
    source_name: str = Field(..., alias="source.name")
    kind: str
    original: str = Field(..., description="Empty once released, unless originals are kept")
    placeholder: str
    start: int = Field(..., description="Offset into the original text")
    end: int
    kept: bool = Field(..., description="Not an identifier: the original words stay")


class KeepIn(Schema):
    replacement_ids: list[int] = Field(..., min_length=1, max_length=10_000)


class KeptOut(Schema):
    kept: int = Field(..., description="Replacements newly kept as written")


# Datasets and responses


class DatasetOut(Schema):
    id: int
    name: str
    text_column: str
    import_id: int | None = Field(..., alias="source_import_id")
    status: ImportStatus | None
    rows: int
    attributes: list[AttributeOut]

    @staticmethod
    def resolve_status(dataset: Any) -> str | None:
        return dataset.source_import.status if dataset.source_import else None

    @staticmethod
    def resolve_attributes(dataset: Any) -> list[Any]:
        return list(dataset.attributes.all())


class ResponseOut(Schema):
    id: int
    row: int | None
    text: str
    values: dict[str, Any] = Field(..., description="Attribute values keyed by attribute id")
    case_id: int | None
    codes: list[int] = Field(..., description="Ids of the codes the caller applied to it")

    @staticmethod
    def resolve_codes(response: Source) -> list[int]:
        return sorted({segment.code_id for segment in getattr(response, "my_segments", [])})


class ResponseCodeIn(Schema):
    code_id: int


# Codes, coding and memos


class CodeOut(Schema):
    id: int
    parent_id: int | None
    depth: int = Field(..., description="0 for a top-level code")
    name: str
    description: str
    inclusion: str
    exclusion: str
    examples: str
    colour: str
    position: int
    retired: bool
    merged_into_id: int | None

    @staticmethod
    def resolve_depth(code: Code) -> int:
        return int(getattr(code, "depth", 0))


class SegmentOut(Schema):
    id: int
    source_id: int
    code_id: int
    start: int
    end: int
    text: str = Field(..., description="The coded text")
    layer: LayerName
    coder_id: int | None
    coder_name: str | None = Field(..., description="Or the name given by another tool")
    coded_at: datetime.datetime

    @staticmethod
    def resolve_text(segment: Segment) -> str:
        return str(getattr(segment, "quote", ""))

    @staticmethod
    def resolve_coder_name(segment: Segment) -> str | None:
        return name_of(segment.coder) or segment.coder_label or None


class SegmentIn(Schema):
    source_id: int
    code_ids: list[int] = Field(..., min_length=1, max_length=100)
    start: int = Field(..., ge=0)
    end: int = Field(..., ge=1, description="Exclusive: one past the last character coded")


class MemoOut(Schema):
    id: int
    text: str
    author_id: int | None
    author_name: str | None
    source_id: int | None
    code_id: int | None
    segment_id: int | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_author_name(memo: Memo) -> str | None:
        return name_of(memo.author)


class MemoIn(Schema):
    text: MemoText
    source_id: int | None = None
    code_id: int | None = None
    segment_id: int | None = None


# Agreement and the consensus layer


class AgreementOut(Schema):
    characters: int = Field(..., description="Characters compared (two or more coders)")
    percent: float | None = Field(
        ..., description="Share of compared characters every coder coded alike, 0 to 100"
    )
    kappa: float | None = Field(
        ..., description="Cohen's kappa; the mean over pairs with more than two coders"
    )
    alpha: float | None = Field(..., description="Krippendorff's alpha")
    coders: int


class CodeAgreementOut(AgreementOut):
    code_id: int
    code_name: str


class ComparedSourceOut(Schema):
    source_id: int
    name: str
    coders: int


class ProjectAgreementOut(Schema):
    coding_is_blind: bool
    overall: AgreementOut
    by_code: list[CodeAgreementOut]
    sources: list[ComparedSourceOut] = Field(
        ..., description="Sources two or more people coded, by name (the first 200)"
    )


class CoderOut(Schema):
    id: int
    name: str


class DecisionOut(Schema):
    id: int
    source_id: int
    code_id: int
    start: int
    end: int
    outcome: OutcomeName
    note: str
    decided_by_id: int | None
    decided_by_name: str | None
    decided_at: datetime.datetime

    @staticmethod
    def resolve_decided_by_name(decision: Decision) -> str | None:
        return name_of(decision.decided_by)


class DifferenceOut(Schema):
    code_id: int
    code_name: str
    start: int
    end: int
    text: str
    applied_by: list[int] = Field(..., description="Ids of the coders who applied the code")
    not_applied_by: list[int]
    decision: DecisionOut | None


class SourceAgreementOut(Schema):
    source_id: int
    name: str
    coding_is_blind: bool
    coders: list[CoderOut]
    overall: AgreementOut
    by_code: list[CodeAgreementOut]
    differences: list[DifferenceOut]


class DecisionIn(Schema):
    code_id: int
    start: int = Field(..., ge=0)
    end: int = Field(..., ge=1)
    outcome: OutcomeName
    note: str = Field("", max_length=2000)


class AgreedOut(Schema):
    made: int = Field(..., description="Passages added to the agreed coding")
