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
      chainkg report                  # the Yangzhou report: summary, out/report.html, out/report.xlsx
      chainkg gaps --chain 晶硅光伏     # statuses and priorities of one chain
      chainkg prospects --chain PV    # outside firms to approach, with reasons
      chainkg validate my-data.xlsx   # check a dataset; every bad row named
      chainkg server start && chainkg load && chainkg analyze --write
    """


def _register() -> None:
    from . import (
        analysis_cmds,
        audit_cmds,
        browser_cmds,
        data_cmds,
        intake_cmds,
        load_cmds,
        monitor_cmds,
        query_cmds,
        report_cmds,
        serve_cmds,
        server,
        users_cmds,
    )

    main.add_command(server.server)
    for module in (data_cmds, load_cmds, analysis_cmds, monitor_cmds, report_cmds, query_cmds, browser_cmds,
                   intake_cmds, serve_cmds, users_cmds, audit_cmds):
        for cmd in module.COMMANDS:
            main.add_command(cmd)


_register()
