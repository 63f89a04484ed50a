"""Datasets for the explorer's tests: the small fixture and the bundled data, each with a hostile firm."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "src" / "chainkg" / "datasets" / "yangzhou-613"

#: a firm name that is a formula, a script and markup at once; must render as text everywhere
EVIL_NAME = '=HYPERLINK("http://evil.example","点我")<script>alert(1)</script>'
EVIL_NAME_EN = '"><img src=x onerror=alert(2)>'
EVIL_DISTRICT = "<svg onload=alert(4)>园区"
EVIL_URL = "javascript:alert(3)"


def _append(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(text.rstrip("\n") + "\n" + line + "\n", encoding="utf-8")


def _add(path: Path, **values) -> None:
    """Append one row by column name (whatever the file's column order)."""
    import csv
    import io

    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([values.get(h, "") for h in header])
    _append(path, buf.getvalue().rstrip("\n"))


def _q(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def hostile_small(tmp_path: Path) -> Path:
    """tests/fixtures/small plus FE: a local firm in E4 (储能 · 标准检测), located in the hostile district D4,
    supplying FA; its source S2 has a javascript: URL."""
    ds = tmp_path / "small-hostile"
    shutil.copytree(FIXTURES / "small", ds)
    (ds / "sources.csv").write_text("id,title,url\nS1,测试来源 test source,https://example.org/s1\n"
                                    f"S2,{_q('<b>来源</b>')},{EVIL_URL}\n", encoding="utf-8")
    _append(ds / "districts.csv", f"D4,{_q(EVIL_DISTRICT)},园区,D0,S1")
    _append(ds / "firms.csv", f"FE,{_q(EVIL_NAME)},{_q(EVIL_NAME_EN)},D4,是,5,,S2")
    _append(ds / "firm_segments.csv", "FE,E4,S2")
    _append(ds / "supplies.csv", "FE,FA,S2")
    return ds


def hostile_bundled(tmp_path: Path) -> Path:
    """The bundled Yangzhou data plus F-EVIL, an outside firm supplying 扬州晶澳 (F-JA), and F-JA supplying
    亚普 (F-YAPP), so the firm pages have a supply network."""
    ds = tmp_path / "yangzhou-613"
    shutil.copytree(BUNDLED, ds)
    _add(ds / "sources.csv", id="S-EVIL", title="<b>来源</b>", url=EVIL_URL)
    _add(ds / "firms.csv", id="F-EVIL", name=EVIL_NAME, name_en=EVIL_NAME_EN, local="否", source_id="S-EVIL",
         confidence="inferred")
    _add(ds / "firm_segments.csv", firm_id="F-EVIL", segment_id="PV-CELL", source_id="S-EVIL", confidence="inferred")
    (ds / "supplies.csv").write_text("supplier_id,customer_id,source_id\nF-EVIL,F-JA,S-EVIL\nF-JA,F-YAPP,S-EVIL\n",
                                     encoding="utf-8")
    return ds


def small_with_tech(tmp_path: Path) -> Path:
    """tests/fixtures/small plus three tech items, lights worked out by hand for 2026-01-15:
    TI1 (serves P1, lead FA in D1): its one milestone was done 2023-09-14 -> green;
    TI2 (serves E1, lead FD in D1): planned to start 2025-06, no start on record, more than 3 months
    later -> red; TI3 (serves P2, lead FB in D2): a milestone with no plan and no progress -> no light."""
    ds = tmp_path / "small-tech"
    shutil.copytree(FIXTURES / "small", ds)
    (ds / "tech_items.csv").write_text(
        "id,name,name_en,kind,serves_id,lead_id,source_id\n"
        "TI1,硅片新工艺,Wafer process,创新产品,P1,FA,S1\n"
        "TI2,电芯攻关,Cell programme,创新产品,E1,FD,S1\n"
        f"TI3,{_q('<b>电池</b>片技术')},Cell tech,创新产品,P2,FB,S1\n", encoding="utf-8")
    (ds / "tech_milestones.csv").write_text(
        "id,item_id,name,planned_start,planned_date,done_date,progress_pct,updated_on,source_id\n"
        "TM1,TI1,鉴定,,,2023-09-14,100,2023-09-14,S1\n"
        "TM2,TI2,开工,2025-06,2026-06,,,,S1\n"
        "TM3,TI3,研发,,,,,,S1\n", encoding="utf-8")
    return ds
