"""Incremental analysis: the analysis of an edited graph, recomputed only where the edits reach, and a
district's analysis derived from the city's.

What a change reaches (the same rule what-if uses, :mod:`chainkg.analysis.whatif`):

* the *touched* segments: every segment an edited firm is (or was) placed in, and both ends of an
  edited FEEDS link; the touched chains: those an edited firm is (or was) tied to (IN_CHAIN);
* the *reached* chains: those of the touched segments, of the segments that feed a touched segment
  directly (their ``gap_fill`` pulls read it) and the touched chains. Their statuses, chokepoints,
  coverage and supports are recomputed; priorities of their segments and of every FEEDS neighbour
  of a touched segment (adjacent local firms); flow betweenness only where links changed.

Everything else is the old analysis' own (shared, never modified). ``tests/test_incremental.py``
checks the result against a full recomputation on random edits, for both graph forms.

>>> from chainkg.testing import tiny_graph
>>> from chainkg.analysis import analyze
>>> from chainkg.graph_model.edits import Edit
>>> G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream")], "L": [("X", "upstream")]},
...                feeds=[("A", "B")], firms={"F1": (True, ["A"])})
>>> a = analyze(G)
>>> up = apply_edits(a, [Edit("add_firm", firm="F2", props={"local": True}, segment="B")])
>>> up.chains, a.statuses["B"].status, up.analysis.statuses["B"].status
(['K'], 'gap_extend', 'single')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import networkx as nx

from ..errors import UsageError
from ..graph_model.edits import Edit, edited_graph
from ..graph_model.firm_table import firm_places, firm_table, node_attrs
from .chokepoints import chokepoints as find_chokepoints
from .coverage import chain_coverage
from .priority import flow_betweenness, priority
from .result import Analysis, coverage_supports
from .status import classify_segments
from .views import ChainView, districts_under, in_by_type, out_by_type


@dataclass
class Update:
    """The analysis after some edits, and where they reached."""
    analysis: Analysis
    #: the chains whose findings were recomputed (graph order): refresh their pages
    chains: list[str]
    #: the touched segments (their firms or links changed), sorted
    segments: list[str]
    #: the segments whose priority was recomputed (the reached chains' and the touched segments' neighbours)
    priorities: list[str]


# -- what a change reaches ---------------------------------------------------------------------

def reached_chains(view: ChainView, G: nx.MultiDiGraph, touched: Iterable, touched_chains: Iterable = ()) -> list[str]:
    """The chains of ``touched`` segments and of the segments feeding them directly, and ``touched_chains``,
    in the view's order."""
    chain_of = view.chain_of
    touched = set(touched)
    chains = {chain_of[s] for s in touched if s in chain_of}
    chains |= {chain_of[u] for s in touched if s in G for u in in_by_type(G, s, "FEEDS") if u in chain_of}
    chains |= set(touched_chains)
    return [c for c in view.segments_of if c in chains]


@dataclass
class Recomputed:
    """The segment-level analysis of ``chains`` over a changed view, merged into the old one's."""
    statuses: dict
    betweenness: dict
    priorities: dict
    chokepoints: dict
    #: the segments whose priority was recomputed
    redone: set


def recompute(a: Analysis, G: nx.MultiDiGraph, view: ChainView, chains: list[str], touched: Iterable,
              links_changed: bool) -> Recomputed:
    """Statuses, chokepoints (and, when links changed, flow betweenness) of ``chains`` over ``view``
    (whose sets are the changed ones, ``G`` the changed graph or its structure); priorities of those
    chains' segments and of the FEEDS neighbours of ``touched``; the rest is ``a``'s."""
    part = replace(view, G=G, segments_of={c: view.segments_of[c] for c in chains})
    statuses = dict(a.statuses)
    statuses.update(classify_segments(G, thin_threshold=a.weights.thin_threshold, view=part))
    betweenness = {**a.betweenness, **flow_betweenness(G, part)} if links_changed else a.betweenness
    redo = {s for c in chains for s in view.segments_of[c]}
    redo |= {t for s in touched if s in G for t in in_by_type(G, s, "FEEDS") + out_by_type(G, s, "FEEDS")}
    redo &= set(statuses)
    priorities = dict(a.priorities)
    full = replace(view, G=G)
    priorities.update({s: priority(G, statuses[s], full, a.weights, betweenness) for s in redo})
    chokes = {s: p for s, p in a.chokepoints.items() if view.chain_of.get(s) not in set(chains)}
    chokes.update(find_chokepoints(G, part))
    return Recomputed(statuses, betweenness, priorities, chokes, redo)


