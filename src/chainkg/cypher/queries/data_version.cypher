// name: data_version
// description.zh: 数据版本：chainkg 节点数、关系数、最近一次 load 的时间与次数（每次 load 后都会变化）
// description.en: The data version: chainkg node and relationship counts, time and number of the last load (changes with every load)
CALL () { MATCH (n:ChainKG) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS rels }
OPTIONAL MATCH (m:ChainKGLoad {id: 'last'})
RETURN nodes, rels, toString(m.loaded_at) AS loaded_at, m.loads AS loads
