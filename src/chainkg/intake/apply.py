"""Write a filled review workbook into a dataset: firms, firm_segments, a source row, rejections.

Accepted rows go in as ``confirmed`` with a source row (人工复核 staff review, DATE, FILE);
``proposed`` rows staff did not touch go in as ``inferred`` only with ``accept_proposed``;
rejected proposals are remembered in ``intake_rejections``. Applying the same file again changes
nothing. The result is validated before anything is written, and a failing apply writes nothing.

Three steps, each its own function: :func:`open_review` (the workbook and its meta sheet),
:func:`read_decisions` (one :class:`~chainkg.intake.learning.Decision` per filled row, every bad
cell a problem) and :func:`~chainkg.intake.learning.apply_decisions` (the decisions into the
dataset; the browser review calls that one directly).
"""

from __future__ import annotations

import copy
import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from ..graph_model.records import Dataset, Node, Problem
from ..graph_model.values import to_bool, to_number
from ..graph_model.vocabulary import ACCEPT_WORDS, REJECT_WORDS
from ..loaders.frames import Frame
from .learning import Applied, Decision, apply_decisions
from .review import ACCEPT, META_SHEET, NO, SHEET, YES, read_meta, review_columns

DATA_SUFFIXES = {".csv", ".xlsx", ".yaml", ".yml", ".json", ".md", ".txt"}
_SPLIT = re.compile(r"[;；,，、\s]+")
DECISIONS = {"建议": "proposed", "待复核": "review", "弱": "weak", "proposed": "proposed", "review": "review",
             "weak": "weak"}
YES_WORDS, NO_WORDS = ACCEPT_WORDS, REJECT_WORDS  # the declared words of a review's 采纳 column


@dataclass(kw_only=True)
class ApplyResult(Applied):
    """What :func:`apply_decisions` did (the fields of :class:`Applied`), with the dataset it gave."""
    dataset: Dataset
    source_id: str
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"new_firms": len(self.new_firms), "updated_firms": len(self.updated_firms),
                "confirmed": len(self.confirmed), "inferred": len(self.inferred), "rejected": len(self.rejected),
                "already_there": self.unchanged}


def _proposals(cells: dict, top: int) -> list[tuple[str, str | None]]:
    out = []
    for k in range(1, top + 1):
        seg = cells.get(f"p{k}_segment")
        if seg:
            out.append((seg, DECISIONS.get(cells.get(f"p{k}_decision") or "", None)))
    return out


@dataclass
class ReviewFile:
    """A review workbook opened for apply: its meta sheet, rows and the source it becomes."""
    path: Path
    meta: dict[str, str]
    frame: Frame
    by_header: dict[str, str]
    top: int
    created: str
    source_id: str


def open_review(path: str | Path, today: str | None = None) -> ReviewFile:
    """The review workbook's meta and 复核 rows; DataError when it is not one propose wrote."""
    import datetime as dt

    from ..loaders.frames import read_frame

    path = Path(path)
    meta = read_meta(path)
    if not meta:
        raise DataError(f"{path}: not a review workbook written by `chainkg intake propose`.",
                        problems=[Problem("error", "not_a_review", str(path), None, None, None, None,
                                          f"The workbook has no {META_SHEET} sheet from chainkg intake propose.",
                                          "Run `chainkg intake propose LIST --data DATASET -o review.xlsx` and "
                                          "fill in that file.")])
    top = int(float(meta.get("top", "3")))
    by_header = {zh: key for key, zh in review_columns(top)}
    frame = read_frame(path, SHEET, header_hint=list(by_header))
    if ACCEPT not in frame.headers:
        raise DataError(f"{path}: the {SHEET} sheet has no {ACCEPT} column.", problems=[Problem(
            "error", "missing_column", str(path), SHEET, frame.header_row, ACCEPT, None,
            f"The {SHEET} sheet has no {ACCEPT} column.", "Use the workbook propose wrote, with its headers.")])
    created = meta.get("created") or today or dt.date.today().isoformat()
    digest = hashlib.sha1(f"{path.name}|{created}|{meta.get('lists', '')}".encode()).hexdigest()[:8].upper()
    return ReviewFile(path, meta, frame, by_header, top, created, f"S-REVIEW-{digest}")


