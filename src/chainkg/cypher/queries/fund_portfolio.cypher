// name: fund_portfolio
// description.zh: 某产业基金的投资组合，按产业链归类（含投向的产业链）
// description.en: A fund's portfolio by chain (the firms it invests in, and the chains it focuses on)
// param: fund: Fund — fund id, or exact Chinese or English name
MATCH (fd:Fund) WHERE fd.id = $fund OR fd.name = $fund OR fd.name_en = $fund
CALL (fd) {
  MATCH (fd)-[i:INVESTS_IN]->(f:Firm)
  OPTIONAL MATCH (f)-[:IN_SEGMENT]->(:Segment)<-[:HAS_SEGMENT]-(c:Chain)
  RETURN coalesce(c.name, '(环节未知 no segment)') AS chain, collect(DISTINCT f.name) AS firms,
         sum(i.amount_100m_cny) AS amount_100m_cny
  UNION
  MATCH (fd)-[:FOCUSES_ON]->(c:Chain) WHERE NOT EXISTS { (fd)-[:INVESTS_IN]->(:Firm)-[:IN_SEGMENT]->(:Segment)<-[:HAS_SEGMENT]-(c) }
  RETURN c.name AS chain, [] AS firms, null AS amount_100m_cny
}
RETURN fd.name AS fund, chain, firms, amount_100m_cny
ORDER BY chain
