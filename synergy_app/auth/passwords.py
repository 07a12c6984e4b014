"""Password hashing with Argon2id, and the rules a new password must meet."""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import FieldError

_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 12

# The commonest passwords in breached lists (19,640); provenance in data/SOURCE.md.
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt.gz"
_TRAILING_DIGITS_AND_PUNCTUATION = re.compile(r"[\d\W_]+$")
# A local part shorter than this ("s", "ab") is too short to mean anything inside a password.
_MIN_LOCAL_PART = 3


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip())


def is_common(password: str) -> bool:
    """On the list, or a listed password with only digits and punctuation added (Password2026!)."""
    lowered = password.lower()
    if lowered in common_passwords():
        return True
    stem = _TRAILING_DIGITS_AND_PUNCTUATION.sub("", lowered)
    return len(stem) >= 4 and stem in common_passwords()


def password_problems(password: str, email: str, field: str = "password") -> list[FieldError]:
    """What is wrong with `password` as the new password of the account `email` (empty: nothing)."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return [FieldError(field, f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.",
                           f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")]
    problems = []
    lowered = password.lower()
    email = (email or "").strip().lower()
    local = email.split("@", 1)[0]
    if email and (email in lowered or (len(local) >= _MIN_LOCAL_PART and local in lowered)):
        problems.append(FieldError(field, "Lösenordet får inte innehålla e-postadressen eller namnet före @.",
                                   "The password must not contain the e-mail address or the name before the @."))
    if is_common(password) or len(set(lowered)) <= 2:
        problems.append(FieldError(
            field, "Lösenordet är för vanligt: det finns i listor över läckta lösenord. Välj ett annat.",
            "The password is too common: it appears in lists of breached passwords. Choose another."))
    return problems


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# A hash to verify against when the account does not exist, so timing does not tell.
DUMMY_HASH = _hasher.hash("not-a-real-password-0000")
