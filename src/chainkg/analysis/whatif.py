"""What-if: apply hypothetical changes to an analysis and say what changes (docs/analysis.md, "What-if").

Changes: a firm lands in a segment (a new firm, or an existing one becoming local there), a firm
leaves, a firm moves to another segment, a FEEDS link is added or removed. Nothing is copied per
scenario but what changes: the local-firm sets of the touched segments, and, only when links
change, the small structure graph (chains, segments, labs, funds and their links; no firms).
Only the chains a change can reach are recomputed:

* a touched segment's chain (its statuses, chokepoints, 链主 candidates), and the chains of the
  segments that feed it directly (their ``gap_fill`` "pulls" depend on it);
* priorities of those chains' segments and of every FEEDS neighbour of a touched segment
  (their adjacent-local-firm points); flow betweenness only when links change.

>>> from chainkg.testing import tiny_graph
>>> from chainkg.analysis import analyze
>>> G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream"), ("C", "downstream")]},
...                feeds=[("A", "B"), ("B", "C")], firms={"F1": (True, ["A"]), "F2": (True, ["C"])})
>>> out = WhatIf(analyze(G)).run([Change("add_firm", firm="新企业", segment="B")])
>>> [(r["segment_id"], r["status_before"], r["status_after"]) for r in out.segments if "status" in r["changed"]]
[('B', 'gap_fill', 'single')]
>>> out.effect["gaps_closed"], out.effect["chokepoints_relieved"]
(['B'], ['B'])
"""

from __future__ import annotations

from collections import ChainMap, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import networkx as nx

from ..errors import UsageError
from ..graph_model.firm_table import node_attrs
from .firms import chain_leader_candidates, firm_centrality, key_firms
from .incremental import reached_chains, recompute
from .status import GAPS
from .views import ChainView, districts_under, has_node, out_by_type

KINDS = ("add_firm", "remove_firm", "move_firm", "add_link", "remove_link")
NEW_PREFIX = "new:"
_STRUCTURE_LABELS = {"Cluster", "Chain", "Segment", "Lab", "Fund"}
_STRUCTURE_RELS = {"HAS_CHAIN", "HAS_SEGMENT", "FEEDS", "SUPPORTS", "FOCUSES_ON"}


@dataclass(frozen=True)
class Change:
    """One hypothetical change. ``firm``: an id, or for ``add_firm`` the name of a new firm."""
    kind: str
    firm: str | None = None
    segment: str | None = None
    district: str | None = None
    a: str | None = None  # FEEDS link a -> b
    b: str | None = None

    def describe(self, G, lang: str = "zh") -> str:
        from .views import name

        nm = (lambda x: name(G, x, lang) if has_node(G, x) else x.removeprefix(NEW_PREFIX))
        zh = lang == "zh"
        if self.kind == "add_firm":
            return (f"{nm(self.firm)} 落户 {nm(self.segment)}" if zh else f"{nm(self.firm)} lands in {nm(self.segment)}") + (
                f"（{nm(self.district)}）" if self.district and zh else f" ({nm(self.district)})" if self.district else "")
        if self.kind == "remove_firm":
            return f"{nm(self.firm)} 离开" if zh else f"{nm(self.firm)} leaves"
        if self.kind == "move_firm":
            return f"{nm(self.firm)} 转到 {nm(self.segment)}" if zh else f"{nm(self.firm)} moves to {nm(self.segment)}"
        verb = ("新增关联" if self.kind == "add_link" else "删除关联") if zh else (
            "add link" if self.kind == "add_link" else "remove link")
        return f"{verb} {nm(self.a)} → {nm(self.b)}"


@dataclass
class Outcome:
    changes: list[Change]
    segments: list[dict]  # segments whose status, priority, chokepoint role or local-firm count changes
    key_firms: list[dict]  # firms entering or leaving the key firms, or changing reasons
    leaders: list[dict]  # 链主 candidates whose rank changes
    effect: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)  # new firm id -> name


# -- parsing and checking changes --------------------------------------------------------------