def read_decisions(review: ReviewFile, ds: Dataset, *, accept_proposed: bool = False
                   ) -> tuple[list[Decision], list[Problem]]:
    """One :class:`Decision` per filled row, and a problem per bad cell (file, sheet, row, column, value)."""
    segments = {n.id for n in ds.nodes_of("Segment")}
    districts = {n.id for n in ds.nodes_of("District")}
    decisions: list[Decision] = []
    problems: list[Problem] = []

    def bad(rownum, header, value, message, hint):
        problems.append(Problem("error", "bad_review_cell", str(review.path), review.frame.sheet, rownum, header,
                                value, message, hint))

    for rownum, raw in review.frame.records():
        cells = {review.by_header[h]: v for h, v in raw.items() if h in review.by_header}
        name, firm_id = cells.get("name"), cells.get("firm_id")
        if not name or not firm_id:
            if any(v for v in raw.values()):
                bad(rownum, "企业名称" if not name else "企业编号", None, "The row has no 企业名称 or 企业编号.",
                    "Do not delete those cells; remove the whole row instead.")
            continue
        chosen = _accept_cell(cells, review.top, segments, accept_proposed, lambda *a, r=rownum: bad(r, *a))
        if chosen is None:
            continue
        accepted, rejected = chosen
        district = cells.get("district_id")
        if district and district not in districts:
            bad(rownum, "所属区县", district, f"'{district}' is not a district id of the dataset.",
                "Use an id from the dataset's districts, or leave the cell empty.")
            continue
        node = ds.nodes.get(firm_id)
        if node is not None and node.label != "Firm":
            bad(rownum, "企业编号", firm_id, f"'{firm_id}' is a {node.label}, not a firm.",
                "Do not edit the 企业编号 column.")
            continue
        d = Decision(firm_id, name, accepted, rejected, cells.get("credit_code"), district,
                     where=f"{review.path.name} row {rownum}")
        if accepted and node is None and not _new_firm_fields(d, cells, lambda *a, r=rownum: bad(r, *a)):
            continue
        if rejected:  # what staff saw when rejecting: kept with the rejection, the next propose learns from it
            _text_fields(d, cells)
        decisions.append(d)
    return decisions, problems


def _accept_cell(cells: dict, top: int, segments: set[str], accept_proposed: bool, bad
                 ) -> tuple[list[tuple[str, str]], list[str]] | None:
    """(accepted (segment, confidence), rejected segments) from the 采纳 cell; None when it is bad."""
    shown = _proposals(cells, top)
    value = (cells.get("accept") or "").strip()
    if not value:
        return ([(s, "inferred") for s, d in shown if d == "proposed"] if accept_proposed else []), []
    if value.casefold() in YES_WORDS:
        chosen = [s for s, d in shown if d == "proposed"] or [s for s, _ in shown[:1]]
        if not chosen:
            bad(ACCEPT, value, f"{ACCEPT} is {YES} but the row shows no proposal.",
                "Write the segment id(s) to place the firm in, or leave the cell empty.")
        return [(s, "confirmed") for s in chosen], []
    if value.casefold() in NO_WORDS:  # the weak ones were shown for reference, not offered
        return [], [s for s, d in shown if d != "weak"]
    ids = [v for v in _SPLIT.split(value) if v]
    unknown = [v for v in ids if v not in segments]
    if unknown:
        bad(ACCEPT, value, f"'{', '.join(unknown)}' is not a segment id of the dataset.",
            f"Write {YES}, {NO}, or segment ids from the 环节 sheet, separated by ;.")
        return None
    return [(s, "confirmed") for s in ids], [s for s, d in shown if s not in ids and d != "weak"]


def _text_fields(d: Decision, cells: dict) -> None:
    """The row's 主营产品 / 经营范围 / 行业代码 into ``d.fields`` (an unreadable code is left out:
    propose reported it already)."""
    from ..graph_model.values import to_industry_code

    for k in ("main_products", "business_scope"):
        if cells.get(k) and k not in d.fields:
            d.fields[k] = cells[k]
    if cells.get("industry_code") and "industry_code" not in d.fields:
        try:
            d.fields["industry_code"] = to_industry_code(cells["industry_code"])
        except ValueError:
            pass


