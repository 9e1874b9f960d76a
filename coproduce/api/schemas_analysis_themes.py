"""The JSON shapes of themes, cases and attributes, reports and search in the API.

Names and values are checked by the services, which answer with a plain-English message naming
the field at fault; the limits here only keep a body to a sane size.
"""

import datetime
from typing import Any, Literal

from ninja import Field, Schema

from coproduce.analysis.models import Case
from coproduce.analysis.services.cases import described
from coproduce.api.schemas_analysis import AttributeOut, SourceKind
from coproduce.api.schemas_analysis_codebook import TEXT_LIMIT, CodeRef

# Spelled out so the OpenAPI document lists them; a test checks they match the models' choices.
AttributeKind = Literal["text", "number", "date", "boolean"]
ThemeStatusName = Literal["candidate", "reviewed", "defined"]
SearchKind = Literal["documents", "transcripts", "responses"]

# A value typed for an attribute: checked against the attribute's kind by the service.
AttributeValue = str | int | float | bool | None
VALUES_DESCRIPTION = (
    "Attribute values keyed by attribute id: a number, a date as YYYY-MM-DD (or 15/3/2026), "
    "true or false, or text. null or an empty string clears a value"
)


# Attributes


class AttributeDetailOut(Schema):
    id: int
    name: str
    kind: AttributeKind
    description: str
    cases: int = Field(..., description="Cases that hold a value of it")


class AttributeIn(Schema):
    name: str = Field(..., max_length=TEXT_LIMIT)
    kind: AttributeKind = "text"
    description: str = Field("", max_length=TEXT_LIMIT)


class AttributePatch(Schema):
    """Anything left out (or null) stays as it is. A new kind is accepted only if every value
    already held fits it."""

    name: str | None = Field(None, max_length=TEXT_LIMIT)
    kind: AttributeKind | None = None
    description: str | None = Field(None, max_length=TEXT_LIMIT)


# Cases


class CaseValueOut(Schema):
    attribute_id: int
    name: str
    kind: AttributeKind
    value: Any = Field(..., description="As stored: a number, YYYY-MM-DD, true or false, text")
    shown: str = Field(..., description="As a person reads it: 15 March 2026, Yes")


class CaseDetailOut(Schema):
    id: int
    name: str
    description: str
    values: dict[str, Any] = Field(..., description="Attribute values keyed by attribute id")
    attributes: list[CaseValueOut] = Field(
        ..., description="Each attribute the case has a value of"
    )
    sources: int = Field(..., description="Sources and responses linked to it that the caller sees")

    @staticmethod
    def resolve_attributes(case: Case) -> list[dict[str, Any]]:
        # The project's attributes are prefetched with the case, so a page costs one query.
        attributes = list(case.project.attributes.all())
        return [
            {
                "attribute_id": attribute.pk,
                "name": attribute.name,
                "kind": attribute.kind,
                "value": case.values[str(attribute.pk)],
                "shown": shown,
            }
            for attribute, shown in described(attributes, case.values)
        ]

    @staticmethod
    def resolve_sources(case: Case) -> int:
        return int(getattr(case, "source_count", 0) or 0)


class CaseIn(Schema):
    name: str = Field(..., max_length=TEXT_LIMIT)
    description: str = Field("", max_length=TEXT_LIMIT)
    values: dict[str, AttributeValue] = Field(
        default_factory=dict, max_length=1000, description=VALUES_DESCRIPTION
    )


class CasePatch(Schema):
    """Anything left out (or null) stays as it is; attributes left out of `values` keep theirs."""

    name: str | None = Field(None, max_length=TEXT_LIMIT)
    description: str | None = Field(None, max_length=TEXT_LIMIT)
    values: dict[str, AttributeValue] | None = Field(
        None, max_length=1000, description=VALUES_DESCRIPTION
    )


class SourceIdsIn(Schema):
    source_ids: list[int] = Field(..., min_length=1, max_length=10_000)


class LinkedOut(Schema):
    linked: int = Field(..., description="Sources now linked to the case")


# Themes


class ThemeCodeOut(Schema):
    id: int
    name: str
    colour: str
    retired: bool
    depth: int = Field(..., description="0 for a code put in the theme; 1 for a code inside it")
    direct: bool = Field(..., description="Put in the theme itself, not there with its parent")
    segments: int = Field(..., description="Coded passages the caller may see, in the layer asked")


class ThemeOut(Schema):
    id: int
    name: str
    definition: str
    status: ThemeStatusName
    position: int
    segments: int = Field(..., description="Coded passages under all its codes")
    codes: list[ThemeCodeOut] = Field(..., description="Its codes with the codes inside them")


