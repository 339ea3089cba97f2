"""Build Navet files for the cast's children in memory."""

from __future__ import annotations

import io
from datetime import date

from imports import navet, runs
from imports.models import ImportRun
from imports.navet_file import ChildPost, GuardianPost, write
from testsupport.cast import Cast

PRODUCED = date.today()


def cast_post(cast: Cast, **changes) -> ChildPost:
    """Return the personpost that says what Samplan already holds about the cast's child."""
    child = cast.child
    post = ChildPost(
        number=child.identity_number,
        given_name=child.given_name,
        family_name=child.family_name,
        municipality_code=cast.municipality.code,
        registered_on=child.birth_date,
        guardians=[
            GuardianPost(g.identity_number, g.given_name, g.family_name, child.birth_date)
            for g in (cast.guardian, cast.co_guardian)
        ],
    )
    for key, value in changes.items():
        setattr(post, key, value)
    return post


def navet_bytes(posts: list[ChildPost], *, code: str = "9999", produced_on: date = PRODUCED) -> bytes:
    out = io.StringIO()
    write(out, produced_on=produced_on, municipality_code=code, posts=posts)
    return out.getvalue().encode()


def run_navet(content: bytes, *, dry_run: bool = False) -> ImportRun:
    run = runs.run_start(kind=ImportRun.Kind.NAVET, source_name="test.xml", dry_run=dry_run)
    return navet.import_file(io.BytesIO(content), run)
