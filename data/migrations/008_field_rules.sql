-- 008 field rules and imports: every import of register records is a row
-- here (who, which file by its SM3 digest, how many rows, the ids it
-- created), and each imported record links to its import.

CREATE TABLE imports (
	id INTEGER PRIMARY KEY,
	register TEXT NOT NULL,
	source TEXT NOT NULL,
	filename TEXT NOT NULL,
	sm3 TEXT NOT NULL,
	row_count INTEGER NOT NULL,
	first_id INTEGER,
	last_id INTEGER,
	backdated INTEGER NOT NULL,
	status TEXT NOT NULL,
	created_by INTEGER,
	created_at INTEGER NOT NULL
) STRICT;

ALTER TABLE records ADD COLUMN import_id INTEGER REFERENCES imports(id);
CREATE INDEX records_import ON records(import_id) WHERE import_id IS NOT NULL;
