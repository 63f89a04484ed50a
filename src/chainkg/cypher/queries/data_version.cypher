// name: data_version
// description.zh: 数据版本：chainkg 节点数与关系数（计数存储，瞬间返回；load 增删节点或关系后即变化）
// description.en: The data version: chainkg node and relationship counts (from the count store, instant; changes when a load adds or removes nodes or relationships)
CALL () { MATCH (n:ChainKG) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS rels }
RETURN nodes, rels
