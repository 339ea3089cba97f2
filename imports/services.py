"""Start an import from the admin page (a Navet file, an SS12000 sync): in a background thread, or in the request.

The thread is the simple choice: a run reports its progress in its row, the page polls that row, and
because each batch is its own transaction and the import is idempotent, a run cut short (a server
restart) is finished by uploading the same file again. `SAMPLAN_IMPORT_IN_BACKGROUND = False`
(the tests) runs the import in the request instead.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from imports import navet, runs, ss12000
from imports.models import ImportRun, SS12000Server

logger = logging.getLogger(__name__)


def navet_upload_start(*, upload, dry_run: bool, user) -> ImportRun:
    """Store the upload in a private temporary file, create the run and start it."""
    run = runs.run_start(
        kind=ImportRun.Kind.NAVET, source_name=os.path.basename(upload.name), dry_run=dry_run, started_by=user
    )
    handle, path = tempfile.mkstemp(prefix="navet-", suffix=".xml")
    with os.fdopen(handle, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    if getattr(settings, "SAMPLAN_IMPORT_IN_BACKGROUND", True):
        threading.Thread(target=_run_in_thread, args=(run.pk, path), daemon=True, name=f"import-{run.pk}").start()
    else:
        _run_file(run, path)
    return run


def _run_file(run: ImportRun, path: str) -> None:
    try:
        with open(path, "rb") as stream:
            navet.import_file(stream, run)
    except Exception as exc:
        # The type only: an exception's text could quote the file's contents, personal numbers included.
        logger.error("Import run %s failed: %s", run.pk, type(exc).__name__)
        runs.run_finish(run, runs.Report(), status=ImportRun.Status.FAILED, error=_("Importen avbröts av ett fel."))
    finally:
        os.unlink(path)


def _run_in_thread(run_id: int, path: str) -> None:
    try:
        _run_file(ImportRun.objects.get(pk=run_id), path)
    finally:
        connection.close()  # the thread's own connection


def ss12000_sync_start(*, server: SS12000Server, full: bool, dry_run: bool, user) -> ImportRun:
    """Create the run of a full or delta sync of one configured server and start it, as the upload does."""
    run = runs.run_start(
        kind=ImportRun.Kind.SS12000, source_name=server.url, dry_run=dry_run, started_by=user, full=full
    )
    if getattr(settings, "SAMPLAN_IMPORT_IN_BACKGROUND", True):
        threading.Thread(target=_sync_in_thread, args=(run.pk,), daemon=True, name=f"import-{run.pk}").start()
    else:
        _sync(run)
    return run


def _sync(run: ImportRun) -> None:
    try:
        ss12000.sync(run)
    except Exception as exc:
        # The type only, as for a file: a message could quote what the server sent.
        logger.error("Import run %s failed: %s", run.pk, type(exc).__name__)
        runs.run_finish(run, runs.Report(), status=ImportRun.Status.FAILED, error=_("Importen avbröts av ett fel."))


def _sync_in_thread(run_id: int) -> None:
    try:
        _sync(ImportRun.objects.get(pk=run_id))
    finally:
        connection.close()  # the thread's own connection
