// name: district_chains
// description.zh: 某区县（含下属园区）承载的产业链与环节，及其中的本地企业
// description.en: The chains and segments a district (and the parks under it) hosts, with its local firms there
// param: district: District — district id, or exact Chinese or English name
MATCH (d:District) WHERE d.id = $district OR d.name = $district OR d.name_en = $district
MATCH (sub:District)-[:PART_OF*0..5]->(d)
MATCH (f:Firm)-[:LOCATED_IN]->(sub)
MATCH (f)-[:IN_SEGMENT]->(s:Segment)<-[:HAS_SEGMENT]-(c:Chain)
RETURN c.name AS chain, s.id AS segment_id, s.name AS segment, collect(DISTINCT f.name) AS firms,
       collect(DISTINCT sub.name) AS located_in
ORDER BY chain, segment_id
