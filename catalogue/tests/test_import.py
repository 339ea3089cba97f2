"""Export and import: a round trip, and bad files that are reported row by row and change nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from catalogue import transfer
from catalogue.models import Intervention, InterventionNeed
from testsupport.cast import sign_in

IMPORT = reverse("catalogue:import")
HEADER = ",".join(transfer.COLUMNS)
GOOD = (
    "Barnhälsovården,Babymassage,Massage för spädbarn.,,Föräldrar,0,1,"
    '"Omvårdad, Frisk",,Universell,Blå,Egen kontakt,nej,nej,,2,,,,,ja'
)


def _csv(*rows: str, header: str = HEADER) -> SimpleUploadedFile:
    return SimpleUploadedFile("insatser.csv", "\n".join([header, *rows]).encode(), content_type="text/csv")


def _snapshot():
    return (
        list(Intervention.objects.order_by("pk").values_list("pk", "name", "min_age", "waiting_weeks", "updated_at")),
        InterventionNeed.objects.count(),
    )


def _post(client, upload):
    return client.post(IMPORT, {"file": upload})


@pytest.mark.django_db
class TestExport:
    def test_it_exports_the_filtered_catalogue_as_csv_and_logs_it(self, client, catalogue):
        sign_in(client, catalogue.teacher)
        response = client.get(reverse("catalogue:export", args=["csv"]), {"niva": "indicated"})
        body = response.content.decode("utf-8-sig")
        assert body.splitlines()[0] == HEADER
        assert "Cool Kids" in body and "Hembesök" not in body
        assert "ja" in body and "Indikerad" in body
        assert AuditEvent.objects.filter(action="export", target="catalogue:export").exists()

    def test_it_exports_excel(self, client, catalogue):
        sign_in(client, catalogue.teacher)
        response = client.get(reverse("catalogue:export", args=["xlsx"]))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert [cell.value for cell in sheet[1]] == list(transfer.COLUMNS)
        assert sheet.max_row == 5

    def test_an_unknown_format_is_404(self, client, catalogue):
        sign_in(client, catalogue.teacher)
        assert client.get(reverse("catalogue:export", args=["pdf"])).status_code == 404


@pytest.mark.django_db
class TestImport:
    def test_an_exported_file_comes_back_unchanged_and_a_new_row_is_added(self, client, catalogue):
        sign_in(client, catalogue.bvc_nurse)
        exported = client.get(reverse("catalogue:export", args=["xlsx"]), {"utforare": catalogue.provider.pk})
        book = openpyxl.load_workbook(io.BytesIO(exported.content))
        book.active.append(GOOD.replace('"Omvårdad, Frisk"', "Omvårdad").split(","))
        out = io.BytesIO()
        book.save(out)
        upload = SimpleUploadedFile("insatser.xlsx", out.getvalue())
        response = _post(client, upload)
        assert response.status_code == 302
        assert Intervention.objects.filter(name="Babymassage", min_age=0, max_age=1, public=True).exists()
        cool = Intervention.objects.get(pk=catalogue.cool_kids.pk)
        assert (cool.min_age, cool.level, cool.keywords) == (6, "indicated", "ångest, oro")
        assert list(cool.needs.values_list("indicator", flat=True)) == ["healthy"]

    def test_a_good_csv_row_is_created_with_its_needs(self, client, catalogue):
        sign_in(client, catalogue.bvc_nurse)
        assert _post(client, _csv(GOOD)).status_code == 302
        created = Intervention.objects.get(name="Babymassage")
        assert sorted(created.needs.values_list("indicator", flat=True)) == ["healthy", "nurtured"]

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (
                lambda: _csv(GOOD, header=HEADER.replace("Nivå", "Level")),
                "Kolumner saknas: Nivå. Okända kolumner: Level.",
            ),
            (
                lambda: _csv(GOOD.replace(",0,1,", ",0,25,")),
                "Rad 2: Till ålder ska vara ett helt antal år mellan 0 och 20",
            ),
            (lambda: _csv(GOOD.replace(",0,1,", ",tre,1,")), "Rad 2: Från ålder ska vara ett helt antal år"),
            (lambda: _csv(GOOD.replace(",0,1,", ",9,1,")), "Rad 2: Till ålder kan inte vara lägre än Från ålder."),
            (
                lambda: _csv(GOOD.replace("Barnhälsovården", "Okänd förening")),
                "Rad 2: Utföraren ”Okänd förening” finns inte",
            ),
            (lambda: _csv(GOOD, GOOD), "Rad 3: Samma insats finns redan på rad 2."),
            (lambda: _csv(GOOD.replace("Universell", "Mellan")), "Rad 2: Nivå ”Mellan” finns inte."),
            (lambda: _csv(), "Filen innehåller inga rader."),
            (
                lambda: SimpleUploadedFile("insatser.xlsx", b"%PDF-1.4 not a workbook"),
                "Filen kunde inte läsas.",
            ),
            (lambda: SimpleUploadedFile("insatser.pdf", b"%PDF-1.4"), "Filen måste vara en CSV-fil eller en Excel-fil"),
            (lambda: SimpleUploadedFile("insatser.csv", b"\xff\xfe\x00\x00binary"), "Filen kunde inte läsas."),
        ],
    )
    def test_a_bad_file_is_reported_and_changes_nothing(self, client, catalogue, upload, message):
        sign_in(client, catalogue.bvc_nurse)
        before = _snapshot()
        response = _post(client, upload())
        assert response.status_code == 400
        page = response.content.decode().replace("\n", " ")
        assert "Filen lästes inte in – ingenting har ändrats" in page
        assert message.split(". ")[0] in page
        assert _snapshot() == before
        assert not AuditEvent.objects.filter(record_type="Intervention").exists()

    def test_one_bad_row_among_good_ones_saves_none(self, client, catalogue):
        sign_in(client, catalogue.bvc_nurse)
        other = GOOD.replace("Babymassage", "Sångstund")
        bad = GOOD.replace("Babymassage", "Fel").replace(",0,1,", ",0,99,")
        response = _post(client, _csv(GOOD, other, bad))
        assert response.status_code == 400
        assert "Rad 4:" in response.content.decode()
        assert not Intervention.objects.filter(name__in=["Babymassage", "Sångstund"]).exists()

    def test_a_provider_the_user_does_not_keep_is_unknown_to_them(self, client, catalogue):
        sign_in(client, catalogue.bvc_nurse)
        row = GOOD.replace("Barnhälsovården", "Föreningen Stöd")
        response = _post(client, _csv(row))
        assert response.status_code == 400
        assert "finns inte bland de utförare du håller" in response.content.decode()

    def test_staff_who_keep_nothing_may_not_import(self, client, catalogue):
        sign_in(client, catalogue.teacher)
        assert _post(client, _csv(GOOD)).status_code == 403
        assert not Intervention.objects.filter(name="Babymassage").exists()

    def test_no_file_is_asked_for(self, client, catalogue):
        sign_in(client, catalogue.bvc_nurse)
        response = client.post(IMPORT, {})
        assert response.status_code == 400
        assert "Välj en fil att läsa in." in response.content.decode()
