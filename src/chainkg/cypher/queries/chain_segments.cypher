// name: chain_segments
// description.zh: 某条产业链的环节（按上中下游），及本地企业数、外地企业数
// description.en: A chain's segments by stage, with local and outside firm counts
// param: chain: Chain — chain id, or exact Chinese or English name
MATCH (c:Chain)-[:HAS_SEGMENT]->(s:Segment)
WHERE c.id = $chain OR c.name = $chain OR c.name_en = $chain
RETURN c.name AS chain, s.id AS segment_id, s.name AS segment, s.stage AS stage, coalesce(s.key, false) AS key,
       COUNT { MATCH (f:Firm)-[:IN_SEGMENT]->(s) WHERE f.local = true RETURN DISTINCT f } AS local_firms,
       COUNT { MATCH (f:Firm)-[:IN_SEGMENT]->(s) WHERE f.local = false RETURN DISTINCT f } AS outside_firms,
       s.confidence AS confidence, s.source_id AS source_id
ORDER BY CASE s.stage WHEN 'upstream' THEN 0 WHEN 'midstream' THEN 1 WHEN 'downstream' THEN 2 ELSE 3 END, s.id
