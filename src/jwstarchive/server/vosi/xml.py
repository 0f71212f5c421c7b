"""Small helpers to write XML text safely (escaping and control-character removal)."""

from __future__ import annotations

from jwstarchive.server.formats.fields import clean_xml_text

__all__ = ["attr", "text"]


def text(value: object) -> str:
    """``value`` as XML character data."""
    return clean_xml_text(str(value)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(value: object) -> str:
    """``value`` as the content of a double-quoted XML attribute."""
    return text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
