"""Segment status: the first rule that applies (see docs/analysis.md).

n = distinct local firms in segment S of chain C.

1. ``gap_unlinked``  n = 0 and S has no FEEDS link at all.
2. ``gap_fill``      n = 0 and S directly feeds a segment with local firms (any chain), or some
                     ancestor and some descendant of S within C have local firms.
3. ``gap_extend``    n = 0 and some ancestor (direction ``down``) or descendant (``up``) has.
4. ``gap_isolated``  n = 0 otherwise.
5. ``single``        n = 1.   6. ``thin``  2 <= n < threshold.   7. ``present``  otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from ..graph_model.vocabulary import GAPS
from .chain_graph import within_chain_graph
from .views import ChainView


@dataclass
class SegmentStatus:
    segment: str
    chain: str
    status: str
    local_firms: int
    direction: str | None = None  # up | down, for gap_extend
    pulls: list[str] = field(default_factory=list)  # directly fed segments with local firms (any chain)
    local_ancestors: list[str] = field(default_factory=list)  # within C
    local_descendants: list[str] = field(default_factory=list)  # within C

    @property
    def is_gap(self) -> bool:
        return self.status in GAPS  # the declared vocabulary's is_gap


def classify_segments(G: nx.MultiDiGraph, *, thin_threshold: int | None = None,
                      view: ChainView | None = None) -> dict[str, SegmentStatus]:
    """Status of every segment of every chain (``thin_threshold``: by default that of weights.yaml).

    A chain A → B → C with a local firm in A and in C: B lies between local presence.

    >>> from chainkg.testing import tiny_graph
    >>> G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream"), ("C", "downstream"), ("D", "downstream")]},
    ...                feeds=[("A", "B"), ("B", "C")], firms={"F1": (True, ["A"]), "F2": (True, ["C"])})
    >>> {s: r.status for s, r in classify_segments(G).items()}
    {'A': 'single', 'B': 'gap_fill', 'C': 'single', 'D': 'gap_unlinked'}
    """
    if thin_threshold is None:
        from .weights import default_weights

        thin_threshold = default_weights().thin_threshold
    if thin_threshold < 2:
        raise ValueError("thin_threshold must be at least 2")
    view = view or ChainView.of(G)
    feeds_out: dict[str, list[str]] = {}
    linked: set[str] = set()
    for u, v, k in G.edges(keys=True):
        if k == "FEEDS":
            feeds_out.setdefault(u, []).append(v)
            linked.update((u, v))
    has_local = {s for s, firms in view.local_in.items() if firms}
    out: dict[str, SegmentStatus] = {}
    for chain, segments in view.segments_of.items():
        H = within_chain_graph(G, segments)
        for s in segments:
            n = len(view.local_in.get(s, ()))
            res = SegmentStatus(s, chain, "present", n)
            if n == 0:
                res.pulls = sorted(t for t in feeds_out.get(s, []) if t in has_local)
                res.local_ancestors = sorted(a for a in nx.ancestors(H, s) if a in has_local)
                res.local_descendants = sorted(d for d in nx.descendants(H, s) if d in has_local)
                if s not in linked:
                    res.status = "gap_unlinked"
                elif res.pulls or (res.local_ancestors and res.local_descendants):
                    res.status = "gap_fill"
                elif res.local_ancestors or res.local_descendants:
                    res.status = "gap_extend"
                    res.direction = "down" if res.local_ancestors else "up"
                else:
                    res.status = "gap_isolated"
            elif n == 1:
                res.status = "single"
            elif n < thin_threshold:
                res.status = "thin"
            out[s] = res
    return out
