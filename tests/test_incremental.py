"""Incremental analysis (chainkg.analysis.incremental, chainkg.api.apply_changes): the analysis after edits,
recomputed only where they reach, equals the analysis recomputed from scratch on the edited graph, for
random edits of every kind, on both graph forms; a district's analysis derived from the city's equals
the district analysed from scratch; the edited graph and the old analysis are left as they were."""

from __future__ import annotations

import random

import pytest

import chainkg
from chainkg.analysis import analyze
from chainkg.analysis import basis as B
from chainkg.analysis.incremental import apply_edits, district_analysis
from chainkg.analysis.views import nodes_by_label
from chainkg.errors import UsageError
from chainkg.graph_model.edits import Edit, edited_graph
from chainkg.graph_model.firm_table import firm_places, firm_table, node_attrs
from chainkg.testing import tiny_graph
from test_lean import mixed  # noqa: F401  (the fixture: a synthetic city, part confirmed, part inferred)


def _sets(d) -> dict:
    return {k: set(v) for k, v in d.items() if v}


def state(a, supports: bool = True) -> dict:
    """Everything an analysis holds, comparable (empty sets left out: a view may hold them or not)."""
    v = a.view
    out = {"statuses": a.statuses, "priorities": a.priorities, "chokepoints": a.chokepoints,
           "betweenness": a.betweenness, "coverage": a.coverage, "firms_in": _sets(v.firms_in),
           "local_in": _sets(v.local_in), "chain_firms": _sets(v.chain_firms), "chain_local": _sets(v.chain_local),
           "segments_of": v.segments_of, "district": a.district}
    if v.ranked is not None:
        out["ranked"] = {s: r for s, r in v.ranked.items() if r}
    if supports:
        out["supports"] = {s: B.basis(a.G, f, "en") for s, f in a.supports.items()}
        out["coverage_supports"] = {c: B.basis(a.G, f, "en") for c, f in a.coverage_supports.items()}
    return out


def _firms(G) -> list[str]:
    t = firm_table(G)
    return sorted(t.nodes.get_column("id").to_list()) if t is not None else sorted(nodes_by_label(G, "Firm"))


def random_edit(G, rng: random.Random, i: int) -> Edit:
    """One edit that applies to ``G``, of the ``i``-th kind in turn."""
    segs, chains = sorted(nodes_by_label(G, "Segment")), sorted(nodes_by_label(G, "Chain"))
    districts, firms = sorted(nodes_by_label(G, "District")), _firms(G)
    kinds = ["add_firm", "remove_firm", "set_firm", "place", "unplace", "join_chain", "locate", "add_link",
             "remove_link", "unlocate", "leave_chain"]
    for k in range(len(kinds)):
        kind = kinds[(i + k) % len(kinds)]
        f = rng.choice(firms)
        if kind == "add_firm":
            return Edit(kind, firm=f"NEW{i}", props={"name": f"新{i}", "local": rng.random() < 0.8,
                                                     "confidence": rng.choice(["confirmed", "inferred"])},
                        segment=rng.choice(segs), district=rng.choice(districts) if districts and rng.random() < .7 else None)
        if kind == "remove_firm":
            return Edit(kind, firm=f)
        if kind == "set_firm":
            return Edit(kind, firm=f, props=rng.choice([{"local": False}, {"local": True}, {"confidence": "inferred"},
                                                         {"confidence": None}, {"revenue_100m_cny": 600.0}]))
        if kind == "place":
            free = [s for s in segs if s not in firm_places(G, f, "IN_SEGMENT")]
            return Edit(kind, firm=f, segment=rng.choice(free), props={"confidence": rng.choice(["confirmed", "inferred"])})
        if kind in ("unplace", "leave_chain", "unlocate"):
            rel = {"unplace": "IN_SEGMENT", "leave_chain": "IN_CHAIN", "unlocate": "LOCATED_IN"}[kind]
            placed = [(x, t) for x in firms for t in firm_places(G, x, rel)][:400]
            if placed:
                x, t = rng.choice(placed)
                attr = {"unplace": "segment", "leave_chain": "chain", "unlocate": "district"}[kind]
                return Edit(kind, firm=x, **{attr: t})
        if kind == "join_chain":
            free = [c for c in chains if c not in firm_places(G, f, "IN_CHAIN")]
            return Edit(kind, firm=f, chain=rng.choice(free))
        if kind == "locate" and districts:
            free = [d for d in districts if d not in firm_places(G, f, "LOCATED_IN")]
            if free:
                return Edit(kind, firm=f, district=rng.choice(free))
        if kind == "add_link":
            u, v = rng.sample(segs, 2)
            if not G.has_edge(u, v, "FEEDS"):
                return Edit(kind, a=u, b=v)
        if kind == "remove_link":
            feeds = sorted((u, v) for u, v, k in G.edges(keys=True) if k == "FEEDS")
            if feeds:
                u, v = rng.choice(feeds)
                return Edit(kind, a=u, b=v)
    raise AssertionError("no edit applies")


