"""Account passwords, stored as argon2id hashes (argon2-cffi's defaults: RFC 9106's
low-memory profile), never in the clear."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import BadRequest

MIN_LENGTH = 8
MAX_LENGTH = 1024  # hashing cost grows with the length; nobody types more
_HASHER = PasswordHasher()  # argon2id is its default type


def hash_password(password: str) -> str:
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise BadRequest(f"a password must be {MIN_LENGTH} to {MAX_LENGTH} characters long")
    return _HASHER.hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        return False
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
