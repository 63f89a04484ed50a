"""A chain's tables as files: CSV (UTF-8 with BOM, one table) and XLSX (every table, a sheet each)."""

from __future__ import annotations

import csv
import io

from starlette.exceptions import HTTPException
from starlette.responses import Response

from .refs import NotFound
from .tables import chain_tables

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export(ex, request, snap, lang):
    fmt, cid = request.path_params["fmt"], request.path_params["chain_id"]
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404)
    district = request.query_params.get("district") or None
    if district is not None and district not in snap.G:
        raise NotFound(f"District {district}")
    tables = chain_tables(snap, cid, lang, district, to=fmt)
    stem = "chain-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in cid)
    if fmt == "csv":
        table = request.query_params.get("table", "segments")
        if table not in tables:
            raise HTTPException(404)
        return Response(csv_bytes(tables[table]), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{stem}-{table}.csv"'})
    return Response(xlsx_bytes(tables), media_type=XLSX,
                    headers={"content-disposition": f'attachment; filename="{stem}.xlsx"'})


def csv_bytes(rows: list[list]) -> bytes:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese text correctly only with a BOM
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def xlsx_bytes(tables: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in tables.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
