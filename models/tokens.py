"""Random tokens and their SHA-256 digests (what we store for secrets we never show again)."""

from __future__ import annotations

import hashlib
import secrets


def new_token(nbytes: int = 24) -> str:
    return secrets.token_urlsafe(nbytes)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
