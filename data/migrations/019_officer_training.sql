-- 019 officers' training (执法人员培训): each course an officer attended,
-- with its 学时; a year's hours are the sum of its courses. The yearly
-- minimum is the setting training_min_hours.
CREATE TABLE officer_training (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES people(id),
	day TEXT NOT NULL,
	hours INTEGER NOT NULL CHECK (hours BETWEEN 1 AND 200),
	course TEXT NOT NULL,
	organizer TEXT NOT NULL DEFAULT '',
	recorded_by INTEGER REFERENCES users(id),
	recorded_at INTEGER NOT NULL
) STRICT;
CREATE INDEX officer_training_person ON officer_training(person_id, day);
