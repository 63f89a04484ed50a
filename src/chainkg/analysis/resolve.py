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
    if value in G and G.nodes[value].get("label") == label:
        return value
    hits = [n for n, d in G.nodes(data=True)
            if d.get("label") == label and value in (d.get("name"), d.get("name_en"))]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        folded = value.casefold()
        near = [f"{n} ({G.nodes[n].get('name')})" for n, d in G.nodes(data=True) if d.get("label") == label
                and folded in f"{n} {d.get('name', '')} {d.get('name_en', '')}".casefold()][:10]
        raise UsageError(f"{option} {value!r}: no {label} has this id or name.",
                         hint=("Did you mean: " + ", ".join(near)) if near else
                         f"Use an id or the exact Chinese or English name of a {label}.")
    cands = ", ".join(f"{n} ({G.nodes[n].get('name')} / {G.nodes[n].get('name_en')})" for n in sorted(hits))
    raise UsageError(f"{option} {value!r} is ambiguous: {len(hits)} {label} nodes have this name.",
                     hint=f"Use one of the ids: {cands}.")
