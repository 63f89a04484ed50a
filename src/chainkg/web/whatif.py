"""What-if in the explorer: each prospect's landing effect, and the what-if page (changes in a GET form,
the difference before → after as ``chainkg whatif`` prints it). Nothing is written: the library's
what-if engine (:func:`chainkg.api.whatif`) works on the snapshot's analysis without touching it.
"""

from __future__ import annotations

from ..analysis.whatif import NEW_PREFIX, Change, WhatIf
from ..findings.whatif import effect_text, outcome_records
from .refs import node_ref
from .urls import url
from .words import number, word

OPS = ("land", "leave", "move")
ROWS = 4  # change rows on the form
MAX_TEXT = 200


def engine(snap, district: str | None = None) -> WhatIf:
    """One what-if engine per analysis (it keeps what every scenario shares)."""
    return snap.cache("whatif").get(("engine", district), lambda: WhatIf(snap.analysis(district)))


def outcome(snap, changes: tuple[Change, ...], district: str | None = None):
    """The outcome of ``changes``, computed once per snapshot (the same in both languages)."""
    return snap.cache("whatif").get(("outcome", district, changes),
                                    lambda: engine(snap, district).run(list(changes)))


def _arrow(before, after) -> str:
    """
    >>> _arrow(2.3333, 4.3333), _arrow(1.0, 1.0)
    ('2.3 → 4.3', '1')
    """
    b, a = number(before, 1), number(after, 1)
    return f"{b} → {a}" if b != a else b


def _compact(rec: dict, lang: str) -> dict:
    """The outcome in a few lines for a table cell: segments (status, priority, chokepoint), 链主 ranks."""
    sep = "；" if lang == "zh" else "; "
    segs = []
    for r in rec["segments"]:
        bits = [f"{word('status_label', lang)} {r['status']}"] if "status" in r["changed"] else []
        if "priority" in r["changed"]:
            bits.append(f"{word('priority', lang)} {_arrow(r['priority_before'], r['priority_after'])}")
        if "chokepoint" in r["changed"]:
            bits.append(f"{word('chokepoint', lang)} {r['chokepoint']}")
        if "local_firms" in r["changed"]:
            bits.append(f"{word('local_firms', lang)} {r['local_firms']}")
        segs.append(f"{r['segment']}{'：' if lang == 'zh' else ': '}{sep.join(bits)}")
    leaders = [f"{x['firm']} {x['rank']}" for x in rec["leaders"]]
    return {"segments": segs, "leaders": leaders}


def with_landing(snap, rows: list[dict], lang: str, district: str | None = None) -> list[dict]:
    """Prospect rows plus ``landing``: what changes if the row's firm lands in its segment (before → after)
    and the what-if page's address for it."""
    out = []
    for r in rows:
        r = dict(r)
        if r.get("firm_id"):
            change = Change("add_firm", firm=r["firm_id"], segment=r["segment_id"])
            o = outcome(snap, (change,), district)
            rec = outcome_records(engine(snap, district), o, lang)
            r["landing"] = {"effect": o.effect, "effect_text": effect_text(snap.G, o.effect, lang, o.names),
                            **_compact(rec, lang),
                            "href": url("whatif", lang=lang, op1="land", firm1=r["firm_id"], segment1=r["segment_id"])}
        out.append(r)
    return out


# -- the what-if page ---------------------------------------------------------------------------------

def _firm_of(snap, text: str) -> list:
    """Firms whose id, or exact Chinese or English name, is ``text``."""
    nb = snap.nb
    if nb.has(text) and nb.label(text) == "Firm":
        return [text]
    from .search import SEARCH_LABELS, name_list

    folded = text.casefold()
    firm = SEARCH_LABELS.index("Firm")
    names = snap.page(("names",), lambda: name_list(snap.G))
    return [row[0] for row in names if row[1] == firm and folded in row[2][:2]]  # (id, rank, names, …)


