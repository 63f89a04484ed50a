"""Pure analysis of a chain graph: statuses, priorities, chokepoints, firms, prospects, tiers, coverage.

Numbers and ids only; rows with words are :mod:`chainkg.findings`.
"""

from .result import Analysis, analyze

__all__ = ["Analysis", "analyze"]
