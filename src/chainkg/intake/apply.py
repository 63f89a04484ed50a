"""Write a filled review workbook into a dataset: firms, firm_segments, a source row, rejections.

Accepted rows go in as ``confirmed`` with a source row (人工复核 staff review, DATE, FILE);
``proposed`` rows staff did not touch go in as ``inferred`` only with ``accept_proposed``;
rejected proposals are remembered in ``intake_rejections``. Applying the same file again changes
nothing. The result is validated before anything is written, and a failing apply writes nothing.
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
from ..graph_model.records import Dataset, Node, Problem, Rel, Row
from ..graph_model.values import to_bool, to_number
from ..graph_model.vocabulary import ACCEPT_WORDS, REJECT_WORDS
from .identity import normalise_name
from .review import ACCEPT, META_SHEET, NO, SHEET, YES, read_meta, review_columns

DATA_SUFFIXES = {".csv", ".xlsx", ".yaml", ".yml", ".json", ".md", ".txt"}
_SPLIT = re.compile(r"[;；,，、\s]+")
DECISIONS = {"建议": "proposed", "待复核": "review", "proposed": "proposed", "review": "review"}
YES_WORDS, NO_WORDS = ACCEPT_WORDS, REJECT_WORDS  # the declared words of a review's 采纳 column


@dataclass
class ApplyResult:
    dataset: Dataset
    source_id: str
    new_firms: list[str] = field(default_factory=list)
    updated_firms: list[str] = field(default_factory=list)
    confirmed: list[tuple[str, str]] = field(default_factory=list)
    inferred: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0
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


def apply_review(path: str | Path, ds: Dataset, *, accept_proposed: bool = False, today: str | None = None
                 ) -> ApplyResult:
    """The dataset with the review applied (``ds`` itself is not changed).

    Bad cells (an unknown segment or district id, a 采纳 value that is none of 是 / 否 / segment
    ids) are problems naming file, sheet, row, column and value; with any of them, DataError.
    """
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
    cols = review_columns(top)
    by_header = {zh: key for key, zh in cols}
    frame = read_frame(path, SHEET, header_hint=list(by_header))
    out = copy.deepcopy(ds)
    created = meta.get("created") or today or dt.date.today().isoformat()
    digest = hashlib.sha1(f"{path.name}|{created}|{meta.get('lists', '')}".encode()).hexdigest()[:8].upper()
    source_id = f"S-REVIEW-{digest}"
    result = ApplyResult(out, source_id)
    problems = result.problems
    segments = {n.id for n in out.nodes_of("Segment")}
    districts = {n.id for n in out.nodes_of("District")}
    accept_header = next((h for h in frame.headers if h == ACCEPT), None)
    if accept_header is None:
        raise DataError(f"{path}: the {SHEET} sheet has no {ACCEPT} column.", problems=[Problem(
            "error", "missing_column", str(path), SHEET, frame.header_row, ACCEPT, None,
            f"The {SHEET} sheet has no {ACCEPT} column.", "Use the workbook propose wrote, with its headers.")])
    rejections = {(r.props.get("credit_code") or normalise_name(r.props["firm_name"]), r.props["segment_id"])
                  for r in out.rules.get("intake_rejections", [])}
    used_source = False
    located = {r.start for r in out.rels_of("LOCATED_IN")}

    def bad(rownum, header, value, message, hint):
        problems.append(Problem("error", "bad_review_cell", str(path), frame.sheet, rownum, header, value,
                                message, hint))

    for rownum, raw in frame.records():
        cells = {by_header[h]: v for h, v in raw.items() if h in by_header}
        name, firm_id = cells.get("name"), cells.get("firm_id")
        if not name or not firm_id:
            if any(v for v in raw.values()):
                bad(rownum, "企业名称" if not name else "企业编号", None, "The row has no 企业名称 or 企业编号.",
                    "Do not delete those cells; remove the whole row instead.")
            continue
        shown = _proposals(cells, top)
        value = (cells.get("accept") or "").strip()
        accepted: list[tuple[str, str]] = []  # (segment, confidence)
        rejected: list[str] = []
        if not value:
            if accept_proposed:
                accepted = [(s, "inferred") for s, d in shown if d == "proposed"]
        elif value.casefold() in YES_WORDS:
            chosen = [s for s, d in shown if d == "proposed"] or [s for s, _ in shown[:1]]
            if not chosen:
                bad(rownum, ACCEPT, value, f"{ACCEPT} is {YES} but the row shows no proposal.",
                    "Write the segment id(s) to place the firm in, or leave the cell empty.")
            accepted = [(s, "confirmed") for s in chosen]
        elif value.casefold() in NO_WORDS:
            rejected = [s for s, _ in shown]
        else:
            ids = [v for v in _SPLIT.split(value) if v]
            unknown = [v for v in ids if v not in segments]
            if unknown:
                bad(rownum, ACCEPT, value, f"'{', '.join(unknown)}' is not a segment id of the dataset.",
                    f"Write {YES}, {NO}, or segment ids from the 环节 sheet, separated by ;.")
                continue
            accepted = [(s, "confirmed") for s in ids]
            rejected = [s for s, _ in shown if s not in ids]
        district = cells.get("district_id")
        if district and district not in districts:
            bad(rownum, "所属区县", district, f"'{district}' is not a district id of the dataset.",
                "Use an id from the dataset's districts, or leave the cell empty.")
            continue
        key = cells.get("credit_code") or normalise_name(name)
        for seg in rejected:
            if (key, seg) in rejections:
                continue
            rejections.add((key, seg))
            props = {"firm_name": name, "segment_id": seg, "date": created, "note": path.name,
                     "source_id": source_id, "confidence": "confirmed"}
            if cells.get("credit_code"):
                props["credit_code"] = cells["credit_code"]
            out.rules.setdefault("intake_rejections", []).append(Row(props))
            result.rejected.append((firm_id, seg))
            used_source = True
        if not accepted:
            continue
        node = out.nodes.get(firm_id)
        if node is None:
            try:
                local = to_bool(cells.get("local") or NO)
            except Exception:
                bad(rownum, "是否本地", cells.get("local"), "Not 是 or 否.", "Write 是 or 否.")
                continue
            conf = "confirmed" if any(c == "confirmed" for _, c in accepted) else "inferred"
            props = {"name": name, "local": local, "source_id": source_id, "confidence": conf}
            for k in ("credit_code", "business_scope", "main_products", "industry_code", "name_en"):
                if cells.get(k):
                    props[k] = cells[k]
            if cells.get("revenue_100m_cny") not in (None, ""):
                try:
                    props["revenue_100m_cny"] = to_number(cells["revenue_100m_cny"])
                except ValueError:  # pydantic's coded error is a ValueError: "'约3亿' is not a number."
                    bad(rownum, "营业收入(亿元)", cells["revenue_100m_cny"],
                        f"营业收入(亿元) '{cells['revenue_100m_cny']}' is not a number.",
                        "Write a plain number of 亿元 such as 3.5, or leave the cell empty.")
                    continue
            out.nodes[firm_id] = Node(firm_id, "Firm", props)
            if district:
                out.rels[("LOCATED_IN", firm_id, district)] = Rel("LOCATED_IN", firm_id, district,
                                                                   {"source_id": source_id, "confidence": conf})
            result.new_firms.append(firm_id)
            used_source = True
        elif node.label != "Firm":
            bad(rownum, "企业编号", firm_id, f"'{firm_id}' is a {node.label}, not a firm.",
                "Do not edit the 企业编号 column.")
            continue
        else:
            changed = False
            for k in ("credit_code", "business_scope", "main_products", "industry_code"):
                if cells.get(k) and not node.props.get(k):
                    node.props[k] = cells[k]
                    changed = True
            if district and firm_id not in located:
                out.rels[("LOCATED_IN", firm_id, district)] = Rel("LOCATED_IN", firm_id, district,
                                                                   {"source_id": source_id, "confidence": "confirmed"})
                located.add(firm_id)
                changed = True
            if changed:
                result.updated_firms.append(firm_id)
        for seg, conf in accepted:
            rk = ("IN_SEGMENT", firm_id, seg)
            old = out.rels.get(rk)
            if old is None:
                out.rels[rk] = Rel("IN_SEGMENT", firm_id, seg, {"source_id": source_id, "confidence": conf})
                (result.confirmed if conf == "confirmed" else result.inferred).append((firm_id, seg))
                used_source = True
            elif conf == "confirmed" and old.props.get("confidence") != "confirmed":
                old.props.update({"source_id": source_id, "confidence": "confirmed"})
                result.confirmed.append((firm_id, seg))
                used_source = True
            else:
                result.unchanged += 1
    if problems:
        raise DataError(f"{path}: {len(problems)} cell(s) of the review cannot be applied; nothing was written.",
                        problems=problems, hint="Correct the cells named above and run apply again.")
    if used_source and source_id not in out.nodes:
        out.nodes[source_id] = Node(source_id, "Source", {
            "title": f"人工复核 staff review, {created}, {path.name}", "publisher": "chainkg intake",
            "date": created})
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
