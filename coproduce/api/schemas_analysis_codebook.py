"""The JSON shapes of the codebook and of REFI-QDA exchange in the API.

Names, definitions and colours are checked by the codebook's services, which answer with a
plain-English message naming the field at fault; the limits here only keep a body to a sane
size.
"""

from typing import Literal

from ninja import Field, Schema

from coproduce.api.schemas_analysis import MemoOut

TEXT_LIMIT = 20_000  # well above the services' own limits, so their messages are the ones seen


class CodeRef(Schema):
    id: int
    name: str


class CodeDetailOut(Schema):
    id: int
    parent_id: int | None
    path: str = Field(..., description='Its place in the tree: "Staff > Competence and training"')
    depth: int = Field(..., description="0 for a top-level code")
    name: str
    description: str
    inclusion: str = Field(..., description="When to use it")
    exclusion: str = Field(..., description="When not to use it")
    examples: str
    colour: str
    position: int
    retired: bool = Field(..., description="Not offered for new coding; its coded text is kept")
    merged_into_id: int | None = Field(..., description="The code its coding went to")
    segments: int = Field(..., description="Coded passages the caller may see")
    sources: int = Field(..., description="Sources those passages are in")
    children: list[CodeRef] = Field(..., description="Codes in use directly inside it")
    merged: list[CodeRef] = Field(..., description="Codes merged into it")
    memos: list[MemoOut] = Field(..., description="Memos on the code the caller may read")


class CodeIn(Schema):
    name: str = Field(..., max_length=TEXT_LIMIT)
    parent_id: int | None = Field(None, description="Leave out for a top-level code")
    description: str = Field("", max_length=TEXT_LIMIT)
    inclusion: str = Field("", max_length=TEXT_LIMIT, description="When to use it")
    exclusion: str = Field("", max_length=TEXT_LIMIT, description="When not to use it")
    examples: str = Field("", max_length=TEXT_LIMIT)
    colour: str = Field("", max_length=100, description='"#" and six hexadecimal digits')


class CodePatch(Schema):
    """Anything left out (or null) stays as it is."""

    name: str | None = Field(None, max_length=TEXT_LIMIT)
    description: str | None = Field(None, max_length=TEXT_LIMIT)
    inclusion: str | None = Field(None, max_length=TEXT_LIMIT)
    exclusion: str | None = Field(None, max_length=TEXT_LIMIT)
    examples: str | None = Field(None, max_length=TEXT_LIMIT)
    colour: str | None = Field(None, max_length=100)


class MoveIn(Schema):
    parent_id: int | None = Field(..., description="null for the top level")


class MergeIn(Schema):
    target_id: int = Field(..., description="The code that takes all of this code's coding")


class SplitPartIn(Schema):
    name: str = Field(..., max_length=TEXT_LIMIT)
    description: str = Field("", max_length=TEXT_LIMIT)
    colour: str | None = Field(None, max_length=100, description="Leave out for the code's own")
    segment_ids: list[int] = Field(
        ..., max_length=100_000, description="Ids of the code's segments that move to it"
    )


class SplitIn(Schema):
    parts: list[SplitPartIn] = Field(..., min_length=1, max_length=100)
    inside: bool = Field(False, description="Put the new codes inside the code, not beside it")


class ChangedOut(Schema):
    count: int = Field(..., description="Codes changed: the code and those inside it")
    code: CodeDetailOut


class MergedOut(Schema):
    moved: int = Field(..., description="Coded passages now on the target")
    dropped: int = Field(..., description="Passages the target already had, not doubled")
    target: CodeDetailOut


class PresetOut(Schema):
    key: str
    name: str
    summary: str
    codes: int


class AddedOut(Schema):
    added: list[CodeRef] = Field(..., description="Codes added, parents before children")
    present: int = Field(..., description="Codes the codebook had already, left as they were")
    warnings: list[str] = Field(..., description="What was changed to fit the codes in")
    message: str


# REFI-QDA exchange


class CoderSummaryOut(Schema):
    name: str = Field(..., description="As the file names them")
    matched: str = Field(..., description='Who they are on the team; "" where kept as named')
    segments: int


class ExchangeSummaryOut(Schema):
    file_name: str
    what: Literal["project", "codebook"]
    origin: str = Field(..., description="The tool that wrote the file, where it says")
    codes_created: int
    codes_matched: int
    sources_created: int
    sources_matched: int
    segments_created: int
    segments_already_there: int
    consensus_segments: int
    memos: int
    cases: int
    attributes: int
    themes: int
    coders: list[CoderSummaryOut]
    warnings: list[str] = Field(..., description="What could not be brought in, and why")
    import_id: int | None = Field(..., description="The import made; null for a codebook")
