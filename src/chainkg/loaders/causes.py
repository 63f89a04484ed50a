"""Validation says the cause first: a misnamed file or column is named with "did you mean", and the
errors it causes further on (references to the rows of a table that was not read) are said in it
instead of one by one.

:func:`explain_causes` runs over the problems of either reader (:func:`~.validate.read_dataset`).
A misnamed file's problem becomes an error when rows elsewhere refer to the table it should have
been (the dataset is refused, as before, for the right reason), and comes first.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path

from ..graph_model.records import Problem
from ..graph_model.schema import TABLE_BY_NAME, EdgeTable, NodeTable, RuleTable, header_aliases, table_aliases


def near_table(name: str) -> str | None:
    """The table a misnamed file or sheet most likely meant.

    >>> near_table("firm"), near_table("企业表"), near_table("chainz"), near_table("zzz")
    ('firms', 'firms', 'chains', None)
    """
    aliases = table_aliases()
    folded = name.strip().casefold()
    hits = difflib.get_close_matches(folded, list(aliases), n=1, cutoff=0.6)
    if not hits:  # a Chinese name with a word around it: 企业表, 企业名单
        hits = [a for a in aliases if len(a) >= 2 and not a.isascii() and a in folded][:1]
    return aliases[hits[0]] if hits else None


def near_column(table: str, header: str) -> str | None:
    """The column a misnamed header most likely meant.

    >>> near_column("chains", "clusterid"), near_column("firms", "营业收入"), near_column("firms", "colour")
    ('cluster_id', 'revenue_100m_cny', None)
    """
    aliases = header_aliases(TABLE_BY_NAME[table])
    folded = header.strip().casefold()
    hits = difflib.get_close_matches(folded, list(aliases), n=1, cutoff=0.75)
    if not hits:
        hits = [a for a in aliases if len(a) >= 2 and not a.isascii() and (a in folded or folded in a)][:1]
    return aliases[hits[0]] if hits else None


def _table_of(p: Problem) -> str | None:
    name = p.sheet if p.sheet else (Path(p.file).stem if p.file else None)
    return table_aliases().get(name.strip().casefold()) if name else None


def _target_labels(table: str, header: str | None) -> tuple[str, ...]:
    """The labels a reference column of ``table`` (its header as written) points to."""
    t = TABLE_BY_NAME[table]
    col = header_aliases(t).get((header or "").strip().casefold())
    if isinstance(t, EdgeTable):
        return t.from_labels if col == t.from_column else t.to_labels if col == t.to_column else ()
    if isinstance(t, NodeTable):
        return next((fk.target_labels for fk in t.foreign_keys if fk.column == col), ())
    if isinstance(t, RuleTable):
        return dict(t.refs).get(col, ()) if col else ()
    return ()


def explain_causes(problems: list[Problem]) -> list[Problem]:
    """The problems with each misnamed file or column said first, with what it most likely meant,
    and the references it broke folded into it."""
    out: list[Problem] = []
    causes: list[Problem] = []
    knock_on: dict[str, list[Problem]] = {}  # label -> unknown_reference problems that point to it
    for p in problems:
        if p.code == "unknown_reference" and (table := _table_of(p)):
            labels = _target_labels(table, p.column)
            if len(labels) == 1:
                knock_on.setdefault(labels[0], []).append(p)
    folded: set[int] = set()
    for p in problems:
        if p.code == "unknown_table" and p.value:
            meant = near_table(str(p.value))
            t = TABLE_BY_NAME.get(meant) if meant else None
            if t is None:
                out.append(p)
                continue
            broken = knock_on.get(t.label, []) if isinstance(t, NodeTable) else []
            where = f"Sheet '{p.sheet}'" if p.sheet else f"File '{Path(p.file or '').name}'"
            msg = f"{where} is not a known table and is ignored: did you mean {meant}.csv (or a sheet {meant})?"
            if broken:
                files = sorted({Path(b.file or "").name for b in broken})
                msg += (f" {len(broken)} reference(s) to its rows fail because of it ({', '.join(files)}); "
                        "they are not listed one by one.")
                folded |= {id(b) for b in broken}
            causes.append(replace(p, severity="error" if broken else p.severity, message=msg,
                                  hint=f"Rename it to {meant}.csv (or the sheet to {meant} or {t.zh})."))
        elif p.code == "unknown_column" and p.column and (table := _table_of(p)) and (
                meant := near_column(table, p.column)):
            out.append(replace(p, message=f"{p.message} Did you mean {meant}?",
                               hint=f"Rename the column to '{meant}' ({_zh(table, meant)})."))
        elif p.code == "missing_column" and p.column and (table := _table_of(p)):
            written = [q.column for q in problems if q.code == "unknown_column" and q.file == p.file
                       and q.sheet == p.sheet and q.column and near_column(table, q.column) == p.column]
            causes.append(replace(p, hint=f"The column headed '{written[0]}' is most likely it: rename it to "
                                          f"'{p.column}'.") if written else p)
        else:
            out.append(p)
    return causes + [p for p in out if id(p) not in folded]


def _zh(table: str, column: str) -> str:
    return next(c.zh for c in TABLE_BY_NAME[table].columns if c.name == column)
