-- 010 建议提案 per 代表法 第五十一条: the reply period is now the record's
-- own "due" field, derived at 交办 from the kind and the province's
-- settings and moved only by an approved extension. Records stored before
-- keep the due date they had: it is copied into their data. (Their first
-- reply date is not in their data: met_date stays their closing date, the
-- later of the two, so none counts as on time that was not.)

UPDATE records SET data = '{"due":"' || due_date || '",' || substr(data, 2)
 WHERE register = 'proposal' AND due_date IS NOT NULL AND data LIKE '{"%' AND data NOT LIKE '%"due":%';
