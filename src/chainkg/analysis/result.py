"""The whole analysis of one graph, computed once: statuses, priorities, chokepoints, coverage.

Pure numbers and ids; the words and rows built from them live in :mod:`chainkg.findings`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import networkx as nx

from .chokepoints import chokepoints
from .coverage import chain_coverage
from .firms import FirmCentrality, firm_centrality
from .priority import flow_betweenness, priority
from .status import SegmentStatus, classify_segments
from .views import ChainView

if TYPE_CHECKING:
    from .basis import LargeSupport
from .weights import Weights, default_weights


@dataclass
class Analysis:
    G: nx.MultiDiGraph
    view: ChainView
    weights: Weights
    statuses: dict[str, SegmentStatus]
    betweenness: dict[str, float]
    priorities: dict[str, dict]
    chokepoints: dict[str, list[tuple[str, str]]]
    coverage: dict[str, dict]
    district: str | None = None
    #: True when ``G`` holds confirmed facts only (``--confirmed-only``); ``unfiltered`` is then the whole graph
    confirmed_only: bool = False
    unfiltered: nx.MultiDiGraph | None = None

    @cached_property
    def supports(self) -> dict[str, frozenset]:
        """Segment -> the facts its status rests on (:func:`chainkg.analysis.basis.status_support`)."""
        from .basis import status_supports

        return status_supports(self.G, self.view, self.statuses, self.weights.thin_threshold)

    @cached_property
    def coverage_supports(self) -> Mapping[str, frozenset | LargeSupport]:
        """Chain -> the facts its coverage figure rests on (a lean graph's: :class:`~.basis.LargeSupport`)."""
        return coverage_supports(self.G, self.view, self.coverage)

    @cached_property
    def centrality(self) -> FirmCentrality:
        """Firm centrality with betweenness, computed on first use only (the slow part at scale)."""
        return firm_centrality(self.G)

    @cached_property
    def supplier_ranks(self) -> FirmCentrality:
        """PageRank and articulation points without betweenness (enough for key firms and 链主 ranks)."""
        if "centrality" in self.__dict__:
            return self.centrality
        return firm_centrality(self.G, betweenness=False)

    def chains(self, chain: str | None = None, cluster: str | None = None) -> list[str]:
        """Chain ids in graph order, only ``chain`` and/or only those of ``cluster`` when given."""
        chains = list(self.view.segments_of)
        if chain:
            chains = [c for c in chains if c == chain]
        if cluster:
            chains = [c for c in chains if self.view.cluster_of.get(c) == cluster]
        return chains


def coverage_supports(G: nx.MultiDiGraph, view: ChainView, coverage: dict[str, dict]) -> dict:
    """Chain -> the facts the coverage row of each chain of ``coverage`` rests on."""
    from ..graph_model.firm_table import firm_table
    from .basis import coverage_support, large_coverage_supports

    if firm_table(G) is not None:
        return large_coverage_supports(G, view, {c: r.get("reported_metric") for c, r in coverage.items()})
    return {c: coverage_support(G, view, c, r.get("reported_metric")) for c, r in coverage.items()}


def analyze(G: nx.MultiDiGraph, weights: Weights | None = None, district: str | None = None) -> Analysis:
    """Analyse ``G`` (``district``: an id; only firms located there, or under it, count as local).

    >>> from chainkg.testing import tiny_graph
    >>> G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream")]}, feeds=[("A", "B")],
    ...                firms={"F": (True, ["B"])})
    >>> a = analyze(G)
    >>> {s: st.status for s, st in a.statuses.items()}, a.chains()
    ({'A': 'gap_fill', 'B': 'single'}, ['K'])
    """
    weights = weights or default_weights()
    view = ChainView.of(G, district)
    statuses = classify_segments(G, thin_threshold=weights.thin_threshold, view=view)
    betweenness = flow_betweenness(G, view)
    prios = {s: priority(G, st, view, weights, betweenness) for s, st in statuses.items()}
    return Analysis(G, view, weights, statuses, betweenness, prios, chokepoints(G, view),
                    {r["chain_id"]: r for r in chain_coverage(G, view)}, district)
