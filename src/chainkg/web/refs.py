"""Small pieces every explorer page uses: a node as a link, the node a URL names, its sources,
labs and funds behind segments, projects. URLs from data pass :func:`chainkg.safety.safe_url` here
or are dropped."""

from __future__ import annotations

from ..analysis.views import districts_under, in_by_type, name, nodes_by_label, out_by_type
from ..findings import evidence
from ..findings import labels as L
from ..graph_model.firm_table import node_attrs
from ..reports.data import backers
from ..safety import safe_url

KIND_PATH = {"Firm": "firm", "Segment": "segment", "Chain": "chain", "District": "district", "Cluster": None,
             "Lab": None, "Fund": None, "Project": None}


class NotFound(Exception):
    """No node of that kind with that id."""


def node_ref(G, n, lang) -> dict:
    d = node_attrs(G, n)
    return {"id": n, "name": name(G, n, lang), "other_name": d.get("name_en" if lang == "zh" else "name"),
            "label": d.get("label"), "kind": KIND_PATH.get(str(d.get("label")))}


def require(G, node_id: str, label: str) -> dict:
    try:
        d = node_attrs(G, node_id)
    except (KeyError, TypeError):  # TypeError: an id networkx cannot hash
        raise NotFound(f"{label} {node_id}") from None
    if d.get("label") != label:
        raise NotFound(f"{label} {node_id}")
    return d


def source(G, node) -> dict:
    ev = evidence(G, node)
    ev["source_url"] = safe_url(ev.get("source_url"))
    return ev


def sources(G, ids) -> list[dict]:
    out = []
    for s in sorted({i for i in ids if i and i in G}):
        d = G.nodes[s]
        out.append({"id": s, "title": d.get("title"), "url": safe_url(d.get("url")), "raw_url": d.get("url"),
                    "publisher": d.get("publisher"), "date": d.get("date"), "reliability": d.get("reliability")})
    return out


def backer_refs(G, rel: str, targets: list[str], label: str, lang: str) -> list[dict]:
    return [{**b, **node_ref(G, b["id"], lang)} for b in backers(G, rel, targets, label, lang)]


def projects(G, segments: set[str], lang: str, district: str | None = None, nb=None) -> list[dict]:
    """Projects in ``segments``; with ``district``, only those located in it (or under it) or of a firm
    located there. ``nb``: the snapshot's :class:`~chainkg.web.graphview.Neighbours` (a lean graph's firms)."""
    districts = districts_under(G, district) if district else None
    located = (lambda f: nb.out(f, "LOCATED_IN")) if nb is not None else (lambda f: out_by_type(G, f, "LOCATED_IN"))
    out = []
    for p in nodes_by_label(G, "Project"):
        segs = out_by_type(G, p, "IN_SEGMENT")
        if not segments.intersection(segs):
            continue
        d = G.nodes[p]
        firms = nb.into(p, "HAS_PROJECT") if nb is not None else in_by_type(G, p, "HAS_PROJECT")
        if districts is not None and not districts.intersection(
                [*out_by_type(G, p, "LOCATED_IN"), *(x for f in firms for x in located(f))]):
            continue
        out.append({**node_ref(G, p, lang), "status": d.get("status"), "date": d.get("date"),
                    "amount": d.get("amount_100m_cny"), "firms": [node_ref(G, f, lang) for f in firms],
                    "segments": [node_ref(G, s, lang) for s in segs], "source_id": d.get("source_id")})
    return out


def project_chain(G, chains_of: dict, project: str) -> str | None:
    """The chain of a project's (first) segment, to link the project to its row on that chain's page."""
    segs = out_by_type(G, project, "IN_SEGMENT")
    return chains_of.get(segs[0]) if segs else None


def status_words(lang: str) -> dict[str, str]:
    return {k: L.pick(v, lang) for k, v in L.STATUS.items()}


def basis(row: dict) -> dict:
    """What the trust branch adds to finding rows (``basis``, ``inferred_facts``), when present."""
    return {"basis": row.get("basis"), "inferred_facts": row.get("inferred_facts") or []}
