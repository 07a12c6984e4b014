"""Writes for accounts and tokens: validate, change, audit, commit."""

from __future__ import annotations

import hashlib
import re
import secrets

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..audit.service import record, transaction
from ..db_types import utcnow
from ..directory.models import Organisation, Region
from ..errors import FieldError, InputError
from ..extensions import db
from . import throttle
from .models import ROLES, ApiToken, LoginAttempt, User
from .passwords import DUMMY_HASH, hash_password, needs_rehash, password_problems, verify_password

# The session functions are part of the service's interface (views and the user lifecycle call them here).
from .sessions import end_session, revoke_sessions, start_session  # noqa: F401

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TOKEN_PREFIX = "syn_"  # noqa: S105 - a marker, not a secret


def find_region(code_or_slug: str) -> Region | None:
    key = (code_or_slug or "").strip().lower()
    return db.session.scalar(
        select(Region).where(Region.county_code == key.zfill(2) if key.isdigit() else Region.slug == key)
    )


def find_organisation(slug: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.slug == (slug or "").strip().lower()))


def _validate_scope(role: str, region_code: str | None, organisation_key: str | int | None,
                    errors: list[FieldError]) -> tuple[Region | None, Organisation | None]:
    """The role's scope: a strategist names her region, a planner his agency; no other role has either."""
    if role not in ROLES:
        errors.append(FieldError("role", f"Okänd roll. Välj en av: {', '.join(ROLES)}.",
                                 f"Unknown role. Choose one of: {', '.join(ROLES)}."))
    region = None
    if role == "strategist":
        if not region_code:
            errors.append(FieldError("region", "En regional strateg måste knytas till en region.",
                                     "A regional strategist must be bound to a region."))
        else:
            region = find_region(region_code)
            if region is None:
                errors.append(FieldError("region", f"Okänd region '{region_code}'.",
                                         f"Unknown region '{region_code}'."))
    elif region_code:
        errors.append(FieldError("region", "Bara regionala strateger knyts till en region.",
                                 "Only regional strategists are bound to a region."))
    organisation = None
    if organisation_key not in (None, ""):
        organisation = (db.session.get(Organisation, organisation_key) if isinstance(organisation_key, int)
                        else find_organisation(str(organisation_key)))
    if role == "planner":
        if organisation_key in (None, ""):
            errors.append(FieldError("organisation", "En planerare måste knytas till en myndighet.",
                                     "A planner must be bound to an agency."))
        elif organisation is None or organisation.kind != "national_agency":
            errors.append(FieldError(
                "organisation", f"'{organisation_key}' är ingen nationell myndighet i katalogen.",
                f"'{organisation_key}' is not a national agency in the directory."))
    elif organisation_key not in (None, ""):
        errors.append(FieldError("organisation", "Bara planerare knyts till en myndighet.",
                                 "Only planners are bound to an agency."))
        organisation = None
    return region, organisation


def _validate_new_user(email: str, role: str, region_code: str | None, organisation_key: str | int | None,
                       password: str) -> tuple[str, Region | None, Organisation | None]:
    errors: list[FieldError] = []
    email = (email or "").strip().lower()
    if not EMAIL_RE.match(email):
        errors.append(FieldError("email", "Ogiltig e-postadress.", "Invalid e-mail address."))
    elif db.session.scalar(select(User.id).where(User.email == email)):
        errors.append(FieldError("email", "Det finns redan ett konto med den e-postadressen.",
                                 "An account with that e-mail address already exists."))
    region, organisation = _validate_scope(role, region_code, organisation_key, errors)
    errors += password_problems(password, email)
    if errors:
        raise InputError(errors)
    return email, region, organisation


def create_user(email: str, role: str, password: str, *, region_code: str | None = None, name: str = "",
                organisation: str | None = None, organisation_id: int | None = None, actor=None) -> User:
    """A new account; a strategist names her region, a planner his agency (`organisation`: slug)."""
    email, region, org = _validate_new_user(email, role, region_code,
                                            organisation if organisation_id is None else organisation_id, password)
    with transaction():
        user = User(email=email, role=role, name=name or email.split("@")[0], password_hash=hash_password(password),
                    region_id=region.id if region else None, organisation_id=org.id if org else None)
        db.session.add(user)
        db.session.flush()
        record("user.create", user, summary=f"{email} ({role})",
               changes={"email": email, "role": role, "region": region.slug if region else None,
                        "organisation": org.slug if org else None}, actor=actor)
    return user


def set_locale(user: User, locale: str) -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise InputError(FieldError("locale", "Okänt språk.", "Unknown language."))
    with transaction():
        record("user.locale", user, changes={"locale": {"from": user.locale, "to": locale}}, actor=user)
        user.locale = locale


def change_password(user: User, current: str, new: str, *, keep_session: str | None = None) -> None:
    """Set a new password; every session of the user ends except `keep_session` (the one changing it)."""
    if not verify_password(user.password_hash, current):
        raise InputError(FieldError("current_password", "Nuvarande lösenord stämmer inte.",
                                    "The current password is wrong."))
    problems = password_problems(new, user.email, "new_password")
    if problems:
        raise InputError(problems)
    with transaction():
        user.password_hash = hash_password(new)
        user.session_version += 1
        ended = revoke_sessions(user, keep=keep_session)
        record("user.password", user, summary=f"password changed, {ended} other session(s) ended", actor=user)


class LoginThrottled(Exception):
    pass


class AccountInactive(Exception):
    """The password was right but an admin has deactivated the account."""


def authenticate(email: str, password: str, client: str) -> User | None:
    """Check a login from the client address `client`.

    Raises LoginThrottled when the account at this address, or this address, has had too many
    failures (the password is then not even checked); records every evaluated attempt."""
    email = (email or "").strip().lower()
    client = (client or "unknown")[:64]
    if not throttle.reserve(email, client):
        raise LoginThrottled()
    user = db.session.scalar(select(User).where(User.email == email))
    password_ok = verify_password(user.password_hash if user else DUMMY_HASH, password or "")
    ok = password_ok and bool(user and user.active)
    with transaction():
        db.session.add(LoginAttempt(email=email, client=client, succeeded=ok))
        if ok:
            throttle.release(email, client)
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            record("user.login", user, actor=user)
    if password_ok and user is not None and not user.active:
        # Said only to whoever knows the password, so it tells a stranger nothing about the account.
        raise AccountInactive()
    return user if ok else None


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str = "", actor=None) -> str:
    """Create a personal API token and return it; only its hash is kept."""
    name = (name or "").strip()[:100]
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction():
        api_token = ApiToken(user_id=user.id, name=name, token_hash=_hash_token(token), prefix=token[:10])
        db.session.add(api_token)
        db.session.flush()
        record("token.create", api_token, summary=f"{user.email}: {name or api_token.prefix}", actor=actor or user)
    return token


def revoke_token(user: User, token_id: int, actor=None) -> None:
    api_token = db.session.get(ApiToken, token_id)
    if api_token is None or api_token.user_id != user.id or api_token.revoked_at:
        raise InputError(FieldError("token", "Okänd nyckel.", "Unknown token."), status=404, code="not_found")
    with transaction():
        api_token.revoked_at = utcnow()
        record("token.revoke", api_token, summary=api_token.prefix, actor=actor or user)


def user_for_token(token: str) -> User | None:
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    # The user's region comes along: a strategist's requests act for it, and asking apart costs a round trip.
    api_token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(token))
                                  .options(joinedload(ApiToken.user).joinedload(User.region)))
    if api_token is None or api_token.revoked_at is not None or not api_token.user.active:
        return None
    return api_token.user
