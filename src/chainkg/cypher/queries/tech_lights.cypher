// name: tech_lights
// description.zh: 关键技术红绿黄灯（由 chainkg analyze --write 写入）：灯、原因、服务环节、牵头单位与里程碑
// description.en: Key-technology red/yellow/green lights (written by chainkg analyze --write): light, reasons, what it serves, its lead and milestones
// param: chain: Chain = null — only items serving this chain or one of its segments (id, or exact Chinese or English name)
// param: light: red|yellow|green = null — only this light
MATCH (t:TechItem)
OPTIONAL MATCH (t)-[:SERVES]->(x)
OPTIONAL MATCH (c:Chain) WHERE c = x OR (c)-[:HAS_SEGMENT]->(x)
WITH t, x, c
WHERE ($chain IS NULL OR c.id = $chain OR c.name = $chain OR c.name_en = $chain)
  AND ($light IS NULL OR t.ana_light = $light)
OPTIONAL MATCH (lead)-[:LEADS]->(t)
RETURN t.id AS item_id, t.name AS item, t.kind AS kind, t.ana_light AS light, t.ana_light_reasons AS reasons,
       t.ana_light_as_of AS as_of, c.id AS chain_id, c.name AS chain, x.id AS serves_id, x.name AS serves,
       lead.id AS lead_id, lead.name AS lead,
       COLLECT { MATCH (t)-[:HAS_MILESTONE]->(m:Milestone)
                 RETURN m.name + coalesce(' · ' + m.done_date, ' · ' + m.planned_date, '') ORDER BY m.id } AS milestones,
       t.source_id AS source_id
ORDER BY CASE t.ana_light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 WHEN 'green' THEN 2 ELSE 3 END, item_id
