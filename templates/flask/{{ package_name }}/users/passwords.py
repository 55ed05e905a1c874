"""argon2id password hashing, with cost parameters from the settings."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app

from ..settings import PasswordHashing

EXTENSION_KEY = "password_hasher"


def init_app(app: Flask, params: PasswordHashing) -> None:
    hasher = PasswordHasher(
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
    )
    app.extensions[EXTENSION_KEY] = hasher
    # Verifying against this when the user does not exist keeps timing uniform.
    app.extensions[f"{EXTENSION_KEY}.dummy"] = hasher.hash("not-a-real-password")


def _hasher() -> PasswordHasher:
    hasher: PasswordHasher = current_app.extensions[EXTENSION_KEY]
    return hasher


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; a missing hash still costs one verification."""
    target = password_hash or current_app.extensions[f"{EXTENSION_KEY}.dummy"]
    try:
        matches = _hasher().verify(target, password)
    except (VerificationError, InvalidHashError):
        return False
    return matches and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
