-- 011: the register definitions the metric counters were built under. When
-- the definitions change (an upgrade adds a metric, a province replaces a
-- definition through FAZHI_REGISTERS_DIR) the counters are rebuilt from the
-- records at start-up (metrics_sync), so no counter is read under rules it
-- was not kept by.
CREATE TABLE metric_definitions (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	fingerprint TEXT NOT NULL,
	built_at INTEGER NOT NULL
) STRICT;
