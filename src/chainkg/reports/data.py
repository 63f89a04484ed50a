"""The content of a report, as plain data: what the terminal, Markdown, JSON, HTML and XLSX show."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from ..analysis import Analysis
from ..analysis import basis as B
from ..analysis.firms import key_firms
from ..analysis.views import in_by_type, local_firms, name, nodes_by_label
from ..findings import chain_key_firms, chokepoint_records, gap_records, leader_records, prospect_records, tier_records
from ..findings import labels as L
from ..findings.wording import coverage_text
from ..graph_model.firm_table import node_attrs
from ..graph_model.vocabulary import GAPS, status_colour
from .chain_map import chain_map_svg

HTML_LEADERS = 20  # per chain, in the HTML (the workbook has every row up to REPORT_FIRMS)
HTML_PROSPECTS = 5  # per gap segment, in the HTML
#: per chain, the 链主 candidates and key firms the report lists (every format); past it the report says how
#: many there are and which command lists them all (at a million firms a chain has ~50,000 candidates)
REPORT_FIRMS = 500


def build_report(a: Analysis, *, dataset: str, lang: str = "zh", top: int = 15, with_maps: bool = True,
                 changes: list[dict] | None = None, as_of: dt.date | None = None, chain: str | None = None) -> dict:
    """``changes``: :func:`chainkg.findings.change_records` of this analysis against the confirmed-only one;
    ``as_of``: the date the 红绿黄灯 of the tech items are judged at (default today); ``chain`` (an id):
    the report of that chain only (its sections, counts, top gaps, tiers, lights and changes)."""
    G = a.G
    monitor = _monitor(G, as_of or dt.date.today(), lang)
    if chain:
        items = [t for t in monitor["items"] if t["chain_id"] == chain]
        monitor = {**monitor, "items": items, "counts": {lv or "none": sum(1 for r in items if r["light"] == lv)
                                                         for lv in ("red", "yellow", "green", None)}}
        changes = [x for x in changes or [] if x.get("chain_id") == chain]
    gaps = gap_records(a, lang, chain)
    by_chain: dict[str, list[dict]] = {}
    for r in gaps:
        by_chain.setdefault(r["chain_id"], []).append(r)
    prospects = prospect_records(a, lang, chain)
    choke = chokepoint_records(a, lang, chain)
    keys = chain_key_firms(a, lang, [chain] if chain else None, limit=REPORT_FIRMS)
    leaders = leader_records(a, lang, chain, top=REPORT_FIRMS)
    only_of = {r["firm_id"]: r["only_local_firm_of"] for r in key_firms(G, a.view, a.supplier_ranks)
               } if leaders else {}
    cut: list[dict] = []
    sources = [{"id": s, **{k: G.nodes[s].get(k) for k in ("title", "url", "publisher", "date", "reliability")}}
               for s in nodes_by_label(G, "Source")]
    dates = [s["date"] for s in sources if s.get("date")]
    chains = []
    for c, segs in a.view.segments_of.items():
        if chain and c != chain:
            continue
        rows = by_chain.get(c, [])
        seg_ids = set(segs)
        chain_leaders = [{**r, "only_local_firm_of": [name(G, s, lang) for s in only_of.get(r["firm_id"], []) if s in seg_ids]}
                         for r in leaders if r["chain_id"] == c]
        for table, n_shown, total in (("leaders", len(chain_leaders), len(a.view.local_firms_of_chain(c))),
                                      ("key_firms", len(keys.rows[c]), keys.totals[c])):
            if total > n_shown:
                cut.append(cut_note(table, c, name(G, c, lang), n_shown, total, lang))
        chain_prospects = [p for p in prospects if p["chain_id"] == c]
        shown: dict[str, int] = {}
        prospects_top = []
        for p in chain_prospects:
            if shown.get(p["segment_id"], 0) < HTML_PROSPECTS:
                prospects_top.append(p)
                shown[p["segment_id"]] = shown.get(p["segment_id"], 0) + 1
        counts = {st: sum(1 for r in rows if r["status"] == st) for st in L.STATUS}
        cov = a.coverage[c]
        section: dict[str, Any] = {
            "chain_id": c, "chain": name(G, c, lang),
            "cluster_id": a.view.cluster_of.get(c),
            "cluster": name(G, a.view.cluster_of[c], lang) if a.view.cluster_of.get(c) else None,
            "segments": len(segs), "status_counts": counts, "coverage": cov,
            "gaps": sorted(rows, key=lambda r: r["rank"]),
            "prospects": chain_prospects, "prospects_top": prospects_top,
            "prospects_hidden": len(chain_prospects) - len(prospects_top),
            "chokepoints": [p for p in choke if p["chain_id"] == c],
            # by id: segment names repeat across chains ("System integration", "Cells")
            "key_firms": keys.rows[c],
            "link_unknown": [{"firm_id": f, "firm": name(G, f, lang), "local": node_attrs(G, f).get("local") is True,
                              **B.basis(G, B.membership_support(G, a.view, c, f), lang)}
                             for f in a.view.link_unknown(c, local=False)],
            "cluster_mapping": B.basis(G, [B.rel("HAS_CHAIN", a.view.cluster_of[c], c)] if a.view.cluster_of.get(c)
                                       else [], lang),
            "coverage_text": coverage_text(cov, lang),
            "coverage_basis": B.basis(G, a.coverage_supports[c], lang),
            "leaders": chain_leaders, "leaders_top": chain_leaders[:HTML_LEADERS],
            "labs": backers(G, "SUPPORTS", [c, *segs], "Lab", lang),
            "funds": backers(G, "FOCUSES_ON", [c], "Fund", lang),
            "colours": {r["segment_id"]: status_colour(r["status"]) for r in rows},
        }
        section["tech"] = [t for t in monitor["items"] if t["chain_id"] == c]
        if with_maps:
            section["map_svg"] = chain_map_svg(G, c, segs, {s: a.statuses[s].status for s in segs},
                                               {s: a.statuses[s].local_firms for s in segs}, lang,
                                               basis={r["segment_id"]: r for r in rows},
                                               link_unknown=[x["firm"] for x in section["link_unknown"] if x["local"]],
                                               lights=_segment_lights(section["tech"], lang))
        chains.append(section)
    clusters = [{"cluster_id": cl, "cluster": name(G, cl, lang),
                 "chains": [s["chain"] for s in chains if s["cluster_id"] == cl]}
                for cl in nodes_by_label(G, "Cluster") if not chain or any(s["cluster_id"] == cl for s in chains)]
    scope = f"{dataset} · {name(G, chain, lang)}" if chain else dataset
    if chain:
        tiers = [r for r in tier_records(a, lang, chain, scopes=("chain",)) if r["scope_id"] == chain]
    else:
        tiers = tier_records(a, lang, scopes=("city",))
    if cut:  # the leader rows say which firms are key firms, the cut key-firm lists no longer can
        for section in chains:
            for r in section["leaders"]:
                r["key_firm"] = r["firm_id"] in keys.firms
    return {
        "title": f"{scope} 产业链分析报告" if lang == "zh" else f"{scope}: industry-chain report",
        "dataset": dataset, "chain": chain, "lang": lang, "generated": dt.date.today().isoformat(),
        "data_as_of": max(dates) if dates else None, "district": a.district,
        "counts": {label: len(nodes_by_label(G, label)) for label in ("Cluster", "Chain", "Segment", "Firm", "Lab",
                                                                       "Fund", "Project", "Source")},
        "local_firms": len(a.view.local_firms_of_chain(chain) if chain else local_firms(G, a.district)),
        "status_counts": {st: sum(1 for r in gaps if r["status"] == st) for st in L.STATUS},
        "basis_counts": {b: sum(1 for r in gaps if r["basis"] == b) for b in (B.CONFIRMED, B.INFERRED)},
        "confirmed_only": a.confirmed_only, "changes": changes or [], "top": top,
        "clusters": clusters, "chains": chains,
        "top_gaps": [r for r in gaps if r["status"] in GAPS][:top],
        "tiers": tiers,
        "supplies_data": a.supplier_ranks.supplies_data,
        "sources": sources,
        "monitor": monitor,
        **({"cut": cut} if cut else {}),
    }


def cut_note(table: str, chain_id: str, chain: str, shown: int, total: int, lang: str) -> dict:
    """What a report says of a table it lists only the first rows of: how many, and how to get them all.

    >>> cut_note("leaders", "IC", "集成电路", 500, 1234, "en")["text"]
    '集成电路: chain-leader candidates: the first 500 of 1,234 shown; all of them: chainkg centrality --leaders --chain IC --format csv -o leaders.csv (with the data options of this report)'
    """
    zh = lang == "zh"
    if table == "leaders":
        what = "链主候选" if zh else "chain-leader candidates"
        cmd = f"chainkg centrality --leaders --chain {chain_id} --format csv -o leaders.csv"
    else:
        what = "关键企业" if zh else "key firms"
        cmd = f"chainkg centrality --chain {chain_id} --format csv -o firms.csv"
    text = (f"{chain}：{what}只列出前 {shown:,} 家（共 {total:,} 家）；全部：{cmd}（加上本报告所用的数据选项）" if zh else
            f"{chain}: {what}: the first {shown:,} of {total:,} shown; all of them: {cmd} (with the data options of "
            "this report)")
    if table != "leaders":
        text += ("，“关键企业”一列标明哪些是" if zh else "; its key-firm column says which")
    return {"table": table, "chain_id": chain_id, "chain": chain, "shown": shown, "total": total, "command": cmd,
            "text": text}


def _monitor(G, as_of: dt.date, lang: str) -> dict:
    """The 红绿黄灯 of every tech item (docs/monitor.md), worst first, with counts."""
    from ..analysis.lights import monitor_records

    items = monitor_records(G, as_of, lang=lang)
    counts = {lv or "none": sum(1 for r in items if r["light"] == lv) for lv in ("red", "yellow", "green", None)}
    return {"as_of": as_of.isoformat(), "items": items, "counts": counts}


def _segment_lights(items: list[dict], lang: str) -> dict[str, tuple[str, str]]:
    """Segment -> (worst light of the items serving it, tooltip naming them) for the chain map badge."""
    from ..analysis.lights import worst

    by_seg: dict[str, list[dict]] = {}
    for t in items:
        if t["light"] and t["serves_id"] != t["chain_id"]:
            by_seg.setdefault(t["serves_id"], []).append(t)
    sep = "；" if lang == "zh" else "; "
    # every item here has a light, so the worst is one
    return {s: (cast(str, worst(t["light"] for t in ts)), sep.join(f"{t['item']}：{t['light_label']}" if lang == "zh" else
                                                        f"{t['item']}: {t['light_label']}" for t in ts))
            for s, ts in by_seg.items()}


def backers(G, rel: str, targets: list[str], label: str, lang: str) -> list[dict]:
    """Labs (SUPPORTS) or funds (FOCUSES_ON) behind ``targets``, each with the targets it backs."""
    found: dict[str, list[str]] = {}
    for t in targets:
        for u in in_by_type(G, t, rel):
            if G.nodes[u].get("label") == label:
                found.setdefault(u, []).append(name(G, t, lang))
    return [{"id": u, "name": name(G, u, lang), "backs": backs, "source_id": G.nodes[u].get("source_id"),
             "size_100m_cny": G.nodes[u].get("size_100m_cny"), "level": G.nodes[u].get("level")}
            for u, backs in found.items()]
