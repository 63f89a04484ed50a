"""The Neo4j Browser side: the shipped GraSS style sheet and Browser URLs."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def style_path() -> Path:
    return Path(str(resources.files("chainkg.browser") / "chainkg.grass"))


def style_text() -> str:
    return style_path().read_text(encoding="utf-8")
