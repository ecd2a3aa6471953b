-- 015: 印证材料 of register records and tasks (分解任务). The file lives in
-- the attachment store outside the database (src/core/attach_store.c),
-- named by its SM3 digest; a row is one version of one attachment. A
-- replacement is a new row naming the one it replaces (replaces), which
-- keeps it as history (replaced_by); a withdrawal keeps the row, with
-- who, when and why. Evidence files of indicators move to the same store:
-- in_store = 1 once a row's content is there (and its BLOB emptied).
CREATE TABLE attachments (
	id INTEGER PRIMARY KEY,
	owner_kind TEXT NOT NULL CHECK (owner_kind IN ('record', 'assignment')),
	owner_id INTEGER NOT NULL,
	filename TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size INTEGER NOT NULL,
	sm3 TEXT NOT NULL,
	uploaded_by INTEGER NOT NULL REFERENCES users(id),
	created_at INTEGER NOT NULL,
	replaces INTEGER REFERENCES attachments(id),
	replaced_by INTEGER REFERENCES attachments(id),
	replace_reason TEXT,
	withdrawn_at INTEGER,
	withdrawn_by INTEGER REFERENCES users(id),
	withdraw_reason TEXT
) STRICT;
CREATE INDEX attachments_owner ON attachments(owner_kind, owner_id, id);

ALTER TABLE evidence ADD COLUMN in_store INTEGER NOT NULL DEFAULT 0;
