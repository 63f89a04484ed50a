"""Benchmark chainkg intake: accuracy by nested k-fold cross-validation on real labelled lists of
Chinese firms, against two baselines, and speed on 100,000 rows against 100,000 placed firms.

Accuracy (``accuracy``): a labelled list (a firm's name, optionally a text of what it makes, a
label) becomes a dataset whose segments are the labels. By stratified k-fold cross-validation
the firms of k-1 folds are placed and the firms of the remaining fold are ranked, as a list
staff would bring. Every hyper-parameter (the classifier's C, the combiner, the thresholds) is
chosen by :meth:`chainkg.intake.Ranker.fit` on inner folds of the training folds only (nested);
the test fold is seen once. Methods:

- ``ranker``: chainkg intake's learned ranker (this branch);
- ``centroid``: nearest centroid of character 2-3-gram TF-IDF (the "ten-line" baseline);
- ``previous``: the engine of branch ``lint`` (kNN votes + thresholds), run from a copy of that
  branch's source (``--previous-src``, made with
  ``git archive lint src/chainkg | tar -x -C /tmp/intake-prev``).

Reported: top-1 and top-3 (every firm is given its top 3 by ``ranker`` and ``centroid``),
precision and recall of ``proposed`` (recall: firms whose true segment is proposed), coverage
(firms with at least one candidate), training seconds, and a learning curve (2, 5, 10, 20 placed
firms per segment; test folds as above).

The datasets (never committed; cite them, fetch them yourself):

1. A-share listed firms, Tushare industry labels (110), 主营业务 text: ``assets/stock_basics.csv``
   of https://github.com/HeXY0223/get-A-shares-stock-informations at commit 3e8280b (2025-08-08);
   no licence stated, used for measurement only. **Tuned on** (the development set)::

       git -C REPO show 3e8280b:assets/stock_basics.csv > /tmp/intake_stock_basics.csv
       .venv/bin/python bench/intake.py accuracy /tmp/intake_stock_basics.csv \\
           --name-col name --text-col main_business --label-col industry

2. TWSE listed firms (上市), 產業別 code (33), registered full name only: ``t187ap03_L.csv`` (TWSE
   OpenAPI open data, 政府資料開放授權條款), as copied in https://github.com/polaryang/Long_Dragon
   commit 9667b5a (2023-09-01). Not used in development::

       .venv/bin/python bench/intake.py accuracy /tmp/intake_t187ap03_L.csv \\
           --name-col 公司名稱 --label-col 產業別

3. TPEx OTC firms (上櫃), the same columns: ``t187ap03_O.csv`` of the same commit. Not used in
   development.

4. Hong Kong IPOs 2025-2026 (160 firms, mostly mainland: H shares and others), an industry label
   (港股行业, 23) and a company profile text: ``data/company_info.json`` of
   https://github.com/NevenaX/HK-IPO-DATA at commit c8db2c1 (2026-08-18; no licence stated, used for
   measurement only). Not used in development. 45 of them are A+H firms also in the A-share list:
   left out with ``--exclude-names`` (only unseen firms count)::

       git -C REPO show c8db2c1:data/company_info.json > /tmp/hkipo.json
       python3 -c "import json,csv,sys; d=json.load(open('/tmp/hkipo.json')); w=csv.writer(open('/tmp/hkipo.csv','w'));
       w.writerow(['name','profile','industry']); [w.writerow([v['company_name'],' '.join((v.get('company_profile') or '').split()),
       v['industry']]) for v in d.values()]"
       .venv/bin/python bench/intake.py accuracy /tmp/hkipo.csv --name-col name --text-col profile \\
           --label-col industry --exclude-names /tmp/intake_stock_basics.csv

Speed (``speed``): synthetic list rows and placed firms built from the bundled dataset's terms,
proposed against yangzhou-613; training and proposing timed apart, peak RSS reported::

    .venv/bin/python bench/intake.py speed --rows 100000 --placed 100000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from chainkg.intake.evidence import firm_text
from chainkg.intake.ranker import Ranker, stratified_folds


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    return (f"{sys.platform}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
            f"(the machine is shared with other jobs), {dt.datetime.now().isoformat(timespec='minutes')}")


# -- data ---------------------------------------------------------------------------------------------

def load_labelled(path: Path, name_col: str, text_col: str | None, label_col: str) -> list[tuple[str, str, str]]:
    from chainkg.loaders.frames import read_frame

    frame = read_frame(path, header_hint=[c for c in (name_col, text_col, label_col) if c])
    out = []
    for _, r in frame.records():
        name, label = r.get(name_col), r.get(label_col)
        text = r.get(text_col) if text_col else ""
        if name and label and (text or not text_col):
            out.append((name, text or "", label))
    return out


def _plain(name: str) -> str:
    return "".join(name.split()).replace("（", "(").replace("）", ")")


def exclusion_names(path: Path, col: str) -> set[str]:
    from chainkg.loaders.frames import read_frame

    frame = read_frame(path, header_hint=[col])
    return {_plain(r[col]) for _, r in frame.records() if r.get(col)}


def texts_of(rows) -> list[str]:
    return [firm_text(n, t or None, None) for n, t, _ in rows]


# -- methods ------------------------------------------------------------------------------------------

def run_ranker(train, test, labels, **options):
    rk = Ranker(labels, labels, **options)
    t0 = time.perf_counter()
    rk.fit(texts_of(train), [[r[2]] for r in train])
    secs = time.perf_counter() - t0
    ranked = rk.rank(texts_of(test), top=3)
    preds = [[c.segment for c in cs] for cs in ranked]
    proposed = [[c.segment for c in cs if rk.thresholds.decide(c.confidence) == "proposed"] for cs in ranked]
    return preds, proposed, secs, rk


def run_centroid(train, test, labels):
    """Nearest centroid of character 2-3-gram TF-IDF: the plain baseline."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    t0 = time.perf_counter()
    v = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True)
    x = v.fit_transform(texts_of(train))
    col = {lab: j for j, lab in enumerate(labels)}
    y = np.array([col[r[2]] for r in train])
    cent = np.vstack([np.asarray(x[y == j].mean(axis=0)) if (y == j).any() else np.zeros((1, x.shape[1]))
                      for j in range(len(labels))])
    cent = normalize(cent)
    secs = time.perf_counter() - t0
    s = v.transform(texts_of(test)) @ cent.T
    top = np.argsort(-s, axis=1)[:, :3]
    return [[labels[j] for j in row] for row in top], [[] for _ in test], secs


