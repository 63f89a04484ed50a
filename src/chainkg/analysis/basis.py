"""What a finding rests on: its *basis* (``confirmed`` | ``inferred``) and the inferred facts behind it.

A *fact* is one row of the data as it sits in the graph: a node (a segment, a firm, a metric …)
or a relationship (a firm's placement in a link, a FEEDS link, a cluster mapping …). A fact is
inferred when its ``confidence`` is ``inferred``; a metric the data derived (``derived``) is
inferred too. A fact without a confidence counts as confirmed. A chain's (or cluster's) own row
confidence is that of its cluster mapping, so it is the HAS_CHAIN relationship that is the fact.

A finding's *support* is a smallest set of facts that makes it true. Wrong inferred facts can only
take facts away (never add a firm or a link), so where a finding has several possible supports
(a gap that lies downstream of two local segments, a link with four local firms where three make
it "present") the support with the fewest inferred facts is the one that counts. A finding is
``confirmed`` when its support holds no inferred fact: it then survives removing every inferred
fact, which is what ``--confirmed-only`` (:func:`confirmed_graph`) does to the whole analysis.

>>> from chainkg.testing import tiny_graph
>>> from chainkg.analysis.status import classify_segments
>>> from chainkg.analysis.views import ChainView
>>> G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream"), ("C", "downstream")]},
...                feeds=[("A", "B"), ("B", "C")], firms={"F1": (True, ["A"]), "F2": (True, ["C"])},
...                inferred=[("F2", "C", "IN_SEGMENT")])
>>> v = ChainView.of(G); sts = classify_segments(G, view=v)
>>> sts["B"].status, sorted(status_support(G, v, sts["B"]))          # B lies between F1's A and F2's C
('gap_fill', [('node', 'A'), ('node', 'B'), ('node', 'C'), ('node', 'F1'), ('node', 'F2'), ('rel', 'FEEDS', 'A', 'B'), ('rel', 'FEEDS', 'B', 'C'), ('rel', 'IN_SEGMENT', 'F1', 'A'), ('rel', 'IN_SEGMENT', 'F2', 'C')])
>>> b = basis(G, status_support(G, v, sts["B"]), "en")
>>> b["basis"], b["inferred_facts"]
('inferred', [{'id': 'F2→C', 'kind': 'placement', 'text': 'Firm F2 → Segment C'}])
>>> sts2 = classify_segments(confirmed_graph(G))
>>> sts2["B"].status, sts2["C"].status                               # without it: both only extend A's link
('gap_extend', 'gap_extend')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar, cast

import networkx as nx

from ..graph_model.firm_table import FirmTable, firm_places, firm_table, node_attrs, rel_attrs
from ..graph_model.vocabulary import FACT_KINDS
from .chain_graph import within_chain_graph
from .views import ChainView, in_by_type, name, out_by_type

CONFIRMED, INFERRED = "confirmed", "inferred"
#: labels whose row confidence belongs to another fact (a chain's: its cluster mapping) or to none
NOT_FACTS = ("Chain", "Cluster", "Source")

KIND_OF_LABEL = {"Segment": "segment", "Firm": "firm", "Metric": "metric", "Project": "project", "Target": "target",
                 "District": "district", "Lab": "lab", "Fund": "fund"}
KIND_OF_REL = {"IN_SEGMENT": "placement", "IN_CHAIN": "chain_membership", "FEEDS": "link",
               "HAS_CHAIN": "cluster_mapping", "SUPPLIES": "supply", "HAS_PROJECT": "project",
               "LOCATED_IN": "location", "HAS_SEGMENT": "segment", "INVESTS_IN": "investment",
               "FOCUSES_ON": "fund_focus", "SUPPORTS": "lab_support", "PART_OF": "district"}
KIND_WORDS = FACT_KINDS  # the declared vocabulary's words

Fact = tuple  # ("node", id) | ("rel", type, start, end)


# -- facts ------------------------------------------------------------------------------------------

def _data(G: nx.MultiDiGraph, fact: Fact) -> dict:
    """The fact's properties (a lean graph's firms and their relationships from its firm table)."""
    if fact[0] == "node":
        return node_attrs(G, fact[1])
    return rel_attrs(G, fact[1], fact[2], fact[3])


def is_inferred(G: nx.MultiDiGraph, fact: Fact) -> bool:
    """Inferred confidence, or a figure the data derived; never a chain's or cluster's own node."""
    table = firm_table(G)
    if table is not None and (fact[0] != "node" or fact[1] not in G._node):
        known = table.inferred(fact)  # a firm or a firm's relationship: from the table's sets
        if known is not None:
            return known
    d = _data(G, fact)
    if fact[0] == "node" and d.get("label") in NOT_FACTS:
        return False
    return d.get("confidence") == INFERRED or bool(d.get("derived"))


def node(n) -> Fact:
    return ("node", n)


def rel(kind: str, u, v) -> Fact:
    return ("rel", kind, u, v)


def cost(G: nx.MultiDiGraph, facts: Iterable[Fact]) -> int:
    """How many of ``facts`` are inferred."""
    return sum(1 for f in set(facts) if is_inferred(G, f))


def describe(G: nx.MultiDiGraph, fact: Fact, lang: str = "zh") -> dict:
    """``{id, kind, text}`` of one fact: a short text an officer can check against the source.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("F", label="Firm", name="亚普"); G.add_node("S", label="Segment", name="储运")
    >>> _ = G.add_edge("F", "S", "IN_SEGMENT", confidence="inferred", note="在研 (developing)")
    >>> describe(G, rel("IN_SEGMENT", "F", "S"))
    {'id': 'F→S', 'kind': 'placement', 'text': '亚普 → 储运（在研 (developing)）'}
    """
    zh = lang == "zh"
    if fact[0] == "node":
        n = fact[1]
        d = node_attrs(G, n)
        kind = KIND_OF_LABEL.get(str(d.get("label")), str(d.get("label", "")).lower())
        if d.get("label") == "Metric":
            figure = f"{d.get('value'):g}{d.get('unit') or ''}" if isinstance(d.get("value"), (int, float)) else ""
            text = f"{d.get('metric')} = {figure}"
            if d.get("covers"):
                text += f"（口径：{d['covers']}）" if zh else f" (counts: {d['covers']})"
            if d.get("derived"):
                text += "（数据推算所得）" if zh else " (derived by the data)"
        elif d.get("label") == "Target":
            text = f"{d.get('metric')} ≥ {d.get('threshold')}: {d.get('count')}"
        else:
            text = name(G, n, lang)
        return {"id": str(n), "kind": kind, "text": text}
    _, k, u, v = fact
    d = rel_attrs(G, k, u, v)
    kind = KIND_OF_REL.get(k, k.lower())
    if k == "HAS_CHAIN":
        text = f"{name(G, v, lang)} 属于 {name(G, u, lang)}" if zh else f"{name(G, v, lang)} in {name(G, u, lang)}"
    elif k == "SUPPLIES":
        text = f"{name(G, u, lang)} 供应 {name(G, v, lang)}" if zh else f"{name(G, u, lang)} supplies {name(G, v, lang)}"
    else:
        text = f"{name(G, u, lang)} → {name(G, v, lang)}"
    if d.get("note"):
        text += f"（{d['note']}）" if zh else f" ({d['note']})"
    return {"id": f"{u}→{v}", "kind": kind, "text": text}


#: at most this many inferred facts are listed with a finding (a chain's coverage may rest on thousands)
MAX_LISTED = 25


def listing_order(fact: Fact) -> tuple:
    """Nodes first, then relationships; each by its ids as text."""
    return (fact[0] != "node", tuple(map(str, fact[1:])))


@dataclass(frozen=True)
class LargeSupport:
    """A support too large to hold as a set (a chain's coverage at a million firms): how many of its
    facts are inferred, and the first of those in :func:`listing_order` (at most ``HEAD``)."""
    inferred_count: int
    first_inferred: tuple
    HEAD: ClassVar[int] = 100


def basis(G: nx.MultiDiGraph, facts: Iterable[Fact] | LargeSupport, lang: str = "zh", limit: int = MAX_LISTED) -> dict:
    """``{"basis": confirmed | inferred, "inferred_facts": [{id, kind, text}, ...]}`` of a support; past
    ``limit`` facts the list ends with one ``{"id": "…", "kind": "more", "text": "+ N more"}`` entry."""
    if isinstance(facts, LargeSupport):
        if limit > LargeSupport.HEAD:
            raise ValueError(f"a large support lists at most {LargeSupport.HEAD} facts")
        inferred, count = list(facts.first_inferred), facts.inferred_count
    else:
        inferred = sorted((f for f in set(facts) if is_inferred(G, f)), key=listing_order)
        count = len(inferred)
    listed = [describe(G, f, lang) for f in inferred[:limit]]
    if count > limit:
        n = count - limit
        listed.append({"id": "…", "kind": "more", "text": f"另有 {n} 项推断事实" if lang == "zh" else f"+ {n} more"})
    return {"basis": INFERRED if inferred else CONFIRMED, "inferred_facts": listed}


def kind_word(kind: str, lang: str = "zh") -> str:
    zh, en = KIND_WORDS.get(kind, (kind, kind))
    return zh if lang == "zh" else en


# -- the confirmed-only graph -------------------------------------------------------------------------

def confirmed_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``G`` without its inferred facts: the graph ``--confirmed-only`` analyses.

    Inferred relationships go, and inferred nodes with every relationship they have; chains and
    clusters stay (their row confidence is their cluster mapping's, which goes as a HAS_CHAIN link).

    >>> from chainkg.testing import tiny_graph
    >>> from chainkg.analysis.views import has_node, out_by_type
    >>> G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream")]}, feeds=[("A", "B")],
    ...                firms={"F1": (True, ["A"]), "F2": (True, ["B"])}, inferred=["F2", ("A", "B", "FEEDS")])
    >>> H = confirmed_graph(G)
    >>> has_node(H, "F2"), H.has_edge("A", "B"), out_by_type(H, "F1", "IN_SEGMENT"), G.has_edge("A", "B")
    (False, False, ['A'], True)
    """
    H = G.copy()
    H.remove_edges_from([(u, v, k) for u, v, k in G.edges(keys=True) if is_inferred(G, rel(k, u, v))])
    H.remove_nodes_from([n for n in G if is_inferred(G, node(n))])
    table = firm_table(G)
    if table is not None:  # a lean graph: the same in its columns
        H.graph["firms"] = table.confirmed(set(H))
    return H


# -- supports -------------------------------------------------------------------------------------------

def _out(G: nx.MultiDiGraph, n, k: str) -> list:
    """Targets of ``n``'s relationships of type ``k`` (a lean graph's firm's from its table)."""
    return firm_places(G, n, k)


def _placement(f, segment) -> set:
    return {rel("IN_SEGMENT", f, segment), node(f)}


def ranked_local(G: nx.MultiDiGraph, view: ChainView, segment) -> list:
    """The local firms of ``segment``, fewest inferred facts first (the firm, its placement there), then
    by id; a lean graph's view has them in this order already (:meth:`FirmTable.memberships`)."""
    if view.ranked is not None:
        return view.ranked.get(segment, [])
    return sorted(view.local_in.get(segment, ()), key=lambda f: (cost(G, _placement(f, segment)), f))


def placement_support(G: nx.MultiDiGraph, view: ChainView, segment) -> frozenset:
    """The cheapest local firm of ``segment``: its placement and the firm itself (empty if none)."""
    first = ranked_local(G, view, segment)[:1]
    return frozenset(_placement(first[0], segment)) if first else frozenset()


def _weighted_chain_graph(G: nx.MultiDiGraph, view: ChainView, chain) -> nx.DiGraph:
    """The within-chain graph, each link weighted by the inferred facts of taking it (link, segment)."""
    H = within_chain_graph(G, view.segments_of[chain])
    for u, v in H.edges:
        H.edges[u, v]["w"] = cost(G, (rel("FEEDS", u, v), node(v)))
    return H


def _path_facts(path: list) -> set:
    return {node(s) for s in path} | {rel("FEEDS", a, b) for a, b in pairwise(path)}


def route_support(G: nx.MultiDiGraph, view: ChainView, H: nx.DiGraph, s, ends: Iterable, upstream: bool) -> frozenset:
    """The cheapest way from one of ``ends`` (local segments) to ``s`` (``upstream``) or from ``s`` to one of
    them: the links and segments on the path and the placement that makes the end local."""
    R = H.reverse(copy=False) if upstream else H
    dist, paths = nx.single_source_dijkstra(R, s, weight="w")
    best = None
    for e in sorted(ends):
        if e not in dist:
            continue
        path = paths[e][::-1] if upstream else paths[e]  # in the direction of the FEEDS links
        facts = _path_facts(path) | placement_support(G, view, e)
        key = cost(G, facts)
        if best is None or key < best[0]:
            best = (key, facts)
    return frozenset(best[1]) if best else frozenset()


def status_supports(G: nx.MultiDiGraph, view: ChainView, statuses: dict, thin_threshold: int = 3) -> dict:
    """Segment -> :func:`status_support` of every status, each chain's weighted graph built once."""
    graphs: dict = {}
    out = {}
    for s, st in statuses.items():
        if st.status in ("gap_fill", "gap_extend") and st.chain not in graphs:
            graphs[st.chain] = _weighted_chain_graph(G, view, st.chain)
        out[s] = status_support(G, view, st, thin_threshold, graphs.get(st.chain))
    return out


def status_support(G: nx.MultiDiGraph, view: ChainView, st, thin_threshold: int = 3, H: nx.DiGraph | None = None) -> frozenset:
    """The facts a segment's status rests on (see the module text); ``H``: the chain's weighted graph, if built."""
    s = st.segment
    own = {node(s)}
    if st.status == "gap_unlinked":
        return frozenset(own)
    if st.status == "gap_isolated":  # isolated, not unlinked: it needs one FEEDS link (the cheapest)
        links = [{rel("FEEDS", u, v), node(u), node(v)} for u, v, k in
                 list(G.in_edges(s, keys=True)) + list(G.out_edges(s, keys=True)) if k == "FEEDS"]
        return frozenset(own | min(links, key=lambda o: (cost(G, o), sorted(o)), default=set()))
    if st.status in ("single", "thin", "present"):
        ranked = ranked_local(G, view, s)
        # single / thin: the exact count matters, every firm; present: the threshold's cheapest firms
        keep = ranked if st.status != "present" else ranked[:thin_threshold]
        return frozenset(own.union(*(_placement(f, s) for f in keep)))
    H = H if H is not None else _weighted_chain_graph(G, view, st.chain)
    up = lambda: route_support(G, view, H, s, st.local_ancestors, upstream=True)
    down = lambda: route_support(G, view, H, s, st.local_descendants, upstream=False)
    if st.status == "gap_extend":
        return frozenset(own | (up() if st.direction == "down" else down()))
    options = [{rel("FEEDS", s, t), node(t)} | placement_support(G, view, t) for t in st.pulls]
    if st.local_ancestors and st.local_descendants:
        options.append(set(up() | down()))
    return frozenset(own | min(options, key=lambda o: (cost(G, o), sorted(o)), default=set()))


def chokepoint_support(G: nx.MultiDiGraph, view: ChainView, s, pairs: list[tuple]) -> frozenset:
    """A chokepoint needs one of its pairs: local U, a path U → S → D, local D (the cheapest pair)."""
    chain = view.chain_of[s]
    H = _weighted_chain_graph(G, view, chain)
    best = None
    for u, d in pairs:
        facts = set(route_support(G, view, H, s, [u], upstream=True) | route_support(G, view, H, s, [d], upstream=False))
        key = (cost(G, facts), u, d)
        if best is None or key < best[0]:
            best = (key, facts)
    return frozenset({node(s)} | (best[1] if best else set()))


def membership_support(G: nx.MultiDiGraph, view: ChainView, chain, firm) -> frozenset:
    """A firm's place in a chain: the firm, its placements in the chain's links and its chain membership."""
    facts = {node(firm)} | {rel("IN_SEGMENT", firm, s) for s in _out(G, firm, "IN_SEGMENT") if view.chain_of.get(s) == chain}
    if chain in _out(G, firm, "IN_CHAIN"):
        facts.add(rel("IN_CHAIN", firm, chain))
    return frozenset(facts)


def key_firm_support(G: nx.MultiDiGraph, firm, reasons: list[str], only_local_firm_of: list) -> frozenset:
    """The firm; for "only local firm", its placements there; for "articulation", its local supply links."""
    facts = {node(firm)} | {rel("IN_SEGMENT", firm, s) for s in only_local_firm_of}
    if "articulation" in reasons:
        facts |= {rel("SUPPLIES", u, firm) for u in in_by_type(G, firm, "SUPPLIES") if node_attrs(G, u).get("local") is True}
        facts |= {rel("SUPPLIES", firm, v) for v in out_by_type(G, firm, "SUPPLIES") if node_attrs(G, v).get("local") is True}
    return frozenset(facts)


def prospect_support(G: nx.MultiDiGraph, gap_support: frozenset, segment, firm, projects: Iterable = ()) -> frozenset:
    """The gap's own support, the outside firm and its placement there, and any project it already has."""
    facts = set(gap_support) | {node(firm), rel("IN_SEGMENT", firm, segment)}
    for p in projects:
        facts |= {node(p), rel("HAS_PROJECT", firm, p)}
    return frozenset(facts)


def in_chain_support(G: nx.MultiDiGraph, view: ChainView, chain, firm) -> frozenset:
    """That ``firm`` is in ``chain`` at all: the firm and its best-sourced placement there or chain membership."""
    ways = [rel("IN_SEGMENT", firm, s) for s in _out(G, firm, "IN_SEGMENT") if view.chain_of.get(s) == chain]
    if chain in _out(G, firm, "IN_CHAIN"):
        ways.append(rel("IN_CHAIN", firm, chain))
    best = min(ways, key=lambda w: (cost(G, [w]), w), default=None)
    return frozenset({node(firm)} | ({best} if best else set()))


def coverage_support(G: nx.MultiDiGraph, view: ChainView, chain, metric_id=None) -> frozenset:
    """The named local firms (each firm and its best-sourced place in the chain) and the reported figure.

    >>> from chainkg.testing import tiny_graph
    >>> G = tiny_graph({"K": [("S", "upstream"), ("T", "midstream")]}, firms={"A": (True, ["S", "T"])},
    ...                inferred=[("A", "T", "IN_SEGMENT")])           # A is in K by its confirmed S anyway
    >>> basis(G, coverage_support(G, ChainView.of(G), "K"))["basis"]
    'confirmed'
    """
    facts = set().union(*(in_chain_support(G, view, chain, f) for f in view.local_firms_of_chain(chain)))
    if metric_id:
        facts.add(node(metric_id))
    return frozenset(facts)


def large_coverage_supports(G: nx.MultiDiGraph, view: ChainView, metrics: dict) -> dict[str, LargeSupport]:
    """:func:`coverage_support` of every chain (``metrics``: chain -> its reported metric or None) of a
    lean graph, as column operations: each local firm's best-sourced place in the chain is a sort and
    a first per firm, and only the count and the first inferred facts are kept."""
    import polars as pl

    table = cast(FirmTable, firm_table(G))  # called for a lean graph only (Analysis.coverage_supports)
    ways = table.chain_placements({c: view.segments_of[c] for c in metrics})  # only the chains asked for
    out = {}
    for chain, metric in metrics.items():
        firms = pl.Series(sorted(view.local_firms_of_chain(chain)), dtype=pl.String)
        best = (ways.filter((pl.col("chain") == chain) & pl.col("firm").is_in(firms.implode()))
                .sort("firm", "inferred", "kind", "target").group_by("firm", maintain_order=True).first()
                .filter("inferred").sort("kind", "firm", "target"))
        nodes = table.inferred_firms(firms).to_list()
        if metric and is_inferred(G, node(metric)):
            nodes.append(metric)
        head = sorted(nodes, key=str)[:LargeSupport.HEAD]
        if len(head) < LargeSupport.HEAD:
            head += [rel(k, f, t) for k, f, t in best.head(LargeSupport.HEAD - len(head)).select(
                "kind", "firm", "target").iter_rows()]
        out[chain] = LargeSupport(len(nodes) + best.height, tuple(node(n) if not isinstance(n, tuple) else n
                                                                    for n in head))
    return out


def tier_support(G: nx.MultiDiGraph, view: ChainView, row: dict) -> frozenset:
    """A tier count: the firms counted and their place in the scope, the target, a cluster's chain mappings."""
    facts: set = set()
    if row.get("target_id"):
        facts.add(node(row["target_id"]))
    scope, sid = row["scope"], row["scope_id"]
    chains = ([sid] if scope == "chain" else
              [c for c, cl in view.cluster_of.items() if cl == sid] if scope == "cluster" else [])
    if scope == "cluster":
        facts |= {rel("HAS_CHAIN", sid, c) for c in chains}
    firms = row.get("firm_ids", ())
    members = {c: view.local_firms_of_chain(c) for c in chains} if firms else {}
    for f in firms:
        facts.add(node(f))
        if chains:  # the firm counts for the scope through one of its chains: the best-sourced way
            facts |= min((in_chain_support(G, view, c, f) for c in chains if f in members[c]),
                         key=lambda o: (cost(G, o), sorted(o)), default=frozenset())
    return frozenset(facts)
