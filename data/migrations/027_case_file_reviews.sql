-- 027 案卷评查 (case-file review): a campaign of the office for one year
-- and region, the sample it drew (reproducible from the recorded seed),
-- the reviewer each sampled case was assigned and the reviewer's score on
-- the rubric the campaign was created under (data/rubrics/).
CREATE TABLE case_reviews (
	id INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL REFERENCES regions(code),
	region_path TEXT NOT NULL,
	register TEXT NOT NULL,
	year INTEGER NOT NULL,
	per_body INTEGER NOT NULL,
	percent INTEGER NOT NULL,
	seed TEXT NOT NULL,
	rubric_id TEXT NOT NULL,
	rubric_version TEXT NOT NULL,
	title TEXT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('open', 'finished')),
	created_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX case_reviews_region ON case_reviews(region_path, year);

-- One row per sampled case: body and region copied from the case at the
-- draw (the metrics count by the case's body); scores as the rubric's
-- items with their deductions (JSON), total and passed once submitted.
CREATE TABLE case_review_cases (
	review_id INTEGER NOT NULL REFERENCES case_reviews(id),
	record_id INTEGER NOT NULL REFERENCES records(id),
	body_id INTEGER NOT NULL REFERENCES bodies(id),
	region_path TEXT NOT NULL,
	reviewer_id INTEGER REFERENCES users(id),
	scores TEXT,
	total INTEGER,
	passed INTEGER,
	zero_item INTEGER,
	submitted_by INTEGER REFERENCES users(id),
	submitted_at INTEGER,
	remedy_id INTEGER REFERENCES records(id),
	PRIMARY KEY (review_id, record_id)
) STRICT;
CREATE INDEX case_review_cases_reviewer ON case_review_cases(reviewer_id, review_id);
CREATE INDEX case_review_cases_region ON case_review_cases(region_path, review_id);
