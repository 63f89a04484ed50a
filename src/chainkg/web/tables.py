"""A chain's tables for download, every table its page shows (segments, prospects, chokepoints,
chain-leader candidates, projects, labs, funds, sources): header + rows, every text cell written by the
one cell formatter, yes/no as 是/否 (yes/no), each table with its sheet name in the page's language."""

from __future__ import annotations

from ..cells import YES_NO, cell
from ..findings import labels as L
from ..findings import leader_records
from ..graph_model.vocabulary import PAGE_SHEETS, TABLE_HEADERS
from ..reports.tables import flatten
from .pages import chain_rows, table_order
from .refs import backer_refs, projects, require, sources
from .snapshot import Snapshot
from .words import shown

EXPORT_COLUMNS = ("rank", "segment_id", "segment", "stage_label", "key", "status_label", "display", "local_firms",
                  "local_firm_names", "priority", "priority_parts", "why", "source_id", "source_url", "confidence")
#: table key -> (sheet name zh, en); the order of the workbook's sheets
TABLE_NAMES = PAGE_SHEETS  # the declared vocabulary's
CHAIN_TABLES = ("segments", "prospects", "chokepoints", "leaders", "projects", "labs", "funds", "sources")
DISTRICT_COLUMNS = ("chain_id", "chain", "segment_id", "segment", "stage_label", "status_label", "display", "local_firms",
                    "local_firm_names", "priority", "priority_parts", "why", "source_id")
OWN_HEADERS = TABLE_HEADERS["page_tables"]  # columns of the page's own tables the findings' headers do not name


def table_name(key: str, lang: str) -> str:
    return L.pick(TABLE_NAMES[key], lang)


def chain_tables(snap: Snapshot, chain_id: str, lang: str, district: str | None = None, *,
                 to: str = "xlsx") -> dict[str, list[list]]:
    """The chain page's tables as header + rows, every text cell as :func:`chainkg.cells.cell` writes it
    for ``to`` (csv or xlsx: text never a formula), booleans as 是/否 (yes/no)."""
    G = snap.G
    require(G, chain_id, "Chain")
    if district is not None:
        require(G, district, "District")
    a = snap.analysis(district)
    heads = {**L.headers(lang), **{k: L.pick(v, lang) for k, v in OWN_HEADERS.items()}}
    yes_no = YES_NO.get(lang, YES_NO["zh"])

    def put(v):
        return yes_no[v] if isinstance(v, bool) else cell(v, lang, to=to)

    def table(rows, cols):  # the one flattener and the one cell formatter (text neutralised, numbers kept)
        flat = [flatten(r, lang) for r in rows]
        return [[heads.get(c, c) for c in cols]] + [[put(r.get(c)) for c in cols] for r in flat]

    gaps = table_order([dict(r) for r in chain_rows(snap, "gaps", chain_id, lang, district)])
    for r in gaps:
        r["rank"] = r["gap_rank"]
    prospects = chain_rows(snap, "prospects", chain_id, lang, district)
    segs = a.view.segments_of[chain_id]
    page = {"projects": projects(G, set(segs), lang, district),
            "labs": backer_refs(G, "SUPPORTS", [chain_id, *segs], "Lab", lang),
            "funds": backer_refs(G, "FOCUSES_ON", [chain_id], "Fund", lang),
            "sources": sources(G, [G.nodes[chain_id].get("source_id"), *(G.nodes[s].get("source_id") for s in segs)])}
    sep = "、" if lang == "zh" else ", "
    return {
        "segments": table(gaps, EXPORT_COLUMNS),
        "prospects": table(prospects, ("segment_id", "segment", "status_label", "gap_priority", "firm_id", "firm",
                                       "score", "score_parts", "reasons", "message", "source_id")),
        "chokepoints": table(chain_rows(snap, "chokepoints", chain_id, lang, district),
                             ("segment_id", "segment", "status_label", "pair_names", "flow_betweenness", "source_id")),
        "leaders": table(leader_records(a, lang, chain=chain_id),
                         ("firm_id", "firm", "revenue_100m_cny", "segments_covered", "tagged_chain_leader", "source_id")),
        "projects": table([{"id": p["id"], "project": p["name"], "firms": sep.join(f["name"] for f in p["firms"]),
                            "segments": sep.join(s["name"] for s in p["segments"]),
                            "project_status": shown("project_status", p["status"], lang), "amount": p["amount"],
                            "date": p["date"], "source_id": p["source_id"]} for p in page["projects"]],
                          ("id", "project", "firms", "segments", "project_status", "amount", "date", "source_id")),
        "labs": table([{"id": x["id"], "lab": x["name"], "level": shown("level", x.get("level"), lang),
                        "backs": sep.join(x.get("backs") or [])} for x in page["labs"]], ("id", "lab", "level", "backs")),
        "funds": table([{"id": x["id"], "fund": x["name"], "size": x.get("size_100m_cny")} for x in page["funds"]],
                       ("id", "fund", "size")),
        "sources": table([{**x, "reliability": shown("reliability", x["reliability"], lang), "url": x["raw_url"]}
                          for x in page["sources"]], ("id", "title", "publisher", "date", "reliability", "url")),
    }


def district_tables(ex, snap: Snapshot, district_id: str, lang: str, *, to: str = "xlsx") -> dict[str, list[list]]:
    """The district page's tables: the gaps of the chains it hosts, every segment's status with its firms
    as local (the rows of ``chainkg gaps --district``), its firms."""
    from .pages import district

    G = snap.G
    require(G, district_id, "District")
    page = district(ex, snap, district_id, lang)
    heads = {**L.headers(lang), **{k: L.pick(v, lang) for k, v in OWN_HEADERS.items()}}
    yes_no = YES_NO.get(lang, YES_NO["zh"])

    def table(rows, cols):
        flat = [flatten(r, lang) for r in rows]
        return [[heads.get(c, c) for c in cols]] + [[yes_no[v] if isinstance(v, bool) else cell(v, lang, to=to)
                                                    for v in (r.get(c) for c in cols)] for r in flat]

    firms = [{"firm_id": f["id"], "firm": f["name"], "revenue_100m_cny": f["revenue"]} for f in page["firms"]]
    return {"district_gaps": table(page["gaps"], DISTRICT_COLUMNS),
            "district_segments": table(page["every"], DISTRICT_COLUMNS),
            "district_firms": table(firms, ("firm_id", "firm", "revenue_100m_cny"))}
