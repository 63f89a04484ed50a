"""Benchmark chainkg intake: accuracy on a real labelled list of Chinese firms, and speed on 100,000 rows.

Accuracy (``accuracy`` sub-command) needs a public labelled dataset: firms with a text of what they
make or do, and an industry label. It is never committed; give its path. The figures in
docs/intake.md come from the A-share list with Tushare industry labels and 主营业务 text saved by
https://github.com/HeXY0223/get-A-shares-stock-informations (file ``assets/stock_basics.csv`` of
commit 3e8280b, 2025-08-08; columns name, industry, main_business; 5,732 firms, 110 labels; the
repository states no licence, so the file is used for measurement only and not redistributed)::

    git clone https://github.com/HeXY0223/get-A-shares-stock-informations /tmp/ashare
    git -C /tmp/ashare show 3e8280b:assets/stock_basics.csv > /tmp/stock_basics.csv
    .venv/bin/python bench/intake.py accuracy /tmp/stock_basics.csv \\
        --name-col name --text-col main_business --label-col industry

Each label becomes a segment; by k-fold cross-validation the firms of k-1 folds are placed in the
dataset and the firms of the remaining fold are proposed for, as a list staff would bring. It
reports top-1 / top-3 accuracy and the precision / recall of the ``proposed`` decision, against a
name-only keyword baseline (the rules platforms write: for each label, the name words (character
bigrams) that, in the training folds, appear in at least 2 names and mostly (>= 60%) for that
label; a firm gets the label whose keywords its name hits most, and every hit is "proposed").

Speed (``speed`` sub-command): 100,000 synthetic list rows (names, products and business scopes
built from the bundled dataset's terms; written as CSV) proposed against yangzhou-613 with 2,000
placed firms added for similarity; target <= 60 s and < 2 GB peak RSS::

    .venv/bin/python bench/intake.py speed --rows 100000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import resource
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from chainkg.graph_model.records import Dataset, Node, Rel
from chainkg.intake.columns import ListRow
from chainkg.intake.propose import Proposer, Thresholds


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- accuracy --------------------------------------------------------------------------------------

def load_labelled(path: Path, name_col: str, text_col: str, label_col: str) -> list[tuple[str, str, str]]:
    from chainkg.loaders.frames import read_frame

    frame = read_frame(path, header_hint=[name_col, text_col, label_col])
    out = []
    for _, r in frame.records():
        name, text, label = r.get(name_col), r.get(text_col), r.get(label_col)
        if name and text and label:
            out.append((name, text, label))
    return out


def build_dataset(train: list[tuple[str, str, str]], labels: dict[str, str]) -> Dataset:
    ds = Dataset("bench")
    ds.nodes["CL"] = Node("CL", "Cluster", {"name": "bench"})
    ds.nodes["CH"] = Node("CH", "Chain", {"name": "bench"})
    ds.rels[("HAS_CHAIN", "CL", "CH")] = Rel("HAS_CHAIN", "CL", "CH", {})
    for label, sid in labels.items():
        ds.nodes[sid] = Node(sid, "Segment", {"name": label, "stage": "midstream"})
        ds.rels[("HAS_SEGMENT", "CH", sid)] = Rel("HAS_SEGMENT", "CH", sid, {})
    for i, (name, text, label) in enumerate(train):
        fid = f"F{i}"
        ds.nodes[fid] = Node(fid, "Firm", {"name": name, "main_products": text, "local": True})
        ds.rels[("IN_SEGMENT", fid, labels[label])] = Rel("IN_SEGMENT", fid, labels[label], {})
    return ds


def name_keywords(train: list[tuple[str, str, str]], min_count: int = 2, min_share: float = 0.6):
    counts: dict[str, Counter] = defaultdict(Counter)
    for name, _, label in train:
        for g in {name[i:i + 2] for i in range(len(name) - 1)}:
            counts[g][label] += 1
    out: dict[str, str] = {}
    for g, c in counts.items():
        label, n = c.most_common(1)[0]
        if n >= min_count and n / sum(c.values()) >= min_share:
            out[g] = label
    return out


def baseline_predict(name: str, keywords: dict[str, str]) -> list[str]:
    hits = Counter(keywords[g] for g in {name[i:i + 2] for i in range(len(name) - 1)} if g in keywords)
    return [label for label, _ in sorted(hits.items(), key=lambda x: (-x[1], x[0]))]


def accuracy(args) -> None:
    rows = load_labelled(Path(args.path), args.name_col, args.text_col, args.label_col)
    rng = random.Random(args.seed)
    rng.shuffle(rows)
    labels = {label: f"S{i:03d}" for i, label in enumerate(sorted({r[2] for r in rows}))}
    label_of = {sid: label for label, sid in labels.items()}
    th = Thresholds(args.proposed_at, args.review_at)
    tot = Counter()
    t0 = time.perf_counter()
    for k in range(args.folds):
        test = rows[k::args.folds]
        train = [r for i, r in enumerate(rows) if i % args.folds != k]
        proposer = Proposer(build_dataset(train, labels), th, top=3)
        props = proposer.score_rows([ListRow("bench", None, i, n, main_products=t) for i, (n, t, _) in enumerate(test)])
        kw = name_keywords(train)
        for (name, _, label), ps in zip(test, props, strict=True):
            ranked = [label_of[p.segment_id] for p in ps]
            tot["n"] += 1
            tot["top1"] += bool(ranked[:1] == [label])
            tot["top3"] += label in ranked[:3]
            proposed = [label_of[p.segment_id] for p in ps if p.decision == "proposed"]
            tot["proposed"] += len(proposed)
            tot["proposed_ok"] += label in proposed
            tot["shown"] += bool(ps)
            b = baseline_predict(name, kw)
            tot["b_top1"] += bool(b[:1] == [label])
            tot["b_top3"] += label in b[:3]
            tot["b_proposed"] += len(b)
            tot["b_proposed_ok"] += label in b
            tot["b_shown"] += bool(b)
    secs = time.perf_counter() - t0
    n = tot["n"]

    def pct(a, b):
        return f"{100 * a / b:.1f}%" if b else "n/a"

    print(f"dataset: {args.path} ({len(rows)} firms with name, text and label; {len(labels)} labels)")
    print(f"{args.folds}-fold cross-validation, seed {args.seed}, thresholds proposed >= {th.proposed}, "
          f"review >= {th.review}; run {dt.date.today().isoformat()}, {secs:.1f} s, peak RSS {_peak_mb():.0f} MB")
    print("| method | top-1 | top-3 | precision of proposed | recall of proposed | firms with a proposal |")
    print("|---|---|---|---|---|---|")
    print(f"| chainkg intake (similarity to placed firms) | {pct(tot['top1'], n)} | {pct(tot['top3'], n)} | "
          f"{pct(tot['proposed_ok'], tot['proposed'])} | {pct(tot['proposed_ok'], n)} | {pct(tot['shown'], n)} |")
    print(f"| name-only keyword baseline | {pct(tot['b_top1'], n)} | {pct(tot['b_top3'], n)} | "
          f"{pct(tot['b_proposed_ok'], tot['b_proposed'])} | {pct(tot['b_proposed_ok'], n)} | "
          f"{pct(tot['b_shown'], n)} |")


# -- speed ---------------------------------------------------------------------------------------------

def synth_list(path: Path, rows: int, terms: list[str], seed: int) -> None:
    rng = random.Random(seed)
    filler = ["研发", "生产", "销售", "技术服务", "货物进出口", "技术进出口", "一般项目", "设备租赁"]
    places = ["邗江区", "江都区", "仪征市", "高邮市", "宝应县", "广陵区", "扬州经济技术开发区", "南京市"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["企业名称", "统一社会信用代码", "主营产品", "经营范围", "注册地址", "登记状态"])
        for i in range(rows):
            a, b = rng.sample(terms, 2)
            scope = "；".join(rng.sample(terms, 3) + rng.sample(filler, 3))
            status = "注销" if rng.random() < 0.02 else "存续"
            w.writerow([f"扬州{a}{i:06d}有限公司", "", f"{a}、{b}", scope, f"江苏省扬州市{rng.choice(places)}示例路{i}号",
                        status])


def speed(args) -> None:
    from chainkg.intake import propose, write_review
    from chainkg.loaders import load_valid

    ds = load_valid("yangzhou-613")
    terms = sorted({r.props["term"] for r in ds.rules["segment_terms"] if r.props.get("mode") != "exclude"})
    segs = [n.id for n in ds.nodes_of("Segment")]
    rng = random.Random(args.seed)
    for i in range(args.placed):  # placed firms so that similarity is computed too
        fid = f"F-BENCH-{i}"
        ds.nodes[fid] = Node(fid, "Firm", {"name": f"扬州{rng.choice(terms)}{i}有限公司", "local": True,
                                            "main_products": "、".join(rng.sample(terms, 3))})
        seg = rng.choice(segs)
        ds.rels[("IN_SEGMENT", fid, seg)] = Rel("IN_SEGMENT", fid, seg, {})
    with tempfile.TemporaryDirectory() as tmp:
        lst = Path(tmp) / "名录.csv"
        t0 = time.perf_counter()
        synth_list(lst, args.rows, terms, args.seed)
        t1, c1 = time.perf_counter(), time.process_time()
        result = propose([lst], ds)
        t2, c2 = time.perf_counter(), time.process_time()
        if args.xlsx:
            write_review(result, Path(tmp) / "review.xlsx")
        t3, c3 = time.perf_counter(), time.process_time()
    c = result.counts()
    print(f"machine: {sys.platform}, {__import__('os').cpu_count()} cores, load average "
          f"{__import__('os').getloadavg()[0]:.1f} at the end; run {dt.date.today().isoformat()}")
    print(f"synthesized {args.rows:,} list rows in {t1 - t0:.1f} s; dataset yangzhou-613 + {args.placed} placed firms")
    print(f"propose: {t2 - t1:.1f} s wall, {c2 - c1:.1f} s CPU ({args.rows / (t2 - t1):,.0f} rows/s wall); "
          f"{c['with_proposed']:,} with a proposed "
          f"segment, {c['review_only']:,} review only, {c['no_proposal']:,} none, {c['deregistered']:,} deregistered")
    if args.xlsx:
        print(f"review.xlsx written in {t3 - t2:.1f} s wall, {c3 - c2:.1f} s CPU")
    print(f"peak RSS {_peak_mb():.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("accuracy", help="cross-validated accuracy on a labelled list (path required)")
    a.add_argument("path")
    a.add_argument("--name-col", default="name")
    a.add_argument("--text-col", default="main_business")
    a.add_argument("--label-col", default="industry")
    a.add_argument("--folds", type=int, default=5)
    a.add_argument("--seed", type=int, default=0)
    a.add_argument("--proposed-at", type=float, default=0.6)
    a.add_argument("--review-at", type=float, default=0.3)
    s = sub.add_parser("speed", help="100,000 synthetic rows proposed")
    s.add_argument("--rows", type=int, default=100_000)
    s.add_argument("--placed", type=int, default=2000)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--xlsx", action="store_true", help="also time writing review.xlsx")
    args = ap.parse_args()
    accuracy(args) if args.cmd == "accuracy" else speed(args)


if __name__ == "__main__":
    main()
