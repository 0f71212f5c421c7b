"""Who is calling: the ESA session cookie (``JSESSIONID`` or ``SESSION``) and its MAST token.

astroquery keeps exactly one cookie from the login answer, ``SESSION`` if present, else
``JSESSIONID``, and sends it with every later request; the server sets ``JSESSIONID``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jwstarchive.server.services import services

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["COOKIE", "clear_session_cookie", "data_user", "request_user", "session_id", "set_session_cookie"]

COOKIE = "JSESSIONID"
_COOKIES = ("SESSION", "JSESSIONID")


def session_id(request: Request) -> str | None:
    """The session id the request carries, or None."""
    for name in _COOKIES:
        value = request.cookies.get(name)
        if value:
            return value
    return None


def request_user(request: Request) -> str | None:
    """The user logged in with the request's session (None: anonymous)."""
    sid = session_id(request)
    if sid is None:
        return None
    return services(request).accounts.session_user(sid)


def data_user(request: Request) -> str | None:
    """The user whose exclusive-access products the request may read.

    That is the user of the MAST token stored on the session (``jwstToken``), or of a token the
    request carries itself (``Authorization: token X`` / ``Bearer X``, as pyvo-style clients send).
    """
    accounts = services(request).accounts
    user = accounts.session_token_user(session_id(request))
    return user if user is not None else accounts.mast_request_user(request)


def set_session_cookie(response: Response, sid: str) -> None:
    """Attach the session cookie (sent to every path; not ``Secure``, so loopback http works too)."""
    response.set_cookie(COOKIE, sid, path="/", httponly=True, samesite="lax")


def clear_session_cookie(response: Response) -> None:
    """Expire the session cookies."""
    for name in _COOKIES:
        response.delete_cookie(name, path="/")
