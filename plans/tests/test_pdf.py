"""The plan as PDF: tagged (PDF/UA-1), Swedish text extractable, and logged as a print."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditEvent
from plans import services
from plans.tests.setup import add_action, start, via
from testsupport.cast import sign_in


@pytest.fixture
def pdf(client, cast):
    plan = start(cast, reasons="Åsa på förskolan är orolig för Alvas frånvaro.")
    add_action(cast, plan, description="Möte med skolsköterskan varje månad")
    services.need_set(plan=plan, indicator="healthy", summary="Sömn och måltider", via=via(cast.named_person))
    sign_in(client, cast.named_person)
    response = client.get(reverse("plans:pdf", kwargs={"child_id": cast.child.pk, "plan_id": plan.pk}))
    assert response.status_code == 200
    return PdfReader(io.BytesIO(response.content))


def test_the_text_is_extractable_with_swedish_letters(pdf):
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for expected in (
        "Barnets plan för Alva Andersson",
        "Åsa på förskolan är orolig för Alvas frånvaro.",
        "Möte med skolsköterskan varje månad",
        "Sömn och måltider",
        "Förväntat resultat",
        "Hanna Rektorsson",
    ):
        assert expected in text


def test_it_is_tagged_with_language_and_title(pdf):
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).startswith("sv")
    assert pdf.metadata.title == "Barnets plan för Alva"


def test_the_print_is_logged(pdf, cast):
    assert AuditEvent.objects.filter(action="print", target="plans:pdf", child_id=cast.child.pk).count() == 1