@pytest.mark.parametrize("lean", [False, True], ids=["node-per-firm", "lean"])
def test_incremental_equals_a_full_recomputation_on_random_edits(mixed, lean):  # noqa: F811
    G = chainkg.open_graph(mixed, lean=lean)
    a = chainkg.analyze(G)
    a.supports, a.coverage_supports  # computed, so that the update carries them over  # noqa: B018
    before = state(a)
    rng = random.Random(7)
    for i in range(24):
        edits = [random_edit(a.G, rng, i)]
        if i % 4 == 3:  # several at once, the later one reading the graph as the first left it
            edits.append(random_edit(edited_graph(a.G, edits), rng, i + 5))
        up = apply_edits(a, edits)
        full = analyze(up.analysis.G, a.weights)
        assert state(up.analysis) == state(full), edits
        assert state(a) == before, edits  # the old analysis (and its graph) as it was
        a, before = up.analysis, state(up.analysis)


def sparse_city(seed: int):
    """A random small city where most links have no local firm (gaps, pulls across chains, chokepoints)."""
    rng = random.Random(seed)
    chains = {f"K{c}": [(f"K{c}S{i}", ["upstream", "midstream", "downstream"][i % 3]) for i in range(5)] for c in range(4)}
    segs = [s for ss in chains.values() for s, _ in ss]
    feeds = {(f"K{c}S{i}", f"K{c}S{i + 1}") for c in range(4) for i in range(4)}
    feeds |= {tuple(rng.sample(segs, 2)) for _ in range(6)}
    firms = {f"F{i}": (rng.random() < 0.6, rng.sample(segs, rng.choice([0, 1, 1, 2]))) for i in range(14)}
    placements = [(f, s, "IN_SEGMENT") for f, (_, segs) in firms.items() for s in segs]
    return tiny_graph(chains, feeds=sorted(feeds), firms=firms, districts={f"F{i}": f"D{i % 3}" for i in range(12)},
                      chain_firms={f"F{i}": [f"K{i % 4}"] for i in range(0, 14, 3)}, labs={"L1": ["K1S2", "K2"]},
                      inferred=[*placements[::3], *[(u, v, "FEEDS") for u, v in sorted(feeds)[::4]],
                                "F3", "F7"])


@pytest.mark.parametrize("seed", range(6))
def test_incremental_equals_a_full_recomputation_on_a_sparse_city(seed):
    a = analyze(sparse_city(seed))
    a.supports, a.coverage_supports  # noqa: B018
    rng = random.Random(seed)
    for i in range(30):
        edits = [random_edit(a.G, rng, i)]
        up = apply_edits(a, edits)
        assert state(up.analysis) == state(analyze(up.analysis.G, a.weights)), edits
        d = district_analysis(up.analysis, "D1")
        assert state(d) == state(analyze(up.analysis.G, a.weights, "D1")), edits
        a = up.analysis


def test_a_district_analysis_derived_from_the_city_equals_a_fresh_one(mixed):  # noqa: F811
    for lean in (False, True):
        G = chainkg.open_graph(mixed, lean=lean)
        city = chainkg.analyze(G)
        city.supplier_ranks  # noqa: B018
        for d in ("D1", "D2", "D3"):
            derived = district_analysis(city, d)
            assert state(derived) == state(chainkg.analyze(G, district=d)), (lean, d)
            assert derived.supplier_ranks is city.supplier_ranks  # the graph's own measure, shared
        # and after edits, the district of the edited city
        up = apply_edits(city, [Edit("add_firm", firm="N", props={"local": True}, segment="CH1-S2", district="D1")])
        assert state(district_analysis(up.analysis, "D1")) == state(chainkg.analyze(up.analysis.G, district="D1"))


