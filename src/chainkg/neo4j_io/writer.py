"""Write a validated dataset into Neo4j: idempotent, batched, honest about failures.

Constraints and indexes first (a failure stops the load), then nodes, then relationships, as
``UNWIND $rows`` batches, each in a managed write transaction on the named database. A failed
batch stops the load: :class:`~chainkg.errors.LoadError` carries a report of what was and was
not committed; rerunning the same load completes it without duplicates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import cast

from ..cypher import ddl, writes
from ..errors import LoadError
from ..graph_model.schema import REL_TYPES
from .plan import Step, plan_of
from .version import bump_version

DEFAULT_BATCH_SIZE = 10_000


@dataclass
class StepReport:
    kind: str
    name: str
    table: str
    total: int
    batches_total: int
    written: int = 0
    batches_done: int = 0
    created: int = 0
    updated: int = 0  # rows that changed an existing node or relationship
    unchanged: int = 0  # rows already in the graph exactly so

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class LoadReport:
    database: str
    steps: list[StepReport] = field(default_factory=list)
    cleared_nodes: int = 0
    pruned_nodes: int = 0
    pruned_rels: int = 0
    dry_run: bool = False
    failure: str | None = None

    def describe(self) -> str:
        """What was and was not written, in plain words."""
        lines = []
        for s in self.steps:
            if s.batches_done == s.batches_total:
                state = "committed"
            elif s.batches_done:
                state = f"PARTLY committed: batches 1-{s.batches_done} of {s.batches_total}"
            else:
                state = "NOT written"
            lines.append(f"  {s.kind} {s.name} ({s.table}): {s.written}/{s.total} rows {state}")
        return "\n".join(lines)


class _RowsNotMatched(Exception):
    pass


def ensure_schema(driver, database: str) -> None:
    for stmt in ddl.constraint_statements() + ddl.index_statements():
        try:
            with driver.session(database=database) as session:
                session.run(stmt).consume()
        except Exception as exc:  # the load must not go on without its constraints
            raise LoadError(f"Creating a constraint or index failed; nothing was loaded.\n  {stmt}\n  {exc}",
                            hint="Check the Neo4j version (5.x) and the user's rights (schema changes need "
                                 "an admin or architect role).") from exc


def batches(rows: Sequence, size: int):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _write_batch(step: Step, batch: list[dict]):
    """(created, updated) of one batch; the other rows left their node or relationship as it was."""
    def work(tx):
        bump_version(tx)  # the data version changes with every committed batch, property changes included
        if step.kind == "nodes":
            r = tx.run(writes.merge_nodes(step.label), rows=batch).single()
            return r["created"], r["updated"]
        r = tx.run(writes.merge_rels(step.rel_type, step.start_label, step.end_label), rows=batch).single()
        if r["matched"] != len(batch):
            raise _RowsNotMatched(f"{len(batch) - r['matched']} of {len(batch)} {step.name} rows found no end node")
        return r["created"], r["updated"]
    return work


def load_dataset(driver, database: str, ds, *, batch_size: int = DEFAULT_BATCH_SIZE,
                 replace: bool = False, prune: bool = False,
                 progress: Callable[[StepReport, int], None] | None = None,
                 after_batch: Callable[[StepReport], None] | None = None) -> LoadReport:
    """Load ``ds`` (a :class:`Dataset`, or a validation report: the column-wise reader's is sent from its
    frames, :func:`~.plan.plan_of`); ``after_batch`` is called after each committed batch (tests use it to fail)."""
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    plan = plan_of(ds)
    report = LoadReport(database)
    report.steps = [StepReport(s.kind, s.name, s.table, len(s.rows), -(-len(s.rows) // batch_size)) for s in plan]
    ensure_schema(driver, database)
    current = None
    try:
        if replace:
            with driver.session(database=database) as session:
                report.cleared_nodes = session.run(
                    "MATCH (n:ChainKG) RETURN count(n) AS c").single()["c"]
                session.run(writes.clear_all()).consume()  # in batches of its own (CALL … IN TRANSACTIONS)
                session.execute_write(bump_version)  # after it: a reader that saw the old version reads again
        for step, rep in zip(plan, report.steps, strict=True):
            current = rep
            for batch in batches(step.rows, batch_size):
                with driver.session(database=database) as session:
                    created, updated = session.execute_write(_write_batch(step, batch))
                rep.written += len(batch)
                rep.batches_done += 1
                rep.created += created
                rep.updated += updated
                rep.unchanged += len(batch) - created - updated
                if progress:
                    progress(rep, len(batch))
                if after_batch:
                    after_batch(rep)
        current = None
        if prune:
            _prune(driver, database, plan, report, batch_size)
    except Exception as exc:
        where = (f"while writing {current.kind} {current.name}, batch {current.batches_done + 1} of "
                 f"{current.batches_total}" if current else "while clearing or pruning")
        report.failure = f"{type(exc).__name__}: {exc}"
        raise LoadError(f"The load stopped {where}: {report.failure}\nWhat was written:\n{report.describe()}",
                        report=report,
                        hint="Fix the cause and run the same command again: the load is idempotent, "
                             "committed rows are not duplicated.") from exc
    return report


def _column(step: Step, name: str) -> list:
    rows = step.rows
    return rows.column(name) if hasattr(rows, "column") else [r[name] for r in rows]


def _prune(driver, database: str, plan: list[Step], report: LoadReport, batch_size: int) -> None:
    keep = {i for s in plan if s.kind == "nodes" for i in _column(s, "id")}
    pairs: dict[str, set] = {}
    for s in plan:
        if s.kind == "rels" and s.rel_type:
            pairs.setdefault(s.rel_type, set()).update(zip(_column(s, "start"), _column(s, "end"), strict=True))
    with driver.session(database=database) as session:
        stale = [r["id"] for r in session.run(writes.all_node_ids()) if r["id"] not in keep]
    for batch in batches(stale, batch_size):
        with driver.session(database=database) as session:
            session.execute_write(lambda tx, b=batch: (tx.run(writes.delete_nodes(), ids=b).consume(),
                                                       bump_version(tx)))
    report.pruned_nodes = len(stale)
    for rtype in REL_TYPES:
        with driver.session(database=database) as session:
            stale_rels = [{"start": r["start"], "end": r["end"]} for r in session.run(writes.all_rels(rtype))
                          if (r["start"], r["end"]) not in pairs.get(rtype, ())]
        for batch in batches(stale_rels, batch_size):
            with driver.session(database=database) as session:
                session.execute_write(lambda tx, b=batch, rtype=rtype: (tx.run(writes.delete_rels(rtype), rows=b).consume(),
                                                                        bump_version(tx)))
        report.pruned_rels += len(stale_rels)


def dry_run(driver, database: str, ds, batch_size: int = DEFAULT_BATCH_SIZE) -> LoadReport:
    """What a load would create and update (``ds`` as for :func:`load_dataset`); writes nothing."""
    plan = plan_of(ds)
    report = LoadReport(database, dry_run=True)
    for step in plan:
        existing = same = 0
        for batch in batches(step.rows, batch_size):
            with driver.session(database=database) as session:
                if step.kind == "nodes":
                    q, params = writes.existing_ids(cast(str, step.label)), {"ids": [r["id"] for r in batch]}
                    q2 = writes.unchanged_nodes(cast(str, step.label))
                else:  # a rels step names its type and both labels (neo4j_io.plan)
                    q = writes.existing_rels(cast(str, step.rel_type), cast(str, step.start_label),
                                             cast(str, step.end_label))
                    params = {"rows": [{"start": r["start"], "end": r["end"]} for r in batch]}
                    q2 = writes.unchanged_rels(cast(str, step.rel_type), cast(str, step.start_label),
                                               cast(str, step.end_label))
                existing += session.execute_read(lambda tx, q=q, params=params: tx.run(q, **params).single()[0])
                same += session.execute_read(lambda tx, q2=q2, b=list(batch): tx.run(q2, rows=b).single()[0])
        n = len(step.rows)
        report.steps.append(StepReport(step.kind, step.name, step.table, n, -(-n // batch_size),
                                       created=n - existing, updated=existing - same, unchanged=same))
    return report
