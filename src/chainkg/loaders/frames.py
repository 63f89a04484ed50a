"""Read one tabular file as people save them: a polars DataFrame of strings, with row numbers.

Lists staff already have (registry exports, the statistics bureau's 规上企业名录, park rosters)
come as .xlsx, .xls (Excel 97–2003, also what WPS saves by default), or .csv in UTF-8,
UTF-8 with BOM, GB18030 (GBK), Big5 or UTF-16 with tabs (Excel's "Unicode text"); the encoding
is detected by :func:`detect_encoding` (charset-normalizer), and a file it cannot tell is refused. They often start
with a title row or two (merged across the table) and end with empty rows. :func:`read_frame`
reads all of these the same way:

- every cell becomes text (``None`` when empty; Excel's ``3825.0`` becomes ``"3825"``, dates
  ``YYYY-MM-DD``), restored with :func:`chainkg.safety.restore`;
- the header row is found below title rows (see :func:`find_header`);
- rows that are empty everywhere are dropped; each kept row keeps its 1-based row number in the
  file as a spreadsheet shows it, so problems can name it.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "名录.csv"
>>> _ = p.write_text("扬州市企业名录（示例）,,\\n企业名称,主营产品,\\n甲公司,电池片,\\n,,\\n", encoding="gb18030")
>>> f = read_frame(p)
>>> f.header_row, f.headers, f.rows, f.data["企业名称"].to_list(), f.encoding
(2, ['企业名称', '主营产品'], [3], ['甲公司'], 'gb18030')
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError
from ..graph_model.records import Problem
from ..graph_model.vocabulary import YES_NO
from ..safety import restore

if TYPE_CHECKING:
    import polars  # imported where a frame is made: `import chainkg` stays light

#: rows searched for the header
HEADER_SCAN = 30
FRAME_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")


@dataclass
class Frame:
    """One table read from one file (one sheet)."""
    data: polars.DataFrame  # every column Utf8, named by ``headers``
    rows: list[int]  # 1-based row in the file of each row of ``data``
    header_row: int  # 1-based row of the header (0: the file had no rows)
    file: str
    sheet: str | None = None
    encoding: str | None = None  # CSV only: how it was decoded
    headers: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return self.data.height

    def records(self) -> Iterable[tuple[int, dict]]:
        """``(row number, {header: text or None})`` for each data row."""
        return zip(self.rows, self.data.iter_rows(named=True), strict=True)


def cell_text(value) -> str | None:
    """A cell as text, ``None`` when empty.

    >>> cell_text(3825.0), cell_text(" 甲 "), cell_text(""), cell_text(dt.datetime(2024, 5, 1))
    ('3825', '甲', None, '2024-05-01')
    >>> cell_text("'=1+1"), cell_text(True)
    ('=1+1', '是')
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return YES_NO["zh"][value]
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        text = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value).strip()
    if not text:
        return None
    return restore(text)


def find_header(rows: list[list[str | None]], header_hint: Iterable[str] | None = None) -> int:
    """0-based index of the header among the first rows of a table.

    With ``header_hint`` (names a header may have), the row holding most of them wins. Otherwise
    (or when none is found) the first row with at least two cells that fills at least 60% of the
    widest row seen, none of them a number or a date: a title row (one merged cell) or a
    "填报单位 … 2024-12-31" line above the table is skipped.

    >>> find_header([["名录"], [], ["企业名称", "地址", "行业"], ["甲", "扬州", "3825"]])
    2
    >>> find_header([["说明", "x"], ["名称", "信用代码", "地址"]], ["信用代码"])
    1
    """
    scan = rows[:HEADER_SCAN]
    if header_hint is not None:
        wanted = {h.strip().casefold() for h in header_hint}
        best, best_hits = None, 0
        for i, r in enumerate(scan):
            hits = sum(1 for v in r if v is not None and v.strip().casefold() in wanted)
            if hits > best_hits:
                best, best_hits = i, hits
        if best is not None:
            return best
    filled = [sum(1 for v in r if v is not None) for r in scan]
    widest = max(filled, default=0)
    for i, (r, n) in enumerate(zip(scan, filled, strict=True)):
        if n >= 2 and n >= 0.6 * widest and not any(v is not None and _is_number(v) for v in r):
            return i
    return next((i for i, n in enumerate(filled) if n), 0)


_NUMBER_OR_DATE = re.compile(r"[+-]?[\d,]+(\.\d+)?|\d{4}[-/.年]\d{1,2}([-/.月]\d{1,2}日?)?")


