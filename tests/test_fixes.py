"""Issue #22: silent wrong answers, crashes and wrong exits, one language at a time, files Excel opens.

Each test failed before its fix; the answers are worked out by hand on tiny graphs and files.
"""

from __future__ import annotations

import csv
import io

from conftest import cli
from helpers import example_copy, problems

BOM = "\ufeff"


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))


# -- silent wrong answers ------------------------------------------------------------------------

def test_export_into_an_existing_folder_removes_the_file_of_a_now_empty_table(tmp_path):
    from chainkg.loaders import load_valid
    from chainkg.loaders.export import export_dataset

    out = tmp_path / "out"
    ds = load_valid(example_copy(tmp_path))
    export_dataset(ds, out)
    assert (out / "supplies.csv").exists()
    ds2 = load_valid(example_copy(tmp_path / "b", supplies="supplier_id,customer_id,source_id\n"))
    export_dataset(ds2, out)
    assert not (out / "supplies.csv").exists()  # it kept the old rows: reading back brought them back
    again = load_valid(out)
    assert not again.rels_of("SUPPLIES")


def test_csv_row_with_more_cells_than_its_header_is_a_problem_with_file_and_row(tmp_path):
    ds = example_copy(tmp_path)
    f = ds / "firms.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    lines[1] += ",stray"  # row 2 of firms.csv: one cell more than the header
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = [p for p in problems(ds) if p.code == "extra_cells"]
    assert [(p.file.endswith("firms.csv"), p.row, p.value, p.severity) for p in found] == [(True, 2, "stray", "error")]


def test_workbook_row_with_cells_beyond_the_header_is_a_problem(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "sources"
    ws.append(["id", "title"])
    ws.append(["S1", "一个来源", None, "stray"])
    wb.save(tmp_path / "d.xlsx")
    found = [p for p in problems(tmp_path / "d.xlsx") if p.code == "extra_cells"]
    assert [(p.sheet, p.row, p.value) for p in found] == [("sources", 2, "stray")]


def test_markdown_escapes_html_from_data():
    from chainkg.reports.tables import render

    md = render([{"name": "<script>alert(1)</script> & <b>x</b>"}], ["name"], "md")
    assert "<script>" not in md and "<b>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;" in md


def test_markdown_headers_and_titles_are_escaped_too():
    from chainkg.reports.tables import render

    md = render([{"a": 1}], ["a"], "md", headers={"a": "<i>h</i>"}, title="<img src=x>")
    assert "<i>" not in md and "<img" not in md


# -- files Excel opens --------------------------------------------------------------------------

def test_cli_csv_starts_with_a_utf8_bom(tmp_path):
    out = cli("gaps", "--data", example_copy(tmp_path), "--format", "csv").stdout
    assert out.startswith(BOM) and _rows(out)
    cli("gaps", "--data", tmp_path / "ds", "--format", "csv", "-o", tmp_path / "g.csv")
    assert (tmp_path / "g.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    # the file -o writes is read back by Python's own utf-8-sig like Excel reads it
    assert _rows((tmp_path / "g.csv").read_text(encoding="utf-8-sig"))


def test_export_csv_files_start_with_a_bom_and_read_back(tmp_path):
    from chainkg.loaders import load_valid
    from chainkg.loaders.export import export_dataset

    files = export_dataset(load_valid(example_copy(tmp_path)), tmp_path / "out")
    assert files and all(f.read_bytes().startswith(b"\xef\xbb\xbf") for f in files)
    assert load_valid(tmp_path / "out").nodes  # reading accepts the BOM
