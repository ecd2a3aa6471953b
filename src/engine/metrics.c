/*
 * metrics.c — metric counters kept by delta, their sums for evaluation,
 * and the rebuild that recomputes them from the records (metrics.h).
 */
#include "metrics.h"

#include <stdio.h>
#include <string.h>

int metrics_counts(const struct reg_def *r, const struct reg_metric *m, const struct record *rec)
{
	if (m->states && !(m->states & (1u << rec->state)))
		return 0;
	if (m->on_time && (!rec->closed_date[0] || !rec->due_date[0] ||
			   strcmp(rec->closed_date, rec->due_date) > 0))
		return 0;
	if (m->field >= 0) {
		const char *v = json_string_value(json_object_get(rec->data, r->fields[m->field].name));
		int hit = 0;
		for (int i = 0; v && i < m->nin; i++)
			hit |= strcmp(v, m->in[i]) == 0;
		return hit;
	}
	return 1;
}

static int bump(db *d, const char *metric, const struct record *rec, int delta)
{
	db_stmt *st = db_prepare(d, "INSERT INTO metric_counts(metric, body_id, region_path, day, n)"
				   " VALUES ($1, $2, $3, $4, $5) ON CONFLICT(metric, body_id, day)"
				   " DO UPDATE SET n = metric_counts.n + excluded.n");
	if (!st)
		return -1;
	db_bind_text(st, 1, metric);
	db_bind_int(st, 2, rec->body_id);
	db_bind_text(st, 3, rec->region_path);
	db_bind_text(st, 4, rec->start_date);
	db_bind_int(st, 5, delta);
	int rc = db_run(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int metrics_apply(db *d, const struct reg_def *r, const struct record *rec, int sign)
{
	for (int i = 0; i < r->nmetrics; i++)
		if (metrics_counts(r, &r->metrics[i], rec) && bump(d, r->metrics[i].name, rec, sign) != 0)
			return -1;
	return 0;
}

const struct reg_metric *metrics_find(const char *metric, const struct reg_def **reg)
{
	for (int i = 0; i < register_count(); i++) {
		const struct reg_def *r = register_at(i);
		for (int k = 0; k < r->nmetrics; k++)
			if (strcmp(r->metrics[k].name, metric) == 0) {
				if (reg)
					*reg = r;
				return &r->metrics[k];
			}
	}
	return NULL;
}

int metrics_value(db *d, const char *metric, const char *region_path, const char *from, const char *to,
		  int64_t *out)
{
	char pat[160];
	if (!metrics_find(metric, NULL))
		return -1;
	snprintf(pat, sizeof pat, "%s%%", region_path ? region_path : "");
	db_stmt *st = db_prepare(d, "SELECT COALESCE(SUM(n), 0) FROM metric_counts WHERE metric = $1"
				   " AND region_path LIKE $2 AND day >= $3 AND day <= $4");
	if (!st)
		return -1;
	db_bind_text(st, 1, metric);
	db_bind_text(st, 2, pat);
	db_bind_text(st, 3, from);
	db_bind_text(st, 4, to);
	int rc = db_step(st);
	*out = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

/* Adds every record's contributions into table dst. */
static int recompute_into(db *d, const char *dst)
{
	char sql[256];
	snprintf(sql, sizeof sql, "INSERT INTO %s(metric, body_id, region_path, day, n) VALUES ($1, $2, $3, $4, 1)"
				  " ON CONFLICT(metric, body_id, day) DO UPDATE SET n = %s.n + 1", dst, dst);
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
			db_bind_text(st, 4, rec.start_date);
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

int64_t metrics_rebuild(db *d, int check)
{
	if (db_exec(d, "CREATE TEMP TABLE IF NOT EXISTS metric_recount (metric TEXT NOT NULL, body_id INTEGER NOT NULL,"
		       " region_path TEXT NOT NULL, day TEXT NOT NULL, n INTEGER NOT NULL,"
		       " PRIMARY KEY (metric, body_id, day))") != 0 ||
	    db_exec(d, "DELETE FROM metric_recount") != 0 || recompute_into(d, "metric_recount") != 0)
		return -1;
	/* Differences either way; zero rows (n = 0) count as absent. */
	int64_t a = db_query_int(d, "SELECT COUNT(*) FROM (SELECT metric, body_id, day, n FROM metric_counts"
				    " WHERE n <> 0 EXCEPT SELECT metric, body_id, day, n FROM metric_recount) x", -1, 0);
	int64_t b = db_query_int(d, "SELECT COUNT(*) FROM (SELECT metric, body_id, day, n FROM metric_recount"
				    " EXCEPT SELECT metric, body_id, day, n FROM metric_counts WHERE n <> 0) x", -1, 0);
	if (a < 0 || b < 0)
		return -1;
	int64_t diff = a + b;
	if (!check && diff != 0) {
		if (db_exec(d, "DELETE FROM metric_counts") != 0 ||
		    db_exec(d, "INSERT INTO metric_counts SELECT metric, body_id, region_path, day, n FROM metric_recount") != 0)
			return -1;
	}
	db_exec(d, "DELETE FROM metric_recount");
	return diff;
}
