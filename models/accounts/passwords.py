"""Password hashing with argon2id, and the rules a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from models.errors import ValidationFailed
from models.i18n import N_, Msg

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


def password_problem(password: str) -> Msg | None:
    """Why a new password is refused (too short, or nothing but spaces), or ``None``."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return Msg(N_("Use at least %(count)s characters."), count=MIN_PASSWORD_LENGTH)
    if not password.strip():
        return Msg(N_("A password cannot be only spaces."))
    return None


def check_new_password(password: str, field: str = "password") -> None:
    """Raise :class:`ValidationFailed` for a password :func:`password_problem` refuses."""
    problem = password_problem(password)
    if problem is not None:
        raise ValidationFailed({field: [problem]})
