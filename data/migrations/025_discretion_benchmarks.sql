-- 025: 裁量基准 versions loaded by a top-level coordinator (the shipped ones
-- live in the binary, data/benchmarks/): each version's text as given and
-- validated; a case records the id and version it was decided under, so a
-- version is never changed or removed once loaded.
CREATE TABLE discretion_benchmarks (
	id TEXT NOT NULL,
	version TEXT NOT NULL,
	name TEXT NOT NULL,
	violations INTEGER NOT NULL,
	text TEXT NOT NULL,
	created_by INTEGER,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (id, version)
) STRICT;
