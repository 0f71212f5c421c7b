"""jwst_mast_query's ``dl_code`` / ``dl_str`` columns, derived from our checks and results.

jwst_mast_query marks every selected product before downloading and again after it. We keep its
numbers so tables and scripts that read them still work:

======  ===============  ====================================================================
code    string           meaning
======  ===============  ====================================================================
<NA>    None             the local check was skipped (``skip_check_if_outfile_exists``)
0       None             not on disk yet
1       'downloaded'     `FileResult` COMPLETE: fetched in this run, size and md5 verified
2       'exists'         on disk and complete (`FileResult` SKIPPED, or the pre-download check)
4       'ERRfilesize'    on disk with the wrong size: it will be downloaded again
7       'ERRORdownload'  `FileResult` ERROR (HTTP 4xx, retries used up, size or md5 mismatch)
======  ===============  ====================================================================

Codes up to 2 count as success, as upstream. Upstream's 3, 6 and 9 (no output name, old file not
removable, file missing after the transfer) cannot happen here: every request has a path, the old
file is replaced atomically and a transfer only counts as COMPLETE after the rename.
"""

from __future__ import annotations

from jwstarchive.download.model import FileRequest, FileResult

MISSING = (0, None)
DOWNLOADED = (1, "downloaded")
EXISTS = (2, "exists")
WRONG_SIZE = (4, "ERRfilesize")
FAILED = (7, "ERRORdownload")


def existing_file_code(request: FileRequest, check_size: bool = True) -> tuple[int, str | None]:
    """``(dl_code, dl_str)`` of the local file before downloading (jwst_mast_query's check).

    With ``check_size=False`` (upstream's ``--skip_check_filesize``) any existing file counts as
    complete. A size the catalog does not know is not compared.
    """
    try:
        size = request.path.stat().st_size
    except (FileNotFoundError, NotADirectoryError):
        return MISSING
    if check_size and request.size is not None and size != request.size:
        return WRONG_SIZE
    return EXISTS


def dl_code(result: FileResult) -> tuple[int, str]:
    """``(dl_code, dl_str)`` of a `FileResult`: COMPLETE 1, SKIPPED 2, ERROR 7."""
    if result.status == "COMPLETE":
        return DOWNLOADED
    if result.status == "SKIPPED":
        return EXISTS
    return FAILED


def is_success(code: int | None) -> bool:
    """Upstream's rule: a code up to 2 is a success (None, the unchecked state, is not)."""
    return code is not None and code <= 2
