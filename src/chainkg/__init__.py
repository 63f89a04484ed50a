"""chainkg: an industry-chain knowledge graph (产业链知识图谱) for regional industrial policy."""

__version__ = "0.1.0"
