"""A chain map as inline SVG, drawn from Python (no scripts, no external resources).

Stage bands (上游 / 中游 / 下游) hold columns by longest-path rank within the stage; segments are
boxes coloured by status (gaps red, single and thin yellow, present green: the seed's 红绿黄灯),
inferred segments have dashed borders, FEEDS are arrows (reverse links dashed), links to other
chains are labelled stubs under the box.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import networkx as nx

from ..analysis.chain_graph import chain_of, is_reverse, within_chain_graph
from ..analysis.views import name
from ..graph_model.vocabulary import LIGHTS, STAGE, STAGE_ORDER, status_colour

BOX_W, BOX_H, COL_GAP, ROW_GAP, HEAD_H, PAD, STUB_H, FOOT_H = 168, 62, 56, 18, 34, 16, 15, 24
LIGHT_BADGE = {"red": ("#d32f2f", "#8e0000"), "yellow": ("#fbc02d", "#a67c00"), "green": ("#388e3c", "#1b5e20")}


def _ranks(H: nx.DiGraph, nodes: list[str]) -> dict[str, int]:
    """Longest-path rank inside ``nodes`` (cycles collapsed first)."""
    sub = H.subgraph(nodes)
    cond = nx.condensation(sub)
    rank_c: dict[int, int] = {}
    for c in nx.topological_sort(cond):
        rank_c[c] = max((rank_c[p] + 1 for p in cond.predecessors(c)), default=0)
    return {n: rank_c[cond.graph["mapping"][n]] for n in nodes}


def layout(G: nx.MultiDiGraph, segments: list[str]) -> tuple[dict[str, tuple[int, int]], list[tuple[str, int, int]]]:
    """(segment -> (column, row), [(stage, first column, last column)])."""
    H = within_chain_graph(G, segments)
    order = {s: i for i, s in enumerate(segments)}
    stages = sorted({G.nodes[s].get("stage", "midstream") for s in segments}, key=lambda st: STAGE_ORDER.get(st, 1))
    col_of: dict[str, int] = {}
    bands, offset = [], 0
    for st in stages:
        members = [s for s in segments if G.nodes[s].get("stage", "midstream") == st]
        ranks = _ranks(H, members)
        for s in members:
            col_of[s] = offset + ranks[s]
        width = max(ranks.values()) + 1
        bands.append((st, offset, offset + width - 1))
        offset += width
    pos: dict[str, tuple[int, int]] = {}
    for col in range(offset):
        members = [s for s in segments if col_of[s] == col]

        def bary(s):  # mean row of placed predecessors: fewer crossings
            rows = [pos[p][1] for p in H.predecessors(s) if p in pos]
            return (sum(rows) / len(rows) if rows else order[s], order[s])
        for row, s in enumerate(sorted(members, key=bary)):
            pos[s] = (col, row)
    return pos, bands


def _wrap(text: str, width: int = 11, lines: int = 2) -> list[str]:
    """Cut a label into at most ``lines`` lines of ``width`` characters.

    >>> _wrap("航空材料(钛合金、航空钢材、复合材料)", 8)
    ['航空材料(钛合金', '、航空钢材、复…']
    """
    out = [text[i:i + width] for i in range(0, len(text), width)] or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][:-1] + "…"
    return out


def chain_map_svg(G: nx.MultiDiGraph, chain: str, segments: list[str], statuses: dict, local_counts: dict[str, int],
                  lang: str = "zh", basis: dict[str, dict] | None = None, link_unknown: Sequence[str] = (),
                  href=None, lights: dict[str, tuple[str, str]] | None = None) -> str:
    """The SVG of one chain; boxes carry ``data-segment-id``, ``data-status``, ``data-colour`` and
    ``data-basis``. ``basis``: segment -> ``{basis, inferred_facts}``: a status resting on inferred
    facts gets a ※ mark and the facts in its hover title. ``link_unknown``: names of local firms
    tied to the chain with their link unknown, listed under the map. ``href(segment_id) -> url``:
    each box becomes a link to that url (the explorer's segment pages). ``lights``: segment -> (light,
    tooltip) of the tech items serving it: a round badge on the box's top-right corner
    (``class="tech-light"``, ``data-light``; docs/monitor.md)."""
    pos, bands = layout(G, segments)
    members = set(segments)
    stubs: dict[str, list[str]] = {s: [] for s in segments}
    for s in segments:
        for _, t, k in G.out_edges(s, keys=True):
            if k == "FEEDS" and t not in members:
                stubs[s].append(f"→ {name(G, t, lang)}〔{_chain_of(G, t, lang)}〕")
        for u, _, k in G.in_edges(s, keys=True):
            if k == "FEEDS" and u not in members:
                stubs[s].append(f"← {name(G, u, lang)}〔{_chain_of(G, u, lang)}〕")
    n_rows = max((r for _, r in pos.values()), default=0) + 1
    n_cols = max((c for c, _ in pos.values()), default=0) + 1
    max_stubs = max((len(v) for v in stubs.values()), default=0)
    row_h = BOX_H + ROW_GAP + max_stubs * STUB_H
    width = PAD * 2 + n_cols * BOX_W + (n_cols - 1) * COL_GAP
    height = PAD * 2 + HEAD_H + n_rows * row_h + (FOOT_H if link_unknown else 0)

    def xy(s):
        c, r = pos[s]
        return PAD + c * (BOX_W + COL_GAP), PAD + HEAD_H + r * row_h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chain-map" data-chain-id="{escape(chain)}" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(name(G, chain, lang))}">',
           f'<defs><marker id="arr-{escape(chain)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>']
    for st, c0, c1 in bands:
        x0 = PAD + c0 * (BOX_W + COL_GAP) - COL_GAP / 4
        x1 = PAD + c1 * (BOX_W + COL_GAP) + BOX_W + COL_GAP / 4
        word = (STAGE[st].zh if lang == "zh" else STAGE[st].en.capitalize()) if st in STAGE else st
        out.append(f'<g class="stage-band" data-stage="{st}"><rect x="{x0:.0f}" y="{PAD}" width="{x1 - x0:.0f}" '
                   f'height="{height - 2 * PAD}" rx="6" fill="#f5f7fa" stroke="#d0d7de"/>'
                   f'<text x="{(x0 + x1) / 2:.0f}" y="{PAD + 21}" text-anchor="middle" font-size="14" '
                   f'font-weight="bold" fill="#333">{escape(word)}</text></g>')
    for s in segments:
        for _, t, k in G.out_edges(s, keys=True):
            if k != "FEEDS" or t not in members:
                continue
            (x1, y1), (x2, y2) = xy(s), xy(t)
            rev = is_reverse(G, s, t)
            sx, sy, tx, ty = x1 + BOX_W, y1 + BOX_H / 2, x2, y2 + BOX_H / 2
            if tx <= sx:  # same column or backwards: go round below
                sx, sy, tx, ty = x1 + BOX_W / 2, y1 + BOX_H, x2 + BOX_W / 2, y2 + BOX_H
                d = f"M{sx:.0f},{sy:.0f} C{sx:.0f},{sy + 46:.0f} {tx:.0f},{ty + 46:.0f} {tx:.0f},{ty:.0f}"
            else:
                d = f"M{sx:.0f},{sy:.0f} C{sx + 30:.0f},{sy:.0f} {tx - 30:.0f},{ty:.0f} {tx:.0f},{ty:.0f}"
            dash = ' stroke-dasharray="5,4"' if rev else ""
            out.append(f'<path class="feeds{" reverse" if rev else ""}" data-from="{escape(s)}" data-to="{escape(t)}" '
                       f'd="{d}" fill="none" stroke="#555" stroke-width="1.3"{dash} marker-end="url(#arr-{escape(chain)})"/>')
    for s in segments:
        x, y = xy(s)
        st = statuses[s]
        colour = status_colour(st)
        fill, stroke = LIGHTS[colour]
        d = G.nodes[s]
        inferred = d.get("confidence") == "inferred"
        dash = ' stroke-dasharray="6,3"' if inferred else ""
        b = (basis or {}).get(s) or {}
        marked = b.get("basis") == "inferred"
        label = ("★ " if d.get("key") else "") + name(G, s, lang) + (" ※" if marked else "")
        lines = _wrap(label)
        n = local_counts.get(s, 0)
        count = f"本地企业 {n} 家" if lang == "zh" else f"{n} local firm{'s' if n != 1 else ''}"
        title = f"{name(G, s, lang)} · {st}"
        if marked:
            facts = "; ".join(f"{x['id']}: {x['text']}" for x in b.get("inferred_facts", []))
            title += f"\n※ {'判断依据含推断事实' if lang == 'zh' else 'rests on inferred facts'}: {facts}"
        if href:
            out.append(f'<a class="seg-link" href="{escape(href(s))}">')
        out.append(f'<g class="seg-box" data-segment-id="{escape(s)}" data-status="{st}" data-colour="{colour}" '
                   f'data-inferred="{str(inferred).lower()}" data-basis="{escape(b.get("basis") or "")}">'
                   f'<title>{escape(title)}</title>'
                   f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" stroke="{stroke}" '
                   f'stroke-width="1.6"{dash}/>')
        for i, line in enumerate(lines):
            out.append(f'<text x="{x + BOX_W / 2:.0f}" y="{y + 18 + i * 16}" text-anchor="middle" font-size="12.5" '
                       f'fill="#111">{escape(line)}</text>')
        out.append(f'<text x="{x + BOX_W / 2:.0f}" y="{y + BOX_H - 8}" text-anchor="middle" font-size="11" '
                   f'fill="{stroke}">{escape(count)}</text>')
        if lights and s in lights:
            light, tip = lights[s]
            fill_l, stroke_l = LIGHT_BADGE[light]
            out.append(f'<g class="tech-light" data-light="{escape(light)}"><title>{escape(tip)}</title>'
                       f'<circle cx="{x + BOX_W - 9}" cy="{y + 9}" r="7" fill="{fill_l}" stroke="{stroke_l}" '
                       f'stroke-width="1.5"/></g>')
        for i, stub in enumerate(stubs[s]):
            out.append(f'<text class="cross-chain" x="{x + 4}" y="{y + BOX_H + 13 + i * STUB_H}" font-size="10.5" '
                       f'fill="#6a1b9a">{escape(_wrap(stub, 17, 1)[0])}</text>')
        out.append("</g></a>" if href else "</g>")
    if link_unknown:
        word = "环节未知的本地企业" if lang == "zh" else "Local firms, link unknown"
        names = ("、" if lang == "zh" else ", ").join(link_unknown)
        out.append(f'<text class="link-unknown" x="{PAD}" y="{height - PAD - 6}" font-size="12" fill="#333">'
                   f'{escape(word)}：{escape(names)}</text>' if lang == "zh" else
                   f'<text class="link-unknown" x="{PAD}" y="{height - PAD - 6}" font-size="12" fill="#333">'
                   f'{escape(word)}: {escape(names)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _chain_of(G, s, lang):
    c = chain_of(G, s)
    return name(G, c, lang) if c else "?"
