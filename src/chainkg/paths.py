"""Where chainkg keeps per-user files (the Neo4j distribution cache and server homes)."""

from __future__ import annotations

import os
from pathlib import Path


def chainkg_home() -> Path:
    """``$CHAINKG_HOME``, else ``~/.cache/chainkg``."""
    env = os.environ.get("CHAINKG_HOME")
    return Path(env).expanduser().resolve() if env else Path.home() / ".cache" / "chainkg"


def default_server_home() -> Path:
    """``$CHAINKG_SERVER_HOME`` (a server started with ``chainkg server start --home H``), else
    ``$CHAINKG_HOME/servers/default``: the local server every Neo4j command connects to."""
    env = os.environ.get("CHAINKG_SERVER_HOME")
    return Path(env).expanduser().resolve() if env else chainkg_home() / "servers" / "default"
