-- 028 (1) 执法证 注销 (cancelled): a certificate the issuing government
-- cancelled (the officer left enforcement work, retired, died) joins
-- 有效 / 暂扣 / 吊销 in people.cert_status (the list: src/core/vocab.c).
-- A CHECK cannot be altered in SQLite, so people is rebuilt with its ids,
-- and officer_training, which references it, around it: both copied
-- aside, dropped (the child first), made again and filled back.
-- PostgreSQL then moves the identities past the copied ids.

CREATE TABLE people_old AS SELECT * FROM people;
CREATE TABLE officer_training_old AS SELECT * FROM officer_training;
DROP TABLE officer_training;
DROP TABLE people;

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
	cert_status TEXT CHECK (cert_status IN ('active', 'suspended', 'revoked', 'cancelled')),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX people_body ON people(body_id);
CREATE INDEX people_region_path ON people(region_path, id);
INSERT INTO people(id, name, body_id, region_path, title, cert_no, cert_issuer, cert_valid_from, cert_valid_until,
		   cert_status, created_at, updated_at)
	SELECT id, name, body_id, region_path, title, cert_no, cert_issuer, cert_valid_from, cert_valid_until,
	       cert_status, created_at, updated_at FROM people_old;

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
INSERT INTO officer_training(id, person_id, day, hours, course, organizer, recorded_by, recorded_at)
	SELECT id, person_id, day, hours, course, organizer, recorded_by, recorded_at FROM officer_training_old;

DROP TABLE officer_training_old;
DROP TABLE people_old;

-- postgresql: SELECT setval(pg_get_serial_sequence('people', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM people;
-- postgresql: SELECT setval(pg_get_serial_sequence('officer_training', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM officer_training;

-- 028 (2) the step a proof (印证材料) belongs to: the state its record was
-- in when the file was added (a replacement keeps the one it replaces),
-- so a case's drawer shows the proofs of 立案, 调查取证, 决定 and 送达
-- apart. NULL for tasks and for files added before this.
ALTER TABLE attachments ADD COLUMN owner_state TEXT;
