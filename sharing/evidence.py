"""Signed consent forms: what may be uploaded, how it is stored, and how it is sent back.

A form is accepted only as PDF, JPEG or PNG, recognised by its first bytes (the name alone proves
nothing), and up to 10 MB. It is stored under a neutral name, so the family's names in the
uploaded file name never reach the disk, and it is served only by views that ask the policy first
(uploaded files have no public URL), always as an attachment.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

from sharing.models import ConsentParty

MAX_BYTES = 10 * 1024 * 1024
# Each kind of form by its file name endings, its first bytes and the content type it is sent with.
KINDS = (
    ((".pdf",), b"%PDF-", "application/pdf"),
    ((".jpg", ".jpeg"), b"\xff\xd8\xff", "image/jpeg"),
    ((".png",), b"\x89PNG\r\n\x1a\n", "image/png"),
)
# Content types for the kinds people upload; anything else is sent as bytes for the browser to save, never to render.
CONTENT_TYPES = {suffix: content_type for suffixes, _magic, content_type in KINDS for suffix in suffixes}

TOO_LARGE = _(
    "Filen är större än 10 MB. Skanna eller fotografera blanketten med lägre upplösning, eller spara den som PDF, "
    "och ladda upp den igen."
)
WRONG_KIND = _(
    "Filen är inte en PDF-, JPEG- eller PNG-fil. Spara blanketten i något av de formaten och ladda upp den igen. "
    "Inget har sparats."
)


def _suffix(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def _head(upload: UploadedFile, size: int) -> bytes:
    position = upload.tell()
    upload.seek(0)
    head = upload.read(size)
    upload.seek(position)
    return head


def evidence_check(upload: UploadedFile) -> None:
    """Refuse an upload that is too large, or whose first bytes are not those of a PDF, JPEG or PNG it is named as."""
    if upload.size is None or upload.size > MAX_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    head = _head(upload, 8)
    suffix = _suffix(upload.name or "")
    # The name must say the same kind as the bytes: the download is sent with the type its name says.
    if not any(suffix in suffixes and head.startswith(magic) for suffixes, magic, _type in KINDS):
        raise ValidationError(WRONG_KIND, code="wrong_kind")


def neutral_name(upload: UploadedFile) -> str:
    """Return a random file name with the upload's (checked) suffix: nothing of the family on disk."""
    return f"{uuid4().hex}{_suffix(upload.name or '')}"


def evidence_response(party: ConsentParty) -> FileResponse:
    """Send one party's signed form as an attachment named after the consent, not the family; 404 if it is gone."""
    try:
        handle = party.evidence.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    suffix = _suffix(party.evidence.name)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"samtycke-{party.consent_id}-svar-{party.pk}{suffix if suffix in CONTENT_TYPES else ''}",
        content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )
