"""Reading a dataset: the column reader for a folder of CSV files, the row reader for the rest."""

from __future__ import annotations

from ..graph_model.records import Dataset
from .dataset import resolve_dataset


def read_dataset(source=None, encoding: str | None = None):
    """Read and validate a dataset; every problem is in the report, nothing is raised for data.

    A folder of CSV files is checked column-wise (:mod:`.columnar`: same problems, same dataset, built
    only when asked for); anything else row by row (:func:`read_rows`).
    """
    from .causes import explain_causes
    from .columnar import Unsupported, read_columnar
    from .problems import ProblemsReport
    from .validate import read_rows

    path = resolve_dataset(source)
    report: ProblemsReport
    try:
        report = read_columnar(path, encoding)
    except Unsupported:
        report = read_rows(path, encoding)
    report.problems = explain_causes(report.problems)  # a misnamed file or column first, with what it meant
    return report


def load_valid(source=None, encoding: str | None = None, strict: bool = False) -> Dataset:
    """The dataset, or DataError carrying every problem."""
    return read_dataset(source, encoding).require_ok(strict)
