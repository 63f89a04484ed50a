// name: revenue_tiers
// description.zh: 本地企业按营收档位统计（累计：≥500/100/50/20 亿元），及营收未知的企业数
// description.en: Local firms per revenue tier (cumulative: ≥ 500/100/50/20 × 100M CNY), and how many have unknown revenue
// param: chain: Chain = null — only this chain (id, or exact name)
MATCH (f:Firm) WHERE f.local = true
  AND ($chain IS NULL OR EXISTS { MATCH (f)-[:IN_SEGMENT]->(:Segment)<-[:HAS_SEGMENT]-(c:Chain)
                                  WHERE c.id = $chain OR c.name = $chain OR c.name_en = $chain }
                      OR EXISTS { MATCH (f)-[:IN_CHAIN]->(c:Chain)
                                  WHERE c.id = $chain OR c.name = $chain OR c.name_en = $chain })
WITH collect(f) AS firms
UNWIND [500, 100, 50, 20] AS threshold
RETURN threshold,
       size([f IN firms WHERE f.revenue_100m_cny >= threshold]) AS firms,
       [f IN firms WHERE f.revenue_100m_cny >= threshold | f.name] AS names,
       size([f IN firms WHERE f.revenue_100m_cny IS NULL]) AS unknown_revenue,
       head(COLLECT { MATCH (t:Target) WHERE t.scope = 'city' AND t.threshold = threshold RETURN t.count }) AS city_target
ORDER BY threshold DESC
