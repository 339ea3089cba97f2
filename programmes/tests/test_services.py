"""The rules of grants, budgets and lectures, on hand-built examples."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from audit.models import AuditEvent
from core.personnummer import with_check_digit
from programmes import selectors, services
from programmes.models import Application, BudgetEntry, GrantCall, Registration
from programmes.tasks import follow_up_reminders
from programmes.tests.setup import VIA, apply, make_call, make_event, score_all

pytestmark = pytest.mark.django_db


def test_it_accepts_a_submission_one_microsecond_before_the_closing_time(cast):
    call = make_call(cast)
    draft = apply(call, submit=False)
    services.application_submit(application=draft, via=VIA, now=call.closes_at - timedelta(microseconds=1))
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED


def test_it_refuses_a_submission_at_the_exact_closing_time_with_a_clear_message(cast):
    call = make_call(cast)
    draft = apply(call, submit=False)
    with pytest.raises(ValidationError) as refused:
        services.application_submit(application=draft, via=VIA, now=call.closes_at)
    assert "Utlysningen stängde" in refused.value.messages[0]
    assert "Ansökningar tas inte emot efter sista ansökningstid" in refused.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


def test_it_refuses_to_start_an_application_after_the_call_closed(cast):
    call = make_call(cast)
    with pytest.raises(ValidationError, match="stängde"):
        apply(call, submit=False, now=call.closes_at + timedelta(seconds=1))
    assert not Application.objects.exists()


@pytest.mark.parametrize("field", ["description", "title", "expected_result"])
def test_it_refuses_application_text_holding_a_personal_number(cast, field):
    call = make_call(cast)
    number = with_check_digit(cast.child.birth_date, 982)
    with pytest.raises(ValidationError) as refused:
        apply(call, submit=False, **{field: f"Gäller barnet {number[2:8]}-{number[8:]}"})
    assert "personnummer" in refused.value.message_dict[field][0]
    assert not Application.objects.exists()


def test_it_accepts_numbers_that_are_not_personal_numbers(cast):
    call = make_call(cast)
    application = apply(call, submit=False, description="Vi når 120 barn i 12 grupper, budget 50 000 kr, 2013-2014.")
    assert application.pk


def test_it_refuses_an_attachment_that_is_not_what_it_is_named(cast):
    call = make_call(cast)
    draft = apply(call, submit=False)
    fake = SimpleUploadedFile("budget.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="PDF"):
        services.attachment_add(application=draft, upload=fake, title="Budget", via=VIA)
    pdf = SimpleUploadedFile("Annicas budget.pdf", b"%PDF-1.4 budget", content_type="application/pdf")
    attachment = services.attachment_add(application=draft, upload=pdf, title="Budget", via=VIA)
    assert "Annica" not in attachment.file.name


def test_an_assessor_from_the_applying_unit_cannot_score(cast):
    call = make_call(cast)
    application = apply(call, unit=cast.school, created_by=cast.named_person, organisation="Östra skolan")
    with pytest.raises(ValidationError, match="jävig"):
        score_all(application, cast.teacher, [5, 5, 5, 5, 5])  # the teacher works at Östra skolan
    assert not application.scores.exists()
    score_all(application, cast.social_worker, [3, 3, 3, 3, 3])
    assert application.scores.count() == 5


def test_a_declared_conflict_removes_the_scores_and_stops_scoring(cast):
    call = make_call(cast)
    application = apply(call)
    score_all(application, cast.social_worker, [4, 4, 4, 4, 4])
    services.conflict_declare(application=application, assessor=cast.social_worker, reason="Min syster", via=VIA)
    assert not application.scores.exists()
    with pytest.raises(ValidationError, match="jävig"):
        score_all(application, cast.social_worker, [4, 4, 4, 4, 4])


def test_it_refuses_a_score_outside_the_scale(cast):
    call = make_call(cast)
    application = apply(call)
    with pytest.raises(ValidationError, match="från 0 till 5"):
        score_all(application, cast.social_worker, [6, 1, 1, 1, 1])


def test_it_ranks_by_the_mean_of_weighted_totals(cast):
    # Weights 2,1,1,1,1: the maximum is 5 * 6 = 30.
    call = make_call(cast, weights=(2, 1, 1, 1, 1))
    boo = apply(call, organisation="Boo folkets hus")
    alta = apply(call, organisation="Älta skola")
    kul = apply(call, organisation="Förskolan Kul")
    unscored = apply(call, organisation="Orminge bibliotek")
    score_all(boo, cast.teacher, [5, 4, 4, 3, 3])  # 10+4+4+3+3 = 24
    score_all(boo, cast.social_worker, [4, 4, 4, 4, 4])  # 8+4+4+4+4 = 24
    score_all(alta, cast.teacher, [5, 5, 5, 5, 5])  # 30
    score_all(alta, cast.social_worker, [3, 3, 3, 3, 4])  # 6+3+3+3+4 = 19 -> mean 24.5
    score_all(kul, cast.teacher, [2, 2, 2, 2, 2])  # 12
    rows = selectors.ranking(call)
    assert [row.application for row in rows] == [alta, boo, kul, unscored]
    assert [row.mean for row in rows] == [Decimal("24.50"), Decimal("24.00"), Decimal("12.00"), None]
    assert [row.rank for row in rows] == [1, 2, 3, None]
    assert rows[0].totals == {cast.teacher.pk: 30, cast.social_worker.pk: 19}
    assert selectors.max_total(call) == 30


def test_equal_means_share_a_rank_and_an_incomplete_assessment_does_not_count(cast):
    call = make_call(cast)
    first = apply(call, organisation="A")
    second = apply(call, organisation="B")
    score_all(first, cast.teacher, [3, 3, 3, 3, 3])
    score_all(second, cast.social_worker, [3, 3, 3, 3, 3])
    services.score_set(
        application=second, criterion=call.criteria.first(), assessor=cast.teacher, value=0, comment="", via=VIA
    )
    rows = selectors.ranking(call)
    assert [(row.rank, row.mean) for row in rows] == [(1, Decimal("15.00")), (1, Decimal("15.00"))]


def test_an_award_commits_money_and_the_totals_add_up(cast):
    call = make_call(cast)
    boo, alta = apply(call, organisation="Boo folkets hus"), apply(call, organisation="Älta skola")
    services.decision_make(
        application=boo, awarded=True, amount=50000, motivation="Meningsfull fritid.", decided_by=cast.manager, via=VIA
    )
    services.decision_make(
        application=alta, awarded=True, amount=25000, motivation="God läsutveckling.", decided_by=cast.manager, via=VIA
    )
    totals = services.line_totals(call.budget_line)
    assert (totals.allocated, totals.committed, totals.used) == (3_000_000, 75_000, 0)
    services.follow_up_file(
        follow_up=boo.follow_up,
        via=VIA,
        used_as_applied="yes",
        achieved_result="yes",
        gained_knowledge="partly",
        continues="yes",
        money_used=48000,
        lessons="Helgöppet fungerar.",
    )
    assert services.line_totals(call.budget_line).used == 48_000


def test_an_award_beyond_the_call_budget_is_refused_and_changes_nothing(cast):
    call = make_call(cast, budget=60000)
    boo, alta = apply(call, organisation="Boo folkets hus"), apply(call, organisation="Älta skola")
    services.decision_make(
        application=boo, awarded=True, amount=50000, motivation="Bra.", decided_by=cast.manager, via=VIA
    )
    with pytest.raises(ValidationError, match="utlysningens budget"):
        services.decision_make(
            application=alta, awarded=True, amount=25000, motivation="Bra.", decided_by=cast.manager, via=VIA
        )
    alta.refresh_from_db()
    assert alta.status == Application.Status.SUBMITTED
    assert services.line_totals(call.budget_line).committed == 50000


def test_a_budget_line_never_goes_negative_silently(cast):
    call = make_call(cast)
    line = call.budget_line
    services.budget_book(line=line, kind=BudgetEntry.Kind.COMMITTED, amount=2_990_000, description="Lön", via=VIA)
    with pytest.raises(ValidationError) as refused:
        services.budget_book(line=line, kind=BudgetEntry.Kind.COMMITTED, amount=20_000, description="Mer", via=VIA)
    assert "10 000 kr återstår" in refused.value.messages[0].replace("\xa0", " ")
    with pytest.raises(ValidationError, match="mer än det som är beslutat"):
        services.budget_book(line=line, kind=BudgetEntry.Kind.USED, amount=3_000_000, description="Allt", via=VIA)
    totals = services.line_totals(line)
    assert (totals.committed, totals.used, totals.uncommitted) == (2_990_000, 0, 10_000)


def test_an_over_budget_award_is_refused_whole(cast):
    call = make_call(cast, budget=5_000_000)
    call.budget_line.allocated = 40_000
    call.budget_line.save()
    application = apply(call)
    with pytest.raises(ValidationError, match="ryms inte i budgeten"):
        services.decision_make(
            application=application, awarded=True, amount=50000, motivation="Bra.", decided_by=cast.manager, via=VIA
        )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not hasattr(application, "decision") or not application.decision


def test_a_full_session_puts_later_registrations_on_the_waiting_list_and_moves_them_up(cast):
    _event, session = make_event(cast, capacity=1)
    first = services.registration_create(
        session=session, user=cast.teacher, profession="school", unit=cast.school, via=VIA
    )
    second = services.registration_create(
        session=session, user=cast.social_worker, profession="social_services", unit=cast.social_team, via=VIA
    )
    assert (first.status, second.status) == (Registration.Status.PLACE, Registration.Status.WAITING)
    with pytest.raises(ValidationError, match="redan anmäld"):
        services.registration_create(session=session, user=cast.teacher, profession="school", unit=None, via=VIA)
    moved = services.registration_cancel(registration=first, via=VIA)
    assert moved == second
    second.refresh_from_db()
    assert second.status == Registration.Status.PLACE


def test_the_event_report_shows_the_share_per_profession_and_the_evaluations(cast):
    event, session = make_event(cast, capacity=10)
    users = [cast.teacher, cast.bvc_nurse, cast.social_worker, cast.midwife, cast.manager]
    professions = ["preschool", "preschool", "preschool", "preschool", "social_services"]
    for user, profession in zip(users, professions, strict=True):
        services.registration_create(session=session, user=user, profession=profession, unit=None, via=VIA)
    session.starts_at = timezone.now() - timedelta(hours=4)
    session.ends_at = timezone.now() - timedelta(hours=1)
    session.save()
    registration = session.registrations.get(user=cast.teacher)
    services.evaluation_file(
        registration=registration, user=cast.teacher, rating=5, would_recommend=True, comment="Bra", via=VIA
    )
    with pytest.raises(ValidationError, match="redan utvärderat"):
        services.evaluation_file(
            registration=registration, user=cast.teacher, rating=4, would_recommend=True, comment="", via=VIA
        )
    report = selectors.event_report(event)
    shares = {row.label: row.share for row in report.rows}
    assert report.participants == 5
    assert shares["Förskolepersonal"] == 80
    assert shares["Socialtjänst"] == 20
    assert (report.evaluations, report.mean_rating, report.recommend_share) == (1, Decimal("5.00"), 100)


def test_every_write_is_audited_without_a_child(cast):
    call = make_call(cast)
    apply(call)
    rows = AuditEvent.objects.filter(basis="programme_work")
    assert rows.count() == 2
    assert not rows.filter(child_id__isnull=False).exists()


def test_the_reminder_task_marks_due_follow_ups_once_a_week(cast):
    call = make_call(cast)
    application = apply(call)
    services.decision_make(
        application=application, awarded=True, amount=25000, motivation="Bra.", decided_by=cast.manager, via=VIA
    )
    due = application.follow_up.due_on
    assert follow_up_reminders(due - timedelta(days=30)).startswith("0 ")
    assert follow_up_reminders(due - timedelta(days=14)).startswith("1 ")
    assert follow_up_reminders(due - timedelta(days=10)).startswith("0 ")
    assert follow_up_reminders(due - timedelta(days=7)).startswith("1 ")
    application.follow_up.refresh_from_db()
    assert application.follow_up.reminded_on == due - timedelta(days=7)
    assert isinstance(application.follow_up.reminded_on, date)


@given(offset=st.integers(min_value=-(10**9), max_value=10**9))
def test_the_closing_moment_divides_accepted_from_refused_to_the_microsecond(offset):
    closes = datetime(2013, 9, 16, 0, 0, tzinfo=UTC)
    call = GrantCall(opens_at=closes - timedelta(days=90), closes_at=closes)
    now = closes + timedelta(microseconds=offset)
    if offset < 0 and now >= call.opens_at:
        services.check_open(call, now)
    else:
        with pytest.raises(ValidationError):
            services.check_open(call, now)
