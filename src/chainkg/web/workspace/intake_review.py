"""Intake review in the browser: the same engine and rules as ``chainkg intake`` (its public
functions: :func:`chainkg.intake.propose.propose`), over the graph in Neo4j with the intake rules of
the dataset the workspace was given (segment terms, industry codes) and the rejections staff made
before (kept in the store, so a rejected segment is never proposed again). Applying writes each
accepted placement (and each new firm) as a staff correction, one transaction with its audit entry
each, and remembers each rejection; the page then says exactly what was written."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ...api.workspace import Actor, Row, WorkspaceError, has_node

SUFFIXES = (".xlsx", ".xls", ".csv")


def intake_dataset(ws):
    """The graph in Neo4j as a Dataset, with the rule tables of ``ws.rules_dataset`` and the store's rejections."""
    from ...api.workspace import load_valid, read_graph_dataset

    ds = read_graph_dataset(ws.store.driver, ws.store.database)
    rules = load_valid(ws.rules_dataset).rules if ws.rules_dataset is not False else {}
    ds.rules = {k: list(v) for k, v in rules.items()}
    ds.rules.setdefault("intake_rejections", [])
    ds.rules["intake_rejections"] += [Row({"firm_name": r["firm_name"], "credit_code": r.get("credit_code"),
                                           "segment_id": r["segment_id"], "date": r.get("date"), "note": r.get("note")})
                                      for r in ws.store.rejections()]
    return ds


def upload(ws, actor: Actor, filename: str, content: bytes) -> str:
    """Propose segments for an uploaded list; the proposals are kept in the store (its id)."""
    from ...api.workspace import propose
    from ...errors import DataError

    ws.need(actor, "editor")
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise WorkspaceError(400, "bad_file", f"{filename}: a list is an .xlsx, .xls or .csv file.")
    ds = intake_dataset(ws)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("list" + suffix)
        path.write_bytes(content)
        try:
            result = propose([path], ds)
        except DataError as exc:
            msg = "; ".join(f"row {p.row}: {p.message}" if p.row else p.message for p in (exc.problems or [])[:20])
            raise WorkspaceError(400, "bad_list", f"{filename}: {exc.message} {msg}".strip()) from None
    firms = []
    for fp in result.firms:
        d = fp.as_dict()
        d["file"] = filename
        firms.append(d)
    problems = [{**p.as_dict(), "file": filename} for p in result.problems]
    return ws.store.save_intake(actor, filename, {"firms": firms, "problems": problems})


def apply(ws, actor: Actor, iid: str, decisions: dict[int, tuple[str, str | None]], reason: str) -> dict:
    """``decisions``: row index -> ("accept", segment) | ("reject", segment) | ("skip", None)."""
    ws.need(actor, "editor")
    rec = ws.store.intake(iid)
    if rec is None:
        raise WorkspaceError(404, "not_found", f"No intake {iid}.")
    if rec["status"] != "open":
        raise WorkspaceError(409, "applied", f"Intake {iid} was applied already.")
    G = ws.snap().G
    firms = rec["payload"]["firms"]
    bad = [f"row {firms[i]['row']}: segment {seg!r} does not exist" for i, (what, seg) in decisions.items()
           if what in ("accept", "reject") and (seg not in G or G.nodes[seg].get("label") != "Segment")]
    if bad:
        raise WorkspaceError(400, "bad_segment", "Nothing was written: " + "; ".join(bad))
    written: list[str] = []
    why = reason or f"intake {rec['file']}"
    try:
        for i, (what, seg) in sorted(decisions.items()):
            f = firms[i]
            if what == "reject":
                ws.store.reject(actor, f["name"], f.get("credit_code"), seg, why)
                written.append(f"rejected {f['name']} → {seg}")
            elif what == "accept":
                firm_id = f["firm_id"]
                if not f["existing"] and not has_node(ws.snap().G, firm_id):
                    ws.correct(actor, {"kind": "add_firm", "name": f["name"], "credit_code": f.get("credit_code"),
                                       "local": f.get("local"), "district": f.get("district_id"), "reason": why})
                    written.append(f"added {f['name']} ({firm_id})")
                ws.correct(actor, {"kind": "place", "firm_id": firm_id, "segment_id": seg, "reason": why})
                written.append(f"placed {f['name']} in {seg}")
    except WorkspaceError as exc:
        raise WorkspaceError(exc.status, exc.code, f"{exc.message} Written before it: "
                             + ("; ".join(written) or "nothing")) from None
    ws.store.close_intake(actor, iid, {"written": written})
    return {"written": written}
