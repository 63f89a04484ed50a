"""红绿黄灯: red / yellow / green lights for key-technology milestones (docs/monitor.md).

Four dimensions, each judged on its own for every milestone, as of a date:

* ``start``     an open milestone with no start on record (no progress above 0) after its planned
                start: yellow once the planned start's period is over by more than
                ``yellow_months``, red once it is over by more than ``red_months``;
* ``schedule``  progress behind the planned-to-date line: yellow at ``yellow_points`` or more,
                red above ``red_points``; a done milestone is green;
* ``funds``     paid share of the planned funds behind the same line, with its own points;
* ``freshness`` days since the last report of an open milestone: yellow above ``yellow_days``,
                red above ``red_days``.

The planned-to-date line runs from 0 % on the first day of ``planned_start`` to 100 % on the last
day of ``planned_date`` (without a planned start: 100 % once the planned date is over, not judged
before). A dimension without the data it needs is not judged (no light). An item's light is the
worst light of its milestones; every light carries its reason in words.

Replay (``as_of`` in the past): a milestone is done if its done date is on or before ``as_of``;
progress and funds count only if reported (``updated_on``) on or before ``as_of``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..graph_model.schema import ENUM_ZH, ENUMS
from ..graph_model.values import period_bounds
from ..graph_model.vocabulary import DIMENSIONS as DIMENSION_WORDS
from ..graph_model.vocabulary import LIGHT_LEVELS
from .settings_file import read_yaml, validated

LEVELS = ("green", "yellow", "red")
_RANK = {lv: i for i, lv in enumerate(LEVELS)}
DIMENSIONS = ("start", "schedule", "funds", "freshness")
#: light words (None: not judged), from the declared vocabulary
LEVEL_ZH: dict[str | None, str] = {k or None: zh for k, (zh, _) in LIGHT_LEVELS.items()}
LEVEL_EN: dict[str | None, str] = {k or None: en for k, (_, en) in LIGHT_LEVELS.items()}
DIMENSION_ZH = {k: zh for k, (zh, _) in DIMENSION_WORDS.items()}


# -- thresholds ------------------------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StartRule(_Strict):
    yellow_months: int = Field(0, ge=0)
    red_months: int = Field(3, ge=0)

    @model_validator(mode="after")
    def _order(self):
        if self.red_months < self.yellow_months:
            raise ValueError("red_months must not be below yellow_months")
        return self


class PointsRule(_Strict):
    yellow_points: float = Field(10, ge=0, le=100)
    red_points: float = Field(30, ge=0, le=100)

    @model_validator(mode="after")
    def _order(self):
        if self.red_points < self.yellow_points:
            raise ValueError("red_points must not be below yellow_points")
        return self


class FreshnessRule(_Strict):
    yellow_days: int = Field(31, ge=0)
    red_days: int = Field(62, ge=0)

    @model_validator(mode="after")
    def _order(self):
        if self.red_days < self.yellow_days:
            raise ValueError("red_days must not be below yellow_days")
        return self


class Thresholds(_Strict):
    start: StartRule = StartRule()
    schedule: PointsRule = PointsRule()
    funds: PointsRule = PointsRule()
    freshness: FreshnessRule = FreshnessRule()


def default_thresholds_path() -> Path:
    return Path(str(resources.files("chainkg.analysis") / "lights.yaml"))


def load_thresholds(path: str | Path | None = None) -> Thresholds:
    """The shipped thresholds, or those of ``path``; a typo or bad value is a UsageError naming it."""
    path = Path(path) if path else default_thresholds_path()
    return validated(Thresholds, read_yaml(path, "lights") or {}, path, default_thresholds_path())


# -- dates -----------------------------------------------------------------------------------

def add_months(d: dt.date, months: int) -> dt.date:
    """``d`` plus calendar months, the day clamped to the month's end.

    >>> add_months(dt.date(2026, 3, 31), 3), add_months(dt.date(2026, 1, 31), 1)
    (datetime.date(2026, 6, 30), datetime.date(2026, 2, 28))
    """
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def planned_share(m: dict, as_of: dt.date) -> float | None:
    """Percent of the milestone planned to be done by ``as_of`` (the planned-to-date line).

    >>> planned_share({"planned_start": "2026-01-01", "planned_date": "2026-04-11"}, dt.date(2026, 1, 31))
    30.0
    >>> planned_share({"planned_date": "2026-06"}, dt.date(2026, 6, 30)), planned_share({"planned_date": "2026-06"}, dt.date(2026, 7, 1))
    (None, 100.0)
    """
    due = m.get("planned_date")
    if not due:
        return None
    end = period_bounds(due)[1]
    if as_of > end:
        return 100.0
    if not m.get("planned_start"):
        return None
    start = period_bounds(m["planned_start"])[0]
    if as_of <= start:
        return 0.0
    return 100.0 * (as_of - start).days / max((end - start).days, 1)


def _num(x: float) -> str:
    return f"{round(x, 1):g}"


# -- lights ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Light:
    dimension: str
    level: str  # green | yellow | red
    milestone_id: str
    reason_zh: str
    reason_en: str
    measure: float | None = None  # days late, points behind or days since the last report

    def reason(self, lang: str) -> str:
        return self.reason_zh if lang == "zh" else self.reason_en


@dataclass
class ItemLight:
    item_id: str
    level: str | None  # None: no dimension could be judged
    lights: list[Light] = field(default_factory=list)

    def by_dimension(self) -> dict[str, str | None]:
        return {d: worst(lt.level for lt in self.lights if lt.dimension == d) for d in DIMENSIONS}

    def reasons(self, lang: str = "zh") -> list[str]:
        """The reasons of the lights at the item's level (all of them, milestone order)."""
        if self.level is None:
            return ["没有可判定的里程碑（缺计划日期或进度）" if lang == "zh" else
                    "no milestone can be judged (plan dates or progress missing)"]
        return [lt.reason(lang) for lt in self.lights if lt.level == self.level]


