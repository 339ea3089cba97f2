"""The start page and the page frame every page shares: navigation by role, language, demo banner."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from testsupport.cast import sign_in

HOME = reverse("core:home")


@pytest.fixture
def home(client):
    def get(user):
        sign_in(client, user)
        return client.get(HOME)

    return get


def links(response) -> set[str]:
    body = response.content.decode()
    names = {
        "namedperson:my_children",
        "namedperson:handovers",
        "namedperson:without",
        "people:child_list",
        "people:lookup",
        "admin:index",
    }
    return {name for name in names if f'href="{reverse(name)}"' in body}


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_sends_users_without_a_second_factor_to_the_login_page(client, cast):
    client.force_login(cast.teacher)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_offers_a_head_teacher_every_named_person_page(home, cast):
    response = home(cast.named_person)
    assert response.status_code == 200
    assert links(response) == {
        "namedperson:my_children",
        "namedperson:handovers",
        "namedperson:without",
        "people:child_list",
        "people:lookup",
    }


def test_it_offers_a_teacher_the_children_at_the_school(home, cast):
    assert links(home(cast.teacher)) == {"people:child_list"}


def test_it_offers_a_social_worker_the_look_up(home, cast):
    assert links(home(cast.social_worker)) == {"people:child_list", "people:lookup"}


def test_it_offers_an_administrator_the_administration(home, cast):
    assert links(home(cast.administrator)) == {"admin:index"}


def test_it_offers_an_analyst_no_child_pages(home, cast):
    response = home(cast.analyst)
    assert links(response) == set()
    # The intervention catalogue holds no child data: every staff role, analysts too, may look up support.
    assert f'href="{reverse("catalogue:list")}"' in response.content.decode()


def test_it_greets_the_user_and_offers_to_log_out(home, cast):
    body = home(cast.teacher).content.decode()
    assert body.count("<h1") == 1
    assert "Välkommen, Lars Lärare" in body
    assert "Inloggad som Lars Lärare" in body
    assert f'action="{reverse("accounts:logout")}"' in body


def test_it_marks_the_current_page_in_the_navigation(client, cast):
    sign_in(client, cast.teacher)
    body = client.get(reverse("people:child_list")).content.decode()
    assert f'<a href="{reverse("people:child_list")}" aria-current="page">' in body


def test_it_speaks_swedish_and_offers_english(home, cast):
    body = home(cast.teacher).content.decode()
    assert '<html lang="sv"' in body
    assert f'action="{reverse("set_language")}"' in body
    assert '<option value="en" lang="en">English</option>' in body
    assert 'class="ds-skip-link" href="#main"' in body


def test_it_switches_to_english(client, cast):
    sign_in(client, cast.teacher)
    client.post(reverse("set_language"), {"language": "en", "next": HOME})
    assert '<html lang="en"' in client.get(HOME).content.decode()


def test_it_shows_the_demo_banner_in_demo_mode(home, cast, settings):
    settings.SAMPLAN_DEMO = True
    assert "Demodata – alla personer och personnummer är påhittade" in home(cast.teacher).content.decode()
    settings.SAMPLAN_DEMO = False
    assert "Demodata" not in home(cast.teacher).content.decode()


def test_it_loads_the_design_system_and_htmx_from_our_own_origin(home, cast):
    body = home(cast.teacher).content.decode()
    for path in (
        "vendor/designsystemet-css/index.css",
        "vendor/designsystemet-theme/designsystemet.css",
        "vendor/htmx/htmx.min.js",
        "css/samplan.css",
    ):
        assert f'"/static/{path}"' in body
        assert finders.find(path), f"{path} is not installed: run npm ci"
    assert "<style" not in body
    assert "https://" not in body
