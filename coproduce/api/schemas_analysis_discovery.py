"""The JSON shapes of theme discovery in the API: the themes found among uncoded responses, and
making one of them into a code."""

import datetime
from typing import Literal

from ninja import Field, Schema

from coproduce.api.schemas_analysis_codebook import TEXT_LIMIT, CodeRef

# Spelled out so the OpenAPI document lists them; a test checks they match the model's choices.
DiscoveryStatus = Literal["queued", "running", "ready", "failed"]


class DiscoveryIn(Schema):
    dataset_id: int | None = Field(
        None, description="Only this dataset's responses; leave out for all"
    )
    themes: int | None = Field(
        None, description="How many themes, from 2 to 30; leave out and the number is chosen"
    )


class TypicalOut(Schema):
    id: int
    name: str
    text: str


class DiscoveredThemeOut(Schema):
    number: int = Field(..., description="Its place in the list, from 1: what make-code names")
    label: str = Field(..., description="A first name for it, from its distinctive words")
    words: list[str] = Field(..., description="The words that set it apart, most distinctive first")
    size: int
    typical: list[TypicalOut] = Field(
        ..., description="Its most typical responses, most typical first"
    )
    members: list[int] = Field(..., description="The ids of all its responses")
    code_id: int | None = Field(..., description="The code made from it, if one has been")


class DiscoveryOut(Schema):
    id: int
    status: DiscoveryStatus
    requested_at: datetime.datetime
    finished_at: datetime.datetime | None
    responses: int = Field(..., description="Uncoded responses looked at")
    skipped: int = Field(..., description="Of those, left out of every theme: empty or not English")
    error: str = Field(..., description="Why no themes were found, when it failed")
    themes: list[DiscoveredThemeOut]


class DiscoveryStateOut(Schema):
    latest: DiscoveryOut | None = Field(
        ..., description="The newest request for themes, whatever has become of it"
    )
    ready: DiscoveryOut | None = Field(
        ..., description="The newest one that found themes: the one codes are made from"
    )


class MakeCodeIn(Schema):
    name: str = Field(..., max_length=TEXT_LIMIT)
    parent_id: int | None = Field(None, description="Leave out for a top-level code")


class MadeCodeOut(Schema):
    code: CodeRef
    suggested: int = Field(
        ..., description="Responses put up for review as suggestions of the code (none coded)"
    )
