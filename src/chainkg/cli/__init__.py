"""The ``chainkg`` command: a thin click layer over the library.

Each command parses options, calls one library function and formats the result. Only here
are :class:`chainkg.errors.ChainKGError` turned into messages and exit codes
(0 ok, 1 data problems, 2 usage or environment problems). Heavy libraries are imported
inside commands so that ``chainkg --help`` stays fast.
"""

from __future__ import annotations

import click

from .. import __version__
from ..errors import ChainKGError


class ChainKGGroup(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ChainKGError as exc:
            click.secho(f"Error: {exc.message}", fg="red", err=True)
            if exc.hint:
                click.echo(f"Hint: {exc.hint}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=ChainKGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="chainkg")
def main():
    """chainkg: industry-chain knowledge graph (产业链知识图谱).

    \b
    Examples:
      chainkg server start            # the project's own local Neo4j
      chainkg server status --format json
      chainkg validate yangzhou-613   # check the bundled dataset
    """


def _register() -> None:
    from . import server as server_cmds

    main.add_command(server_cmds.server)
    for module in _command_modules():
        for cmd in module.COMMANDS:
            main.add_command(cmd)


def _command_modules():
    import importlib

    out = []
    for name in ("data_cmds", "load_cmds", "analysis_cmds", "report_cmds", "query_cmds", "browser_cmds"):
        try:
            out.append(importlib.import_module(f"{__name__}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    return out


_register()
