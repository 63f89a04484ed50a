// name: supply_paths
// description.zh: 两家企业之间的供应路径（从 from 到 to，按长度）
// description.en: Supply paths between two firms (from supplier to customer), shortest first
// param: from: Firm — the supplier side: firm id, or exact name
// param: to: Firm — the customer side: firm id, or exact name
// param: max_hops: int = 4 — longest path considered (1 to 6)
MATCH (a:Firm) WHERE a.id = $from OR a.name = $from OR a.name_en = $from
MATCH (b:Firm) WHERE b.id = $to OR b.name = $to OR b.name_en = $to
MATCH p = (a)-[:SUPPLIES*1..6]->(b)
WHERE length(p) <= $max_hops
RETURN [n IN nodes(p) | n.name] AS path, [n IN nodes(p) | n.id] AS ids, length(p) AS hops
ORDER BY hops, ids
LIMIT 50
