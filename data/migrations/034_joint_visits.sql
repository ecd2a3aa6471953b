-- 034 综合查一次 (joint inspections, docs/user-guide): the platform proposes
-- merging different bodies' planned inspections of one enterprise whose
-- windows overlap into one joint visit (优化营商环境条例 第五十四条).
-- A merge offered: the enterprise, the window all its members share (the
-- intersection of theirs), open until every member body has answered;
-- merged (its id is then the joint group id the members carry) or dropped
-- (fewer than two members left).
CREATE TABLE joint_merges (
	id INTEGER PRIMARY KEY,
	subject_id INTEGER NOT NULL REFERENCES subjects(id),
	window_from TEXT NOT NULL,
	window_to TEXT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('open', 'merged', 'dropped')),
	created_at INTEGER NOT NULL,
	decided_at INTEGER
) STRICT;
CREATE INDEX joint_merges_subject ON joint_merges(subject_id, state);

-- Each member: one body's planned inspection and that body's answer
-- (pending, accepted, declined with a reason; left: checked in, cancelled
-- or closed on its own before the proposal was decided). body_id and
-- region_path are the record's, for the scope check of the body's users.
CREATE TABLE joint_merge_members (
	merge_id INTEGER NOT NULL REFERENCES joint_merges(id),
	record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
	body_id INTEGER NOT NULL REFERENCES bodies(id),
	region_path TEXT NOT NULL,
	answer TEXT NOT NULL CHECK (answer IN ('pending', 'accepted', 'declined', 'left')),
	reason TEXT,
	answered_by INTEGER REFERENCES users(id),
	answered_at INTEGER,
	PRIMARY KEY (merge_id, record_id)
) STRICT;
CREATE INDEX joint_merge_members_record ON joint_merge_members(record_id);
CREATE INDEX joint_merge_members_scope ON joint_merge_members(region_path, body_id);
