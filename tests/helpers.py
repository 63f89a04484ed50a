"""Small helpers to write datasets for tests."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "example"


def example_copy(tmp_path: Path, **replace: str) -> Path:
    """docs/example copied to tmp_path/ds, with some tables replaced by the given CSV text."""
    ds = tmp_path / "ds"
    shutil.copytree(EXAMPLE, ds)
    for table, text in replace.items():
        (ds / f"{table}.csv").write_text(text.lstrip("\n"), encoding="utf-8")
    return ds


def graph_signature(g):
    """A graph as comparable data: {node: attributes}, {(a, b, key): attributes}."""
    nodes = {n: dict(a) for n, a in g.nodes(data=True)}
    edges = {(a, b, k): dict(d) for a, b, k, d in g.edges(keys=True, data=True)}
    return nodes, edges


def problems(path, **kw):
    from chainkg.loaders import read_dataset

    return read_dataset(path, **kw).problems


def one(probs, code):
    found = [p for p in probs if p.code == code]
    assert len(found) == 1, [p.as_dict() for p in probs]
    return found[0]
