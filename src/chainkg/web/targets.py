"""Targets and indicators: the city's targets (revenue tiers, chains over an invoiced-sales line) and its
reported figures (工业开票销售 …) against what the data proves, with server-side SVG charts.

Unknown stays unknown: a firm without revenue on record is counted apart, never as below a line;
a chain without an invoiced-sales figure is unknown, not zero. Every number carries its source.
"""

from __future__ import annotations

from html import escape

from ..analysis.views import name, nodes_by_label
from ..findings import tier_records
from .refs import node_ref, sources
from .words import word

#: words of the metric codes the city reports (an undeclared code is shown by its source's title in
#: Chinese and by its words in English)
METRIC_WORDS = {
    "industrial_invoiced_sales": ("工业开票销售", "industrial invoiced sales"),
    "industrial_invoiced_sales_at_least": ("工业开票销售（不低于）", "industrial invoiced sales (at least)"),
    "industrial_invoiced_sales_target_at_least": ("工业开票销售目标（不低于）", "industrial invoiced sales target (at least)"),
    "chains_over_100_yi_yuan": ("开票销售超百亿元的产业链", "chains with invoiced sales over 10 bn CNY"),
    "firms_invoiced_sales_over": ("开票销售达到门槛的企业", "firms with invoiced sales over the threshold"),
    "chains_invoiced_sales_over": ("开票销售达到门槛的产业链", "chains with invoiced sales over the threshold"),
    "invoiced_sales": ("开票销售", "invoiced sales"),
    "invoiced_sales_expected_at_least": ("预计开票销售（不低于）", "expected invoiced sales (at least)"),
    "firms_reported": ("资料报告的企业数", "firms reported"),
    "firms_reported_at_least": ("资料报告的企业数（不低于）", "firms reported (at least)"),
    "output_target": ("产值目标", "output target"),
}
UNITS_EN = {"亿元": "100M CNY", "家": "firms", "条": "chains", "个": "", "座": "", "支": "funds", "%": "%",
            "万载重吨": "10k DWT", "EFLOPS": "EFLOPS"}
SALES = ("industrial_invoiced_sales", "industrial_invoiced_sales_at_least", "industrial_invoiced_sales_target_at_least")
CHAIN_SALES = ("invoiced_sales",)


def metric_word(G, d: dict, lang: str) -> str:
    code = str(d.get("metric") or "")
    if code in METRIC_WORDS:
        return METRIC_WORDS[code][0 if lang == "zh" else 1]
    if lang == "en":
        return code.replace("_", " ")
    src = d.get("source_id")
    title = G.nodes[src].get("title") if src and src in G else None
    return f"指标（见来源：{title}）" if title else "指标"


def unit_word(unit, lang: str) -> str:
    if not unit:
        return ""
    return str(unit) if lang == "zh" else UNITS_EN.get(str(unit), str(unit))


def _fmt(x) -> str:
    """
    >>> _fmt(9124.0), _fmt(98.5), _fmt(None)
    ('9,124', '98.5', '')
    """
    if x is None:
        return ""
    x = float(x)
    return f"{x:,.0f}" if x.is_integer() else f"{x:,.1f}"


