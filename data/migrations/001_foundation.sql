-- 001 foundation: org model, accounts, sessions, audit log, settings.
-- Written in SQLite's dialect; the PostgreSQL backend translates the few
-- differences (INTEGER → BIGINT, BLOB → BYTEA, identity keys, STRICT).
-- Times are Unix seconds (UTC); dates are 'YYYY-MM-DD' text.

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE regions (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	level INTEGER NOT NULL,
	parent_code TEXT REFERENCES regions(code),
	path TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX regions_parent ON regions(parent_code);
CREATE INDEX regions_path ON regions(path);

CREATE TABLE bodies (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('government', 'department', 'township', 'enforcement')),
	region_code TEXT NOT NULL REFERENCES regions(code),
	region_path TEXT NOT NULL,
	parent_id INTEGER REFERENCES bodies(id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX bodies_region_path ON bodies(region_path, id);
CREATE INDEX bodies_parent ON bodies(parent_id);

CREATE TABLE people (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	body_id INTEGER NOT NULL REFERENCES bodies(id),
	region_path TEXT NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	cert_no TEXT UNIQUE,
	cert_issuer TEXT,
	cert_valid_from TEXT,
	cert_valid_until TEXT,
	cert_status TEXT CHECK (cert_status IN ('active', 'suspended', 'revoked')),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX people_body ON people(body_id);
CREATE INDEX people_region_path ON people(region_path, id);

-- Natural persons' ID numbers are stored SM4-encrypted (id_enc), with a
-- keyed SM3 digest for uniqueness (id_digest) and a masked form for lists.
CREATE TABLE subjects (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('enterprise', 'person')),
	name TEXT NOT NULL,
	uscc TEXT UNIQUE,
	id_enc BLOB,
	id_digest TEXT UNIQUE,
	id_masked TEXT,
	region_code TEXT NOT NULL REFERENCES regions(code),
	region_path TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK ((kind = 'enterprise' AND uscc IS NOT NULL) OR (kind = 'person' AND id_enc IS NOT NULL))
) STRICT;
CREATE INDEX subjects_region_path ON subjects(region_path, id);
CREATE INDEX subjects_name ON subjects(name);

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL CHECK (role IN ('coordinator', 'department', 'officer', 'legal_reviewer',
		'evaluator', 'sysadmin', 'secadmin', 'auditor')),
	scope_region TEXT REFERENCES regions(code),
	pw_hash TEXT NOT NULL,
	must_change INTEGER NOT NULL DEFAULT 0,
	failed_count INTEGER NOT NULL DEFAULT 0,
	locked_until INTEGER NOT NULL DEFAULT 0,
	disabled INTEGER NOT NULL DEFAULT 0,
	pw_changed_at INTEGER NOT NULL,
	last_login_at INTEGER,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE user_bodies (
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	body_id INTEGER NOT NULL REFERENCES bodies(id),
	PRIMARY KEY (user_id, body_id)
) STRICT;

-- Sessions hold a digest of the token, never the token itself.
CREATE TABLE sessions (
	token_digest TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf_token TEXT NOT NULL,
	ip TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	last_seen INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed logins per client address (lockout per address).
CREATE TABLE login_failures (
	ip TEXT PRIMARY KEY,
	count INTEGER NOT NULL,
	first_at INTEGER NOT NULL,
	locked_until INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Append-only, hash-chained. hash = H(prev_hash, ts, actor, ip, action,
-- entity, entity_id, result, digest); see src/core/audit.c.
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	ts INTEGER NOT NULL,
	actor_id INTEGER,
	actor TEXT NOT NULL,
	ip TEXT NOT NULL,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	result TEXT NOT NULL,
	detail TEXT NOT NULL,
	digest TEXT NOT NULL,
	alg TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_actor ON audit_log(actor, id);
