"""Complementary suppression: no hidden cell can be recovered from the published cells and totals."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from core import disclosure


def attack(table: disclosure.Suppressed) -> set:
    """Every hidden cell an attacker can pin down exactly by linear algebra on what was published.

    The attacker knows each published cell, and each published row, column and grand total, so each total
    gives one linear equation over the hidden cells. A hidden cell is recovered when its unit vector lies
    in the span of those equations: rank([A; e]) == rank(A).
    """
    unknowns = sorted(table.hidden, key=repr)
    equations = []
    for row in table.rows:
        if table.row_total(row) is not None:
            equations.append([Fraction(int(cell[0] == row)) for cell in unknowns])
    for column in table.columns:
        if table.column_total(column) is not None:
            equations.append([Fraction(int(cell[1] == column)) for cell in unknowns])
    if table.grand_total() is not None:
        equations.append([Fraction(1)] * len(unknowns))
    # Hidden totals can be recovered too when their line has no hidden cell: then they are no secret.
    base = _rank(equations)
    found = set()
    for i, cell in enumerate(unknowns):
        unit = [Fraction(int(j == i)) for j in range(len(unknowns))]
        if _rank([*equations, unit]) == base:
            found.add(cell)
    return found


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [list(r) for r in matrix if any(r)]
    rank, width = 0, len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][column] != 0:
                factor = rows[i][column] / rows[rank][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


tables = st.integers(1, 4).flatmap(
    lambda n_rows: st.integers(1, 4).flatmap(
        lambda n_columns: st.lists(
            st.lists(st.integers(0, 30), min_size=n_columns, max_size=n_columns), min_size=n_rows, max_size=n_rows
        )
    )
)


def _suppress(grid: list[list[int]]) -> disclosure.Suppressed:
    rows, columns = list(range(len(grid))), list(range(len(grid[0])))
    counts = {(r, c): grid[r][c] for r in rows for c in columns}
    return disclosure.suppress_table(counts, rows, columns)


@settings(max_examples=150, deadline=None)
@given(tables)
def test_no_suppressed_cell_can_be_derived_from_the_totals(grid):
    table = _suppress(grid)
    # Every small count is hidden (primary suppression) ...
    for (r, c), count in table.counts.items():
        if disclosure.is_small(count):
            assert table.cell(r, c) is None
    # ... and no hidden cell that holds a small count follows from what is published.
    recovered = attack(table)
    assert not {cell for cell in recovered if disclosure.is_small(table.counts[cell])}
    # A published total is the true total: suppression never changes a figure, it only hides it.
    for r in table.rows:
        assert table.row_total(r) in (None, sum(grid[r]))


@settings(max_examples=100, deadline=None)
@given(tables)
def test_published_totals_of_a_line_with_one_small_cell_never_reveal_it(grid):
    """The simplest attack: a row total minus the published cells of that row."""
    table = _suppress(grid)
    for r in table.rows:
        total = table.row_total(r)
        hidden = [c for c in table.columns if table.cell(r, c) is None]
        if total is not None and len(hidden) == 1:
            assert not disclosure.is_small(table.counts[(r, hidden[0])])
    for c in table.columns:
        total = table.column_total(c)
        hidden = [r for r in table.rows if table.cell(r, c) is None]
        if total is not None and len(hidden) == 1:
            assert not disclosure.is_small(table.counts[(hidden[0], c)])


def test_it_hides_a_second_cell_in_the_row_and_column_of_a_small_one():
    # 3 is small. Hiding only it would let 3 = 20 − 17 be read back from the row total, so the smallest
    # other count in its row (7) and in its column (8) are hidden too, and then one more to close the square.
    counts = {("a", "x"): 3, ("a", "y"): 7, ("a", "z"): 10, ("b", "x"): 8, ("b", "y"): 9, ("b", "z"): 12}
    table = disclosure.suppress_table(counts, ["a", "b"], ["x", "y", "z"])
    assert table.cell("a", "x") is None
    assert table.cell("a", "y") is None and table.cell("b", "x") is None
    assert table.row_total("a") == 20 and table.grand_total() == 49
    assert not attack(table)


def test_a_single_small_cell_hides_its_only_total():
    table = disclosure.suppress_table({("n", "x"): 2}, ["n"], ["x"])
    assert table.cell("n", "x") is None and table.row_total("n") is None and table.column_total("x") is None
    assert table.grand_total() is None


def test_the_rule_names_the_threshold(settings):
    settings.SAMPLAN_DISCLOSURE_THRESHOLD = 10
    assert "Antal under 10 visas inte" in disclosure.rule_text()
