"""红绿黄灯: each light dimension at its boundaries (hand-computed), worst-of, reasons, replay, CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from chainkg.analysis.lights import Thresholds, item_light, load_thresholds, milestone_lights
from chainkg.cli import main
from helpers import example_copy, one, problems

D = dt.date


def level(m, as_of, dimension, th=None):
    found = [lt for lt in milestone_lights("M", m, as_of, th) if lt.dimension == dimension]
    return found[0].level if found else None


# -- start: planned 2026-03-15; yellow once past it, red more than 3 months (06-15) after -----------

START = {"name": "立项", "planned_start": "2026-03-15"}


@pytest.mark.parametrize("as_of, want", [
    (D(2026, 3, 15), "green"),   # the planned day itself
    (D(2026, 3, 16), "yellow"),  # one day past
    (D(2026, 6, 15), "yellow"),  # exactly 3 months after
    (D(2026, 6, 16), "red"),     # one day past 3 months
])
def test_start_boundaries(as_of, want):
    assert level(START, as_of, "start") == want


def test_start_of_a_month_plan_ends_with_the_month_and_progress_means_started():
    m = {"name": "a", "planned_start": "2026-03"}
    assert level(m, D(2026, 3, 31), "start") == "green" and level(m, D(2026, 4, 1), "start") == "yellow"
    assert level(m, D(2026, 6, 30), "start") == "yellow" and level(m, D(2026, 7, 1), "start") == "red"
    assert level({**m, "progress_pct": 5}, D(2026, 12, 1), "start") == "green"


# -- schedule: line 2026-01-01 (0 %) .. 2026-04-11 (100 %) = 100 days, so day n is n %; progress 20 --

LINE = {"name": "样机", "planned_start": "2026-01-01", "planned_date": "2026-04-11"}


@pytest.mark.parametrize("as_of, want", [
    (D(2026, 1, 30), "green"),   # 29 % expected: 9 points behind
    (D(2026, 1, 31), "yellow"),  # 30 %: exactly 10 behind (10 counts as yellow: 含 10)
    (D(2026, 2, 20), "yellow"),  # 50 %: exactly 30 behind (含 30)
    (D(2026, 2, 21), "red"),     # 51 %: 31 behind
])
def test_schedule_boundaries(as_of, want):
    assert level({**LINE, "progress_pct": 20}, as_of, "schedule") == want


def test_schedule_without_start_is_judged_only_once_due():
    m = {"name": "验收", "planned_date": "2026-06", "progress_pct": 80}
    assert level(m, D(2026, 6, 30), "schedule") is None
    assert level(m, D(2026, 7, 1), "schedule") == "yellow"  # 100 expected, 20 behind
    assert level({**m, "progress_pct": 69}, D(2026, 7, 1), "schedule") == "red"


@pytest.mark.parametrize("as_of, want", [
    (D(2026, 1, 30), "green"), (D(2026, 1, 31), "yellow"), (D(2026, 2, 20), "yellow"), (D(2026, 2, 21), "red")])
def test_funds_boundaries(as_of, want):
    # 200 of 1000 万元 paid = 20 %, against the same line; progress 60 keeps the schedule green
    m = {**LINE, "progress_pct": 60, "planned_funds_10k_cny": 1000, "funds_paid_10k_cny": 200}
    assert level(m, as_of, "funds") == want
    assert level(m, as_of, "schedule") == "green"


@pytest.mark.parametrize("as_of, want", [
    (D(2026, 6, 1), "green"),   # 31 days since 05-01
    (D(2026, 6, 2), "yellow"),  # 32
    (D(2026, 7, 2), "yellow"),  # 62
    (D(2026, 7, 3), "red"),     # 63
])
def test_freshness_boundaries(as_of, want):
    m = {"name": "中试", "progress_pct": 50, "updated_on": "2026-05-01"}
    assert level(m, as_of, "freshness") == want


def test_thresholds_from_a_file_change_the_light(tmp_path):
    p = tmp_path / "lights.yaml"
    p.write_text("schedule:\n  yellow_points: 5\n  red_points: 8\n", encoding="utf-8")
    th = load_thresholds(p)
    assert level({**LINE, "progress_pct": 20}, D(2026, 1, 30), "schedule", th) == "red"  # 9 > 8
    assert load_thresholds() == Thresholds()  # the shipped file holds the defaults


def test_bad_thresholds_file_names_the_key(tmp_path):
    from chainkg.errors import UsageError

    p = tmp_path / "lights.yaml"
    p.write_text("schedule:\n  yelow_points: 5\nfreshness:\n  yellow_days: 90\n  red_days: 30\n", encoding="utf-8")
    with pytest.raises(UsageError) as exc:
        load_thresholds(p)
    assert "schedule.yelow_points" in exc.value.message and "red_days must not be below" in exc.value.message


# -- worst-of, reasons, replay ----------------------------------------------------------------

def test_item_light_is_the_worst_and_carries_the_worst_reasons():
    ms = [("M1", {"name": "设计", "done_date": "2026-01-20"}),
          ("M2", {"name": "样机试制", "planned_start": "2026-01", "planned_date": "2026-06", "progress_pct": 40,
                  "updated_on": "2026-06-25"}),
          ("M3", {"name": "中试", "progress_pct": 10, "updated_on": "2026-05-20"})]  # 41 days: yellow
    it = item_light("T", ms, D(2026, 7, 1))
    assert it.by_dimension() == {"start": "green", "schedule": "red", "funds": None, "freshness": "yellow"}
    assert it.level == "red"
    assert it.reasons("zh") == ["里程碑『样机试制』计划 2026-06 完成，进度 40%，按序时应达 100%，落后 60 个百分点"]
    assert it.reasons("en") == ["milestone “样机试制” due 2026-06: progress 40%, 100% expected by 2026-07-01, "
                                "60 points behind"]
    assert item_light("T", [], D(2026, 7, 1)).level is None


def test_replay_uses_only_what_was_known_on_the_day():
    m = {"name": "鉴定", "planned_start": "2026-01-01", "planned_date": "2026-04-11", "done_date": "2026-03-15",
         "progress_pct": 100, "updated_on": "2026-03-15"}
    assert level(m, D(2026, 3, 15), "schedule") == "green"  # done that day
    before = [lt for lt in milestone_lights("M", m, D(2026, 3, 14)) if lt.dimension == "schedule"][0]
    # the day before, not done and no progress report yet: 72 % expected, taken as 0
    assert before.level == "red" and "未报进度（按 0 计）" in before.reason_zh and "按序时应达 72%" in before.reason_zh


# -- validation -------------------------------------------------------------------------------

ITEMS = """
id,name,kind,serves_id,lead_id
TI1,芯片,创新产品,SG2,F1
TI2,材料,新东西,SG2,
"""
MILESTONES = """
id,item_id,name,planned_start,planned_date,done_date,planned_funds_10k_cny,funds_paid_10k_cny,progress_pct,updated_on
TM1,TI1,样机,2026-07,2026-06,,,,40,2026-05-01
TM2,TI1,中试,,2026-09,,100,150,120,2026-13-01
TM3,TI1,鉴定,,,2026-03-01,,,80,
TM4,TX,量产,,,,,,,
"""


def test_validation_names_every_bad_cell(tmp_path):
    ds = example_copy(tmp_path, tech_items=ITEMS, tech_milestones=MILESTONES)
    probs = problems(ds)
    kind = one(probs, "bad_enum")
    assert (kind.file.endswith("tech_items.csv"), kind.row, kind.column, kind.value) == (True, 3, "kind", "新东西")
    assert not [p for p in probs if p.code == "duplicate_id"]
    assert "innovative_product (创新产品)" in kind.message
    pct = one(probs, "bad_percent")
    assert (pct.row, pct.column, pct.value) == (3, "progress_pct", "120")
    date = one(probs, "bad_date")
    assert (date.row, date.column, date.value) == (3, "updated_on", "2026-13-01")
    plan = one(probs, "bad_plan")
    assert (plan.row, plan.column, plan.value, plan.severity) == (2, "planned_start", "2026-07", "error")
    warn = one(probs, "done_not_complete")
    assert (warn.row, warn.severity) == (4, "warning")
    ref = [p for p in probs if p.code == "unknown_reference" and p.value == "TX"]
    assert ref and ref[0].row == 5 and "TechItem" in ref[0].message


# -- the command ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory):
    from chainkg.synth import synth_dataset

    out = tmp_path_factory.mktemp("synth")
    synth_dataset(out, firms=200, seed=0)
    return out


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_synth_monitoring_set_lights_every_dimension(synth_dir):
    from chainkg.synth import SYNTH_AS_OF

    res = invoke("monitor", "--data", str(synth_dir), "--as-of", SYNTH_AS_OF, "--format", "json")
    assert res.exit_code == 0, res.output
    rows = {r["item_id"]: r for r in json.loads(res.stdout)}
    want = {"TI1": ("red", "start"), "TI2": ("yellow", "start"), "TI3": ("green", "start"),
            "TI4": ("red", "schedule"), "TI5": ("yellow", "schedule"), "TI6": ("green", "schedule"),
            "TI7": ("red", "funds"), "TI8": ("yellow", "funds"), "TI9": ("green", "funds"),
            "TI10": ("red", "freshness"), "TI11": ("yellow", "freshness"), "TI12": ("green", "schedule")}
    for item, (lv, dim) in want.items():
        assert rows[item]["light"] == lv and rows[item][f"light_{dim}"] == lv, (item, rows[item])
    assert rows["TI13"]["light"] is None
    assert rows["TI4"]["reasons"] == ["里程碑『里程碑4（进度-红灯）』计划 2026-12 完成，进度 10%，按序时应达 49.5%，"
                                      "落后 39.5 个百分点"]
    assert "红灯 4，黄灯 4，绿灯 4，未判定 1" in res.stderr


def test_monitor_filters_formats_and_usage_errors(synth_dir, tmp_path):
    from openpyxl import load_workbook

    from chainkg.synth import SYNTH_AS_OF

    red = invoke("monitor", "--data", str(synth_dir), "--as-of", SYNTH_AS_OF, "--light", "red", "--format", "json")
    assert {r["item_id"] for r in json.loads(red.stdout)} == {"TI1", "TI4", "TI7", "TI10"}
    chain = json.loads(invoke("monitor", "--data", str(synth_dir), "--as-of", SYNTH_AS_OF, "--chain", "CH1",
                              "--format", "json").stdout)
    assert chain and all(r["chain_id"] == "CH1" for r in chain)
    lead = json.loads(invoke("monitor", "--data", str(synth_dir), "--as-of", SYNTH_AS_OF, "--lead",
                             chain[0]["lead_id"], "--format", "json").stdout)
    assert lead and all(r["lead_id"] == chain[0]["lead_id"] for r in lead)
    out = tmp_path / "m.xlsx"
    assert invoke("monitor", "--data", str(synth_dir), "--as-of", SYNTH_AS_OF, "--format", "xlsx",
                  "-o", str(out)).exit_code == 0
    ws = load_workbook(out)["红绿黄灯"]
    assert ws.cell(1, 1).value == "灯" and ws.max_row == 14
    csv_text = invoke("monitor", "--data", str(synth_dir), "--as-of", SYNTH_AS_OF, "--format", "csv",
                      "--lang", "en").stdout
    assert csv_text.startswith("\ufeff") and csv_text.lstrip("\ufeff").splitlines()[0].startswith("light,item,kind")
    bad = CliRunner().invoke(main, ["monitor", "--as-of", "2026-13-01"])
    assert bad.exit_code == 2 and "not a date" in bad.output
    assert CliRunner().invoke(main, ["monitor", "--format", "xlsx"]).exit_code == 2


def test_bundled_items_are_done_milestones_and_replay_before_the_article():
    rows = json.loads(invoke("monitor", "--format", "json", "--as-of", "2026-01-01").stdout)
    assert {r["item_id"]: (r["light"], r["milestones_done"]) for r in rows} == {
        "T-QUNFA-OPA": ("green", 1), "T-GUIYU-CNC": ("green", 2)}
    assert all(r["source_id"] == "S-SEED" for r in rows)
    before = json.loads(invoke("monitor", "--format", "json", "--as-of", "2023-09-13").stdout)
    assert {r["light"] for r in before} == {None}  # not done yet, and no plan on record to judge against


# -- in the report ------------------------------------------------------------------------------

def test_report_has_a_monitor_sheet_a_section_and_badges_on_the_chain_map(synth_dir, tmp_path):
    import re

    from openpyxl import load_workbook

    from chainkg.synth import SYNTH_AS_OF

    out = tmp_path / "rep"
    res = invoke("report", "--data", str(synth_dir), "--as-of", SYNTH_AS_OF, "--out-dir", str(out))
    assert res.exit_code == 0, res.output
    ws = load_workbook(out / "report.xlsx")["红绿黄灯"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, [c.value for c in r], strict=True)) for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 13 and [r["灯"] for r in rows].count("红灯") == 4
    assert ws.cell(2, 1).fill.fgColor.rgb.endswith("FDE2E1")  # a red item's light cell is red
    html = (out / "report.html").read_text(encoding="utf-8")
    section = html.split('<section id="tech-lights">')[1].split("</section>")[0]
    assert "截至 2026-06-30" in section and "红灯 4 · 黄灯 4 · 绿灯 4 · 未判定 1" in section
    assert len(re.findall(r'data-item-id="TI\d+"', section)) == 13
    # a badge on the segment each judged item serves, in the item's light (worst if several)
    items = json.loads(invoke("monitor", "--data", str(synth_dir), "--as-of", SYNTH_AS_OF, "--format", "json").stdout)
    want: dict[str, str] = {}
    rank = {"green": 0, "yellow": 1, "red": 2}
    for r in items:
        if r["light"]:
            want[r["serves_id"]] = max(want.get(r["serves_id"], "green"), r["light"], key=rank.get)
    got = dict(re.findall(r'data-segment-id="([^"]+)"[^>]*>(?:(?!</g>).)*?<g class="tech-light" data-light="(\w+)"',
                          html, flags=re.S))
    assert got == want


def test_report_escapes_item_text(tmp_path):
    ds = example_copy(tmp_path, tech_items="id,name,kind,serves_id\nTI1,<script>alert(1)</script>,创新产品,SG2\n",
                      tech_milestones="id,item_id,name,done_date\nTM1,TI1,<b>x</b>,2026-01-01\n")
    out = tmp_path / "r.html"
    assert invoke("report", "--data", str(ds), "--format", "html", "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>x</b>" not in html
