-- 005 accounts: the second factor (TOTP, RFC 6238) and its one-time
-- recovery codes, password history, and failed logins kept as events so
-- the lockout counts a sliding window per address and per account (a
-- success does not clear it). See src/core/auth.c and src/core/totp.c.

-- Secrets are sealed with the personal-data key (crypto_seal). pending is
-- a secret shown at enrolment and not yet confirmed by a code; last_step
-- is the last time step accepted (a code is accepted once).
CREATE TABLE user_totp (
	user_id INTEGER NOT NULL PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	secret BLOB,
	pending BLOB,
	last_step INTEGER NOT NULL DEFAULT 0,
	enabled_at INTEGER
) STRICT;

-- Only the SM3 digest of each code; used_at set when it is spent.
CREATE TABLE recovery_codes (
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	code_digest TEXT NOT NULL,
	used_at INTEGER,
	PRIMARY KEY (user_id, code_digest)
) STRICT;

-- Earlier password hashes (Argon2id), newest last; reuse is refused.
CREATE TABLE password_history (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	pw_hash TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX password_history_user ON password_history(user_id, id);

-- One row per failed login and what it counts against: the address
-- ('address', the client address) and, for a known name, the account
-- ('account', the user id). Counted over a sliding window; a lock consumes
-- the rows it was counted from; a success leaves them.
CREATE TABLE login_failure_events (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('address', 'account')),
	subject TEXT NOT NULL,
	at INTEGER NOT NULL
) STRICT;
CREATE INDEX login_failure_events_subject ON login_failure_events(kind, subject, at);
CREATE INDEX login_failure_events_at ON login_failure_events(at);
