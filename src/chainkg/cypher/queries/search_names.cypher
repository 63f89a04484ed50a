// name: search_names
// description.zh: 按名称片段全文检索（中文分词），如“晶澳”
// description.en: Full-text search of names (CJK analyzer), e.g. a fragment of a Chinese or English name
// param: q: string — the text to look for (Lucene syntax; a plain fragment works)
// param: limit: int = 20
CALL db.index.fulltext.queryNodes('chainkg_names', $q) YIELD node, score
RETURN [l IN labels(node) WHERE l <> 'ChainKG'][0] AS label, node.id AS id, node.name AS name,
       node.name_en AS name_en, round(score, 3) AS score
ORDER BY score DESC, id
LIMIT $limit
