-- 026: 行政处罚决定公示 (行政处罚法 第四十八条): the masked view of each
-- published decision exactly as published, and its withdrawal with the
-- reason. The public pages read only this table, never the case; the
-- region path and body keep the row in its body's scope.
CREATE TABLE penalty_disclosures (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL UNIQUE REFERENCES records(id),
	body_id INTEGER NOT NULL REFERENCES bodies(id),
	region_path TEXT NOT NULL,
	decided_on TEXT NOT NULL,
	published_at INTEGER NOT NULL,
	published_on TEXT NOT NULL,
	content TEXT NOT NULL,
	withdrawn_at INTEGER,
	withdrawn_on TEXT,
	withdraw_kind TEXT,
	withdraw_reason TEXT
) STRICT;
CREATE INDEX penalty_disclosures_listed ON penalty_disclosures(withdrawn_at, published_on, id);
