"""Where chainkg keeps per-user files (the Neo4j distribution cache and server homes)."""

from __future__ import annotations

import os
from pathlib import Path


def chainkg_home() -> Path:
    """``$CHAINKG_HOME``, else ``~/.cache/chainkg``."""
    env = os.environ.get("CHAINKG_HOME")
    return Path(env).expanduser().resolve() if env else Path.home() / ".cache" / "chainkg"


def default_server_home() -> Path:
    return chainkg_home() / "servers" / "default"
