"""The declared vocabulary: segment statuses and value chain stages, once.

Status computation, the bilingual labels, the Neo4j status labels, the chain-map and
workbook colours, the Neo4j Browser (GraSS) style and the Cypher status query all read
:data:`STATUSES`; the schema's stage enumeration, stage words and stage order read
:data:`STAGES`.

>>> [s.code for s in STATUSES if s.is_gap]
['gap_fill', 'gap_extend', 'gap_isolated', 'gap_unlinked']
>>> STATUS["single"].neo4j_label, STATUS["single"].colour, STATUS["thin"].zh
('SinglePoint', 'yellow', '薄弱')
>>> [(s.code, s.order) for s in STAGES]
[('upstream', 0), ('midstream', 1), ('downstream', 2)]
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    code: str
    zh: str
    en: str
    neo4j_label: str  # the label `chainkg analyze --write` puts on the segment
    colour: str  # the 红绿黄灯 light of the chain map and workbook: red | yellow | green
    is_gap: bool
    browser: tuple[str, str, str]  # Neo4j Browser node colour, border colour, caption colour


#: in the order reports count them
STATUSES: tuple[Status, ...] = (
    Status("gap_fill", "补链", "Gap: fill", "GapFill", "red", True, ("#E53935", "#B71C1C", "#FFFFFF")),
    Status("gap_extend", "延链", "Gap: extend", "GapExtend", "red", True, ("#EF5350", "#C62828", "#FFFFFF")),
    Status("gap_isolated", "孤立缺口", "Gap: isolated", "GapIsolated", "red", True, ("#E57373", "#C62828", "#FFFFFF")),
    Status("gap_unlinked", "未关联缺口", "Gap: unlinked", "GapUnlinked", "red", True,
           ("#EF9A9A", "#C62828", "#000000")),
    Status("single", "单点", "Single point", "SinglePoint", "yellow", False, ("#FDD835", "#F9A825", "#000000")),
    Status("thin", "薄弱", "Thin", "Thin", "yellow", False, ("#FFEE58", "#F9A825", "#000000")),
    Status("present", "已覆盖", "Present", "Present", "green", False, ("#43A047", "#2E7D32", "#FFFFFF")),
)
STATUS: dict[str, Status] = {s.code: s for s in STATUSES}
GAPS: tuple[str, ...] = tuple(s.code for s in STATUSES if s.is_gap)

#: light -> (fill, stroke) on the chain map and in the workbook
LIGHTS: dict[str, tuple[str, str]] = {
    "red": ("#fde2e1", "#c62828"), "yellow": ("#fff4cc", "#b8860b"), "green": ("#dff3e3", "#2e7d32"),
}


@dataclass(frozen=True)
class Stage:
    code: str
    zh: str
    en: str
    order: int
    spellings: tuple[str, ...]  # accepted in the input besides code and zh


STAGES: tuple[Stage, ...] = (
    Stage("upstream", "上游", "upstream", 0, ("u", "up")),
    Stage("midstream", "中游", "midstream", 1, ("m", "mid")),
    Stage("downstream", "下游", "downstream", 2, ("d", "down")),
)
STAGE: dict[str, Stage] = {s.code: s for s in STAGES}
STAGE_ORDER: dict[str, int] = {s.code: s.order for s in STAGES}


def status_colour(status: str) -> str:
    """The 红绿黄灯 light of a status.

    >>> status_colour("gap_fill"), status_colour("thin"), status_colour("present")
    ('red', 'yellow', 'green')
    """
    return STATUS[status].colour
