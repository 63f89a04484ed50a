"""Docs are tested: every command has help with an example and is documented."""

from __future__ import annotations

import subprocess
import sys

from conftest import CHAINKG, ROOT, cli

sys.path.insert(0, str(ROOT / "scripts"))


def test_cli_reference_is_current():
    import gen_cli_doc

    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == gen_cli_doc.render()


def test_every_command_has_help_with_examples_and_is_in_the_readme():
    import gen_cli_doc

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path, _cmd in gen_cli_doc.commands(gen_cli_doc.main):
        res = cli(*path.split()[1:], "--help")
        assert res.returncode == 0, path
        assert "Example" in res.stdout, f"{path} --help has no example"
        top = path.split()[1]
        assert f"chainkg {top}" in readme, f"README does not mention chainkg {top}"


def test_version():
    res = subprocess.run([CHAINKG, "--version"], capture_output=True, text=True)
    assert res.returncode == 0 and res.stdout.strip() == "chainkg, version 0.1.0"
