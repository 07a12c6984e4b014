"""`flask users ...`: create accounts and API tokens from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..errors import InputError
from ..extensions import db
from . import service
from .models import ROLES, User

users = AppGroup("users", help="Manage accounts and API tokens.")


@users.command("create")
@click.option("--email", required=True, help="The account's e-mail address (its login).")
@click.option("--role", required=True, type=click.Choice(ROLES), help="The account's role.")
@click.option("--region", "region", default=None, help="County code or slug; required for strategists.")
@click.option("--name", default="", help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (non-interactive use).")
def create_user(email: str, role: str, region: str | None, name: str, password_stdin: bool) -> None:
    """Create an account, e.g. the first admin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = service.create_user(email, role, password, region_code=region, name=name, actor="cli")
    except InputError as exc:
        for err in exc.errors:
            click.echo(f"Error: --{err.field}: {err.message_en}", err=True)
        sys.exit(2)
    click.echo(f"Created {user.email} ({user.role}{', ' + user.region.slug if user.region else ''}).")


@users.command("token")
@click.option("--email", required=True, help="The account to create a personal API token for.")
@click.option("--name", default="cli", help="A name to recognise the token by.")
def create_token(email: str, name: str) -> None:
    """Create a personal API token; the token is printed as the last line."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        click.echo(f"Error: --email: no account with e-mail address {email!r}.", err=True)
        sys.exit(2)
    token = service.create_token(user, name, actor="cli")
    click.echo(f"Token for {user.email} (shown once, store it now):")
    click.echo(token)


commands = [users]
