"""红绿黄灯 in the explorer: the tech items with their light and reasons (docs/monitor.md), filtered by
chain, district and light, and the badge each chain map box gets from the items serving it.

Leads may be firms, which the graph keeps in its firm table: the findings read them from there, so the shared graph stays as
every other page reads it.
"""

from __future__ import annotations

import datetime as dt

from ..analysis.lights import monitor_records, worst
from ..analysis.views import nodes_by_label
from .refs import node_ref

LIGHTS = ("red", "yellow", "green", "none")


def _graph(snap):
    """The graph the lights read: the snapshot's (the findings read its firms from the firm table)."""
    return snap.analysis().G


def records(snap, lang: str, as_of: dt.date | None = None, *, chain: str | None = None,
            district: str | None = None) -> list[dict]:
    """:func:`chainkg.analysis.lights.monitor_records` of the snapshot, computed once per day and filter."""
    as_of = as_of or dt.date.today()
    return snap.page(("lights", lang, as_of, chain, district),
                     lambda: monitor_records(_graph(snap), as_of, lang=lang, chain=chain, district=district))


def segment_badges(snap, chain: str, lang: str) -> dict[str, tuple[str, str]]:
    """Segment -> (worst light of the items serving it, a tooltip naming them), for the chain map."""
    by_seg: dict[str, list[dict]] = {}
    for r in records(snap, lang, chain=chain):
        if r["light"] and r["serves_id"] and r["serves_id"] != r["chain_id"]:
            by_seg.setdefault(r["serves_id"], []).append(r)
    sep, colon = ("；", "：") if lang == "zh" else ("; ", ": ")
    return {s: (worst(r["light"] for r in rs) or "none", sep.join(f"{r['item']}{colon}{r['light_label']}" for r in rs))
            for s, rs in by_seg.items()}


def page(snap, params, lang: str) -> dict:
    """The lights page: filters as given (unknown values ignored, said so) and the matching items."""
    from .refs import NotFound

    G, nb = snap.G, snap.nb
    chain = params.get("chain") or None
    district = params.get("district") or None
    light = params.get("light") or None
    for value, label in ((chain, "Chain"), (district, "District")):
        if value is not None and not (nb.has(value) and nb.label(value) == label):
            raise NotFound(f"{label} {value}")
    if light is not None and light not in LIGHTS:
        light = None
    try:  # ?as_of=YYYY-MM-DD: the lights as they stood on that day (else today)
        as_of = dt.date.fromisoformat(params.get("as_of") or "")
    except ValueError:
        as_of = dt.date.today()
    rows = records(snap, lang, as_of, chain=chain, district=district)
    counts = {lv: sum(1 for r in rows if (r["light"] or "none") == lv) for lv in LIGHTS}
    if light is not None:
        rows = [r for r in rows if (r["light"] or "none") == light]
    a = snap.analysis()
    return {"rows": [{**r, "light_key": r["light"] or "none",
                       "serves_ref": node_ref(G, r["serves_id"], lang) if r["serves_id"] else None,
                       "chain_ref": node_ref(G, r["chain_id"], lang) if r["chain_id"] else None,
                       "lead_ref": node_ref(G, r["lead_id"], lang) if r["lead_id"] and nb.has(r["lead_id"]) else None}
                      for r in rows],
            "counts": counts, "chain": chain, "district": district, "light": light,
            "as_of": as_of.isoformat(),
            "chains": [node_ref(G, c, lang) for c in a.view.segments_of],
            "districts": [node_ref(G, d, lang) for d in nodes_by_label(G, "District")]}
