"""`flask users ...`: create accounts and API tokens from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..errors import Conflict, FieldError, InputError
from ..extensions import db
from . import lifecycle, service
from .models import ROLES, User

users = AppGroup("users", help="Manage accounts and API tokens.")


@users.command("create")
@click.option("--email", required=True, help="The account's e-mail address (its login).")
@click.option("--role", required=True, type=click.Choice(ROLES), help="The account's role.")
@click.option("--region", "region", default=None, help="County code or slug; required for strategists.")
@click.option("--organisation", default=None, help="The agency's slug (e.g. vinnova); required for planners.")
@click.option("--name", default="", help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (non-interactive use).")
def create_user(email: str, role: str, region: str | None, organisation: str | None, name: str,
                password_stdin: bool) -> None:
    """Create an account, e.g. the first admin."""
    errors: list[FieldError] = []
    service._validate_scope(role, region, organisation, errors)
    if errors:  # before the password prompt, so a wrong agency or region is said at once
        _fail(InputError(errors))
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = service.create_user(email, role, password, region_code=region, organisation=organisation, name=name,
                                   actor="cli")
    except InputError as exc:
        _fail(exc)
    click.echo(f"Created {user.email} ({_scope(user)}).")


def _scope(user: User) -> str:
    where = user.region.slug if user.region else (user.organisation.slug if user.organisation else None)
    return user.role + (f", {where}" if where else "")


def _fail(exc: InputError | Conflict) -> None:
    errors = [exc.error] if isinstance(exc, Conflict) else exc.errors
    for err in errors:
        name = "email" if err.field == "user" else err.field
        click.echo(f"Error: --{name}: {err.message_en}", err=True)
    sys.exit(2)


def _account(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        click.echo(f"Error: --email: no account with e-mail address {email!r}.", err=True)
        sys.exit(2)
    return user


@users.command("update")
@click.option("--email", required=True, help="The account to change.")
@click.option("--role", type=click.Choice(ROLES), default=None, help="The new role (default: keep).")
@click.option("--region", default=None, help="County code or slug; required for strategists.")
@click.option("--organisation", default=None, help="The agency's slug; required for planners.")
def update_user(email: str, role: str | None, region: str | None, organisation: str | None) -> None:
    """Change an account's role, region or agency (the scope must fit the role)."""
    user = _account(email)
    role = role or user.role
    # Keep the present scope when the role keeps needing it and no new one is given.
    if region is None and role == "strategist" and user.region:
        region = user.region.slug
    if organisation is None and role == "planner" and user.organisation:
        organisation = user.organisation.slug
    try:
        lifecycle.update_user(user, role=role, region=region, organisation=organisation, actor="cli")
    except (InputError, Conflict) as exc:
        _fail(exc)
    click.echo(f"Updated {user.email} ({_scope(user)}).")


@users.command("deactivate")
@click.option("--email", required=True, help="The account to deactivate.")
def deactivate_user(email: str) -> None:
    """Stop an account: its sessions end, its API tokens and feed links are revoked, it cannot log in."""
    user = _account(email)
    try:
        lifecycle.deactivate_user(user, actor="cli")
    except Conflict as exc:
        _fail(exc)
    click.echo(f"Deactivated {user.email}; its sessions and tokens no longer work.")


@users.command("reactivate")
@click.option("--email", required=True, help="The account to reactivate.")
def reactivate_user(email: str) -> None:
    """Let a deactivated account log in again (its old API tokens stay revoked)."""
    user = _account(email)
    try:
        lifecycle.reactivate_user(user, actor="cli")
    except Conflict as exc:
        _fail(exc)
    click.echo(f"Reactivated {user.email}.")


@users.command("remove")
@click.option("--email", required=True, help="The account to remove.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def remove_user(email: str, yes: bool) -> None:
    """Remove an account: name and e-mail become a placeholder, password and tokens go; its history stays."""
    user = _account(email)
    if not yes:
        click.confirm(f"Remove {user.email}? Its name and e-mail address are replaced for good", abort=True)
    old_email = user.email
    try:
        lifecycle.remove_user(user, actor="cli")
    except Conflict as exc:
        _fail(exc)
    click.echo(f"Removed {old_email}; it is now '{user.name}' (id {user.id}).")


@users.command("token")
@click.option("--email", required=True, help="The account to create a personal API token for.")
@click.option("--name", default="cli", help="A name to recognise the token by.")
def create_token(email: str, name: str) -> None:
    """Create a personal API token; the token is printed as the last line."""
    user = _account(email)
    if not user.active:
        click.echo(f"Error: --email: the account {user.email} is deactivated.", err=True)
        sys.exit(2)
    token = service.create_token(user, name, actor="cli")
    click.echo(f"Token for {user.email} (shown once, store it now):")
    click.echo(token)


commands = [users]
