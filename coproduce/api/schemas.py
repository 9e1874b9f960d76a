"""The JSON shapes the API reads and writes. Limits match the models, so bad input is a 422."""

import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import EmailStr, Field, StringConstraints

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
# Spelled out so the OpenAPI document lists them; a test checks they match the models' choices.
PersonKind = Literal["patient", "carer", "public", "staff"]
ContactMethod = Literal["email", "phone", "text", "post"]
Cadence = Literal["monthly", "every_two_months", "quarterly", "twice_a_year", "as_needed"]
MembershipType = Literal["open", "restricted"]
MemberRole = Literal["chair", "co_chair", "member", "facilitator"]
Consent = Literal["contact", "health_information", "share_story", "photograph"]


class Error(Schema):
    detail: str
    field: str | None = None


class TokenRequest(Schema):
    username: Annotated[str, StringConstraints(min_length=1, max_length=150)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class TokenOut(Schema):
    token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the scheme name, not a secret
    expires_in_days: int


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    region: str
    ods_code: str


class GroupIn(Schema):
    organisation_id: int
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
    purpose: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    decisions: str = Field("", max_length=2000)
    who_takes_part: str = Field("", max_length=1000)
    cadence: Cadence = "every_two_months"
    membership_type: MembershipType = "restricted"
    starts_on: datetime.date
    ends_on: datetime.date | None = None


class GroupPatch(Schema):
    name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
        | None
    ) = None
    purpose: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
        | None
    ) = None
    decisions: str | None = Field(None, max_length=2000)
    who_takes_part: str | None = Field(None, max_length=1000)
    cadence: Cadence | None = None
    membership_type: MembershipType | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None


class GroupOut(Schema):
    id: int
    organisation_id: int
    name: str
    purpose: str
    decisions: str
    who_takes_part: str
    cadence: str
    membership_type: str
    starts_on: datetime.date
    ends_on: datetime.date | None


class MembershipIn(Schema):
    person_id: int
    role: MemberRole = "member"
    started_on: datetime.date | None = None


class MembershipEnd(Schema):
    ended_on: datetime.date | None = None


class MembershipOut(Schema):
    id: int
    group_id: int
    person_id: int
    role: str
    started_on: datetime.date
    ended_on: datetime.date | None


class PersonIn(Schema):
    organisation_id: int
    kind: PersonKind
    given_name: Name
    family_name: Name
    email: EmailStr | Literal[""] = ""
    phone: str = Field("", max_length=30)
    address: str = Field("", max_length=300)
    postcode: str = Field("", max_length=10)
    preferred_contact: ContactMethod = "email"
    accessibility_needs: str = Field("", max_length=1000)
    skills_and_experience: str = Field("", max_length=2000)


class PersonPatch(Schema):
    kind: PersonKind | None = None
    given_name: Name | None = None
    family_name: Name | None = None
    email: EmailStr | Literal[""] | None = None
    phone: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=300)
    postcode: str | None = Field(None, max_length=10)
    preferred_contact: ContactMethod | None = None
    accessibility_needs: str | None = Field(None, max_length=1000)
    skills_and_experience: str | None = Field(None, max_length=2000)


class PersonOut(Schema):
    id: int
    organisation_id: int
    kind: str
    given_name: str
    family_name: str
    email: str
    phone: str
    preferred_contact: str


class PersonDetailOut(PersonOut):
    address: str
    postcode: str
    accessibility_needs: str
    skills_and_experience: str
    support_needs: list[str]
    topics: list[str]
    cancer_types: list[str] | None = Field(
        None, description="Only with consent and a role that may see health information"
    )
    pathway_stages: list[str] | None = None
    consent: dict[str, bool | None]


class ConsentIn(Schema):
    kind: Consent
    given: bool
    effective_on: datetime.date | None = None
    note: str = Field("", max_length=500)


class ConsentOut(Schema):
    id: int
    kind: str
    given: bool
    effective_on: datetime.date
    recorded_at: datetime.datetime
