"""``--chain``, ``--cluster``, ``--segment``, ``--district``: an id, or an exact Chinese or English name."""

from __future__ import annotations

import networkx as nx

from ..errors import UsageError


def resolve(G: nx.MultiDiGraph, label: str, value: str, option: str | None = None) -> str:
    """The id of the one ``label`` node whose id, name or name_en is ``value``.

    >>> from chainkg.testing import tiny_graph
    >>> G = tiny_graph({"PV": [("S1", "upstream")]})
    >>> resolve(G, "Chain", "链PV"), resolve(G, "Chain", "Chain PV"), resolve(G, "Chain", "PV")
    ('PV', 'PV', 'PV')
    """
    option = option or f"--{label.lower()}"
    names = dict(_named(G, label))
    if value in names:
        return value
    hits = [n for n, (zh, en) in names.items() if value in (zh, en)]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        folded = value.casefold()
        near = [f"{n} ({zh})" for n, (zh, en) in names.items()
                if folded in f"{n} {zh or ''} {en or ''}".casefold()][:10]
        raise UsageError(f"{option} {value!r}: no {label} has this id or name.",
                         hint=("Did you mean: " + ", ".join(near)) if near else
                         f"Use an id or the exact Chinese or English name of a {label}.")
    cands = ", ".join(f"{n} ({names[n][0]} / {names[n][1]})" for n in sorted(hits))
    raise UsageError(f"{option} {value!r} is ambiguous: {len(hits)} {label} nodes have this name.",
                     hint=f"Use one of the ids: {cands}.")


def _named(G: nx.MultiDiGraph, label: str):
    """(id, (name, name_en)) of every ``label`` node in graph order (a lean graph's firms from its table)."""
    from ..graph_model.firm_table import FIRM, firm_table

    for n, d in G.nodes(data=True):
        if d.get("label") == label:
            yield n, (d.get("name"), d.get("name_en"))
    table = firm_table(G)
    if label == FIRM and table is not None:
        cols = [c if c in table.nodes.columns else None for c in ("name", "name_en")]
        frame = table.nodes.select("id", *[c for c in cols if c])
        for row in frame.iter_rows():
            d = dict(zip(frame.columns, row, strict=True))
            yield d["id"], (d.get("name"), d.get("name_en"))