def _new_firm_fields(d: Decision, cells: dict, bad) -> bool:
    """Fill a new firm's 是否本地 and list fields into ``d``; False (reported) when a cell is bad."""
    if not cells.get("local"):
        bad("是否本地", None, "是否本地 is empty: propose could not tell where the firm is (see the 问题 sheet).",
            "Write 是 (in the region) or 否 (outside it).")
        return False
    try:
        d.local = to_bool(cells["local"])
    except Exception:
        bad("是否本地", cells.get("local"), "Not 是 or 否.", "Write 是 or 否.")
        return False
    for k in ("business_scope", "main_products", "industry_code", "name_en"):
        if cells.get(k):
            d.fields[k] = cells[k]
    if cells.get("revenue_100m_cny") not in (None, ""):
        try:
            d.fields["revenue_100m_cny"] = to_number(cells["revenue_100m_cny"])
        except ValueError:  # pydantic's coded error is a ValueError: "'约3亿' is not a number."
            bad("营业收入(亿元)", cells["revenue_100m_cny"],
                f"营业收入(亿元) '{cells['revenue_100m_cny']}' is not a number.",
                "Write a plain number of 亿元 such as 3.5, or leave the cell empty.")
            return False
    return True


def apply_review(path: str | Path, ds: Dataset, *, accept_proposed: bool = False, today: str | None = None
                 ) -> ApplyResult:
    """The dataset with the review applied (``ds`` itself is not changed).

    Bad cells (an unknown segment or district id, a 采纳 value that is none of 是 / 否 / segment
    ids) are problems naming file, sheet, row, column and value; with any of them, DataError.
    """
    review = open_review(path, today)
    decisions, problems = read_decisions(review, ds, accept_proposed=accept_proposed)
    if problems:
        raise DataError(f"{review.path}: {len(problems)} cell(s) of the review cannot be applied; nothing was "
                        "written.", problems=problems, hint="Correct the cells named above and run apply again.")
    out = copy.deepcopy(ds)
    result = ApplyResult(dataset=out, source_id=review.source_id)
    apply_decisions(out, decisions, review.source_id, date=review.created, note=review.path.name, out=result)
    if result.used_source and review.source_id not in out.nodes:
        out.nodes[review.source_id] = Node(review.source_id, "Source", {
            "title": f"人工复核 staff review, {review.created}, {review.path.name}", "publisher": "chainkg intake",
            "date": review.created})
    return result


def write_checked(ds: Dataset, output: str | Path) -> list[Path]:
    """Export ``ds`` to ``output`` (a folder or .xlsx) only if the written files validate cleanly.

    The files go to a temporary place first, are read back with ``validate``, and replace
    ``output`` only when there is no error; otherwise DataError and ``output`` is untouched.
    """
    from ..loaders import read_dataset
    from ..loaders.export import export_dataset

    output = Path(output)
    if output.is_dir() and any(p.is_dir() or p.suffix.lower() not in DATA_SUFFIXES for p in output.iterdir()
                               if not p.name.startswith(".")):
        from ..errors import UsageError

        raise UsageError(f"{output} holds files that are not a dataset's; apply replaces the whole folder.",
                         hint="Write to a new folder, or to a dataset folder written before.")
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp_root = Path(tempfile.mkdtemp(prefix=".chainkg-apply-", dir=output.parent))
    try:
        tmp = tmp_root / output.name
        export_dataset(ds, tmp, lang="zh" if output.suffix.lower() == ".xlsx" else "en")
        report = read_dataset(tmp)
        if report.errors:
            raise DataError(f"The updated dataset would have {len(report.errors)} error(s); nothing was written.",
                            problems=report.errors, hint="Correct the review or the dataset and run apply again.")
        if output.is_dir():
            shutil.rmtree(output)
        elif output.exists():
            output.unlink()
        shutil.move(str(tmp), str(output))
    finally:
        shutil.rmtree(tmp_root, ignore_errors=True)
    return sorted(output.iterdir()) if output.is_dir() else [output]
