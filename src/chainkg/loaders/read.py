"""Reading a dataset: the one validator (:mod:`.columnar`) for every kind of input."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..graph_model.records import Dataset

if TYPE_CHECKING:
    from .columnar import ColumnarReport  # imported where a dataset is read: `import chainkg` stays light


def read_dataset(source: str | Path | None = None, encoding: str | None = None) -> ColumnarReport:
    """Read and validate a dataset; every problem is in the report, nothing is raised for data.

    Every input kind (a folder of CSV/YAML/JSON files, a workbook, one YAML or JSON file, a bundled
    dataset's name) is read into the same frames and checked column-wise (:mod:`.columnar`); the dataset
    is built only when asked for.
    """
    from .causes import explain_causes
    from .columnar import read_columnar

    report = read_columnar(source, encoding)
    report.problems = explain_causes(report.problems)  # a misnamed file or column first, with what it meant
    return report


def load_valid(source: str | Path | None = None, encoding: str | None = None, strict: bool = False) -> Dataset:
    """The dataset, or DataError carrying every problem."""
    return read_dataset(source, encoding).require_ok(strict)
