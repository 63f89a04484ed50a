// name: single_points_supplying_other_chains
// description.zh: 单点环节（仅 1 家本地企业），且该企业还向其他产业链的企业供货
// description.en: Single-point segments (one local firm) whose only local firm also supplies firms of another chain
MATCH (c:Chain)-[:HAS_SEGMENT]->(s:Segment)
WITH c, s, COLLECT { MATCH (f:Firm)-[:IN_SEGMENT]->(s) WHERE f.local = true RETURN DISTINCT f } AS locals
WHERE size(locals) = 1
WITH c, s, locals[0] AS f
MATCH (f)-[:SUPPLIES]->(cust:Firm)-[:IN_SEGMENT]->(:Segment)<-[:HAS_SEGMENT]-(other:Chain)
WHERE other <> c
RETURN c.name AS chain, s.id AS segment_id, s.name AS segment, f.id AS firm_id, f.name AS firm,
       collect(DISTINCT other.name) AS also_supplies_chains, collect(DISTINCT cust.name) AS customers
ORDER BY chain, segment_id