# -- the firms' places -------------------------------------------------------------------------

def _is_local(G: nx.MultiDiGraph, firm, inside: set | None) -> bool:
    try:
        d = node_attrs(G, firm)
    except KeyError:
        return False
    return d.get("local") is True and (inside is None or any(p in inside for p in firm_places(G, firm, "LOCATED_IN")))


def _places(G: nx.MultiDiGraph, firm, chains, inside: set | None) -> tuple[set, set, bool]:
    """(segments, chains tied to, local) of ``firm`` in ``G`` (empty for a firm that is not there)."""
    return (set(firm_places(G, firm, "IN_SEGMENT")), {c for c in firm_places(G, firm, "IN_CHAIN") if c in chains},
            _is_local(G, firm, inside))


def _move(sets: dict, key, firm, before: bool, after: bool) -> None:
    """Take ``firm`` out of ``sets[key]`` or put it in (a new set: the old one may be shared)."""
    if before == after:
        return
    s = set(sets.get(key, ())) - {firm} if before else set(sets.get(key, ())) | {firm}
    if s:
        sets[key] = s
    else:
        sets.pop(key, None)


def changed_view(view: ChainView, G_before: nx.MultiDiGraph, G_after: nx.MultiDiGraph, firms: Iterable,
                 inside: set | None) -> tuple[ChainView, set, set]:
    """``view`` with the places of ``firms`` as ``G_after`` has them: (new view, touched segments, touched
    chains). ``view`` and its sets are left as they were."""
    firms_in, local_in = defaultdict(set, view.firms_in), defaultdict(set, view.local_in)
    chain_firms, chain_local = defaultdict(set, view.chain_firms), defaultdict(set, view.chain_local)
    touched, touched_chains = set(), set()
    for f in firms:
        segs0, chains0, local0 = _places(G_before, f, view.segments_of, inside)
        segs1, chains1, local1 = _places(G_after, f, view.segments_of, inside)
        touched |= segs0 | segs1
        touched_chains |= chains0 | chains1
        for s in segs0 | segs1:
            _move(firms_in, s, f, s in segs0, s in segs1)
            _move(local_in, s, f, s in segs0 and local0, s in segs1 and local1)
        for c in chains0 | chains1:
            _move(chain_firms, c, f, c in chains0, c in chains1)
            _move(chain_local, c, f, c in chains0 and local0, c in chains1 and local1)
    ranked = view.ranked
    if ranked is not None:  # a lean graph's view keeps each segment's local firms in the order supports pick them
        ranked = {s: r for s, r in ranked.items() if s not in touched}
        table = firm_table(G_after)
        assert table is not None  # a view with a ranking is a lean graph's
        ranked.update(table.ranked({s: local_in[s] for s in touched if local_in.get(s)}))
    new = replace(view, G=G_after, firms_in=firms_in, local_in=local_in, chain_firms=chain_firms,
                  chain_local=chain_local, ranked=ranked)
    return new, touched, touched_chains


# -- the front: edits in, new analysis out ---------------------------------------------------------

def apply_edits(a: Analysis, edits: Iterable[Edit | Mapping]) -> Update:
    """The analysis of ``a``'s graph with ``edits`` applied (:func:`chainkg.graph_model.edits.edited_graph`),
    recomputing only the chains they reach; ``a`` and its graph are left as they were.

    Equal to ``analyze(edited_graph(a.G, edits), a.weights, a.district)`` (tested on random edits).
    Supports and coverage supports already computed are carried over where the edits do not reach.
    """
    if a.confirmed_only:
        raise UsageError("Edits apply to the analysis of all facts, not to a --confirmed-only one.",
                         hint="Apply them to the full analysis, then derive the confirmed one (chainkg.api.both_runs).")
    steps = [Edit.of(e) for e in edits]
    G = edited_graph(a.G, steps)
    firms = list(dict.fromkeys(e.firm for e in steps if e.firm))
    inside = districts_under(a.G, a.district) if a.district else None
    view, touched, touched_chains = changed_view(a.view, a.G, G, firms, inside)
    links = [e for e in steps if e.kind in ("add_link", "remove_link")]
    touched |= {s for e in links for s in e.segments}
    chains = reached_chains(view, G, touched, touched_chains)
    r = recompute(a, G, view, chains, touched, bool(links))
    coverage = dict(a.coverage)
    coverage.update({row["chain_id"]: row for row in chain_coverage(G, replace(view, segments_of={
        c: view.segments_of[c] for c in chains}))})
    new = Analysis(G, view, a.weights, r.statuses, r.betweenness, r.priorities, r.chokepoints, coverage, a.district)
    _carry_supports(a, new, chains)
    return Update(new, chains, sorted(touched), sorted(r.redone))