def tier_chart(rows: list[dict], lang: str) -> str:
    """Horizontal bars, one per revenue threshold: firms known to reach it (solid), firms whose revenue is
    unknown (hatched, "unknown": they may or may not reach it) and the target (a marked line)."""
    W, left, bar_h, gap, top = 640, 150, 22, 14, 26
    biggest = max([1] + [r["firms"] + r["unknown_revenue"] for r in rows] + [r["target"] or 0 for r in rows])
    scale = (W - left - 80) / biggest
    h = top + len(rows) * (bar_h + gap) + 30
    zh = lang == "zh"
    out = [f'<svg class="chart tiers-chart" role="img" xmlns="http://www.w3.org/2000/svg" width="{W}" height="{h}" '
           f'viewBox="0 0 {W} {h}" font-family="Noto Sans CJK SC, sans-serif" font-size="12">',
           '<defs><pattern id="unknown-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><rect width="6" height="6" fill="#eeeeee"/>'
           '<line x1="0" y1="0" x2="0" y2="6" stroke="#9e9e9e" stroke-width="2"/></pattern></defs>',
           f'<title>{escape(word("tiers", lang))}</title>']
    legend = [("#1565c0", word("firms_at", lang)), ("url(#unknown-hatch)", word("unknown", lang)),
              ("#d84315", word("target", lang))]
    x = left
    for fill, text in legend:
        out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{fill}" stroke="#616161" stroke-width="0.5"/>'
                   f'<text x="{x + 16}" y="16">{escape(text)}</text>')
        x += 30 + 12 * len(text) if zh else 30 + 7 * len(text)
    for i, r in enumerate(rows):
        y = top + i * (bar_h + gap)
        label = f"≥ {_fmt(r['threshold'])} 亿元" if zh else f"≥ {_fmt(r['threshold'])} (100M CNY)"
        known_w, unk_w = r["firms"] * scale, r["unknown_revenue"] * scale
        out.append(f'<g class="tier" data-threshold="{escape(str(r["threshold"]))}" data-known="{r["firms"]}" '
                   f'data-unknown="{r["unknown_revenue"]}" data-target="{r["target"] if r["target"] is not None else ""}">')
        out.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        out.append(f'<rect class="known" x="{left}" y="{y}" width="{known_w:.1f}" height="{bar_h}" fill="#1565c0"/>')
        if unk_w:
            out.append(f'<rect class="unknown" x="{left + known_w:.1f}" y="{y}" width="{unk_w:.1f}" height="{bar_h}" '
                       'fill="url(#unknown-hatch)" stroke="#9e9e9e" stroke-width="0.5"/>')
        out.append(f'<text x="{left + known_w + unk_w + 6:.1f}" y="{y + 15}">{r["firms"]}'
                   + (f' + {r["unknown_revenue"]} {escape(word("unknown", lang))}' if r["unknown_revenue"] else "")
                   + "</text>")
        if r["target"] is not None:
            tx = left + r["target"] * scale
            out.append(f'<line class="target" x1="{tx:.1f}" y1="{y - 4}" x2="{tx:.1f}" y2="{y + bar_h + 4}" '
                       f'stroke="#d84315" stroke-width="3"><title>{escape(word("target", lang))} {r["target"]}</title></line>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def series_chart(points: list[dict], lang: str, unit: str) -> str:
    """Vertical bars of a figure by year (``≥`` marks an "at least" figure; a target bar is outlined)."""
    W, H, left, bottom, top = 640, 240, 60, 40, 20
    if not points:
        return ""
    biggest = max(p["value"] for p in points) or 1
    step = (W - left - 20) / len(points)
    bw = min(60, step * 0.6)
    out = [f'<svg class="chart sales-chart" role="img" xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'viewBox="0 0 {W} {H}" font-family="Noto Sans CJK SC, sans-serif" font-size="12">',
           f'<title>{escape(METRIC_WORDS["industrial_invoiced_sales"][0 if lang == "zh" else 1])}</title>',
           f'<line x1="{left}" y1="{H - bottom}" x2="{W - 10}" y2="{H - bottom}" stroke="#616161"/>']
    for i, p in enumerate(points):
        hgt = (H - bottom - top) * p["value"] / biggest
        x = left + i * step + (step - bw) / 2
        y = H - bottom - hgt
        target = p["kind"] == "target"
        fill = "none" if target else "#2e7d32"
        dash = ' stroke-dasharray="5 3"' if target else ""
        out.append(f'<g class="point" data-period="{escape(str(p["period"]))}" data-value="{p["value"]}" '
                   f'data-kind="{p["kind"]}"><rect x="{x:.1f}" y="{y:.1f}" width="{bw:.1f}" height="{hgt:.1f}" '
                   f'fill="{fill}" stroke="{"#d84315" if target else "#1b5e20"}" stroke-width="{2 if target else 1}"'
                   f'{dash}/>'
                   f'<text x="{x + bw / 2:.1f}" y="{y - 5:.1f}" text-anchor="middle">'
                   f'{"≥ " if p["kind"] in ("at_least", "target") else ""}{_fmt(p["value"])}</text>'
                   f'<text x="{x + bw / 2:.1f}" y="{H - bottom + 16}" text-anchor="middle">{escape(str(p["period"]))}'
                   f'{escape(" " + word("target", lang)) if target else ""}</text></g>')
    out.append(f'<text x="8" y="{top}" fill="#616161">{escape(unit)}</text></svg>')
    return "\n".join(out)


def page(snap, lang: str) -> dict:
    def build():
        G, a = snap.G, snap.analysis()
        tiers = [r for r in tier_records(a, lang) if r["scope"] == "city"]
        metrics = [dict(G.nodes[m], id=m) for m in nodes_by_label(G, "Metric")]
        targets = [dict(G.nodes[t], id=t) for t in nodes_by_label(G, "Target")]
        sales = sorted((m for m in metrics if m.get("scope") == "city" and m.get("metric") in SALES),
                       key=lambda m: (str(m.get("period") or ""), SALES.index(m["metric"])))
        points = [{"period": m.get("period") or word("unknown", lang), "value": float(m["value"]),
                   "kind": "target" if m["metric"].endswith("target_at_least") else
                   "at_least" if m["metric"].endswith("at_least") else "value", "id": m["id"]}
                  for m in sales if m.get("value") is not None]
        chain_rows = []
        for c in a.view.segments_of:
            figs = sorted((m for m in metrics if m.get("scope") == "chain" and m.get("scope_id") == c
                           and m.get("metric") in CHAIN_SALES and m.get("value") is not None),
                          key=lambda m: str(m.get("period") or ""))
            latest = figs[-1] if figs else None
            chain_rows.append({**node_ref(G, c, lang), "value": latest["value"] if latest else None,
                               "period": latest.get("period") if latest else None,
                               "source_id": latest.get("source_id") if latest else None})
        other_targets = []
        for t in targets:
            if str(t.get("metric", "")).startswith("firms_"):
                continue  # the tiers above
            row = {"id": t["id"], "metric": metric_word(G, t, lang), "threshold": t.get("threshold"),
                   "count": t.get("count"), "year": t.get("year"), "source_id": t.get("source_id")}
            if t.get("metric") == "chains_invoiced_sales_over" and t.get("threshold") is not None:
                known = [r for r in chain_rows if r["value"] is not None]
                row["proved"] = sum(1 for r in known if r["value"] >= float(t["threshold"]))
                row["unknown"] = len(chain_rows) - len(known)
                row["met"] = row["proved"] >= (t.get("count") or 0) if t.get("count") is not None else None
            else:
                row["proved"], row["unknown"], row["met"] = None, None, None
            other_targets.append(row)
        scope_name = {"city": word("city", lang)}
        table = [{"id": m["id"], "scope": scope_name.get(m.get("scope"), "") if m.get("scope") == "city"
                  else name(G, m["scope_id"], lang) if m.get("scope_id") in G else (m.get("scope_id") or ""),
                  "metric": metric_word(G, m, lang), "value": _fmt(m.get("value")),
                  "unit": unit_word(m.get("unit"), lang), "period": m.get("period") or "",
                  "basis": "inferred" if m.get("derived") or m.get("confidence") == "inferred" else "confirmed",
                  "source_id": m.get("source_id")} for m in metrics]
        unit = unit_word("亿元", lang)
        return {"tiers": tiers, "tier_chart": tier_chart(tiers, lang), "sales": points,
                "sales_chart": series_chart(points, lang, unit), "chains": chain_rows, "targets": other_targets,
                "metrics": table,
                "sources": sources(G, [m.get("source_id") for m in metrics] + [t.get("source_id") for t in targets])}
    return snap.page(("targets", lang), build)