PREVIOUS_RUNNER = r"""
import json, sys
from chainkg.graph_model.records import Dataset, Node, Rel
from chainkg.intake.columns import ListRow
from chainkg.intake.propose import Proposer, Thresholds
job = json.load(open(sys.argv[1]))
ds = Dataset("bench")
ds.nodes["CL"] = Node("CL", "Cluster", {"name": "bench"})
ds.nodes["CH"] = Node("CH", "Chain", {"name": "bench"})
ds.rels[("HAS_CHAIN", "CL", "CH")] = Rel("HAS_CHAIN", "CL", "CH", {})
for sid, label in job["labels"].items():
    ds.nodes[sid] = Node(sid, "Segment", {"name": label, "stage": "midstream"})
    ds.rels[("HAS_SEGMENT", "CH", sid)] = Rel("HAS_SEGMENT", "CH", sid, {})
for i, (name, text, sid) in enumerate(job["train"]):
    fid = f"F{i}"
    ds.nodes[fid] = Node(fid, "Firm", {"name": name, "main_products": text or None, "local": True})
    ds.rels[("IN_SEGMENT", fid, sid)] = Rel("IN_SEGMENT", fid, sid, {})
p = Proposer(ds, Thresholds(), top=3)
rows = [ListRow("bench", None, i, n, main_products=t or None) for i, (n, t) in enumerate(job["test"])]
out = [[(x.segment_id, x.decision) for x in ps] for ps in p.score_rows(rows)]
json.dump(out, open(sys.argv[2], "w"))
"""


def run_previous(train, test, labels, src: Path):
    sid = {lab: f"S{i:03d}" for i, lab in enumerate(labels)}
    lab_of = {v: k for k, v in sid.items()}
    with tempfile.TemporaryDirectory() as tmp:
        job, res, script = Path(tmp) / "job.json", Path(tmp) / "out.json", Path(tmp) / "run.py"
        job.write_text(json.dumps({"labels": {v: k for k, v in sid.items()},
                                   "train": [(n, t, sid[lab]) for n, t, lab in train],
                                   "test": [(n, t) for n, t, _ in test]}, ensure_ascii=False))
        script.write_text(PREVIOUS_RUNNER)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(script), str(job), str(res)], check=True,
                       env={**os.environ, "PYTHONPATH": str(src / "src")})
        secs = time.perf_counter() - t0
        out = json.loads(res.read_text())
    preds = [[lab_of[s] for s, _ in ps] for ps in out]
    proposed = [[lab_of[s] for s, d in ps if d == "proposed"] for ps in out]
    return preds, proposed, secs


# -- measuring ----------------------------------------------------------------------------------------

