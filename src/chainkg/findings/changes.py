"""Conclusions that change if inferred facts are wrong: every segment whose status differs between
the analysis of all facts and the analysis of confirmed facts only, side by side."""

from __future__ import annotations

from ..analysis import Analysis
from ..analysis import basis as B
from ..analysis.views import name
from . import labels as L


def change_records(full: Analysis, confirmed: Analysis, lang: str = "zh") -> list[dict]:
    """One row per segment whose status is not the same in ``confirmed`` (its graph: confirmed facts
    only) as in ``full``, in chain and segment order, with the inferred facts its status rests on.

    A segment that is itself inferred is absent from the confirmed-only run: its status there is None.

    >>> from chainkg.analysis import analyze
    >>> from chainkg.testing import tiny_graph
    >>> G = tiny_graph({"K": [("A", "upstream"), ("B", "midstream")]}, feeds=[("A", "B")], firms={"F": (True, ["B"])},
    ...                inferred=[("F", "B", "IN_SEGMENT")])
    >>> [(r["segment_id"], r["status"], r["status_confirmed_only"], [f["id"] for f in r["inferred_facts"]])
    ...  for r in change_records(analyze(G), analyze(B.confirmed_graph(G)), "en")]
    [('A', 'gap_fill', 'gap_isolated', ['F→B']), ('B', 'single', 'gap_isolated', ['F→B'])]
    """
    G = full.G
    rows = []
    for c, segments in full.view.segments_of.items():
        for s in segments:
            st = full.statuses[s]
            other = confirmed.statuses.get(s)
            if other is not None and other.status == st.status:
                continue
            rows.append({
                "segment_id": s, "segment": name(G, s, lang), "chain_id": c, "chain": name(G, c, lang),
                "status": st.status, "status_label": L.pick(L.STATUS[st.status], lang),
                "status_confirmed_only": other.status if other else None,
                "status_confirmed_only_label": (L.pick(L.STATUS[other.status], lang) if other else
                                                ("不在已证实数据中（环节本身为推断）" if lang == "zh" else
                                                 "not in the confirmed data (the segment itself is inferred)")),
                "local_firms": st.local_firms, "local_firms_confirmed_only": other.local_firms if other else None,
                **B.basis(G, full.supports[s], lang),
            })
    return rows
