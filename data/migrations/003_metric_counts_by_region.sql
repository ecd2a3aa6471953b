-- 003 metric counters laid out for reading: one row per (metric, region
-- path, day, body) in key order, so the counters of a region subtree and a
-- period are one contiguous range of the key — evaluation reads just the
-- rows it sums, n included — and a record's change updates one row in
-- place (n is in no index). The key holds the records' region path: a
-- record is counted under the path it carries, even if its body later
-- moves. region_path compares bytewise (SQLite BINARY, PostgreSQL "C"),
-- so a subtree is a range [path, path with its last byte + 1) whatever
-- the database's collation.

CREATE TABLE metric_counts_v3 (
	metric TEXT NOT NULL,
	body_id INTEGER NOT NULL REFERENCES bodies(id),
	region_path TEXT NOT NULL COLLATE BINARY,
	day TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (metric, region_path, day, body_id)
) STRICT, WITHOUT ROWID;

INSERT INTO metric_counts_v3(metric, body_id, region_path, day, n)
	SELECT metric, body_id, region_path, day, n FROM metric_counts;
DROP TABLE metric_counts;
ALTER TABLE metric_counts_v3 RENAME TO metric_counts;

-- The same counters summed by month ("YYYY-MM"), kept with them by every
-- delta: a period reads its whole months here and only the days of a
-- partial first or last month from metric_counts, so a year is 12 rows
-- per body and metric rather than 365.
CREATE TABLE metric_months (
	metric TEXT NOT NULL,
	body_id INTEGER NOT NULL REFERENCES bodies(id),
	region_path TEXT NOT NULL COLLATE BINARY,
	month TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (metric, region_path, month, body_id)
) STRICT, WITHOUT ROWID;

INSERT INTO metric_months(metric, body_id, region_path, month, n)
	SELECT metric, body_id, region_path, substr(day, 1, 7), SUM(n) FROM metric_counts
	GROUP BY metric, body_id, region_path, substr(day, 1, 7);
