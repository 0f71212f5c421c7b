"""Reading VOTables in tests: strict parsing, QUERY_STATUS and error messages."""

from __future__ import annotations

import io
import warnings
from typing import Any

import httpx

#: astropy warnings about catalogue content rather than document structure (UCD vocabulary).
CONTENT_WARNINGS = ("W06",)


def parse_votable(data: bytes) -> Any:
    """Parse a VOTable; any astropy warning about its structure fails the test."""
    from astropy.io.votable import parse

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        vot = parse(io.BytesIO(data), verify="warn")
    problems = [str(w.message) for w in caught if not any(code in str(w.message) for code in CONTENT_WARNINGS)]
    assert not problems, problems[:5]
    return vot


def query_status(data: bytes) -> list[tuple[str, str]]:
    """The (value, text) of every QUERY_STATUS INFO, in document order."""
    vot = parse_votable(data)
    return [(i.value, (i.content or "").strip()) for i in vot.resources[0].infos if i.name == "QUERY_STATUS"]


def error_message(response: httpx.Response) -> str:
    """The message of a TAP error document (asserting that it is one)."""
    statuses = query_status(response.content)
    assert statuses and statuses[0][0] == "ERROR", response.text[:500]
    assert not parse_votable(response.content).resources[0].tables
    return statuses[0][1]
