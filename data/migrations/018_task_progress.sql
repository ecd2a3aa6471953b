-- 018 tasks (分解任务) carry what is to be done and how (任务内容, 工作要求),
-- and every progress report is kept: the history of a task's progress,
-- who reported it and when, and the day it was completed.
ALTER TABLE assignments ADD COLUMN content TEXT NOT NULL DEFAULT '';
ALTER TABLE assignments ADD COLUMN requirements TEXT NOT NULL DEFAULT '';

CREATE TABLE assignment_progress (
	id INTEGER PRIMARY KEY,
	assignment_id INTEGER NOT NULL REFERENCES assignments(id),
	progress INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
	done_date TEXT,
	note TEXT NOT NULL,
	reported_by INTEGER REFERENCES users(id),
	reported_at INTEGER NOT NULL
) STRICT;
CREATE INDEX assignment_progress_task ON assignment_progress(assignment_id, id);
