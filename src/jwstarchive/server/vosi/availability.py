"""VOSI availability: the service is up, and since when."""

from __future__ import annotations

from datetime import datetime

from jwstarchive.server.vosi.xml import text

__all__ = ["render_availability"]


def render_availability(up_since: datetime, note: str = "jwstarchive is serving this archive") -> bytes:
    """The VOSI availability document (``available`` is always true while we answer)."""
    stamp = up_since.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<vosi:availability xmlns:vosi="http://www.ivoa.net/xml/VOSIAvailability/v1.0">\n'
        "  <vosi:available>true</vosi:available>\n"
        f"  <vosi:upSince>{stamp}</vosi:upSince>\n"
        f"  <vosi:note>{text(note)}</vosi:note>\n"
        "</vosi:availability>\n"
    ).encode()
