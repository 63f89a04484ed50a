"""A what-if outcome (``chainkg.api.whatif``) as text: the change, its effect, the tables of what changes."""

from __future__ import annotations

from ..findings.labels import headers
from .tables import render


def effect_line(effect: dict, lang: str) -> str:
    """The summary line of a what-if: gaps closed and opened, single points strengthened, chokepoints relieved.

    >>> effect_line({"gaps_closed": [{"segment": "甲"}], "gaps_opened": [], "singles_strengthened": [],
    ...              "chokepoints_relieved": [{"segment": "乙"}, {"segment": "丙"}]}, "zh")
    '补上缺口 甲；新增缺口 —；单点加强 —；卡点缓解 乙、丙'
    """
    sep = "、" if lang == "zh" else ", "
    names = {k: sep.join(x["segment"] for x in effect.get(k) or []) or "—"
             for k in ("gaps_closed", "gaps_opened", "singles_strengthened", "chokepoints_relieved")}
    if lang == "zh":
        return (f"补上缺口 {names['gaps_closed']}；新增缺口 {names['gaps_opened']}；"
                f"单点加强 {names['singles_strengthened']}；卡点缓解 {names['chokepoints_relieved']}")
    return (f"gaps closed: {names['gaps_closed']}; gaps opened: {names['gaps_opened']}; "
            f"single points strengthened: {names['singles_strengthened']}; chokepoints relieved: "
            f"{names['chokepoints_relieved']}")


def whatif_text(rec: dict, fmt: str, lang: str) -> str:
    """The outcome as ``table``, ``md`` or ``json``."""
    if fmt == "json":
        return render([], None, "json", json_payload=rec)
    zh = lang == "zh"
    shown = headers(lang, "whatif")
    head = ("假设：" if zh else "If: ") + ("；" if zh else "; ").join(rec["changes"])
    summary = effect_line(rec["effect"], lang)
    parts = [head + "\n" + summary + "\n\n" if fmt == "table" else f"**{head}**\n\n{summary}\n\n"]
    segs = [{**r, "changed": ", ".join(r["changed"])} for r in rec["segments"]]
    parts.append(render(segs, ["chain", "segment", "changed", "status", "priority", "chokepoint", "local_firms"]
                        + (["segment_id"] if fmt == "md" else []), fmt, headers=shown, lang=lang,
                        title="环节变化" if zh else "Segments that change"))
    if rec["key_firms"]:
        parts.append(render(rec["key_firms"], ["firm", "change_label", "only_local_firm_of"], fmt, headers=shown,
                            lang=lang, title="关键企业变化" if zh else "Key firms that change"))
    if rec["leaders"]:
        parts.append(render(rec["leaders"], ["chain", "firm", "rank"], fmt, headers=shown, lang=lang,
                            title="链主候选变化" if zh else "chain-leader candidates whose rank changes"))
    return "\n".join(parts)
