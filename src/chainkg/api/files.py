"""The front door to files: validate a dataset, write the template, export, synthesise.

>>> report = validate("yangzhou-613")
>>> report.ok(), report.name
(True, 'yangzhou-613')
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..graph_model.records import PROBLEM_COLUMNS  # the columns of a problem row

if TYPE_CHECKING:
    from ..graph_model.records import Dataset

__all__ = ["PROBLEM_COLUMNS", "export", "load_valid", "problem_headers", "problem_row", "synth", "validate",
           "validation_summary", "write_template"]


def problem_row(problem, lang: str = "zh") -> dict:
    """A validation or intake problem as a table row, its message and hint in ``lang`` (default Chinese)."""
    from ..loaders.messages import localize

    return localize(problem, lang)


def problem_headers(lang: str = "zh") -> dict[str, str]:
    """The problem table's column headers in ``lang``."""
    from ..loaders.messages import headers

    return headers(lang)


def validation_summary(report, lang: str = "zh") -> str:
    """The one line ``chainkg validate`` prints after the problems (errors, warnings, what was read)."""
    from ..loaders.messages import summary

    return summary(report.name, len(report.errors), len(report.warnings), report.counts(), lang)


def validate(source: str | Path | None = None, encoding: str | None = None):
    """The validation report of a dataset (folder, workbook, bundled name): ``.problems``, ``.ok()``,
    ``.counts()``, ``.require_ok()``; never raises for bad data."""
    from ..loaders import read_dataset

    return read_dataset(source, encoding)


def load_valid(source: str | Path | None = None, encoding: str | None = None, strict: bool = False) -> Dataset:
    """The validated dataset, or ``DataError`` with every problem."""
    from ..loaders import load_valid as load

    return load(source, encoding, strict)


def write_template(path: str | Path, *, lang: str = "zh") -> Path:
    """The empty workbook to fill in: every table, headers in ``lang``, notes, drop-downs."""
    from ..errors import UsageError
    from ..loaders.template import write_workbook

    if not str(path).lower().endswith(".xlsx"):
        raise UsageError(f"{path}: the template is an Excel workbook.", hint="Use a name ending in .xlsx.")
    return write_workbook(Path(path), lang=lang)


def export(ds: Dataset, out: str | Path, *, lang: str | None = None) -> list[Path]:
    """``ds`` in the input format: a folder of CSV files (headers in English by default) or a .xlsx (Chinese)."""
    from ..loaders.export import export_dataset

    out = Path(out)
    return export_dataset(ds, out, lang=lang or ("zh" if out.suffix.lower() == ".xlsx" else "en"))


def synth(out: str | Path, *, firms: int = 1000, seed: int = 0, chains: int | None = None) -> dict[str, int]:
    """A reproducible synthetic dataset of ``firms`` firms in ``out``; rows written per table."""
    from ..synth import synth_dataset

    return synth_dataset(Path(out), firms=firms, seed=seed, chains=chains)