def resolve_changes(G: nx.MultiDiGraph, raw: list[dict]) -> list[Change]:
    """Changes written with ids or exact names -> :class:`Change` with ids; every problem named at once.

    ``raw`` items: ``{"add_firm": NAME, "segment": S, "district": D}``, ``{"remove_firm": F}``,
    ``{"move_firm": F, "segment": S}``, ``{"add_link": [A, B]}``, ``{"remove_link": [A, B]}``.
    """
    from .resolve import resolve

    out, problems = [], []
    for i, item in enumerate(raw, start=1):
        where = f"change {i}"
        try:
            if not isinstance(item, dict):
                raise UsageError(f"{where}: expected a mapping such as {{add_firm: 名称, segment: 环节}}, got {item!r}")
            kinds = [k for k in KINDS if k in item]
            allowed = {"add_firm": {"segment", "district"}, "move_firm": {"segment"}}.get(kinds[0] if kinds else "", set())
            extra = set(item) - set(kinds) - allowed
            if len(kinds) != 1 or extra:
                raise UsageError(f"{where}: " + (f"unknown key(s) {', '.join(sorted(map(str, extra)))}" if extra and len(kinds) == 1
                                                 else f"give exactly one of {', '.join(KINDS)}"))
            kind = kinds[0]
            value = item[kind]
            if kind in ("add_link", "remove_link"):
                if not (isinstance(value, (list, tuple)) and len(value) == 2):
                    raise UsageError(f"{where}: {kind} takes two segments [A, B], got {value!r}")
                a, b = (resolve(G, "Segment", str(v), f"{where} {kind}") for v in value)
                has = any(k == "FEEDS" for k in G.get_edge_data(a, b, default={}))
                if a == b:
                    raise UsageError(f"{where}: a segment cannot feed itself ({a})")
                if kind == "add_link" and has:
                    raise UsageError(f"{where}: the link {a} → {b} exists already")
                if kind == "remove_link" and not has:
                    raise UsageError(f"{where}: there is no FEEDS link {a} → {b} to remove")
                out.append(Change(kind, a=a, b=b))
                continue
            if value is None or not str(value).strip():
                raise UsageError(f"{where}: {kind} needs a firm")
            seg = None
            if kind in ("add_firm", "move_firm"):
                if not item.get("segment"):
                    raise UsageError(f"{where}: {kind} needs a segment")
                seg = resolve(G, "Segment", str(item["segment"]), f"{where} segment")
            if kind == "add_firm":
                firm = _existing_firm(G, str(value)) or NEW_PREFIX + str(value).strip()
                dist = resolve(G, "District", str(item["district"]), f"{where} district") if item.get("district") else None
                out.append(Change(kind, firm=firm, segment=seg, district=dist))
            else:
                firm = resolve(G, "Firm", str(value), f"{where} {kind}")
                out.append(Change(kind, firm=firm, segment=seg))
        except UsageError as exc:
            problems.append(exc.message + (f" ({exc.hint})" if exc.hint else ""))
    if problems:
        raise UsageError(f"{len(problems)} problem(s) in the changes:\n  " + "\n  ".join(problems),
                         hint="Segments, firms and districts are ids or exact Chinese or English names.")
    if not out:
        raise UsageError("No change given.", hint="Use --add-firm/--remove-firm/--move-firm/--add-link/--remove-link "
                         "or --changes FILE.")
    return out


def _existing_firm(G, value: str) -> str | None:
    from .resolve import _named

    names = dict(_named(G, "Firm"))
    if value in names:
        return value
    hits = [n for n, pair in names.items() if value in pair]
    return hits[0] if len(hits) == 1 else None


def _changes_yaml(path: Path) -> list:
    """The list of a ``--changes FILE``: ``changes:`` followed by a list, or the list itself."""
    from .settings_file import read_yaml

    data = read_yaml(path, "changes")
    if isinstance(data, dict) and set(data) == {"changes"}:
        data = data["changes"]
    if not isinstance(data, list):
        raise UsageError(f"{path}: expected a list of changes under 'changes:'.",
                         hint="e.g. changes:\n  - add_firm: 新企业\n    segment: MT-CNC\n  - remove_link: [A, B]")
    return data