def form_rows(params) -> list[dict]:
    """The form's change rows as given: ``op1``/``firm1``/``segment1``/``district1`` … (text cut at 200)."""
    rows = []
    for i in range(1, ROWS + 1):
        get = lambda k: (params.get(f"{k}{i}") or "").strip()[:MAX_TEXT]  # noqa: B023
        rows.append({"i": i, "op": get("op") if get("op") in OPS else "land", "firm": get("firm"),
                     "segment": get("segment"), "district": get("district")})
    return rows


def changes_of(snap, rows: list[dict], lang: str) -> tuple[list[Change], list[str]]:
    """The rows with a firm as :class:`Change` objects, and every problem in words (row by row)."""
    zh = lang == "zh"
    changes, problems = [], []
    nb = snap.nb
    for r in rows:
        if not r["firm"]:
            continue
        where = f"第 {r['i']} 行" if zh else f"row {r['i']}"
        firms = _firm_of(snap, r["firm"])
        if len(firms) > 1:
            problems.append(f"{where}：有 {len(firms)} 家企业叫“{r['firm']}”，请填企业编号（{'、'.join(firms[:5])}）" if zh else
                            f"{where}: {len(firms)} firms are called “{r['firm']}”; give the firm's id ({', '.join(firms[:5])})")
            continue
        seg_ok = bool(r["segment"]) and nb.has(r["segment"]) and nb.label(r["segment"]) == "Segment"
        if r["op"] in ("land", "move") and not seg_ok:
            problems.append(f"{where}：请选择环节" if zh else f"{where}: choose a segment")
            continue
        if r["op"] in ("leave", "move") and not firms:
            problems.append(f"{where}：没有编号或名称为“{r['firm']}”的企业" if zh else
                            f"{where}: no firm has the id or name “{r['firm']}”")
            continue
        if r["op"] == "land":
            dist = r["district"] or None
            if dist is not None and not (nb.has(dist) and nb.label(dist) == "District"):
                problems.append(f"{where}：没有这个区县" if zh else f"{where}: no such district")
                continue
            changes.append(Change("add_firm", firm=firms[0] if firms else NEW_PREFIX + r["firm"], segment=r["segment"],
                                  district=dist))
        elif r["op"] == "leave":
            changes.append(Change("remove_firm", firm=firms[0]))
        else:
            changes.append(Change("move_firm", firm=firms[0], segment=r["segment"]))
    return changes, problems


def page(ex, snap, params, lang: str) -> dict:
    """The what-if page: the form (its rows as given, the segments and districts to choose from) and,
    when the rows hold changes, the outcome or the problems."""
    G, nb = snap.G, snap.nb
    rows = form_rows(params)
    changes, problems = changes_of(snap, rows, lang)
    result = None
    if changes and not problems:
        o = outcome(snap, tuple(changes))
        rec = outcome_records(engine(snap), o, lang)
        result = {**rec, "effect_text": effect_text(G, o.effect, lang, o.names),
                  "segments": [{**r, "priority": _arrow(r["priority_before"], r["priority_after"]),
                                "segment_ref": node_ref(G, r["segment_id"], lang),
                                "chain_ref": node_ref(G, r["chain_id"], lang),
                                "changed_words": [word({"status": "status_label"}.get(k, k), lang) for k in r["changed"]]}
                               for r in rec["segments"]],
                  "leaders": [{**x, "firm_ref": node_ref(G, x["firm_id"], lang) if nb.has(x["firm_id"]) else None}
                              for x in rec["leaders"]]}
    a = snap.analysis()
    segments = [{"id": s, "name": f"{node_ref(G, a.view.chain_of[s], lang)['name']} · {node_ref(G, s, lang)['name']}"}
                for c in a.view.segments_of for s in a.view.segments_of[c]]
    from ..analysis.views import nodes_by_label

    return {"rows": rows, "problems": problems, "result": result, "segments": segments,
            "districts": [node_ref(G, d, lang) for d in nodes_by_label(G, "District")],
            "asked": bool(any(r["firm"] for r in rows))}
