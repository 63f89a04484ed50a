// name: segment_firms
// description.zh: 某个环节中的企业（本地企业在前），含区县、营收与标签
// description.en: Firms in a segment (local first), with district, revenue and tags
// param: segment: Segment — segment id, or exact Chinese or English name
MATCH (f:Firm)-[:IN_SEGMENT]->(s:Segment)
WHERE s.id = $segment OR s.name = $segment OR s.name_en = $segment
OPTIONAL MATCH (f)-[:LOCATED_IN]->(d:District)
RETURN s.name AS segment, f.id AS firm_id, f.name AS firm, f.local AS local, d.name AS district,
       f.revenue_100m_cny AS revenue_100m_cny, f.tags AS tags, f.source_id AS source_id
ORDER BY local DESC, revenue_100m_cny DESC, firm_id
