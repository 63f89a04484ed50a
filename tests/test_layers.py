"""The rooms import only downwards (docs/architecture.md): no arrow from a lower floor up."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "chainkg"
#: room -> rooms it must never import
FORBIDDEN = {
    "graph_model": {"loaders", "analysis", "findings", "reports", "api", "cli", "neo4j_io"},
    "loaders": {"analysis", "findings", "reports", "api", "cli"},
    "analysis": {"findings", "reports", "api", "cli", "neo4j_io"},
    "findings": {"reports", "api", "cli", "neo4j_io"},
    "reports": {"api", "cli"},
    "neo4j_io": {"reports", "api", "cli"},
    "cells": {"loaders", "analysis", "findings", "reports", "api", "cli"},
    "workbook": {"loaders", "analysis", "findings", "reports", "api", "cli"},
}


def _imports(path: Path) -> set[str]:
    """chainkg rooms a module imports (relative or absolute)."""
    rel = path.relative_to(SRC).parts
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(rel[:-1])[: len(rel) - node.level]
                parts = base + (node.module.split(".") if node.module else [])
                names = [parts[0]] if parts else [a.name for a in node.names]
                if not parts:  # "from .. import x": x is the room
                    out.update(names)
                else:
                    out.add(parts[0])
            elif node.module and node.module.startswith("chainkg."):
                out.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            out.update(a.name.split(".")[1] for a in node.names if a.name.startswith("chainkg."))
    return out


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_no_import_upwards(room):
    files = [SRC / f"{room}.py"] if (SRC / f"{room}.py").exists() else sorted((SRC / room).rglob("*.py"))
    assert files
    bad = {str(f.relative_to(SRC)): sorted(_imports(f) & FORBIDDEN[room]) for f in files}
    assert {f: b for f, b in bad.items() if b} == {}


# -- the front door -------------------------------------------------------------------------------
#: what a command or a page may import: the front door (chainkg.api), the report and table layer, the
#: words, the error classes, the one cell formatter and workbook writer, and its own room
FRONT = ("chainkg.api", "chainkg.reports", "chainkg.errors", "chainkg.cells", "chainkg.safety", "chainkg.workbook",
         "chainkg.graph_model.vocabulary", "chainkg.findings.labels")
ALLOWED = {"cli": FRONT + ("chainkg.cli", "chainkg.web", "chainkg.__version__"), "web": FRONT + ("chainkg.web",)}
#: the web layer's remaining imports of internals (graph navigation, finding records), still to go behind the
#: front door; this list may only shrink (a new reach into the library fails, and so does a fixed one left listed)
WEB_PENDING = {
    "web/pages.py": {"chainkg.analysis.views", "chainkg.findings"},
    "web/refs.py": {"chainkg.analysis.views", "chainkg.findings"},
    "web/tables.py": {"chainkg.findings"},
}
#: explorer2's (#23/#24) reaches, to go behind the front door with the engine's one graph form: the lean
#: graph's node look-ups (graph_model.firm_table), the what-if engine kept per snapshot, the lights and views
WEB_PENDING_LEAN = {
    "web/graphview.py": {"chainkg.analysis.views", "chainkg.graph_model.firm_table"},
    "web/lights.py": {"chainkg.analysis.views", "chainkg.analysis.lights"},
    "web/refs.py": {"chainkg.graph_model.firm_table"},
    "web/search.py": {"chainkg.graph_model.firm_table"},
    "web/source.py": {"chainkg.analysis.views"},
    "web/targets.py": {"chainkg.analysis.views", "chainkg.findings"},
    "web/whatif.py": {"chainkg.analysis.views", "chainkg.analysis.whatif", "chainkg.findings.whatif"},
}
for _f, _m in WEB_PENDING_LEAN.items():
    WEB_PENDING[_f] = WEB_PENDING.get(_f, set()) | _m


def _modules(path: Path) -> set[str]:
    """Dotted chainkg modules a file imports (``from ..x import y`` is ``chainkg.x.y`` when y is a module)."""
    rel = path.relative_to(SRC).with_suffix("").parts
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = ["chainkg", *rel[:-1]][: len(rel) + 1 - node.level]
                mod = ".".join(base + (node.module.split(".") if node.module else []))
            elif node.module and node.module.split(".")[0] == "chainkg":
                mod = node.module
            else:
                continue
            for a in node.names:
                sub = f"{mod}.{a.name}"
                is_module = (SRC.parent / Path(*sub.split("."))).with_suffix(".py").exists() or \
                    (SRC.parent / Path(*sub.split("."))).is_dir()
                out.add(sub if is_module or mod == "chainkg" else mod)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "chainkg")
    return out


def _outside(room: str) -> dict[str, list[str]]:
    allowed = ALLOWED[room]
    bad = {}
    for f in sorted((SRC / room).rglob("*.py")):
        reach = sorted(m for m in _modules(f) if not any(m == a or m.startswith(a + ".") for a in allowed))
        if reach:
            bad[str(f.relative_to(SRC))] = reach
    return bad


def test_modules_are_resolved_as_written():
    """``from .. import api``, ``from ..cypher import library``, ``from ..analysis.views import name``."""
    f = SRC / "cli" / "_probe_for_test.py"
    f.write_text("from .. import api, __version__\nfrom ..cypher import library\nfrom ..analysis.views import name\n"
                 "import chainkg.loaders.frames\nimport os\n", encoding="utf-8")
    try:
        assert _modules(f) == {"chainkg.api", "chainkg.__version__", "chainkg.cypher.library", "chainkg.analysis.views",
                               "chainkg.loaders.frames"}
    finally:
        f.unlink()


def test_commands_use_the_front_door_only():
    assert _outside("cli") == {}


def test_pages_use_the_front_door_or_are_listed_until_the_split():
    bad = {f: set(m) for f, m in _outside("web").items()}
    assert bad == {f: m for f, m in WEB_PENDING.items() if m}
