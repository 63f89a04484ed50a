"""``chainkg users add | list | disable | enable | reset-password``: the workspace's accounts (in Neo4j)."""

from __future__ import annotations

import getpass
import os
import sys

import click

from .common import neo4j_options

ROLES = ("viewer", "staff", "editor", "admin")


def _store(uri, user, database):
    from ..api.workspace import open_store
    from .common import neo4j_extra

    store = open_store({"uri": uri, "user": user, "database": database, **neo4j_extra()})
    return store.driver, store


def _actor() -> str:
    return "cli:" + (os.environ.get("USER") or getpass.getuser() or "?")


def read_new_password() -> str:
    """The new password: CHAINKG_NEW_PASSWORD, else standard input (asked twice on a terminal)."""
    from ..errors import UsageError

    pw = os.environ.get("CHAINKG_NEW_PASSWORD")
    if pw is None:
        if sys.stdin.isatty():
            pw = getpass.getpass("New password: ")
            if getpass.getpass("Again: ") != pw:
                raise UsageError("The two passwords differ; nothing was changed.")
        else:
            pw = sys.stdin.readline().rstrip("\r\n")
    if len(pw) < 8:
        raise UsageError("The password is shorter than 8 characters; nothing was changed.",
                         hint="Give it on standard input or in CHAINKG_NEW_PASSWORD (never as an option).")
    return pw


@click.group()
def users():
    """Accounts of the 招商 workspace (chainkg serve --workspace), kept in Neo4j.

    Roles: viewer (reads), staff (leads and visits; only their district's when --district is given),
    editor (also corrects facts and reviews intake), admin (also manages users, reads the audit log).
    Passwords are read from standard input or CHAINKG_NEW_PASSWORD, never from an option, and
    stored only as Argon2id hashes. Every change is in the audit log (chainkg audit).

    \b
    Examples:
      echo 'a long secret' | chainkg users add wang --role staff --district 高邮市
      CHAINKG_NEW_PASSWORD='another secret' chainkg users add li --role admin
      chainkg users list --format json
      chainkg users disable wang
      echo 'new secret 123' | chainkg users reset-password wang
    """


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--district", default=None, help="Staff only see and change leads of this district (id or exact name).")
@neo4j_options
def add(name, role, district, uri, user, database):
    """Add a user; the password comes from standard input or CHAINKG_NEW_PASSWORD.

    \b
    Examples:
      echo 'a long secret' | chainkg users add wang --role staff --district D-GY
      CHAINKG_NEW_PASSWORD='s3cret-pass' chainkg users add admin1 --role admin
    """
    from ..web.workspace.auth import hash_password

    pw = read_new_password()
    driver, store = _store(uri, user, database)
    with driver:
        if district:
            district = _district(driver, store.database, district)
        store.add_user(_actor(), name, role, hash_password(pw), district)
    click.echo(f"User {name} added ({role}{', ' + district if district else ''}).")


def _district(driver, database, value):
    from ..errors import UsageError

    recs = driver.execute_query("MATCH (d:District) WHERE d.id = $v OR d.name = $v OR d.name_en = $v RETURN d.id AS id",
                                v=value, database_=database).records
    if len(recs) != 1:
        raise UsageError(f"District {value!r} is {'not in the graph' if not recs else 'ambiguous'}.",
                         hint="Give the district's id or exact name (chainkg load first).")
    return recs[0]["id"]


@users.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@neo4j_options
def list_(fmt, uri, user, database):
    """The users, their roles, districts and whether they are disabled (never a password or hash).

    \b
    Examples:
      chainkg users list
      chainkg users list --format json
    """
    import json

    driver, store = _store(uri, user, database)
    with driver:
        rows = store.users()
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(f"{r['name']:<16} {r['role']:<7} {r.get('district') or '-':<10} "
                   f"{'disabled' if r.get('disabled') else 'active'}")


def _set(name, action, uri, user, database, **props):
    driver, store = _store(uri, user, database)
    with driver:
        store.set_user(_actor(), name, action, **props)


def _switch(action: str, disabled: bool, doc: str) -> None:
    """``users disable`` and ``users enable``: one command, the flag apart."""
    def command(name, uri, user, database):
        _set(name, action, uri, user, database, disabled=disabled)
        click.echo(f"User {name} {action}d.")

    command.__doc__ = doc
    users.command(action)(click.argument("name")(neo4j_options(command)))


_switch("disable", True, """Disable a user: they cannot log in, and their sessions end now.

    \b
    Example:
      chainkg users disable wang
    """)
_switch("enable", False, """Enable a disabled user again.

    \b
    Example:
      chainkg users enable wang
    """)


@users.command("reset-password")
@click.argument("name")
@neo4j_options
def reset_password(name, uri, user, database):
    """Set a new password (standard input or CHAINKG_NEW_PASSWORD); ends the user's sessions and lockout.

    \b
    Examples:
      echo 'new secret 123' | chainkg users reset-password wang
      CHAINKG_NEW_PASSWORD='new secret 123' chainkg users reset-password wang
    """
    from ..web.workspace.auth import hash_password

    pw = read_new_password()
    _set(name, "reset_password", uri, user, database, hash=hash_password(pw))
    click.echo(f"Password of {name} reset.")


COMMANDS = [users]
