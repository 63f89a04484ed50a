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