def worst(levels) -> str | None:
    """The worst of some levels; ``None`` for none.

    >>> worst(["green", "red", "yellow"]), worst(["green"]), worst([])
    ('red', 'green', None)
    """
    found = [lv for lv in levels if lv]
    return max(found, key=_RANK.__getitem__) if found else None


def _state(m: dict, as_of: dt.date):
    """(done, progress known as of, funds paid known as of, report date known as of)."""
    done = bool(m.get("done_date")) and period_bounds(m["done_date"])[0] <= as_of
    upd = m.get("updated_on")
    reported = upd is None or period_bounds(upd)[0] <= as_of
    progress = 100.0 if done else (m.get("progress_pct") if reported else None)
    paid = m.get("funds_paid_10k_cny") if reported or done else None
    return done, progress, paid, (upd if upd and reported else None)


def milestone_lights(mid: str, m: dict, as_of: dt.date, th: Thresholds | None = None) -> list[Light]:
    """Every dimension that can be judged for milestone ``m`` (its properties) as of ``as_of``.

    Progress 40 % on a milestone planned 2026-01-01 … 2026-06-30, as of 2026-06-01: 151 of 180 days = 83.9 % expected.

    >>> m = {"name": "样机试制", "planned_start": "2026-01", "planned_date": "2026-06", "progress_pct": 40,
    ...      "updated_on": "2026-05-20"}
    >>> [(lt.dimension, lt.level) for lt in milestone_lights("M1", m, dt.date(2026, 6, 1))]
    [('start', 'green'), ('schedule', 'red'), ('freshness', 'green')]
    >>> milestone_lights("M1", m, dt.date(2026, 6, 1))[1].reason_zh
    '里程碑『样机试制』计划 2026-06 完成，进度 40%，按序时应达 83.9%，落后 43.9 个百分点'
    """
    th = th or Thresholds()
    name = m.get("name") or mid
    done, progress, paid, upd = _state(m, as_of)
    share = 100.0 if done else planned_share(m, as_of)
    out: list[Light] = []
    day = as_of.isoformat()

    # start
    if not done and m.get("planned_start"):
        started = (progress or 0) > 0
        end = period_bounds(m["planned_start"])[1]
        late = (as_of - end).days
        if started:
            out.append(Light("start", "green", mid, f"里程碑『{name}』已开始（进度 {_num(progress)}%）",
                             f"milestone “{name}” has started (progress {_num(progress)}%)", 0))
        elif as_of <= add_months(end, th.start.yellow_months):
            out.append(Light("start", "green", mid, f"里程碑『{name}』计划 {m['planned_start']} 开始，尚未逾期",
                             f"milestone “{name}” is planned to start {m['planned_start']}: not late yet", 0))
        else:
            level = "red" if as_of > add_months(end, th.start.red_months) else "yellow"
            out.append(Light("start", level, mid,
                             f"里程碑『{name}』计划 {m['planned_start']} 开始，至 {day} 无开始记录，逾期 {late} 天",
                             f"milestone “{name}” was planned to start {m['planned_start']}; no start on record "
                             f"by {day}, {late} days late", late))
    # schedule
    if done:
        out.append(Light("schedule", "green", mid, f"里程碑『{name}』已于 {m['done_date']} 完成",
                         f"milestone “{name}” was done on {m['done_date']}", 0))
    elif share is not None:
        p = progress or 0.0
        behind = round(share - p, 6)
        level = "red" if behind > th.schedule.red_points else "yellow" if behind >= th.schedule.yellow_points else "green"
        shown = "未报进度（按 0 计）" if progress is None else f"进度 {_num(p)}%"
        shown_en = "no progress reported (taken as 0)" if progress is None else f"progress {_num(p)}%"
        tail_zh = f"落后 {_num(behind)} 个百分点" if behind > 0 else "未落后"
        tail_en = f"{_num(behind)} points behind" if behind > 0 else "not behind"
        out.append(Light("schedule", level, mid,
                         f"里程碑『{name}』计划 {m['planned_date']} 完成，{shown}，按序时应达 {_num(share)}%，{tail_zh}",
                         f"milestone “{name}” due {m['planned_date']}: {shown_en}, {_num(share)}% expected by {day}, "
                         f"{tail_en}", behind))
    # funds
    planned = m.get("planned_funds_10k_cny")
    if planned and share is not None and (paid is not None or share > 0):
        paid_v = min(paid or 0.0, planned)
        paid_share = 100.0 * paid_v / planned
        behind = round(share - paid_share, 6)
        level = "red" if behind > th.funds.red_points else "yellow" if behind >= th.funds.yellow_points else "green"
        tail_zh = f"差 {_num(behind)} 个百分点" if behind > 0 else "未落后"
        tail_en = f"{_num(behind)} points behind" if behind > 0 else "not behind"
        out.append(Light("funds", level, mid,
                         f"里程碑『{name}』计划资金 {_num(planned)} 万元，已拨付 {_num(paid or 0)} 万元"
                         f"（{_num(paid_share)}%），按序时应达 {_num(share)}%，{tail_zh}",
                         f"milestone “{name}”: {_num(paid or 0)} of {_num(planned)} 万元 paid ({_num(paid_share)}%), "
                         f"{_num(share)}% expected by {day}, {tail_en}", behind))
    # freshness
    if not done and upd:
        days = (as_of - period_bounds(upd)[1]).days
        days = max(days, 0)
        level = "red" if days > th.freshness.red_days else "yellow" if days > th.freshness.yellow_days else "green"
        out.append(Light("freshness", level, mid, f"里程碑『{name}』最近更新 {upd}，已 {days} 天未更新",
                         f"milestone “{name}” last reported {upd}, {days} days ago", days))
    return out


