"""The 招商 workspace (``chainkg serve --workspace``): accounts, leads, corrections and the audit trail,
stored in Neo4j (:mod:`chainkg.neo4j_io.workspace`), served beside the explorer (see docs/workspace.md)."""

from .service import Workspace, lead_light, load_light_rules

__all__ = ["Workspace", "lead_light", "load_light_rules"]