def test_edits_reach_only_their_chains_by_hand():
    """K: A → B, L: X → Y, X → B (cross-chain). F1 local in A. Placing a local firm in B reaches K, and
    L because X feeds B (X's gap_fill pull reads B); placing one in Y reaches L only."""
    G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream")], "L": [("X", "upstream"), ("Y", "midstream")]},
                   feeds=[("A", "B"), ("X", "Y"), ("X", "B")], firms={"F1": (True, ["A"]), "F2": (True, [])})
    a = analyze(G)
    up = apply_edits(a, [Edit("place", firm="F2", segment="B")])
    assert up.chains == ["K", "L"] and up.segments == ["B"]
    assert (a.statuses["X"].status, up.analysis.statuses["X"].status) == ("gap_isolated", "gap_fill")
    assert sorted(up.priorities) == ["A", "B", "X", "Y"]
    up2 = apply_edits(a, [Edit("place", firm="F2", segment="Y")])
    assert up2.chains == ["L"] and up2.analysis.statuses["B"] is a.statuses["B"]  # K's rows shared, not redone
    # a link: both ends touched, the chains of both ends reached
    up3 = apply_edits(a, [{"kind": "remove_link", "a": "X", "b": "B"}])
    assert up3.chains == ["K", "L"] and not up3.analysis.G.has_edge("X", "B") and G.has_edge("X", "B")


def test_a_property_change_reaches_the_firms_chains():
    G = tiny_graph({"K": [("A", "upstream")], "L": [("X", "upstream")]}, firms={"F1": (True, ["A"])},
                   chain_firms={"F1": ["L"]})
    a = analyze(G)
    up = apply_edits(a, [Edit("set_firm", firm="F1", props={"local": False})])
    assert up.chains == ["K", "L"]
    assert (up.analysis.statuses["A"].status, up.analysis.coverage["L"]["named_local_firms"]) == ("gap_unlinked", 0)
    assert node_attrs(a.G, "F1")["local"] is True and node_attrs(up.analysis.G, "F1")["local"] is False


def test_bad_edits_are_named_all_at_once_and_nothing_is_applied():
    G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream")]}, feeds=[("A", "B")], firms={"F1": (True, ["A"])})
    with pytest.raises(UsageError) as e:
        edited_graph(G, [Edit("place", firm="NOPE", segment="A"), Edit("add_link", a="A", b="B"),
                         Edit("place", firm="F1", segment="K"), Edit("move", firm="F1")])
    assert e.value.message.splitlines()[1:] == [
        "  edit 1: 'NOPE' is not a firm's id", "  edit 2: the link A → B exists already",
        "  edit 3: 'K' is not the id of a Segment", "  edit 4: unknown kind 'move' (one of add_firm, remove_firm, "
        "set_firm, place, unplace, join_chain, leave_chain, locate, unlocate, add_link, remove_link)"]
    with pytest.raises(UsageError, match="Unknown key"):
        Edit.of({"kind": "place", "firm": "F1", "seg": "A"})
    with pytest.raises(UsageError, match="not to a --confirmed-only"):
        apply_edits(chainkg.analyze(G, confirmed_only=True), [Edit("remove_firm", firm="F1")])


def test_the_front_door(mixed):  # noqa: F811
    a = chainkg.analyze(chainkg.open_graph(mixed, lean=True))
    up = chainkg.apply_changes(a, [{"kind": "add_firm", "firm": "N1", "props": {"name": "新", "local": True},
                                    "segment": "CH2-S3"}])
    assert "CH2" in up.chains
    rows = chainkg.gaps(up.analysis, chain="CH2", lang="en")
    assert next(r for r in rows if r["segment_id"] == "CH2-S3")["local_firm_names"] == ["新"]
    d = chainkg.district_view(up.analysis, "D1")
    assert d.district == "D1" and state(d) == state(chainkg.analyze(up.analysis.G, district="D1"))
