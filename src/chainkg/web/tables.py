"""A chain's tables for download (segments, prospects, chokepoints, leaders): header + rows, every
text cell written by the one cell formatter."""

from __future__ import annotations

from ..cells import cell
from ..findings import labels as L
from ..findings import leader_records
from ..reports.tables import flatten
from .pages import chain_rows
from .refs import require
from .snapshot import Snapshot

EXPORT_COLUMNS = ("rank", "segment_id", "segment", "stage_label", "key", "status_label", "display", "local_firms",
                  "local_firm_names", "priority", "priority_parts", "why", "source_id", "source_url", "confidence")


def chain_tables(snap: Snapshot, chain_id: str, lang: str, district: str | None = None, *,
                 to: str = "xlsx") -> dict[str, list[list]]:
    """The chain's tables (segments, prospects, chokepoints, leaders) as header + rows, every text
    cell as :func:`chainkg.cells.cell` writes it for ``to`` (csv or xlsx: text never a formula)."""
    G = snap.G
    require(G, chain_id, "Chain")
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
