"""Shape practice-model records for pages and the API (no access decisions here)."""

from __future__ import annotations

from dataclasses import dataclass, field

from wellbeing.labels import IndicatorText, score_word
from wellbeing.models import Assessment
from wellbeing.triangle import SIDES, Area, Side, quadrant


def scores(assessment: Assessment) -> dict[str, int]:
    return {rating.indicator: rating.score for rating in assessment.ratings.all()}


@dataclass(frozen=True)
class RatingRow:
    label: str
    score: int | None
    word: str
    comment: str


def rating_rows(texts: list[IndicatorText], assessment: Assessment) -> list[RatingRow]:
    by_code = {rating.indicator: rating for rating in assessment.ratings.all()}
    rows = []
    for text in texts:
        rating = by_code.get(text.code)
        score = rating.score if rating else None
        rows.append(RatingRow(text.label, score, score_word(score), rating.comment if rating else ""))
    return rows


@dataclass(frozen=True)
class HistoryRow:
    assessment: Assessment
    cells: list[int | None]


def history(texts: list[IndicatorText], assessments: list[Assessment]) -> list[HistoryRow]:
    """Return one row per wheel assessment with a score cell per indicator (None where not rated)."""
    result = []
    for assessment in assessments:
        found = scores(assessment)
        result.append(HistoryRow(assessment, [found.get(text.code) for text in texts]))
    return result


@dataclass(frozen=True)
class AreaNote:
    area: str
    strengths: str
    concerns: str


@dataclass
class AssessmentDetail:
    assessment: Assessment
    sides: list[tuple[str, list[AreaNote]]] = field(default_factory=list)
    quadrant: str = ""


def assessment_detail(assessment: Assessment) -> AssessmentDetail:
    detail = AssessmentDetail(assessment)
    if assessment.kind == Assessment.Kind.TRIANGLE:
        notes = {note.area: note for note in assessment.triangle_notes.all()}
        for side, areas in SIDES.items():
            shown = [
                AreaNote(str(Area(area).label), notes[area].strengths, notes[area].concerns)
                for area in areas
                if area in notes
            ]
            if shown:
                detail.sides.append((str(Side(side).label), shown))
    elif assessment.kind == Assessment.Kind.MATRIX and hasattr(assessment, "matrix"):
        detail.quadrant = quadrant(assessment.matrix.resilience, assessment.matrix.environment)
    return detail
