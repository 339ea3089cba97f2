"""The wellbeing panel on the child overview: what it shows, and a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from testsupport.cast import sign_in
from wellbeing.models import Assessment, Rating
from wellbeing.tests.helpers import TODAY, consent, relate_bup, write


def overview(client, child):
    return client.get(reverse("people:child", kwargs={"child_id": child.pk}))


def _wheel(cast, user, authority, category, day):
    assessment = Assessment.objects.create(
        child=cast.child,
        owner_authority=authority,
        category=category,
        kind="wheel",
        rater_kind="practitioner",
        rated_by=user,
        assessed_on=day,
    )
    Rating.objects.bulk_create(
        [Rating(assessment=assessment, indicator=code, score=3) for code in ("safe", "healthy", "included")]
    )


def test_it_shows_the_latest_wheel_and_the_count_of_visible_entries(client, cast):
    write(cast.teacher, cast.child)
    relate_bup(cast)
    write(cast.bup_clinician, cast.child)
    _wheel(cast, cast.teacher, cast.education, "education", TODAY)
    sign_in(client, cast.teacher)
    body = overview(client, cast.child).content.decode()
    assert "Välbefinnande och kronologi" in body
    assert "1 post i kronologin som du får se." in body  # the BUP entry is not counted without consent
    assert "3 – Varken bra eller dåligt" in body


def test_it_runs_a_fixed_number_of_queries_however_long_the_history(client, cast, django_assert_num_queries):
    relate_bup(cast)
    consent(cast)
    write(cast.teacher, cast.child)
    _wheel(cast, cast.bup_clinician, cast.region, "health", TODAY)
    sign_in(client, cast.teacher)
    overview(client, cast.child)
    with CaptureQueriesContext(connection) as short:
        assert overview(client, cast.child).status_code == 200
    for day in range(30):
        write(cast.teacher, cast.child, start_date=TODAY - timedelta(days=day))
        _wheel(cast, cast.bup_clinician, cast.region, "health", TODAY - timedelta(days=day + 1))
    with django_assert_num_queries(len(short.captured_queries)):
        response = overview(client, cast.child)
    assert "31 poster i kronologin som du får se." in response.content.decode()  # counted, however many


def test_it_shows_the_latest_rating_per_indicator_with_its_date(client, cast):
    older = TODAY - timedelta(days=40)
    _wheel(cast, cast.teacher, cast.education, "education", older)  # safe, healthy, included: 3
    newer = Assessment.objects.create(
        child=cast.child,
        owner_authority=cast.education,
        category="education",
        kind="wheel",
        rater_kind="practitioner",
        rated_by=cast.teacher,
        assessed_on=TODAY,
    )
    Rating.objects.create(assessment=newer, indicator="safe", score=5)  # a partial wheel: one indicator only
    sign_in(client, cast.teacher)
    body = overview(client, cast.child).content.decode()
    assert "5 – Mycket bra" in body or "5 –" in body
    assert TODAY.isoformat() in body and older.isoformat() in body  # each rating with the day it was made
    assert body.count("3 – Varken bra eller dåligt") == 2  # healthy and included, from the older wheel
