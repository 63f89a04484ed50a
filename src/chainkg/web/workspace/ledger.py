"""Staff's existing 台账 (xlsx / xls / csv) into leads: intake's reading (header detection, the same
column names for firms) plus the lead columns, every bad row named, and nothing written unless every
row is good (then all leads in one transaction, each with its audit entry)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ...api.workspace import Actor, Problem, WorkspaceError, check_date, check_stage

#: lead field -> accepted headers (casefolded, spaces removed)
LEDGER_COLUMNS: dict[str, tuple[str, ...]] = {
    "segment_ids": ("环节", "目标环节", "所属环节", "拟补环节", "segment", "segments"),
    "stage": ("阶段", "进展阶段", "当前阶段", "项目阶段", "stage"),
    "owner": ("负责人", "责任人", "招商负责人", "owner"),
    "next_step": ("下一步", "下一步工作", "下步计划", "nextstep", "next step"),
    "due": ("截止日期", "到期日", "完成时限", "时限", "due", "due date"),
    "note": ("备注", "情况说明", "说明", "note", "notes"),
}
_KEY = {h.replace(" ", "").casefold(): f for f, hs in LEDGER_COLUMNS.items() for h in hs}
SUFFIXES = (".xlsx", ".xls", ".csv")


def _field(header: str) -> str | None:
    return _KEY.get(header.replace(" ", "").casefold())


def _segment(G, value: str) -> list[str] | str:
    """Segment ids from a cell (ids or exact names, separated by ; 、 , or ，); a message when one is unknown."""
    out = []
    for part in [p.strip() for p in value.replace("；", ";").replace("、", ";").replace("，", ";").replace(",", ";").split(";")]:
        if not part:
            continue
        if part in G and G.nodes[part].get("label") == "Segment":
            out.append(part)
            continue
        hits = [n for n, d in G.nodes(data=True) if d.get("label") == "Segment" and part in (d.get("name"), d.get("name_en"))]
        if len(hits) != 1:
            return (f"'{part}' is not a segment id or name" if not hits else
                    f"'{part}' names {len(hits)} segments ({', '.join(sorted(hits))}); write the id")
        out.append(hits[0])
    return out


def import_ledger(ws, actor: Actor, filename: str, content: bytes, lang: str = "zh") -> dict:
    """Read one uploaded 台账 and, when every row is good, create its leads; ``{ok, created, problems}``."""
    from ...api.workspace import read_list
    from ...errors import DataError

    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise WorkspaceError(400, "bad_file", f"{filename}: a 台账 is an .xlsx, .xls or .csv file.")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("upload" + suffix)
        path.write_bytes(content)
        try:
            reading = read_list(path)
        except DataError as exc:
            probs = [p.as_dict() for p in (exc.problems or [])] or [dict(severity="error", message=exc.message)]
            return {"ok": False, "created": [], "problems": [{**p, "file": filename} for p in probs]}
    G = ws.snap().G
    problems: list[Problem] = []
    ours = {h for h in reading.extra_columns if _field(h)}
    for p in reading.problems:
        if p.code == "unknown_column" and p.column in ours:
            continue
        if p.code == "bad_credit_code":  # a lead's firm must not be matched by name when its code is wrong
            p = Problem("error", p.code, p.file, p.sheet, p.row, p.column, p.value,
                        f"'{p.value}' is not a valid unified social credit code.", p.hint)
        problems.append(p)
    bodies = []
    for row in reading.rows:
        cells = {f: (h, v) for h, v in row.extra.items() if (f := _field(h))}
        body: dict = {"firm_name": row.name, "credit_code": row.credit_code, "district": None, "source": "台账 " + filename}
        bad = False

        def fail(column, value, message, hint, row=row):
            nonlocal bad
            bad = True
            problems.append(Problem("error", "bad_value", filename, row.sheet, row.row, column, value, message, hint))
        if row.district:
            body["district"] = row.district
            try:
                ws._district(G, row.district)
            except WorkspaceError:
                fail("所属区县", row.district, f"'{row.district}' is not a district of the graph.",
                     "Write the district's exact name or id (see the overview page).")
        for f, (h, v) in cells.items():
            v = str(v).strip()
            try:
                if f == "stage":
                    body["stage"] = check_stage(v)
                elif f == "due":
                    body["due"] = check_date(v[:10], h)
                elif f == "segment_ids":
                    segs = _segment(G, v)
                    if isinstance(segs, str):
                        fail(h, v, segs + ".", "Write segment ids (PV-CELL) or exact names, separated by ;")
                    else:
                        body["segment_ids"] = segs
                else:
                    body[f] = v
            except WorkspaceError as exc:
                fail(h, v, exc.message, exc.hint or "")
        if not bad:
            bodies.append((row, body))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        return {"ok": False, "created": [], "problems": [p.as_dict() for p in problems]}
    prepared = []
    for row, body in bodies:
        fields = ws.lead_fields(body, actor)
        fields.update(ws.match_firm(None, body["firm_name"], body.get("credit_code")))
        if not fields.get("district"):
            fields["district"] = actor.district
        try:
            ws.in_district(actor, fields["district"])
        except WorkspaceError as exc:
            problems.append(Problem("error", "other_district", filename, row.sheet, row.row, "所属区县",
                                    fields["district"], exc.message, exc.hint))
        fields["owner"] = body.get("owner") or actor.name
        fields["notes"] = body.get("note")
        fields["source"] = body["source"]
        prepared.append(fields)
    if any(p.severity == "error" for p in problems):
        return {"ok": False, "created": [], "problems": [p.as_dict() for p in problems]}
    created = ws.store.new_leads(actor, prepared, reason="台账 " + filename)
    return {"ok": True, "created": created, "problems": [p.as_dict() for p in problems]}
