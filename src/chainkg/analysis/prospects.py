"""Prospects (招商对象): outside firms working in a gap segment, scored with their reasons."""

from __future__ import annotations

from typing import Any

import networkx as nx

from ..graph_model.firm_table import node_attrs
from .status import SegmentStatus
from .views import ChainView, in_by_type, out_by_type
from .weights import Weights


def revenue_points(revenue: float | None, tiers: list[tuple[float, float]]) -> float:
    """Points of a revenue (亿元) by tier; unknown revenue scores 0.

    >>> revenue_points(120, [(500, 4), (100, 3), (50, 2), (20, 1)]), revenue_points(None, [(20, 1)])
    (3, 0)
    """
    if revenue is None:
        return 0
    for threshold, points in sorted(tiers, reverse=True):
        if revenue >= threshold:
            return points
    return 0


def group_plants(G: nx.MultiDiGraph, firm: str) -> list[str]:
    """Local firms of ``firm``'s group: its subsidiaries and plants, and those of its parent (siblings).

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("GRP", {"local": False}), ("A", {"local": False}), ("PA", {"local": True}),
    ...                   ("PB", {"local": True}), ("X", {"local": True})])
    >>> for u, v in [("A", "GRP"), ("PA", "A"), ("PB", "GRP")]: _ = G.add_edge(u, v, "SUBSIDIARY_OF")
    >>> group_plants(G, "A"), group_plants(G, "GRP"), group_plants(G, "X")
    (['PA', 'PB'], ['PB'], [])
    """
    parents = out_by_type(G, firm, "SUBSIDIARY_OF")
    near = set(in_by_type(G, firm, "SUBSIDIARY_OF"))
    for p in parents:
        near.update(in_by_type(G, p, "SUBSIDIARY_OF"))
    return sorted(x for x in near - {firm} if node_attrs(G, x).get("local") is True)


def prospects_for(G: nx.MultiDiGraph, st: SegmentStatus, statuses: dict[str, SegmentStatus], view: ChainView,
                  weights: Weights) -> list[dict]:
    """Non-local firms in gap segment ``st``, best first (score, then id).

    >>> from chainkg.testing import tiny_graph
    >>> from chainkg.analysis.status import classify_segments
    >>> city = lambda rels=(): tiny_graph({"K": [("A", "upstream"), ("B", "midstream"), ("C", "downstream")]},
    ...     feeds=[("A", "B"), ("B", "C")], firms={"L1": (True, ["A"]), "O1": (False, ["B"]), "O2": (False, ["B", "C"])},
    ...     supplies=[("L1", "O1")], revenue={"O2": 150}, rels=rels,
    ...     extra_nodes={"P1": {"label": "Project", "name": "O1 扩产项目"}})
    >>> G = city()
    >>> from chainkg.analysis.weights import default_weights
    >>> v = ChainView.of(G); sts = classify_segments(G, view=v)
    >>> [(p["firm_id"], p["score"]) for p in prospects_for(G, sts["B"], sts, v, default_weights())]
    [('O2', 4), ('O1', 2)]

    An outside firm that already has a project in the region is an existing investor (增资扩产 /
    以商引商 lead), with its projects, not a cold approach:

    >>> G = city([("O1", "P1", "HAS_PROJECT")])
    >>> [(p["firm_id"], p["existing_investor"], p["projects"]) for p in prospects_for(G, sts["B"], sts, v, default_weights())]
    [('O2', False, []), ('O1', True, ['P1'])]

    A group whose plant here is a local firm (the plant ``SUBSIDIARY_OF`` the group, or of the same parent) is an
    existing investor too, with that plant named:

    >>> G = city([("O1", "P1", "HAS_PROJECT"), ("L1", "O2", "SUBSIDIARY_OF")])
    >>> [(p["firm_id"], p["existing_investor"], p["group_plants"]) for p in prospects_for(G, sts["B"], sts, v, default_weights())]
    [('O2', True, ['L1']), ('O1', True, [])]
    """
    w = weights.prospect
    chain_gaps = {s for s in view.segments_of[st.chain] if statuses[s].is_gap and s != st.segment}
    rows: list[dict[str, Any]] = []
    for f in sorted(view.firms_in.get(st.segment, ())):
        d = node_attrs(G, f)
        if d.get("local") is True:
            continue
        partners = sorted({p for p in out_by_type(G, f, "SUPPLIES") + in_by_type(G, f, "SUPPLIES")
                           if node_attrs(G, p).get("local") is True})
        funds = in_by_type(G, f, "INVESTS_IN")
        revenue = d.get("revenue_100m_cny")
        also = sorted(s for s in out_by_type(G, f, "IN_SEGMENT") if s in chain_gaps)
        parts = {
            "local_partners": min(len(partners), w.local_partner_max) * w.local_partner,
            "fund_investment": w.fund_investment if funds else 0,
            "revenue_tier": revenue_points(revenue, w.revenue_tiers),
            "other_gaps": len(also) * w.other_gap,
        }
        parts = {k: int(v) if float(v).is_integer() else v for k, v in parts.items()}
        projects = [p for p in out_by_type(G, f, "HAS_PROJECT") if node_attrs(G, p).get("label") == "Project"]
        plants = group_plants(G, f)
        rows.append({"firm_id": f, "score": sum(parts.values()), "parts": parts, "local_partners": partners,
                     "funds": funds, "revenue_100m_cny": revenue, "revenue_unknown": revenue is None,
                     "other_gaps": also, "existing_investor": bool(projects or plants), "projects": projects,
                     "group_plants": plants})
    rows.sort(key=lambda r: (-r["score"], r["firm_id"]))
    return rows
