"""The front door to the 红绿黄灯 monitor and to what-if scenarios.

>>> from chainkg.api import analyze, open_graph
>>> rows = monitor(open_graph(), as_of="2026-06-30")
>>> {r["light"] for r in rows} <= {"red", "yellow", "green", None}
True
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from ..analysis import Analysis

__all__ = ["landing_effects", "monitor", "whatif"]


def monitor(graph: nx.MultiDiGraph, *, as_of: dt.date | str | None = None, thresholds: str | Path | None = None,
            lang: str = "zh", chain: str | None = None, cluster: str | None = None, district: str | None = None,
            lead: str | None = None, light: str | None = None) -> list[dict]:
    """One row per tech item (worst light first) judged ``as_of`` (default today) with the thresholds
    file (default analysis/lights.yaml). Filters take ids or exact names; ``lead`` a firm or a lab."""
    from ..analysis.lights import load_thresholds, monitor_records
    from ..analysis.resolve import resolve
    from ..errors import UsageError

    day = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else (as_of or dt.date.today())
    lead_id = None
    if lead:
        try:
            lead_id = resolve(graph, "Firm", lead, "--lead")
        except UsageError:
            lead_id = resolve(graph, "Lab", lead, "--lead")
    rows = monitor_records(
        graph, day, load_thresholds(thresholds), lang, chain=resolve(graph, "Chain", chain) if chain else None,
        cluster=resolve(graph, "Cluster", cluster) if cluster else None,
        district=resolve(graph, "District", district) if district else None, lead=lead_id)
    return [r for r in rows if r["light"] == light] if light else rows


def whatif(analysis: Analysis, changes: list[dict] | None = None, *, changes_file: str | Path | None = None,
           lang: str = "zh") -> dict:
    """The difference a change makes, before → after, in words: ``{changes, segments, key_firms, leaders, effect}``.

    ``changes``: ``{"add_firm": name, "segment": s, "district": d}``, ``{"remove_firm": f}``,
    ``{"move_firm": f, "segment": s}``, ``{"add_link": [a, b]}``, ``{"remove_link": [a, b]}``;
    ``changes_file``: the same as YAML (docs/analysis.md, What-if). Nothing is written anywhere.
    """
    from ..analysis.whatif import WhatIf, read_changes, resolve_changes
    from ..findings.whatif import outcome_records

    G = analysis.G
    resolved = read_changes(G, changes_file) if changes_file else []
    if changes or not resolved:
        resolved += resolve_changes(G, list(changes or []))
    w = WhatIf(analysis)
    return outcome_records(w, w.run(resolved), lang)


def landing_effects(analysis: Analysis, rows: list[dict], *, lang: str = "zh", rank_by: str = "score") -> list[dict]:
    """Prospect rows plus the effect of each firm landing in its segment (``effect``, ``effect_text``)."""
    from ..findings.whatif import with_landing_effects

    return with_landing_effects(analysis, rows, lang, rank_by)
