"""A chain map as inline SVG (no scripts, no external resources), laid out by Graphviz ``dot``.

Stage bands (上游 / 中游 / 下游) hold columns: a segment's column is its longest-path rank within its
stage, stages left to right. ``dot`` (Debian's graphviz, installed by scripts/setup-system.sh) orders
the boxes inside each column to keep crossings few and routes every FEEDS arrow as a spline around the
boxes, so no line runs under a box it does not join (tests check this from the SVG's geometry).
Segments are boxes coloured by status (gaps red, single and thin yellow, present green), inferred
segments have dashed borders, reverse links are dashed arrows, links to other chains are listed inside
the box (links to that segment's page when ``href`` is given). A legend under the map explains every
mark (★ ※, colours, dashes).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from collections.abc import Mapping, Sequence
from html import escape

import networkx as nx

from ..analysis.chain_graph import chain_of, is_reverse, within_chain_graph
from ..analysis.views import name
from ..errors import EnvironmentProblem
from ..graph_model.vocabulary import LIGHTS, MAP_WORDS, STAGE, STAGE_ORDER, STATUSES, status_colour

BOX_W, PAD, HEAD_H, COL_GAP, ROW_GAP = 150, 12, 32, 38, 14
LINE_H, STUB_H, FONT, STUB_FONT = 15, 13, 12.5, 10.5
LEGEND_H = 20
MX = PAD + COL_GAP / 2  # left and right margin: room for the stage bands round the outer columns
LIGHT_BADGE = {"red": ("#d32f2f", "#8e0000"), "yellow": ("#fbc02d", "#a67c00"), "green": ("#388e3c", "#1b5e20")}
CROSS = "#6a1b9a"
STATUS_WORD = {st.code: (st.zh, st.en) for st in STATUSES}
WORDS = MAP_WORDS  # the map's own words, declared in the vocabulary


CLOSING = ")）、，。；：！？」』】》,.;:!?"


class GraphvizMissing(EnvironmentProblem):
    """Graphviz ``dot`` is not installed."""


def _w(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


# -- text -------------------------------------------------------------------------------------------

def text_width(text: str, size: float = FONT) -> float:
    """Estimated width in px: wide (CJK) characters one em, others about 0.56 em.

    >>> text_width("组件", 10), text_width("ab", 10)
    (20.0, 11.2)
    """
    return round(float(sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.56 for ch in text)), 2)


def wrap(text: str, width: float, size: float = FONT, lines: int = 3) -> list[str]:
    """``text`` in at most ``lines`` lines no wider than ``width`` px: breaks between words (never
    inside a Latin word unless the word alone is too wide) or between CJK characters; an ellipsis
    when cut.

    >>> wrap("PV equipment", 70, 12.5)
    ['PV', 'equipment']
    >>> wrap("感知系统(摄像头、雷达)", 125)
    ['感知系统(摄像头、雷', '达)']
    >>> wrap("感知系统(摄像头、雷达)", 132)  # a closing bracket never starts a line
    ['感知系统(摄像头、雷达)']
    >>> wrap("航空材料(钛合金、航空钢材、复合材料)", 100, 12.5, 2)
    ['航空材料(钛合金、', '航空钢材、复合…']
    """
    tokens: list[str] = []  # words with their trailing space, single CJK characters
    word = ""
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF":
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        elif ch == " ":
            tokens.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        tokens.append(word)
    out = [""]
    for tok in tokens:
        if not out[-1] or text_width(out[-1] + tok.rstrip(), size) <= width:
            out[-1] += tok
        else:
            out.append(tok)
        while text_width(out[-1].rstrip(), size) > width and len(out[-1]) > 1:  # one word too wide: cut it
            line = out[-1]
            k = len(line) - 1
            while k > 1 and text_width(line[:k], size) > width:
                k -= 1
            out[-1], rest = line[:k], line[k:]
            out.append(rest)
    out = [x.rstrip() for x in out if x.strip()] or [""]
    for i in range(1, len(out)):  # no line starts with closing punctuation: it stays with its word
        while out[i] and out[i][0] in CLOSING:
            out[i - 1] += out[i][0]
            out[i] = out[i][1:]
    out = [x for x in out if x] or [""]
    if len(out) > lines:
        out = out[:lines]
        last = out[-1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        out[-1] = last.rstrip() + "…"
    return out


# -- layout -----------------------------------------------------------------------------------------

def _ranks(H: nx.DiGraph, nodes: list[str]) -> dict[str, int]:
    """Longest-path rank inside ``nodes`` (cycles collapsed first)."""
    sub = H.subgraph(nodes)
    cond = nx.condensation(sub)
    rank_c: dict[int, int] = {}
    for c in nx.topological_sort(cond):
        rank_c[c] = max((rank_c[p] + 1 for p in cond.predecessors(c)), default=0)
    return {n: rank_c[cond.graph["mapping"][n]] for n in nodes}


def columns(G: nx.MultiDiGraph, segments: list[str]) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    """(segment -> column, [(stage, first column, last column)]): stages left to right, inside each the
    longest-path rank of the within-chain links."""
    H = within_chain_graph(G, segments)
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
    return col_of, bands


def _dot_json(source: str) -> dict:
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizMissing("The chain map needs Graphviz 'dot' (Debian package graphviz): run "
                              "scripts/setup-system.sh or apt-get install graphviz.")
    done = subprocess.run([exe, "-Tjson"], input=source.encode("utf-8"), capture_output=True, timeout=60, check=False)
    if done.returncode != 0:
        raise GraphvizMissing(f"Graphviz dot failed: {done.stderr.decode('utf-8', 'replace')[:500]}")
    return json.loads(done.stdout)


def _spline(pos: str, flip) -> tuple[list[tuple[float, float]], tuple[float, float] | None]:
    """dot's edge ``pos`` ("e,x,y x,y x,y …"): the B-spline's points (SVG coordinates) and the arrow's tip."""
    tip, pts = None, []
    for part in pos.split():
        if part.startswith(("e,", "s,")):
            _, x, y = part.split(",")
            if part[0] == "e":
                tip = flip(float(x), float(y))
            continue
        x, y = part.split(",")[:2]
        pts.append(flip(float(x), float(y)))
    return pts, tip


