// name: segment_status
// description.zh: 环节状态分类（补链/延链/孤立/未关联/单点/薄弱/已覆盖），与 NetworkX 分析一致
// description.en: Segment status classification (gap_fill, gap_extend, gap_isolated, gap_unlinked, single, thin, present), the same as the NetworkX analysis
// param: chain: Chain = null — only this chain (id, or exact Chinese or English name)
// param: thin_threshold: int = 3 — 2 <= local firms < this is "thin"
MATCH (c:Chain)-[:HAS_SEGMENT]->(s:Segment)
WHERE $chain IS NULL OR c.id = $chain OR c.name = $chain OR c.name_en = $chain
WITH c, s, COLLECT { MATCH (c)-[:HAS_SEGMENT]->(m:Segment) RETURN m } AS members
WITH c, s, members,
     COUNT { MATCH (f:Firm)-[:IN_SEGMENT]->(s) WHERE f.local = true RETURN DISTINCT f } AS n,
     EXISTS { (s)-[:FEEDS]-(:Segment) } AS linked,
     COLLECT { MATCH (s)-[:FEEDS]->(t:Segment)
               WHERE EXISTS { MATCH (f:Firm)-[:IN_SEGMENT]->(t) WHERE f.local = true }
               RETURN DISTINCT t.id ORDER BY t.id } AS pulls
// ancestors and descendants within the chain, over links that are not reverse (target stage before source stage)
WITH c, s, n, linked, pulls,
     COLLECT { MATCH p = (a:Segment)-[:FEEDS*1..]->(s)
               WHERE a <> s AND all(x IN nodes(p) WHERE x IN members)
                 AND all(r IN relationships(p) WHERE NOT coalesce(
                     CASE endNode(r).stage WHEN 'upstream' THEN 0 WHEN 'midstream' THEN 1 WHEN 'downstream' THEN 2 END <
                     CASE startNode(r).stage WHEN 'upstream' THEN 0 WHEN 'midstream' THEN 1 WHEN 'downstream' THEN 2 END, false))
                 AND EXISTS { MATCH (f:Firm)-[:IN_SEGMENT]->(a) WHERE f.local = true }
               RETURN DISTINCT a.id ORDER BY a.id } AS local_ancestors,
     COLLECT { MATCH p = (s)-[:FEEDS*1..]->(d:Segment)
               WHERE d <> s AND all(x IN nodes(p) WHERE x IN members)
                 AND all(r IN relationships(p) WHERE NOT coalesce(
                     CASE endNode(r).stage WHEN 'upstream' THEN 0 WHEN 'midstream' THEN 1 WHEN 'downstream' THEN 2 END <
                     CASE startNode(r).stage WHEN 'upstream' THEN 0 WHEN 'midstream' THEN 1 WHEN 'downstream' THEN 2 END, false))
                 AND EXISTS { MATCH (f:Firm)-[:IN_SEGMENT]->(d) WHERE f.local = true }
               RETURN DISTINCT d.id ORDER BY d.id } AS local_descendants
WITH c, s, n, pulls, local_ancestors, local_descendants,
     CASE
       WHEN n = 0 AND NOT linked THEN 'gap_unlinked'
       WHEN n = 0 AND (size(pulls) > 0 OR (size(local_ancestors) > 0 AND size(local_descendants) > 0)) THEN 'gap_fill'
       WHEN n = 0 AND (size(local_ancestors) > 0 OR size(local_descendants) > 0) THEN 'gap_extend'
       WHEN n = 0 THEN 'gap_isolated'
       WHEN n = 1 THEN 'single'
       WHEN n < $thin_threshold THEN 'thin'
       ELSE 'present'
     END AS status
RETURN c.id AS chain_id, c.name AS chain, s.id AS segment_id, s.name AS segment, s.stage AS stage, n AS local_firms,
       status,
       CASE WHEN status = 'gap_extend' THEN CASE WHEN size(local_ancestors) > 0 THEN 'down' ELSE 'up' END END AS direction,
       CASE WHEN n = 0 THEN pulls ELSE [] END AS pulls,
       CASE WHEN n = 0 THEN local_ancestors ELSE [] END AS local_ancestors,
       CASE WHEN n = 0 THEN local_descendants ELSE [] END AS local_descendants
ORDER BY chain_id, segment_id
