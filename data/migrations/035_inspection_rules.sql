-- 035 涉企行政检查的频次规则: the yearly cap and the quiet period as the
-- locality's rules set them (优化营商环境条例 第五十四条; the State
-- Council's 2024 rules on inspections of enterprises leave the numbers to
-- each place), for a region, one body, an industry, or a body in an
-- industry. The most specific rule in force wins (body over region,
-- industry over none, the deeper region over the wider); without one the
-- register's settings apply. basis names the local document. A rule is
-- withdrawn, never deleted, so an earlier 报备's limit can be traced.
CREATE TABLE inspection_rules (
	id INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL REFERENCES regions(code),
	region_path TEXT NOT NULL,
	body_id INTEGER REFERENCES bodies(id),
	industry TEXT,
	cap_per_year INTEGER NOT NULL CHECK (cap_per_year BETWEEN 1 AND 52),
	quiet_days INTEGER NOT NULL CHECK (quiet_days BETWEEN 0 AND 365),
	basis TEXT NOT NULL,
	created_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	withdrawn_by INTEGER REFERENCES users(id),
	withdrawn_at INTEGER
) STRICT;
CREATE INDEX inspection_rules_region ON inspection_rules(region_path, id);
