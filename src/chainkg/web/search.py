"""The explorer's name search: the CJK full-text index on Neo4j, else (and besides) the same matching
in memory over a name list built once per data version."""

from __future__ import annotations

from ..graph_model.firm_table import firm_table
from .refs import node_ref

SEARCH_LABELS = ("Firm", "Segment", "Chain", "Cluster", "Lab", "Fund", "District", "Project")


def search(snap, q: str, lang: str, limit: int = 50, fulltext=None) -> list[dict]:
    """Nodes whose Chinese or English name holds ``q`` (exact name, then prefix, then anywhere;
    case-insensitive). ``fulltext(q, limit)``: ids from the full-text index, put first."""
    q = q.strip()
    if not q:
        return []
    G = snap.G

    def build():
        names = snap.page(("names",), lambda: name_list(G))
        if fulltext is not None:
            hits = [i for i in fulltext(q, limit) if snap.nb.label(i) in SEARCH_LABELS]
            # the CJK analyzer matches bigrams and whole words; add the in-memory matches so that one
            # character or part of an English word finds the same names as without Neo4j
            hits += [i for i in name_matches(G, q, names) if i not in hits]
        else:
            hits = name_matches(G, q, names)
        return [node_ref(G, i, lang) for i in hits[:limit]]
    return snap.page(("search", q, lang, limit), build)


def lucene_escape(q: str) -> str:
    r"""A user's text as a Lucene query of plain terms.

    >>> lucene_escape('晶澳 (A&B) "x"')
    '晶澳 \\(A\\&B\\) \\"x\\"'
    """
    return "".join("\\" + ch if ch in '+-&|!(){}[]^"~*?:\\/' else ch for ch in q)


def name_matches(G, q: str, names: list | None = None) -> list[str]:
    """Ids whose id, name or English name holds ``q``, exact matches first (``names``: :func:`name_list`).

    >>> from chainkg.testing import tiny_graph
    >>> name_matches(tiny_graph({"PV": [("S1", "upstream")]}), "pv")
    ['PV']
    """
    f = q.casefold()
    ranked = []
    for n, rank_of_label, keys in (names if names is not None else name_list(G)):
        if f not in keys:
            continue
        parts = keys.split("\n")
        rank = 0 if f in parts else 1 if any(x.startswith(f) for x in parts) else 2
        ranked.append((rank, rank_of_label, str(n), n))
    return [t[-1] for t in sorted(ranked)]


def name_list(G) -> list[tuple]:
    """(id, label rank, casefolded names joined by newlines) of every searchable node, built once per version."""
    out = []
    for n, d in G.nodes(data=True):
        if d.get("label") in SEARCH_LABELS:
            keys = "\n".join(str(x).casefold() for x in (d.get("name"), d.get("name_en"), n) if x)
            out.append((n, SEARCH_LABELS.index(d["label"]), keys))
    table = firm_table(G)
    if table is not None:  # a lean graph's firms: their names from the columns
        rank, seen = SEARCH_LABELS.index("Firm"), set(G._node)
        cols = [table.nodes.get_column(c).to_list() if c in table.nodes.columns else [None] * len(table)
                for c in ("name", "name_en")]
        for n, zh, en in zip(table.nodes.get_column("id").to_list(), *cols, strict=True):
            if n not in seen:
                out.append((n, rank, "\n".join(str(x).casefold() for x in (zh, en, n) if x)))
    return out
