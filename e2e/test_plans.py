"""The child's plan in a real browser: start, fill in, agree, change, merge a refused edit, review, close.

Every plan page is checked with axe-core (WCAG 2.1 A and AA), and what BUP can see is checked
before and after the family's consent covering the plan.
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from e2e.helpers import axe_violations, describe, log_in, pick_person
from plans import services
from plans.models import ChildPlan, Reminder
from plans.tests.setup import bup_relation, plan_consent, via
from sharing import policy


def _accessible(page) -> None:
    assert page.locator("h1").count() == 1
    violations = axe_violations(page)
    assert not violations, describe(violations)


def _log_out(page) -> None:
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/konto/logga-in/**")


def _plan_url(name, cast, plan, **kwargs) -> str:
    return reverse(f"plans:{name}", kwargs={"child_id": cast.child.pk, "plan_id": plan.pk, **kwargs})


def test_a_plan_is_started_agreed_merged_reviewed_and_closed(page, cast):
    bup_relation(cast)
    today = policy.today()
    log_in(page, cast.named_person)
    page.goto(reverse("people:child", args=[cast.child.pk]))
    _accessible(page)
    page.get_by_role("link", name="Starta en plan").click()
    _accessible(page)
    page.get_by_label("Flera verksamheter").check()
    page.get_by_label("Skäl till planen").fill("Alva är ofta borta från skolan och säger att hon är rädd.")
    pick_person(page, "Ansvarig samordnare", "Hanna Rektorsson")
    page.get_by_role("button", name="Starta planen").click()
    plan = ChildPlan.objects.get()
    page.wait_for_url(f"**{_plan_url('plan', cast, plan)}")
    _accessible(page)

    page.goto(_plan_url("decline", cast, plan))
    _accessible(page)

    page.goto(_plan_url("participants", cast, plan))
    _accessible(page)
    page.get_by_label("Roll i planen").select_option("practitioner")
    pick_person(page, "Person med konto i Samplan", "Erik Psykolog")
    page.get_by_label("Myndighet").select_option(label="Region Test")
    page.get_by_role("button", name="Lägg till").click()
    page.wait_for_url(f"**{_plan_url('participants', cast, plan)}")
    child = plan.participants.get(role="child")
    page.goto(_plan_url("participant_view", cast, plan, participant_id=child.pk))
    _accessible(page)
    page.get_by_label("Synpunkter på planen, med egna ord").fill("Jag vill ha någon att prata med på rasten.")
    page.get_by_role("button", name="Spara").click()

    page.goto(_plan_url("needs", cast, plan))
    _accessible(page)
    page.get_by_label("Indikator").select_option("safe")
    page.get_by_label("Vad barnet behöver").fill("En trygg vuxen på rasterna.")
    page.get_by_role("button", name="Spara").click()

    page.goto(_plan_url("actions", cast, plan))
    _accessible(page)
    page.get_by_label("Åtgärd: vad ska göras och hur?").fill("Rastvärd möter Alva varje morgon.")
    page.get_by_label("Ansvarig myndighet").select_option(label="Barn- och utbildningsnämnden")
    page.get_by_label("Start").fill(today.isoformat())
    page.get_by_label("Slut").fill((today + timedelta(days=60)).isoformat())
    page.get_by_label("Förväntat resultat för barnet").fill("Alva kommer till skolan.")
    page.get_by_label("Trygg").check()
    page.get_by_role("button", name="Lägg till").click()
    page.wait_for_url(f"**{_plan_url('actions', cast, plan)}")
    _accessible(page)
    page.goto(_plan_url("remove", cast, plan, part="action", part_id=plan.actions.get().pk))
    _accessible(page)

    page.goto(_plan_url("links", cast, plan))
    _accessible(page)
    page.get_by_label("Referens").fill("ÅP 2025-3")
    page.get_by_label("Vem ansvarar för den").fill("Östra skolan")
    page.get_by_role("button", name="Lägg till").click()

    # BUP takes part, but without the family's consent to share the plan it is not shown to BUP.
    _log_out(page)
    log_in(page, cast.bup_clinician)
    assert page.goto(_plan_url("plan", cast, plan)).status == 404
    plan_consent(cast)
    assert page.goto(_plan_url("plan", cast, plan)).status == 200
    assert "Rastvärd möter Alva" in page.content()
    page.goto(_plan_url("edit", cast, plan))
    _accessible(page)  # the read-only answer
    _log_out(page)

    log_in(page, cast.named_person)
    page.goto(_plan_url("agree", cast, plan))
    _accessible(page)
    for select in page.locator("select[name^=answer_]").all():
        select.select_option("agrees")
    page.get_by_role("button", name="Godkänn planen").click()
    page.wait_for_url(f"**{_plan_url('plan', cast, plan)}")
    page.get_by_role("button", name="Börja genomföra planen").click()
    assert page.locator("#plan-status").inner_text() == "Pågår"

    # Two people edit: the other saves first; this save is refused and merged field by field.
    page.goto(_plan_url("edit", cast, plan))
    _accessible(page)
    page.get_by_label("Beredskapsplan: vad görs om planen inte fungerar?").fill("Ring mamma direkt.")
    plan.refresh_from_db()
    services.plan_update(
        plan=plan, version=plan.version, values={"risk_level": "low"}, user=cast.teacher, via=via(cast.teacher)
    )
    page.get_by_role("button", name="Spara ändringarna").click()
    assert "Någon annan sparade planen" in page.content()
    _accessible(page)
    page.get_by_role("button", name="Spara det sammanslagna").click()
    page.wait_for_url(f"**{_plan_url('plan', cast, plan)}")
    plan.refresh_from_db()
    assert (plan.contingency, plan.risk_level) == ("Ring mamma direkt.", "low")

    # Agree the changed plan again and read the difference.
    page.goto(_plan_url("agree", cast, plan))
    for select in page.locator("select[name^=answer_]").all():
        select.select_option("agrees")
    page.get_by_role("button", name="Godkänn planen").click()
    page.goto(_plan_url("versions", cast, plan))
    _accessible(page)
    page.goto(_plan_url("version", cast, plan, number=1))
    _accessible(page)
    page.goto(_plan_url("compare", cast, plan) + "?fran=1&till=2")
    _accessible(page)
    assert "Låg" in page.content()

    # Reminders, then the review with the wheel re-rated, then closing.
    ChildPlan.objects.filter(pk=plan.pk).update(next_review_on=today)
    services.reminders_make(on=today)
    assert Reminder.objects.exists()
    page.goto(reverse("plans:reminders"))
    _accessible(page)
    page.goto(_plan_url("review", cast, plan))
    _accessible(page)
    page.get_by_role("button", name="Starta uppföljningen").click()
    _accessible(page)
    page.get_by_label("Datum för uppföljningen").fill(today.isoformat())
    page.get_by_label("Vad har blivit bättre i barnets liv?").fill("Alva är i skolan varje dag.")
    page.get_by_label("Har planens syfte uppnåtts?").fill("Ja.")
    page.get_by_label("Trygg, poäng 1–5").select_option("4")
    page.get_by_role("button", name="Spara uppföljningen").click()
    page.wait_for_url(f"**{_plan_url('plan', cast, plan)}")
    page.goto(_plan_url("close", cast, plan))
    _accessible(page)
    page.get_by_label("Varför avslutas planen?").fill("Oron är borta.")
    page.get_by_label("Jag förstår att planen avslutas").check()
    page.get_by_role("button", name="Avsluta planen").click()
    page.wait_for_url(f"**{_plan_url('plan', cast, plan)}")
    assert "Hanna Rektorsson, har åter ansvaret" in page.locator("#plan-closed").inner_text()
    _accessible(page)
    page.goto(reverse("people:child", args=[cast.child.pk]))
    _accessible(page)
