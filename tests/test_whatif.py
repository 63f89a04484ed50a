"""What-if on a hand-built graph: every change kind, with the answers worked out by hand.

Chain K: A (upstream) → B (midstream) → C (downstream), and A → X (midstream).
Local F1 in A, local F2 in C, outside O1 in B.

Before: A single, B gap_fill (feeds C, which has F2), C single, X gap_extend (down).
B is the chokepoint of (A, C). Flow betweenness of B = 1 / ((4-1)(4-2)) = 0.1667.
Priorities (shipped points): A 0; B 2 (gap_fill) + 2 (F1, F2 next to it) + 0.3 (flow points 0.333, read to one decimal) = 4.3; C 0; X 1 + 1 = 2.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from chainkg.analysis import analyze
from chainkg.analysis.whatif import Change, WhatIf, landing_effect, read_changes, resolve_changes
from chainkg.errors import UsageError
from chainkg.testing import tiny_graph


def graph():
    return tiny_graph({"K": [("A", "upstream"), ("B", "midstream"), ("C", "downstream"), ("X", "midstream")]},
                      feeds=[("A", "B"), ("B", "C"), ("A", "X")],
                      firms={"F1": (True, ["A"]), "F2": (True, ["C"]), "O1": (False, ["B"])})


@pytest.fixture()
def w():
    return WhatIf(analyze(graph()))


def rows(out):
    return {r["segment_id"]: r for r in out.segments}


def test_before(w):
    a = w.a
    assert {s: st.status for s, st in a.statuses.items()} == {"A": "single", "B": "gap_fill", "C": "single",
                                                              "X": "gap_extend"}
    assert a.chokepoints == {"B": [("A", "C")]}
    assert {s: p["total"] for s, p in a.priorities.items()} == {"A": 0.0, "B": 4.3, "C": 0.0, "X": 2.0}


def test_three_firms_landing_turn_a_gap_fill_into_present(w):
    out = w.run([Change("add_firm", firm=f"N{i}", segment="B") for i in (1, 2, 3)])
    r = rows(out)
    assert set(r) == {"A", "B", "C"}  # X's neighbour A gained no local firm: unchanged
    assert (r["B"]["status_before"], r["B"]["status_after"]) == ("gap_fill", "present")
    assert (r["B"]["local_firms_before"], r["B"]["local_firms_after"]) == (0, 3)
    assert (r["B"]["priority_before"], r["B"]["priority_after"]) == (4.3, 2.3)  # kind 2 -> 0 (flow points 0.333 read as 0.3)
    assert r["A"]["changed"] == ["priority"] and r["A"]["priority_after"] == 3.0  # 3 local firms next to A
    assert r["C"]["priority_after"] == 3.0
    assert r["B"]["chokepoint_after"] == [["A", "C"]]  # still the only path, now held locally
    assert out.effect["gaps_closed"] == ["B"] and out.effect["chokepoints_relieved"] == ["B"]
    assert out.effect["total"] == 2 and out.key_firms == []
    assert [(x["firm_id"], x["rank_before"], x["rank_after"]) for x in out.leaders] == [
        ("N1", None, 3), ("N2", None, 4), ("N3", None, 5)]


def test_a_bypass_link_removes_the_chokepoint(w):
    out = w.run([Change("add_link", a="A", b="C")])
    r = rows(out)
    assert set(r) == {"A", "B", "C"}
    assert r["B"]["changed"] == ["priority", "chokepoint"]
    assert (r["B"]["priority_before"], r["B"]["priority_after"]) == (4.3, 4.0)  # betweenness 0.1667 (0.3 points) -> 0
    assert (r["B"]["chokepoint_before"], r["B"]["chokepoint_after"]) == ([["A", "C"]], [])
    assert r["A"]["priority_after"] == 1.0 and r["C"]["priority_after"] == 1.0  # now neighbours of each other
    assert out.effect["chokepoints_removed"] == ["B"] and out.effect["total"] == 1


def test_a_firm_leaving(w):
    out = w.run([Change("remove_firm", firm="F2")])
    r = rows(out)
    assert set(r) == {"B", "C"}
    assert (r["C"]["status_after"], r["C"]["local_firms_after"], r["C"]["priority_after"]) == ("gap_extend", 0, 1.0)
    assert (r["B"]["status_after"], r["B"]["priority_after"], r["B"]["chokepoint_after"]) == ("gap_extend", 2.3, [])
    assert out.effect["gaps_opened"] == ["C"] and out.effect["chokepoints_removed"] == ["B"]
    assert out.key_firms == [{"firm_id": "F2", "change": "removed", "reasons_before": ["only_local_firm"],
                              "reasons_after": [], "only_local_firm_of_before": ["C"], "only_local_firm_of_after": []}]
    assert [(x["firm_id"], x["rank_before"], x["rank_after"]) for x in out.leaders] == [("F2", 2, None)]


def test_a_firm_moving(w):
    out = w.run([Change("move_firm", firm="F2", segment="X")])
    r = rows(out)
    assert set(r) == {"A", "B", "C", "X"}
    assert (r["X"]["status_before"], r["X"]["status_after"], r["X"]["priority_after"]) == ("gap_extend", "single", 1.0)
    assert (r["C"]["status_after"], r["B"]["status_after"]) == ("gap_extend", "gap_extend")
    assert r["A"]["priority_after"] == 1.0 and r["B"]["chokepoint_after"] == []
    assert out.key_firms[0]["change"] == "changed"
    assert (out.key_firms[0]["only_local_firm_of_before"], out.key_firms[0]["only_local_firm_of_after"]) == (["C"], ["X"])


def test_a_link_removed(w):
    out = w.run([Change("remove_link", a="B", b="C")])
    r = rows(out)
    assert set(r) == {"B"}  # C keeps F2 and its priority 0
    assert (r["B"]["status_after"], r["B"]["priority_after"], r["B"]["chokepoint_after"]) == ("gap_extend", 2.0, [])


def test_an_existing_firm_joining_changes_the_chain_leader_and_key_firms(w):
    out = w.run([Change("add_firm", firm="F2", segment="A")])
    r = rows(out)
    assert r["A"]["changed"] == ["status", "local_firms"]  # single -> thin
    assert r["X"]["changed"] == ["priority"] and r["X"]["priority_after"] == 3.0  # F1 and F2 next to X now
    assert set(r) == {"A", "X"}
    assert [(x["firm_id"], x["rank_before"], x["rank_after"]) for x in out.leaders] == [("F2", 2, 1), ("F1", 1, 2)]
    assert [(k["firm_id"], k["change"]) for k in out.key_firms] == [("F1", "removed")]
    assert out.effect["singles_strengthened"] == ["A"]


def test_several_changes_at_once_and_nothing_shared_is_modified(w):
    before = (dict(w.a.statuses), {s: set(f) for s, f in w.a.view.local_in.items()}, w.G.number_of_edges())
    out = w.run([Change("remove_firm", firm="F2"), Change("add_link", a="A", b="C")])
    r = rows(out)
    assert r["C"]["status_after"] == "gap_extend" and r["B"]["status_after"] == "gap_extend"
    assert after_state(w) == before
    # the same analysis answers the next scenario as if the first had not happened
    assert rows(w.run([Change("add_link", a="A", b="C")]))["B"]["chokepoint_after"] == []


def after_state(w):
    return (dict(w.a.statuses), {s: set(f) for s, f in w.a.view.local_in.items()}, w.G.number_of_edges())


def test_a_prospect_landing_closes_its_gap(w):
    assert landing_effect(w, "O1", "B") == {"gaps_closed": ["B"], "gaps_opened": [], "singles_strengthened": [],
                                             "chokepoints_relieved": ["B"], "chokepoints_removed": [],
                                             "chokepoints_added": [], "total": 2}


def test_a_district_analysis_counts_only_firms_landing_inside():
    G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream"), ("C", "downstream")]},
                   feeds=[("A", "B"), ("B", "C")], firms={"F1": (True, ["A"]), "F2": (True, ["C"])},
                   districts={"F1": "D1", "F2": "D1"})
    G.add_node("D2", label="District", name="D2")
    w = WhatIf(analyze(G, district="D1"))
    assert rows(w.run([Change("add_firm", firm="N", segment="B", district="D2")])) == {}
    assert rows(w.run([Change("add_firm", firm="N", segment="B", district="D1")]))["B"]["status_after"] == "single"


def test_changes_are_checked_and_every_problem_named(tmp_path):
    G = graph()
    assert resolve_changes(G, [{"add_firm": "企业F1", "segment": "环节B"}]) == [Change("add_firm", firm="F1", segment="B")]
    assert resolve_changes(G, [{"add_firm": "新来的", "segment": "B"}])[0].firm == "new:新来的"
    p = tmp_path / "changes.yaml"
    p.write_text("changes:\n  - add_firm: 新企业\n    segmnt: B\n  - remove_link: [A, C]\n"
                 "  - move_firm: F9\n    segment: B\n  - add_link: [A, A]\n  - add_firm: ok\n    segment: B\n",
                 encoding="utf-8")
    with pytest.raises(UsageError) as exc:
        read_changes(G, p)
    msg = exc.value.message
    assert msg.startswith(f"{p}: 4 problem(s)")
    assert "change 1: unknown key(s) segmnt" in msg and "change 2: there is no FEEDS link A → C" in msg
    assert "change 3 move_firm 'F9': no Firm" in msg and "change 4: a segment cannot feed itself (A)" in msg
    (tmp_path / "bad.yaml").write_text("add_firm: x\n", encoding="utf-8")
    with pytest.raises(UsageError, match="expected a list of changes"):
        read_changes(G, tmp_path / "bad.yaml")


# -- the command, on the bundled data -----------------------------------------------------------

def invoke(*args):
    return CliRunner().invoke(__import__("chainkg.cli", fromlist=["main"]).main, list(args))


def test_whatif_command_json_and_table():
    res = invoke("whatif", "--add-firm", "新数控系统企业", "--segment", "MT-CNC", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    seg = {r["segment_id"]: r for r in data["segments"]}
    assert seg["MT-CNC"]["status_before"] == "gap_fill" and seg["MT-CNC"]["status_after"] == "single"
    assert [x["segment_id"] for x in data["effect"]["gaps_closed"]] == ["MT-CNC"]
    # only the kind points change for MT-CNC: gap_fill 2 -> single 0
    assert seg["MT-CNC"]["priority_before"] - seg["MT-CNC"]["priority_after"] == pytest.approx(2)
    assert data["changes"] == ["新数控系统企业 落户 数控系统"]
    table = invoke("whatif", "--remove-link", "MT-CNC", "MT-CUT", "--lang", "en")
    assert table.exit_code == 0, table.output
    md = invoke("whatif", "--add-firm", "X", "--segment", "MT-CNC", "--format", "md")
    assert "| MT-CNC" in md.stdout or "数控系统" in md.stdout


def test_whatif_usage_errors_exit_2():
    res = invoke("whatif", "--add-firm", "X")
    assert res.exit_code == 2 and "--segment" in res.output
    res = invoke("whatif", "--remove-link", "MT-CNC", "NOPE")
    assert res.exit_code == 2 and "NOPE" in res.output
    assert invoke("whatif").exit_code == 2


def test_prospects_ranked_by_the_effect_of_landing():
    """D is key (priority 3 + 1 + 1 = 5) so its prospect O2 comes first by default; O1 landing in B closes B
    and relieves the chokepoint B (effect 2) where O2 only closes D (effect 1)."""
    from chainkg.findings import prospect_records
    from chainkg.findings.whatif import with_landing_effects

    G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream"), ("C", "downstream"), ("D", "downstream")]},
                   feeds=[("A", "B"), ("B", "C"), ("A", "D")], key=["D"],
                   firms={"F1": (True, ["A"]), "F2": (True, ["C"]), "O1": (False, ["B"]), "O2": (False, ["D"])})
    a = analyze(G)
    by_score = with_landing_effects(a, prospect_records(a), "en")
    assert [(r["firm_id"], r["gap_priority"], r["effect_total"]) for r in by_score] == [("O2", 5.0, 1), ("O1", 4.3, 2)]
    by_effect = with_landing_effects(a, prospect_records(a), "en", rank_by="effect")
    assert [r["firm_id"] for r in by_effect] == ["O1", "O2"]
    assert by_effect[0]["effect_text"] == "closes gap Segment B; relieves chokepoint Segment B"


def test_prospects_command_rank_by_effect():
    res = invoke("prospects", "--rank-by", "effect", "--format", "json")
    assert res.exit_code == 0, res.output
    rows = [r for r in json.loads(res.stdout) if r["firm_id"]]
    totals = [r["effect_total"] for r in rows]
    assert rows and totals == sorted(totals, reverse=True) and all(r["effect_text"] for r in rows)


def test_a_firm_tied_only_to_the_chain_leaving_changes_only_the_leaders():
    G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream"), ("C", "downstream")]},
                   feeds=[("A", "B"), ("B", "C")], firms={"F1": (True, ["A"]), "F2": (True, ["C"]), "H": (True, [])},
                   chain_firms={"H": ["K"]}, tags={"H": ["链主"]})
    out = WhatIf(analyze(G)).run([Change("remove_firm", firm="H")])
    assert out.segments == [] and out.key_firms == []
    assert [(x["firm_id"], x["rank_before"], x["rank_after"]) for x in out.leaders] == [
        ("F1", 2, 1), ("F2", 3, 2), ("H", 1, None)]


def test_recomputing_only_the_reached_chains_equals_a_full_recomputation(tmp_path):
    """Scenarios on a synthetic dataset: the rows whatif reports are exactly the segments that differ when the
    whole analysis is recomputed on a changed copy of the graph (statuses, priorities, chokepoints, local firms)."""
    import random

    from chainkg.graph_model.nx_graph import to_networkx
    from chainkg.loaders import load_valid
    from chainkg.synth import synth_dataset

    synth_dataset(tmp_path / "s", firms=150, seed=3)
    G = to_networkx(load_valid(tmp_path / "s"))
    a = analyze(G)
    w = WhatIf(a)
    rng = random.Random(0)
    segs = sorted(a.statuses)
    firms = sorted(n for n, d in G.nodes(data=True) if d.get("label") == "Firm")
    feeds = sorted((u, v) for u, v, k in G.edges(keys=True) if k == "FEEDS")
    for i in range(40):
        kind = ["add_firm", "remove_firm", "move_firm", "add_link", "remove_link"][i % 5]
        H = G.copy()
        if kind == "add_firm":
            c = Change(kind, firm=f"N{i}", segment=rng.choice(segs))
            H.add_node(c.firm, label="Firm", name=c.firm, local=True)
            H.add_edge(c.firm, c.segment, "IN_SEGMENT")
        elif kind == "remove_firm":
            c = Change(kind, firm=rng.choice(firms))
            H.remove_node(c.firm)
        elif kind == "move_firm":
            c = Change(kind, firm=rng.choice(firms), segment=rng.choice(segs))
            for s in [v for _, v, k in H.out_edges(c.firm, keys=True) if k == "IN_SEGMENT"]:
                H.remove_edge(c.firm, s, "IN_SEGMENT")
            H.add_edge(c.firm, c.segment, "IN_SEGMENT")
        elif kind == "add_link":
            u, v = rng.sample(segs, 2)
            if H.has_edge(u, v, "FEEDS"):
                continue
            c = Change(kind, a=u, b=v)
            H.add_edge(u, v, "FEEDS")
        else:
            u, v = rng.choice(feeds)
            c = Change(kind, a=u, b=v)
            H.remove_edge(u, v, "FEEDS")
        full = analyze(H)
        differ = {s for s in segs if (full.statuses[s].status, full.priorities[s]["total"], full.chokepoints.get(s, []),
                                      full.statuses[s].local_firms)
                  != (a.statuses[s].status, a.priorities[s]["total"], a.chokepoints.get(s, []), a.statuses[s].local_firms)}
        out = w.run([c])
        assert {r["segment_id"] for r in out.segments} == differ, c
        for r in out.segments:
            s = r["segment_id"]
            assert (r["status_after"], r["priority_after"], r["local_firms_after"]) == (
                full.statuses[s].status, full.priorities[s]["total"], full.statuses[s].local_firms), c


def test_whatif_command_reads_a_changes_file(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("changes:\n  - add_firm: 甲\n    segment: MT-CNC\n  - remove_link: [MT-CNC, MT-CUT]\n", encoding="utf-8")
    res = invoke("whatif", "--changes", str(p), "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["changes"] == ["甲 落户 数控系统", "删除关联 数控系统 → 金属切削机床(加工中心、五轴)"]
    p.write_text("changes:\n  - add_firm: 甲\n", encoding="utf-8")
    bad = invoke("whatif", "--changes", str(p))
    assert bad.exit_code == 2 and "change 1: add_firm needs a segment" in bad.output
