"""The explorer's name search: what people type finds the node.

Matching, best first: the whole name (Chinese, English, a former or short name from the firms'
``aliases`` column, or the id), then a name's beginning, then anywhere in a name, then the name's full
pinyin ("jingao" finds 扬州晶澳) and its pinyin initials ("yzja", "ja"), then near spellings (rapidfuzz,
for typing slips such as "jinao"). Among equal matches districts come first, then chains, segments,
firms, and the rest. On Neo4j the CJK full-text index's hits go first. ``kind`` keeps one kind of node.
"""

from __future__ import annotations

from ..graph_model.firm_table import firm_table
from .refs import node_ref

SEARCH_LABELS = ("District", "Chain", "Segment", "Firm", "Cluster", "Lab", "Fund", "Project")
KINDS = {"district": "District", "chain": "Chain", "segment": "Segment", "firm": "Firm", "cluster": "Cluster",
         "lab": "Lab", "fund": "Fund", "project": "Project"}
FUZZY_CUTOFF = 85  # rapidfuzz ratio (0-100) a near spelling needs
#: how a hit matched, best first (the page says so for pinyin, initials, aliases and near spellings)
EXACT, PREFIX, INSIDE, ALIAS, PINYIN, INITIALS, FUZZY = range(7)
HOW = {ALIAS: "alias", PINYIN: "pinyin", INITIALS: "initials", FUZZY: "fuzzy"}


def search(snap, q: str, lang: str, limit: int = 50, fulltext=None, kind: str | None = None) -> list[dict]:
    """Nodes matching ``q`` (see the module text); ``fulltext(q, limit)``: ids from the full-text
    index, put first. Each hit: the node's ref plus ``how`` (None, or alias / pinyin / initials / fuzzy)
    and, for a project, ``href`` (its row on its chain's page)."""
    q = q.strip()
    if not q:
        return []
    label = KINDS.get(kind or "")
    G = snap.G

    def build():
        names = snap.page(("names",), lambda: name_list(G))
        found = name_matches(G, q, names)
        if fulltext is not None:
            first = [i for i in fulltext(q, limit) if snap.nb.label(i) in SEARCH_LABELS]
            # the CJK analyzer matches bigrams and whole words; the in-memory matches add one character,
            # part of an English word, pinyin and near spellings
            found = [(i, None) for i in first] + [(i, h) for i, h in found if i not in set(first)]
        if label:
            found = [(i, h) for i, h in found if snap.nb.label(i) == label]
        return [_hit(snap, i, h, lang) for i, h in found[:limit]]
    return snap.page(("search", q, lang, limit, label), build)


def _hit(snap, n, how, lang) -> dict:
    from .refs import project_chain
    from .urls import url

    G = snap.G
    ref = {**node_ref(G, n, lang), "how": how, "href": None}
    if ref["kind"]:
        ref["href"] = url(ref["kind"], n, lang)
    elif ref["label"] == "Project":
        chain = project_chain(G, snap.analysis().view.chain_of, n)
        if chain:
            ref["href"] = url("chain", chain, lang) + f"#project-{n}"
    return ref


def lucene_escape(q: str) -> str:
    r"""A user's text as a Lucene query of plain terms.

    >>> lucene_escape('晶澳 (A&B) "x"')
    '晶澳 \\(A\\&B\\) \\"x\\"'
    """
    return "".join("\\" + ch if ch in '+-&|!(){}[]^"~*?:\\/' else ch for ch in q)


def _pinyin(text: str) -> list[str]:
    """The pinyin syllables of the Chinese characters in ``text`` (other characters dropped).

    >>> _pinyin("扬州晶澳"), _pinyin("PV 光伏")
    (['yang', 'zhou', 'jing', 'ao'], ['guang', 'fu'])
    """
    from pypinyin import Style, lazy_pinyin

    return [s for s in lazy_pinyin([ch for ch in text if "\u4e00" <= ch <= "\u9fff"], style=Style.NORMAL) if s]


def _from_syllables(syllables: list[str]) -> list[str]:
    """The pinyin from each syllable on: what a person typing part of the name starts with.

    >>> _from_syllables(["jing", "ao"])
    ['jingao', 'ao']
    """
    return ["".join(syllables[i:]) for i in range(len(syllables))]


