"""Walk the site as its users do: from each persona's menu, every page reachable by links, one per route.

Shared by the browser site walk (e2e/test_site_walk.py: axe-core and reflow at desktop and phone width) and
the English guard (core/tests/test_english_pages.py: no Swedish-only catalogue strings in English pages).
The walk follows links from the start page and the menu, resolves each address with the URL resolver and
keeps the first address of each route, so a route is checked once however many children or plans link to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from testsupport.cast import sign_in

# Routes a walk must not follow: they sign out, switch language, or are another product (the admin site,
# the API) with its own checks; anything that is not an HTML page (CSV, PDF, calendar feeds) is skipped
# by its content type.
SKIPPED_NAMESPACES = {"admin", "api"}
SKIPPED_ROUTES = {"accounts:logout", "set_language", "accounts:keepalive", "accounts:oidc_start"}
# Downloads (files, not pages): followed by nobody, so the walk neither fetches nor logs them.
DOWNLOAD_WORDS = ("export", "csv", "pdf", "feed", "attachment")

# The personas whose menus together reach every staff and family page of the demo navigation.
ROLES = ("named_person", "manager", "social_worker", "bvc_nurse", "administrator", "registrar", "guardian_user")

MAX_PAGES_PER_ROLE = 80


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href and "download" not in dict(attrs):
                self.hrefs.append(href)


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def route_of(url: str) -> str | None:
    """Return the route name of a same-site address the walk may follow, or None."""
    parts = urlsplit(urldefrag(url)[0])
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith(settings.STATIC_URL):
        return None
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        return None
    if name in SKIPPED_ROUTES or name.split(":", 1)[0] in SKIPPED_NAMESPACES:
        return None
    if any(word in name for word in DOWNLOAD_WORDS) or parts.path.endswith((".csv", ".pdf", ".xlsx", ".ics")):
        return None
    return name


@dataclass
class Walk:
    """The pages one persona reaches: route name -> address, in the order found."""

    role: str
    client: Client
    pages: dict[str, str] = field(default_factory=dict)


def walk(client: Client, user, role: str) -> Walk:
    """Sign the client in as the user and follow links breadth-first from the start page and the menu."""
    sign_in(client, user)
    found = Walk(role=role, client=client)
    queue = [reverse("core:home")]  # its menu and its links lead on
    seen_routes: set[str] = set()
    while queue and len(found.pages) < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        name = route_of(url)
        if name is None or name in seen_routes:
            continue
        seen_routes.add(name)
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        found.pages[name] = url
        queue += links(response.content.decode())
    return found


def build_world(cast) -> None:
    """Add to the test world what the menus link to: a plan sent to the family with an action, a team, the
    municipality's registrar (`cast.registrar`, as the demo's `registrator`) and an SS12000 server."""
    from accounts.models import User
    from imports.models import SS12000Server
    from organisations.models import Membership, Role
    from plans.tests.setup import add_action, send, start
    from sharing import policy
    from teams.models import Team, TeamMember

    plan = start(cast)
    add_action(cast, plan)
    send(cast, plan)
    team = Team.objects.create(
        name="Barnombudsteam Öster", municipality=cast.municipality, kind="barnombudsteam", created_by=cast.manager
    )
    joined = policy.today() - timedelta(days=30)
    for user, authority, role in (
        (cast.named_person, cast.education, "chair"),
        (cast.bvc_nurse, cast.region, "member"),
        (cast.social_worker, cast.social, "member"),
    ):
        TeamMember.objects.create(
            team=team, user=user, authority=authority, role=role, joined_on=joined, added_by=cast.manager
        )
    cast.registrar = User.objects.create_user(username="registrator", first_name="Rut", last_name="Registrator")
    Membership.objects.create(user=cast.registrar, unit=cast.school, role=Role.REGISTRAR, valid_from=joined)
    # The education committee's school system, so the administrator's import page shows the SS12000 form
    # (the walk only reads pages: the address is never called).
    SS12000Server.objects.create(name="Skolsystemet", url="http://127.0.0.1:9/ss12000/v2", authority=cast.education)


def walk_all(cast, roles=ROLES) -> list[Walk]:
    """Walk the site as each persona, each with its own signed-in client."""
    return [walk(Client(), getattr(cast, role), role) for role in roles]
