"""``agenda user add|list|passwd|signout|disable|enable``: the staff accounts.

Passwords are never given on the command line (they would stay in the shell history and be
visible to other users in the process list): they are asked twice without echo, or read from
standard input with ``--password-stdin`` (for scripts).
"""

from __future__ import annotations

import sys

import click

from agenda.cli.runtime import Runtime, pass_runtime, usage_error
from agenda.db import transaction
from agenda.models.user import ROLES
from agenda.services.accounts import (
    AccountError,
    change_password,
    create_user,
    set_user_active,
    sign_out_everywhere,
)
from agenda.store.users import find_user_by_email, list_users
from agenda.text_clean import printable

PASSWORD_STDIN = click.option("--password-stdin", is_flag=True,
                              help="Read the password from the first line of standard input.")


@click.group()
def user() -> None:
    """Manage the staff accounts (moderation pages under /admin/)."""


@user.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="staff", show_default=True,
              help="staff moderate proposals; admin also decide which actors are trusted.")
@PASSWORD_STDIN
@pass_runtime
def add(rt: Runtime, email: str, role: str, password_stdin: bool) -> None:
    """Create the account EMAIL (the password is asked, hidden, twice)."""
    password = read_password(password_stdin)
    try:
        with transaction(rt.factory) as session:
            created = create_user(session, email=email, password=password, role=role,
                                  now=rt.now())
            summary = f"Account created: {created.email} ({created.role})"
    except AccountError as error:
        usage_error(error.message)
    click.echo(summary)


@user.command("list")
@pass_runtime
def list_(rt: Runtime) -> None:
    """List the accounts: e-mail, role, state, last login."""
    with transaction(rt.factory) as session:
        for account in list_users(session):
            state = "active" if account.active else "disabled"
            last = account.last_login_at.strftime("%Y-%m-%d %H:%M UTC") \
                if account.last_login_at else "never signed in"
            click.echo(f"{printable(account.email):<40} {account.role:<6} {state:<9} {last}")


@user.command("passwd")
@click.argument("email")
@PASSWORD_STDIN
@pass_runtime
def passwd(rt: Runtime, email: str, password_stdin: bool) -> None:
    """Set a new password for EMAIL (unlock it and end its sessions)."""
    password = read_password(password_stdin)
    try:
        with transaction(rt.factory) as session:
            change_password(session, existing_user(session, email), password)
    except AccountError as error:
        usage_error(error.message)
    click.echo(f"Password changed: {email.strip().lower()}")


@user.command("signout")
@click.argument("email")
@pass_runtime
def signout(rt: Runtime, email: str) -> None:
    """End every session of EMAIL, on every device (it must sign in again); audit-logged."""
    with transaction(rt.factory) as session:
        sign_out_everywhere(session, existing_user(session, email), by=None, now=rt.now())
    click.echo(f"Every session ended: {email.strip().lower()}")


@user.command("disable")
@click.argument("email")
@pass_runtime
def disable(rt: Runtime, email: str) -> None:
    """Disable EMAIL: it can no longer sign in, and its sessions end."""
    _set_active(rt, email, False)


@user.command("enable")
@click.argument("email")
@pass_runtime
def enable(rt: Runtime, email: str) -> None:
    """Enable a disabled account again."""
    _set_active(rt, email, True)


def _set_active(rt: Runtime, email: str, active: bool) -> None:
    with transaction(rt.factory) as session:
        set_user_active(session, existing_user(session, email), active)
    click.echo(f"Account {'enabled' if active else 'disabled'}: {email.strip().lower()}")


def existing_user(session, email: str):
    account = find_user_by_email(session, email)
    if account is None:
        usage_error(f"There is no account for {email.strip().lower()}.")
    return account


def read_password(from_stdin: bool) -> str:
    """The new password: the first line of stdin, or asked twice without echo."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        usage_error("No password given.")
    return password
