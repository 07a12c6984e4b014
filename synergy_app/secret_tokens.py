"""Secrets handed to a user once (feed links) and stored only as their SHA-256 hash.

A feed link is a bearer secret in a URL; whoever reads the database must not be able to use it. The
secrets are 32 random bytes, so a plain SHA-256 (no salt, no stretching) cannot be reversed, and the
hash can be looked up directly.
"""

from __future__ import annotations

import hashlib
import secrets


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
