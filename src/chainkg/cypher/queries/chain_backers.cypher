// name: chain_backers
// description.zh: 支撑某条产业链（或其环节）的创新平台与产业基金
// description.en: Labs and funds backing a chain (or its segments)
// param: chain: Chain — chain id, or exact Chinese or English name
MATCH (c:Chain) WHERE c.id = $chain OR c.name = $chain OR c.name_en = $chain
CALL (c) {
  MATCH (l:Lab)-[r:SUPPORTS]->(t) WHERE t = c OR (c)-[:HAS_SEGMENT]->(t)
  RETURN 'lab' AS kind, l.id AS id, l.name AS name, collect(DISTINCT t.name) AS backs, l.level AS detail,
         l.source_id AS source_id
  UNION
  MATCH (fd:Fund)-[:FOCUSES_ON]->(c)
  RETURN 'fund' AS kind, fd.id AS id, fd.name AS name, [c.name] AS backs, toString(fd.size_100m_cny) AS detail,
         fd.source_id AS source_id
}
RETURN c.name AS chain, kind, id, name, backs, detail, source_id
ORDER BY kind DESC, id
