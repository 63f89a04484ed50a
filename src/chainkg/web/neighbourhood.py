"""A firm's supply neighbourhood (two hops of SUPPLIES each way) as a small inline SVG.

Columns left to right: suppliers two steps away, direct suppliers, the firm, direct customers,
customers two steps away. Every name is escaped; each box links to its firm page.
"""

from __future__ import annotations

from html import escape

BOX_W, BOX_H, COL_GAP, ROW_GAP, PAD = 150, 30, 46, 10, 12
PER_COLUMN = 10


def _short(text: str, n: int = 11) -> str:
    """
    >>> _short("扬州晶澳太阳能科技有限公司", 6)
    '扬州晶澳太…'
    """
    return text if len(text) <= n else text[:n - 1] + "…"


def neighbourhood_svg(centre: dict, suppliers: list[dict], customers: list[dict], href, more_word: str = "+{n}") -> str:
    """``centre`` and the rows ``{"id", "name", "hop", "via", "local"}`` of suppliers and customers."""
    cols: dict[int, list[dict]] = {-2: [], -1: [], 0: [centre], 1: [], 2: []}
    for r in suppliers:
        cols[-r["hop"]].append(r)
    for r in customers:
        cols[r["hop"]].append(r)
    hidden = {c: max(0, len(v) - PER_COLUMN) for c, v in cols.items()}
    shown = {c: v[:PER_COLUMN] for c, v in cols.items()}
    used = [c for c in (-2, -1, 0, 1, 2) if shown[c]]
    x_of = {c: PAD + i * (BOX_W + COL_GAP) for i, c in enumerate(used)}
    rows = max(len(v) + (1 if hidden[c] else 0) for c, v in shown.items())
    height = PAD * 2 + rows * (BOX_H + ROW_GAP)
    width = PAD * 2 + len(used) * BOX_W + (len(used) - 1) * COL_GAP
    pos: dict[tuple[int, str], tuple[float, float]] = {}
    for c in used:
        top = (height - len(shown[c]) * (BOX_H + ROW_GAP)) / 2
        for i, r in enumerate(shown[c]):
            pos[(c, r["id"])] = (x_of[c], top + i * (BOX_H + ROW_GAP))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="firm-network" width="{width}" height="{height:.0f}" '
           f'viewBox="0 0 {width} {height:.0f}" role="img" aria-label="{escape(centre["name"])}">']
    for c in used:  # edges first, under the boxes
        if c == 0:
            continue
        inner = c - (1 if c > 0 else -1)
        for r in shown[c]:
            via = r.get("via")
            src = pos.get((inner, str(via))) if inner != 0 else pos[(0, centre["id"])]
            if src is None:
                continue
            x, y = pos[(c, r["id"])]
            sx, sy = src
            if c < 0:  # supplier -> (towards the firm)
                x1, y1, x2, y2 = x + BOX_W, y + BOX_H / 2, sx, sy + BOX_H / 2
            else:
                x1, y1, x2, y2 = sx + BOX_W, sy + BOX_H / 2, x, y + BOX_H / 2
            out.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="#888" stroke-width="1.2"/>')
    for c in used:
        for r in shown[c]:
            x, y = pos[(c, r["id"])]
            centre_box = c == 0
            fill = "#e3f2fd" if centre_box else ("#dff3e3" if r.get("local") is True else "#f3f3f3")
            stroke = "#1565c0" if centre_box else ("#2e7d32" if r.get("local") is True else "#888")
            box = (f'<g class="net-firm" data-firm-id="{escape(str(r["id"]))}" data-hop="{c}">'
                   f'<title>{escape(r["name"])}</title>'
                   f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="5" fill="{fill}" '
                   f'stroke="{stroke}" stroke-width="{2 if centre_box else 1.2}"/>'
                   f'<text x="{x + BOX_W / 2:.0f}" y="{y + 19:.0f}" text-anchor="middle" font-size="12" '
                   f'fill="#111">{escape(_short(r["name"]))}</text></g>')
            out.append(box if centre_box else f'<a href="{escape(href(r["id"]))}">{box}</a>')
        if hidden[c]:
            x = x_of[c]
            y = PAD + len(shown[c]) * (BOX_H + ROW_GAP) + 14
            out.append(f'<text x="{x + BOX_W / 2:.0f}" y="{min(y, height - 4):.0f}" text-anchor="middle" font-size="11" '
                       f'fill="#555">{escape(more_word.format(n=hidden[c]))}</text>')
    out.append("</svg>")
    return "\n".join(out)
