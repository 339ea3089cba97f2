"""The one small-count rule for every published figure: counts below the deployment's threshold are hidden.

Every table, chart, export and API response of aggregate figures asks this module, never the setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings


def threshold() -> int:
    """The smallest count that may be published (SAMPLAN_DISCLOSURE_THRESHOLD, default 5)."""
    return max(1, int(settings.SAMPLAN_DISCLOSURE_THRESHOLD))


def is_small(count: int | None) -> bool:
    """True for a count of children that must not be published: at least one but fewer than the threshold."""
    return count is not None and 0 < count < threshold()


# --- Tables with totals: primary and complementary suppression ---

Cell = tuple[object, object]


def rule_text() -> str:
    """The rule in plain Swedish, written on every table and chart of aggregate figures."""
    from django.utils.translation import gettext

    return gettext(
        "Antal under %(n)s visas inte. Ytterligare celler kan vara dolda så att ett dolt antal inte går att "
        "räkna fram ur summorna."
    ) % {"n": threshold()}


@dataclass(frozen=True)
class Suppressed:
    """A table of counts with row and column totals, and the cells and totals that must not be shown."""

    rows: tuple
    columns: tuple
    counts: dict
    hidden: frozenset  # (row, column) cells
    hidden_row_totals: frozenset
    hidden_column_totals: frozenset
    hide_grand_total: bool

    def cell(self, row, column) -> int | None:
        """The count to publish, or None where it is hidden."""
        return None if (row, column) in self.hidden else self.counts.get((row, column), 0)

    def row_total(self, row) -> int | None:
        if row in self.hidden_row_totals:
            return None
        return sum(self.counts.get((row, column), 0) for column in self.columns)

    def column_total(self, column) -> int | None:
        if column in self.hidden_column_totals:
            return None
        return sum(self.counts.get((row, column), 0) for row in self.rows)

    def grand_total(self) -> int | None:
        return None if self.hide_grand_total else sum(self.counts.values())


def suppress_table(counts: dict, rows: list | tuple, columns: list | tuple) -> Suppressed:
    """Hide the small cells, then enough others that no hidden cell follows from the published totals.

    Primary: every count `is_small` hides. Complementary: a line (row or column) whose total is published
    must hide either none or at least two of its cells, the smallest other count being hidden next; and
    since several lines together can still pin a cell down, each hidden cell is checked against the whole
    linear system of published totals (exact rational elimination) and more cells are hidden until none is
    determined. When a line has no other cell to hide, its total is hidden instead.
    """
    rows, columns = tuple(rows), tuple(columns)
    counts = {(r, c): int(counts.get((r, c), 0)) for r in rows for c in columns}
    hidden = {cell for cell, n in counts.items() if is_small(n)}
    hidden_rows: set = set()
    hidden_columns: set = set()
    while True:
        changed = _two_per_line(counts, rows, columns, hidden, hidden_rows, hidden_columns)
        determined = _first_determined(counts, rows, columns, hidden, hidden_rows, hidden_columns)
        if determined is not None:
            row = determined[0]
            line = [(row, c) for c in columns if (row, c) not in hidden]
            if line:
                hidden.add(min(line, key=lambda cell: (counts[cell] == 0, counts[cell])))
            else:
                hidden_rows.add(row)
            changed = True
        if not changed:
            break
    # The grand total is the sum of the row totals: hide it when any row total is hidden and would follow.
    hide_grand = len(hidden_rows) == 1 or len(hidden_columns) == 1
    return Suppressed(
        rows, columns, counts, frozenset(hidden), frozenset(hidden_rows), frozenset(hidden_columns), hide_grand
    )


def _two_per_line(counts, rows, columns, hidden, hidden_rows, hidden_columns) -> bool:
    changed = False
    lines = [(("r", r), [(r, c) for c in columns]) for r in rows if r not in hidden_rows]
    lines += [(("c", c), [(r, c) for r in rows]) for c in columns if c not in hidden_columns]
    for (kind, key), cells in lines:
        if sum(cell in hidden for cell in cells) != 1:
            continue
        candidates = [cell for cell in cells if cell not in hidden]
        if candidates:
            hidden.add(min(candidates, key=lambda cell: (counts[cell] == 0, counts[cell])))
        elif kind == "r":
            hidden_rows.add(key)
        else:
            hidden_columns.add(key)
        changed = True
    return changed


def _first_determined(counts, rows, columns, hidden, hidden_rows, hidden_columns):
    """Return a hidden cell whose value follows from the published totals, or None."""
    unknowns = sorted(hidden, key=repr)
    if not unknowns:
        return None
    index = {cell: i for i, cell in enumerate(unknowns)}
    equations = []
    for r in rows:
        if r not in hidden_rows:
            equations.append(_line(index, [(r, c) for c in columns]))
    for c in columns:
        if c not in hidden_columns:
            equations.append(_line(index, [(r, c) for r in rows]))
    if len(hidden_rows) == 1 or len(hidden_columns) == 1:
        pass  # the grand total is then hidden too, so it adds no equation
    elif hidden_rows or hidden_columns:
        equations.append(_line(index, list(index)))  # the grand total covers every hidden cell
    reduced = _row_reduce([row for row in equations if any(row)], len(unknowns))
    for row in reduced:
        nonzero = [i for i, value in enumerate(row) if value]
        if len(nonzero) == 1:
            return unknowns[nonzero[0]]
    return None


def _line(index: dict, cells: list) -> list[Fraction]:
    row = [Fraction(0)] * len(index)
    for cell in cells:
        if cell in index:
            row[index[cell]] = Fraction(1)
    return row


def _row_reduce(matrix: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    """Reduced row echelon form; a row with one non-zero entry means that unknown is determined."""
    matrix = [list(row) for row in matrix]
    pivot_row = 0
    for column in range(width):
        pivot = next((i for i in range(pivot_row, len(matrix)) if matrix[i][column]), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead = matrix[pivot_row][column]
        matrix[pivot_row] = [value / lead for value in matrix[pivot_row]]
        for i, row in enumerate(matrix):
            if i != pivot_row and row[column]:
                factor = row[column]
                matrix[i] = [a - factor * b for a, b in zip(row, matrix[pivot_row], strict=True)]
        pivot_row += 1
    return matrix[:pivot_row]
