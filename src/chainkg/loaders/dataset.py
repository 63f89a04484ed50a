"""Find a dataset (folder, workbook, single YAML/JSON file, or bundled name) and its raw tables."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from ..errors import DataError, UsageError
from ..graph_model.records import Problem
from .readers import READERS, RawTable

DEFAULT_DATASET = "yangzhou-613"
#: files in a dataset folder that are documentation, not data
IGNORED_SUFFIXES = {".md", ".txt", ".rst", ".html", ".pdf", ".png"}


def bundled_datasets() -> list[str]:
    root = Path(str(resources.files("chainkg") / "datasets"))
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def resolve_dataset(arg: str | Path | None) -> Path:
    """A path as given, else a bundled dataset by name; ``None`` is the default dataset."""
    arg = DEFAULT_DATASET if arg is None else arg
    path = Path(arg).expanduser()
    if path.exists():
        return path
    bundled = Path(str(resources.files("chainkg") / "datasets" / str(arg)))
    if bundled.is_dir():
        return bundled
    raise UsageError(
        f"No dataset {str(arg)!r}: it is not an existing folder or file, nor a bundled dataset.",
        hint=f"Give a folder of CSV/YAML/JSON files, an .xlsx workbook, or one of: {', '.join(bundled_datasets())}.",
    )


def iter_raw_tables(path: Path, encoding: str | None, problems: list[Problem]) -> Iterator[RawTable]:
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for f in files:
        suffix = f.suffix.lower()
        if f.name.startswith((".", "~$")) or (path.is_dir() and suffix in IGNORED_SUFFIXES):
            continue
        read = READERS.get(suffix)
        if read is None:
            problems.append(Problem(
                "warning", "unknown_file", str(f), None, None, None, None,
                f"File type '{suffix or f.name}' is not a data format chainkg reads; the file is ignored.",
                f"Use .csv, .xlsx, .yaml/.yml or .json (supported: {', '.join(sorted(READERS))}).",
            ))
            continue
        try:
            for table in read(f, encoding=encoding):
                yield table
                problems.extend(table.problems)  # the caller has read its rows by now
        except DataError as exc:  # an unreadable file: report it and go on with the others
            problems.extend(exc.problems)
