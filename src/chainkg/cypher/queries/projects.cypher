// name: projects
// description.zh: 项目按状态与环节列出（签约/开工/投产），含企业、区县、金额
// description.en: Projects by status and segment (signed, started, landed), with firm, district and amount
// param: status: signed|started|landed = null — only projects at this stage (null: all)
// param: chain: Chain = null — only this chain (id, or exact name)
MATCH (p:Project)
WHERE $status IS NULL OR p.status = $status
OPTIONAL MATCH (p)-[:IN_SEGMENT]->(s:Segment)<-[:HAS_SEGMENT]-(c:Chain)
OPTIONAL MATCH (f:Firm)-[:HAS_PROJECT]->(p)
OPTIONAL MATCH (p)-[:LOCATED_IN]->(d:District)
WITH p, s, c, f, d
WHERE $chain IS NULL OR c.id = $chain OR c.name = $chain OR c.name_en = $chain
RETURN coalesce(p.status, '(未知 unknown)') AS status, c.name AS chain, s.name AS segment, p.id AS project_id,
       p.name AS project, f.name AS firm, d.name AS district, p.amount_100m_cny AS amount_100m_cny, p.date AS date,
       p.source_id AS source_id
ORDER BY status, chain, segment, project_id
