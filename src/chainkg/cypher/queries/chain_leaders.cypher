// name: chain_leaders
// description.zh: 某条产业链的链主候选（资料称链主优先，其次覆盖环节数、营收；只知属于该链、环节未知的企业覆盖 0 个环节）及其上下游企业
// description.en: A chain's 链主 candidates (a source's 链主 tag first, then segments covered, revenue; a firm tied to the chain with its link unknown covers 0) with their suppliers and customers
// param: chain: Chain — chain id, or exact Chinese or English name
// param: limit: int = 10 — how many candidates
MATCH (c:Chain) WHERE c.id = $chain OR c.name = $chain OR c.name_en = $chain
MATCH (f:Firm) WHERE f.local = true
  AND (EXISTS { (f)-[:IN_SEGMENT]->(:Segment)<-[:HAS_SEGMENT]-(c) } OR EXISTS { (f)-[:IN_CHAIN]->(c) })
WITH c, f, COLLECT { MATCH (f)-[:IN_SEGMENT]->(s:Segment)<-[:HAS_SEGMENT]-(c) RETURN DISTINCT s.name } AS segments
WITH c, f, segments, size(segments) AS segments_covered
RETURN c.name AS chain, f.id AS firm_id, f.name AS firm, '链主' IN coalesce(f.tags, []) AS tagged_chain_leader,
       segments_covered, segments, f.revenue_100m_cny AS revenue_100m_cny,
       COLLECT { MATCH (x:Firm)-[:SUPPLIES]->(f) RETURN x.name } AS suppliers,
       COLLECT { MATCH (f)-[:SUPPLIES]->(x:Firm) RETURN x.name } AS customers
ORDER BY tagged_chain_leader DESC, segments_covered DESC, coalesce(revenue_100m_cny, 0) DESC, firm_id
LIMIT $limit
