"""Write Navet-shaped personpost files: the shipped example, the tests' files and the benchmark's large ones."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import IO
from xml.sax.saxutils import escape

NAMESPACE = "http://xmls.skatteverket.se/se/skatteverket/folkbokforing/na/epersondata/V1"


@dataclass
class GuardianPost:
    number: str
    given_name: str
    family_name: str
    start: date | None = None
    end: date | None = None
    relation_type: str = "V"  # V vårdnadshavare; F far, M mor and others are read and not imported


@dataclass
class ChildPost:
    number: str
    given_name: str
    family_name: str
    municipality_code: str
    registered_on: date
    confidentiality: bool = False
    protected_registration: bool = False
    deregistration_code: str = ""
    deregistered_on: date | None = None
    guardians: list[GuardianPost] = field(default_factory=list)


def _element(name: str, value: object) -> str:
    return f"<{name}>{escape(str(value))}</{name}>"


def personpost(post: ChildPost) -> str:
    """Return one Folkbokforingspost element as text."""
    parts = [
        "<Folkbokforingspost><Personpost>",
        f"<PersonId>{_element('PersonNr', post.number)}</PersonId>",
        f"<Namn>{_element('Fornamn', post.given_name)}{_element('Efternamn', post.family_name)}</Namn>",
        "<Folkbokforing>",
        _element("Folkbokforingsdatum", post.registered_on.isoformat()),
        _element("KommunKod", post.municipality_code),
        "</Folkbokforing>",
        _element("Sekretessmarkering", "J" if post.confidentiality else "N"),
        _element("SkyddadFolkbokforing", "J" if post.protected_registration else "N"),
    ]
    if post.deregistration_code:
        parts += [
            "<Avregistrering>",
            _element("AvregistreringsorsakKod", post.deregistration_code),
            _element("Avregistreringsdatum", (post.deregistered_on or post.registered_on).isoformat()),
            "</Avregistrering>",
        ]
    parts.append("<Relationer>")
    for guardian in post.guardians:
        parts += [
            "<Relation>",
            _element("RelationsTyp", guardian.relation_type),
            f"<RelationId>{_element('PersonNr', guardian.number)}</RelationId>",
            _element("Fornamn", guardian.given_name),
            _element("Efternamn", guardian.family_name),
        ]
        if guardian.start:
            parts.append(_element("Startdatum", guardian.start.isoformat()))
        if guardian.end:
            parts.append(_element("Slutdatum", guardian.end.isoformat()))
        parts.append("</Relation>")
    parts.append("</Relationer></Personpost></Folkbokforingspost>\n")
    return "".join(parts)


def write(out: IO[str], *, produced_on: date, municipality_code: str, posts: Iterable[ChildPost]) -> None:
    """Write a whole delivery, one post at a time (the posts may be a generator of any length)."""
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<Navet xmlns="{NAMESPACE}">\n')
    out.write(
        f"<Leverans>{_element('Framstallningsdatum', produced_on.isoformat())}"
        f"{_element('KommunKod', municipality_code)}</Leverans>\n<Folkbokforingsposter>\n"
    )
    for post in posts:
        out.write(personpost(post))
    out.write("</Folkbokforingsposter>\n</Navet>\n")
