"""Template, export and synth: the format round-trips."""

from __future__ import annotations

import filecmp

from conftest import ROOT, cli
from helpers import EXAMPLE


def test_format_doc_is_generated_from_schema():
    from chainkg.graph_model.reference import format_reference

    assert format_reference() in (ROOT / "docs" / "format.md").read_text(encoding="utf-8")


def test_template_has_every_table_with_chinese_headers(tmp_path):
    from openpyxl import load_workbook

    from chainkg.graph_model.schema import TABLES

    out = tmp_path / "t.xlsx"
    assert cli("template", "-o", out).returncode == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["说明"] + [t.table for t in TABLES]
    for t in TABLES:
        ws = wb[t.table]
        assert [c.value for c in ws[1]] == [c.zh for c in t.columns]
        assert ws.freeze_panes == "A2"
        assert ws.cell(1, 1).comment.text.startswith(f"{t.columns[0].name}\n必填 required")
    lists = [dv for dv in wb["segments"].data_validations.dataValidation]
    assert any('"上游,中游,下游,upstream,midstream,downstream"' == dv.formula1 for dv in lists)
    # read back: the empty template only lacks the three required tables
    from chainkg.loaders import read_dataset

    codes = sorted((p.code, p.value) for p in read_dataset(out).problems)
    assert codes == [("missing_table", "chains"), ("missing_table", "clusters"), ("missing_table", "segments")]


def test_filled_template_reads_back(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    assert cli("template", "-o", out).returncode == 0
    wb = load_workbook(out)
    wb["clusters"].append(["CL1", "新能源", "New Energy"])
    wb["chains"].append(["CH1", "CL1", "晶硅光伏"])
    wb["segments"].append(["SG1", "CH1", "硅片", None, "上游", "是"])
    wb.save(out)
    from chainkg.loaders import read_dataset

    rep = read_dataset(out)
    assert rep.problems == []
    assert rep.dataset.nodes["SG1"].props == {"name": "硅片", "stage": "upstream", "key": True}


def _same(a, b):
    assert a.nodes.keys() == b.nodes.keys()
    for k in a.nodes:
        assert (a.nodes[k].label, a.nodes[k].props) == (b.nodes[k].label, b.nodes[k].props), k
    assert {k: r.props for k, r in a.rels.items()} == {k: r.props for k, r in b.rels.items()}


def test_export_round_trip_csv_and_xlsx(tmp_path):
    from chainkg.loaders import load_valid
    from chainkg.loaders.export import export_dataset
    from chainkg.synth import synth_dataset

    synth_dataset(tmp_path / "s", firms=300, seed=3)
    for source in (EXAMPLE, tmp_path / "s"):
        original = load_valid(source)
        export_dataset(original, tmp_path / "csv")
        _same(original, load_valid(tmp_path / "csv"))
        export_dataset(original, tmp_path / "x.xlsx", lang="zh")
        _same(original, load_valid(tmp_path / "x.xlsx"))


def test_synth_is_reproducible_and_shaped(tmp_path):
    for d in ("a", "b"):
        assert cli("synth", "--firms", "500", "--seed", "7", "-o", tmp_path / d).returncode == 0
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)[0] == names

    import networkx as nx

    from chainkg.loaders import read_dataset

    rep = read_dataset(tmp_path / "a")
    assert not rep.errors
    assert [p.code for p in rep.warnings] == ["feeds_cycle"]  # the recycling loop, and nothing else
    ds = rep.dataset
    chain_of = {r.end: r.start for r in ds.rels_of("HAS_SEGMENT")}
    per_chain = {}
    for chain in chain_of.values():
        per_chain[chain] = per_chain.get(chain, 0) + 1
    assert len(per_chain) >= 3 and all(8 <= n <= 15 for n in per_chain.values())
    feeds = ds.rels_of("FEEDS")
    assert any(chain_of[r.start] != chain_of[r.end] for r in feeds)  # cross-chain
    linked = {r.start for r in feeds} | {r.end for r in feeds}
    assert any(s not in linked for s in chain_of)  # an unlinked segment
    g = nx.DiGraph([(r.start, r.end) for r in feeds])
    assert not nx.is_directed_acyclic_graph(g)
    firms = ds.nodes_of("Firm")
    assert len(firms) == 500 and {f.props["local"] for f in firms} == {True, False}
    assert ds.rels_of("SUPPLIES") and ds.nodes_of("Lab") and ds.nodes_of("Fund")


def test_a_saved_workbook_has_the_mode_of_any_new_file(tmp_path):
    # before: the temporary file's 0600 went with it, so a report.xlsx could not be read by colleagues
    import os
    import stat

    from chainkg.workbook import add_sheet, new_workbook, save

    wb = new_workbook()
    add_sheet(wb, "表", ["a"], [[1]])
    old = os.umask(0o022)
    try:
        path = save(wb, tmp_path / "r.xlsx")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
