/*
 * metrics_rebuild.c — the counters recounted from the records: checked
 * (`fazhi metrics rebuild --check`), rebuilt, and rebuilt at start-up when
 * the register definitions changed since they were built (metrics.h).
 */
#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "crypto.h"

/* Adds every record's contributions into table dst. */
static int recompute_into(db *d, const char *dst)
{
	char sql[256];
	snprintf(sql, sizeof sql, "INSERT INTO %s(metric, body_id, region_path, day, n) VALUES ($1, $2, $3, $4, 1)"
				  " ON CONFLICT(region_path, day, metric, body_id) DO UPDATE SET n = %s.n + 1", dst, dst);
	db_stmt *rows = db_prepare(d, "SELECT register, id, body_id, region_path, state, start_date, due_date,"
				      " closed_date, data FROM records ORDER BY id");
	if (!rows)
		return -1;
	int rc;
	while ((rc = db_step(rows)) == DB_ROW) {
		const struct reg_def *r = register_find(db_col_text(rows, 0));
		if (!r)
			continue;
		struct record rec = { .id = db_col_int(rows, 1), .body_id = db_col_int(rows, 2),
				      .state = register_state(r, db_col_text(rows, 4)) };
		snprintf(rec.region_path, sizeof rec.region_path, "%s", db_col_text(rows, 3));
		snprintf(rec.start_date, sizeof rec.start_date, "%s", db_col_text(rows, 5));
		snprintf(rec.due_date, sizeof rec.due_date, "%s", db_col_isnull(rows, 6) ? "" : db_col_text(rows, 6));
		snprintf(rec.closed_date, sizeof rec.closed_date, "%s", db_col_isnull(rows, 7) ? "" : db_col_text(rows, 7));
		rec.data = json_loads(db_col_text(rows, 8), 0, NULL);
		for (int i = 0; rec.state >= 0 && i < r->nmetrics; i++) {
			if (!metrics_counts(r, &r->metrics[i], &rec))
				continue;
			db_stmt *st = db_prepare(d, sql);
			db_bind_text(st, 1, r->metrics[i].name);
			db_bind_int(st, 2, rec.body_id);
			db_bind_text(st, 3, rec.region_path);
			db_bind_text(st, 4, metrics_day(&r->metrics[i], &rec));
			int w = db_run(st);
			db_done(st);
			if (w != DB_DONE) {
				json_decref(rec.data);
				db_done(rows);
				return -1;
			}
		}
		json_decref(rec.data);
	}
	db_done(rows);
	return rc == DB_DONE ? 0 : -1;
}

/* Rows of table a (n <> 0) not in b with the same n, counted. */
static int64_t missing(db *d, const char *a, const char *b, const char *when)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM (SELECT metric, body_id, region_path, %s, n FROM %s WHERE n <> 0"
				  " EXCEPT SELECT metric, body_id, region_path, %s, n FROM %s WHERE n <> 0) x",
		 when, a, when, b);
	db_stmt *st = db_prepare(d, sql);
	int64_t v = -1;
	if (st && db_step(st) == DB_ROW)
		v = db_col_int(st, 0);
	db_done(st);
	return v;
}

