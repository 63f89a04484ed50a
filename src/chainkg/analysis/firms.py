"""Key firms, supplier importance and 链主 candidates, from the SUPPLIES graph and segments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..graph_model.firm_table import firm_table, node_attrs, rel_attrs
from .views import ChainView, local_firms

EXACT_BETWEENNESS_LIMIT = 5000
SAMPLE_K = 500


@dataclass
class FirmCentrality:
    supplies_data: bool
    pagerank: dict[str, float]
    betweenness: dict[str, float]
    betweenness_sampled: bool
    articulation: set[str]


def supplies_graph(G: nx.MultiDiGraph) -> nx.DiGraph:
    """The firms' SUPPLIES links (a lean graph's from the arrays of its firm table)."""
    table = firm_table(G)
    if table is not None:
        return table.supplies_graph()
    return nx.DiGraph((u, v) for u, v, k in G.edges(keys=True) if k == "SUPPLIES")


def supplies_pairs(G: nx.MultiDiGraph) -> tuple[list, list]:
    """(suppliers, customers) of the SUPPLIES links, in the order :func:`supplies_graph` is built from."""
    table = firm_table(G)
    if table is not None:
        return table.supplies_pairs()
    pairs = [(u, v) for u, v, k in G.edges(keys=True) if k == "SUPPLIES"]
    return [u for u, _ in pairs], [v for _, v in pairs]


def firm_values(G: nx.MultiDiGraph, firms, column: str) -> dict:
    """Firm -> its ``column`` value where it has one (a lean graph's in one pass over its table)."""
    table = firm_table(G)
    if table is not None:
        return table.values(firms, column)
    return {f: G.nodes[f][column] for f in firms if G.nodes[f].get(column) is not None}


class _Supplies:
    """The SUPPLIES graph as integer arrays, nodes numbered as ``nx.DiGraph(pairs)`` orders them (first
    appearance, each pair once) — what PageRank and the articulation points need, without a NetworkX
    node per firm."""

    def __init__(self, starts: list, ends: list, without=()):
        import polars as pl

        pairs = pl.DataFrame({"u": starts, "v": ends}, schema={"u": pl.String, "v": pl.String}).unique(
            maintain_order=True)
        if without:  # the graph rebuilt from the remaining links, in the edge order of the whole one
            pos = self._first_seen(pairs)
            gone = pl.Series(list(without), dtype=pl.String).implode()
            pairs = (pairs.with_row_index("_i").join(pos.rename({"n": "u", "_pos": "_upos"}), on="u")
                     .sort("_upos", "_i").filter(~pl.col("u").is_in(gone) & ~pl.col("v").is_in(gone))
                     .select("u", "v"))
        nodes = self._first_seen(pairs).with_row_index("code")
        self.nodes: list = nodes.get_column("n").to_list()
        coded = (pairs.join(nodes.select(pl.col("n").alias("u"), pl.col("code").alias("cu")), on="u",
                            maintain_order="left")
                 .join(nodes.select(pl.col("n").alias("v"), pl.col("code").alias("cv")), on="v", maintain_order="left"))
        self.u = coded.get_column("cu").to_numpy()
        self.v = coded.get_column("cv").to_numpy()

    @staticmethod
    def _first_seen(pairs):
        import polars as pl

        flat = pl.concat([pairs.select(pl.col("u").alias("n")).with_row_index("_pos").with_columns(pl.col("_pos") * 2),
                          pairs.select(pl.col("v").alias("n")).with_row_index("_pos").with_columns(
                              pl.col("_pos") * 2 + 1)])
        return flat.group_by("n").agg(pl.col("_pos").min()).sort("_pos").select("n", "_pos")

    def pagerank(self, alpha: float = 0.85, max_iter: int = 100, tol: float = 1.0e-6) -> dict:
        """``nx.pagerank(DiGraph(pairs).reverse(), alpha)``, step for step as NetworkX's SciPy version
        computes it (the same matrix, node order and sums), from the arrays."""
        import numpy as np
        import scipy as sp

        N = len(self.nodes)
        A = sp.sparse.coo_array((np.ones(len(self.u)), (self.v, self.u)), shape=(N, N), dtype=float).asformat("csr")
        S = A.sum(axis=1)
        S[S != 0] = 1.0 / S[S != 0]
        Q = sp.sparse.dia_array((S.T, 0), shape=A.shape).tocsr()
        A = Q @ A
        x = np.repeat(1.0 / N, N)
        p = np.repeat(1.0 / N, N)
        is_dangling = np.where(S == 0)[0]
        for _ in range(max_iter):
            xlast = x
            x = alpha * (x @ A + sum(x[is_dangling]) * p) + (1 - alpha) * p
            if np.absolute(x - xlast).sum() < N * tol:
                return dict(zip(self.nodes, map(float, x), strict=True))
        raise nx.PowerIterationFailedConvergence(max_iter)

    def articulation(self, local: set) -> set:
        """Articulation points of the undirected graph of the links between ``local`` firms."""
        import numpy as np

        keep = np.fromiter((n in local for n in self.nodes), dtype=bool, count=len(self.nodes))
        both = keep[self.u] & keep[self.v]
        U = nx.Graph()
        U.add_nodes_from(n for n, k in zip(self.nodes, keep, strict=True) if k)
        names = self.nodes
        U.add_edges_from((names[a], names[b]) for a, b in zip(self.u[both].tolist(), self.v[both].tolist(), strict=True))
        return set(nx.articulation_points(U))


def firm_centrality(G: nx.MultiDiGraph, betweenness: bool = True, without=()) -> FirmCentrality:
    """PageRank on reversed SUPPLIES (α 0.85: customers vote for suppliers), betweenness (exact below
    5,000 firms, else sampled k=500, seed 0: the slow part, skipped with ``betweenness=False``),
    articulation points among local firms. ``without``: firms left out (what-if: firms leaving).

    >>> from chainkg.testing import tiny_graph
    >>> G = tiny_graph({"K": [("S", "upstream")]}, firms={f: (True, ["S"]) for f in "ABC"},
    ...                supplies=[("A", "B"), ("B", "C")])
    >>> c = firm_centrality(G)
    >>> c.articulation, c.betweenness["B"], max(c.pagerank, key=c.pagerank.get)
    ({'B'}, 0.5, 'A')
    """
    graph = _Supplies(*supplies_pairs(G), without=without)
    if len(graph.u) == 0:
        return FirmCentrality(False, {}, {}, False, set())
    pagerank = graph.pagerank(alpha=0.85)
    sampled = len(graph.nodes) >= EXACT_BETWEENNESS_LIMIT
    between = {}
    if betweenness:
        names = graph.nodes
        S = nx.DiGraph((names[a], names[b]) for a, b in zip(graph.u.tolist(), graph.v.tolist(), strict=True))
        between = nx.betweenness_centrality(S, k=SAMPLE_K if sampled else None, seed=0 if sampled else None)
    return FirmCentrality(True, {k: round(v, 6) for k, v in pagerank.items()},
                          {k: round(v, 6) for k, v in between.items()}, sampled and betweenness,
                          graph.articulation(local_firms(G)))


def key_firms(G: nx.MultiDiGraph, view: ChainView, cent: FirmCentrality) -> list[dict]:
    """Articulation points of the local SUPPLIES graph, plus the only local firm of any segment."""
    only_of: dict[str, list[str]] = {}
    for seg, firms in view.local_in.items():
        if len(firms) == 1:
            only_of.setdefault(next(iter(firms)), []).append(seg)
    rows = []
    for f in sorted(set(only_of) | cent.articulation):
        reasons = []
        if f in cent.articulation:
            reasons.append("articulation")
        if f in only_of:
            reasons.append("only_local_firm")
        rows.append({"firm_id": f, "reasons": reasons, "only_local_firm_of": sorted(only_of.get(f, [])),
                     "pagerank": cent.pagerank.get(f) if cent.supplies_data else None,
                     "betweenness": cent.betweenness.get(f) if cent.supplies_data else None})
    return rows


LEADER_TAG = "链主"


def _firm(G, firm) -> dict:
    """A firm's properties: a what-if overlay's new firm, a node, or a row of the firm table."""
    try:
        return G.nodes[firm]
    except KeyError:
        return node_attrs(getattr(G, "base", G), firm)


def _placement_source(G, firm, segment):
    try:
        return rel_attrs(G, "IN_SEGMENT", firm, segment).get("source_id")
    except KeyError:
        return None


def led_chains(G: nx.MultiDiGraph, view: ChainView, firm: str) -> set[str]:
    """The chains a firm's 链主 tag is about (docs/format.md, "链主"): ``链主:IC`` (or ``链主：``, a chain
    id or exact name) names its chain; a bare ``链主`` counts for the chains a source ties the firm to as
    a whole (``firm_chains``), or where the firm record's own source places it (``firm_segments``), or
    the firm's only chain. Never for every chain the firm works in.

    >>> from chainkg.testing import tiny_graph
    >>> G = tiny_graph({"PV": [("P", "upstream")], "IC": [("I", "upstream")]}, firms={"Y": (True, ["P", "I"])},
    ...                tags={"Y": ["链主"]}, chain_firms={"Y": ["IC"]})
    >>> v = ChainView.of(G)
    >>> from chainkg.graph_model.edits import Edit, edited_graph
    >>> H = edited_graph(G, [Edit("set_firm", firm="Y", props={"tags": ["链主:链PV"]})])
    >>> sorted(led_chains(G, v, "Y")), sorted(led_chains(H, v, "Y"))
    (['IC'], ['PV'])
    """
    d = _firm(G, firm)
    tags = [str(t).strip().replace("：", ":") for t in d.get("tags") or ()]
    named = {q.strip() for t in tags for head, sep, q in [t.partition(":")] if sep and head.strip() == LEADER_TAG}
    out = {c for c in view.segments_of if named & {c, G.nodes[c].get("name"), G.nodes[c].get("name_en")}}
    if LEADER_TAG not in tags:
        return out
    # the memberships the view holds (a what-if's, after its changes), the sources from the graph's edges
    in_segments = {s for s, firms in view.firms_in.items() if firm in firms and s in view.chain_of}
    tied = {c for c, firms in view.chain_firms.items() if firm in firms}
    own, graph = d.get("source_id"), getattr(G, "base", G)
    placed = {view.chain_of[s] for s in in_segments if own and _placement_source(graph, firm, s) == own}
    every = {view.chain_of[s] for s in in_segments} | tied
    return out | tied | placed | (every if len(every) == 1 else set())


def chain_leader_candidates(G: nx.MultiDiGraph, view: ChainView, cent: FirmCentrality,
                            chains=None) -> dict[str, list[dict]]:
    """Per chain (only ``chains`` when given), its local firms ranked: a source's 链主 tag for this chain first (:func:`led_chains`), then
    segments covered, revenue, PageRank.

    A firm tied to the chain only (``firm_chains``, link unknown) is a candidate covering 0 segments.

    >>> from chainkg.testing import tiny_graph
    >>> G = tiny_graph({"K": [("S", "upstream")]}, firms={"A": (True, ["S"]), "B": (True, [])},
    ...                chain_firms={"B": ["K"]}, tags={"B": ["链主"]})
    >>> v = ChainView.of(G)
    >>> [(r["firm_id"], r["segments_covered"]) for r in chain_leader_candidates(G, v, firm_centrality(G))["K"]]
    [('B', 0), ('A', 1)]
    """
    out = {}
    leads: dict[str, set[str]] = {}
    covered_of: dict[str, dict[str, int]] = {}
    for chain, segments in view.segments_of.items():
        if chains is not None and chain not in chains:
            continue
        covered: dict[str, int] = {f: 0 for f in view.chain_local.get(chain, ())}
        for s in segments:
            for f in view.local_in.get(s, ()):
                covered[f] = covered.get(f, 0) + 1
        covered_of[chain] = covered
    firms = set().union(*covered_of.values())
    tags, revenue = firm_values(G, firms, "tags"), firm_values(G, firms, "revenue_100m_cny")
    for chain, covered in covered_of.items():
        rows: list[dict[str, Any]] = []
        for f, n in covered.items():
            if f not in leads:
                leads[f] = led_chains(G, view, f) if tags.get(f) else set()
            rows.append({"firm_id": f, "tagged_chain_leader": chain in leads[f], "segments_covered": n,
                         "revenue_100m_cny": revenue.get(f),
                         "pagerank": cent.pagerank.get(f) if cent.supplies_data else None})
        rows.sort(key=lambda r: (not r["tagged_chain_leader"], -r["segments_covered"],
                                 -(r["revenue_100m_cny"] or 0), -(r["pagerank"] or 0), r["firm_id"]))
        for rank, r in enumerate(rows, start=1):
            r["rank"] = rank
        out[chain] = rows
    return out
