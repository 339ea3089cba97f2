"""Every basis of access has words: readers never see a code such as `report_of_concern`."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from sharing import policy
from sharing.models import ReportOfConcern
from testsupport.cast import sign_in

ROOT = Path(settings.BASE_DIR)


def _logged_bases() -> set[str]:
    """Return every basis the code logs: `basis="…"`, `basis=Basis.X`, or a module constant named …BASIS…."""
    found = set()
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assign) and any("BASIS" in getattr(t, "id", "") for t in node.targets):
                value = node.value  # a module's own constant, such as BASIS = "…"
            elif isinstance(node, ast.keyword) and node.arg == "basis":
                value = node.value
            else:
                continue
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
                found.add(value.value)
            elif isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id == "Basis":
                found.add(getattr(policy.Basis, value.attr))
    return found


def test_it_has_words_and_a_legal_ground_for_every_basis():
    codes = {value for name, value in vars(policy.Basis).items() if name.isupper()}
    assert codes <= set(policy.BASES), f"no words for {codes - set(policy.BASES)}"
    for rule in policy.BASES.values():
        assert str(rule.log_label) and str(rule.own_label) and str(rule.ground)


def test_it_has_words_for_every_basis_the_code_logs():
    missing = {basis for basis in _logged_bases() if basis.partition(":")[0] not in policy.BASES}
    assert not missing, f"add these bases to sharing.policy.rules.BASES: {missing}"


def test_it_names_a_basis_in_words_and_never_shows_its_code():
    assert str(policy.basis_label("consent:12")) == "Samtycke"
    assert str(policy.basis_label(policy.Basis.REPORT, own=True)) == "Orosanmälan till din enhet"
    assert str(policy.basis_label("something_new")) == "Annan grund"


def test_a_social_worker_sees_the_report_basis_in_words_on_the_child_list(client, cast):
    ReportOfConcern.objects.create(
        child=cast.child,
        owner_authority=cast.social,
        to_unit=cast.social_team,
        reporter=cast.teacher,
        reporter_authority=cast.education,
        what_happened="Barnet säger att hen inte vill gå hem.",
    )
    sign_in(client, cast.social_worker)
    body = client.get(reverse("people:child_list")).content.decode()
    assert "Orosanmälan till din enhet" in body
    assert policy.Basis.REPORT not in body
