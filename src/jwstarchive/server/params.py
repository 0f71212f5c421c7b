"""DALI request parameters: case-insensitive names, GET and POST alike.

Parameters come from the query string and, for POST, from an urlencoded or multipart body.
Names are matched without regard to case (DALI); values are kept as sent. Multipart file
parts (inline TAP uploads) are read into memory up to a size limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from starlette.datastructures import UploadFile

from jwstarchive.errors import InputError

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["DALIParams", "read_params"]

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass
class DALIParams:
    """Request parameters in the order sent; names compared case-insensitively.

    ``items`` holds (name, value) text pairs; ``files`` maps multipart part names to bytes.
    """

    items: list[tuple[str, str]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)

    def get(self, name: str, default: str | None = None) -> str | None:
        """The first value of ``name``, or ``default``."""
        key = name.lower()
        for n, v in self.items:
            if n.lower() == key:
                return v
        return default

    def getall(self, name: str) -> list[str]:
        """Every value of ``name``, in order."""
        key = name.lower()
        return [v for n, v in self.items if n.lower() == key]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.items)

    def file(self, name: str) -> bytes | None:
        """The multipart part called ``name`` (exact name first, then ignoring case)."""
        if name in self.files:
            return self.files[name]
        key = name.lower()
        for n, data in self.files.items():
            if n.lower() == key:
                return data
        return None


async def read_params(request: Request, *, max_file_bytes: int, max_files: int = 16) -> DALIParams:
    """Collect the DALI parameters of ``request`` (query string plus form body).

    Raises
    ------
    InputError
        When the body cannot be parsed or a file part is larger than ``max_file_bytes``.
    """
    params = DALIParams(items=[(k, v) for k, v in request.query_params.multi_items()])
    if request.method != "POST":
        return params
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in FORM_TYPES:
        return params
    try:
        form = await request.form(max_files=max_files, max_fields=1000, max_part_size=16 * 1024 * 1024)
    except InputError:
        raise
    except Exception as exc:
        detail = getattr(exc, "detail", None) or str(exc) or type(exc).__name__
        raise InputError(f"could not read the request body: {detail}") from exc
    try:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                data = await value.read(max_file_bytes + 1)
                if len(data) > max_file_bytes:
                    raise InputError(f"uploaded file {name!r} is larger than the limit of {max_file_bytes} bytes")
                params.files[name] = data
            else:
                params.items.append((name, value))
    finally:
        await form.close()
    return params
