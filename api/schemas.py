"""Request and response shapes of the staff API (the OpenAPI document is generated from these)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from ninja import Field, Query, Schema

# Ids are bigints in the database: a larger number is refused with 422 rather than failing in a query.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# Far beyond any list a user has, and small enough for every database's OFFSET (PostgreSQL's is a bigint).
MAX_OFFSET = 1_000_000


def page_limit(default: int, maximum: int) -> Any:
    """The `limit` query parameter of a paginated route: 1 to `maximum`, else 422."""
    return Query(default, ge=1, le=maximum, description=f"Antal per sida, högst {maximum}.")


def page_offset() -> Any:
    """The `offset` query parameter of every paginated route: 0 to MAX_OFFSET, else 422."""
    return Query(0, ge=0, le=MAX_OFFSET, description=f"Antal att hoppa över, högst {MAX_OFFSET}.")


class Error(Schema):
    detail: str = Field(description="Vad som gick fel och vad du kan göra.")


class FieldError(Schema):
    loc: list[str | int] = Field(description="Var i begäran felet finns.")
    msg: str
    type: str


class Invalid(Schema):
    detail: str
    errors: list[FieldError] = Field(default_factory=list)


class ChildSummary(Schema):
    id: UUID
    protected: bool = Field(description="Barnet har skyddade personuppgifter.")
    identity_masked: bool = Field(
        description="Sant när barnet har skyddade personuppgifter och du saknar behov: "
        "namn och födelsedatum visas inte."
    )
    given_name: str | None
    family_name: str | None
    birth_date: date | None


class ChildPage(Schema):
    count: int = Field(description="Antal barn som matchar, över alla sidor.")
    limit: int
    offset: int
    items: list[ChildSummary]


class Contact(Schema):
    address: str
    postal_code: str
    city: str
    phone: str


class ChildDetail(Schema):
    id: UUID
    identity_kind: str
    identity_number: str | None = Field(description="12 siffror; tomt när identiteten är maskerad.")
    identity_masked: bool
    given_name: str
    family_name: str
    birth_date: date
    is_expected: bool
    languages: list[str]
    protected: bool
    municipality: str
    basis: str = Field(description="Grunden för din åtkomst: named_person, enrolment eller assignment.")
    contact: Contact | None = Field(description="Adress och telefon; tomt när barnet har skyddade personuppgifter.")


class Unit(Schema):
    id: int
    name: str
    unit_type: str
    area: str
    authority: str


class Enrolment(Schema):
    id: int
    kind: str
    start: date
    end: date | None
    category: str
    unit_masked: bool = Field(description="Sant när enheten döljs för ett barn med skyddade personuppgifter.")
    unit: Unit | None


class Person(Schema):
    name: str
    title: str
    phone: str


class NamedPerson(Schema):
    id: int
    stage: str
    role: str
    start: date
    end: date | None = Field(description="Första dagen personen inte längre är ansvarig; tomt medan uppdraget pågår.")
    current: bool
    masked: bool = Field(description="Sant när person och enhet döljs för ett barn med skyddade personuppgifter.")
    person: Person | None
    unit: Unit | None


class LookupIn(Schema):
    number: str = Field(max_length=20, description="Personnummer, samordningsnummer eller reservnummer.")
    reason: str = Field(max_length=300, description="Varför du söker barnet (sparas i loggen).")
