"""Passwords: argon2id hashes (argon2-cffi), the minimum policy, one-time passwords, tokens.

    digest = hash_password("s3cret-pass")     # "$argon2id$v=19$m=65536,t=3,p=4$..."
    verify(digest, "s3cret-pass")             # True; a wrong or damaged digest: False
    policy_problem("short", login="desk01")   # "密码至少 8 位" (None when acceptable)

A password is never stored, logged or printed: only its hash is kept. The hash carries its own
parameters, so raising them later (``HASHER``) leaves older hashes verifiable. A token given to a
kiosk or the board is random text shown once; only its SHA-256 digest is stored, so checking one
is a single indexed lookup (a token is long and random: no need for a slow hash).
"""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
"""The hasher new passwords get: argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1
lane). The library's defaults (64 MiB, 3 passes, 4 lanes) cost a CLI command 0.6 s on a 2-core
kiosk; this costs about a tenth of that and still makes each guess of a stolen hash cost 19 MiB
of memory. Tests may give an Accounts a cheaper one (same algorithm)."""

MIN_LENGTH = 8
MAX_LENGTH = 256


def hash_password(password: str, hasher: PasswordHasher = HASHER) -> str:
    """The argon2id hash of ``password``."""
    return hasher.hash(password)


def verify(digest: str, password: str, hasher: PasswordHasher = HASHER) -> bool:
    """Whether ``password`` matches ``digest`` (no digest, or a damaged one: False)."""
    if not digest:
        return False
    try:
        return hasher.verify(digest, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def policy_problem(password: str, login: str) -> str | None:
    """What is wrong with ``password`` as a new password for ``login``, in Chinese; None if
    nothing is."""
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位"
    if len(password) > MAX_LENGTH:
        return f"密码不能超过 {MAX_LENGTH} 位"
    if password.strip().casefold() == login.casefold():
        return "密码不能与登录名相同"
    if len(set(password)) < 3:
        return "密码过于简单（至少包含 3 种不同字符）"
    if any(ord(c) < 32 or ord(c) == 127 for c in password):
        return "密码不能包含控制字符"
    return None


def one_time_password() -> str:
    """A one-time password for a new or reset account: 12 characters, easy to read out
    (no 0/O, 1/l/I)."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


def new_token() -> str:
    """A new access token's text (shown once)."""
    return "hall_" + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The SHA-256 digest of a token's text, as stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