def name_list(G) -> list[tuple]:
    """(id, label rank, names, aliases, pinyins, initials) of every searchable node, casefolded, built
    once per data version."""
    out = []
    for n, d in G.nodes(data=True):
        if d.get("label") not in SEARCH_LABELS:
            continue
        names = [str(x).casefold() for x in (d.get("name"), d.get("name_en"), n) if x]
        aliases = [str(x).casefold() for x in (d.get("aliases") or []) if x]
        spelled = [_pinyin(str(x)) for x in [d.get("name"), *(d.get("aliases") or [])] if x]
        tails = [t for s in spelled for t in _from_syllables(s)]
        initials = [t for s in spelled for t in _from_syllables([x[0] for x in s])]
        out.append((n, SEARCH_LABELS.index(d["label"]), names, aliases, tails, initials))
    table = firm_table(G)
    if table is not None:  # a lean graph's firms: their names (and aliases) from the columns
        rank, seen = SEARCH_LABELS.index("Firm"), set(G._node)
        cols = {c: table.nodes.get_column(c).to_list() if c in table.nodes.columns else [None] * len(table)
                for c in ("name", "name_en", "aliases")}
        for n, zh, en, al in zip(table.nodes.get_column("id").to_list(), cols["name"], cols["name_en"], cols["aliases"],
                                 strict=True):
            if n in seen:
                continue
            names = [str(x).casefold() for x in (zh, en, n) if x]
            aliases = [str(x).casefold() for x in (al or []) if x]
            spelled = [_pinyin(str(x)) for x in [zh, *(al or [])] if x]
            tails = [t for sp in spelled for t in _from_syllables(sp)]
            initials = [t for sp in spelled for t in _from_syllables([x[0] for x in sp])]
            out.append((n, rank, names, aliases, tails, initials))
    return out


def with_names(names: list[tuple], G, ids) -> list[tuple]:
    """``names`` (:func:`name_list`) with the entries of ``ids`` that ``G`` has and ``names`` lacks (firms a staff
    correction added), each as :func:`name_list` makes it; ``names`` is left as it was."""
    from ..graph_model.firm_table import node_attrs

    have = {n[0] for n in names}
    out = list(names)
    for n in ids:
        try:
            d = node_attrs(G, n)
        except KeyError:
            continue
        if n in have or d.get("label") not in SEARCH_LABELS:
            continue
        spelled = [_pinyin(str(x)) for x in [d.get("name"), *(d.get("aliases") or [])] if x]
        out.append((n, SEARCH_LABELS.index(d["label"]), [str(x).casefold() for x in (d.get("name"), d.get("name_en"), n) if x],
                    [str(x).casefold() for x in (d.get("aliases") or []) if x],
                    [t for sp in spelled for t in _from_syllables(sp)],
                    [t for sp in spelled for t in _from_syllables([x[0] for x in sp])]))
    return out


def name_matches(G, q: str, names: list | None = None) -> list[tuple[str, str | None]]:
    """(id, how) of the nodes matching ``q``, best first (``names``: :func:`name_list`).

    >>> from chainkg.testing import tiny_graph
    >>> name_matches(tiny_graph({"PV": [("S1", "upstream")]}), "pv")
    [('PV', None)]
    """
    f = q.casefold()
    compact = "".join(f.split())
    latin = compact.isascii() and compact.isalpha()
    ranked: list[tuple[float, int, str, str]] = []
    rows = names if names is not None else name_list(G)
    for n, label_rank, ns, aliases, pinyins, initials in rows:
        rank = None
        if f in ns or f in aliases:
            rank = EXACT
        elif any(x.startswith(f) for x in ns):
            rank = PREFIX
        elif any(f in x for x in ns):
            rank = INSIDE
        elif any(f in x for x in aliases):
            rank = ALIAS
        elif latin and any(p.startswith(compact) for p in pinyins):
            rank = PINYIN
        elif latin and any(i.startswith(compact) for i in initials):
            rank = INITIALS
        if rank is not None:
            ranked.append((rank, label_rank, str(n), n))
    if len(compact) >= 3:
        from rapidfuzz import fuzz

        seen = {t[-1] for t in ranked}
        for n, label_rank, ns, aliases, pinyins, _ in rows:
            if n in seen:
                continue
            best = max((fuzz.partial_ratio(f, x) for x in [*ns, *aliases] if len(x) >= len(f)), default=0)
            if latin:  # pinyin slips: the typed letters against the pinyin from a syllable on, about as long
                best = max([best, *(fuzz.ratio(compact, p[:k]) for p in pinyins
                                    for k in (len(compact) - 1, len(compact), len(compact) + 1))])
            if best >= FUZZY_CUTOFF:
                ranked.append((FUZZY + (100 - best) / 100, label_rank, str(n), n))
    ranked.sort()
    return [(t[-1], HOW.get(int(t[0]))) for t in ranked]