def layout(G: nx.MultiDiGraph, segments: list[str], heights: Mapping[str, float]) -> dict:
    """Boxes, edges and stage bands in px: ``{"boxes": {s: (x, y, w, h)}, "edges": [(s, t, points, tip)],
    "bands": [(stage, x0, x1)], "width", "height"}``; ``heights``: each box's height."""
    col_of, bands = columns(G, segments)
    members = set(segments)
    ids = {s: f"n{i}" for i, s in enumerate(segments)}
    n_cols = max(col_of.values(), default=0) + 1
    by_col: dict[int, list[str]] = {c: [] for c in range(n_cols)}
    for s in segments:
        by_col[col_of[s]].append(s)
    lines = ["digraph map {", f'graph [rankdir=LR, nodesep={ROW_GAP / 72:.3f}, ranksep={COL_GAP / 72:.3f}, '
             'splines=spline, ordering=out, margin=0];', 'node [shape=box, fixedsize=true, label=""];']
    for s in segments:
        lines.append(f'{ids[s]} [width={BOX_W / 72:.4f}, height={heights[s] / 72:.4f}];')
    for ss in by_col.values():
        if ss:
            lines.append("{rank=same; " + " ".join(ids[s] for s in ss) + "}")
    edges = []
    for s in segments:
        for _, t, k in G.out_edges(s, keys=True):
            if k == "FEEDS" and t in members and t != s:
                edges.append((s, t))
                forward = col_of[t] > col_of[s]
                lines.append(f"{ids[s]} -> {ids[t]} [{'' if forward else 'constraint=false'}];")
    firsts = [by_col[c][0] for c in range(n_cols) if by_col[c]]
    for a, b in zip(firsts, firsts[1:], strict=False):  # keeps the columns in order (weight 0: does not pull boxes)
        lines.append(f"{ids[a]} -> {ids[b]} [style=invis, weight=0];")
    lines.append("}")
    out = _dot_json("\n".join(lines))
    bb = [float(v) for v in out["bb"].split(",")]
    top = PAD + HEAD_H

    def flip(x: float, y: float) -> tuple[float, float]:
        return (round(MX + x - bb[0], 1), round(top + bb[3] - y, 1))
    back = {v: k for k, v in ids.items()}
    gvid = {o["_gvid"]: back[o["name"]] for o in out.get("objects", []) if o["name"] in back}
    boxes = {}
    for o in out.get("objects", []):
        if o["name"] in back:
            cx, cy = flip(*(float(v) for v in o["pos"].split(",")))
            w, h = float(o["width"]) * 72, float(o["height"]) * 72
            boxes[back[o["name"]]] = (round(cx - w / 2, 1), round(cy - h / 2, 1), round(w, 1), round(h, 1))
    routed = []
    for e in out.get("edges", []):
        if e.get("style") == "invis" or "pos" not in e:
            continue
        pts, tip = _spline(e["pos"], flip)
        routed.append((gvid[e["tail"]], gvid[e["head"]], pts, tip))
    band_px = []
    for st, c0, c1 in bands:
        inside = [boxes[s] for s in segments if c0 <= col_of[s] <= c1]
        x0 = min(b[0] for b in inside) - COL_GAP / 2 + 4
        x1 = max(b[0] + b[2] for b in inside) + COL_GAP / 2 - 4
        band_px.append((st, x0, x1))
    width = bb[2] - bb[0] + 2 * MX
    height = bb[3] - bb[1] + top + PAD
    return {"boxes": boxes, "edges": routed, "bands": band_px, "width": width, "height": height}


