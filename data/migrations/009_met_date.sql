-- 009 the day a record's deadline was met: its definition's deadline "met"
-- field when it declares one (a proposal's first reply: 代表法 第五十一条
-- judges on-time at the reply), else the closing date. Deadline status and
-- the overdue filters read it. Records stored before: met when closed.

ALTER TABLE records ADD COLUMN met_date TEXT;
UPDATE records SET met_date = closed_date;
