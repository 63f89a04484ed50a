"""One declared vocabulary: every reader of statuses, stages, thresholds and headers agrees with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chainkg.graph_model.vocabulary import GAPS, STAGE_ORDER, STAGES, STATUS


def test_statuses_are_read_by_labels_neo4j_colours_and_the_style():
    """Written out by hand: what each status is called, labelled, coloured and styled as."""
    from chainkg.analysis.status import SegmentStatus
    from chainkg.browser import style_text
    from chainkg.findings.labels import STATUS as WORDS
    from chainkg.graph_model.schema import STATUS_LABELS
    from chainkg.graph_model.vocabulary import status_colour

    expected = {  # code: (zh, en, Neo4j label, light, Browser colour)
        "gap_fill": ("补链", "Gap: fill", "GapFill", "red", "#E53935"),
        "gap_extend": ("延链", "Gap: extend", "GapExtend", "red", "#EF5350"),
        "gap_isolated": ("孤立缺口", "Gap: isolated", "GapIsolated", "red", "#E57373"),
        "gap_unlinked": ("未关联缺口", "Gap: unlinked", "GapUnlinked", "red", "#EF9A9A"),
        "single": ("单点", "Single point", "SinglePoint", "yellow", "#FDD835"),
        "thin": ("薄弱", "Thin", "Thin", "yellow", "#FFEE58"),
        "present": ("已覆盖", "Present", "Present", "green", "#43A047"),
    }
    assert list(WORDS) == list(STATUS_LABELS) == list(expected)
    style = style_text()
    for code, (zh, en, label, light, colour) in expected.items():
        assert WORDS[code] == (zh, en) and STATUS_LABELS[code] == label and status_colour(code) == light
        assert SegmentStatus("x", "c", code, 0).is_gap == code.startswith("gap_")
        rule = re.search(r"node\." + label + r" \{(.*?)\}", style, re.S).group(1)
        assert f"color: {colour};" in rule
    assert GAPS == ("gap_fill", "gap_extend", "gap_isolated", "gap_unlinked")


def test_one_word_per_key_for_reports_and_explorer():
    """The words the explorer shows are the reports' headers (the four keys that differed are pinned)."""
    from chainkg.findings.labels import headers
    from chainkg.web.words import word

    zh, en = headers("zh"), headers("en")
    for key in zh:
        assert word(key, "zh") == zh[key]
        assert word(key, "en").lower() == en[key].lower()
    # once 集群 / 产业集群, 企业数 / 企业, 状态代码 / 状态, 本地企业数 / 本地企业 between the two
    assert (word("cluster", "zh"), zh["cluster"]) == ("产业集群", "产业集群")
    assert (word("firms", "zh"), word("firm_names", "zh")) == ("企业数", "企业")
    assert (word("status", "zh"), word("status_label", "zh"), word("status_label", "en")) == ("状态代码", "状态", "Status")
    assert (word("local_firms", "zh"), word("local_firm_names", "zh")) == ("本地企业数", "本地企业")
    assert (word("yes", "en"), word("in_region", "en"), word("segment", "en")) == ("yes", "local", "Segment")


def test_every_word_a_page_asks_for_is_declared():
    import chainkg.web as web
    from chainkg.web.words import word

    keys = set()
    for f in (Path(web.__file__).parent / "templates").glob("*.html"):
        keys |= set(re.findall(r"\bt\('([a-z_]+)'\)", f.read_text(encoding="utf-8")))
    assert len(keys) > 50
    for lang in ("zh", "en"):
        assert [k for k in sorted(keys) if not word(k, lang)] == []


def test_english_words_have_no_chinese_and_chinese_words_no_codes():
    from chainkg.graph_model import vocabulary as v

    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    tables = [v.WORDS, v.STATUS_WORDS, v.STAGE_WORDS, v.DIRECTION, v.BASIS, v.PARTS, v.FACT_KINDS, v.LIGHT_LEVELS,
              v.DIMENSIONS, v.RELIABILITY_NOTES, v.CHANGES, v.EFFECTS, v.EFFECT_SUMMARY, v.SHEETS, v.SCOPE, v.TITLES,
              v.SUMMARY, v.PAGE_WORDS, v.PAGE_SHEETS, v.MAP_WORDS, *v.DATA_WORDS.values(), *v.TABLE_HEADERS.values()]
    english = {en for t in tables for _, en in t.values()} | set(v.headers("en").values())
    assert sorted(w for w in english if cjk.search(w)) == []
    chinese = {zh for t in tables for zh, _ in t.values()}
    assert sorted(w for w in chinese if re.search(r"[a-z]+_[a-z]+", w)) == []


def test_yes_and_no_are_one_set_of_words():
    from pydantic_core import PydanticCustomError

    from chainkg.cells import cell
    from chainkg.cypher.library import convert
    from chainkg.graph_model.values import to_bool
    from chainkg.intake.apply import NO_WORDS, YES_WORDS

    for text in ("是", "yes", "Y", "TRUE", "1", "对", "√", "✓"):
        assert to_bool(text) is True and convert(text, "bool", "x") is True and text.casefold() in YES_WORDS
    for text in ("否", "no", "N", "false", "0", "不是", "×"):
        assert to_bool(text) is False and convert(text, "bool", "x") is False and text.casefold() in NO_WORDS
    assert "采纳" in YES_WORDS and "不采纳" in NO_WORDS  # a review's 采纳 column only
    with pytest.raises(PydanticCustomError):
        to_bool("采纳")
    assert [cell(b, lang) for lang in ("zh", "en") for b in (True, False)] == ["是", "否", "yes", "no"]