def _is_number(text: str) -> bool:
    """A number or a date: data, not a header."""
    return _NUMBER_OR_DATE.fullmatch(text.strip()) is not None


def _unique_headers(cells: list[str | None]) -> list[str]:
    out: list[str] = []
    for i, h in enumerate(cells, start=1):
        name = h if h else f"(列{i})"
        base, n = name, 2
        while name in out:
            name, n = f"{base} ({n})", n + 1
        out.append(name)
    return out


def frame_from_rows(rows: list[list[str | None]], row_numbers: list[int], *, file: str, sheet: str | None = None,
                    encoding: str | None = None, header_hint: Iterable[str] | None = None) -> Frame:
    """The frame of already-read text rows (``row_numbers[i]`` is the file row of ``rows[i]``)."""
    import polars as pl

    if not rows:
        return Frame(pl.DataFrame(), [], 0, file, sheet, encoding, [])
    h = find_header(rows, header_hint)
    header_cells = list(rows[h])
    width = max((len(r) for r in rows[h:]), default=0)
    header_cells += [None] * (width - len(header_cells))
    body = [(n, r) for n, r in zip(row_numbers[h + 1:], rows[h + 1:], strict=True) if any(v is not None for v in r)]
    # columns with neither a header nor a value anywhere (the tail of a merged title) are dropped
    keep = [j for j in range(width) if header_cells[j] is not None
            or any(j < len(r) and r[j] is not None for _, r in body)]
    headers = _unique_headers([header_cells[j] for j in keep])
    columns = {name: [r[j] if j < len(r) else None for _, r in body] for name, j in zip(headers, keep, strict=True)}
    data = pl.DataFrame(columns, schema={name: pl.Utf8 for name in headers})
    return Frame(data, [n for n, _ in body], row_numbers[h], file, sheet, encoding, headers)


# -- CSV -----------------------------------------------------------------------------------------------

#: encodings a Chinese CSV comes in without a BOM, besides UTF-8 and UTF-16 (found by its zero bytes)
CJK_ENCODINGS = ("gb18030", "big5")
#: a decoding whose "chaos" (charset-normalizer's mess ratio, 0 = clean) is above this is not trusted
MAX_CHAOS = 0.2
#: two readings of a file that are this close in chaos are both plausible: the file is refused
CHAOS_MARGIN = 0.02