int64_t metrics_rebuild(db *d, int check)
{
	if (db_exec(d, "CREATE TEMP TABLE IF NOT EXISTS metric_recount (metric TEXT NOT NULL, body_id INTEGER NOT NULL,"
		       " region_path TEXT NOT NULL, day TEXT NOT NULL, n INTEGER NOT NULL,"
		       " PRIMARY KEY (region_path, day, metric, body_id))") != 0 ||
	    db_exec(d, "CREATE TEMP TABLE IF NOT EXISTS metric_month_recount (metric TEXT NOT NULL,"
		       " body_id INTEGER NOT NULL, region_path TEXT NOT NULL, month TEXT NOT NULL, n INTEGER NOT NULL)") != 0 ||
	    db_exec(d, "DELETE FROM metric_recount") != 0 || db_exec(d, "DELETE FROM metric_month_recount") != 0 ||
	    recompute_into(d, "metric_recount") != 0 ||
	    db_exec(d, "INSERT INTO metric_month_recount(metric, body_id, region_path, month, n)"
		       " SELECT metric, body_id, region_path, substr(day, 1, 7), SUM(n) FROM metric_recount"
		       " GROUP BY metric, body_id, region_path, substr(day, 1, 7)") != 0)
		return -1;
	/* Differences either way, at both grains; zero rows (n = 0) count as absent. */
	int64_t a = missing(d, "metric_counts", "metric_recount", "day");
	int64_t b = missing(d, "metric_recount", "metric_counts", "day");
	int64_t c = missing(d, "metric_months", "metric_month_recount", "month");
	int64_t e = missing(d, "metric_month_recount", "metric_months", "month");
	if (a < 0 || b < 0 || c < 0 || e < 0)
		return -1;
	int64_t diff = a + b + c + e;
	if (!check && diff != 0) {
		if (db_exec(d, "DELETE FROM metric_counts") != 0 ||
		    db_exec(d, "INSERT INTO metric_counts(metric, body_id, region_path, day, n)"
			       " SELECT metric, body_id, region_path, day, n FROM metric_recount") != 0 ||
		    db_exec(d, "DELETE FROM metric_months") != 0 ||
		    db_exec(d, "INSERT INTO metric_months(metric, body_id, region_path, month, n)"
			       " SELECT metric, body_id, region_path, month, n FROM metric_month_recount") != 0)
			return -1;
	}
	db_exec(d, "DELETE FROM metric_recount");
	db_exec(d, "DELETE FROM metric_month_recount");
	return diff;
}

/* SM3 over every loaded definition, in order: any change of a register's
 * fields, states, deadline or metrics changes it. */
static int definitions_fingerprint(char out[65])
{
	crypto_hash *h = crypto_hash_new(HASH_SM3);
	if (!h)
		return -1;
	for (int i = 0; i < register_count(); i++) {
		char *text = json_dumps(register_at(i)->src, JSON_COMPACT | JSON_SORT_KEYS);
		if (!text) {
			crypto_hash_final_hex(h, out);
			return -1;
		}
		crypto_hash_update(h, text, strlen(text) + 1);
		free(text);
	}
	crypto_hash_final_hex(h, out);
	return 0;
}

int metrics_sync(db *d, const struct audit_actor *actor)
{
	char now[65], was[65] = "";
	if (definitions_fingerprint(now) != 0 || db_begin(d) != 0)
		return -1;
	db_stmt *st = db_prepare(d, "SELECT fingerprint FROM metric_definitions WHERE id = 1");
	int rc = st ? db_step(st) : DB_ERR;
	if (rc == DB_ROW)
		snprintf(was, sizeof was, "%s", db_col_text(st, 0));
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		goto fail;
	if (strcmp(was, now) == 0) {
		db_rollback(d);
		return 0;
	}
	int64_t diff = metrics_rebuild(d, 0);
	st = diff < 0 ? NULL
		      : db_prepare(d, "INSERT INTO metric_definitions(id, fingerprint, built_at) VALUES (1, $1, $2)"
				      " ON CONFLICT(id) DO UPDATE SET fingerprint = $1, built_at = $2");
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, (int64_t)time(NULL));
	rc = st ? db_run(st) : DB_ERR;
	db_done(st);
	/* audited when definitions changed or counters moved (a fresh store
	 * only records its fingerprint) */
	json_t *detail = json_pack("{s:s, s:s, s:I}", "from", was, "to", now, "keys_corrected", (json_int_t)diff);
	int audit = rc == DB_DONE && (was[0] || diff > 0) ? audit_append(d, actor, "rebuild", "metrics", "", "ok", detail) : 0;
	json_decref(detail);
	if (rc != DB_DONE || audit != 0)
		goto fail;
	if (db_commit(d) != 0)
		goto fail;
	return 1;
fail:
	db_rollback(d);
	return -1;
}
