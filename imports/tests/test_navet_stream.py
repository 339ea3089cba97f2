from __future__ import annotations

import io
import tracemalloc
from datetime import date, timedelta

from core.personnummer import with_check_digit
from imports import navet
from imports.navet_file import ChildPost, GuardianPost, write

POSTS = 4000


def _file() -> bytes:
    out = io.StringIO()
    born = date(2015, 1, 1)
    posts = (
        ChildPost(
            with_check_digit(born + timedelta(days=index // 20), 980 + index % 20),
            "Barn",
            "Test",
            "9999",
            born,
            guardians=[GuardianPost(with_check_digit(date(1980, 1, 1), 980), "Vuxen", "Test", born)],
        )
        for index in range(POSTS)
    )
    write(out, produced_on=date(2026, 12, 1), municipality_code="9999", posts=posts)
    return out.getvalue().encode()


def test_the_parse_keeps_memory_flat_however_long_the_file():
    content = _file()
    tracemalloc.start()
    try:
        header, count = navet.check(io.BytesIO(content))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == POSTS and header.municipality_code == "9999"
    # Kept elements would cost several kilobytes a post (megabytes here); cleared ones leave the parser's buffers.
    assert peak < len(content) / 4, (peak, len(content))
