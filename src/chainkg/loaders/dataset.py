"""Find a dataset (folder, workbook, single YAML/JSON file, or bundled name) and its raw tables."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from ..errors import DataError, UsageError
from ..graph_model.records import Problem
from .readers import READERS, RawFrame

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


def iter_raw_tables(path: Path, encoding: str | None, problems: list[Problem]) -> Iterator[RawFrame]:
    """The tables of a dataset (a folder's files in name order, or one file), each read by its file type's
    reader; a file of another type, or one that cannot be read, is a problem in ``problems`` (the others
    are read on). The problems found in a table's rows while reading it stay in its ``problems``."""
    from .problems import text

    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for f in files:
        suffix = f.suffix.lower()
        if f.name.startswith((".", "~$")) or (path.is_dir() and suffix in IGNORED_SUFFIXES):
            continue
        read = READERS.get(suffix)
        if read is None:
            problems.append(Problem("warning", "unknown_file", str(f), None, None, None, None,
                                    *text("unknown_file", suffix=suffix or f.name, supported=", ".join(sorted(READERS)))))
            continue
        try:
            yield from read(f, encoding=encoding)  # the problems found while reading stay with each table
        except DataError as exc:  # an unreadable file: report it and go on with the others
            problems.extend(exc.problems)
