"""The rule evidence that a firm works in a segment, each a number in 0-1 with its reasons, and the
text a firm is compared by. (The learned ranker of :mod:`.ranker` takes them as features.)

1. **Terms** (``segment_terms``): words found in the firm's name, 经营范围 or 主营产品. Each hit adds
   ``weight × field factor``; the strength is ``1 - exp(-sum)`` (one product word: 0.63, two:
   0.86). An exclusion found in its field removes the segment for that firm.
2. **Industry codes** (``segment_industries``): the firm's GB/T 4754-2017 code starts with a code the
   segment declares (any length). A 4-digit match counts 0.9, 3 digits 0.75, 2 digits 0.6, a
   section letter 0.3 (times the row's weight, at most 1).
3. **Text** of a firm for the ranker (:func:`firm_text`): name without legal form, generic
   words and places + 主营产品 + the first 300 characters of 经营范围.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from ..graph_model.records import Dataset

FIELDS = ("name", "main_products", "business_scope")
#: how much one term hit counts in each field: a product list is specific, a registered business
#: scope lists many activities a firm may never carry out
FIELD_FACTOR = {"name": 0.8, "main_products": 1.0, "business_scope": 0.6}
FIELD_ZH = {"name": "企业名称", "main_products": "主营产品", "business_scope": "经营范围", "any": "全部"}
CODE_STRENGTH = {4: 0.9, 3: 0.75, 2: 0.6, 1: 0.3}
#: words of firm names that say nothing about what the firm makes (with place names, removed
#: from the name before it is compared)
NAME_NOISE = ("股份有限公司", "有限责任公司", "有限公司", "股份", "集团", "控股", "实业", "发展", "科技", "技术", "国际",
              "中国", "江苏", "工业", "产业", "企业", "公司", "投资", "(", ")", "（", "）")
#: the part of the business scope used for similarity (long scopes list everything)
SCOPE_CHARS = 300

#: GB/T 4754-2017 sections (门类) and their divisions (大类)
SECTIONS = {"A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 54),
            "G": (55, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
            "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
            "S": (91, 96), "T": (97, 97)}


def section_of(code: str) -> str | None:
    """The section letter of a numeric code.

    >>> section_of("3825"), section_of("0511"), section_of("C")
    ('C', 'A', 'C')
    """
    if code[:1].isalpha():
        return code[:1]
    division = int(code[:2])
    return next((s for s, (lo, hi) in SECTIONS.items() if lo <= division <= hi), None)


@dataclass(frozen=True)
class Term:
    target: str  # a segment id, or a chain id for a chain-wide term
    term: str
    mode: str  # include | exclude
    field: str  # any | name | business_scope | main_products
    weight: float


class TermRules:
    """The dataset's ``segment_terms``, matched all at once per field (Aho-Corasick in polars)."""

    def __init__(self, ds: Dataset):
        self.terms: dict[str, list[Term]] = defaultdict(list)
        for r in ds.rules.get("segment_terms", []):
            p = r.props
            t = Term(p["segment_id"], p["term"], p.get("mode") or "include", p.get("field") or "any",
                     float(p["weight"]) if p.get("weight") is not None else 1.0)
            self.terms[t.term].append(t)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def hits(self, texts: dict[str, list[str | None]]) -> list[list[tuple[str, Term]]]:
        """For each row, the ``(field, term)`` pairs found; ``texts`` maps field -> one text per row."""
        import polars as pl

        n = len(next(iter(texts.values()))) if texts else 0
        out: list[list[tuple[str, Term]]] = [[] for _ in range(n)]
        if not self.terms:
            return out
        patterns = sorted(self.terms)
        for f in FIELDS:
            found = pl.Series(texts[f], dtype=pl.Utf8).str.extract_many(patterns, overlapping=True).to_list()
            for i, words in enumerate(found):
                for w in sorted(set(words or ())):
                    for t in self.terms[w]:
                        if t.field in ("any", f):
                            out[i].append((f, t))
        return out


def term_strength(total: float) -> float:
    """The strength of a segment's term hits, ``total`` being the sum of weight × field factor.

    >>> round(term_strength(1.0), 3), round(term_strength(0.6), 3), round(term_strength(2.0), 3)
    (0.632, 0.451, 0.865)
    """
    return 1 - math.exp(-total)


class CodeRules:
    """The dataset's ``segment_industries``: segment -> declared codes (with weights)."""

    def __init__(self, ds: Dataset):
        self.by_segment: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for r in ds.rules.get("segment_industries", []):
            w = float(r.props["weight"]) if r.props.get("weight") is not None else 1.0
            self.by_segment[r.props["segment_id"]].append((r.props["industry_code"], w))

    def __bool__(self) -> bool:
        return bool(self.by_segment)

    def match(self, code: str | None) -> dict[str, tuple[float, str]]:
        """segment -> (strength, the declared code that matched) for one firm's code.

        A code matches when the firm's code starts with it; the longest match wins.
        """
        if not code:
            return {}
        out = {}
        sec = section_of(code) if code[:1].isdigit() else code
        for seg, codes in self.by_segment.items():
            best = None
            for c, w in codes:
                if c.isalpha():
                    ok, length = sec == c, 1
                else:
                    ok, length = code.startswith(c), len(c)
                if ok and (best is None or length > best[2]):
                    best = (min(1.0, CODE_STRENGTH[length] * w), c, length)
            if best:
                out[seg] = (best[0], best[1])
        return out


def core_name(name: str | None, places: tuple[str, ...] = ()) -> str:
    """A firm name without legal form, generic words and place names: what it says it does.

    >>> core_name("扬州示例光伏科技有限公司", ("扬州",))
    '示例光伏'
    """
    text = name or ""
    for w in (*NAME_NOISE, *places):
        text = text.replace(w, "")
    return text


def firm_text(name: str | None, products: str | None, scope: str | None, places: tuple[str, ...] = ()) -> str:
    return " ".join(t for t in (core_name(name, places), products, (scope or "")[:SCOPE_CHARS]) if t)


def place_words(ds: Dataset) -> tuple[str, ...]:
    """District names and their stems (扬州市 -> 扬州), longest first, for :func:`core_name`."""
    out = set()
    for n in ds.nodes_of("District"):
        name = n.props.get("name", "")
        out.add(name)
        if len(name) >= 3 and name[-1] in "市区县镇":
            out.add(name[:-1])
    return tuple(sorted(out, key=len, reverse=True))