def score(test, preds, proposed) -> Counter:
    c: Counter = Counter()
    for (_, _, label), p, q in zip(test, preds, proposed, strict=False):
        c["n"] += 1
        c["top1"] += p[:1] == [label]
        c["top3"] += label in p[:3]
        c["three"] += len(p) >= 3
        c["shown"] += bool(p)
        c["proposed"] += len(q)
        c["proposed_ok"] += label in q
    return c


def pct(a, b) -> str:
    return f"{100 * a / b:.1f}%" if b else "n/a"


def row_of(name: str, c: Counter, secs: float) -> str:
    return (f"| {name} | {pct(c['top1'], c['n'])} | {pct(c['top3'], c['n'])} | {pct(c['three'], c['n'])} | "
            f"{pct(c['proposed_ok'], c['proposed']) if c['proposed'] else '—'} | "
            f"{pct(c['proposed_ok'], c['n']) if c['proposed'] else '—'} | {pct(c['shown'], c['n'])} | {secs:.1f} |")


def accuracy(args) -> None:
    rows = load_labelled(Path(args.path), args.name_col, args.text_col, args.label_col)
    overlap = 0
    if args.exclude_names:  # firms another list holds (e.g. the development set): not unseen, left out
        seen = exclusion_names(Path(args.exclude_names), args.exclude_col)
        kept = [r for r in rows if _plain(r[0]) not in seen]
        overlap, rows = len(rows) - len(kept), kept
    counts = Counter(r[2] for r in rows)
    rows = [r for r in rows if counts[r[2]] >= args.folds]  # a label needs a firm in every fold
    labels = sorted({r[2] for r in rows})
    folds = stratified_folds([r[2] for r in rows], args.folds, random.Random(args.seed))
    methods = ["ranker", "centroid"] + (["previous"] if args.previous_src else [])
    tot = {m: Counter() for m in methods}
    secs = {m: 0.0 for m in methods}
    reports = []
    curve = {n: {m: Counter() for m in ("ranker", "centroid")} for n in args.curve}
    t_all = time.perf_counter()
    for k in range(args.folds):
        test = [r for r, f in zip(rows, folds, strict=False) if f == k]
        train = [r for r, f in zip(rows, folds, strict=False) if f != k]
        p, q, s, rk = run_ranker(train, test, labels)
        tot["ranker"] += score(test, p, q)
        secs["ranker"] += s
        reports.append({**rk.report, "thresholds": rk.thresholds.as_dict()})
        p, q, s = run_centroid(train, test, labels)
        tot["centroid"] += score(test, p, q)
        secs["centroid"] += s
        if args.previous_src:
            p, q, s = run_previous(train, test, labels, Path(args.previous_src))
            tot["previous"] += score(test, p, q)
            secs["previous"] += s
        rng = random.Random(args.seed + k)
        by: dict[str, list] = defaultdict(list)
        for r in train:
            by[r[2]].append(r)
        for n in args.curve:
            small = [r for lab in sorted(by) for r in rng.sample(by[lab], min(n, len(by[lab])))]
            p, q, _, _ = run_ranker(small, test, labels)
            curve[n]["ranker"] += score(test, p, q)
            p, q, _ = run_centroid(small, test, labels)
            curve[n]["centroid"] += score(test, p, q)
        print(f"fold {k + 1}/{args.folds} done ({time.perf_counter() - t_all:.0f} s)", file=sys.stderr, flush=True)
    print(f"dataset: {args.path} ({len(rows)} firms with a label held by >= {args.folds} firms; {len(labels)} labels; "
          f"text column: {args.text_col or 'none (names only)'}"
          + (f"; {overlap} firms also in {args.exclude_names} left out" if args.exclude_names else "") + ")")
    print(f"{args.folds}-fold stratified cross-validation, seed {args.seed}; hyper-parameters chosen inside each "
          f"training fold; machine: {machine()}; peak RSS {_peak_mb():.0f} MB")
    print()
    print("| method | top-1 | top-3 | firms given 3 | precision of proposed | recall of proposed | coverage | "
          "training s (all folds) |")
    print("|---|---|---|---|---|---|---|---|")
    names = {"ranker": "chainkg ranker (this branch)", "centroid": "nearest centroid, char 2-3-gram TF-IDF",
             "previous": "previous engine (branch lint)"}
    for m in methods:
        print(row_of(names[m], tot[m], secs[m]))
    print()
    print("learning curve (placed firms per segment in the training folds; same test folds):")
    print()
    print("| placed per segment | ranker top-1 | ranker top-3 | ranker precision of proposed | centroid top-1 | "
          "centroid top-3 |")
    print("|---|---|---|---|---|---|")
    for n in args.curve:
        r, c = curve[n]["ranker"], curve[n]["centroid"]
        print(f"| {n} | {pct(r['top1'], r['n'])} | {pct(r['top3'], r['n'])} | "
              f"{pct(r['proposed_ok'], r['proposed']) if r['proposed'] else '—'} | {pct(c['top1'], c['n'])} | "
              f"{pct(c['top3'], c['n'])} |")
    print()
    print("chosen inside the training folds:")
    for i, r in enumerate(reports, start=1):
        th = r["thresholds"]
        print(f"- fold {i}: C={r.get('c')}, proposed >= {th['proposed']}, review >= {th['review']} (inner held-out "
              f"precision {th['held_out'].get('precision')}, recall {th['held_out'].get('recall')}), training "
              f"{r['training_seconds']} s")