def read_changes(G, path: str | Path) -> list[Change]:
    """The changes of a YAML file, checked; errors name the file and the change number."""
    path = Path(path)
    data = _changes_yaml(path)
    try:
        return resolve_changes(G, data)
    except UsageError as exc:
        raise UsageError(f"{path}: {exc.message}", hint=exc.hint) from exc


# -- the computation ---------------------------------------------------------------------------

class WhatIf:
    """Holds one analysis and what every scenario shares; :meth:`run` applies changes to it."""

    def __init__(self, a):
        self.a = a
        self.G = a.G
        self._leaders = None
        self._keys = None
        self._structure = None
        self._inside = districts_under(a.G, a.district) if a.district else None

    # shared, computed once
    @property
    def leaders_before(self) -> dict[str, list[dict]]:
        if self._leaders is None:
            self._leaders = chain_leader_candidates(self.G, self.a.view, self.a.supplier_ranks)
        return self._leaders

    @property
    def keys_before(self) -> dict[str, dict]:
        if self._keys is None:
            self._keys = {r["firm_id"]: r for r in key_firms(self.G, self.a.view, self.a.supplier_ranks)}
        return self._keys

    def structure(self) -> nx.MultiDiGraph:
        """Chains, segments, labs and funds with the links between them (what statuses and priorities read)."""
        if self._structure is None:
            G = self.G
            S = nx.MultiDiGraph()
            S.add_nodes_from((n, d) for n, d in G.nodes(data=True) if d.get("label") in _STRUCTURE_LABELS)
            S.add_edges_from((u, v, k) for u, v, k in G.edges(keys=True) if k in _STRUCTURE_RELS)
            self._structure = S
        return self._structure

    def _is_local(self, firm: str, district: str | None) -> bool:
        if self._inside is None:
            return True
        places = [district] if district else out_by_type(self.G, firm, "LOCATED_IN") if has_node(self.G, firm) else []
        return not places or any(p in self._inside for p in places)

    def run(self, changes: list[Change]) -> Outcome:
        """The outcome of ``changes``: the scenario's firm sets, the chains they reach recomputed
        (:func:`chainkg.analysis.incremental.recompute`), the firms' measures, the rows that differ."""
        sc = self._scenario(changes)
        H = self._structure_with(sc.links)
        view = replace(sc.view, G=H)
        chains = reached_chains(view, H, sc.touched, sc.touched_chains)
        r = recompute(self.a, H, view, chains, sc.touched, bool(sc.links))
        keys_after, leaders_after = self._firms_after(view, chains, sc)
        chain_of = self.a.view.chain_of
        order = sorted(r.redone, key=lambda s: (chains.index(chain_of[s]) if chain_of.get(s) in chains else len(chains), s))
        segments = self._segment_rows(order, r.statuses, r.priorities, r.chokepoints)
        out = Outcome(changes, segments, _key_changes(self.keys_before, keys_after),
                      _leader_changes(chains, self.leaders_before, leaders_after), names=sc.new_names)
        out.effect = _effect(segments)
        return out

    def _scenario(self, changes: list[Change]) -> _Scenario:
        """The view's firm sets with ``changes`` made (new sets where they change: the analysis' are shared)."""
        a, G = self.a, self.G
        sc = _Scenario(replace(a.view, firms_in=defaultdict(set, a.view.firms_in), local_in=defaultdict(set, a.view.local_in),
                               chain_firms=defaultdict(set, a.view.chain_firms),
                               chain_local=defaultdict(set, a.view.chain_local)),
                       links=[c for c in changes if c.kind in ("add_link", "remove_link")])
        for c in changes:
            if c.kind == "add_firm":
                firm = _given(c, "firm")
                if not has_node(G, firm):
                    sc.new_names[firm] = firm.removeprefix(NEW_PREFIX)
                sc.put(_given(c, "segment"), firm, self._is_local(firm, c.district))
            elif c.kind == "remove_firm":
                firm = _given(c, "firm")
                sc.take(firm, chain_ties=True)
                sc.removed.add(firm)
            elif c.kind == "move_firm":
                firm = _given(c, "firm")
                sc.take(firm)
                sc.put(_given(c, "segment"), firm, node_attrs(G, firm).get("local") is True and self._is_local(firm, None))
            elif c.kind in ("add_link", "remove_link"):
                sc.touched.update((_given(c, "a"), _given(c, "b")))
            else:
                raise UsageError(f"unknown change {c.kind!r}", hint=f"one of {', '.join(KINDS)}")
        return sc

    def _structure_with(self, links: list[Change]) -> nx.MultiDiGraph:
        """The graph the segment measures read: the analysis' own, or its structure with the link changes."""
        if not links:
            return self.G
        H = self.structure().copy()
        for c in links:
            if c.kind == "add_link":
                H.add_edge(c.a, c.b, "FEEDS")
            else:
                H.remove_edge(c.a, c.b, "FEEDS")
        return H

    def _firms_after(self, view, chains: list[str], sc: _Scenario) -> tuple[dict, dict]:
        """Key firms (all) and 链主 candidates (of ``chains``) in the scenario."""
        cent = self.a.supplier_ranks
        if sc.removed and cent.supplies_data:
            cent = firm_centrality(self.G, betweenness=False, without=sc.removed)
        keys_after = {r["firm_id"]: r for r in key_firms(self.G, view, cent)}
        overlay = _Overlay(self.G, {f: {"label": "Firm", "name": n, "local": True} for f, n in sc.new_names.items()})
        part = replace(view, segments_of={c: view.segments_of[c] for c in chains})
        return keys_after, chain_leader_candidates(overlay, part, cent)

    def _segment_rows(self, order, statuses, prios, chokes) -> list[dict]:
        a = self.a
        rows = []
        for s in order:
            b_st, a_st = a.statuses[s], statuses[s]
            b_pr, a_pr = a.priorities[s]["total"], prios[s]["total"]
            b_ch, a_ch = a.chokepoints.get(s, []), chokes.get(s, [])
            changed = [k for k, x, y in (("status", b_st.status, a_st.status), ("priority", b_pr, a_pr),
                                         ("chokepoint", [list(p) for p in b_ch], [list(p) for p in a_ch]),
                                         ("local_firms", b_st.local_firms, a_st.local_firms)) if x != y]
            if not changed:
                continue
            rows.append({"segment_id": s, "chain_id": a_st.chain, "changed": changed,
                         "status_before": b_st.status, "status_after": a_st.status,
                         "priority_before": b_pr, "priority_after": a_pr,
                         "priority_parts_after": prios[s]["parts"],
                         "chokepoint_before": [list(p) for p in b_ch], "chokepoint_after": [list(p) for p in a_ch],
                         "local_firms_before": b_st.local_firms, "local_firms_after": a_st.local_firms})
        return rows


