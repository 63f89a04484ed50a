"""A reproducible synthetic dataset in the input format, of any size, with a realistic shape.

Several clusters and chains, 8-15 segments per chain laid out by stage, FEEDS inside chains
and across them, one recycling cycle, one segment with no links, local and outside firms,
SUPPLIES from upstream to downstream firms, labs, funds, projects, targets and metrics.
"""

from __future__ import annotations

import csv
import random
from itertools import pairwise
from pathlib import Path
from typing import Any

STAGES = ("upstream", "midstream", "downstream")


def _uscc(rng: random.Random) -> str:
    from stdnum.cn import uscc

    body = "91" + "321000" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


class _Writer:
    """CSV files whose header row is the schema's columns of the table; rows give some of them by name."""

    def __init__(self, out: Path):
        self.out = out
        self.files: dict[str, Any] = {}
        self.counts: dict[str, int] = {}

    def row(self, table: str, names: list[str], values: list) -> None:
        from .cells import cell
        from .graph_model.schema import TABLE_BY_NAME

        if table not in self.files:
            columns = [c.name for c in TABLE_BY_NAME[table].columns]
            fh = (self.out / f"{table}.csv").open("w", encoding="utf-8", newline="")
            w = csv.writer(fh)
            w.writerow(columns)
            self.files[table] = (fh, w, columns)
        fh, w, columns = self.files[table]
        rec = dict(zip(names, values, strict=True))
        unknown = set(rec) - set(columns)
        if unknown:
            raise ValueError(f"synth writes columns {sorted(unknown)} that table {table} does not declare")
        w.writerow(["" if rec.get(c) is None else cell(rec[c], to="data") for c in columns])
        self.counts[table] = self.counts.get(table, 0) + 1

    def close(self):
        for fh, _, _ in self.files.values():
            fh.close()


#: the date the synthetic monitoring set is written for: ``chainkg monitor --as-of 2026-06-30``
SYNTH_AS_OF = "2026-06-30"

# (milestone name, planned_start, planned_date, done_date, planned funds, paid, progress, updated_on, light wanted)
# judged as of SYNTH_AS_OF with the shipped thresholds; each case lights one dimension, the others
# green or not judged (docs/monitor.md explains every figure).
_MONITOR_CASES = (
    ("开始-红灯", "2026-02", None, None, None, None, None, None, "start red: 2026-02-28 + 3 months < 06-30"),
    ("开始-黄灯", "2026-05", None, None, None, None, None, None, "start yellow: 30 days after 2026-05-31"),
    ("开始-绿灯", "2026-06", None, None, None, None, None, None, "start green: 2026-06 not over"),
    ("进度-红灯", "2026-01", "2026-12", None, None, None, 10, "2026-06-20", "schedule red: 49.5% expected, 39.5 behind"),
    ("进度-黄灯", "2026-01", "2026-12", None, None, None, 30, "2026-06-20", "schedule yellow: 19.5 behind"),
    ("进度-绿灯", "2026-01", "2026-12", None, None, None, 50, "2026-06-20", "schedule green: ahead"),
    ("资金-红灯", "2026-01", "2026-12", None, 1000, 100, 50, "2026-06-20", "funds red: 10% paid, 39.5 behind"),
    ("资金-黄灯", "2026-01", "2026-12", None, 1000, 300, 50, "2026-06-20", "funds yellow: 30% paid, 19.5 behind"),
    ("资金-绿灯", "2026-01", "2026-12", None, 1000, 500, 50, "2026-06-20", "funds green: 50% paid"),
    ("更新-红灯", "2026-01", "2026-12", None, None, None, 50, "2026-04-15", "freshness red: 76 days"),
    ("更新-黄灯", "2026-01", "2026-12", None, None, None, 50, "2026-05-20", "freshness yellow: 41 days"),
    ("已完成", "2025-06", "2026-03", "2026-03-15", 200, 200, 100, "2026-03-15", "done: green"),
    ("缺计划", None, None, None, None, None, None, None, "not judged: no dates"),
)


