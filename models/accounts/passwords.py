"""Password hashing with argon2id, and the rules a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from models.errors import ValidationFailed
from models.i18n import N_

MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_new_password(password: str, field: str = "password") -> None:
    """Raise :class:`ValidationFailed` for a password that is too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed.on(
            field, N_("Use at least %(count)s characters."), count=MIN_PASSWORD_LENGTH
        )