def item_light(item_id: str, milestones: list[tuple[str, dict]], as_of: dt.date,
               th: Thresholds | None = None) -> ItemLight:
    """The worst light of the item's milestones (planned-date order).

    >>> ms = [("M1", {"name": "a", "done_date": "2025-12"}),
    ...       ("M2", {"name": "b", "planned_date": "2026-03", "progress_pct": 75, "updated_on": "2026-03-31"})]
    >>> it = item_light("T", ms, dt.date(2026, 4, 1))
    >>> it.level, it.by_dimension(), it.reasons("en")
    ('yellow', {'start': None, 'schedule': 'yellow', 'funds': None, 'freshness': 'green'}, ['milestone “b” due 2026-03: progress 75%, 100% expected by 2026-04-01, 25 points behind'])
    """
    lights = [lt for mid, m in milestones for lt in milestone_lights(mid, m, as_of, th)]
    return ItemLight(item_id, worst(lt.level for lt in lights), lights)


# -- over the graph --------------------------------------------------------------------------

def milestones_of(G, item: str) -> list[tuple[str, dict]]:
    """(id, properties) of an item's milestones, by planned date then id."""
    ms = [(v, G.nodes[v]) for _, v, k in G.out_edges(item, keys=True) if k == "HAS_MILESTONE"]
    return sorted(ms, key=lambda x: (x[1].get("planned_date") or x[1].get("done_date") or "9999", x[0]))


