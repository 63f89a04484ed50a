// name: chain_leaders
// description.zh: 某条产业链的链主候选（资料称链主优先，其次覆盖环节数、营收）及其上下游企业
// description.en: A chain's 链主 candidates (a source's 链主 tag first, then segments covered, revenue) with their suppliers and customers
// param: chain: string — chain id, or exact Chinese or English name
// param: limit: int = 10 — how many candidates
MATCH (c:Chain)-[:HAS_SEGMENT]->(s:Segment)<-[:IN_SEGMENT]-(f:Firm)
WHERE (c.id = $chain OR c.name = $chain OR c.name_en = $chain) AND f.local = true
WITH c, f, count(DISTINCT s) AS segments_covered, collect(DISTINCT s.name) AS segments
RETURN c.name AS chain, f.id AS firm_id, f.name AS firm, '链主' IN coalesce(f.tags, []) AS tagged_chain_leader,
       segments_covered, segments, f.revenue_100m_cny AS revenue_100m_cny,
       COLLECT { MATCH (x:Firm)-[:SUPPLIES]->(f) RETURN x.name } AS suppliers,
       COLLECT { MATCH (f)-[:SUPPLIES]->(x:Firm) RETURN x.name } AS customers
ORDER BY tagged_chain_leader DESC, segments_covered DESC, coalesce(revenue_100m_cny, 0) DESC, firm_id
LIMIT $limit
