"""A chain's tables as files ready for Excel and WPS: XLSX (every table of the chain page, a sheet each
with its name in the page's language, bold frozen header with filters, column widths from the text) and
CSV (one table, UTF-8 with BOM). The file name carries the chain and the district, in the page's
language (RFC 6266 ``filename*`` for Chinese names, an ASCII ``filename`` beside it)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.responses import Response

from .refs import node_ref, require
from .tables import chain_tables, table_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export(ex, request, snap, lang):
    fmt, cid = request.path_params["fmt"], request.path_params["chain_id"]
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404)
    district = request.query_params.get("district") or None
    require(snap.G, cid, "Chain")
    if district is not None:
        require(snap.G, district, "District")
    tables = chain_tables(snap, cid, lang, district, to=fmt)
    G = snap.G
    parts = [node_ref(G, cid, lang)["name"]] + ([node_ref(G, district, lang)["name"]] if district else [])
    ascii_parts = [cid] + ([district] if district else [])
    return _tables_response(request, tables, fmt, lang, parts, ascii_parts, "segments")


def district_export(ex, request, snap, lang):
    """The district page's tables as XLSX (every table) or CSV (``?table=``), named after the district."""
    from .tables import district_tables

    fmt, did = request.path_params["fmt"], request.path_params["district_id"]
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404)
    tables = district_tables(ex, snap, did, lang, to=fmt)
    parts, plain = [node_ref(snap.G, did, lang)["name"]], [did]
    return _tables_response(request, tables, fmt, lang, parts, plain, "district_gaps", "district")


def _tables_response(request, tables: dict, fmt: str, lang: str, parts: list, plain: list, default: str,
                     kind: str = "chain") -> Response:
    """A page's ``tables`` as one CSV (``?table=``, else ``default``) or every table as XLSX sheets, the
    file named from ``parts`` (and ``plain``, its ASCII fallback)."""
    if fmt == "csv":
        table = request.query_params.get("table", default)
        if table not in tables:
            raise HTTPException(404)
        return Response(csv_bytes(tables[table]), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": disposition(parts + [table_name(table, lang)],
                                                                    plain + [table], "csv", kind)})
    sheets = {table_name(k, lang): rows for k, rows in tables.items()}
    return Response(xlsx_bytes(sheets), media_type=XLSX,
                    headers={"content-disposition": disposition(parts, plain, "xlsx", kind)})


def _safe(text: str) -> str:
    """A file-name piece: letters (any script), digits, - and _ kept, the rest as _.

    >>> _safe("晶硅光伏/PV <x>"), _safe("D-GY")
    ('晶硅光伏_PV_x', 'D-GY')
    """
    return re.sub(r"_+", "_", "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)).strip("_") or "_"


def disposition(parts: list[str], ascii_parts: list[str], ext: str, kind: str = "chain") -> str:
    """``attachment`` with the name in UTF-8 (``filename*``) and an ASCII fallback (ids).

    >>> disposition(["晶硅光伏", "高邮市"], ["PV", "D-GY"], "xlsx")
    'attachment; filename="chain-PV-D-GY.xlsx"; filename*=UTF-8\\'\\'%E6%99%B6%E7%A1%85%E5%85%89%E4%BC%8F-%E9%AB%98%E9%82%AE%E5%B8%82.xlsx'
    """
    utf8 = "-".join(_safe(p) for p in parts) + "." + ext
    plain = kind + "-" + "-".join(_safe(unicodedata.normalize("NFKD", p).encode("ascii", "ignore").decode() or "_")
                                for p in ascii_parts) + "." + ext
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(utf8, safe='')}"


def csv_bytes(rows: list[list]) -> bytes:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese text correctly only with a BOM
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """One sheet per table (header first) through the project's one workbook writer (:mod:`chainkg.workbook`):
    bold, shaded, frozen header row with filters, column widths from the text."""
    from ..workbook import add_sheet, new_workbook, to_bytes

    wb = new_workbook()
    for title, rows in sheets.items():
        if rows:
            add_sheet(wb, title, rows[0], rows[1:], to=None, autofilter=True)
    return to_bytes(wb)
