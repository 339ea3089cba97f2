"""The demo's indicator figures: seven years per shipped indicator, a few revisions, one open round, audited."""

from __future__ import annotations

import time
from collections import defaultdict
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from indicators import selectors
from indicators.demo import REVISION_NOTE, REVISIONS, YEARS, demo_indicators_build
from indicators.models import Gender, Indicator, IndicatorValue, ReportingRound
from organisations.models import Municipality
from testsupport.cast import sign_in
from testsupport.module_fixtures import per_module


def _values() -> list[tuple]:
    return list(
        IndicatorValue.objects.order_by(
            "indicator__code", "municipality__code", "unit_id", "period", "gender", "age_band", "revision"
        ).values_list(
            "indicator__code", "municipality__code", "unit_id", "period", "gender", "revision", "value", "note"
        )
    )


@per_module()
def demo() -> str:
    """The demo municipality, built once for the module; the command's output."""
    out = StringIO()
    call_command("demo_data", "--children", "60", "--seed", "1", "--force", stdout=out)
    return out.getvalue()


def test_demo_data_fills_every_shipped_indicator_for_seven_years_and_the_current_one(demo):
    today = timezone.localdate()
    municipality = Municipality.objects.get(name="Sjöstads kommun")
    periods = set(IndicatorValue.objects.filter(municipality=municipality).values_list("period", flat=True))
    assert periods == {str(year) for year in range(today.year - YEARS, today.year + 1)}
    for indicator in Indicator.objects.all():
        years = set(indicator.values.filter(gender=Gender.TOTAL).values_list("period", flat=True))
        assert {str(year) for year in range(today.year - YEARS, today.year)} <= years, indicator.code
        genders = set(indicator.values.values_list("gender", flat=True))
        assert genders == ({"T", "K", "M"} if indicator.by_gender else {"T"}), indicator.code
    # Girls and boys add up to the total in every current figure, revised or not.
    current = defaultdict(dict)
    for value in selectors.current_values(municipalities=[municipality]):
        current[(value.indicator_id, value.unit_id, value.period)][value.gender] = value.value
    split = [figures for figures in current.values() if len(figures) == 3]
    assert split and all(f["K"] + f["M"] == f["T"] for f in split)


def test_an_indicator_reported_by_units_has_figures_per_unit_adding_up_to_the_municipalitys(demo):
    municipality = Municipality.objects.get(name="Sjöstads kommun")
    bvc = Indicator.objects.get(reporter_kind="unit", reporter_name="BVC")
    first = bvc.values.filter(revision=1, gender=Gender.TOTAL, municipality=municipality)
    period = first.filter(unit__isnull=True).order_by("period").values_list("period", flat=True).first()
    units = first.filter(period=period, unit__isnull=False)
    assert {value.unit.unit_type for value in units} == {"child_health_centre"}
    whole = first.get(period=period, unit__isnull=True).value
    assert sum(value.value for value in units) == whole
    # "Förvaltningen" is no kind of unit: its indicators are reported for the whole municipality only.
    administration = Indicator.objects.filter(reporter_kind="unit", reporter_name="Förvaltningen").first()
    assert not administration.values.filter(unit__isnull=False).exists()


def test_a_few_figures_are_revised_and_keep_their_history(demo):
    revised = IndicatorValue.objects.filter(revision=2)
    assert revised.values("indicator", "period").distinct().count() == REVISIONS
    for value in revised:
        assert value.note == REVISION_NOTE
        history = list(selectors.history(value))
        assert [row.revision for row in history] == [2, 1]
        assert history[0].value != history[1].value
        assert history[0].recorded_at > history[1].recorded_at


def test_this_years_round_is_open_with_some_indicators_not_yet_reported(demo):
    today = timezone.localdate()
    open_round = ReportingRound.objects.get(closed=False)
    assert open_round.year == today.year and open_round.due_on > today
    assert ReportingRound.objects.filter(closed=True).count() == YEARS
    done, missing = selectors.round_status(open_round)
    assert done and missing
    assert len(missing) < len(done)


def test_every_figure_and_round_has_the_audit_row_the_services_write(demo):
    rows = AuditEvent.objects.filter(username="demo_data", basis="indicator_work")
    values = rows.filter(record_type="IndicatorValue")
    assert values.count() == IndicatorValue.objects.count()
    ids = {str(pk) for pk in IndicatorValue.objects.values_list("pk", flat=True)}
    assert set(values.values_list("record_id", flat=True)) == ids
    assert values.filter(action="update").count() == IndicatorValue.objects.filter(revision=2).count()
    assert rows.filter(record_type="ReportingRound").count() == ReportingRound.objects.count()


def test_the_same_seed_gives_the_same_figures_fast(demo):
    first = _values()
    IndicatorValue.objects.all().delete()
    ReportingRound.objects.all().delete()
    started = time.monotonic()
    counts = demo_indicators_build(seed=1, today=timezone.localdate())
    seconds = time.monotonic() - started
    assert _values() == first
    assert counts["indikatorvärden"] == len(first)
    assert seconds < 2, seconds
    IndicatorValue.objects.all().delete()
    ReportingRound.objects.all().delete()
    demo_indicators_build(seed=2, today=timezone.localdate())
    assert _values() != first


def test_the_demo_analyst_sees_figures_revisions_and_the_open_round(demo, client):
    assert "indikatorvärden" in demo  # the command's summary counts them
    sign_in(client, User.objects.get(username="analytiker"))
    revised = IndicatorValue.objects.filter(revision=2).select_related("indicator").first()
    page = client.get(reverse("indicators:detail", args=[revised.indicator_id])).content.decode()
    assert "Inga värden är rapporterade" not in page
    assert REVISION_NOTE in page  # the change history names why the figure was corrected
    open_round = ReportingRound.objects.get(closed=False)
    _done, missing = selectors.round_status(open_round)
    page = client.get(reverse("indicators:round", args=[open_round.pk])).content.decode()
    assert missing[0].title_sv in page