def test_whatif_and_monitor_headers_name_their_own_columns():
    from chainkg.graph_model.vocabulary import headers

    assert headers("zh", "whatif")["status"] == "状态" and headers("zh")["status"] == "状态代码"
    assert headers("en", "whatif")["rank"] == "chain-leader rank" and headers("en")["rank"] == "rank"
    assert headers("zh", "monitor")["reasons"] == "原因" and headers("zh")["reasons"] == "理由"
    assert headers("zh", "monitor_detail")["level"] == "灯" and headers("zh")["level"] == "级别"


def test_cypher_status_query_uses_the_vocabulary_and_the_weights_threshold():
    from chainkg.analysis.weights import default_weights
    from chainkg.cypher.library import library

    q = library()["segment_status"]
    threshold = next(p for p in q.params if p.name == "thin_threshold")
    assert threshold.default == default_weights().thin_threshold
    case = q.text[q.text.index("CASE\n"):q.text.index("END AS status")]
    assert re.findall(r"(?:THEN|ELSE) '(\w+)'", case) == ["gap_unlinked", "gap_fill", "gap_extend", "gap_isolated", "single",
                                                 "thin", "present"]
    assert set(re.findall(r"(?:THEN|ELSE) '(\w+)'", case)) == set(STATUS)
    stage_cases = list(re.finditer(r"CASE [^C]*?\.stage (WHEN .*?) END", q.text))
    assert len(stage_cases) == 4
    for m in stage_cases:
        assert dict(re.findall(r"WHEN '(\w+)' THEN (\d)", m.group(1))) == {k: str(v) for k, v in STAGE_ORDER.items()}


def test_weights_come_only_from_weights_yaml(tmp_path):
    """No point has a default in the code; a points file changes exactly what it names."""
    from chainkg.analysis.weights import Weights, default_weights, load_weights

    assert all(f.is_required() for f in Weights.model_fields.values())
    assert (default_weights().key_segment, default_weights().thin_threshold, default_weights().kind.gap_fill) == (3, 3, 2)
    points = tmp_path / "points.yaml"
    points.write_text("thin_threshold: 5\nkind:\n  gap_fill: 7\n", encoding="utf-8")
    w = load_weights(points)
    assert (w.thin_threshold, w.kind.gap_fill, w.kind.gap_extend, w.key_segment) == (5, 7, 1, 3)


def test_stage_words_and_schema_enumeration_come_from_the_stages():
    from chainkg.findings.labels import STAGE
    from chainkg.graph_model.schema import ENUM_ZH, ENUMS

    assert list(ENUMS["stage"]) == [s.code for s in STAGES] == ["upstream", "midstream", "downstream"]
    assert STAGE == {"upstream": ("上游", "upstream"), "midstream": ("中游", "midstream"), "downstream": ("下游", "downstream")}
    assert [ENUM_ZH[c] for c in ENUMS["stage"]] == ["上游", "中游", "下游"]
    assert ENUM_ZH["landed"] == "投产" and ENUM_ZH["pain_point"] == "痛点堵点" and ENUM_ZH["cluster"] == "集群"


def test_header_words_of_data_columns_are_the_schemas():
    from chainkg.findings.labels import SCHEMA_HEADERS, headers
    from chainkg.graph_model.schema import TABLE_BY_NAME

    zh = headers("zh")
    for key, (table, column, _) in SCHEMA_HEADERS.items():
        assert zh[key] == next(c.zh for c in TABLE_BY_NAME[table].columns if c.name == column)
    assert (zh["revenue_100m_cny"], zh["local"], zh["source_id"], zh["url"]) == ("营业收入(亿元)", "是否本地", "来源编号", "网址")


def test_synth_headers_are_the_schemas(tmp_path):
    from chainkg.graph_model.schema import TABLE_BY_NAME
    from chainkg.synth import synth_dataset

    synth_dataset(tmp_path, firms=60, seed=1)
    for f in tmp_path.glob("*.csv"):
        header = f.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == [c.name for c in TABLE_BY_NAME[f.stem].columns]


def test_problem_tables_take_their_words_from_the_vocabulary():
    """The problem table's headers and severity words, written out by hand; loaders/messages.py keeps only
    the Chinese sentences of each problem code, no word table of its own."""
    from pathlib import Path

    import chainkg
    from chainkg.api.files import problem_headers, problem_row
    from chainkg.graph_model.records import Problem

    assert problem_headers("zh") == {"severity": "级别", "code": "代码", "file": "文件", "sheet": "工作表", "row": "行",
                                     "column": "列", "value": "值", "message": "问题", "hint": "如何修改"}
    assert problem_headers("en") == {c: c for c in ("severity", "code", "file", "sheet", "row", "column", "value",
                                                    "message", "hint")}
    p = Problem("warning", "unknown_column", "firms.csv", None, 1, "x", None, "m", "h")
    assert (problem_row(p, "zh")["severity"], problem_row(p, "en")["severity"]) == ("警告", "warning")
    e = Problem("error", "bad_bool", "firms.csv", None, 2, "local", "maybe", "m", "h")
    assert problem_row(e, "zh")["severity"] == "错误"
    source = (Path(chainkg.__file__).parent / "loaders" / "messages.py").read_text(encoding="utf-8")
    assert '"级别"' not in source and '"警告"' not in source and '"如何修改"' not in source
