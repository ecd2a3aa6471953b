-- 012: holiday calendars loaded by an operator (`fazhi calendar import`):
-- each import's text as given, validated, in order. The calendar deadlines
-- are counted by is the built-in one with every import merged over it (a
-- year in a later import replaces the same year before it: a correction).
CREATE TABLE calendar_imports (
	id INTEGER PRIMARY KEY,
	years TEXT NOT NULL,        -- "2027" or "2026,2027": the years it declares
	text TEXT NOT NULL,
	digest TEXT NOT NULL,       -- SM3 of text
	imported_by TEXT NOT NULL,
	imported_at INTEGER NOT NULL
) STRICT;
