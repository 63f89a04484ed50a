"""The graph model: one declared schema, typed records, and the NetworkX builder."""

from .records import Dataset, Node, Origin, Problem, Rel
from .schema import LABELS, REL_TYPES, TABLES

__all__ = ["Dataset", "LABELS", "Node", "Origin", "Problem", "REL_TYPES", "Rel", "TABLES"]
