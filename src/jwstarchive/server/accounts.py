"""Accounts of the local archive: users, MAST-style API tokens and ESA sessions.

Everything lives in the server state database (``ARCHIVE/state``), so ``jwstarchive user add`` and
``jwstarchive token create`` take effect on a running server without a restart. Nothing secret is
stored in clear: passwords are scrypt hashes with a salt of their own; tokens and session ids
(long random strings) are stored as SHA-256 digests.

Exclusive access follows the catalog: a user holds the programs whose ``core.program.owner`` is
that user.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from typing import TYPE_CHECKING

from jwstarchive.errors import InputError

if TYPE_CHECKING:
    from starlette.requests import Request

    from jwstarchive.catalog.store import Store
    from jwstarchive.server.state import StateDB

__all__ = ["Accounts", "valid_user_name"]

USER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,63}")
MIN_PASSWORD = 4
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
SESSION_LIFETIME = 7 * 24 * 3600.0
TOKEN_COOKIE = "mast_token"


def valid_user_name(name: str) -> str:
    """``name`` if it is a valid user name, else InputError saying what a name may hold."""
    if not USER_NAME.fullmatch(name or ""):
        raise InputError(
            f"invalid user name {name!r}: use 1-64 letters, digits, '_', '.' or '-', starting with a letter"
        )
    return name


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${key.hex()}"


def _check_hash(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, key = stored.split("$")
        got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), key)


class Accounts:
    """Users, tokens and sessions of one archive.

    Parameters
    ----------
    db
        The server state database.
    store
        The catalog, which says who holds each exclusive-access program (``None``: nobody).
    """

    def __init__(self, db: StateDB, store: Store | None = None) -> None:
        self.db = db
        self.store = store

    # users -------------------------------------------------------------------------------------

    def add_user(self, name: str, password: str) -> None:
        """Create user ``name``; InputError if the name is taken or the password too short."""
        valid_user_name(name)
        if len(password) < MIN_PASSWORD:
            raise InputError(f"the password must have at least {MIN_PASSWORD} characters")
        with self.db.transaction() as con:
            if con.execute("SELECT 1 FROM account WHERE name = ?", (name,)).fetchone():
                raise InputError(f"user {name!r} already exists: choose another name")
            con.execute(
                "INSERT INTO account (name, password_hash, created) VALUES (?, ?, ?)",
                (name, _hash_password(password), time.time()),
            )

    def user_exists(self, name: str) -> bool:
        """Whether ``name`` has an account."""
        return bool(self.db.query("SELECT 1 FROM account WHERE name = ?", (name,)))

    def check_password(self, name: str, password: str) -> bool:
        """Whether ``password`` is ``name``'s password (False for unknown users)."""
        rows = self.db.query("SELECT password_hash FROM account WHERE name = ?", (name,))
        return bool(rows) and _check_hash(password, rows[0]["password_hash"])

    # MAST-style tokens -------------------------------------------------------------------------

    def create_token(self, user: str, days: float = 10) -> str:
        """A new API token for ``user``, valid for ``days``; only its digest is kept."""
        valid_user_name(user)
        if days <= 0:
            raise InputError(f"--days must be positive, not {days:g}")
        token = secrets.token_hex(16)
        now = time.time()
        self.db.execute(
            "INSERT INTO api_token (token_hash, user, created, expires) VALUES (?, ?, ?, ?)",
            (_digest(token), user, now, now + days * 86400),
        )
        return token

    def token_user(self, token: str | None) -> str | None:
        """The user of ``token``, or None when it is unknown or expired."""
        if not token:
            return None
        rows = self.db.query(
            "SELECT user FROM api_token WHERE token_hash = ? AND expires > ?", (_digest(token.strip()), time.time())
        )
        return rows[0]["user"] if rows else None

    def token_expiry(self, token: str) -> float | None:
        """When ``token`` expires (epoch seconds), or None when unknown or expired."""
        rows = self.db.query(
            "SELECT expires FROM api_token WHERE token_hash = ? AND expires > ?", (_digest(token.strip()), time.time())
        )
        return float(rows[0]["expires"]) if rows else None

    @staticmethod
    def request_token(request: Request) -> str | None:
        """The MAST token a request carries: ``Authorization: token|Bearer X`` or cookie ``mast_token``."""
        auth = request.headers.get("authorization", "")
        scheme, _, value = auth.partition(" ")
        if scheme.lower() in ("token", "bearer") and value.strip():
            return value.strip()
        return request.cookies.get(TOKEN_COOKIE) or None

    def mast_request_user(self, request: Request) -> str | None:
        """The user whose valid MAST token ``request`` carries, else None."""
        return self.token_user(self.request_token(request))

    # ESA sessions ------------------------------------------------------------------------------

    def open_session(self, user: str | None) -> str:
        """A new session id for ``user`` (None: an anonymous session)."""
        sid = secrets.token_urlsafe(24)
        now = time.time()
        self.db.execute(
            "INSERT INTO session (session_hash, user, created, expires) VALUES (?, ?, ?, ?)",
            (_digest(sid), user, now, now + SESSION_LIFETIME),
        )
        return sid

    def _session(self, sid: str | None) -> dict[str, str | None] | None:
        if not sid:
            return None
        rows = self.db.query(
            "SELECT user, mast_token_hash FROM session WHERE session_hash = ? AND expires > ?",
            (_digest(sid), time.time()),
        )
        return dict(rows[0]) if rows else None

    def session_user(self, sid: str | None) -> str | None:
        """The user logged in with session ``sid``, else None."""
        session = self._session(sid)
        return session["user"] if session else None

    def close_session(self, sid: str | None) -> None:
        """End session ``sid`` (unknown ids are ignored)."""
        if sid:
            self.db.execute("DELETE FROM session WHERE session_hash = ?", (_digest(sid),))

    def set_session_token(self, sid: str, token: str) -> str | None:
        """Keep MAST ``token`` with session ``sid``; returns the token's user (None: not a valid token)."""
        user = self.token_user(token)
        if user is not None:
            self.db.execute(
                "UPDATE session SET mast_token_hash = ? WHERE session_hash = ?", (_digest(token.strip()), _digest(sid))
            )
        return user

    def session_token_user(self, sid: str | None) -> str | None:
        """The user of the (still valid) MAST token kept with session ``sid``, else None."""
        session = self._session(sid)
        if not session or not session["mast_token_hash"]:
            return None
        rows = self.db.query(
            "SELECT user FROM api_token WHERE token_hash = ? AND expires > ?",
            (session["mast_token_hash"], time.time()),
        )
        return rows[0]["user"] if rows else None

    def sweep(self) -> int:
        """Forget expired sessions and tokens; returns how many rows went."""
        now = time.time()
        return self.db.execute("DELETE FROM session WHERE expires <= ?", (now,)) + self.db.execute(
            "DELETE FROM api_token WHERE expires <= ?", (now,)
        )

    # exclusive access --------------------------------------------------------------------------

    def granted_programs(self, user: str | None) -> frozenset[str]:
        """The five-digit ids of the programs whose exclusive access ``user`` holds."""
        if not user or self.store is None:
            return frozenset()
        table = self.store.fetch("SELECT program_id FROM core.program WHERE owner = ?", [user])
        return frozenset(table.column("program_id").to_pylist())
