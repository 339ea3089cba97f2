"""Shape practice-model records for pages and the API (no access decisions here)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wellbeing.instrument_data import RESPONDENTS
from wellbeing.labels import IndicatorText, score_word
from wellbeing.models import Assessment, InstrumentResponse
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


NOT_CONFIRMED = _("Gränsen har inte kunnat bekräftas i en publicerad källa.")


@dataclass(frozen=True)
class ScoreRow:
    name: str
    score: int
    band: str
    confirmed: bool
    note: str


@dataclass(frozen=True)
class InstrumentResult:
    """An instrument response as read: its scores and bands, whose cut-offs they are and whether they are confirmed."""

    response: InstrumentResponse
    rows: list[ScoreRow]
    total: ScoreRow | None
    respondent: str
    banded_as: str
    other_informant: bool
    notes: list[str]

    @property
    def unconfirmed(self) -> bool:
        return bool(self.notes)


def instrument_result(response: InstrumentResponse) -> InstrumentResult:
    rows = [
        ScoreRow(
            gettext(s.subscale.name),  # the shipped instruments' texts are msgids (wellbeing/instrument_data.py)
            s.score,
            gettext(s.band.label) if s.band else "",
            s.band.certain if s.band else False,
            gettext(s.band.note) if s.band and s.band.note else "",
        )
        for s in response.scores.all()
    ]
    band = response.total_band
    total = None
    if response.total is not None:
        total = ScoreRow(
            str(_("Totalt")),
            response.total,
            gettext(band.label) if band else "",
            band.certain if band else False,
            gettext(band.note) if band and band.note else "",
        )
    unconfirmed = [row for row in [*rows, *([total] if total else [])] if row.band and not row.confirmed]
    informants = {s.band.informant for s in response.scores.all() if s.band} | ({band.informant} if band else set())
    banded_as = informants.pop() if len(informants) == 1 else response.respondent
    return InstrumentResult(
        response=response,
        rows=rows,
        total=total,
        respondent=RESPONDENTS.get(response.respondent, response.respondent),
        banded_as=RESPONDENTS.get(banded_as, banded_as),
        other_informant=banded_as != response.respondent,
        notes=list(dict.fromkeys(row.note or str(NOT_CONFIRMED) for row in unconfirmed)),
    )
