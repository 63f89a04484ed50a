"""A what-if outcome (``chainkg.api.whatif``) as text: the change, its effect, the tables of what changes."""

from __future__ import annotations

from ..findings.labels import headers
from ..findings.whatif import summary_text
from ..graph_model.vocabulary import TITLES, pick
from .tables import render


def whatif_text(rec: dict, fmt: str, lang: str) -> str:
    """The outcome as ``table``, ``md`` or ``json``."""
    if fmt == "json":
        return render([], None, "json", json_payload=rec)
    zh = lang == "zh"
    shown = headers(lang, "whatif")
    head = ("假设：" if zh else "If: ") + ("；" if zh else "; ").join(rec["changes"])
    summary = summary_text(rec["effect"], lang)
    parts = [head + "\n" + summary + "\n\n" if fmt == "table" else f"**{head}**\n\n{summary}\n\n"]
    segs = [{**r, "changed": ("、" if zh else ", ").join(shown.get(c, c) for c in r["changed"])}  # in words
            for r in rec["segments"]]
    parts.append(render(segs, ["chain", "segment", "changed", "status", "priority", "chokepoint", "local_firms"]
                        + (["segment_id"] if fmt == "md" else []), fmt, headers=shown, lang=lang,
                        title=pick(TITLES["whatif_segments"], lang)))
    if rec["key_firms"]:
        parts.append(render(rec["key_firms"], ["firm", "change_label", "only_local_firm_of"], fmt, headers=shown,
                            lang=lang, title=pick(TITLES["whatif_key_firms"], lang)))
    if rec["leaders"]:
        parts.append(render(rec["leaders"], ["chain", "firm", "rank"], fmt, headers=shown, lang=lang,
                            title=pick(TITLES["whatif_leaders"], lang)))
    return "\n".join(parts)
