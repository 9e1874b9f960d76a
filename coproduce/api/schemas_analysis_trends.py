"""The JSON shapes of a project's trends in the API: the figures of its trends page."""

import datetime
from typing import Literal

from ninja import Field, Schema

PeriodName = Literal["month", "quarter"]
SentimentName = Literal["positive", "neutral", "negative"]


class TrendParams(Schema):
    period: PeriodName = "month"
    suggested: bool = Field(
        False, description="Count the model's pending suggestions and readings as well"
    )
    dataset: int | None = Field(None, description="Only responses of this survey or export")
    attribute: int | None = Field(None, description="With `value`: the response's or its case's")
    value: str = Field("", max_length=200, description="The whole value, in any case")
    start: datetime.date | None = Field(None, alias="from", description="Received on or after")
    end: datetime.date | None = Field(None, alias="to", description="Received on or before")


class PeriodOut(Schema):
    start: datetime.date
    label: str
    responses: int


class CodeTrendOut(Schema):
    code_id: int
    name: str
    confirmed: list[int] = Field(..., description="Responses coded with it, period by period")
    suggested: list[int] = Field(
        ..., description="Responses with a pending suggestion of it and not coded with it"
    )


class SentimentOut(Schema):
    start: datetime.date
    confirmed: dict[str, int] = Field(..., description="Decided by a person")
    suggested: dict[str, int] = Field(
        ..., description="The model's reading, where no person decided"
    )


class ChangeOut(Schema):
    code_id: int
    name: str
    previous: int
    latest: int
    difference: int
    percent: int | None = Field(..., description="null when the previous period had none")
    described: str = Field(..., description='"new", "+150%", "-20%" or "no change"')


class PairOut(Schema):
    first: str
    second: str
    responses: int


class TrendsOut(Schema):
    period: PeriodName
    suggested: bool
    periods: list[PeriodOut]
    undated: int = Field(..., description="Responses without a date, not counted")
    codes: list[CodeTrendOut]
    sentiment: list[SentimentOut]
    latest: datetime.date | None = Field(..., description="The latest complete period")
    previous: datetime.date | None
    changes: list[ChangeOut]
    pairs: list[PairOut] = Field(..., description="Codes given to the same response")


class TrendAskIn(Schema):
    code: int = Field(..., description="The code whose trend the ask is about")
    title: str = Field("", max_length=200, description="What should change; written if blank")
    what_was_said: str = Field("", max_length=5000, description="Written from the figures if blank")
    service_id: int | None = None
    owner_id: int | None = Field(None, description="A member of staff of the organisation")


class TrendAskOut(Schema):
    id: int
    title: str
    what_was_said: str
    url: str