def _monitoring_set(w: _Writer, rng: random.Random, src: str, segments: list[str], firms: list[str]) -> None:
    """One TechItem per case of ``_MONITOR_CASES`` (kinds in turn), serving a segment, led by a firm."""
    from .graph_model.schema import ENUMS

    kinds = list(ENUMS["tech_kind"])
    item_hdr = ["id", "name", "kind", "serves_id", "lead_id", "source_id", "confidence"]
    ms_hdr = ["id", "item_id", "name", "planned_start", "planned_date", "done_date", "planned_funds_10k_cny",
              "funds_paid_10k_cny", "progress_pct", "updated_on", "note", "source_id"]
    for k, (name, start, due, done, planned, paid, progress, updated, note) in enumerate(_MONITOR_CASES, start=1):
        w.row("tech_items", item_hdr, [f"TI{k}", f"关键技术{k}（{name}）", kinds[(k - 1) % len(kinds)],
                                       rng.choice(segments), rng.choice(firms), src, "inferred"])
        w.row("tech_milestones", ms_hdr, [f"TM{k}", f"TI{k}", f"里程碑{k}（{name}）", start, due, done, planned, paid,
                                          progress, updated, note, src])


def synth_dataset(out: Path, firms: int = 1000, seed: int = 0, chains: int | None = None) -> dict[str, int]:
    """Write the dataset as CSV files into ``out``; return rows per table."""
    rng = random.Random(seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    w = _Writer(out)
    n_chains = chains or max(3, min(13, firms // 50 or 3))
    n_clusters = max(2, (n_chains + 2) // 3)
    src = "SRC1"
    try:
        w.row("sources", ["id", "title", "url", "publisher", "date", "reliability"],
              [src, f"Synthetic dataset (seed {seed})", None, "chainkg synth", None, "low"])
        for k in range(1, n_clusters + 1):
            w.row("clusters", ["id", "name", "name_en", "source_id", "confidence"],
                  [f"CL{k}", f"集群{k}", f"Cluster {k}", src, "inferred"])
        districts = [f"D{k}" for k in range(1, 11)]
        w.row("districts", ["id", "name", "kind", "parent_id", "source_id"], ["D0", "示例市", "地级市", None, src])
        for d in districts:
            w.row("districts", ["id", "name", "kind", "parent_id", "source_id"], [d, f"{d}区", "区", "D0", src])

        segs_of_chain: dict[str, list[tuple[str, str]]] = {}
        seg_hdr = ["id", "chain_id", "name", "name_en", "stage", "key", "local_absence_confirmed", "source_id",
                   "confidence"]
        link_hdr = ["from_id", "to_id", "source_id", "confidence"]
        for c in range(1, n_chains + 1):
            chain = f"CH{c}"
            w.row("chains", ["id", "cluster_id", "name", "name_en", "source_id", "confidence"],
                  [chain, f"CL{(c - 1) % n_clusters + 1}", f"产业链{c}", f"Chain {c}", src, "inferred"])
            n_seg = rng.randint(8, 15)
            segs = []
            for s in range(1, n_seg + 1):
                stage = STAGES[min(2, (s - 1) * 3 // n_seg)]
                sid = f"{chain}-S{s}"
                segs.append((sid, stage))
                w.row("segments", seg_hdr, [sid, chain, f"环节{c}-{s}", f"Segment {c}-{s}", stage,
                                            "true" if rng.random() < 0.2 else "false", "false", src, "inferred"])
            segs_of_chain[chain] = segs
            # layered links: each segment (but the last, unlinked one) feeds 1-2 later segments
            linked = segs[:-1]
            for i, (sid, _) in enumerate(linked[:-1]):
                later = linked[i + 1:]
                for tid, _ in rng.sample(later, min(len(later), rng.choice((1, 1, 2)))):
                    w.row("segment_links", link_hdr, [sid, tid, src, "inferred"])
            if c == 1:  # recycling: the last linked (downstream) segment feeds the first (upstream)
                w.row("segment_links", link_hdr, [linked[-1][0], linked[0][0], src, "inferred"])
        chain_ids = list(segs_of_chain)
        for a, b in pairwise(chain_ids):  # cross-chain: an upstream segment of b feeds a's midstream
            up = next(s for s, st in segs_of_chain[b] if st == "upstream")
            mid = next(s for s, st in segs_of_chain[a] if st == "midstream")
            w.row("segment_links", link_hdr, [up, mid, src, "inferred"])

        all_segs = [(chain, sid, stage) for chain, segs in segs_of_chain.items() for sid, stage in segs[:-1]]
        firm_hdr = ["id", "name", "credit_code", "district_id", "local", "revenue_100m_cny", "revenue_year", "tags",
                    "source_id", "confidence"]
        fs_hdr = ["firm_id", "segment_id", "source_id"]
        firm_seg: list[tuple[str, str, int]] = []  # firm, chain, stage index
        for f in range(1, firms + 1):
            fid = f"F{f}"
            local = rng.random() < 0.6
            revenue = round(rng.lognormvariate(1.0, 1.6), 2) if rng.random() < 0.7 else None
            tags = ";".join(t for t, p in (("专精特新", 0.05), ("上市", 0.02), ("单项冠军", 0.005)) if rng.random() < p)
            w.row("firms", firm_hdr, [fid, f"企业{f}", _uscc(rng) if local and rng.random() < 0.5 else None,
                                      rng.choice(districts) if local else None, "true" if local else "false",
                                      revenue, 2024 if revenue is not None else None, tags or None, src, "inferred"])
            chain, sid, stage = rng.choice(all_segs)
            w.row("firm_segments", fs_hdr, [fid, sid, src])
            firm_seg.append((fid, chain, STAGES.index(stage)))
            if rng.random() < 0.2:
                chain2, sid2, _ = rng.choice(all_segs)
                if sid2 != sid:
                    w.row("firm_segments", fs_hdr, [fid, sid2, src])
        # SUPPLIES: about one per firm, from a firm to a firm of the same chain at a later stage
        by_chain_stage: dict[tuple[str, int], list[str]] = {}
        for fid, chain, st in firm_seg:
            by_chain_stage.setdefault((chain, st), []).append(fid)
        seen = set()
        for fid, chain, st in firm_seg:
            customers = by_chain_stage.get((chain, min(2, st + 1))) or by_chain_stage.get((chain, st))
            if not customers:
                continue
            cust = rng.choice(customers)
            if cust != fid and (fid, cust) not in seen:
                seen.add((fid, cust))
                w.row("supplies", ["supplier_id", "customer_id", "source_id", "confidence"], [fid, cust, src, "inferred"])
        for k in range(1, max(3, firms // 2000) + 1):
            w.row("labs", ["id", "name", "kind", "level", "district_id", "source_id"],
                  [f"L{k}", f"实验室{k}", "实验室", rng.choice(["国家级", "省级", "市级"]), rng.choice(districts), src])
            chain, sid, _ = rng.choice(all_segs)
            w.row("lab_supports", ["lab_id", "target_id", "source_id"], [f"L{k}", sid if k % 2 else chain, src])
        for k in range(1, 11):
            w.row("funds", ["id", "name", "size_100m_cny", "manager", "source_id"],
                  [f"FD{k}", f"基金{k}", rng.choice([10, 16, 23, 50]), None, src])
            w.row("fund_chains", ["fund_id", "chain_id", "source_id"], [f"FD{k}", rng.choice(chain_ids), src])
        for _ in range(max(5, firms // 100)):
            w.row("fund_investments", ["fund_id", "firm_id", "amount_100m_cny", "source_id"],
                  [f"FD{rng.randint(1, 10)}", f"F{rng.randint(1, firms)}", round(rng.uniform(0.1, 3), 2), src])
        for k in range(1, max(3, firms // 200) + 1):
            fid, chain, _ = rng.choice(firm_seg)
            w.row("projects", ["id", "name", "firm_id", "segment_id", "district_id", "amount_100m_cny", "status", "date",
                               "source_id"],
                  [f"P{k}", f"项目{k}", fid, rng.choice(segs_of_chain[chain][:-1])[0], rng.choice(districts),
                   round(rng.uniform(1, 100), 1), rng.choice(["signed", "started", "landed"]), "2024-06", src])
        for tid, thr, cnt in (("T1", 500, 1), ("T2", 100, 10), ("T3", 50, 20), ("T4", 20, 50)):
            w.row("targets", ["id", "scope", "scope_id", "metric", "threshold", "count", "year", "source_id"],
                  [tid, "city", None, "firms_revenue_over", thr, cnt, 2025, src])
        for cid in chain_ids:
            w.row("metrics", ["id", "scope", "scope_id", "metric", "value", "unit", "period", "source_id"],
                  [f"M-{cid}", "chain", cid, "firms_above_designated_size", rng.randint(20, 400), "家", "2024", src])
        _monitoring_set(w, rng, src, [sid for _, sid, _ in all_segs], [f for f, _, _ in firm_seg])
    finally:
        w.close()
    return dict(w.counts)
