-- 031 双随机抽查 (random inspection draws, docs/draws.md).
-- (1) The target roster: an enterprise's industry and credit grade
-- (信用等级 A–D; the draw weighs each grade, src/engine/draw.h). Both may
-- be unknown.
ALTER TABLE subjects ADD COLUMN industry TEXT;
ALTER TABLE subjects ADD COLUMN credit_grade TEXT CHECK (credit_grade IN ('A', 'B', 'C', 'D'));

-- (2) A draw: created by a body with its spec (JSON: filters, quiet-period
-- list, grade weights, sample size or rate, 回避) and the SM3 hash of its
-- seed, public at once (commit); run later, when the seed is revealed
-- (revealed_at set) and the picks stored (reveal). seed stays private
-- until revealed_at is set. run_day: the China day of the run, on which
-- the inspectors' certificates were valid (verify reads the same roster).
CREATE TABLE draws (
	id INTEGER PRIMARY KEY,
	body_id INTEGER NOT NULL REFERENCES bodies(id),
	region_code TEXT NOT NULL REFERENCES regions(code),
	region_path TEXT NOT NULL,
	title TEXT NOT NULL,
	spec TEXT NOT NULL,
	seed_hash TEXT NOT NULL,
	seed TEXT NOT NULL,
	population INTEGER,
	created_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	revealed_at INTEGER,
	run_day TEXT
) STRICT;
CREATE INDEX draws_region ON draws(region_path, id);

-- One row per drawn enterprise with its two inspectors.
CREATE TABLE draw_picks (
	draw_id INTEGER NOT NULL REFERENCES draws(id),
	subject_id INTEGER NOT NULL REFERENCES subjects(id),
	inspector1 INTEGER NOT NULL REFERENCES people(id),
	inspector2 INTEGER NOT NULL REFERENCES people(id),
	PRIMARY KEY (draw_id, subject_id)
) STRICT;
