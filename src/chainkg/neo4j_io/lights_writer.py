"""Write the 红绿黄灯 onto the graph: one light label per judged TechItem and ``ana_light*`` properties.

Every run sets the full set of ``ana_light*`` properties on every TechItem (null where an item
cannot be judged) and at most one of LightRed / LightYellow / LightGreen, so a rerun, or a rerun
with another ``--as-of``, leaves nothing stale.
"""

from __future__ import annotations

import datetime as dt

from ..analysis.lights import DIMENSIONS, LEVEL_EN, LEVEL_ZH, Thresholds, all_lights
from ..cypher.names import label
from ..graph_model.schema import LIGHT_LABELS

ITEM_PROPS = ("ana_light", "ana_light_label", "ana_light_reasons", *(f"ana_light_{d}" for d in DIMENSIONS),
              "ana_light_as_of", "ana_run_at")


def light_rows(G, as_of: dt.date, th: Thresholds | None = None, run_at: str = "", lang: str = "zh") -> list[dict]:
    """Rows ``{id, label, props}`` (label None for an item that cannot be judged); pure."""
    rows = []
    for item, it in all_lights(G, as_of, th).items():
        props = {"ana_light": it.level, "ana_light_label": (LEVEL_ZH if lang == "zh" else LEVEL_EN)[it.level],
                 "ana_light_reasons": it.reasons(lang),
                 **{f"ana_light_{d}": lv for d, lv in it.by_dimension().items()},
                 "ana_light_as_of": as_of.isoformat(), "ana_run_at": run_at}
        rows.append({"id": item, "label": LIGHT_LABELS.get(it.level or ""), "props": props})
    return rows


def write_lights(driver, database: str, G, as_of: dt.date, th: Thresholds | None = None, *, lang: str = "zh",
                 run_at: str | None = None) -> dict[str, int]:
    """Light label -> items written (``none`` for items that cannot be judged)."""
    run_at = run_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    all_labels = ":".join(label(x) for x in LIGHT_LABELS.values())
    counts: dict[str, int] = {}
    by_label: dict[str | None, list[dict]] = {}
    for r in light_rows(G, as_of, th, run_at, lang):
        by_label.setdefault(r["label"], []).append({"id": r["id"], "props": r["props"]})
    with driver.session(database=database) as session:
        for lbl, rows in by_label.items():
            set_label = f"SET t:{label(lbl)} " if lbl else ""
            q = (f"UNWIND $rows AS row MATCH (t:{label('TechItem')} {{id: row.id}}) REMOVE t:{all_labels} "
                 f"{set_label}SET t += row.props RETURN count(t) AS c")
            counts[lbl or "none"] = session.execute_write(lambda tx, q=q, b=rows: tx.run(q, rows=b).single()["c"])
        ids = [r["id"] for rows in by_label.values() for r in rows]
        session.execute_write(lambda tx: tx.run(
            f"MATCH (t:{label('TechItem')}) WHERE NOT t.id IN $ids REMOVE t:{all_labels} SET t += $nulls",
            ids=ids, nulls={k: None for k in ITEM_PROPS}).consume())
    return counts