class ThemeIn(Schema):
    name: str = Field(..., max_length=TEXT_LIMIT)
    definition: str = Field("", max_length=TEXT_LIMIT)
    code_ids: list[int] = Field(default_factory=list, max_length=1000)


class ThemePatch(Schema):
    """Anything left out (or null) stays as it is."""

    name: str | None = Field(None, max_length=TEXT_LIMIT)
    definition: str | None = Field(None, max_length=TEXT_LIMIT)


class ThemeCodesIn(Schema):
    code_ids: list[int] = Field(..., min_length=1, max_length=1000)


class ThemeCodesOut(Schema):
    added: int = Field(..., description="Codes added; those already in the theme are not counted")
    theme: ThemeOut


class ThemeStatusIn(Schema):
    status: ThemeStatusName


class ThemeMoveIn(Schema):
    direction: Literal["earlier", "later"]


# Reports


class QuoteAttributeOut(Schema):
    attribute_id: int
    name: str
    value: str


class QuoteOut(Schema):
    theme_id: int
    theme_name: str
    code_id: int
    code_name: str
    text: str
    source_id: int
    source_name: str
    case_name: str
    attributes: list[QuoteAttributeOut] = Field(
        ..., description="The response's own values, then its case's"
    )
    coder: str
    start: int
    end: int


class QuoteThemeOut(Schema):
    id: int
    name: str
    status: ThemeStatusName
    definition: str
    segments: int = Field(..., description="Quotes under it in this report")


class QuotesOut(Schema):
    coding: str = Field(..., description="Whose coding the report reads")
    themes: list[QuoteThemeOut]
    items: list[QuoteOut]
    count: int = Field(..., description="Quotes in the whole report")
    page: int
    pages: int


class FrequencyRowOut(Schema):
    code_id: int
    code_name: str
    depth: int
    retired: bool
    segments: list[int] = Field(..., description="Coded passages per column")
    sources: list[int] = Field(..., description="Sources per column")
    total_segments: int
    total_sources: int


class FrequenciesOut(Schema):
    coding: str
    attribute: AttributeOut | None = Field(..., description="null when the project has none")
    columns: list[str] = Field(..., description="The attribute's values, as people read them")
    folded: int = Field(..., description="Less common values counted together as Other values")
    rows: list[FrequencyRowOut]


class PairOut(Schema):
    first_id: int
    first_name: str
    second_id: int
    second_name: str
    overlaps: int = Field(..., description="Pairs of coded passages that overlap")
    sources: int


class MatrixRowOut(Schema):
    code_id: int
    code_name: str
    overlaps: list[int | None] = Field(..., description="Against each code in order; null itself")


class CoOccurrenceOut(Schema):
    coding: str
    theme_id: int | None
    codes: list[CodeRef]
    pairs: list[PairOut]
    matrix: list[MatrixRowOut] | None = Field(
        ..., description="null when there are too many codes to draw one"
    )
    limited: bool = Field(..., description="Only the commonest pairs are listed")
    stopped: bool = Field(..., description="Counting took too long and was stopped")
    note: str


# Search


class SearchParams(Schema):
    q: str = Field(
        "",
        description='Words that must all appear; "a phrase", either OR or, -left out, nurs*',
    )
    kind: SearchKind | None = None
    code: int | None = Field(None, description="Coded with this code, in coding the caller sees")
    coder: int | None = Field(None, description="Coded by this person")
    attribute: int | None = Field(None, description="With `value`: the source's or its case's")
    value: str = Field("", description="The whole value, in any case")
    added_from: datetime.date | None = Field(
        None, alias="from", description="Added to the project on or after"
    )
    added_to: datetime.date | None = Field(
        None, alias="to", description="Added to the project on or before"
    )
    page: int = Field(1, ge=1, le=1_000_000)


class SearchHitOut(Schema):
    source_id: int
    name: str
    kind: SourceKind
    dataset_id: int | None
    row: int | None
    case_id: int | None
    case_name: str | None
    created_at: datetime.datetime
    snippet: str = Field(
        ...,
        description="HTML: the text escaped, each matching word in <mark> with a hidden "
        '"match:" for screen readers',
    )


class SearchOut(Schema):
    query: str = Field(..., description="The search as it was read")
    summary: str
    total: int
    estimated: bool = Field(..., description="The total is estimated from a sample")
    page: int
    pages: int
    per_page: int
    has_next: bool
    items: list[SearchHitOut]
