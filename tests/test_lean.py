"""The lean graph (firms kept in columns, ``open_graph(lean=True)``) gives the same segment-level
findings as the full graph: statuses, priorities, chokepoints, coverage, their bases, gap and
prospect rows, on the bundled data, the test fixture and synthetic sets, with and without
``--confirmed-only`` and ``--district``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import polars as pl
import pytest

import chainkg
from chainkg.analysis import basis as B
from chainkg.graph_model.firm_table import FirmTable, node_attrs, rel_attrs
from conftest import FIXTURES, cli


def _rewrite(path: Path, change) -> None:
    """Rewrite a CSV file row by row: ``change(i, row)`` edits the dict in place."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0]) if rows else []
    for i, r in enumerate(rows):
        change(i, r)
        fields += [k for k in r if k not in fields]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """A synthetic city whose facts are part confirmed, part inferred, with firms tied to chains only, and
    two links whose firms are all outside firms (gaps with prospects)."""
    from chainkg.synth import synth_dataset

    d = tmp_path_factory.mktemp("lean") / "mixed"
    synth_dataset(d, firms=700, seed=3)
    outside_links = {"CH1-S2", "CH2-S3", "CH3-S4"}
    with (d / "firm_segments.csv").open(encoding="utf-8") as f:
        outside = {r["firm_id"] for r in csv.DictReader(f) if r["segment_id"] in outside_links}

    def firms(i, r):
        if r["id"] in outside:
            r.update(local="false", district_id="", credit_code="")
        r["confidence"] = "inferred" if i % 3 == 0 else "confirmed"

    _rewrite(d / "firms.csv", firms)
    _rewrite(d / "firm_segments.csv", lambda i, r: r.update(confidence="inferred" if i % 4 == 1 else "confirmed"))
    for table in ("segment_links", "chains", "segments", "supplies"):
        _rewrite(d / f"{table}.csv", lambda i, r: r.update(confidence="inferred" if i % 5 == 2 else "confirmed"))
    _rewrite(d / "metrics.csv", lambda i, r: r.update(metric="firms_reported", value=str(40 + i)))
    with (d / "firm_chains.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["firm_id", "chain_id", "source_id", "confidence"])
        for k in range(1, 300, 7):  # firms tied to a chain by a source: some already placed there, some not
            w.writerow([f"F{k}", f"CH{k % 13 + 1}", "SRC1", "inferred" if k % 2 else "confirmed"])
    res = cli("validate", d)
    assert res.returncode == 0, res.stdout
    return d


def findings(source, lean: bool, langs=("zh", "en"), **kw) -> dict:
    G = chainkg.open_graph(source, lean=lean)
    a = chainkg.analyze(G, **kw)
    out = {"statuses": a.statuses, "priorities": a.priorities, "chokepoints": a.chokepoints,
           "coverage": a.coverage, "betweenness": a.betweenness,
           "supports": {s: B.basis(G, f, "en") for s, f in a.supports.items()},
           "coverage_supports": {c: B.basis(G, f, "zh") for c, f in a.coverage_supports.items()}}
    for lang in langs:
        out[f"gaps-{lang}"] = chainkg.gaps(a, lang=lang)
        out[f"chokepoints-{lang}"] = chainkg.chokepoints(a, lang=lang)
        out[f"prospects-{lang}"] = chainkg.prospects(a, lang=lang)
        out[f"firms-{lang}"] = chainkg.firms(a, lang=lang)
        out[f"key-firms-{lang}"] = chainkg.firms(a, lang=lang, betweenness=False, only_key_firms=True)
        out[f"leaders-{lang}"] = chainkg.leaders(a, lang=lang)
        out[f"tiers-{lang}"] = chainkg.tiers(a, lang=lang)
        out[f"report-{lang}"] = {k: v for k, v in chainkg.build_report(a, lang=lang, with_maps=lang == "zh").items()
                                 if k != "generated"}
    return out


CASES = [("yangzhou-613", {}), ("yangzhou-613", {"confirmed_only": True}), ("yangzhou-613", {"district": "高邮市"}),
         (FIXTURES / "small", {}), (FIXTURES / "small", {"confirmed_only": True}),
         ("mixed", {}), ("mixed", {"confirmed_only": True}), ("mixed", {"district": "D1"}),
         ("mixed", {"district": "D2", "confirmed_only": True})]


@pytest.mark.parametrize("source,kw", CASES, ids=[f"{Path(str(s)).name}-{'-'.join(kw) or 'all'}" for s, kw in CASES])
def test_lean_graph_gives_the_same_findings(source, kw, mixed):
    source = mixed if source == "mixed" else source
    langs = ("zh", "en") if not kw else ("en",)  # the filters change the logic, not the wording
    full, lean = findings(source, False, langs, **kw), findings(source, True, langs, **kw)
    for key in full:
        assert lean[key] == full[key], key
    if source == mixed:  # the comparison is not empty: the statuses, outside candidates, inferred bases
        statuses = {st.status for st in full["statuses"].values()}
        assert {"gap_fill", "gap_unlinked"} <= statuses and statuses & {"single", "thin", "present"}
        assert any(r["firm_id"] for r in full["prospects-en"])
        if not kw.get("confirmed_only"):
            assert any(r["basis"] == "inferred" for r in full["gaps-en"])
            assert any(r["coverage_basis"] == "inferred" for r in full["gaps-en"])


def test_the_lean_graph_holds_no_firm(mixed):
    full, lean = chainkg.open_graph(mixed, lean=False), chainkg.open_graph(mixed)
    firms = {n for n, d in full.nodes(data=True) if d["label"] == "Firm"}
    assert len(firms) == 700 and not firms & set(lean)
    assert set(lean) == set(full) - firms
    assert sorted(lean.edges(keys=True)) == sorted((u, v, k) for u, v, k in full.edges(keys=True)
                                                   if u not in firms and v not in firms)
    table = lean.graph["firms"]
    assert len(table) == 700
    for f in ("F1", "F377", "F700"):  # one firm, one placement: the same as the full graph's
        assert node_attrs(lean, f) == full.nodes[f]
        s = next(v for _, v, k in full.out_edges(f, keys=True) if k == "IN_SEGMENT")
        assert rel_attrs(lean, "IN_SEGMENT", f, s) == full.edges[f, s, "IN_SEGMENT"]
    with pytest.raises(KeyError):
        rel_attrs(lean, "IN_SEGMENT", "F1", "CH99-S1")


def test_firm_table_by_hand():
    """Segment S: A (local, confirmed; placement inferred: 1 inferred fact), B (local, confirmed firm and
    placement: 0), C (local, inferred firm, confirmed placement: 1), O (outside). Chain K: D tied to it only."""
    nodes = pl.DataFrame({"id": ["A", "B", "C", "O", "D"], "name": ["甲", "乙", "丙", "外", "丁"],
                          "name_en": [None, "Bee", None, None, None],
                          "local": [True, True, True, False, True],
                          "confidence": ["confirmed", "confirmed", "inferred", "confirmed", None]})
    rels = {"IN_SEGMENT": pl.DataFrame({"start": ["A", "B", "C", "O"], "end": ["S"] * 4,
                                        "confidence": ["inferred", "confirmed", None, "confirmed"]}),
            "IN_CHAIN": pl.DataFrame({"start": ["D", "A"], "end": ["K", "X"], "confidence": ["confirmed"] * 2}),
            "LOCATED_IN": pl.DataFrame({"start": ["A", "C"], "end": ["D1", "D2"]})}
    t = FirmTable(nodes, rels)
    firms_in, local_in, chain_firms, chain_local, ranked = t.memberships({"K"})
    assert firms_in == {"S": {"A", "B", "C", "O"}} and local_in == {"S": {"A", "B", "C"}}
    assert chain_firms == chain_local == {"K": {"D"}}  # X is not one of the chains asked for
    assert ranked == {"S": ["B", "A", "C"]}  # fewest inferred facts first, then by id
    *_, ranked_d1 = t.memberships({"K"}, inside={"D1"})
    assert ranked_d1 == {"S": ["A"]}
    assert t.names(["B", "A", "O"], "en") == ["Bee", "甲", "外"] and t.name("B") == "乙"
    assert t.attrs("D") == {"label": "Firm", "name": "丁", "local": True}
    c = t.confirmed({"S", "K"})
    assert sorted(c.nodes["id"]) == ["A", "B", "D", "O"]
    assert c.rels["IN_SEGMENT"]["start"].to_list() == ["B", "O"] and c.rels["IN_CHAIN"]["start"].to_list() == ["D"]
    G = nx.MultiDiGraph()
    G.add_node("S", label="Segment", name="环节")
    G.graph["firms"] = t
    from chainkg.analysis.views import in_by_type, nodes_by_label, out_by_type

    assert in_by_type(G, "S", "IN_SEGMENT") == ["A", "B", "C", "O"] and out_by_type(G, "A", "IN_CHAIN") == ["X"]
    assert out_by_type(G, "S", "IN_SEGMENT") == [] and nodes_by_label(G, "Firm") == ["A", "B", "C", "O", "D"]
    assert t.ends("LOCATED_IN", "D2", "end") == ["C"] and t.ends("SUPPLIES", "A") == []
    assert t.values(["A", "O", "D", "Z"], "name_en") == {} and t.values(["B", "Z"], "name_en") == {"B": "Bee"}
    assert t.ranked({"S": {"A", "C", "B"}}) == {"S": ["B", "A", "C"]} and t.local_ids() == {"A", "B", "C", "D"}
    assert "A" not in G and G.number_of_nodes() == 1  # the firms stay in the table


def test_a_large_support_lists_its_head_and_counts_the_rest():
    G = nx.MultiDiGraph()
    G.graph["firms"] = FirmTable(pl.DataFrame({"id": ["F1", "F2"], "name": ["一", "二"],
                                               "confidence": ["inferred", "inferred"]}))
    big = B.LargeSupport(30, (B.node("F1"), B.node("F2")))
    b = B.basis(G, big, "en", limit=1)
    assert b == {"basis": "inferred", "inferred_facts": [{"id": "F1", "kind": "firm", "text": "一"},
                                                        {"id": "…", "kind": "more", "text": "+ 29 more"}]}
    assert B.basis(G, B.LargeSupport(0, ()), "en") == {"basis": "confirmed", "inferred_facts": []}


def test_the_gaps_command_answers_as_the_full_graph_does(mixed):
    """``chainkg gaps`` and ``chokepoints`` run on the lean graph; their JSON is the full graph's rows."""
    from chainkg.reports.tables import render

    a = chainkg.analyze(chainkg.open_graph(mixed), confirmed_only=True)
    for command, rows in (("gaps", chainkg.gaps(a, lang="en")), ("chokepoints", chainkg.chokepoints(a, lang="en"))):
        res = cli(command, "--data", mixed, "--confirmed-only", "--lang", "en", "--format", "json")
        assert res.returncode == 0, res.stderr
        assert json.loads(res.stdout) == json.loads(render(rows, None, "json"))


def test_the_supplies_graph_from_arrays_gives_the_same_centrality(mixed, monkeypatch):
    """Key firms and centrality need only the SUPPLIES graph: from the lean graph's arrays it is the same
    graph in the same order, so PageRank, betweenness (sampled with its seed: the order matters) and
    the articulation points agree."""
    from chainkg.analysis import firms as F

    full, lean = chainkg.open_graph(mixed, lean=False), chainkg.open_graph(mixed)
    S, T = F.supplies_graph(full), F.supplies_graph(lean)
    assert list(S.nodes) == list(T.nodes) and list(S.edges) == list(T.edges) and S.number_of_edges() > 500
    assert F.firm_centrality(lean, betweenness=False) == F.firm_centrality(full, betweenness=False)
    monkeypatch.setattr(F, "EXACT_BETWEENNESS_LIMIT", 100)
    monkeypatch.setattr(F, "SAMPLE_K", 40)
    sampled = F.firm_centrality(full)
    assert sampled.betweenness_sampled and F.firm_centrality(lean) == sampled


def test_findings_never_change_the_graph_they_are_given(mixed):
    """prospect_records used to add the gap segments' firms to a lean graph as nodes (641 nodes, then 695)."""
    for lean in (True, False):
        G = chainkg.open_graph(mixed, lean=lean)
        a = chainkg.analyze(G)
        before = (G.number_of_nodes(), G.number_of_edges(), len(G.graph.get("firms") or ()))
        chainkg.prospects(a), chainkg.build_report(a, with_maps=False), chainkg.firms(a), chainkg.tiers(a)
        assert (G.number_of_nodes(), G.number_of_edges(), len(G.graph.get("firms") or ())) == before
