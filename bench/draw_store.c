/*
 * draw_store.c — bench_draw_store: one 双随机 draw run through the store
 * (src/engine/draw_store.c: the rosters read, the engine, the picks
 * stored, in one transaction) on SQLite or PostgreSQL, over the same
 * synthetic roster as bench_draw (N enterprises, M inspectors of 20
 * bodies, sample K, 回避 on), so its result digest must equal
 * bench_draw's. Fills an empty store first (not timed). The reference,
 * measured in the same run: a plain read of the enterprise roster (every
 * row stepped), the floor any draw over the store pays. Run by
 * bench/draw.sh.
 *
 *   bench_draw_store URI [N [M [K]]]   defaults 1000000 10000 30000
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "crypto.h"
#include "db.h"
#include "draw_store.h"
#include "record.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int run(db *d, const char *sql, int64_t n)
{
	db_stmt *st = db_prepare(d, sql);
	if (n >= 0)
		db_bind_int(st, 1, n);
	int rc = st ? db_run(st) : DB_ERR;
	db_done(st);
	if (rc != DB_DONE)
		fprintf(stderr, "bench_draw_store: %s\n", db_errmsg(d));
	return rc == DB_DONE ? 0 : -1;
}

#define SERIES "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) "
#define REGION "CAST(990001 + (i - 1) % 10 AS TEXT)"

/* Ten regions, 20 bodies, the rosters: ids, grades and regions as bench_draw's. */
static int fill(db *d, int n, int m)
{
	return db_begin(d) != 0 ||
	       run(d, "INSERT INTO regions(code, name, level, path, created_at, updated_at) VALUES ('990000', '测', 2, '/990000/', 1, 1)", -1) ||
	       run(d, SERIES "INSERT INTO regions(code, name, level, parent_code, path, created_at, updated_at)"
		      " SELECT " REGION ", '测区', 3, '990000', '/990000/' || " REGION " || '/', 1, 1 FROM n", 10) ||
	       run(d, SERIES "INSERT INTO bodies(id, code, name, kind, region_code, region_path, created_at, updated_at)"
		      " SELECT i, 'BB' || CAST(i AS TEXT), '局', 'department', " REGION ", '/990000/' || " REGION " || '/', 1, 1"
		      " FROM n", 20) ||
	       run(d, SERIES "INSERT INTO people(id, name, body_id, region_path, cert_no, cert_status, cert_valid_until,"
		      " created_at, updated_at) SELECT 9999999 + i, '员', 1 + (i - 1) % 20, '/990000/', 'Z' || CAST(i AS TEXT),"
		      " 'active', '2099-12-31', 1, 1 FROM n", m) ||
	       run(d, SERIES "INSERT INTO subjects(id, kind, name, uscc, region_code, region_path, created_at, updated_at,"
		      " industry, credit_grade) SELECT i, 'enterprise', 'E' || CAST(i AS TEXT), 'U' || CAST(i AS TEXT), " REGION ","
		      " '/990000/' || " REGION " || '/', 1, 1, '制造业', substr('AAAAABBBCD', (i - 1) % 10 + 1, 1) FROM n", n) ||
	       db_commit(d) != 0 ? -1 : 0;
}

/* The reference: every enterprise row read once. */
static double reference(db *d, int64_t *rows)
{
	double t0 = now();
	db_stmt *st = db_prepare(d, "SELECT id, region_code, industry, credit_grade FROM subjects WHERE kind = 'enterprise'");
	*rows = 0;
	while (st && db_step(st) == DB_ROW)
		(*rows)++;
	db_done(st);
	return (now() - t0) * 1000;
}

static uint64_t digest(db *d, int64_t id)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a over the picks, as bench_draw */
	db_stmt *st = db_prepare(d, "SELECT subject_id, inspector1, inspector2 FROM draw_picks WHERE draw_id = $1 ORDER BY subject_id");
	db_bind_int(st, 1, id);
	while (db_step(st) == DB_ROW)
		for (int j = 0; j < 3; j++)
			h = (h ^ (uint64_t)db_col_int(st, j)) * 1099511628211ull;
	db_done(st);
	return h;
}

int main(int argc, char **argv)
{
	char err[256], hash[65], why[600];
	int n = argc > 2 ? atoi(argv[2]) : 1000000, m = argc > 3 ? atoi(argv[3]) : 10000,
	    k = argc > 4 ? atoi(argv[4]) : 30000, picks = 0, same = 0;
	static const int weights[DRAW_GRADES] = { 1, 2, 4, 8, 2 };
	struct fz_err e = { 0 };
	db *d = argc > 1 && crypto_init() == 0 ? db_open(argv[1], err, sizeof err) : NULL;
	if (!d || db_migrate(d) != 0) {
		fprintf(stderr, "usage: bench_draw_store URI [N [M [K]]] (%s)\n", d ? db_errmsg(d) : err);
		return 1;
	}
	if (db_query_int(d, "SELECT COUNT(*) FROM regions WHERE code = '990000'", 0, 0) == 0 && fill(d, n, m) != 0)
		return 1;
	int64_t rows, id = 0;
	double ref = reference(d, &rows);
	json_t *bodies = json_array();
	for (int b = 1; b <= 20; b++)
		json_array_append_new(bodies, json_integer(b));
	json_t *spec = json_pack("{s:i, s:o, s:b}", "sample", k, "bodies", bodies, "avoid_same_region", 1);
	struct draw_new in = { 1, "990000", "/990000/", "bench", spec, 0, weights, "bench-seed" };
	struct rec_ctx c;
	rec_ctx_init(&c, d, NULL, NULL);
	if (draw_create(d, &in, &id, hash, &e) != 0) {
		fprintf(stderr, "bench_draw_store: %s\n", e.msg);
		return 1;
	}
	double t0 = now();
	int rc = draw_execute(&c, id, "2026-12-04", &picks, &e);
	double t1 = now();
	rc = rc == 0 ? draw_verify(d, id, &same, why, sizeof why, &e) : rc;
	double t2 = now();
	if (rc != 0 || !same) {
		fprintf(stderr, "bench_draw_store: %s %s\n", e.msg, why);
		return 1;
	}
	printf("draw via %s: %lld enterprises, %d inspectors, sample %d: run %.0f ms, verify %.0f ms;"
	       " reference (read the roster) %.0f ms; result digest %016llx\n",
	       db_backend_of(d) == DB_SQLITE ? "SQLite" : "PostgreSQL", (long long)rows, m, picks, (t1 - t0) * 1000, (t2 - t1) * 1000, ref,
	       (unsigned long long)digest(d, id));
	json_decref(spec);
	db_close(d);
	return 0;
}