def _path(points: list[tuple[float, float]], tip: tuple[float, float] | None) -> str:
    """An SVG path through dot's cubic B-spline points (1 + 3n of them), then on to the arrow's tip."""
    if not points:
        return ""
    d = [f"M{points[0][0]},{points[0][1]}"]
    for i in range(1, len(points) - 2, 3):
        (x1, y1), (x2, y2), (x3, y3) = points[i:i + 3]
        d.append(f"C{x1},{y1} {x2},{y2} {x3},{y3}")
    if tip:
        d.append(f"L{tip[0]},{tip[1]}")
    return " ".join(d)


# -- the map ----------------------------------------------------------------------------------------

def _legend(lang: str, width: float, y: float) -> tuple[list[str], float]:
    """The legend's SVG pieces laid out in rows within ``width``; returns (pieces, height)."""
    items: list[tuple[str, str]] = [("swatch:red", _w("gap", lang)), ("swatch:yellow", _w("single_thin", lang)),
                                    ("swatch:green", _w("present", lang)), ("dashed", _w("dashed_box", lang)),
                                    ("text", _w("key", lang)), ("text", _w("mark", lang)),
                                    ("reverse", _w("reverse", lang)), ("cross", _w("cross", lang))]
    out: list[str] = []
    x: float = PAD
    row = 0
    for kind, text in items:
        lead = 0 if kind in ("text", "cross") else 22
        w = lead + text_width(text, 11) + 18
        if x + w > width - PAD and x > PAD:
            x, row = PAD, row + 1
        yy = y + row * LEGEND_H
        if kind.startswith("swatch:"):
            fill, stroke = LIGHTS[kind.split(":")[1]]
            out.append(f'<rect x="{x}" y="{yy - 10}" width="16" height="12" rx="2" fill="{fill}" stroke="{stroke}"/>')
        elif kind == "dashed":
            out.append(f'<rect x="{x}" y="{yy - 10}" width="16" height="12" rx="2" fill="#fff" stroke="#555" '
                       'stroke-dasharray="4,2"/>')
        elif kind == "reverse":
            out.append(f'<line x1="{x}" y1="{yy - 4}" x2="{x + 16}" y2="{yy - 4}" stroke="#555" stroke-dasharray="4,3"/>')
        fill = CROSS if kind == "cross" else "#333"
        out.append(f'<text x="{x + lead:.0f}" y="{yy}" font-size="11" fill="{fill}">{escape(text)}</text>')
        x += w
    return ['<g class="legend">', *out, "</g>"], (row + 1) * LEGEND_H


