"""Which firm a list row is: the same credit code, else the same normalised name; and where it is.

Two rows for one firm (the same code, or the same normalised name) are merged, and the merge is
reported. A row matching a firm of the dataset updates that firm and never duplicates it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from ..graph_model.records import Dataset, Problem
from .columns import ListRow

_SUFFIX = re.compile(r"(股份有限公司|有限责任公司|股份公司|有限公司|公司)$")
_TRAILING = re.compile(r"^(.*?)[(\[【]([^()\[\]【】]*)[)\]】]$")
_BRACKETS = re.compile(r"[()\[\]{}【】〔〕<>《》]")


def normalise_name(name: str) -> str:
    """The key two spellings of one firm's name share.

    Full- and half-width forms, spaces, brackets (a city in brackets is kept as text) and the
    legal-form suffix (有限公司 / 有限责任公司 / 股份有限公司 …) do not count.

    >>> normalise_name("扬州甲光伏科技有限公司") == normalise_name("扬州甲光伏科技股份有限公司")
    True
    >>> normalise_name("中环艾能（高邮）能源科技有限公司"), normalise_name(" 中环艾能(高邮)能源 科技有限责任公司")
    ('中环艾能高邮能源科技', '中环艾能高邮能源科技')
    >>> normalise_name("扬州甲有限公司（扬州）") == normalise_name("扬州甲股份有限公司(扬州)")
    True
    >>> normalise_name("ＡＢＣ Solar Co")
    'abcsolarco'
    """
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"\s+", "", text).casefold()
    tail = ""
    m = _TRAILING.match(text)
    if m and _SUFFIX.search(m.group(1)):  # 某某有限公司(扬州): the bracket after the legal form
        text, tail = m.group(1), m.group(2)
    text = _SUFFIX.sub("", text) or text
    return _BRACKETS.sub("", text + tail)


def new_firm_id(row: ListRow) -> str:
    """A stable id for a firm the dataset does not have: the same list row gives the same id.

    >>> new_firm_id(ListRow("a.csv", None, 2, "扬州甲光伏科技有限公司"))
    'F-N-E84A1624'
    """
    key = row.credit_code or normalise_name(row.name)
    return "F-N-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8].upper()


def merge_duplicates(rows: list[ListRow]) -> tuple[list[ListRow], list[Problem]]:
    """One row per firm: rows with the same code, or else the same normalised name, are merged
    (the first row's values win; empty cells are filled from the later rows)."""
    out: list[ListRow] = []
    by_code: dict[str, ListRow] = {}
    by_name: dict[str, ListRow] = {}
    problems: list[Problem] = []
    for r in rows:
        key = normalise_name(r.name)
        first = by_code.get(r.credit_code) if r.credit_code else None
        if first is None:
            cand = by_name.get(key)
            # a different valid code under the same name is another firm (branches, renamed firms)
            if cand is not None and not (cand.credit_code and r.credit_code and cand.credit_code != r.credit_code):
                first = cand
        if first is None:
            out.append(r)
            if r.credit_code:
                by_code[r.credit_code] = r
            by_name.setdefault(key, r)
            continue
        how = "credit code" if r.credit_code and r.credit_code == first.credit_code else "normalised name"
        for f in ("credit_code", "business_scope", "main_products", "industry_code", "industry_name", "district",
                  "address", "status", "revenue_100m_cny", "name_en"):
            if getattr(first, f) is None and getattr(r, f) is not None:
                setattr(first, f, getattr(r, f))
        for h, v in r.extra.items():
            first.extra.setdefault(h, v)
        first.merged_rows.append(r.where)
        if first.credit_code:
            by_code[first.credit_code] = first
        problems.append(Problem(
            "warning", "duplicate_firm", r.file, r.sheet, r.row, "企业名称", r.name,
            f"Same firm as {first.where} ('{first.name}', same {how}); the two rows are merged.",
            "Delete one of the rows, or correct the name or code if they are different firms."))
    return out, problems


@dataclass
class Match:
    firm_id: str | None  # an existing firm of the dataset, or None for a new one
    how: str | None  # "credit code" | "name"


class FirmIndex:
    """The dataset's firms by credit code and by normalised name."""

    def __init__(self, ds: Dataset):
        self.by_code: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        for n in ds.nodes_of("Firm"):
            if n.props.get("credit_code"):
                self.by_code.setdefault(n.props["credit_code"], n.id)
            self.by_name.setdefault(normalise_name(n.props.get("name", "")), n.id)

    def match(self, row: ListRow) -> Match:
        if row.credit_code and row.credit_code in self.by_code:
            return Match(self.by_code[row.credit_code], "credit code")
        firm = self.by_name.get(normalise_name(row.name))
        return Match(firm, "name") if firm else Match(None, None)


def _variants(name: str) -> set[str]:
    """Names a district is written as: itself, the long forms of 经开区 / 高新区, and its stem.

    >>> sorted(_variants("扬州经开区"))
    ['扬州经开区', '扬州经济开发区', '扬州经济技术开发区']
    >>> sorted(_variants("邗江区"))
    ['邗江', '邗江区']
    """
    out = {name}
    for short, longs in (("经开区", ("经济技术开发区", "经济开发区")), ("高新区", ("高新技术产业开发区",))):
        if short in name:
            out |= {name.replace(short, long) for long in longs}
        for long in longs:
            if long in name:
                out.add(name.replace(long, short))
    if len(name) >= 3 and name[-1] in "区市县镇" and not name.endswith(("开发区", "园区", "新区", "高新区", "经开区")):
        out.add(name[:-1])
    return out


class DistrictIndex:
    """Find the dataset's district (or park) a 所属区县 cell or an address names.

    The most specific match wins: of 扬州市 / 邗江区 / 扬州高新区 in one address, the park (the
    deepest in the ``parent_id`` tree; then the longest name).
    """

    def __init__(self, ds: Dataset):
        parent = {r.start: r.end for r in ds.rels_of("PART_OF")}
        self.names: list[tuple[str, str]] = []  # (variant, district id), longest first
        self.depth: dict[str, int] = {}
        for n in ds.nodes_of("District"):
            d, seen = 0, {n.id}
            p = parent.get(n.id)
            while p and p not in seen:
                seen.add(p)
                d += 1
                p = parent.get(p)
            self.depth[n.id] = d
            for v in _variants(n.props.get("name", "")):
                if len(v) >= 2:
                    self.names.append((v, n.id))
            self.names.append((n.id, n.id))
        self.names.sort(key=lambda x: -len(x[0]))

    def find(self, text: str | None) -> tuple[str, str] | None:
        """``(district id, the words that matched)`` or ``None``."""
        if not text:
            return None
        text = unicodedata.normalize("NFKC", text)
        hits = [(v, d) for v, d in self.names if v in text]
        if not hits:
            return None
        v, d = max(hits, key=lambda h: (self.depth[h[1]], len(h[0])))
        return d, v
