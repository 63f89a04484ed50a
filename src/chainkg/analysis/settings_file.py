"""Reading a user's YAML settings file (weights, light thresholds, what-if changes): one place
that turns an unreadable file or bad YAML into a UsageError naming the file."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError


def read_yaml(path: Path, what: str):
    """The parsed content of ``path`` (None for an empty file); ``what`` names it in errors.

    >>> read_yaml(Path("/nonexistent.yaml"), "weights")
    Traceback (most recent call last):
    ...
    chainkg.errors.UsageError: Cannot read the weights file /nonexistent.yaml: [Errno 2] No such file or directory: '/nonexistent.yaml'
    """
    import yaml

    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"Cannot read the {what} file {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise UsageError(f"{path} is not valid YAML: {exc}") from exc
