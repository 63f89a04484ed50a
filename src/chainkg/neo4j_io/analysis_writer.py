"""Write the analysis onto the graph: ``ana_*`` properties and one status label per segment.

Every run sets the full declared set of ``ana_*`` properties (null where a value does not apply)
and exactly one status label, so a rerun never duplicates and nothing stale survives; segments
and firms of the graph that the analysis did not cover lose their ``ana_*`` properties and
status label. ``chainkg load`` never touches any of this.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..analysis import Analysis
from ..analysis.firms import chain_leader_candidates, key_firms
from ..analysis.views import nodes_by_label
from ..cypher.names import label
from ..errors import ChainKGError
from ..graph_model.schema import STATUS_LABELS
from .version import bump_version
from .writer import batches

SEGMENT_PROPS = ("ana_status", "ana_status_label", "ana_display", "ana_direction", "ana_local_firms",
                 "ana_priority", "ana_priority_key", "ana_priority_kind", "ana_priority_adjacent_local_firms",
                 "ana_priority_flow_betweenness_points", "ana_priority_labs", "ana_priority_funds", "ana_flow_betweenness",
                 "ana_chokepoint", "ana_chokepoint_pairs", "ana_coverage", "ana_confirmed_absence", "ana_basis",
                 "ana_inferred_facts", "ana_run_at")
FIRM_PROPS = ("ana_key_firm", "ana_key_reasons", "ana_pagerank", "ana_betweenness", "ana_betweenness_sampled",
              "ana_leader_rank", "ana_run_at")


class AnalysisWriteError(ChainKGError):
    """The analysis rows do not match the declared ``ana_*`` properties (a bug, not a data problem)."""
    exit_code = 2


@dataclass
class WriteReport:
    run_at: str
    segments: dict[str, int] = field(default_factory=dict)  # status label -> segments written
    firms: int = 0
    not_in_graph: list[str] = field(default_factory=list)
    cleared_segments: int = 0
    cleared_firms: int = 0


def segment_rows(a: Analysis, gaps: list[dict], run_at: str) -> dict[str, list[dict]]:
    """Status label -> rows ``{id, props}`` from the gap findings (pure: tested without a database)."""
    out: dict[str, list[dict]] = {}
    for g in gaps:
        s, prio = g["segment_id"], g["priority"]
        props = {
            "ana_status": g["status"], "ana_status_label": g["status_label"], "ana_display": g["display"],
            "ana_direction": g["direction"], "ana_local_firms": g["local_firms"], "ana_priority": prio["total"],
            **{f"ana_priority_{k}": float(v) for k, v in prio["parts"].items()},
            "ana_flow_betweenness": g["flow_betweenness"], "ana_chokepoint": g["chokepoint"],
            "ana_chokepoint_pairs": [f"{u}->{d}" for u, d in a.chokepoints.get(s, [])],
            "ana_coverage": g["coverage"]["ratio"], "ana_confirmed_absence": g["confirmed"],
            "ana_basis": g["basis"], "ana_inferred_facts": [f"{x['id']}: {x['text']}" for x in g["inferred_facts"]],
            "ana_run_at": run_at,
        }
        if set(props) != set(SEGMENT_PROPS):  # every run sets the full declared set: never skipped (python -O)
            raise AnalysisWriteError(f"Segment {s}: the analysis properties differ from the declared set: "
                                     f"{sorted(set(props) ^ set(SEGMENT_PROPS))}.")
        out.setdefault(STATUS_LABELS[g["status"]], []).append({"id": s, "props": props})
    return out


def firm_rows(a: Analysis, run_at: str) -> list[dict]:
    cent = a.centrality
    keys = {r["firm_id"]: r["reasons"] for r in key_firms(a.G, a.view, cent)}
    ranks: dict[str, int] = {}
    for rows in chain_leader_candidates(a.G, a.view, cent).values():
        for r in rows:
            ranks[r["firm_id"]] = min(r["rank"], ranks.get(r["firm_id"], r["rank"]))
    out = []
    for f in nodes_by_label(a.G, "Firm"):
        out.append({"id": f, "props": {
            "ana_key_firm": f in keys, "ana_key_reasons": keys.get(f, []),
            "ana_pagerank": cent.pagerank.get(f) if cent.supplies_data else None,
            "ana_betweenness": cent.betweenness.get(f) if cent.supplies_data else None,
            "ana_betweenness_sampled": cent.betweenness_sampled if cent.supplies_data else None,
            "ana_leader_rank": ranks.get(f), "ana_run_at": run_at}})
    return out


def _bumped(tx, value):
    """``value``, after bumping the data version in the same transaction ``tx`` (readers see the change)."""
    bump_version(tx)
    return value


def write_analysis(driver, database: str, a: Analysis, *, batch_size: int = 10_000, lang: str = "zh") -> WriteReport:
    """Write ``a`` (its gap findings in ``lang``) onto the graph; see the module text."""
    from ..findings import gap_records

    run_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    report = WriteReport(run_at)
    all_status = ":".join(label(x) for x in STATUS_LABELS.values())
    written_segments, written_firms = set(), set()
    def write(q: str, rows: list[dict]) -> set[str]:
        """Run ``q`` over ``rows`` in batches; the ids it matched (the others are not in the graph)."""
        found: set[str] = set()
        for batch in batches(rows, batch_size):
            with driver.session(database=database) as session:
                ids = set(session.execute_write(lambda tx, b=batch: _bumped(tx, tx.run(q, rows=b).single()["ids"])))
            found |= ids
            report.not_in_graph += [r["id"] for r in batch if r["id"] not in ids]
        return found

    for status_label, rows in segment_rows(a, gap_records(a, lang), run_at).items():
        ids = write(f"UNWIND $rows AS row MATCH (s:{label('Segment')} {{id: row.id}}) REMOVE s:{all_status} "
                    f"SET s:{label(status_label)} SET s += row.props RETURN collect(s.id) AS ids", rows)
        written_segments |= ids
        report.segments[status_label] = report.segments.get(status_label, 0) + len(ids)
    written_firms |= write(f"UNWIND $rows AS row MATCH (f:{label('Firm')} {{id: row.id}}) SET f += row.props "
                           "RETURN collect(f.id) AS ids", firm_rows(a, run_at))
    report.firms = len(written_firms)
    # whatever this run did not cover loses the analysis of an earlier run
    seg_null = {k: None for k in SEGMENT_PROPS}
    firm_null = {k: None for k in FIRM_PROPS}
    with driver.session(database=database) as session:
        report.cleared_segments = session.execute_write(lambda tx: _bumped(tx, tx.run(
            f"MATCH (s:{label('Segment')}) WHERE NOT s.id IN $ids AND s.ana_run_at IS NOT NULL "
            f"REMOVE s:{all_status} SET s += $nulls RETURN count(s) AS c",
            ids=list(written_segments), nulls=seg_null).single()["c"]))
        report.cleared_firms = session.execute_write(lambda tx: _bumped(tx, tx.run(
            f"MATCH (f:{label('Firm')}) WHERE NOT f.id IN $ids AND f.ana_run_at IS NOT NULL SET f += $nulls "
            "RETURN count(f) AS c", ids=list(written_firms), nulls=firm_null).single()["c"]))
    return report
