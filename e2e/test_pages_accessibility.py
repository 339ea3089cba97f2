"""Every page, signed in as a persona who may use it, in Swedish and English: axe-core, one <h1>, styles load."""

from __future__ import annotations

import pytest

from e2e.helpers import check_page, log_in, switch_language

# (page, persona who may open it, how to build its address from the cast)
PAGES = [
    ("home", "teacher", lambda cast: "/"),
    ("child_list", "teacher", lambda cast: "/barn/"),
    ("child_overview", "teacher", lambda cast: f"/barn/{cast.child.pk}/"),
    ("log_extract", "named_person", lambda cast: f"/logg/barn/{cast.child.pk}/"),
    ("lookup", "named_person", lambda cast: "/barn/sok/"),
    ("my_children", "named_person", lambda cast: "/namngiven-person/mina-barn/"),
    ("handovers", "named_person", lambda cast: "/namngiven-person/overlamningar/"),
    ("without_named_person", "manager", lambda cast: "/namngiven-person/saknas/"),
    ("account", "teacher", lambda cast: "/konto/"),
    ("emergency_start", "teacher", lambda cast: f"/delning/barn/{cast.child.pk}/nodatkomst/"),
    ("emergency_review_queue", "manager", lambda cast: "/delning/nodatkomst/granska/"),
]


def test_it_has_an_accessible_login_page_in_both_languages(page, cast):
    check_page(page, "/konto/logga-in/", language="sv")
    switch_language(page, "en")
    check_page(page, "/konto/logga-in/", language="en")


@pytest.mark.parametrize(("name", "persona", "address"), PAGES, ids=[name for name, _, _ in PAGES])
def test_it_has_accessible_pages_in_both_languages(page, cast, name, persona, address):
    log_in(page, getattr(cast, persona))
    url = address(cast)

    check_page(page, url, language="sv")
    switch_language(page, "en")
    check_page(page, url, language="en")