def _carry_supports(old: Analysis, new: Analysis, chains: list[str]) -> None:
    """Supports already computed for ``old``, recomputed for ``chains`` only (the rest cannot have changed)."""
    from .basis import status_supports

    redo = set(chains)
    if "supports" in old.__dict__:
        sup = {s: f for s, f in old.supports.items() if new.view.chain_of.get(s) not in redo}
        sup.update(status_supports(new.G, new.view, {s: st for s, st in new.statuses.items() if st.chain in redo},
                                   new.weights.thin_threshold))
        new.__dict__["supports"] = {s: sup[s] for s in new.statuses}
    if "coverage_supports" in old.__dict__:
        cov = dict(old.coverage_supports)
        cov.update(coverage_supports(new.G, new.view, {c: new.coverage[c] for c in chains}))
        new.__dict__["coverage_supports"] = {c: cov[c] for c in new.coverage}


def district_analysis(city: Analysis, district: str) -> Analysis:
    """The analysis with only firms located in ``district`` (an id) or under it counting as local, derived
    from the city's per-segment sets (no new pass over the firms): equal to ``analyze(G, weights, district)``.

    >>> from chainkg.testing import tiny_graph
    >>> from chainkg.analysis import analyze
    >>> G = tiny_graph({"K": [("A", "upstream")]}, firms={"F1": (True, ["A"]), "F2": (True, ["A"])},
    ...                districts={"F1": "D1", "F2": "D2"})
    >>> city = analyze(G)
    >>> city.statuses["A"].status, district_analysis(city, "D1").statuses["A"].status
    ('thin', 'single')
    """
    if city.district is not None or city.confirmed_only:
        raise UsageError("A district's analysis is derived from the city's analysis of all facts.",
                         hint="Pass the analysis made without district and without --confirmed-only.")
    G = city.G
    inside = districts_under(G, district)
    located = _located_in(G, inside)
    v = city.view
    keep = lambda sets: {k: s & located for k, s in sets.items() if s & located}
    ranked = None if v.ranked is None else {s: o for s, fs in v.ranked.items() if (o := [f for f in fs if f in located])}
    view = replace(v, local_in=defaultdict(set, keep(v.local_in)), chain_local=defaultdict(set, keep(v.chain_local)),
                   ranked=ranked)
    statuses = classify_segments(G, thin_threshold=city.weights.thin_threshold, view=view)
    prios = {s: priority(G, st, view, city.weights, city.betweenness) for s, st in statuses.items()}
    a = Analysis(G, view, city.weights, statuses, city.betweenness, prios, find_chokepoints(G, view),
                 {r["chain_id"]: r for r in chain_coverage(G, view)}, district)
    for shared in ("centrality", "supplier_ranks"):  # firm centrality reads the graph only, not "local"
        if shared in city.__dict__:
            a.__dict__[shared] = city.__dict__[shared]
    return a


def _located_in(G: nx.MultiDiGraph, inside: set) -> set:
    """The firms with a LOCATED_IN relationship to one of ``inside``."""
    table = firm_table(G)
    if table is not None:
        import polars as pl

        frame = table.rels.get("LOCATED_IN")
        if frame is None:
            return set()
        return set(frame.filter(pl.col("end").is_in(pl.Series(list(inside), dtype=pl.String).implode()))
                   .get_column("start").to_list())
    return {u for d in inside if d in G for u in in_by_type(G, d, "LOCATED_IN")}
