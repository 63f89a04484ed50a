"""Text from data stays data (issue #13 §4): hostile names through every writer, read back.

Spreadsheet and CSV cells never start a formula (``=``, ``+``, ``-``, ``@``, tab, CR) unless they
are a plain number; export -> validate gives the same names back; in report.html no script,
no event attribute, and only http(s) or in-page links.
"""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from chainkg.safety import FORMULA_TRIGGERS, neutralize

HOSTILE = {
    "F1": '=HYPERLINK("http://x","点我")',  # local firm in SG2
    "F2": "@SUM(A1)",  # outside firm in SG1
    "SG2": "+cmd|' /C calc'!A0",
    "SG3": "<script>alert(1)</script>",
    "CH1": '" onmouseover="alert(1)',
    "D2": "-2+3",
    "CL1": "\tTAB集群",
    "F3": "\r回车企业",
}


def formula_like(value) -> bool:
    return isinstance(value, str) and value[:1] in FORMULA_TRIGGERS and neutralize(value) != value


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """docs/example with hostile names and a javascript: source URL, exported as CSV (the writer under test)."""
    from chainkg.graph_model.records import Node, Rel
    from chainkg.loaders import load_valid
    from chainkg.loaders.export import export_dataset
    from helpers import EXAMPLE

    ds = load_valid(EXAMPLE)
    ds.nodes["F3"] = Node("F3", "Firm", {"name": "x", "local": True, "revenue_100m_cny": 7.0})
    ds.rels[("IN_SEGMENT", "F3", "SG3")] = Rel("IN_SEGMENT", "F3", "SG3", {})
    for node_id, text in HOSTILE.items():
        ds.nodes[node_id].props["name"] = ds.nodes[node_id].props["name_en"] = text
    ds.nodes["S1"].props["url"] = "javascript:alert(document.cookie)"
    ds.nodes["S1"].props["title"] = "=cmd|' /C calc'!A0"
    folder = tmp_path_factory.mktemp("hostile") / "csv"
    export_dataset(ds, folder)
    return ds, folder


def _csv_cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def test_export_csv_and_xlsx_neutralise_and_validate_restores_exactly(hostile, tmp_path):
    from openpyxl import load_workbook

    from chainkg.loaders import load_valid
    from chainkg.loaders.export import export_dataset

    ds, folder = hostile
    cells = [c for f in folder.glob("*.csv") for c in _csv_cells(f.read_text(encoding="utf-8"))]
    assert not [c for c in cells if formula_like(c)]
    assert "'" + HOSTILE["F1"] in cells and "12.5" in cells  # neutralised text; a number stays a number
    export_dataset(ds, tmp_path / "x.xlsx", lang="zh")
    wb = load_workbook(tmp_path / "x.xlsx")
    values = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in values if c.data_type == "f" or formula_like(c.value)]
    assert 12.5 in [c.value for c in values if c.data_type == "n"]
    for source in (folder, tmp_path / "x.xlsx"):
        back = load_valid(source)
        for node_id, text in HOSTILE.items():
            props = back.nodes[node_id].props
            assert props["name"] == props["name_en"] == text.strip()  # readers strip surrounding blanks
        assert back.nodes["S1"].props["title"] == "=cmd|' /C calc'!A0"


@pytest.mark.parametrize("argv", [["gaps"], ["chokepoints"], ["centrality"], ["centrality", "--leaders"],
                                  ["prospects"], ["tiers"], ["gaps", "--lang", "en"]])
def test_every_analysis_command_csv_is_neutralised(hostile, argv):
    from chainkg.cli import main

    _, folder = hostile
    res = CliRunner().invoke(main, [*argv, "--data", str(folder), "--format", "csv"])
    assert res.exit_code == 0, res.output
    cells = _csv_cells(res.stdout)
    assert not [c for c in cells if formula_like(c)]
    if argv[0] in ("gaps", "centrality") and "--leaders" not in argv:
        assert any(c.startswith(("'+cmd", "'=HYPERLINK")) for c in cells)


def test_validate_csv_neutralises_bad_values(tmp_path):
    from chainkg.cli import main
    from helpers import example_copy

    ds = example_copy(tmp_path, firms="id,name,local\nF1,甲,=1+1\nF2,乙,是\n")
    res = CliRunner().invoke(main, ["validate", str(ds), "--format", "csv"])
    assert res.exit_code == 1
    cells = _csv_cells(res.stdout)
    assert "'=1+1" in cells and not [c for c in cells if formula_like(c)]


def test_report_xlsx_has_no_formula_and_numbers_stay_numbers(hostile, tmp_path):
    from openpyxl import load_workbook

    from chainkg.cli import main

    _, folder = hostile
    out = tmp_path / "r.xlsx"
    res = CliRunner().invoke(main, ["report", "--data", str(folder), "--format", "xlsx", "-o", str(out)])
    assert res.exit_code == 0, res.output
    wb = load_workbook(out)
    values = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [(c.parent.title, c.coordinate, c.value) for c in values if c.data_type == "f" or formula_like(c.value)]
    assert "'" + HOSTILE["F1"] in [c.value for c in values]
    key = wb["关键企业"]
    revenue_col = [c.value for c in key[1]].index("营业收入(亿元)") + 1
    assert {key.cell(r, revenue_col).data_type for r in range(2, key.max_row + 1)} <= {"n"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def test_report_html_renders_payloads_as_text(hostile, tmp_path):
    from chainkg.cli import main

    _, folder = hostile
    out = tmp_path / "r.html"
    res = CliRunner().invoke(main, ["report", "--data", str(folder), "--format", "html", "-o", str(out)])
    assert res.exit_code == 0, res.output
    p = _Tags()
    p.feed(out.read_text(encoding="utf-8"))
    assert "script" not in p.tags
    assert not [name for name, _ in p.attrs if name.startswith("on")]
    hrefs = [v for name, v in p.attrs if name == "href"]
    assert hrefs and all(h.startswith(("#", "http://", "https://")) for h in hrefs)
    text = "".join(p.text)
    assert "javascript:alert(document.cookie)" in text and HOSTILE["SG3"] in text and HOSTILE["CH1"] in text


def test_browser_opens_only_http_links(monkeypatch):
    from chainkg.cli import main

    monkeypatch.setenv("CHAINKG_BROWSER_URL", "javascript:alert(1)")
    res = CliRunner().invoke(main, ["browser"])
    assert res.exit_code == 2 and "not an http(s) URL" in res.output
    monkeypatch.setenv("CHAINKG_BROWSER_URL", "http://db.example:7474/browser")
    res = CliRunner().invoke(main, ["browser"])
    assert res.exit_code == 0 and res.stdout == "http://db.example:7474/browser/\n"
