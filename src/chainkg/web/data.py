"""What the explorer shows, as plain data: the one module of ``chainkg.web`` that calls the library.

A :class:`Explorer` holds the graph's source (a dataset read once, or Neo4j) and a
:class:`Snapshot` per data version: the NetworkX graph, its analysis (one per district filter)
and the pages already built. With Neo4j, every request (at most every ``VERSION_TTL`` seconds) first asks for the data version (node and
relationship counts, in a read transaction); a reload that changes them is recomputed by the next
request. Neo4j going away raises :class:`DataUnavailable`; the next request after it
returns works again (the driver reconnects on its own).

Page functions return dicts of plain values for the templates; ids go with every name so the
templates can link; URLs from data pass :func:`chainkg.safety.safe_url` here or are dropped.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from .. import api
from ..analysis.status import GAPS
from ..analysis.views import districts_under, in_by_type, name, nodes_by_label, out_by_type
from ..cells import cell
from ..errors import ConnectionProblem
from ..findings import chokepoint_records, evidence, gap_records, leader_records, prospect_records, tier_records
from ..findings import labels as L
from ..graph_model.vocabulary import status_colour
from ..reports.data import backers
from ..reports.tables import flatten
from ..safety import safe_url
from .urls import url

if TYPE_CHECKING:
    import networkx as nx

SEARCH_LABELS = ("Firm", "Segment", "Chain", "Cluster", "Lab", "Fund", "District", "Project")
PAGE_CACHE_MAX = 4096  # built pages kept per data version
VERSION_TTL = 0.5  # seconds a data version is trusted before Neo4j is asked again


class NotFound(Exception):
    """No node of that kind with that id."""


class DataUnavailable(Exception):
    """The graph cannot be read now (Neo4j unreachable or failing); the message says what happened."""


@dataclass
class Snapshot:
    version: str
    G: nx.MultiDiGraph
    dataset: str
    loaded_at: float
    analyses: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    locks: dict = field(default_factory=dict)

    def analysis(self, district: str | None = None):
        """The analysis with ``district`` as "local" (None: the city), computed once. One lock per district,
        so a district being computed never holds up pages that need another one."""
        hit = self.analyses.get(district)
        if hit is not None:
            return hit
        with self.lock:
            lock = self.locks.setdefault(district, threading.Lock())
        with lock:
            if district not in self.analyses:
                self.analyses[district] = api.analyze(self.G, district=district)
            return self.analyses[district]

    def page(self, key: tuple, build):
        hit = self.pages.get(key)
        if hit is None:
            hit = build()
            if len(self.pages) >= PAGE_CACHE_MAX:
                self.pages.clear()
            self.pages[key] = hit
        return hit


class Explorer:
    """The data behind ``chainkg serve``: ``--data`` (read once) or ``--from-neo4j`` (followed)."""

    def __init__(self, data: str | None = None, *, from_neo4j: bool = False, settings=None,
                 browser_url: str | None = None, encoding: str | None = None):
        self.data, self.encoding, self.from_neo4j, self.settings = data, encoding, from_neo4j, settings
        self.browser_url = browser_url
        self._snap: Snapshot | None = None
        self._lock = threading.Lock()
        self._driver = None
        self._checked = 0.0
        self.warmup_seconds: float | None = None

    # -- sources ---------------------------------------------------------------------------------

    def start(self) -> Explorer:
        """Read the graph and compute the analysis now (so the first page is quick); errors raise."""
        t0 = time.perf_counter()
        if self.from_neo4j:
            from ..connection import open_driver

            self._driver = open_driver(self.settings, connection_timeout=5, max_transaction_retry_time=1.0,
                                       connection_acquisition_timeout=10)
        self.warm(self.current())
        self.warmup_seconds = time.perf_counter() - t0
        return self

    def warm(self, snap: Snapshot) -> None:
        """Compute the analysis and supplier ranks and build the overview and every chain page (zh)."""
        _ = snap.analysis().supplier_ranks  # computed now, not on the first page that shows them
        overview(self, snap, "zh")
        for c in snap.analysis().view.segments_of:
            chain(self, snap, c, "zh")

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def current(self) -> Snapshot:
        if not self.from_neo4j:
            if self._snap is None:
                with self._lock:
                    if self._snap is None:
                        self._snap = self._read_dataset()
            return self._snap
        now = time.monotonic()
        if self._snap is not None and now - self._checked < VERSION_TTL:
            return self._snap
        version = self._neo4j(self._version)
        with self._lock:
            if self._snap is None or self._snap.version != version:
                self._snap = Snapshot(version, self._neo4j(self._read_graph), "neo4j", time.time())
            self._checked = time.monotonic()
            return self._snap

    def _read_dataset(self) -> Snapshot:
        G = api.open_graph(self.data, encoding=self.encoding)
        return Snapshot("dataset", G, G.graph.get("dataset", "?"), time.time())

    def _neo4j(self, work):
        from neo4j.exceptions import DriverError, Neo4jError

        try:
            return work(self._driver)
        except (DriverError, Neo4jError, OSError, ConnectionProblem) as exc:
            self._checked = 0.0
            raise DataUnavailable(f"Neo4j at {self.settings.uri}: {type(exc).__name__}: {exc}") from exc

    def _version(self, driver) -> str:
        """The data version: node and relationship counts (library query ``data_version``): a load that
        adds or removes nodes or relationships changes it (one that only changes properties does not)."""
        from ..cypher import library

        text = library.get("data_version").text

        def work(tx):
            r = tx.run(text).single()
            return f"{r['nodes']}n/{r['rels']}r"
        with driver.session(database=self.settings.database, default_access_mode="READ") as s:
            return s.execute_read(work)

    def _read_graph(self, driver):
        """The whole graph through the front door (read access mode sessions)."""
        return api.open_graph(from_neo4j=True, connection=self.settings)

    # -- Neo4j Browser links ----------------------------------------------------------------------

    def browser(self, query: str, **params) -> str | None:
        """The Neo4j Browser link of a library query, when serving from Neo4j."""
        if not (self.from_neo4j and self.browser_url):
            return None
        from ..cypher import library
        from ..cypher.browser_link import browser_link

        try:
            return safe_url(browser_link(self.browser_url, library.get(query), params, self.settings.database))
        except ValueError:
            return None

    # -- search ------------------------------------------------------------------------------------

    def search(self, snap: Snapshot, q: str, lang: str, limit: int = 50) -> list[dict]:
        """Nodes whose Chinese or English name holds ``q``: the CJK full-text index on Neo4j, else the same
        matching in memory (exact name, then prefix, then anywhere; case-insensitive)."""
        q = q.strip()
        if not q:
            return []
        G = snap.G

        def build():
            names = snap.page(("names",), lambda: name_list(G))
            if self.from_neo4j:
                ids = self._neo4j(partial(self._fulltext, q, limit))
                hits = [i for i in ids if i in G and G.nodes[i].get("label") in SEARCH_LABELS]
                # the CJK analyzer matches bigrams and whole words; add the in-memory matches so that one
                # character or part of an English word finds the same names as without Neo4j
                hits += [i for i in _name_matches(G, q, names) if i not in hits]
            else:
                hits = _name_matches(G, q, names)
            return [_node_ref(G, i, lang) for i in hits[:limit]]
        return snap.page(("search", q, lang, limit), build)

    def _fulltext(self, q: str, limit: int, driver) -> list[str]:
        from ..cypher import library

        text = library.get("search_names").text

        def work(tx):
            return [r["id"] for r in tx.run(text, q=_lucene_escape(q), limit=limit)]
        with driver.session(database=self.settings.database, default_access_mode="READ") as s:
            return s.execute_read(work)


def _lucene_escape(q: str) -> str:
    r"""A user's text as a Lucene query of plain terms.

    >>> _lucene_escape('晶澳 (A&B) "x"')
    '晶澳 \\(A\\&B\\) \\"x\\"'
    """
    return "".join("\\" + ch if ch in '+-&|!(){}[]^"~*?:\\/' else ch for ch in q)


def _name_matches(G, q: str, names: list | None = None) -> list[str]:
    """Ids whose id, name or English name holds ``q``, exact matches first (``names``: :func:`name_list`).

    >>> from chainkg.testing import tiny_graph
    >>> _name_matches(tiny_graph({"PV": [("S1", "upstream")]}), "pv")
    ['PV']
    """
    f = q.casefold()
    ranked = []
    for n, rank_of_label, keys in (names if names is not None else name_list(G)):
        if f not in keys:
            continue
        parts = keys.split("\n")
        rank = 0 if f in parts else 1 if any(x.startswith(f) for x in parts) else 2
        ranked.append((rank, rank_of_label, str(n), n))
    return [t[-1] for t in sorted(ranked)]


def name_list(G) -> list[tuple]:
    """(id, label rank, casefolded names joined by newlines) of every searchable node, built once per version."""
    out = []
    for n, d in G.nodes(data=True):
        if d.get("label") in SEARCH_LABELS:
            keys = "\n".join(str(x).casefold() for x in (d.get("name"), d.get("name_en"), n) if x)
            out.append((n, SEARCH_LABELS.index(d["label"]), keys))
    return out


# -- small helpers --------------------------------------------------------------------------------

KIND_PATH = {"Firm": "firm", "Segment": "segment", "Chain": "chain", "District": "district", "Cluster": None,
             "Lab": None, "Fund": None, "Project": None}


def _node_ref(G, n, lang) -> dict:
    d = G.nodes[n]
    return {"id": n, "name": name(G, n, lang), "other_name": d.get("name_en" if lang == "zh" else "name"),
            "label": d.get("label"), "kind": KIND_PATH.get(d.get("label"))}


def _require(G, node_id: str, label: str) -> dict:
    if node_id not in G or G.nodes[node_id].get("label") != label:
        raise NotFound(f"{label} {node_id}")
    return G.nodes[node_id]


def _source(G, node) -> dict:
    ev = evidence(G, node)
    ev["source_url"] = safe_url(ev.get("source_url"))
    return ev


def _sources(G, ids) -> list[dict]:
    out = []
    for s in sorted({i for i in ids if i and i in G}):
        d = G.nodes[s]
        out.append({"id": s, "title": d.get("title"), "url": safe_url(d.get("url")), "raw_url": d.get("url"),
                    "publisher": d.get("publisher"), "date": d.get("date"), "reliability": d.get("reliability")})
    return out


def _backers(G, rel: str, targets: list[str], label: str, lang: str) -> list[dict]:
    return [{**b, **_node_ref(G, b["id"], lang)} for b in backers(G, rel, targets, label, lang)]


def _projects(G, segments: set[str], lang: str) -> list[dict]:
    out = []
    for p in nodes_by_label(G, "Project"):
        segs = out_by_type(G, p, "IN_SEGMENT")
        if not segments.intersection(segs):
            continue
        d = G.nodes[p]
        firms = in_by_type(G, p, "HAS_PROJECT")
        out.append({**_node_ref(G, p, lang), "status": d.get("status"), "date": d.get("date"),
                    "amount": d.get("amount_100m_cny"), "firms": [_node_ref(G, f, lang) for f in firms],
                    "segments": [_node_ref(G, s, lang) for s in segs], "source_id": d.get("source_id")})
    return out


def status_words(lang: str) -> dict[str, str]:
    return {k: L.pick(v, lang) for k, v in L.STATUS.items()}


def _basis(row: dict) -> dict:
    """What the trust branch adds to finding rows (``basis``, ``inferred_facts``), when present."""
    return {"basis": row.get("basis"), "inferred_facts": row.get("inferred_facts") or []}


# -- pages ------------------------------------------------------------------------------------------

def overview(ex: Explorer, snap: Snapshot, lang: str) -> dict:
    def build():
        G, a = snap.G, snap.analysis()
        gaps = gap_records(a, lang)
        by_chain: dict[str, list[dict]] = {}
        for r in gaps:
            by_chain.setdefault(r["chain_id"], []).append(r)
        clusters = []
        for cl in nodes_by_label(G, "Cluster"):
            chains = []
            for c in [c for c, k in a.view.cluster_of.items() if k == cl]:
                rows = by_chain.get(c, [])
                cov = a.coverage.get(c, {})
                chains.append({**_node_ref(G, c, lang), "segments": len(rows),
                               "counts": {st: sum(1 for r in rows if r["status"] == st) for st in L.STATUS},
                               "local_firms": cov.get("named_local_firms"), "reported_firms": cov.get("reported_firms"),
                               "coverage": cov.get("coverage"), "low": cov.get("low", True)})
            clusters.append({**_node_ref(G, cl, lang), "chains": chains})
        return {
            "dataset": snap.dataset,
            "counts": {lbl: len(nodes_by_label(G, lbl)) for lbl in ("Chain", "Segment", "Firm", "Lab", "Fund", "Project")},
            "local_firms": sum(1 for f in nodes_by_label(G, "Firm") if G.nodes[f].get("local") is True),
            "status_counts": {st: sum(1 for r in gaps if r["status"] == st) for st in L.STATUS},
            "clusters": clusters,
            "top_gaps": [r for r in gaps if r["status"] in GAPS][:15],
            # numbers only, the same in both languages: computed once (all tiers are slow at scale)
            "tiers": snap.page(("city-tiers",), lambda: [r for r in tier_records(a, "zh") if r["scope"] == "city"]),
            "districts": [_node_ref(G, d, lang) for d in nodes_by_label(G, "District")],
            "browser": ex.browser("segment_status"),
        }
    return snap.page(("overview", lang), build)


def chain_rows(snap: Snapshot, kind: str, chain_id: str, lang: str, district: str | None = None) -> list[dict]:
    """One chain's finding rows (gaps, prospects, chokepoints), computed once per data version, language
    and district: the chain, segment, firm and export pages all read them (treat them as read-only)."""
    key = (kind, chain_id, lang) if district is None else (kind, chain_id, lang, district)
    records = {"gaps": gap_records, "prospects": prospect_records, "chokepoints": chokepoint_records}[kind]
    return snap.page(key, lambda: records(snap.analysis(district), lang, chain=chain_id))


def chain(ex: Explorer, snap: Snapshot, chain_id: str, lang: str, district: str | None = None) -> dict:
    G = snap.G
    _require(G, chain_id, "Chain")
    if district is not None and district not in G:
        raise NotFound(f"District {district}")

    def build():
        from ..reports.chain_map import chain_map_svg

        a = snap.analysis(district)
        segs = a.view.segments_of[chain_id]
        rows = sorted(chain_rows(snap, "gaps", chain_id, lang, district), key=lambda r: r["rank"])
        cl = a.view.cluster_of.get(chain_id)
        everyone = chain_rows(snap, "prospects", chain_id, lang, district)
        prospects = [p for p in everyone if p["firm_id"]]
        return {
            **_node_ref(G, chain_id, lang), "cluster": _node_ref(G, cl, lang) if cl else None,
            "district": _node_ref(G, district, lang) if district else None,
            "districts": [_node_ref(G, d, lang) for d in nodes_by_label(G, "District")],
            "map_svg": chain_map_svg(G, chain_id, segs, {s: a.statuses[s].status for s in segs},
                                     {s: a.statuses[s].local_firms for s in segs}, lang,
                                     basis={r["segment_id"]: _basis(r) for r in rows},
                                     href=lambda s: url("segment", s, lang)),
            "segments": [{**r, **_basis(r), "colour": status_colour(r["status"]),
                          "parts": L.parts_text(r["priority"]["parts"], lang)} for r in rows],
            "coverage": a.coverage.get(chain_id, {}),
            "counts": {st: sum(1 for r in rows if r["status"] == st) for st in L.STATUS},
            "labs": _backers(G, "SUPPORTS", [chain_id, *segs], "Lab", lang),
            "funds": _backers(G, "FOCUSES_ON", [chain_id], "Fund", lang),
            "projects": _projects(G, set(segs), lang),
            "leaders": leader_records(a, lang, chain=chain_id)[:10],
            "prospects": prospects[:20],
            "chokepoints": chain_rows(snap, "chokepoints", chain_id, lang, district),
            "sources": _sources(G, [G.nodes[chain_id].get("source_id"), *(G.nodes[s].get("source_id") for s in segs)]),
            "browser": ex.browser("chain_graph", chain=chain_id),
        }
    return snap.page(("chain", chain_id, lang, district), build)


def segment(ex: Explorer, snap: Snapshot, seg_id: str, lang: str) -> dict:
    G = snap.G
    d = _require(G, seg_id, "Segment")

    def build():
        a = snap.analysis()
        c = a.view.chain_of.get(seg_id)
        row = next(r for r in chain_rows(snap, "gaps", c, lang) if r["segment_id"] == seg_id)
        firms = sorted(a.view.firms_in.get(seg_id, ()), key=lambda f: (G.nodes[f].get("local") is not True, str(f)))
        neighbours = lambda edges: [{**_node_ref(G, x, lang), "chain": _node_ref(G, a.view.chain_of[x], lang)
                                     if x in a.view.chain_of else None, "status": a.statuses[x].status if x in a.statuses
                                     else None} for x in edges]
        prospects = ([p for p in chain_rows(snap, "prospects", c, lang) if p["segment_id"] == seg_id]
                     if row["status"] in GAPS else [])
        choke = [r for r in chain_rows(snap, "chokepoints", c, lang) if r["segment_id"] == seg_id]
        return {
            **_node_ref(G, seg_id, lang), "chain": _node_ref(G, c, lang) if c else None,
            "row": row, **_basis(row), "colour": status_colour(row["status"]),
            "parts": [(L.pick(L.PARTS.get(k, (k, k)), lang), v) for k, v in row["priority"]["parts"].items()],
            "description": d.get("description"),
            "firms": [{**_node_ref(G, f, lang), "local": G.nodes[f].get("local"),
                       "revenue": G.nodes[f].get("revenue_100m_cny"),
                       "district": [_node_ref(G, x, lang) for x in out_by_type(G, f, "LOCATED_IN")]} for f in firms],
            "upstream": neighbours(in_by_type(G, seg_id, "FEEDS")),
            "downstream": neighbours(out_by_type(G, seg_id, "FEEDS")),
            "prospects": prospects, "chokepoint_pairs": [p for r in choke for p in r["pair_names"]],
            "labs": _backers(G, "SUPPORTS", [seg_id], "Lab", lang),
            "funds": _backers(G, "FOCUSES_ON", [c] if c else [], "Fund", lang),
            "source": _source(G, seg_id),
            "sources": _sources(G, [d.get("source_id")]),
            "browser": ex.browser("segment_firms", segment=seg_id),
        }
    return snap.page(("segment", seg_id, lang), build)


def _supply_hops(G, firm: str, direction: str, hops: int = 2) -> list[dict]:
    """Suppliers (``in``) or customers (``out``) up to ``hops`` SUPPLIES steps, nearest first."""
    step = (lambda n: in_by_type(G, n, "SUPPLIES")) if direction == "in" else (lambda n: out_by_type(G, n, "SUPPLIES"))
    seen, frontier, out = {firm}, [firm], []
    for h in range(1, hops + 1):
        nxt = []
        for n in frontier:
            for m in step(n):
                if m not in seen:
                    seen.add(m)
                    nxt.append(m)
                    out.append({"id": m, "hop": h, "via": n})
        frontier = nxt
    return out


def firm(ex: Explorer, snap: Snapshot, firm_id: str, lang: str) -> dict:
    G = snap.G
    d = _require(G, firm_id, "Firm")

    def build():
        a = snap.analysis()
        segs = out_by_type(G, firm_id, "IN_SEGMENT")
        chains = sorted({a.view.chain_of[s] for s in segs if s in a.view.chain_of})
        ref = lambda n: {**_node_ref(G, n, lang), "local": G.nodes[n].get("local")}
        suppliers = [{**ref(r["id"]), "hop": r["hop"], "via": r["via"]} for r in _supply_hops(G, firm_id, "in")]
        customers = [{**ref(r["id"]), "hop": r["hop"], "via": r["via"]} for r in _supply_hops(G, firm_id, "out")]
        fills = []
        if d.get("local") is not True:
            for c in chains:  # each chain's prospects are computed once per data version
                fills += [p for p in chain_rows(snap, "prospects", c, lang) if p["firm_id"] == firm_id]
        city = overview(ex, snap, "zh")["tiers"]  # the city's thresholds, whatever the language (built at start)
        tiers = sorted((r["threshold"] for r in city
                        if d.get("revenue_100m_cny") is not None and d["revenue_100m_cny"] >= r["threshold"]),
                       reverse=True)
        return {
            **ref(firm_id), "credit_code": d.get("credit_code"), "tags": d.get("tags") or [],
            "revenue": d.get("revenue_100m_cny"), "revenue_year": d.get("revenue_year"),
            "tier": tiers[0] if tiers else None,
            "segments": [{**_node_ref(G, s, lang), "status": a.statuses[s].status if s in a.statuses else None,
                          "chain": _node_ref(G, a.view.chain_of[s], lang) if s in a.view.chain_of else None}
                         for s in segs],
            "chains": [_node_ref(G, c, lang) for c in chains],
            "districts": [_node_ref(G, x, lang) for x in out_by_type(G, firm_id, "LOCATED_IN")],
            "funds": [{**_node_ref(G, f, lang), "amount": G.edges[f, firm_id, "INVESTS_IN"].get("amount_100m_cny")}
                      for f in in_by_type(G, firm_id, "INVESTS_IN")],
            "projects": [{**_node_ref(G, p, lang), "status": G.nodes[p].get("status"), "date": G.nodes[p].get("date")}
                         for p in out_by_type(G, firm_id, "HAS_PROJECT")],
            "suppliers": suppliers, "customers": customers, "fills": fills,
            "source": _source(G, firm_id), "sources": _sources(G, [d.get("source_id")]),
            "browser": ex.browser("firm_network", firm=firm_id),
        }
    return snap.page(("firm", firm_id, lang), build)


def district(ex: Explorer, snap: Snapshot, district_id: str, lang: str) -> dict:
    G = snap.G
    d = _require(G, district_id, "District")

    def build():
        inside = districts_under(G, district_id)
        a = snap.analysis(district_id)
        firms = sorted({u for x in inside for u in in_by_type(G, x, "LOCATED_IN") if G.nodes[u].get("label") == "Firm"})
        segs: dict[str, set[str]] = {}
        for f in firms:
            for s in out_by_type(G, f, "IN_SEGMENT"):
                segs.setdefault(s, set()).add(f)
        chains: dict[str, list[str]] = {}
        for s in segs:
            if s in a.view.chain_of:
                chains.setdefault(a.view.chain_of[s], []).append(s)
        gaps = [r for r in gap_records(a, lang) if r["chain_id"] in chains and r["status"] in GAPS][:30]
        parent = out_by_type(G, district_id, "PART_OF")
        return {
            **_node_ref(G, district_id, lang), "kind_text": d.get("kind"),
            "parent": [_node_ref(G, p, lang) for p in parent],
            "children": [_node_ref(G, x, lang) for x in in_by_type(G, district_id, "PART_OF")],
            "firms": [{**_node_ref(G, f, lang), "local": G.nodes[f].get("local"),
                       "revenue": G.nodes[f].get("revenue_100m_cny")} for f in firms[:500]],
            "firm_count": len(firms),
            "chains": [{**_node_ref(G, c, lang), "segments": [
                {**_node_ref(G, s, lang), "firms": len(segs[s]), "status": a.statuses[s].status,
                 "colour": status_colour(a.statuses[s].status)} for s in sorted(ss)]} for c, ss in chains.items()],
            "gaps": gaps,
            "labs": [_node_ref(G, u, lang) for x in inside for u in in_by_type(G, x, "LOCATED_IN")
                     if G.nodes[u].get("label") == "Lab"],
            "browser": ex.browser("district_chains", district=district_id),
        }
    return snap.page(("district", district_id, lang), build)


# -- export -------------------------------------------------------------------------------------

EXPORT_COLUMNS = ("rank", "segment_id", "segment", "stage_label", "key", "status_label", "display", "local_firms",
                  "local_firm_names", "priority", "priority_parts", "why", "source_id", "source_url", "confidence")


def chain_tables(snap: Snapshot, chain_id: str, lang: str, district: str | None = None, *,
                 to: str = "xlsx") -> dict[str, list[list]]:
    """The chain's tables (segments, prospects, chokepoints, leaders) as header + rows, every text
    cell as :func:`chainkg.cells.cell` writes it for ``to`` (csv or xlsx: text never a formula)."""
    G = snap.G
    _require(G, chain_id, "Chain")
    a = snap.analysis(district)
    heads = L.headers(lang)

    def table(rows, cols):  # the one flattener and the one cell formatter (text neutralised, numbers kept)
        flat = [flatten(r, lang) for r in rows]
        return [[heads.get(c, c) for c in cols]] + [[cell(r.get(c), lang, to=to) for c in cols] for r in flat]

    gaps = sorted(chain_rows(snap, "gaps", chain_id, lang, district), key=lambda r: r["rank"])
    prospects = chain_rows(snap, "prospects", chain_id, lang, district)
    return {
        "segments": table(gaps, EXPORT_COLUMNS),
        "prospects": table(prospects, ("segment_id", "segment", "status_label", "gap_priority", "firm_id", "firm",
                                       "score", "score_parts", "reasons", "message", "source_id")),
        "chokepoints": table(chain_rows(snap, "chokepoints", chain_id, lang, district),
                             ("segment_id", "segment", "status_label", "pair_names", "flow_betweenness", "source_id")),
        "leaders": table(leader_records(a, lang, chain=chain_id),
                         ("firm_id", "firm", "revenue_100m_cny", "segments_covered", "tagged_chain_leader", "source_id")),
    }
