"""Build tiny graphs by hand, for doctests, tests and examples.

>>> from chainkg.graph_model.firm_table import node_attrs
>>> G = tiny_graph({"C": [("A", "upstream"), ("B", "midstream")]}, feeds=[("A", "B")],
...                firms={"F1": (True, ["B"])})
>>> sorted(G.nodes), node_attrs(G, "F1")["local"]      # the firm is in the graph's firm table
(['A', 'B', 'C', 'CL'], True)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx


def tiny_graph(chains: dict[str, list[tuple]], feeds=(), firms=None, supplies=(), key=(), labs=None, funds=None,
               revenue=None, tags=None, confirmed_absent=(), districts=None, chain_firms=None, inferred=(),
               extra_nodes=None, rels=(), props=None) -> nx.MultiDiGraph:
    """chains: ``{chain: [(segment, stage), ...]}``; firms: ``{firm: (local, [segments])}``;
    chain_firms: ``{firm: [chains]}`` (chain-level membership, IN_CHAIN);
    labs: ``{lab: [targets]}``; funds: ``{fund: ([chains], [firms it invests in])}``;
    districts: ``{firm: district}``; inferred: facts whose confidence is ``inferred`` (a node id, or
    ``(start, end, type)`` of a relationship); extra_nodes: ``{id: {label, ...properties}}``; rels: more
    relationships ``(start, end, type)`` (a firm's project, its parent company …); props: more properties of
    a node or a relationship, ``{id or (start, end, type): {key: value}}``.

    The graph has the one form every analysis reads: firms and their relationships in a firm table.
    """
    G = nx.MultiDiGraph()
    G.add_node("CL", label="Cluster", name="集群", name_en="Cluster")
    for chain, segs in chains.items():
        G.add_node(chain, label="Chain", name=f"链{chain}", name_en=f"Chain {chain}")
        G.add_edge("CL", chain, "HAS_CHAIN")
        for seg, stage in segs:
            G.add_node(seg, label="Segment", name=f"环节{seg}", name_en=f"Segment {seg}", stage=stage,
                       key=seg in key, local_absence_confirmed=seg in confirmed_absent)
            G.add_edge(chain, seg, "HAS_SEGMENT")
    for a, b in feeds:
        G.add_edge(a, b, "FEEDS")
    for firm, (local, segs) in (firms or {}).items():
        G.add_node(firm, label="Firm", name=f"企业{firm}", name_en=f"Firm {firm}", local=local)
        if revenue and firm in revenue:
            G.nodes[firm]["revenue_100m_cny"] = revenue[firm]
        if tags and firm in tags:
            G.nodes[firm]["tags"] = tags[firm]
        for s in segs:
            G.add_edge(firm, s, "IN_SEGMENT")
    for firm, fchains in (chain_firms or {}).items():
        for c in fchains:
            G.add_edge(firm, c, "IN_CHAIN")
    for a, b in supplies:
        G.add_edge(a, b, "SUPPLIES")
    for lab, targets in (labs or {}).items():
        G.add_node(lab, label="Lab", name=f"平台{lab}")
        for t in targets:
            G.add_edge(lab, t, "SUPPORTS")
    for fund, (fchains, ffirms) in (funds or {}).items():
        G.add_node(fund, label="Fund", name=f"基金{fund}")
        for c in fchains:
            G.add_edge(fund, c, "FOCUSES_ON")
        for f in ffirms:
            G.add_edge(fund, f, "INVESTS_IN")
    for firm, district in (districts or {}).items():
        if district not in G:
            G.add_node(district, label="District", name=district)
        G.add_edge(firm, district, "LOCATED_IN")
    for n, d in (extra_nodes or {}).items():
        G.add_node(n, **d)
    for u, v, k in rels:
        G.add_edge(u, v, k)
    for fact, more in (props or {}).items():
        (G.edges[fact] if isinstance(fact, tuple) else G.nodes[fact]).update(more)
    for fact in inferred:
        (G.edges[fact] if isinstance(fact, tuple) else G.nodes[fact])["confidence"] = "inferred"
    return lean_of(G)


def lean_of(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph's lean form: its firms and their relationships moved into a firm table."""
    from .graph_model.nx_graph import lean_graph
    from .graph_model.records import Dataset, Node, Rel

    ds = Dataset(G.graph.get("name", "tiny"))
    for n, d in G.nodes(data=True):
        ds.nodes[n] = Node(n, d["label"], {k: v for k, v in d.items() if k != "label"})
    for u, v, k, d in G.edges(keys=True, data=True):
        ds.rels[(k, u, v)] = Rel(k, u, v, dict(d))
    return lean_graph(ds)


# -- a CSV dataset in the other input kinds, typed as people's files hold their cells ----------------------------

def typed_cell(cell: str) -> Any:
    """A CSV cell as a workbook or YAML holds it: numbers, yes/no words YAML reads as bools, and text.

    >>> typed_cell("12"), typed_cell("yes"), typed_cell(""), typed_cell("2023-13-01"), typed_cell("F1")
    (12, True, None, '2023-13-01', 'F1')
    """
    import yaml

    try:
        value = yaml.safe_load(cell) if cell.strip() else None
    except Exception:  # yaml.YAMLError, or a date YAML cannot build (2023-13-01)
        return cell
    return value if isinstance(value, (int, float, bool)) or value is None else cell


def csv_tables(folder: Path) -> dict[str, list[list[str]]]:
    """Every ``*.csv`` of ``folder`` as its rows of cells (header first), by table name."""
    from .loaders.frames import csv_rows

    return {f.stem: list(csv_rows(f.read_text(encoding="utf-8"))) for f in sorted(folder.glob("*.csv"))}


def as_workbook(folder: Path, target: Path) -> Path:
    """The CSV folder as one workbook, a sheet per file, its cells typed as a person's workbook has them
    (a character a workbook cannot hold is left out)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    for table, rows in csv_tables(folder).items():
        ws = wb.create_sheet(table[:31])
        for i, r in enumerate(rows):
            ws.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in r] if i == 0 else
                      [typed_cell(ILLEGAL_CHARACTERS_RE.sub("", c)) for c in r])
    wb.save(target)
    return target


def as_records(folder: Path, target: Path) -> Path:
    """The CSV folder as one YAML file, or JSON when ``target`` ends in .json, of typed records (a mapping of
    table names to lists of rows; empty rows left out)."""
    import json

    import yaml

    records = {table: [{h: typed_cell(c) for h, c in zip(rows[0], r, strict=False) if h} for r in rows[1:]
                       if any(c.strip() for c in r)] for table, rows in csv_tables(folder).items() if rows}
    if target.suffix == ".json":
        target.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    else:
        target.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target