def detect_encoding(data: bytes) -> tuple[str | None, list[str]]:
    """``(encoding, candidates)`` of the bytes of a text file: the one place chainkg guesses.

    A BOM decides; then strict UTF-8; then charset-normalizer (well-kept, maintained), limited to
    the encodings Chinese files come in (GB18030/GBK, Big5; UTF-16 without BOM is told by its zero
    bytes). When its best
    reading is messy, or a reading in another encoding gives different text almost as cleanly,
    the encoding is ``None`` and ``candidates`` names the plausible ones, best first: the caller
    refuses the file and suggests ``--encoding``.

    >>> detect_encoding("名称".encode("utf-16"))[0], detect_encoding(b"\\xef\\xbb\\xbfa")[0]
    ('utf-16', 'utf-8-sig')
    >>> detect_encoding("企业名称,主营产品\\n扬州光伏科技有限公司,电池片".encode("gb18030"))[0]
    'gb18030'
    >>> detect_encoding("企業名稱,主營產品\\n臺灣水泥股份有限公司,水泥及熟料".encode("big5"))[0]
    'big5'
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16", ["utf-16"]
    if data[:3] == b"\xef\xbb\xbf":
        return "utf-8-sig", ["utf-8-sig"]
    if data[:4000].count(b"\x00") > len(data[:4000]) // 4:  # UTF-16 saved without a BOM
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return enc, [enc]
    try:
        data.decode("utf-8")
        return "utf-8", ["utf-8"]
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = list(from_bytes(data, cp_isolation=list(CJK_ENCODINGS)))
    names = [_codec_name(m.encoding) for m in results]
    if not results or results[0].chaos > MAX_CHAOS:
        return None, []  # no clean reading at all
    best = results[0]
    rivals = [m for m in results[1:] if m.chaos - best.chaos < CHAOS_MARGIN and str(m) != str(best)]
    if rivals:
        return None, names
    return names[0], names


def _codec_name(name: str) -> str:
    """
    >>> _codec_name("utf_16_le"), _codec_name("big5")
    ('utf-16-le', 'big5')
    """
    return name.replace("_", "-")


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """``(text, encoding used)``: ``encoding`` when given, else :func:`detect_encoding`.

    An undecidable encoding raises :class:`EncodingUnclear` naming the candidates.

    >>> decode("名称\\t代码".encode("utf-16"))[1], decode(b"\\xef\\xbb\\xbfa")[1], decode("企业名称,主营产品\\n扬州甲公司,电池片".encode("gbk"))[1]
    ('utf-16', 'utf-8-sig', 'gb18030')
    """
    if encoding:
        return data.decode(encoding), encoding
    enc, candidates = detect_encoding(data)
    if enc is None:
        raise EncodingUnclear(candidates)
    return data.decode(enc), enc


class EncodingUnclear(ValueError):
    """The bytes read plausibly in more than one encoding, or cleanly in none."""

    def __init__(self, candidates: list[str]):
        self.candidates = candidates
        super().__init__(f"the encoding is not clear (candidates: {', '.join(candidates) or 'none'})")


def encoding_problem(path, exc: Exception) -> tuple[str, str]:
    """``(what is wrong, how to fix it)`` for a file that could not be decoded."""
    if isinstance(exc, EncodingUnclear) and not exc.candidates:
        return "is neither UTF-8, GB18030 (GBK) nor Big5", "Save it as UTF-8, or name its encoding with --encoding."
    if isinstance(exc, EncodingUnclear):
        cands = exc.candidates
        return (f"has an encoding chainkg cannot tell for sure (it reads as {' or '.join(cands[:3])}); "
                "it was not read rather than read with garbled names",
                f"Give the encoding with --encoding {cands[0]} (or --encoding {cands[1] if len(cands) > 1 else 'gb18030'}),"
                " or save the file as UTF-8.")
    return f"cannot be decoded ({exc})", "Save it as UTF-8 CSV, or give its encoding with --encoding."


def _delimiter(text: str) -> str:
    head = [line for line in text[:20000].splitlines() if line.strip()][:HEADER_SCAN]
    tabs = sum(line.count("\t") for line in head)
    commas = sum(line.count(",") for line in head)
    return "\t" if tabs > commas else ","


def read_text(path: Path, encoding: str | None = None) -> tuple[str, str]:
    """``(text, encoding used)`` of a tabular file, decoded as every one is (:func:`decode`: ``encoding`` when
    given, else a BOM, UTF-8, or what charset-normalizer finds for sure). A file that cannot be decoded is a
    DataError carrying its ``bad_encoding`` problem. The one decoding of files: CSV lists and review sheets
    here, and the dataset reader's CSV, YAML and JSON.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_bytes("企业名称,主营产品\\n扬州甲公司,电池片".encode("gb18030"))
    >>> read_text(p)[1]
    'gb18030'
    >>> try:
    ...     read_text(p, "utf-8")
    ... except DataError as exc:
    ...     exc.problems[0].code, exc.problems[0].message[:32], exc.problems[0].hint
    ('bad_encoding', 'The file cannot be read as utf-8', 'Check the --encoding value, or leave it out to let chainkg detect the encoding.')
    """
    try:
        return decode(path.read_bytes(), encoding)
    except (UnicodeDecodeError, LookupError, EncodingUnclear) as exc:
        if encoding:
            raise _unreadable(path, f"cannot be read as {encoding} ({exc})", "Check the --encoding value, or leave it "
                              "out to let chainkg detect the encoding.", "bad_encoding") from exc
        what, hint = encoding_problem(path, exc)
        raise _unreadable(path, what, hint, "bad_encoding") from exc


def csv_rows(text: str, delimiter: str | None = ",") -> Iterator[list[str]]:
    """The cells of each line of CSV ``text`` (the one CSV parser; quoted line breaks stay in their cell);
    ``delimiter=None`` picks tab or comma from the first lines (Excel's "Unicode text" is tab-separated).

    >>> list(csv_rows('a,"b\\nc"\\r\\n1,2\\n')), list(csv_rows("a\\tb\\n1\\t2\\n", None))
    ([['a', 'b\\nc'], ['1', '2']], [['a', 'b'], ['1', '2']])
    """
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or _delimiter(text))


def _read_csv(path: Path, encoding: str | None, header_hint) -> Frame:
    text, used = read_text(path, encoding)
    rows, numbers = [], []
    for i, values in enumerate(csv_rows(text, None), start=1):
        rows.append([cell_text(v) for v in values])
        numbers.append(i)
    return frame_from_rows(_trim(rows), numbers, file=str(path), encoding=used, header_hint=header_hint)


def _trim(rows: list[list[str | None]]) -> list[list[str | None]]:
    for r in rows:
        while r and r[-1] is None:
            r.pop()
    return rows


# -- workbooks -----------------------------------------------------------------------------------------

def sheet_names(path: str | Path) -> list[str]:
    """The sheets of a workbook (``[]`` for a CSV)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        wb = open_xlsx(path)
        try:
            return list(wb.sheetnames)
        finally:
            wb.close()
    if suffix == ".xls":
        return _open_xls(path).sheet_names()
    return []


def open_xlsx(path: Path):
    """A workbook opened read-only with its values (not formulas); a broken file is a DataError naming it."""
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise _unreadable(path, f"not a readable .xlsx workbook ({exc})", "Open it in Excel or WPS and save it "
                          "again as .xlsx.") from exc


def _open_xls(path: Path):
    import xlrd

    try:
        return xlrd.open_workbook(str(path), on_demand=True)
    except Exception as exc:  # xlrd.XLRDError and struct errors for broken files
        raise _unreadable(path, f"not a readable .xls workbook ({exc})", "Open it in Excel or WPS and save it "
                          "again as .xlsx or .xls.") from exc


def _pick_sheet(path: Path, names: list[str], sheet: str | int | None) -> int:
    if sheet is None:
        return 0
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return sheet
    elif sheet in names:
        return names.index(sheet)
    raise _unreadable(path, f"has no sheet {sheet!r}", f"Use one of: {', '.join(names)}.", "unknown_sheet")


def _read_xlsx(path: Path, sheet, header_hint) -> Frame:
    wb = open_xlsx(path)
    try:
        ws = wb.worksheets[_pick_sheet(path, wb.sheetnames, sheet)]
        rows, numbers = [], []
        for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
            rows.append([cell_text(v) for v in values])
            numbers.append(i)
        return frame_from_rows(_trim(rows), numbers, file=str(path), sheet=ws.title, header_hint=header_hint)
    finally:
        wb.close()


def _read_xls(path: Path, sheet, header_hint) -> Frame:
    import xlrd

    book = _open_xls(path)
    try:
        ws = book.sheet_by_index(_pick_sheet(path, book.sheet_names(), sheet))
        rows, numbers = [], []
        for i in range(ws.nrows):
            out = []
            for c in ws.row(i):
                if c.ctype == xlrd.XL_CELL_DATE:
                    out.append(cell_text(xlrd.xldate.xldate_as_datetime(c.value, book.datemode)))
                elif c.ctype == xlrd.XL_CELL_BOOLEAN:
                    out.append(cell_text(bool(c.value)))
                elif c.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    out.append(None)
                else:
                    out.append(cell_text(c.value))
            rows.append(out)
            numbers.append(i + 1)
        return frame_from_rows(_trim(rows), numbers, file=str(path), sheet=ws.name, header_hint=header_hint)
    finally:
        book.release_resources()


def _unreadable(path: Path, what: str, hint: str, code: str = "bad_file") -> DataError:
    problem = Problem("error", code, str(path), None, None, None, None, f"The file {what}.", hint)
    return DataError(f"{path}: {what}", problems=[problem], hint=hint)


def read_frame(path: str | Path, sheet: str | int | None = None, *, header_hint: Iterable[str] | None = None,
               encoding: str | None = None) -> Frame:
    """One table of ``path`` (.csv/.tsv/.txt, .xlsx/.xlsm, .xls) as a :class:`Frame`.

    ``sheet`` is a sheet name or 0-based index (default: the first sheet); ``header_hint`` lists
    names the header row may hold (aliases), which makes finding it below title rows sure;
    ``encoding`` overrides the CSV encoding guess. A file that cannot be read raises
    :class:`~chainkg.errors.DataError` naming the file and the fix.
    """
    path = Path(path)
    if not path.is_file():
        raise _unreadable(path, "does not exist or is not a file", "Check the path.", "missing_file")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(path, encoding, header_hint)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet, header_hint)
    if suffix == ".xls":
        return _read_xls(path, sheet, header_hint)
    raise _unreadable(path, f"has type '{suffix or path.name}', which is not a table chainkg reads",
                      f"Save it as one of: {', '.join(FRAME_SUFFIXES)}.", "unknown_file")
