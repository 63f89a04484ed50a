"""Findings: the analysis as rows with ids, names, reasons and evidence, in Chinese or English."""

from .changes import change_records
from .records import (
           centrality_records,
           chain_key_firms,
           chokepoint_records,
           gap_records,
           leader_records,
           prospect_records,
           tier_records,
)
from .wording import evidence, explain, reading

__all__ = ["centrality_records", "chain_key_firms", "change_records", "chokepoint_records", "evidence", "explain", "gap_records", "leader_records",
           "prospect_records", "reading", "tier_records"]
