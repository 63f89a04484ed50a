"""The project's own local Neo4j: distribution from Maven Central, instances with their own homes."""

from .distribution import ensure_distribution, pinned_versions
from .instance import LocalServer, ServerSettings, free_port, initial_heap

__all__ = ["LocalServer", "ServerSettings", "ensure_distribution", "free_port", "initial_heap", "pinned_versions"]
