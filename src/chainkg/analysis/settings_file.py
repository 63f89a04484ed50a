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


def validated(model, data, path: Path, shipped: Path):
    """``model`` (a pydantic model class) from ``data``; every problem in one UsageError naming
    ``path`` and pointing at the ``shipped`` file to compare with."""
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = [f"  {'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}" for e in exc.errors()]
        raise UsageError(f"{path} has {len(lines)} problem(s):\n" + "\n".join(lines),
                         hint=f"Compare with the shipped file {shipped}.") from exc
