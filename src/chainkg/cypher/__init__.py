"""Cypher, built by pure functions from the schema: values only ever travel as parameters,
labels and relationship types come only from the declared schema."""
