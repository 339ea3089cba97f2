from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportRun
from imports.tests.helpers import cast_post, navet_bytes, run_navet
from people.models import Child
from testsupport.cast import sign_in

LIST = reverse("imports:list")
UPLOAD = reverse("imports:navet_upload")


@pytest.fixture(autouse=True)
def _in_the_request(settings):
    settings.SAMPLAN_IMPORT_IN_BACKGROUND = False


def _upload(content: bytes, name: str = "leverans.xml", dry_run: bool = False) -> dict:
    data = {"file": SimpleUploadedFile(name, content, content_type="text/xml")}
    if dry_run:
        data["dry_run"] = "on"
    return data


def test_an_administrator_uploads_a_file_and_reads_the_report(client, cast):
    sign_in(client, cast.administrator)
    assert "Inga importer har körts ännu" in client.get(LIST).content.decode()
    response = client.post(UPLOAD, _upload(navet_bytes([cast_post(cast, given_name="Alvina")])))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:detail", args=[run.pk])
    assert run.started_by == cast.administrator and run.status == ImportRun.Status.DONE
    page = client.get(response.url).content.decode()
    assert "Ändrade namn: 1" in page and "Post 1: namnet ändrat" in page
    assert cast.child.identity_number not in page
    assert Child.objects.get(pk=cast.child.pk).given_name == "Alvina"
    assert "leverans.xml" in client.get(LIST).content.decode()


def test_a_dry_run_upload_changes_nothing(client, cast):
    sign_in(client, cast.administrator)
    client.post(UPLOAD, _upload(navet_bytes([cast_post(cast, given_name="Alvina")]), dry_run=True))
    assert ImportRun.objects.get().dry_run
    assert Child.objects.get(pk=cast.child.pk).given_name == "Alva"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, None),
        (_upload(b"<Navet/>", name="leverans.csv"), "Välj en XML-fil"),
    ],
)
def test_a_bad_upload_says_why_and_starts_nothing(client, cast, data, message):
    sign_in(client, cast.administrator)
    response = client.post(UPLOAD, data)
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    if message:
        assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_bad_file_is_reported_as_rejected(client, cast):
    sign_in(client, cast.administrator)
    response = client.post(UPLOAD, _upload(b"<Navet><trasig"))
    page = client.get(response.url).content.decode()
    assert "Avvisad" in page and "inte giltig XML" in page


def test_the_progress_fragment_polls_while_running_and_refreshes_when_done(client, cast):
    sign_in(client, cast.administrator)
    running = ImportRun.objects.create(kind="navet", source_name="stor.xml", total=200, processed=50)
    fragment = client.get(reverse("imports:detail", args=[running.pk]), headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="25"' in body and "<h1>" not in body
    assert "HX-Refresh" not in fragment
    done = run_navet(navet_bytes([cast_post(cast)]))
    fragment = client.get(reverse("imports:detail", args=[done.pk]), headers={"HX-Request": "true"})
    assert fragment["HX-Refresh"] == "true"


@pytest.mark.parametrize("persona", ["teacher", "named_person", "manager", "outsider", "expired", "guardian_user"])
def test_only_an_administrator_sees_the_import_pages(client, cast, persona):
    run = run_navet(navet_bytes([cast_post(cast)]))
    sign_in(client, getattr(cast, persona))
    assert client.get(LIST).status_code == 404
    assert client.get(reverse("imports:detail", args=[run.pk])).status_code == 404
    assert client.post(UPLOAD, _upload(navet_bytes([cast_post(cast, given_name="X")]))).status_code == 404
    assert Child.objects.get(pk=cast.child.pk).given_name == "Alva"


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    assert client.get(LIST).status_code == 302


def test_the_menu_offers_imports_to_an_administrator_only(client, cast):
    sign_in(client, cast.administrator)
    assert f'href="{LIST}"' in client.get(reverse("core:home")).content.decode()
    sign_in(client, cast.teacher)
    assert f'href="{LIST}"' not in client.get(reverse("core:home")).content.decode()