def all_lights(G, as_of: dt.date, th: Thresholds | None = None) -> dict[str, ItemLight]:
    """Item id -> its light, for every TechItem of the graph (graph order)."""
    return {n: item_light(n, milestones_of(G, n), as_of, th)
            for n, d in G.nodes(data=True) if d.get("label") == "TechItem"}


# -- records (rows with names, for the CLI and the reports) ----------------------------------

#: a key technology's kind in words: the schema's word, the code in English
KIND_LABEL = {code: (ENUM_ZH[code], code.replace("_", " ")) for code in ENUMS["tech_kind"]}


def _where(G, item: str) -> dict:
    """What the item serves, its chain and cluster, its lead and the lead's districts."""
    from .views import in_by_type, out_by_type

    serves = next(iter(out_by_type(G, item, "SERVES")), None)
    chain = None
    if serves is not None:
        chain = serves if G.nodes[serves].get("label") == "Chain" else next(iter(in_by_type(G, serves, "HAS_SEGMENT")), None)
    cluster = next(iter(in_by_type(G, chain, "HAS_CHAIN")), None) if chain else None
    lead = next(iter(in_by_type(G, item, "LEADS")), None)
    districts = out_by_type(G, lead, "LOCATED_IN") if lead else []
    return {"serves": serves, "chain": chain, "cluster": cluster, "lead": lead, "districts": districts}


def monitor_records(G, as_of: dt.date, th: Thresholds | None = None, lang: str = "zh", *, chain: str | None = None,
                    cluster: str | None = None, district: str | None = None, lead: str | None = None) -> list[dict]:
    """One row per TechItem (worst light first, then id), with each dimension's light and the reasons.

    ``district`` keeps items whose lead is located in it or in a district under it.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("T", label="TechItem", name="芯片", kind="innovative_product")
    >>> G.add_node("M", label="Milestone", name="鉴定", done_date="2023-09-14")
    >>> _ = G.add_edge("T", "M", "HAS_MILESTONE")
    >>> r = monitor_records(G, dt.date(2026, 1, 1))[0]
    >>> r["light"], r["light_label"], r["reasons"], r["milestones_done"]
    ('green', '绿灯', ['里程碑『鉴定』已于 2023-09-14 完成'], 1)
    """
    from .views import districts_under, name

    inside = districts_under(G, district) if district else None
    lights = all_lights(G, as_of, th)
    rows = []
    for item, it in lights.items():
        w = _where(G, item)
        if (chain and w["chain"] != chain) or (cluster and w["cluster"] != cluster) or (lead and w["lead"] != lead):
            continue
        if inside is not None and not any(d in inside for d in w["districts"]):
            continue
        d = G.nodes[item]
        ms = milestones_of(G, item)
        dims = it.by_dimension()
        src = d.get("source_id")
        s = G.nodes[src] if src and src in G else {}
        rows.append({
            "item_id": item, "item": name(G, item, lang), "kind": d.get("kind"),
            "kind_label": (KIND_LABEL.get(d.get("kind"), (d.get("kind"), d.get("kind"))))[0 if lang == "zh" else 1],
            "serves_id": w["serves"], "serves": name(G, w["serves"], lang) if w["serves"] else None,
            "chain_id": w["chain"], "chain": name(G, w["chain"], lang) if w["chain"] else None,
            "cluster_id": w["cluster"], "lead_id": w["lead"], "lead": name(G, w["lead"], lang) if w["lead"] else None,
            "districts": w["districts"], "as_of": as_of.isoformat(),
            "light": it.level, "light_label": (LEVEL_ZH if lang == "zh" else LEVEL_EN)[it.level],
            **{f"light_{k}": v for k, v in dims.items()},
            "reasons": it.reasons(lang),
            "milestones": len(ms), "milestones_done": sum(1 for _, m in ms if _state(m, as_of)[0]),
            "lights": [{"milestone_id": lt.milestone_id, "dimension": lt.dimension, "level": lt.level,
                        "reason": lt.reason(lang), "measure": lt.measure} for lt in it.lights],
            "source_id": src, "source_title": s.get("title"), "source_url": s.get("url"),
            "confidence": d.get("confidence"),
        })
    order = {None: 3, "red": 0, "yellow": 1, "green": 2}
    rows.sort(key=lambda r: (order[r["light"]], r["item_id"]))
    return rows
