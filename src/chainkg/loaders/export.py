"""Write a dataset in the input format: a folder of CSV files or one .xlsx workbook."""

from __future__ import annotations

import csv
from pathlib import Path

from ..cells import cell
from ..graph_model.records import Dataset
from ..graph_model.schema import TABLE_BY_NAME
from .rows import column_names, dataset_rows


def export_dataset(ds: Dataset, out: Path, *, lang: str = "en", skip_empty: bool = True) -> list[Path]:
    """``out`` ending in .xlsx: one workbook (Chinese headers with ``lang='zh'``); else a CSV folder
    (UTF-8 with a BOM, which Excel needs to read Chinese text and every reader accepts).

    Into an existing folder, the file of a table that is now empty is removed: left there, it would
    bring the deleted rows back when the folder is read again."""
    tables = dataset_rows(ds)
    out = Path(out)
    if out.suffix.lower() == ".xlsx":
        from .template import write_workbook

        write_workbook(out, tables, lang=lang)
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        path = out / f"{name}.csv"
        if skip_empty and not rows:
            path.unlink(missing_ok=True)
            continue
        table = TABLE_BY_NAME[name]
        cols = column_names(table)
        headers = [c.zh for c in table.columns] if lang == "zh" else cols
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(headers)
            for r in rows:
                w.writerow(["" if r.get(c) is None else cell(r.get(c), to="data") for c in cols])
        written.append(path)
    return written
