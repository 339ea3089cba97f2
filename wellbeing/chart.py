"""The wellbeing wheel as server-rendered SVG: one petal per indicator, its length the score (1–5).

The SVG is drawn from geometry computed here and written with presentation attributes only (the
content security policy allows no inline styles). The chart is an illustration: every page that
shows it also shows the same scores as a table and in a text alternative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from wellbeing.labels import IndicatorText

SIZE = 320
CENTRE = SIZE / 2
RADIUS = 120  # a score of 5
LABEL_RADIUS = 140
# Distinguishable colours with enough contrast against white for the petal edges (outline drawn too).
COLOURS = ("#1f5f99", "#2f7d32", "#8a5a00", "#a4373a", "#5b3f99", "#00707a", "#7a4b00", "#3d5a1e")


@dataclass(frozen=True)
class Petal:
    code: str
    label: str
    score: int | None
    path: str
    colour: str
    label_x: float
    label_y: float
    anchor: str


def _point(radius: float, angle: float) -> tuple[float, float]:
    return round(CENTRE + radius * math.sin(angle), 1), round(CENTRE - radius * math.cos(angle), 1)


def petals(texts: list[IndicatorText], scores: dict[str, int]) -> list[Petal]:
    """Return one sector per indicator, clockwise from the top, sized by its score (none when unrated)."""
    step = 2 * math.pi / len(texts)
    result = []
    for index, text in enumerate(texts):
        start, end = index * step, (index + 1) * step
        score = scores.get(text.code)
        path = ""
        if score:
            radius = RADIUS * score / 5
            (x1, y1), (x2, y2) = _point(radius, start), _point(radius, end)
            path = f"M {CENTRE} {CENTRE} L {x1} {y1} A {radius} {radius} 0 0 1 {x2} {y2} Z"
        label_x, label_y = _point(LABEL_RADIUS, (start + end) / 2)
        anchor = "middle" if abs(label_x - CENTRE) < 20 else ("start" if label_x > CENTRE else "end")
        result.append(
            Petal(text.code, text.label, score, path, COLOURS[index % len(COLOURS)], label_x, label_y, anchor)
        )
    return result


def rings() -> list[float]:
    """Return the radii of the score rings 1–5."""
    return [RADIUS * score / 5 for score in range(1, 6)]
