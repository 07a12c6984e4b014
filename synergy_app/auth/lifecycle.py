"""An account's life after creation: change role and scope, deactivate, reactivate, remove.

Every change is audited. Deactivation and removal end the account's sessions and revoke its API tokens
and feed links at once; removal also replaces its personal data with a placeholder while the row (and so
every audit entry and record that points at it) stays.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from ..audit.models import AuditEntry
from ..audit.service import diff, record, transaction
from ..contributions import ACCOUNT_ACCESS_ENDED, ACCOUNT_REMOVED, contributions
from ..db_types import utcnow
from ..errors import Conflict, FieldError, InputError
from ..extensions import db
from .models import ApiToken, LoginAttempt, User
from .service import _validate_scope
from .sessions import revoke_sessions

REMOVED_DOMAIN = "removed.invalid"


def placeholder_name(user: User) -> str:
    return f"Borttagen användare #{user.id}"


def _snapshot(user: User) -> dict:
    return {"role": user.role, "region": user.region.slug if user.region else None,
            "organisation": user.organisation.slug if user.organisation else None, "active": user.active}


def _active_admins() -> int:
    return db.session.scalar(select(func.count(User.id)).where(User.role == "admin", User.active.is_(True))) or 0


def _not_removed(user: User) -> None:
    if user.is_removed:
        raise Conflict("user", "Kontot är borttaget.", "The account has been removed.", code="removed")


def _guard_admin_loss(user: User, actor, what_sv: str, what_en: str) -> None:
    """Nobody takes away their own admin access, and the last active admin stays, so accounts stay manageable."""
    if getattr(actor, "id", None) == user.id:
        raise Conflict("user", f"Du kan inte {what_sv} ditt eget konto.", f"You cannot {what_en} your own account.",
                       code="own_account")
    if user.role == "admin" and user.active and _active_admins() <= 1:
        raise Conflict("user", f"Det här är den enda aktiva administratören; du kan inte {what_sv} kontot.",
                       f"This is the only active admin; you cannot {what_en} the account.", code="last_admin")


def end_sessions_and_tokens(user: User) -> int:
    """End every session on every instance (its server-side session rows are revoked, and the session
    version in each cookie no longer matches) and
    revoke every API token and personal feed link. Returns how many API tokens were revoked."""
    user.session_version += 1
    revoke_sessions(user)
    revoked = db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                                 .values(revoked_at=utcnow())).rowcount or 0
    for revoke in contributions(ACCOUNT_ACCESS_ENDED):
        revoke(user)
    return revoked


def update_user(user: User, *, role: str, region: str | None = None, organisation: str | None = None,
                actor=None) -> User:
    """Change an account's role and scope (region for a strategist, agency for a planner)."""
    _not_removed(user)
    errors: list[FieldError] = []
    new_region, new_org = _validate_scope(role, region, organisation, errors)
    if errors:
        raise InputError(errors)
    if user.role == "admin" and role != "admin":
        _guard_admin_loss(user, actor, "ta administratörsrollen från", "take the admin role from")
    before = _snapshot(user)
    with transaction():
        user.role = role
        user.region_id = new_region.id if new_region else None
        user.organisation_id = new_org.id if new_org else None
        db.session.flush()
        db.session.refresh(user)
        changes = diff(before, _snapshot(user))
        if changes:
            record("user.update", user, summary=f"#{user.id} ({role})", changes=changes, actor=actor)
    return user


def deactivate_user(user: User, actor=None) -> User:
    """Stop an account: it can no longer log in, its sessions end and its tokens stop working."""
    _not_removed(user)
    if not user.active:
        raise Conflict("user", "Kontot är redan avstängt.", "The account is already deactivated.",
                       code="already_inactive")
    _guard_admin_loss(user, actor, "stänga av", "deactivate")
    with transaction():
        user.active = False
        revoked = end_sessions_and_tokens(user)
        record("user.deactivate", user, summary=f"#{user.id}",
               changes={"active": {"from": True, "to": False}, "tokens_revoked": revoked}, actor=actor)
    return user


def reactivate_user(user: User, actor=None) -> User:
    """Let a deactivated account log in again; its old tokens stay revoked (new ones are made on its profile)."""
    _not_removed(user)
    if user.active:
        raise Conflict("user", "Kontot är redan aktivt.", "The account is already active.", code="already_active")
    with transaction():
        user.active = True
        record("user.reactivate", user, summary=f"#{user.id}", changes={"active": {"from": False, "to": True}},
               actor=actor)
    return user


def remove_user(user: User, actor=None) -> User:
    """Remove an account: its name and e-mail become a placeholder, its password and tokens go, its
    sessions end; the row stays so the audit log and the records it wrote keep their author's id."""
    _not_removed(user)
    _guard_admin_loss(user, actor, "ta bort", "remove")
    old_email = user.email
    placeholder = placeholder_name(user)
    with transaction():
        user.active = False
        end_sessions_and_tokens(user)
        user.name = placeholder
        user.email = f"removed-{user.id}@{REMOVED_DOMAIN}"
        # No hash verifies against an empty string, so nobody can log in with any password.
        user.password_hash = ""
        user.locale = None
        user.region_id = None
        user.organisation_id = None
        user.removed_at = utcnow()
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == old_email))
        # Other capabilities forget the person or name them by the placeholder (invitation recipients,
        # ruling revision authors).
        for forget in contributions(ACCOUNT_REMOVED):
            forget(user, placeholder)
        # The audit log keeps the account's id; its e-mail address is replaced where the log wrote it out.
        db.session.execute(update(AuditEntry).where(AuditEntry.actor_id == user.id)
                           .values(actor_label=placeholder))
        db.session.execute(update(AuditEntry).where(AuditEntry.summary.contains(old_email))
                           .values(summary=func.replace(AuditEntry.summary, old_email, placeholder)))
        for entry in db.session.scalars(select(AuditEntry).where(
                AuditEntry.object_type == "users", AuditEntry.object_id == str(user.id))):
            if entry.changes and "email" in entry.changes:
                entry.changes = {**entry.changes, "email": placeholder}
        record("user.remove", user, summary=placeholder, actor=actor)
    return user