@dataclass
class _Scenario:
    """A scenario's view (its firm sets), what it touched, its new firms, leaving firms and link changes."""
    view: ChainView
    links: list
    touched: set = field(default_factory=set)
    touched_chains: set = field(default_factory=set)
    new_names: dict = field(default_factory=dict)
    removed: set = field(default_factory=set)

    def put(self, seg, firm, local: bool) -> None:
        v = self.view
        v.firms_in[seg] = v.firms_in[seg] | {firm}
        if local:
            v.local_in[seg] = v.local_in[seg] | {firm}
        self.touched.add(seg)

    def take(self, firm, chain_ties: bool = False) -> None:
        v = self.view
        for seg in [s for s, fs in v.firms_in.items() if firm in fs]:
            v.firms_in[seg] = v.firms_in[seg] - {firm}
            if firm in v.local_in.get(seg, ()):
                v.local_in[seg] = v.local_in[seg] - {firm}
                self.touched.add(seg)
        for c in [c for c, fs in v.chain_firms.items() if firm in fs] if chain_ties else []:
            v.chain_firms[c] = v.chain_firms[c] - {firm}
            if firm in v.chain_local.get(c, ()):
                v.chain_local[c] = v.chain_local[c] - {firm}
                self.touched_chains.add(c)


def _given(c: Change, part: str) -> str:
    """``c``'s firm, segment or link end, which a change of its kind needs (:func:`resolve_changes` sees to it;
    a :class:`Change` made by hand may lack it, and is refused rather than read as ``None``).

    >>> _given(Change("remove_firm", firm="F1"), "firm")
    'F1'
    >>> _given(Change("add_firm", firm="F1"), "segment")
    Traceback (most recent call last):
    chainkg.errors.UsageError: add_firm needs a segment
      Hint: Give changes as resolve_changes or read_changes return them.
    """
    value = getattr(c, part)
    if not value:
        raise UsageError(f"{c.kind} needs a {part}", hint="Give changes as resolve_changes or read_changes return them.")
    return value


