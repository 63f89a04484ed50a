"""chainkg.loaders.frames: one tabular file -> strings + row numbers, as staff save them.

Every expected value below is written out by hand from the fixture built in the same test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from chainkg.errors import DataError
from chainkg.loaders.frames import find_header, read_frame, sheet_names

ROWS = [["企业名称", "统一社会信用代码", "行业代码"],
        ["扬州甲光伏科技有限公司", "91321000MA1X00001A", "3825"],
        ["扬州乙电池有限公司", None, "3841"]]


def _csv_text(rows, sep=","):
    return "\n".join(sep.join("" if v is None else v for v in r) for r in rows) + "\n"


@pytest.mark.parametrize("encoding,sep,expected", [
    ("utf-8", ",", "utf-8"),
    ("utf-8-sig", ",", "utf-8-sig"),
    ("gb18030", ",", "gb18030"),
    ("utf-16", "\t", "utf-16"),  # Excel "Unicode text": UTF-16 LE with BOM, tab-separated
])
def test_csv_encodings(tmp_path, encoding, sep, expected):
    p = tmp_path / "list.csv"
    p.write_bytes(_csv_text(ROWS, sep).encode(encoding))
    f = read_frame(p)
    assert f.encoding == expected
    assert f.headers == ["企业名称", "统一社会信用代码", "行业代码"]
    assert f.header_row == 1 and f.rows == [2, 3]
    assert f.data["企业名称"].to_list() == ["扬州甲光伏科技有限公司", "扬州乙电池有限公司"]
    assert f.data["统一社会信用代码"].to_list() == ["91321000MA1X00001A", None]
    assert f.sheet is None


def test_csv_header_below_title_rows_and_trailing_empty_rows(tmp_path):
    p = tmp_path / "名录.csv"
    text = ("扬州市规上工业企业名录（2024年）,,\n"
            "填报单位：市统计局,,2024-12-31\n"
            ",,\n" + _csv_text(ROWS) + ",,\n,,\n\n")
    p.write_text(text, encoding="utf-8")
    f = read_frame(p)
    assert f.header_row == 4
    assert f.rows == [5, 6]
    assert len(f) == 2


def test_header_hint_beats_the_heuristic():
    rows = [["单位", "日期", "备注"], ["名称", "信用代码", "地址"], ["甲", "x", "y"]]
    assert find_header(rows) == 0
    assert find_header(rows, ["企业名称", "名称"]) == 1


def test_number_row_is_not_a_header():
    # a numbered row (1, 2, 3) above the real header, as some exports have
    assert find_header([["1", "2", "3"], ["企业名称", "地址", "行业"]]) == 1


def _xlsx(path, rows, merge=None, title="名录"):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    if merge:
        ws.merge_cells(merge)
    wb.save(path)


def test_xlsx_merged_title_cell_and_trailing_empty_rows(tmp_path):
    p = tmp_path / "名录.xlsx"
    rows = [["扬州市光伏企业名录（示例）", None, None], [None, None, None], *ROWS,
            [None, None, None], [None, None, None]]
    _xlsx(p, rows, merge="A1:C1")
    f = read_frame(p)
    assert f.sheet == "名录" and f.header_row == 3 and f.rows == [4, 5]
    assert f.data.columns == ["企业名称", "统一社会信用代码", "行业代码"]


def test_xlsx_numbers_and_dates_become_text(tmp_path):
    p = tmp_path / "n.xlsx"
    _xlsx(p, [["企业名称", "行业代码", "成立日期", "营业收入"],
              ["甲", 3825, dt.datetime(2019, 3, 1), 12.5]])
    f = read_frame(p)
    assert f.data.row(0) == ("甲", "3825", "2019-03-01", "12.5")


def test_xlsx_sheet_by_name_and_unknown_sheet(tmp_path):
    from openpyxl import Workbook

    p = tmp_path / "two.xlsx"
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["这是说明"])
    ws = wb.create_sheet("企业")
    for r in ROWS:
        ws.append(r)
    wb.save(p)
    assert sheet_names(p) == ["说明", "企业"]
    assert read_frame(p, "企业").rows == [2, 3]
    assert read_frame(p, 1).sheet == "企业"
    with pytest.raises(DataError) as exc:
        read_frame(p, "企业名录")
    assert exc.value.problems[0].code == "unknown_sheet"
    assert "说明, 企业" in exc.value.problems[0].hint


def test_xls_via_xlrd(tmp_path):
    # .xls written by xlwt (a writer of the Excel 97-2003 format), read back with xlrd
    xlwt = pytest.importorskip("xlwt")
    p = tmp_path / "名录.xls"
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("企业名录")
    ws.write_merge(0, 0, 0, 2, "扬州市企业名录（示例）")
    for i, r in enumerate(ROWS, start=2):
        for j, v in enumerate(r):
            if v is not None:
                ws.write(i, j, int(v) if j == 2 and v.isdigit() else v)  # the code as a number, as Excel keeps it
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    ws.write(1, 0, "导出日期")
    ws.write(1, 1, dt.datetime(2024, 6, 30), date_style)
    book.save(str(p))
    f = read_frame(p)
    assert f.sheet == "企业名录"
    assert f.header_row == 3 and f.rows == [4, 5]
    assert f.data["行业代码"].to_list() == ["3825", "3841"]
    assert f.data["统一社会信用代码"].to_list() == ["91321000MA1X00001A", None]


def test_hostile_cells_are_restored_text(tmp_path):
    p = tmp_path / "h.csv"
    p.write_text("企业名称,备注\n'=HYPERLINK(\"http://x\"),=1+1\n", encoding="utf-8")
    f = read_frame(p)
    # our own neutralised cell comes back exactly; a raw formula stays a plain string
    assert f.data.row(0) == ('=HYPERLINK("http://x")', "=1+1")


def test_unreadable_files_are_named(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(DataError) as exc:
        read_frame(bad)
    assert exc.value.problems[0].file == str(bad) and exc.value.problems[0].code == "bad_file"
    with pytest.raises(DataError) as exc:
        read_frame(tmp_path / "名录.pdf")
    assert exc.value.problems[0].code == "missing_file"
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF")
    with pytest.raises(DataError) as exc:
        read_frame(pdf)
    assert exc.value.problems[0].code == "unknown_file"


def test_duplicate_and_empty_headers_get_names(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("企业名称,地址,地址,\n甲,扬州,邗江,备注\n", encoding="utf-8")
    f = read_frame(p)
    assert f.headers == ["企业名称", "地址", "地址 (2)", "(列4)"]
    assert list(f.records()) == [(2, {"企业名称": "甲", "地址": "扬州", "地址 (2)": "邗江", "(列4)": "备注"})]


def test_an_encoding_given_that_does_not_fit_is_named_with_the_fix(tmp_path):
    p = tmp_path / "名录.csv"
    p.write_bytes("企业名称,主营产品\n扬州甲公司,电池片\n".encode("gb18030"))
    assert read_frame(p).encoding == "gb18030"
    with pytest.raises(DataError) as exc:
        read_frame(p, encoding="utf-8")
    (prob,) = exc.value.problems
    assert (prob.code, prob.file) == ("bad_encoding", str(p))
    assert prob.message.startswith("The file cannot be read as utf-8 (") and "--encoding" in prob.hint


# What parses CSV text or opens a workbook, and where it may. chainkg.loaders.frames holds the one CSV parser
# (csv_rows), the one decoding (read_text) and the one workbook opener (open_xlsx, _open_xls); polars reads
# a dataset's CSV bytes column-wise in the dataset reader only.
READING = {"csv.reader(": {"loaders/frames.py"}, "csv.DictReader(": set(), "load_workbook(": {"loaders/frames.py"},
           "xlrd.open_workbook(": {"loaders/frames.py"},
           "pl.read_csv(": {"loaders/readers.py", "loaders/columnar.py"}, "pl.scan_csv(": set()}
#: reads that are still elsewhere until their owners call frames (helper validator, #23: the dataset reader's
#: csv-module fallback and its decoding); this list may only shrink
READING_PENDING = {("csv.reader(", "loaders/readers.py")}


def test_csv_is_parsed_and_workbooks_opened_in_one_place():
    from pathlib import Path

    import chainkg

    root = Path(chainkg.__file__).parent
    found = set()
    for f in root.rglob("*.py"):
        code = [line for line in f.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith(">>>")]
        for call in READING:
            if any(call in line for line in code):
                found.add((call, f.relative_to(root).as_posix()))
    stray = {(call, f) for call, f in found if f not in READING[call]} - READING_PENDING
    assert not stray, f"read through chainkg.loaders.frames (csv_rows, read_text, open_xlsx) instead: {sorted(stray)}"
    gone = READING_PENDING - found
    assert not gone, f"no longer read there: remove from READING_PENDING: {sorted(gone)}"
