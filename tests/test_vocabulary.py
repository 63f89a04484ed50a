"""One declared vocabulary: every reader of statuses, stages, thresholds and headers agrees with it."""

from __future__ import annotations

import re

from chainkg.graph_model.vocabulary import GAPS, STAGE_ORDER, STAGES, STATUS, STATUSES


def test_statuses_are_read_by_labels_neo4j_colours_and_the_style():
    from chainkg.analysis.status import SegmentStatus
    from chainkg.browser import style_text
    from chainkg.findings.labels import STATUS as WORDS
    from chainkg.graph_model.schema import STATUS_LABELS
    from chainkg.graph_model.vocabulary import status_colour

    assert list(WORDS) == list(STATUS_LABELS) == [s.code for s in STATUSES]
    style = style_text()
    for s in STATUSES:
        assert WORDS[s.code] == (s.zh, s.en) and STATUS_LABELS[s.code] == s.neo4j_label
        assert status_colour(s.code) == ("red" if s.is_gap else s.colour)
        assert SegmentStatus("x", "c", s.code, 0).is_gap == s.is_gap
        rule = re.search(r"node\.%s \{(.*?)\}" % s.neo4j_label, style, re.S).group(1)
        assert f"color: {s.browser[0]};" in rule and f"border-color: {s.browser[1]};" in rule
    assert set(GAPS) == {s.code for s in STATUSES if s.is_gap}


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


def test_weights_come_only_from_weights_yaml():
    import yaml

    from chainkg.analysis.weights import Weights, default_weights, default_weights_path

    assert all(f.is_required() for f in Weights.model_fields.values())
    shipped = yaml.safe_load(default_weights_path().read_text(encoding="utf-8"))
    assert default_weights().thin_threshold == shipped["thin_threshold"]
    assert default_weights().kind.gap_fill == shipped["kind"]["gap_fill"]


def test_stage_words_and_schema_enumeration_come_from_the_stages():
    from chainkg.findings.labels import STAGE
    from chainkg.graph_model.schema import ENUM_ZH, ENUMS

    assert list(ENUMS["stage"]) == [s.code for s in STAGES]
    for s in STAGES:
        assert ENUM_ZH[s.code] == s.zh and STAGE[s.code] == (s.zh, s.en) and s.zh in ENUMS["stage"][s.code]


def test_header_words_of_data_columns_are_the_schemas():
    from chainkg.findings.labels import SCHEMA_HEADERS, headers
    from chainkg.graph_model.schema import TABLE_BY_NAME

    zh = headers("zh")
    for key, (table, column, _) in SCHEMA_HEADERS.items():
        assert zh[key] == next(c.zh for c in TABLE_BY_NAME[table].columns if c.name == column)
    assert zh["revenue_100m_cny"] == "营业收入(亿元)"


def test_synth_headers_are_the_schemas(tmp_path):
    from chainkg.graph_model.schema import TABLE_BY_NAME
    from chainkg.synth import synth_dataset

    synth_dataset(tmp_path, firms=60, seed=1)
    for f in tmp_path.glob("*.csv"):
        header = f.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == [c.name for c in TABLE_BY_NAME[f.stem].columns]
