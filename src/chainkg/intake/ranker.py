"""The learned ranker of 挂链: which segments a firm's text points to, with a calibrated confidence.

Learned from the firms the dataset has already placed (and from what staff rejected), never
from weights set by hand:

1. **Text**: character 1–3-gram TF-IDF (scikit-learn) of the firm's name core (legal form,
   generic words and places removed), 主营产品 and 经营范围 (see :func:`.evidence.firm_text`).
2. **Base scores** of every segment for a firm: the margin of a linear support-vector
   classifier (one-vs-rest, scikit-learn ``LinearSVC``) over the placed firms (``linear``); the cosine to the segment's centroid of placed
   firms (``centroid``); the cosine to the segment's own name, description and terms (``prior``,
   the text prior: a segment with no placed firm is not blind); the strengths of the term rules
   (``terms``) and industry codes (``code``) of :mod:`.evidence`; and how many firms the
   segment has (``log1p(placed)``).
3. **Combiner**: a logistic regression on those per-(firm, segment) features, fitted on scores
   the base models gave to placed firms they had *not* seen (inner k-fold over the placed
   firms), so its output is a calibrated probability that the segment is right. Rejections
   staff made (``intake_rejections``) are extra negative pairs.
4. **Thresholds** (:class:`Thresholds`): the lowest confidence at which the held-out
   candidates reached the target precision (``proposed``, default 0.9) and 0.5 (``review``);
   below: ``weak``. The held-out precision and recall are kept to be reported.

The regularisation ``C`` of the linear classifier is chosen on the same inner folds (so a
bench that calls :meth:`Ranker.fit` on a training fold tunes inside it only). With too few
placed firms to learn from (fewer than :data:`MIN_PLACED`, or one segment), the combiner
keeps :data:`DEFAULT_COEF` (term rules, codes and the text prior weigh most) and the
thresholds are the defaults, marked as not estimated. A segment without placed firms is always
scored with :data:`DEFAULT_COEF`: nothing learned speaks of it, its own text does.

Scoring works on chunks of rows: no matrix of (rows × placed firms) is ever dense.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: the per-(firm, segment) features of the combiner, in order
FEATURES = ("linear", "linear_gap", "centroid", "centroid_gap", "prior", "prior_gap", "terms", "code", "linear_top",
            "log_placed", "has_placed")
#: combiner weights used until enough firms are placed to learn them (intercept last): terms,
#: codes and the text prior decide; one placed firm's centroid counts as much as the prior
DEFAULT_COEF = (1.0, 1.0, 3.0, 3.0, 6.0, 3.0, 4.0, 5.0, 0.5, 0.3, 0.0, -4.0)
#: placed firms (in at least two segments) needed before anything is learned
MIN_PLACED = 10
#: rows per chunk when scoring
CHUNK = 2000


@dataclass(frozen=True)
class Thresholds:
    """Confidence at or above which a candidate is ``proposed``, else ``review``, else ``weak``."""
    proposed: float = 0.6
    review: float = 0.3
    target_precision: float = 0.9
    estimated: bool = False  # chosen on held-out folds (True) or the defaults (False)
    held_out: dict = field(default_factory=dict, compare=False)  # precision/recall measured there

    def decide(self, confidence: float) -> str:
        """
        >>> t = Thresholds(0.6, 0.3)
        >>> t.decide(0.6), t.decide(0.59), t.decide(0.29)
        ('proposed', 'review', 'weak')
        """
        if confidence >= self.proposed:
            return "proposed"
        if confidence >= self.review:
            return "review"
        return "weak"

    def as_dict(self) -> dict:
        return {"proposed": self.proposed, "review": self.review, "target_precision": self.target_precision,
                "estimated": self.estimated, "held_out": self.held_out}


def choose_thresholds(confidence: Sequence[float], correct: Sequence[bool], n_firms: int, *,
                      target: float = 0.9, review_precision: float = 0.5, z: float = 1.64) -> Thresholds:
    """Thresholds from held-out candidates: ``proposed`` is the lowest confidence at which the
    candidates at or above it are right at least ``target`` of the time, ``review`` the same
    for ``review_precision``. "At least" is the Wilson lower bound of the precision (``z`` =
    1.64: one-sided 95%), so that a threshold resting on few candidates is not trusted. When
    no threshold reaches ``target``, nothing is proposed (the threshold is above 1) and
    ``held_out`` says so.

    >>> t = choose_thresholds([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [1, 1, 1, 0, 1, 0], 6, target=0.75, z=0)
    >>> t.proposed, t.review, t.held_out["precision"], t.held_out["recall"]
    (0.5, 0.4, 0.8, 0.667)
    >>> choose_thresholds([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [1, 1, 1, 0, 1, 0], 6, target=0.75).proposed
    1.01
    """
    conf = np.asarray(confidence, dtype=float)
    ok = np.asarray(correct, dtype=float)
    order = np.argsort(-conf, kind="stable")
    conf, ok = conf[order], ok[order]
    hits = np.cumsum(ok)
    n = np.arange(1, len(ok) + 1)
    phat = hits / n
    precision = (phat + z * z / (2 * n) - z * np.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n))) / (1 + z * z / n)

    def lowest(p: float) -> float | None:
        good = np.nonzero(precision >= p)[0]
        if not len(good):
            return None
        i = int(good[-1])
        while i + 1 < len(conf) and conf[i + 1] == conf[i]:  # ties go together
            i += 1
        return float(conf[i]) if precision[i] >= p else float(conf[int(good[-1])])

    t_p, t_r = lowest(target), lowest(review_precision)
    proposed = round(t_p, 4) if t_p is not None else 1.01
    review = min(round(t_r, 4) if t_r is not None else proposed, proposed)
    mask = conf >= proposed
    n_ok = int(ok[mask].sum())
    held = {"candidates": int(len(conf)), "firms": int(n_firms), "proposed": int(mask.sum()),
            "precision": round(float(n_ok / mask.sum()), 3) if mask.sum() else None,
            "recall": round(n_ok / n_firms, 3) if n_firms else None,
            "target_reached": t_p is not None}
    return Thresholds(proposed, review, target, True, held)


@dataclass
class Candidate:
    segment: str
    confidence: float
    features: dict[str, float]


def _normalise_rows(m):
    from sklearn.preprocessing import normalize

    return normalize(m, norm="l2", axis=1, copy=False)


class Ranker:
    """Segments ranked for texts, learned from placed firms. Use :meth:`fit`, then :meth:`rank`.

    ``segments``: segment ids; ``segment_texts``: each one's name, description and terms (the
    text prior). Training data: ``texts`` of placed firms, the ``labels`` (segment ids) of each,
    and ``rules[i]`` = ``{segment: (terms strength, code strength)}`` for firm ``i``.
    """

    def __init__(self, segments: list[str], segment_texts: list[str], *, ngram: tuple[int, int] = (1, 3),
                 max_features: int = 60000, c_grid: tuple[float, ...] = (0.25, 1.0), inner_folds: int = 5,
                 max_tune: int = 6000, max_per_class: int | None = 250, target_precision: float = 0.9, review_precision: float = 0.5,
                 seed: int = 0):
        self.segments = list(segments)
        self.col = {s: j for j, s in enumerate(self.segments)}
        self.segment_texts = list(segment_texts)
        self.ngram, self.max_features, self.c_grid = ngram, max_features, c_grid
        self.inner_folds, self.max_tune, self.seed = inner_folds, max_tune, seed
        self.max_per_class = max_per_class
        self.target_precision, self.review_precision = target_precision, review_precision
        self.thresholds = Thresholds(target_precision=target_precision)
        self.coef = np.array(DEFAULT_COEF, dtype=float)
        self.learned = False
        self.c_chosen: float | None = None
        self.placed_count = np.zeros(len(self.segments))
        self.vectorizer: Any = None
        self.report: dict = {}
        self.bases: list[_Base] = []
        self.kept: list[int] = []
        self.placed_ids: list[str] = []  # set by the caller: the id of each kept training row
        self.placed_matrix: Any = None
        self.placed_labels: list[list[str]] = []

    # -- fitting --------------------------------------------------------------------------------------

    def fit(self, texts: list[str], labels: list[list[str]], rules: list[dict[str, tuple[float, float]]] | None = None,
            negatives: Sequence[tuple[str, str, dict[str, tuple[float, float]]]] = ()) -> Ranker:
        """Learn from placed firms; ``negatives`` are (text, segment, rules) pairs staff rejected."""
        import time

        try:
            from sklearn.feature_extraction.text import TfidfVectorizer
        except ImportError as exc:  # a dependency of chainkg; only intake imports it
            from ..errors import EnvironmentProblem

            raise EnvironmentProblem("chainkg intake needs scikit-learn (the ranker), which is not installed.",
                                     hint="pip install 'scikit-learn>=1.3' (or reinstall chainkg).") from exc

        t0 = time.perf_counter()
        rules = rules if rules is not None else [{} for _ in texts]
        keep = [i for i, (t, ls) in enumerate(zip(texts, labels, strict=False)) if t.strip() and any(s in self.col for s in ls)]
        self.kept = keep  # the training rows used (those with text and a known segment)
        texts = [texts[i] for i in keep]
        labels = [[s for s in labels[i] if s in self.col] for i in keep]
        rules = [rules[i] for i in keep]
        self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=self.ngram, sublinear_tf=True,
                                          max_features=self.max_features, dtype=np.float32)
        self.vectorizer.fit(texts + self.segment_texts)
        self.prior_matrix = _normalise_rows(self.vectorizer.transform(self.segment_texts))
        x = self.vectorizer.transform(texts) if texts else None
        self.placed_matrix = x
        self.placed_labels = labels
        self.placed_count = np.zeros(len(self.segments))
        for ls in labels:
            for s in ls:
                self.placed_count[self.col[s]] += 1
        n_classes = int((self.placed_count > 0).sum())
        self.c_chosen = self.c_grid[len(self.c_grid) // 2]
        self.bases = []
        if x is not None and len(texts) >= MIN_PLACED and n_classes >= 2:
            self._learn(x, labels, rules, negatives)
        if not self.bases:
            self.bases = [_fit_base(x, labels, self.segments, self.col, self.c_chosen, self.seed, self.max_per_class)]
        self.report["training_seconds"] = round(time.perf_counter() - t0, 2)
        self.report["placed_firms"] = len(texts)
        self.report["segments_with_placed_firms"] = n_classes
        return self

    def _learn(self, x, labels, rules, negatives):
        rng = np.random.default_rng(self.seed)
        n = x.shape[0]
        tune = np.arange(n) if n <= self.max_tune else np.sort(rng.choice(n, self.max_tune, replace=False))
        k = max(2, min(self.inner_folds, n // 3))
        folds = np.asarray(stratified_folds([labels[i][0] for i in tune], k, rng))
        oof: dict[float, list] = {c: [] for c in self.c_grid}
        bases: dict[float, list] = {c: [] for c in self.c_grid}
        rows_per_fold: list[np.ndarray] = []
        large = n > self.max_tune
        for f in range(k):
            test = tune[folds == f]
            # C is compared on the tuning sample alone when the dataset is large (cheap); the
            # models that score and feed the combiner are trained on everything but the fold
            train = np.setdiff1d(tune if large else np.arange(n), test)
            rows_per_fold.append(test)
            for c in self.c_grid:
                base = _fit_base(x[train], [labels[i] for i in train], self.segments, self.col, c, self.seed,
                                 self.max_per_class)
                bases[c].append(base)
                oof[c].append(self._features(x[test], [rules[i] for i in test], base))
        # C: the best held-out top-1 of the linear classifier alone
        scores = {}
        for c in self.c_grid:
            hit = 0
            for test, feats in zip(rows_per_fold, oof[c], strict=False):
                top = feats[:, :, 0].argmax(axis=1)
                hit += sum(self.segments[int(t)] in labels[i] for t, i in zip(top, test, strict=False))
            scores[c] = hit / len(tune)
        self.c_chosen = max(self.c_grid, key=lambda c: (scores[c], -c))
        if large:
            bases[self.c_chosen], oof[self.c_chosen] = [], []
            for test in rows_per_fold:
                train = np.setdiff1d(np.arange(n), test)
                base = _fit_base(x[train], [labels[i] for i in train], self.segments, self.col, self.c_chosen,
                                 self.seed, self.max_per_class)
                bases[self.c_chosen].append(base)
                oof[self.c_chosen].append(self._features(x[test], [rules[i] for i in test], base))
        # the fold models are the ones that score new rows (their mean): the combiner and the
        # thresholds were fitted on what exactly these models say of firms they did not see
        self.bases = bases[self.c_chosen]
        feats_by_fold = oof[self.c_chosen]
        ys = [np.array([[s in labels[i] for s in self.segments] for i in test], dtype=bool) for test in rows_per_fold]
        # the combiner, cross-fitted so that the thresholds see held-out confidences
        conf_held, ok_held = [], []
        for f in range(k):
            others = [g for g in range(k) if g != f]
            model = _fit_combiner(np.concatenate([feats_by_fold[g].reshape(-1, len(FEATURES)) for g in others]),
                                  np.concatenate([ys[g].ravel() for g in others]))
            p = _predict(model[:-1], model[-1], feats_by_fold[f])
            top = np.argsort(-p, axis=1)[:, :3]
            for r in range(p.shape[0]):
                for j in top[r]:
                    conf_held.append(float(p[r, j]))
                    ok_held.append(bool(ys[f][r, j]))
        all_feats = np.concatenate([fb.reshape(-1, len(FEATURES)) for fb in feats_by_fold])
        all_y = np.concatenate([y.ravel() for y in ys])
        if negatives:
            nx = self.vectorizer.transform([t for t, _, _ in negatives])
            nf = self._mean_features(nx, [r for _, _, r in negatives])
            picked = np.array([nf[i, self.col[s]] for i, (_, s, _) in enumerate(negatives) if s in self.col])
            if len(picked):
                all_feats = np.concatenate([all_feats, picked])
                all_y = np.concatenate([all_y, np.zeros(len(picked), dtype=bool)])
        self.coef = _fit_combiner(all_feats, all_y)
        self.learned = True
        self.thresholds = choose_thresholds(conf_held, ok_held, len(tune), target=self.target_precision,
                                            review_precision=self.review_precision)
        self.report.update({"c_grid": {str(c): round(scores[c], 4) for c in self.c_grid}, "c": self.c_chosen,
                            "inner_folds": k, "tuned_on": int(len(tune)),
                            "held_out_top1_linear": round(scores[self.c_chosen], 4)})

    # -- scoring --------------------------------------------------------------------------------------

    def _features(self, x, rules: list[dict[str, tuple[float, float]]], base) -> np.ndarray:
        """(rows, segments, features) for the rows of ``x`` (a chunk). The placed counts are those
        of all the training firms, also for an inner fold's model: a held-out firm's own segment
        has one firm fewer in the fold, and the combiner must not learn that "fewer placed firms"
        means "right" (it would, with two or three firms per segment)."""
        n, s = x.shape[0], len(self.segments)
        out = np.zeros((n, s, len(FEATURES)), dtype=np.float32)
        xn = _normalise_rows(x.copy())
        if base.linear is not None:
            d = base.linear.decision_function(xn)
            if d.ndim == 1:  # two classes: one margin, for the second
                d = np.stack([-d, d], axis=1)
            out[:, :, 0] = -1.5  # a segment the classifier has no firm of
            out[:, base.linear_cols, 0] = d
            out[np.arange(n), base.linear_cols[d.argmax(axis=1)], 8] = 1.0
        out[:, :, 1] = out[:, :, 0] - out[:, :, 0].max(axis=1, keepdims=True)
        if base.centroids is not None:
            out[:, :, 2] = (xn @ base.centroids.T).toarray()
        out[:, :, 3] = out[:, :, 2] - out[:, :, 2].max(axis=1, keepdims=True)
        out[:, :, 4] = (xn @ self.prior_matrix.T).toarray()
        out[:, :, 5] = out[:, :, 4] - out[:, :, 4].max(axis=1, keepdims=True)
        for i, r in enumerate(rules):
            for seg, (t, c) in r.items():
                j = self.col.get(seg)
                if j is not None:
                    out[i, j, 6], out[i, j, 7] = t, c
        out[:, :, 9] = np.log1p(self.placed_count)[None, :]
        out[:, :, 10] = (self.placed_count > 0)[None, :]
        return out

    def _mean_features(self, x, rules) -> np.ndarray:
        out = self._features(x, rules, self.bases[0])
        for b in self.bases[1:]:
            out += self._features(x, rules, b)
        if len(self.bases) > 1:
            out /= len(self.bases)
        return out

    def transform(self, texts: list[str]):
        return self.vectorizer.transform(texts)

    def confidences(self, texts: list[str], rules: list[dict[str, tuple[float, float]]]) -> tuple[np.ndarray, np.ndarray]:
        """(confidence, features) arrays of shape (rows, segments[, features]) for one chunk."""
        x = self.vectorizer.transform(texts)
        f = self._mean_features(x, rules)
        p = _predict(self.coef[:-1], self.coef[-1], f)
        empty = self.placed_count == 0
        if self.learned and empty.any():
            # a segment with no placed firm: what was learned says nothing of it, so its own text
            # and rules decide, with the default weights (the text prior)
            d = np.asarray(DEFAULT_COEF)
            g = f[:, empty, :].copy()
            g[:, :, [0, 1, 3, 8]] = 0.0  # no classifier margin, no centroid: neutral, not a penalty
            p[:, empty] = _predict(d[:-1], d[-1], g)
        return p, f

    def rank(self, texts: list[str], rules: list[dict[str, tuple[float, float]]] | None = None, *, top: int = 3,
             exclude: list[set[str]] | None = None) -> list[list[Candidate]]:
        """The ``top`` segments of each text, best first (chunks of :data:`CHUNK` rows)."""
        rules = rules if rules is not None else [{} for _ in texts]
        out: list[list[Candidate]] = []
        for start in range(0, len(texts), CHUNK):
            conf, feats = self.confidences(texts[start:start + CHUNK], rules[start:start + CHUNK])
            for i in range(conf.shape[0]):
                row = conf[i].copy()
                banned = exclude[start + i] if exclude else ()
                for s in banned:
                    if s in self.col:
                        row[self.col[s]] = -1.0
                order = np.argsort(-row, kind="stable")[: top + len(banned)]
                cands = [Candidate(self.segments[j], round(float(row[j]), 4),
                                   {name: round(float(feats[i, j, k]), 4) for k, name in enumerate(FEATURES)})
                         for j in order if row[j] >= 0][:top]
                out.append(cands)
        return out


@dataclass
class _Base:
    linear: object | None
    linear_cols: np.ndarray
    centroids: object | None
    count: np.ndarray


def _fit_base(x, labels, segments, col, c, seed, cap: int | None = None) -> _Base:
    """Centroids of all the firms given; the linear classifier on at most ``cap`` firms per
    segment (a random sample of the larger ones): training stays bounded at any number of
    placed firms, and a linear model has learned what it can from a few hundred per segment."""
    from scipy import sparse
    from sklearn.svm import LinearSVC

    count = np.zeros(len(segments))
    if x is None or x.shape[0] == 0:
        return _Base(None, np.zeros(0, dtype=int), None, count)
    rows, ys = [], []
    for i, ls in enumerate(labels):
        for s in ls:
            rows.append(i)
            ys.append(col[s])
            count[col[s]] += 1
    xn = _normalise_rows(x.copy())
    ind = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (ys, rows)), shape=(len(segments), x.shape[0]))
    centroids = _normalise_rows(ind @ xn)
    linear = None
    cols = np.zeros(0, dtype=int)
    if len(set(ys)) >= 2 and c is not None:
        fit_rows, fit_ys = _cap_per_class(np.asarray(rows), np.asarray(ys), cap, seed)
        linear = LinearSVC(C=c, random_state=seed)
        linear.fit(xn[fit_rows], fit_ys)
        linear.coef_ = linear.coef_.astype(np.float32)
        cols = np.asarray(linear.classes_, dtype=int)
    return _Base(linear, cols, sparse.csr_matrix(centroids), count)


def _cap_per_class(rows: np.ndarray, ys: np.ndarray, cap: int | None, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ``cap`` (row, class) pairs per class, a seeded random sample of larger classes.

    >>> r, y = _cap_per_class(np.arange(6), np.array([0, 0, 0, 0, 1, 1]), 2, 0)
    >>> sorted(y.tolist()), len(r)
    ([0, 0, 1, 1], 4)
    """
    if cap is None or not len(ys):
        return rows, ys
    counts = np.bincount(ys)
    if counts.max() <= cap:
        return rows, ys
    rng = np.random.default_rng(seed)
    pick = []
    for cls in np.nonzero(counts)[0]:
        idx = np.nonzero(ys == cls)[0]
        pick.append(idx if len(idx) <= cap else rng.choice(idx, cap, replace=False))
    sel = np.sort(np.concatenate(pick))
    return rows[sel], ys[sel]


#: features whose weight may not be negative: a higher classifier margin, similarity, term or
#: code strength never lowers a segment's confidence
MONOTONE = ("linear", "linear_gap", "centroid", "centroid_gap", "prior", "prior_gap", "terms", "code", "linear_top")


def _fit_combiner(feats: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Logistic weights (intercept last) with the :data:`MONOTONE` ones kept at or above 0: a
    feature whose weight comes out negative is dropped and the rest refitted. With two or three
    placed firms per segment the inner folds are biased (a held-out firm's own segment has one
    firm fewer, so its margin is lower) and an unconstrained fit learns "lower margin = right".

    >>> x = np.array([[1.0] + [0.0] * 10, [0.0] * 11] * 20); y = np.array([1, 0] * 20, dtype=bool)
    >>> w = _fit_combiner(x, y); bool(w[0] > 0)
    True
    >>> bool(_fit_combiner(x, ~y)[0] == 0)  # the margin would get a negative weight: dropped
    True
    """
    from sklearn.linear_model import LogisticRegression

    n_feat = feats.shape[1]
    keep = np.ones(n_feat, dtype=bool)
    mono = np.array([name in MONOTONE for name in FEATURES[:n_feat]])
    coef = np.zeros(n_feat + 1)
    for _ in range(n_feat):
        model = LogisticRegression(C=1.0, max_iter=500)
        model.fit(feats[:, keep], y)
        w = np.zeros(n_feat)
        w[keep] = model.coef_[0]
        coef = np.concatenate([w, model.intercept_])
        bad = keep & mono & (w < 0)
        if not bad.any():
            break
        keep &= ~bad
        if not keep.any():
            break
    return coef


def _predict(coef, intercept, feats: np.ndarray) -> np.ndarray:
    z = feats @ np.asarray(coef, dtype=np.float32) + np.float32(intercept)
    return 1.0 / (1.0 + np.exp(-z))


def stratified_folds(labels: Sequence[str], k: int, rng) -> list[int]:
    """A fold number for each item, each label spread over the folds; ``rng`` is anything with
    ``shuffle`` (numpy's generator here, ``random.Random`` in bench/intake.py).

    >>> stratified_folds(["a", "a", "b", "b"], 2, np.random.default_rng(0))
    [0, 1, 0, 1]
    """
    out = [0] * len(labels)
    by: dict[str, list[int]] = {}
    for i, lab in enumerate(labels):
        by.setdefault(lab, []).append(i)
    offset = 0
    for lab in sorted(by):
        idx = by[lab]
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            out[i] = (j + offset) % k
        offset += len(idx)
    return out


def entropy(p: Sequence[float]) -> float:
    """Binary entropy summed over candidate confidences: how undecided a firm's candidates are.

    >>> round(entropy([0.5]), 3), entropy([1.0, 0.0])
    (0.693, 0.0)
    """
    out = 0.0
    for v in p:
        v = min(max(float(v), 1e-9), 1 - 1e-9)
        out -= v * math.log(v) + (1 - v) * math.log(1 - v)
    return round(out, 6) if out > 1e-6 else 0.0
