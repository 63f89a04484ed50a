"""What-if in words: the outcome of :class:`chainkg.analysis.whatif.WhatIf` with names and status words,
and the effect of each prospect landing (docs/analysis.md, "What-if")."""

from __future__ import annotations

from ..analysis.whatif import Outcome, WhatIf, landing_effect
from ..graph_model.vocabulary import CHANGES, EFFECT_SUMMARY, EFFECTS


def outcome_records(w: WhatIf, out: Outcome, lang: str = "zh") -> dict:
    """The outcome with names and status words: ``{changes, segments, key_firms, leaders, effect}``."""
    from ..analysis.views import has_node, name
    from . import labels as L

    G = w.G

    def nm(x: str) -> str:
        return (name(G, x, lang) or x) if has_node(G, x) else (out.names.get(x) or x)
    arrow = lambda b, a: f"{b} → {a}" if b != a else f"{b}"
    st = lambda s: L.pick(L.STATUS[s], lang)
    listed = "、" if lang == "zh" else ", "
    segs = []
    for r in out.segments:
        segs.append({**r, "segment": nm(r["segment_id"]), "chain": nm(r["chain_id"]),
                     "status": arrow(st(r["status_before"]), st(r["status_after"])),
                     "priority": arrow(r["priority_before"], r["priority_after"]),
                     "chokepoint": arrow(len(r["chokepoint_before"]), len(r["chokepoint_after"])),
                     "local_firms": arrow(r["local_firms_before"], r["local_firms_after"])})
    keys = [{**k, "firm": nm(k["firm_id"]), "change_label": L.pick(CHANGES[k["change"]], lang),
             "only_local_firm_of": arrow(listed.join(nm(s) for s in k["only_local_firm_of_before"]) or "—",
                                         listed.join(nm(s) for s in k["only_local_firm_of_after"]) or "—")}
            for k in out.key_firms]
    leaders = [{**x, "chain": nm(x["chain_id"]), "firm": nm(x["firm_id"]),
                "rank": arrow(x["rank_before"] or "—", x["rank_after"] or "—")} for x in out.leaders]
    effect = {k: ([{"segment_id": s, "segment": nm(s)} for s in v] if isinstance(v, list) else v)
              for k, v in out.effect.items()}
    return {"changes": [c.describe(G, lang) for c in out.changes], "segments": segs, "key_firms": keys,
            "leaders": leaders, "effect": effect}


def effect_text(G, effect: dict, lang: str = "zh", names: dict | None = None) -> str:
    """``补上缺口 B；卡点缓解 B`` / ``closes gap B; relieves chokepoint B`` (empty parts left out)."""
    from ..analysis.views import has_node, name

    names = names or {}

    def nm(x: str) -> str:
        return (name(G, x, lang) or x) if has_node(G, x) else (names.get(x) or x)
    words = EFFECTS
    sep, join = ("；", "、") if lang == "zh" else ("; ", ", ")
    parts = [f"{words[k][0 if lang == 'zh' else 1]} {join.join(nm(s) for s in effect[k])}"
             for k in words if effect.get(k)]
    return sep.join(parts) or ("无变化" if lang == "zh" else "no change")


#: the what-if summary line: every kind of effect, the ones that make things worse included
SUMMARY_WORDS = EFFECT_SUMMARY


def summary_text(effect: dict, lang: str = "zh") -> str:
    """The what-if summary line from :func:`outcome_records`' effect (segments as ``{segment_id, segment}``).

    >>> summary_text({"gaps_closed": [{"segment_id": "C", "segment": "电池"}], "chokepoints_added": [
    ...     {"segment_id": "B", "segment": "硅片"}]}, "zh")
    '补上缺口 电池；新增缺口 —；单点加强 —；卡点缓解 —；新增卡点 硅片'
    """
    zh = lang == "zh"
    names = lambda xs: ("、" if zh else ", ").join(x["segment"] for x in xs or ()) or "—"
    return ("；" if zh else "; ").join(
        f"{w[0]} {names(effect.get(k))}" if zh else f"{w[1]}: {names(effect.get(k))}" for k, w in SUMMARY_WORDS.items())


def with_landing_effects(a, rows: list[dict], lang: str = "zh", rank_by: str = "score", engine=None) -> list[dict]:
    """Prospect rows plus ``effect`` (of the firm landing in the row's segment), ``effect_total`` and
    ``effect_text``; ``rank_by="effect"`` orders them by effect total, then score, then gap priority.

    >>> from chainkg.testing import tiny_graph
    >>> from chainkg.analysis import analyze
    >>> G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream"), ("C", "downstream")]},
    ...                feeds=[("A", "B"), ("B", "C")], firms={"F1": (True, ["A"]), "F2": (True, ["C"]), "O": (False, ["B"])})
    >>> r = with_landing_effects(analyze(G), [{"firm_id": "O", "segment_id": "B", "score": 0, "gap_priority": 4}])[0]
    >>> r["effect_total"], r["effect_text"]
    (2, '补上缺口 环节B；卡点缓解 环节B')
    """
    w = engine or WhatIf(a)  # a what-if engine already made for ``a`` (the explorer keeps one per analysis)
    out = []
    for r in rows:
        r = dict(r)
        if r.get("firm_id"):
            eff = landing_effect(w, r["firm_id"], r["segment_id"])
            r.update(effect=eff, effect_total=eff["total"], effect_text=effect_text(a.G, eff, lang))
        else:
            r.update(effect=None, effect_total=None, effect_text=None)
        out.append(r)
    if rank_by == "effect":
        out.sort(key=lambda r: (r["effect_total"] is None, -(r["effect_total"] or 0), -(r.get("score") or 0),
                                -(r.get("gap_priority") or 0)))
    return out
