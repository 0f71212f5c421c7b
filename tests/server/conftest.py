"""Fixtures for the server tests."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

USER_AGENT = "jwstarchive-tests/0.1 (IVOA-test)"


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """An HTTP client that does not follow redirects (tests look at 303s)."""
    with httpx.Client(timeout=120, headers={"User-Agent": USER_AGENT}) as client:
        yield client

