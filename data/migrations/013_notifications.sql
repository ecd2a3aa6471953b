-- 013 notifications (站内通知), 催办/督办单 and outgoing webhooks.
-- A notice is one event worth telling (an item assigned, returned, urged,
-- a deadline approaching or passed), made once: its dedupe key is the
-- event (the audit entry it came from, or the deadline and its date), so
-- a pass that runs again, on any server, after any restart, adds nothing.
-- Each recipient has a row in notifications with its read state.
CREATE TABLE notices (
	id INTEGER PRIMARY KEY,
	dedupe TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('assigned', 'returned', 'decided', 'review', 'urge', 'due_soon', 'overdue')),
	entity TEXT NOT NULL,          -- a register's name, or 'assignment'
	entity_id INTEGER NOT NULL,
	body_id INTEGER REFERENCES bodies(id),
	region_path TEXT NOT NULL,
	title TEXT NOT NULL,
	text TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX notices_entity ON notices(entity, entity_id);

CREATE TABLE notifications (
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	notice_id INTEGER NOT NULL REFERENCES notices(id),
	read_at INTEGER,
	PRIMARY KEY (user_id, notice_id)
) STRICT;
CREATE INDEX notifications_unread ON notifications(user_id, read_at);

-- Where the notification passes are: the last audit entry turned into
-- notices, the last China day deadlines were looked at, the last pass.
CREATE TABLE notify_state (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

-- 催办单 (urge) and 督办单 (supervise) issued by the office on an item or
-- a task: at most one of each kind per item and day.
CREATE TABLE urges (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('urge', 'supervise')),
	entity TEXT NOT NULL,
	entity_id INTEGER NOT NULL,
	body_id INTEGER NOT NULL REFERENCES bodies(id),
	region_path TEXT NOT NULL,
	message TEXT NOT NULL,
	reply_by TEXT,
	day TEXT NOT NULL,
	issued_by INTEGER NOT NULL REFERENCES users(id),
	issued_at INTEGER NOT NULL,
	UNIQUE (entity, entity_id, kind, day)
) STRICT;

-- Outgoing webhooks (政务微信/钉钉群机器人): one per body or per region;
-- a notice goes to its body's hooks and to the hooks of every region
-- above it.
CREATE TABLE webhooks (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	region_code TEXT REFERENCES regions(code),
	body_id INTEGER REFERENCES bodies(id),
	url TEXT NOT NULL,
	enabled INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK ((region_code IS NULL) <> (body_id IS NULL))
) STRICT;

-- One row per hook and notice: claimed ('sending') before the request is
-- made, so a notice is never posted twice, even across a crash.
CREATE TABLE webhook_deliveries (
	webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
	notice_id INTEGER NOT NULL REFERENCES notices(id),
	state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at INTEGER NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	sent_at INTEGER,
	PRIMARY KEY (webhook_id, notice_id)
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_at);
