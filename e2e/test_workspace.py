"""A head teacher's Monday: the start page says what waits, the overdue review is done, the count goes down.

Checked with axe-core (WCAG 2.1 A and AA) on every page on the way, and the start page at phone width: the
menu folds behind its button and nothing scrolls sideways at 320 CSS px.
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from e2e.helpers import axe_violations, describe, log_in
from plans import services
from plans.models import ChildPlan
from plans.tests.setup import via
from sharing import policy

TASK = "Uppföljningar av planer som är försenade"


def _accessible(page) -> None:
    assert page.locator("h1").count() == 1
    violations = axe_violations(page)
    assert not violations, describe(violations)


def _overdue_plan(cast, child) -> ChildPlan:
    plan = services.plan_start(
        child=child, user=cast.named_person, kind="single_agency", reasons="Ofta borta.", via=via(cast.named_person)
    )
    ChildPlan.objects.filter(pk=plan.pk).update(status="active", next_review_on=policy.today() - timedelta(days=21))
    return plan


def _count(page) -> str:
    item = page.locator(".task-list__item", has=page.get_by_role("link", name=TASK))
    return item.locator(".ds-badge").get_attribute("data-count")


# The elements that reach past the right edge of the window (WCAG 1.4.10 Reflow), innermost first.
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && el.children.length === 0)
    .slice(0, 5)
    .map((el) => el.tagName + "." + el.className + " " + Math.round(el.getBoundingClientRect().right));
}"""


def _too_wide(page) -> list[str]:
    return page.evaluate(TOO_WIDE)


def test_a_head_teachers_monday(page, cast):
    today = policy.today()
    plan = _overdue_plan(cast, cast.child)
    _overdue_plan(cast, cast.protected_child)
    log_in(page, cast.named_person)
    page.goto(reverse("core:home"))
    _accessible(page)
    assert _count(page) == "2"

    page.get_by_role("link", name=TASK).click()
    page.wait_for_url(f"**{reverse('core:tasks', args=['reviews-overdue'])}")
    _accessible(page)
    page.get_by_role("link", name="Alva Andersson").click()
    page.wait_for_url(f"**{reverse('plans:plan', args=[cast.child.pk, plan.pk])}")
    assert "Uppföljningen av planen är försenad" in page.content()
    _accessible(page)

    page.get_by_role("link", name="Följ upp planen").click()
    page.get_by_role("button", name="Starta uppföljningen").click()
    page.get_by_label("Datum för uppföljningen").fill(today.isoformat())
    page.get_by_label("Vad har blivit bättre i barnets liv?").fill("Alva är i skolan varje dag.")
    page.get_by_label("Har planens syfte uppnåtts?").fill("Delvis.")
    page.get_by_role("button", name="Spara uppföljningen").click()
    page.wait_for_url(f"**{reverse('plans:plan', args=[cast.child.pk, plan.pk])}")
    assert "Uppföljningen av planen är försenad" not in page.content()

    page.goto(reverse("core:home"))
    assert _count(page) == "1"  # the protected child's review still waits

    # On a phone: the menu folds behind its button, opens with it, and the page never scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    toggle = page.get_by_role("button", name="Meny")
    menu_link = page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Överlämningar", exact=True)
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu_link.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu_link.is_visible()
    assert not _too_wide(page), _too_wide(page)
    _accessible(page)
