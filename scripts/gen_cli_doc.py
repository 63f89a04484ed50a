"""Regenerate docs/cli.md from the commands' own --help (tests/test_docs.py checks it is current).

    .venv/bin/python scripts/gen_cli_doc.py
"""

from __future__ import annotations

from pathlib import Path

import click

from chainkg.cli import main

ROOT = Path(__file__).resolve().parents[1]


def commands(group: click.Group, prefix: str = "chainkg"):
    ctx = click.Context(group, info_name=prefix)
    for name in sorted(group.list_commands(ctx)):
        cmd = group.get_command(ctx, name)
        yield f"{prefix} {name}", cmd
        if isinstance(cmd, click.Group):
            yield from commands(cmd, f"{prefix} {name}")


def render() -> str:
    out = ["# Command reference", "", "Generated from each command's `--help` by `scripts/gen_cli_doc.py`.", ""]
    for path, cmd in commands(main):
        # the group's help option names (-h, --help) as `chainkg CMD --help` shows them; without them the
        # text depended on whether click had already cached a command's help option (CliRunner tests do)
        ctx = click.Context(cmd, info_name=path, help_option_names=["-h", "--help"])
        out += [f"## `{path}`", "", "```", cmd.get_help(ctx).strip(), "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    (ROOT / "docs" / "cli.md").write_text(render(), encoding="utf-8")
    print("Wrote docs/cli.md")
