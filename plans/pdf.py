"""Render the plan as an accessible PDF: tagged (PDF/UA-1), in Swedish, with a real text layer.

WeasyPrint lays the text out with pango (a Debian package; scripts/install adds it) and, with the
PDF/UA-1 variant, writes the structure tree, the document language and the title, so screen
readers read the plan in order and families can copy and search its text.
"""

from __future__ import annotations

from weasyprint import HTML

VARIANT = "pdf/ua-1"


def render(html: str, *, base_url: str | None = None) -> bytes:
    """Return the PDF bytes for an HTML document (which must set lang and a <title>)."""
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant=VARIANT)