# -- speed --------------------------------------------------------------------------------------------

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
    from chainkg.graph_model.records import Node, Rel
    from chainkg.intake import propose, write_review
    from chainkg.intake.propose import Proposer
    from chainkg.loaders import load_valid

    ds = load_valid("yangzhou-613")
    terms_of: dict[str, list[str]] = defaultdict(list)
    for r in ds.rules["segment_terms"]:
        if r.props.get("mode") != "exclude" and r.props["segment_id"] in ds.nodes:
            terms_of[r.props["segment_id"]].append(r.props["term"])
    terms = sorted({t for ts in terms_of.values() for t in ts})
    segs = sorted(s for s in terms_of if ds.nodes[s].label == "Segment")
    rng = random.Random(args.seed)
    for i in range(args.placed):  # placed firms whose text is their segment's terms
        seg = rng.choice(segs)
        own = terms_of[seg]
        fid = f"F-BENCH-{i}"
        ds.nodes[fid] = Node(fid, "Firm", {"name": f"扬州{rng.choice(own)}{i}有限公司", "local": True,
                                            "main_products": "、".join(rng.sample(own, min(2, len(own))) +
                                                                       rng.sample(terms, 1))})
        ds.rels[("IN_SEGMENT", fid, seg)] = Rel("IN_SEGMENT", fid, seg, {})
    with tempfile.TemporaryDirectory() as tmp:
        lst = Path(tmp) / "名录.csv"
        synth_list(lst, args.rows, terms, args.seed)
        t0, c0 = time.perf_counter(), time.process_time()
        proposer = Proposer(ds)
        t1, c1 = time.perf_counter(), time.process_time()
        print(f"training on {args.placed:,} placed firms: {t1 - t0:.1f} s wall, {c1 - c0:.1f} s CPU; "
              f"{proposer.ranker.report}", flush=True)
        t1, c1 = time.perf_counter(), time.process_time()
        result = propose([lst], ds, proposer=proposer)
        t2, c2 = time.perf_counter(), time.process_time()
        if args.xlsx:
            write_review(result, Path(tmp) / "review.xlsx")
        t3, c3 = time.perf_counter(), time.process_time()
    c = result.counts()
    print(f"machine: {machine()}")
    print(f"propose {args.rows:,} list rows (read, merge, match, rank, evidence, decide): {t2 - t1:.1f} s wall, "
          f"{c2 - c1:.1f} s CPU; {c['with_proposed']:,} with a proposed segment, {c['review_only']:,} review, "
          f"{c['weak_only']:,} weak only, {c['no_proposal']:,} none, {c['deregistered']:,} deregistered")
    if args.xlsx:
        print(f"review.xlsx written in {t3 - t2:.1f} s wall, {c3 - c2:.1f} s CPU")
    print(f"peak RSS {_peak_mb():.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("accuracy", help="nested cross-validated accuracy on a labelled list (path required)")
    a.add_argument("path")
    a.add_argument("--name-col", default="name")
    a.add_argument("--text-col", default=None, help="what the firm makes or does (omit for names only)")
    a.add_argument("--label-col", default="industry")
    a.add_argument("--folds", type=int, default=5)
    a.add_argument("--seed", type=int, default=0)
    a.add_argument("--curve", type=int, nargs="*", default=[2, 5, 10, 20])
    a.add_argument("--exclude-names", default=None,
                   help="a list whose firms are left out (by name), e.g. the development set, so that only unseen firms count")
    a.add_argument("--exclude-col", default="name", help="the name column of --exclude-names")
    a.add_argument("--previous-src", default=None, help="a copy of branch lint's source (see above)")
    s = sub.add_parser("speed", help="list rows against placed firms")
    s.add_argument("--rows", type=int, default=100_000)
    s.add_argument("--placed", type=int, default=100_000)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--xlsx", action="store_true", help="also time writing review.xlsx")
    args = ap.parse_args()
    accuracy(args) if args.cmd == "accuracy" else speed(args)


if __name__ == "__main__":
    main()
