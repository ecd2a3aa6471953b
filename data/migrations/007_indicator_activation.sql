-- 007 indicator system activation and duplicate review.
--
-- A loaded indicator system version takes effect only when activated: one
-- active version per system id, set by an explicit, audited act of a
-- top-level coordinator (POST …/versions/{v}/activate). Systems loaded
-- before this migration keep working: the newest version of each id is
-- carried over as active (shipped ids are always read from the release,
-- whatever the store holds).
CREATE TABLE indicator_activations (
	system_id TEXT PRIMARY KEY,
	version TEXT NOT NULL,
	activated_by INTEGER,
	activated_at INTEGER NOT NULL,
	FOREIGN KEY (system_id, version) REFERENCES indicator_systems(id, version)
) STRICT;

INSERT INTO indicator_activations(system_id, version, activated_by, activated_at)
	SELECT s.id, s.version, s.created_by, s.created_at FROM indicator_systems s
	WHERE NOT EXISTS (SELECT 1 FROM indicator_systems n WHERE n.id = s.id
			  AND (n.created_at > s.created_at OR (n.created_at = s.created_at AND n.version > s.version)));

-- A create that collided with a subject registered outside the caller's
-- scope: the caller got a neutral answer; a coordinator whose scope holds
-- both regions resolves it (GET /api/v1/duplicate-reviews). Counted per
-- user for the rate limit (setting duplicate_probe_limit).
CREATE TABLE duplicate_reviews (
	id INTEGER PRIMARY KEY,
	entity TEXT NOT NULL,
	field TEXT NOT NULL,
	existing_id INTEGER NOT NULL,
	existing_path TEXT NOT NULL COLLATE BINARY,
	requested_region TEXT NOT NULL,
	requested_path TEXT NOT NULL COLLATE BINARY,
	requested_name TEXT NOT NULL,
	requested_by INTEGER NOT NULL REFERENCES users(id),
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX duplicate_reviews_by ON duplicate_reviews(requested_by, created_at);
