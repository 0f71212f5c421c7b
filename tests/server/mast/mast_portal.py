"""A portal caller for the MAST face tests (sends requests the way astroquery does)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx

__all__ = ["INVOKE", "Portal", "ids"]

INVOKE = "/api/v0/invoke"


class Portal:
    """Sends MashupRequests the way astroquery does (form field ``request``, url-quoted JSON)."""

    def __init__(self, url: str, client: httpx.Client) -> None:
        self.url = url
        self.client = client

    def raw(self, request: dict[str, Any], *, path: str = INVOKE, method: str = "POST") -> httpx.Response:
        body = "request=" + quote(json.dumps(request))
        if method == "GET":
            return self.client.get(self.url + path + "?" + body)
        return self.client.post(
            self.url + path, content=body, headers={"Content-type": "application/x-www-form-urlencoded"}
        )

    def invoke(self, service: str, params: dict[str, Any], **props: Any) -> dict[str, Any]:
        """The JSON document (the HTTP status must be 200, as on MAST)."""
        path = props.pop("path", INVOKE)
        method = props.pop("method", "POST")
        request = {"service": service, "params": params, "format": "json", "pagesize": 50000, "page": 1, **props}
        response = self.raw(request, path=path, method=method)
        assert response.status_code == 200, response.text[:500]
        return response.json()

    def rows(self, service: str, params: dict[str, Any], **props: Any) -> list[dict[str, Any]]:
        """The rows of a COMPLETE answer."""
        doc = self.invoke(service, params, **props)
        assert doc["status"] == "COMPLETE", doc.get("msg")
        return doc["data"]

    def error(self, service: str, params: dict[str, Any], **props: Any) -> str:
        """The message of an ERROR answer."""
        doc = self.invoke(service, params, **props)
        assert doc["status"] == "ERROR", doc
        assert doc["msg"]
        return doc["msg"]


def ids(values: list[Any]) -> set[int]:
    """A set of obsids as integers."""
    return {int(v) for v in values}
