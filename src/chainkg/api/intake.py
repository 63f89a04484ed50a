"""The front door to 企业挂链 intake: propose segments for the firms of staff's lists, apply the review.

See docs/intake.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..graph_model.records import Dataset
    from ..intake import ApplyResult, IntakeResult

__all__ = ["apply", "propose", "write_dataset", "write_review"]


def propose(lists: list[str | Path], ds: Dataset, *, proposed_at: float | None = None, review_at: float | None = None,
            top: int = 3, sheet: str | None = None, target_precision: float = 0.9,
            encoding: str | None = None) -> IntakeResult:
    """Every firm of ``lists`` matched to ``ds`` with its ``top`` candidate segments, ranked by the
    model learned from ``ds``'s placed firms. The thresholds are chosen on held-out folds for
    ``target_precision`` unless ``proposed_at`` / ``review_at`` are given (either one overrides
    its own; the other stays the chosen one)."""
    from ..intake import Proposer, Thresholds
    from ..intake import propose as run

    thresholds = None
    if proposed_at is not None or review_at is not None:
        learned = Proposer(ds, None, top, target_precision=target_precision).thresholds
        p = proposed_at if proposed_at is not None else learned.proposed
        r = review_at if review_at is not None else learned.review
        thresholds = Thresholds(p, min(r, p), target_precision)
    return run(list(lists), ds, thresholds=thresholds, top=top, sheet=sheet, target_precision=target_precision,
               encoding=encoding)


def write_review(result: IntakeResult, ds: Dataset, path: str | Path, *, top: int = 3) -> Path:
    """The review workbook of ``result``, its 环节 sheet listing the segments of ``ds`` (id, name, chain)."""
    from ..intake import write_review as write

    chain_of: dict[str, str] = {}
    for r in ds.rels_of("HAS_SEGMENT"):
        chain_of.setdefault(r.end, r.start)  # a segment's first chain, as listed
    segs = sorted((n.id, n.props.get("name", ""), chain_of.get(n.id, "")) for n in ds.nodes_of("Segment"))
    write(result, path, top=top, segments=segs)
    return Path(path)


def apply(review: str | Path, ds: Dataset, *, accept_proposed: bool = False) -> ApplyResult:
    """The dataset with a filled review workbook applied (validated; nothing written yet)."""
    from ..intake import apply_review

    return apply_review(review, ds, accept_proposed=accept_proposed)


def write_dataset(ds: Dataset, output: str | Path) -> list[Path]:
    """Write ``ds`` (a folder or a .xlsx), validated again before anything is written."""
    from ..intake import write_checked

    return write_checked(ds, output)
