"""The site walk: every page reachable from the demo navigation, in Swedish and English, at desktop width and
at 320 CSS px (a phone, or 1280 px zoomed to 400 %): axe-core finds no WCAG 2.1 A/AA violation and the page does
not scroll sideways (WCAG 1.4.10 Reflow).

The pages come from e2e/site.py's walk (each persona's menu and the links from there, one address per route,
resolved with the URL resolver). To stay fast it shares all work it can: one world, one crawl, one signed-in
session per persona reused in the browser, one browser context per language, axe-core injected once per
document by an init script, and each page loaded once per language and checked at both widths by resizing.
"""

from __future__ import annotations

import time

from django.conf import settings

from e2e.helpers import WCAG_TAGS, _axe, describe
from e2e.site import build_world, walk_all

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

# One round trip per width: the checks axe does not make, and axe itself.
CHECK = """async (options) => {
  const widest = (limit) => Array.from(document.querySelectorAll("main *, header *"))
    .filter((element) => element.getBoundingClientRect().right > limit + 1)
    .filter((element) => !element.closest(".table-scroll") || element.matches(".table-scroll"))
    .slice(-3)
    .map((element) => element.tagName.toLowerCase() + (element.className ? "." + element.className : "")
      + " " + Math.round(element.getBoundingClientRect().right) + " px");
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const root = document.documentElement;
  const results = await axe.run(document, options);
  return {
    lang: root.lang,
    h1: document.querySelectorAll("h1").length,
    scrollWidth: root.scrollWidth,
    wide: root.scrollWidth > window.innerWidth ? widest(window.innerWidth) : [],
    innerWidth: window.innerWidth,
    violations: results.violations,
  };
}"""


def _session_cookies(walk, base_url: str, language: str) -> list[dict]:
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    session = walk.client.cookies[settings.SESSION_COOKIE_NAME].value
    cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url})
    return cookies


def _check(page, where: str, language: str) -> list[str]:
    """Check the loaded page at the current width; return what is wrong, in words."""
    found = page.evaluate(CHECK, AXE_OPTIONS)
    problems = []
    if found["lang"] != language:
        problems.append(f"{where}: lang is {found['lang']}")
    if found["h1"] != 1:
        problems.append(f"{where}: {found['h1']} <h1> elements")
    if found["scrollWidth"] > found["innerWidth"]:
        wide = ", ".join(found["wide"])
        problems.append(f"{where}: scrolls sideways, {found['scrollWidth']} > {found['innerWidth']} px ({wide})")
    if found["violations"]:
        problems.append(f"{where}:\n{describe(found['violations'])}")
    return problems


def test_every_reachable_page_is_accessible_and_reflows_in_both_languages(browser, live_server, cast):
    started = time.monotonic()
    build_world(cast)
    walks = walk_all(cast)
    routes = {name for walk in walks for name in walk.pages}
    assert len(routes) > 20, routes
    registrar = next(walk for walk in walks if walk.role == "registrar")
    assert {"registration:home", "registration:child_new", "registration:child"} <= set(registrar.pages)
    problems: list[str] = []
    checked = 0
    for language in ("sv", "en"):
        context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, timezone_id="Europe/Stockholm")
        context.set_default_timeout(15_000)
        context.add_init_script(_axe.axe_script)
        page = context.new_page()
        seen: set[str] = set()
        for walk in walks:
            context.clear_cookies()
            context.add_cookies(_session_cookies(walk, live_server.url, language))
            for name, url in walk.pages.items():
                if name in seen:
                    continue  # a route another persona has already shown
                seen.add(name)
                page.set_viewport_size(DESKTOP)
                response = page.goto(url)
                if response is None or response.status != 200:
                    problems.append(f"{url} ({language}, {walk.role}) answered {response and response.status}")
                    continue
                for width in (DESKTOP, PHONE):
                    if width is PHONE:
                        page.set_viewport_size(PHONE)
                    where = f"{name} {url} ({language}, {width['width']} px, as {walk.role})"
                    problems += _check(page, where, language)
                    checked += 1
        context.close()
    elapsed = time.monotonic() - started
    print(f"site walk: {len(routes)} routes, {checked} page states in {elapsed:.0f} s")
    assert not problems, "\n".join(problems)


def test_a_failed_submit_moves_focus_to_the_error_summary_and_says_so_in_the_title(page):
    page.goto("/konto/logga-in/")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.title().startswith("Fel: ")
    focused = page.evaluate("() => document.activeElement.className")
    assert "error-summary" in focused, focused
