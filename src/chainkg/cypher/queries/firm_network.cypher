// name: firm_network
// description.zh: 某企业的供应商与客户（最多两跳）
// description.en: A firm's suppliers and customers, up to two hops out
// param: firm: Firm — firm id, or exact Chinese or English name
// param: hops: int = 2 — how many SUPPLIES steps (1 or 2)
MATCH (f:Firm) WHERE f.id = $firm OR f.name = $firm OR f.name_en = $firm
CALL (f) {
  MATCH p = (other:Firm)-[:SUPPLIES*1..2]->(f) WHERE length(p) <= $hops AND other <> f
  RETURN other, 'supplier' AS role, min(length(p)) AS hops
  UNION
  MATCH p = (f)-[:SUPPLIES*1..2]->(other:Firm) WHERE length(p) <= $hops AND other <> f
  RETURN other, 'customer' AS role, min(length(p)) AS hops
}
RETURN f.name AS firm, role, hops, other.id AS other_id, other.name AS other, other.local AS other_local
ORDER BY role, hops, other_id
