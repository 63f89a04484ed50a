"""Chain-level membership (``firm_chains``, IN_CHAIN): a source ties a firm to a chain, not to a link.

Validated like every table (Chinese headers, references), in the NetworkX graph, loaded into Neo4j,
exported and in the template; counted in the chain's named local firms; never makes a segment present.
"""

from __future__ import annotations

import pytest

from helpers import example_copy, one, problems

FIRMS = ("id,name,local,source_id,confidence\nF1,示例光伏电池有限公司,是,S1,confirmed\nF2,外地硅片集团,否,S1,inferred\n"
         "F3,链上本地企业,是,S1,confirmed\nF4,链上外地企业,否,S1,confirmed\n")
# Chinese headers, as staff write them in the template
FIRM_CHAINS = "企业编号,所属产业链,来源编号,可信度\nF3,CH1,S1,已证实\nF4,CH1,S1,推断\n"


def _dataset(tmp_path, **more):
    ds = example_copy(tmp_path, firms=FIRMS, **more)
    if "firm_chains" not in more:
        (ds / "firm_chains.csv").write_text(FIRM_CHAINS, encoding="utf-8")
    return ds


def test_read_with_chinese_headers_and_no_firm_warning(tmp_path):
    from chainkg.loaders import read_dataset

    rep = read_dataset(_dataset(tmp_path))
    assert rep.errors == []
    rels = {r.start: r for r in rep.dataset.rels_of("IN_CHAIN")}
    assert sorted(rels) == ["F3", "F4"] and {r.end for r in rels.values()} == {"CH1"}
    assert rels["F3"].props == {"source_id": "S1", "confidence": "confirmed"}
    assert rels["F4"].props["confidence"] == "inferred"
    # placed at chain level: not "in no segment"
    assert [p for p in rep.problems if p.code == "firm_without_segment"] == []


def test_bad_references_are_named(tmp_path):
    ds = _dataset(tmp_path, firm_chains="firm_id,chain_id\nF3,CH9\nSG1,CH1\n,CH1\n")
    probs = problems(ds)
    unknown = sorted((p.row, p.column, p.value, p.message) for p in probs if p.code == "unknown_reference")
    assert unknown == [(2, "chain_id", "CH9", "'CH9' in chain_id is not the id of any Chain in the dataset."),
                       (3, "firm_id", "SG1", "'SG1' in firm_id is a Segment, not a Firm.")]
    missing = one(probs, "missing_value")
    assert (missing.file.endswith("firm_chains.csv"), missing.row, missing.column) == (True, 4, "firm_id")
    # no row placed F3 or F4: each is warned about, with how to fix it
    warns = [p for p in probs if p.code == "firm_without_segment"]
    assert [w.value for w in warns] == ["F3", "F4"]
    assert warns[0].hint == "Add a firm_segments row for it, or a firm_chains row if a source names only its chain."


def test_in_networkx_graph_and_analysis(tmp_path):
    from chainkg.analysis import analyze
    from chainkg.analysis.coverage import chain_coverage
    from chainkg.analysis.views import ChainView
    from chainkg.graph_model.nx_graph import to_networkx
    from chainkg.loaders import load_valid

    G = to_networkx(load_valid(_dataset(tmp_path)))
    assert G.has_edge("F3", "CH1", key="IN_CHAIN") and G.has_edge("F4", "CH1", key="IN_CHAIN")
    v = ChainView.of(G)
    # F1 (local, SG2) and F3 (local, chain level) are the named local firms; F4 is not local
    assert sorted(v.local_firms_of_chain("CH1")) == ["F1", "F3"]
    assert v.link_unknown("CH1") == ["F3"] and v.link_unknown("CH1", local=False) == ["F3", "F4"]
    assert chain_coverage(G, v)[0]["named_local_firms"] == 2
    a = analyze(G)
    # never makes a segment present: only SG2 has a local firm, the rest of the chain stays as before
    assert {s: st.local_firms for s, st in a.statuses.items()} == {"SG1": 0, "SG2": 1, "SG3": 0, "SG4": 0}


def test_exported_and_in_the_template(tmp_path):
    from openpyxl import load_workbook

    from chainkg.loaders import load_valid, read_dataset
    from chainkg.loaders.export import export_dataset
    from chainkg.loaders.template import write_workbook

    ds = load_valid(_dataset(tmp_path))
    out = tmp_path / "out"
    export_dataset(ds, out)
    assert (out / "firm_chains.csv").read_text(encoding="utf-8-sig").splitlines() == [
        "firm_id,chain_id,source_id,confidence", "F3,CH1,S1,confirmed", "F4,CH1,S1,inferred"]
    again = read_dataset(out)
    assert again.errors == []
    assert {k: r.props for k, r in again.dataset.rels.items()} == {k: r.props for k, r in ds.rels.items()}
    export_dataset(ds, tmp_path / "wb.xlsx", lang="zh")
    ws = load_workbook(tmp_path / "wb.xlsx")["firm_chains"]
    assert [c.value for c in ws[1]] == ["企业编号", "所属产业链", "来源编号", "可信度"]
    assert [c.value for c in ws[2]] == ["F3", "CH1", "S1", "confirmed"]
    sheets = load_workbook(write_workbook(tmp_path / "template.xlsx")).sheetnames
    assert sheets.index("firm_chains") == sheets.index("firm_segments") + 1


@pytest.mark.neo4j
def test_loaded_into_neo4j(neo4j, tmp_path):
    from chainkg.loaders import load_valid
    from chainkg.neo4j_io.reader import read_graph
    from chainkg.neo4j_io.writer import load_dataset

    drv = neo4j.driver()
    try:
        load_dataset(drv, neo4j.settings.database, load_valid(_dataset(tmp_path)))
        rows = drv.execute_query("MATCH (f:Firm)-[r:IN_CHAIN]->(c:Chain) RETURN f.id AS f, c.id AS c, r.confidence AS conf "
                                 "ORDER BY f", database_=neo4j.settings.database).records
        assert [r.data() for r in rows] == [{"f": "F3", "c": "CH1", "conf": "confirmed"},
                                           {"f": "F4", "c": "CH1", "conf": "inferred"}]
        G = read_graph(drv, neo4j.settings.database)
        assert G.has_edge("F3", "CH1", key="IN_CHAIN")
        # the Cypher library counts chain-level firms as the analysis does: 链主 candidates covering 0 links
        from chainkg.cypher import library as lib

        def q(name, **params):
            query = lib.get(name)
            return lib.run(drv, neo4j.settings.database, query, lib.bind(query, params))[1]

        assert [(r["firm_id"], r["segments_covered"]) for r in q("chain_leaders", chain="CH1")] == [("F1", 1), ("F3", 0)]
        assert [r["unknown_revenue"] for r in q("revenue_tiers", chain="CH1")] == [2, 2, 2, 2]  # F1 and F3
    finally:
        drv.close()
