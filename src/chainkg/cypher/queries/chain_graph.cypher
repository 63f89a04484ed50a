// name: chain_graph
// description.zh: 某条产业链的环节及其 FEEDS 关系（图形视图；配合 chainkg 样式按状态着色）
// description.en: A chain's segments and their FEEDS links, as a graph (coloured by status with the chainkg style)
// param: chain: Chain — chain id, or exact Chinese or English name
MATCH (c:Chain)-[h:HAS_SEGMENT]->(s:Segment)
WHERE c.id = $chain OR c.name = $chain OR c.name_en = $chain
OPTIONAL MATCH (s)-[f:FEEDS]->(t:Segment)<-[:HAS_SEGMENT]-(c)
RETURN c, h, s, f, t
