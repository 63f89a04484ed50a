"""Read-only views of the graph the analysis functions share: chains, segments, firms, metrics."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from ..graph_model.firm_table import FIRM, firm_table, node_attrs


def has_node(G: nx.MultiDiGraph, node) -> bool:
    """Whether ``node`` is in the graph (a lean graph's firms included)."""
    if node in G._node:
        return True
    table = firm_table(G)
    return table is not None and node in table


def nodes_by_label(G: nx.MultiDiGraph, label: str) -> list[str]:
    """Nodes with ``label`` in the graph's order (the dataset's row order: 613's official order); a lean
    graph's firms from its table."""
    own = [n for n, d in G.nodes(data=True) if d.get("label") == label]
    table = firm_table(G)
    return own + table.ids() if label == FIRM and table is not None else own


def out_by_type(G: nx.MultiDiGraph, node, rel: str) -> list[str]:
    """The ends of ``node``'s ``rel`` relationships, sorted (a lean graph's firm relationships included)."""
    return _by_type(G, node, rel, "start")


def in_by_type(G: nx.MultiDiGraph, node, rel: str) -> list[str]:
    """The starts of the ``rel`` relationships ending at ``node``, sorted (as :func:`out_by_type`)."""
    return _by_type(G, node, rel, "end")


def _by_type(G: nx.MultiDiGraph, node, rel: str, side: str) -> list[str]:
    """The other ends of the ``rel`` relationships with ``node`` at their ``side`` (start or end)."""
    if node in G._node:
        edges = G.out_edges(node, keys=True) if side == "start" else G.in_edges(node, keys=True)
        own = [v if side == "start" else u for u, v, k in edges if k == rel]
    else:
        own = []
    table = firm_table(G)
    if table is None and node not in G._node:
        raise KeyError(node)
    return sorted(own + table.ends(rel, node, side)) if table is not None else sorted(own)


@dataclass
class ChainView:
    """Everything about the chains the analysis needs, computed once from the graph."""
    G: nx.MultiDiGraph
    chain_of: dict[str, str] = field(default_factory=dict)  # segment -> chain
    segments_of: dict[str, list[str]] = field(default_factory=dict)  # chain -> segments
    cluster_of: dict[str, str | None] = field(default_factory=dict)  # chain -> cluster
    firms_in: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # segment -> firms
    local_in: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # segment -> local firms
    #: chain -> firms a source ties to the chain but not to a link (``firm_chains``, IN_CHAIN)
    chain_firms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    chain_local: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # the local ones
    #: a lean graph's segments -> local firms in the order supports pick them (None: sort them when asked)
    ranked: dict[str, list[str]] | None = None

    @classmethod
    def of(cls, G: nx.MultiDiGraph, district: str | None = None) -> ChainView:
        """``district``: only firms located in it (or a district under it) count as local."""
        v = cls(G)
        inside = districts_under(G, district) if district else None
        for chain in nodes_by_label(G, "Chain"):
            segs = out_by_type(G, chain, "HAS_SEGMENT")
            v.segments_of[chain] = segs
            for s in segs:
                v.chain_of[s] = chain
            clusters = in_by_type(G, chain, "HAS_CHAIN")
            v.cluster_of[chain] = clusters[0] if clusters else None
        table = firm_table(G)
        if table is not None:  # a lean graph: the firms' places are group-bys of its columns
            firms_in, local_in, chain_firms, chain_local, v.ranked = table.memberships(set(v.segments_of), inside)
            v.firms_in.update(firms_in)
            v.local_in.update(local_in)
            v.chain_firms.update(chain_firms)
            v.chain_local.update(chain_local)
            return v
        for u, s, k in G.edges(keys=True):
            if k in ("IN_SEGMENT", "IN_CHAIN") and G.nodes[u].get("label") == "Firm":
                if k == "IN_CHAIN" and s not in v.segments_of:
                    continue
                everyone, local = (v.firms_in, v.local_in) if k == "IN_SEGMENT" else (v.chain_firms, v.chain_local)
                everyone[s].add(u)
                if G.nodes[u].get("local") is True and (
                        inside is None or any(d in inside for d in out_by_type(G, u, "LOCATED_IN"))):
                    local[s].add(u)
        return v

    def local_firms_of_chain(self, chain: str) -> set[str]:
        """Local firms in the chain's segments and those tied to the chain only (link unknown)."""
        return set().union(self.chain_local.get(chain, set()), *(self.local_in[s] for s in self.segments_of.get(chain, [])))

    def firms_of_chain(self, chain: str) -> set[str]:
        return set().union(self.chain_firms.get(chain, set()), *(self.firms_in[s] for s in self.segments_of.get(chain, [])))

    def link_unknown(self, chain: str, local: bool = True) -> list[str]:
        """Firms tied to ``chain`` by a source but placed in none of its segments, sorted.

        >>> from chainkg.testing import tiny_graph
        >>> G = tiny_graph({"K": [("S", "upstream")]}, firms={"A": (True, ["S"]), "B": (True, []), "C": (False, [])},
        ...                chain_firms={"A": ["K"], "B": ["K"], "C": ["K"]})
        >>> v = ChainView.of(G)
        >>> v.link_unknown("K"), v.link_unknown("K", local=False), sorted(v.local_firms_of_chain("K"))
        (['B'], ['B', 'C'], ['A', 'B'])
        """
        in_segments = set().union(*(self.firms_in[s] for s in self.segments_of.get(chain, [])))
        tied = (self.chain_local if local else self.chain_firms).get(chain, set())
        return sorted(tied - in_segments)


def name(G: nx.MultiDiGraph, node, lang: str = "zh") -> str:
    """The node's name in ``lang``, falling back to the other language, then the id."""
    table = firm_table(G)
    if table is not None and node not in G._node and node in table:
        return table.name(node, lang)
    d = G.nodes[node]
    first, second = ("name", "name_en") if lang == "zh" else ("name_en", "name")
    return d.get(first) or d.get(second) or str(node)


def names(G: nx.MultiDiGraph, nodes, lang: str = "zh") -> list[str]:
    """:func:`name` of each of ``nodes`` (a lean graph's firms looked up in one pass over its table)."""
    table = firm_table(G)
    if table is None:
        return [name(G, n, lang) for n in nodes]
    nodes = list(nodes)
    if any(n in G._node for n in nodes):
        return [name(G, n, lang) for n in nodes]
    return table.names(nodes, lang)


def grouped_names(G: nx.MultiDiGraph, groups: list[list], lang: str = "zh") -> list[list[str]]:
    """:func:`names` of each group of nodes, looked up together (one pass over a lean graph's firm table)."""
    flat = names(G, [n for g in groups for n in g], lang)
    out, i = [], 0
    for g in groups:
        out.append(flat[i:i + len(g)])
        i += len(g)
    return out


def metrics_of(G: nx.MultiDiGraph, scope_id: str) -> list[dict]:
    return [dict(d, id=n) for n, d in G.nodes(data=True) if d.get("label") == "Metric" and d.get("scope_id") == scope_id]


def districts_under(G: nx.MultiDiGraph, district: str) -> set[str]:
    """``district`` and every district PART_OF it, transitively."""
    out, todo = {district}, [district]
    while todo:
        d = todo.pop()
        for child in in_by_type(G, d, "PART_OF"):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def local_firms(G: nx.MultiDiGraph, district: str | None = None) -> set[str]:
    """The local firms of the city, or with ``district`` those located in it (or a district under it):
    what "local" means in every count of an analysis run with that district.

    >>> from chainkg.testing import tiny_graph
    >>> G = tiny_graph({"K": [("S", "upstream")]}, firms={"A": (True, ["S"]), "B": (True, ["S"]), "C": (False, [])},
    ...                districts={"A": "D1", "B": "D2"})
    >>> sorted(local_firms(G)), sorted(local_firms(G, "D1"))
    (['A', 'B'], ['A'])
    """
    table = firm_table(G)
    if table is not None and district is None:
        return set(table.local_ids())
    inside = districts_under(G, district) if district else None
    if table is not None:  # the firm table's firms: located there, from the columns
        return set(table._local(inside).get_column("id").to_list())
    return {f for f in nodes_by_label(G, "Firm") if node_attrs(G, f).get("local") is True and (
        inside is None or any(d in inside for d in out_by_type(G, f, "LOCATED_IN")))}
