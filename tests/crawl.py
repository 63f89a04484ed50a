"""Crawl the explorer in-process and read every page as a person would: the visible text (and hover
titles) with the data's own strings taken out, so what is left is the explorer's words."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

RAW_CODES = re.compile(r"\b(gap_fill|gap_extend|gap_isolated|gap_unlinked|present|single|thin|confirmed|inferred|"
                       r"low|moderate|high|signed|started|landed|placement|chain_membership|cluster_mapping|None|True|"
                       r"False|nan)\b")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style") or (tag == "code" and "error-detail" in (a.get("class") or "")):
            self.skip += 1
        if tag == "a" and a.get("id") == "lang-switch":  # the other language's name, in that language
            self.skip += 1
        if a.get("title"):
            self.parts.append(a["title"])
        if tag == "input" and a.get("placeholder"):
            self.parts.append(a["placeholder"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "a") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    p = _Text()
    p.feed(html)
    return "\n".join(p.parts)


#: properties that are codes or fixed words the explorer must show in the page's language, not data text
CODED = {"kind", "tags", "level", "status", "confidence", "reliability", "stage", "label", "light"}


def data_strings(G) -> list[str]:
    """Every text the data holds (names, titles, descriptions, ids …; not its codes), longest first."""
    from chainkg.graph_model.firm_table import firm_table

    out = set()
    table = firm_table(G)
    firms = [(f, table.attrs(f)) for f in table.ids()] if table is not None else []
    rels = ([d for frame in table.rels.values() for d in frame.drop("start", "end").to_dicts()]
            if table is not None else [])
    for n, d in [*G.nodes(data=True), *firms]:
        out.add(str(n))
        for k, v in d.items():
            if k in CODED:
                continue
            for x in v if isinstance(v, list | tuple) else [v]:
                if isinstance(x, str) and x.strip():
                    out.add(x.strip())
    for d in [*(d for _, _, d in G.edges(data=True)), *rels]:
        for k, v in d.items():
            if isinstance(v, str) and v.strip() and k not in CODED:
                out.add(v.strip())
    return sorted(out, key=len, reverse=True)


def without_data(text: str, strings: list[str]) -> str:
    for s in strings:
        if len(s) >= 1 and s in text:
            text = text.replace(s, " ")
    return text


def links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def crawl(client, starts: list[str], limit: int = 5000):
    """Every page reachable from ``starts`` (explorer links only): yields (url, response)."""
    seen, todo = set(), list(starts)
    while todo and len(seen) < limit:
        u = todo.pop()
        if u in seen or not u.startswith("/") or u.startswith("/static/"):
            continue
        seen.add(u)
        r = client.get(u)
        yield u, r
        if r.headers.get("content-type", "").startswith("text/html"):
            todo += [h for h in links(r.text) if h not in seen]
