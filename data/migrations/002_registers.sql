-- 002 registers: records of every declared register (data/registers/*.json),
-- the metric counters kept in the same transaction as the records, and the
-- evaluation runs of indicator systems with manual scores, evidence and the
-- decomposition of indicators to bodies.

CREATE TABLE records (
	id INTEGER PRIMARY KEY,
	register TEXT NOT NULL,
	body_id INTEGER NOT NULL REFERENCES bodies(id),
	region_path TEXT NOT NULL,
	state TEXT NOT NULL,
	title TEXT NOT NULL,
	data TEXT NOT NULL,
	start_date TEXT NOT NULL,
	due_date TEXT,
	closed_date TEXT,
	created_by INTEGER,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX records_register ON records(register, region_path, id);
CREATE INDEX records_body ON records(body_id, register);

-- One row per (metric, body, day): how many records count towards the
-- metric on that day. Updated by deltas with every record change.
CREATE TABLE metric_counts (
	metric TEXT NOT NULL,
	body_id INTEGER NOT NULL REFERENCES bodies(id),
	region_path TEXT NOT NULL,
	day TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (metric, body_id, day)
) STRICT;
CREATE INDEX metric_counts_region ON metric_counts(metric, region_path, day, n);

CREATE TABLE evaluations (
	id INTEGER PRIMARY KEY,
	system_id TEXT NOT NULL,
	system_version TEXT NOT NULL,
	region_code TEXT NOT NULL REFERENCES regions(code),
	period TEXT NOT NULL,
	total INTEGER NOT NULL,
	result TEXT NOT NULL,
	created_by INTEGER,
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX evaluations_region ON evaluations(region_code, period, id);

CREATE TABLE manual_scores (
	system_id TEXT NOT NULL,
	indicator_id TEXT NOT NULL,
	region_code TEXT NOT NULL REFERENCES regions(code),
	period TEXT NOT NULL,
	score INTEGER NOT NULL,
	comment TEXT NOT NULL,
	evaluator_id INTEGER NOT NULL REFERENCES users(id),
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (system_id, indicator_id, region_code, period)
) STRICT;

CREATE TABLE evidence (
	id INTEGER PRIMARY KEY,
	system_id TEXT NOT NULL,
	indicator_id TEXT NOT NULL,
	region_code TEXT NOT NULL REFERENCES regions(code),
	period TEXT NOT NULL,
	filename TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size INTEGER NOT NULL,
	sm3 TEXT NOT NULL,
	content BLOB NOT NULL,
	uploaded_by INTEGER NOT NULL REFERENCES users(id),
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX evidence_indicator ON evidence(system_id, indicator_id, region_code, period);

CREATE TABLE assignments (
	id INTEGER PRIMARY KEY,
	system_id TEXT NOT NULL,
	indicator_id TEXT NOT NULL,
	body_id INTEGER NOT NULL REFERENCES bodies(id),
	region_path TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('lead', 'cooperate')),
	due_date TEXT NOT NULL,
	progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
	note TEXT NOT NULL DEFAULT '',
	done_date TEXT,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (system_id, indicator_id, body_id)
) STRICT;
CREATE INDEX assignments_body ON assignments(body_id, system_id);

-- Indicator systems loaded by users (the shipped ones live in the binary).
CREATE TABLE indicator_systems (
	id TEXT NOT NULL,
	version TEXT NOT NULL,
	name TEXT NOT NULL,
	text TEXT NOT NULL,
	created_by INTEGER,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (id, version)
) STRICT;