def chain_map_svg(G: nx.MultiDiGraph, chain: str, segments: list[str], statuses: dict, local_counts: dict[str, int],
                  lang: str = "zh", basis: dict[str, dict] | None = None, link_unknown: Sequence[str] = (),
                  href=None, lights: dict[str, tuple[str, str]] | None = None) -> str:
    """The SVG of one chain; boxes carry ``data-segment-id``, ``data-status``, ``data-colour`` and
    ``data-basis``. ``basis``: segment -> ``{basis, inferred_facts}``: a status resting on inferred
    facts gets a ※ mark and the facts in its hover title. ``link_unknown``: names of local firms
    tied to the chain with their link unknown, listed under the map. ``href(segment_id) -> url``:
    each box links to that url (the explorer's segment pages), and so does each link to another chain's
    segment listed in a box. ``lights``: segment -> (light, tooltip) of the tech items serving it: a
    round badge on the box's top-right corner (``class="tech-light"``, ``data-light``; docs/monitor.md)."""
    members = set(segments)
    labels: dict[str, list[str]] = {}
    stubs: dict[str, list[tuple[str, list[str]]]] = {}
    heights: dict[str, float] = {}
    for s in segments:
        d = G.nodes[s]
        marked = ((basis or {}).get(s) or {}).get("basis") == "inferred"
        label = ("★ " if d.get("key") else "") + name(G, s, lang) + (" ※" if marked else "")
        labels[s] = wrap(label, BOX_W - 14)
        cross = []
        for _, t, k in G.out_edges(s, keys=True):
            if k == "FEEDS" and t not in members:
                cross.append((t, "→"))
        for u, _, k in G.in_edges(s, keys=True):
            if k == "FEEDS" and u not in members:
                cross.append((u, "←"))
        stubs[s] = [(t, wrap(f"{arrow} {name(G, t, lang)}（{_chain_name(G, t, lang)}）" if lang == "zh"
                             else f"{arrow} {name(G, t, lang)} ({_chain_name(G, t, lang)})", BOX_W - 10, STUB_FONT, 3))
                    for t, arrow in cross]
        heights[s] = 8 + LINE_H * len(labels[s]) + 16 + sum(STUB_H * len(x) for _, x in stubs[s]) + (4 if stubs[s] else 0)
    lay = layout(G, segments, heights)
    width = max(lay["width"], 560.0)
    legend, legend_h = _legend(lang, width, lay["height"] + 14)
    unknown_lines = wrap(_w("link_unknown", lang) + ("：" if lang == "zh" else ": ") +
                         ("、" if lang == "zh" else ", ").join(link_unknown), width - 2 * PAD, 12, 6) if link_unknown else []
    height = lay["height"] + 8 + legend_h + 16 * len(unknown_lines) + PAD / 2 + (4 if unknown_lines else 0)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chain-map" data-chain-id="{escape(chain)}" '
           f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
           f'aria-label="{escape(name(G, chain, lang))}">',
           f'<defs><marker id="arr-{escape(chain)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>']
    for st, x0, x1 in lay["bands"]:
        word = (STAGE[st].zh if lang == "zh" else STAGE[st].en.capitalize()) if st in STAGE else st
        out.append(f'<g class="stage-band" data-stage="{escape(st)}"><rect x="{x0:.0f}" y="{PAD}" width="{x1 - x0:.0f}" '
                   f'height="{lay["height"] - 2 * PAD + PAD:.0f}" rx="6" fill="#f5f7fa" stroke="#d0d7de"/>'
                   f'<text x="{(x0 + x1) / 2:.0f}" y="{PAD + 21}" text-anchor="middle" font-size="14" '
                   f'font-weight="bold" fill="#333">{escape(word)}</text></g>')
    for s, t, pts, tip in lay["edges"]:  # edges first: boxes are drawn over their ends
        rev = is_reverse(G, s, t)
        dash = ' stroke-dasharray="5,4"' if rev else ""
        out.append(f'<path class="feeds{" reverse" if rev else ""}" data-from="{escape(s)}" data-to="{escape(t)}" '
                   f'd="{_path(pts, tip)}" fill="none" stroke="#555" stroke-width="1.3"{dash} '
                   f'marker-end="url(#arr-{escape(chain)})"/>')
    for s in segments:
        x, y, w, h = lay["boxes"][s]
        st = statuses[s]
        colour = status_colour(st)
        fill, stroke = LIGHTS[colour]
        d = G.nodes[s]
        inferred = d.get("confidence") == "inferred"
        dash = ' stroke-dasharray="6,3"' if inferred else ""
        b = (basis or {}).get(s) or {}
        marked = b.get("basis") == "inferred"
        n = local_counts.get(s, 0)
        count = _w("local", lang).format(n=n, s="" if n == 1 else "s")
        status_word = STATUS_WORD.get(st, (st, st))[0 if lang == "zh" else 1]
        title = f"{name(G, s, lang)} · {status_word} · {count}"
        if marked:
            facts = ("；" if lang == "zh" else "; ").join(str(x.get("text") or "") for x in b.get("inferred_facts", []))
            title += f"\n※ {_w('inferred_basis', lang)}{'：' if lang == 'zh' else ': '}{facts}"
        out.append(f'<g class="seg-box" data-segment-id="{escape(s)}" data-status="{escape(st)}" data-colour="{colour}" '
                   f'data-inferred="{str(inferred).lower()}" data-basis="{escape(b.get("basis") or "")}" '
                   f'data-box="{x},{y},{w},{h}"><title>{escape(title)}</title>')
        if lights and s in lights:
            light, tip_text = lights[s]
            fill_l, stroke_l = LIGHT_BADGE[light]
            out.append(f'<g class="tech-light" data-light="{escape(light)}"><title>{escape(tip_text)}</title>'
                       f'<circle cx="{x + w - 9}" cy="{y + 9}" r="7" fill="{fill_l}" stroke="{stroke_l}" '
                       f'stroke-width="1.6"/></g>')
        if href:
            out.append(f'<a class="seg-link" href="{escape(href(s))}">')
        out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="{fill}" stroke="{stroke}" '
                   f'stroke-width="1.6"{dash}/>')
        for i, line in enumerate(labels[s]):
            out.append(f'<text x="{x + w / 2:.1f}" y="{y + 20 + i * LINE_H}" text-anchor="middle" font-size="{FONT}" '
                       f'fill="#111">{escape(line)}</text>')
        yy = y + 20 + len(labels[s]) * LINE_H
        out.append(f'<text x="{x + w / 2:.1f}" y="{yy}" text-anchor="middle" font-size="11" '
                   f'fill="{stroke}">{escape(count)}</text>')
        if href:
            out.append("</a>")
        yy += 4
        for t, stub_lines in stubs[s]:
            if href:
                out.append(f'<a class="cross-chain" data-to="{escape(t)}" href="{escape(href(t))}">')
            else:
                out.append(f'<g class="cross-chain" data-to="{escape(t)}">')
            for line in stub_lines:
                yy += STUB_H
                under = ' text-decoration="underline"' if href else ""
                out.append(f'<text x="{x + 6}" y="{yy}" font-size="{STUB_FONT}" fill="{CROSS}"{under}>{escape(line)}</text>')
            out.append("</a>" if href else "</g>")
        out.append("</g>")
    out += legend
    if link_unknown:
        for i, line in enumerate(unknown_lines):
            out.append(f'<text class="link-unknown" x="{PAD}" y="{lay["height"] + 8 + legend_h + 14 + i * 16:.0f}" '
                       f'font-size="12" fill="#333">{escape(line)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _chain_name(G, s, lang):
    c = chain_of(G, s)
    return name(G, c, lang) if c else "?"
