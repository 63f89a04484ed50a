"""Passwords, session tokens and CSRF tokens of the workspace.

Passwords are hashed with argon2-cffi (Argon2id, its default parameters) and never kept or logged in
clear. A session token is 32 random bytes sent only in an HttpOnly, SameSite=Strict cookie; the store
keeps its SHA-256, never the token. Each session has its own CSRF secret, kept in the store; every
state-changing request sends it back (form field ``csrf`` or header ``X-CSRF-Token``). The login form
has no session yet: its token is a nonce (also in a cookie) signed with the workspace's key, which
lives in the store too, so any ``serve`` process on the database accepts it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ROLE_RANK = {"viewer": 0, "staff": 1, "editor": 2, "admin": 3}
_hasher = PasswordHasher()
#: a hash to verify against when the user does not exist, so both cases take the same time
_DUMMY = _hasher.hash("chainkg-no-such-user")


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password``.

    >>> h = hash_password("correct horse")
    >>> h.startswith("$argon2id$"), check_password(h, "correct horse"), check_password(h, "wrong")
    (True, True, False)
    """
    return _hasher.hash(password)


def check_password(hashed: str | None, password: str) -> bool:
    try:
        return _hasher.verify(hashed or _DUMMY, password) and hashed is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    """Constant-time equality of two tokens (None never equals anything)."""
    return a is not None and b is not None and hmac.compare_digest(a.encode(), b.encode())


def login_token(key: str, nonce: str) -> str:
    """The login form's CSRF token for ``nonce`` (the nonce's cookie must come with it).

    >>> t = login_token("k", "n"); same(t, login_token("k", "n")), same(t, login_token("k2", "n"))
    (True, False)
    """
    return hmac.new(key.encode(), b"login:" + nonce.encode(), hashlib.sha256).hexdigest()


def allows(role: str | None, needed: str) -> bool:
    """Whether ``role`` may do what ``needed`` may (viewer < staff < editor < admin).

    >>> allows("editor", "staff"), allows("staff", "editor"), allows(None, "viewer")
    (True, False, False)
    """
    return role in ROLE_RANK and ROLE_RANK[role] >= ROLE_RANK[needed]
