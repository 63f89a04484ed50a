// name: chain_gaps
// description.zh: 某条产业链中没有本地企业的环节，及其直接供给的、有本地企业的环节（拉动方）
// description.en: A chain's segments with no local firm, and the segments with local firms they directly feed (the pull)
// param: chain: Chain — chain id, or exact Chinese or English name
MATCH (c:Chain)-[:HAS_SEGMENT]->(s:Segment)
WHERE (c.id = $chain OR c.name = $chain OR c.name_en = $chain)
  AND NOT EXISTS { MATCH (f:Firm)-[:IN_SEGMENT]->(s) WHERE f.local = true }
RETURN s.id AS segment_id, s.name AS segment, s.stage AS stage, coalesce(s.key, false) AS key,
       coalesce(s.local_absence_confirmed, false) AS absence_confirmed,
       COLLECT { MATCH (s)-[:FEEDS]->(t:Segment)<-[:HAS_SEGMENT]-(tc:Chain)
                 WHERE EXISTS { MATCH (f:Firm)-[:IN_SEGMENT]->(t) WHERE f.local = true }
                 RETURN t.name + '（' + tc.name + '）' } AS pulled_by,
       COUNT { MATCH (f:Firm)-[:IN_SEGMENT]->(s) WHERE f.local = false RETURN DISTINCT f } AS outside_candidates,
       s.source_id AS source_id
ORDER BY key DESC, size(pulled_by) DESC, segment_id
