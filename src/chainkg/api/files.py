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

__all__ = ["PROBLEM_COLUMNS", "export", "load_valid", "synth", "validate", "write_template"]


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