def _leader_changes(chains: list[str], before: dict, after: dict) -> list[dict]:
    """链主 candidates of ``chains`` whose rank changes."""
    rows = []
    for c in chains:
        b = {r["firm_id"]: r["rank"] for r in before.get(c, [])}
        x = {r["firm_id"]: r["rank"] for r in after.get(c, [])}
        for f in sorted(set(b) | set(x), key=lambda f: (x.get(f, 10**9), b.get(f, 10**9), f)):
            if b.get(f) != x.get(f):
                rows.append({"chain_id": c, "firm_id": f, "rank_before": b.get(f), "rank_after": x.get(f)})
    return rows


class _Overlay:
    """A graph's node attributes plus those of firms that exist only in the scenario (read-only)."""

    def __init__(self, G, extra: dict[str, dict]):
        self.nodes = ChainMap(extra, G.nodes) if extra else G.nodes
        self.graph = G.graph  # a lean graph's firm table: a new firm is in none of its rows (no tags, no revenue)
        self.base = G  # the graph's relationships (their sources), e.g. for 链主 tags (firms.led_chains)


def _key_changes(before: dict[str, dict], after: dict[str, dict]) -> list[dict]:
    rows = []
    for f in sorted(set(before) | set(after)):
        b, x = before.get(f), after.get(f)
        rb = (b or {}).get("reasons", []), (b or {}).get("only_local_firm_of", [])
        ra = (x or {}).get("reasons", []), (x or {}).get("only_local_firm_of", [])
        if rb != ra:
            rows.append({"firm_id": f, "change": "added" if b is None else "removed" if x is None else "changed",
                         "reasons_before": rb[0], "reasons_after": ra[0],
                         "only_local_firm_of_before": rb[1], "only_local_firm_of_after": ra[1]})
    return rows


def _effect(segments: list[dict]) -> dict:
    """Gaps closed or opened, single points strengthened, chokepoints relieved, removed or added.

    A chokepoint is *relieved* when it had no local firm and now has one (the chain's local
    segments no longer hinge on a link held elsewhere), or stops being a chokepoint.
    """
    eff: dict[str, list[str]] = {"gaps_closed": [], "gaps_opened": [], "singles_strengthened": [], "chokepoints_relieved": [],
           "chokepoints_removed": [], "chokepoints_added": []}
    for r in segments:
        s = r["segment_id"]
        was_gap, is_gap = r["status_before"] in GAPS, r["status_after"] in GAPS
        if was_gap and not is_gap:
            eff["gaps_closed"].append(s)
        if is_gap and not was_gap:
            eff["gaps_opened"].append(s)
        if r["status_before"] == "single" and r["local_firms_after"] > 1:
            eff["singles_strengthened"].append(s)
        if r["chokepoint_before"] and not r["chokepoint_after"]:
            eff["chokepoints_removed"].append(s)
        if r["chokepoint_after"] and not r["chokepoint_before"]:
            eff["chokepoints_added"].append(s)
        if r["chokepoint_before"] and (not r["chokepoint_after"] or
                                       (r["local_firms_before"] == 0 and r["local_firms_after"] > 0)):
            eff["chokepoints_relieved"].append(s)
    return {**eff, "total": len(eff["gaps_closed"]) + len(eff["singles_strengthened"]) + len(eff["chokepoints_relieved"])}


def landing_effect(w: WhatIf, firm: str, segment: str) -> dict:
    """The effect of an outside firm landing (becoming local) in ``segment``: :func:`_effect` of that change."""
    return w.run([Change("add_firm", firm=firm, segment=segment)]).effect
