"""Neo4j input and output: the batched, idempotent writer and the streaming reader."""
