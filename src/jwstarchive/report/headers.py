"""FITS header keywords read from downloaded products (headers only, never the data)."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

__all__ = ["read_keywords"]


def _plain(value: Any) -> Any:
    """A header value as a plain Python value (astropy's Undefined becomes None)."""
    if isinstance(value, bool | int | float | str):
        return value
    return None


def read_keywords(path: Path, keywords: Sequence[str]) -> dict[str, Any]:
    """Return ``keywords`` from the primary header of ``path``, falling back to the first extension.

    JWST products keep most keywords in the primary header, but a few (``S_REGION``, ``BUNIT``) live
    in the ``SCI`` extension. Missing keywords map to None; an unreadable file gives all None and a
    warning in the log, never an exception.
    """
    from astropy.io import fits
    from astropy.io.fits.verify import VerifyWarning

    found: dict[str, Any] = dict.fromkeys(keywords)
    if not keywords:
        return found
    try:
        with warnings.catch_warnings():
            # Non-standard cards in someone's file are not a reason to lose the report.
            warnings.simplefilter("ignore", VerifyWarning)
            with fits.open(path, memmap=False, lazy_load_hdus=True) as hdul:
                headers = [hdul[0].header]
                missing = [k for k in keywords if k not in headers[0]]
                if missing and len(hdul) > 1:
                    headers.append(hdul[1].header)
                for key in keywords:
                    for header in headers:
                        if key in header:
                            found[key] = _plain(header[key])
                            break
    except (OSError, ValueError, IndexError) as exc:
        log.warning("cannot read the FITS header of %s: %s", path, exc)
    return found
