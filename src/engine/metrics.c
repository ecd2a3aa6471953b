/*
 * metrics.c — metric counters kept by delta, in the record's transaction
 * or gathered in a batch for bulk writers (metrics.h). Their sums for
 * evaluation are metrics_sums.c; their recount from the records and the
 * rebuild when definitions change, metrics_rebuild.c.
 */
#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "clock.h"
#include "crypto.h"
#include "scope.h"

const char *metrics_day(const struct reg_metric *m, const struct record *rec)
{
	return m->by_due ? rec->due_date : rec->start_date;
}

int metrics_counts(const struct reg_def *r, const struct reg_metric *m, const struct record *rec)
{
	if (m->by_due && strlen(rec->due_date) != 10)
		return 0;
	if (m->states && !(m->states & (1u << rec->state)))
		return 0;
	const char *met = record_met_date(r, rec);
	if (m->on_time && (!met[0] || !rec->due_date[0] || strcmp(met, rec->due_date) > 0))
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

/* Counters are kept at two grains: per day (metric_counts) and per month
 * (metric_months, the same deltas summed by "YYYY-MM"). A period reads
 * its whole months from metric_months and the days of a partial first or
 * last month from metric_counts, so a year is 12 rows per body and metric
 * rather than 365. Each delta goes to both. */
enum grain { DAY, MONTH };

/* One counter's delta, ready to write. */
struct row {
	const char *metric, *region_path;
	int64_t body_id, n;
	char when[11]; /* YYYY-MM-DD or YYYY-MM */
};

#define MAX_ROWS 64 /* rows per INSERT */

#define UPSERT_SIZE (128 + MAX_ROWS * 40 + 128)

/* The upsert of n counters of grain g, parameters numbered from first
 * (five a row); returns its length. */
static size_t upsert_text(char *sql, size_t size, enum grain g, int n, int first)
{
	const char *t = g == DAY ? "metric_counts" : "metric_months", *c = g == DAY ? "day" : "month";
	size_t len = (size_t)snprintf(sql, size, "INSERT INTO %s(metric, body_id, region_path, %s, n) VALUES ", t, c);
	for (int r = 0, p = first; r < n; r++, p += 5)
		len += (size_t)snprintf(sql + len, size - len, "%s($%d, $%d, $%d, $%d, $%d)", r ? ", " : "", p, p + 1,
					p + 2, p + 3, p + 4);
	len += (size_t)snprintf(sql + len, size - len,
				" ON CONFLICT(region_path, %s, metric, body_id) DO UPDATE SET n = %s.n + excluded.n", c, t);
	return len;
}

static void bind_rows(db_stmt *st, const struct row *rows, int n, int first)
{
	for (int r = 0, p = first; r < n; r++, p += 5) {
		db_bind_text(st, p, rows[r].metric);
		db_bind_int(st, p + 1, rows[r].body_id);
		db_bind_text(st, p + 2, rows[r].region_path);
		db_bind_text(st, p + 3, rows[r].when);
		db_bind_int(st, p + 4, rows[r].n);
	}
}

static int run_text(db *d, const char *sql, const struct row *a, int na, const struct row *b, int nb)
{
	db_stmt *st = db_prepare(d, sql);
	if (!st)
		return -1;
	bind_rows(st, a, na, 1);
	bind_rows(st, b, nb, 5 * na + 1);
	int rc = db_run(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Adds rows[0, n) (n <= MAX_ROWS, distinct counters) to the counters of
 * grain g: one statement (sql: its text when the caller has it). */
static int write_rows(db *d, enum grain g, const struct row *rows, int n, const char *sql)
{
	char own[UPSERT_SIZE];
	if (!sql)
		upsert_text(own, sizeof own, g, n, 1);
	return run_text(d, sql ? sql : own, rows, n, NULL, 0);
}

/* Both grains' rows in one statement, where the store can (PostgreSQL:
 * the day upsert as a data-modifying WITH): one round trip a change. */
static int write_both(db *d, const struct row *days, int nd, const struct row *months, int nm)
{
	char sql[2 * UPSERT_SIZE + 32] = "WITH day_rows AS (";
	size_t len = strlen(sql);
	len += upsert_text(sql + len, sizeof sql - len, DAY, nd, 1);
	len += (size_t)snprintf(sql + len, sizeof sql - len, ") ");
	upsert_text(sql + len, sizeof sql - len, MONTH, nm, 5 * nd + 1);
	return run_text(d, sql, days, nd, months, nm);
}

/* The counters one change moves (every metric out, every metric in, at
 * both grains), summed per counter: written by change_write in one
 * statement per grain. */
struct change {
	struct row row[2][2 * REG_MAX_METRICS];
	int n[2];
};

static void change_add(struct change *c, const char *metric, const struct record *rec, const char *day,
		       int delta)
{
	for (int g = DAY; g <= MONTH; g++) {
		char when[11];
		snprintf(when, sizeof when, "%.*s", g == DAY ? 10 : 7, day);
		struct row *x = c->row[g];
		int i = 0;
		while (i < c->n[g] && (x[i].metric != metric || x[i].body_id != rec->body_id ||
				       strcmp(x[i].region_path, rec->region_path) != 0 || strcmp(x[i].when, when) != 0))
			i++;
		if (i == c->n[g]) {
			x[i] = (struct row){ .metric = metric, .region_path = rec->region_path, .body_id = rec->body_id };
			memcpy(x[i].when, when, sizeof when);
			c->n[g]++;
		}
		x[i].n += delta;
	}
}

static int change_write(db *d, struct change *c)
{
	int n[2] = { 0, 0 };
	for (int g = DAY; g <= MONTH; g++)
		for (int i = 0; i < c->n[g]; i++) /* deltas that cancel out write nothing */
			if (c->row[g][i].n != 0)
				c->row[g][n[g]++] = c->row[g][i];
	if (n[DAY] > 0 && n[MONTH] > 0 && db_backend_of(d) == DB_POSTGRES)
		return write_both(d, c->row[DAY], n[DAY], c->row[MONTH], n[MONTH]);
	for (int g = DAY; g <= MONTH; g++)
		if (n[g] > 0 && write_rows(d, (enum grain)g, c->row[g], n[g], NULL) != 0)
			return -1;
	return 0;
}

/* ---- batches: deltas summed per counter, written at flush ----
 * An entry is small and all integers: the metric and the region path are
 * indexes into tables of the batch, the day 20250314 (a month 202503), so
 * that hashing and the sort of a flush compare integers. */

#define BATCH_MAX 131072            /* counters held; one more flushes first */
#define BATCH_SLOTS (4 * BATCH_MAX) /* hash slots, a power of two */
#define BATCH_PATHS 4096            /* region paths held (a power of two) */
#define BATCH_METRICS 64            /* metrics held */

struct batch_entry {
	int64_t body_id, n;
	uint32_t when;      /* YYYYMMDD (a day) or YYYYMM (a month) */
	uint16_t metric;    /* index in metric[] */
	uint16_t path;      /* index in path[] */
};

struct batch_sort {
	uint64_t key;       /* grain, path rank, when, metric */
	int64_t body_id;
	int entry;
};

struct metrics_batch {
	struct batch_entry *e;
	int n;
	int *slot;                      /* entry index + 1; 0 = empty */
	struct batch_sort *sort;        /* flush order */
	const char *metric[BATCH_METRICS]; /* the definitions' strings */
	int nmetrics;
	char (*path)[sizeof ((struct record *)0)->region_path];
	int npaths;
	int path_slot[2 * BATCH_PATHS]; /* path index + 1; 0 = empty */
	int path_rank[BATCH_PATHS];
	int last_path;                  /* the path interned last, + 1 */
	char sql[2][UPSERT_SIZE];       /* the upserts of MAX_ROWS days, months */
};

struct metrics_batch *metrics_batch_new(void)
{
	struct metrics_batch *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->e = malloc(BATCH_MAX * sizeof *b->e);
	b->slot = calloc(BATCH_SLOTS, sizeof *b->slot);
	b->sort = malloc(BATCH_MAX * sizeof *b->sort);
	b->path = malloc(BATCH_PATHS * sizeof *b->path);
	if (!b->e || !b->slot || !b->sort || !b->path) {
		metrics_batch_free(b);
		return NULL;
	}
	upsert_text(b->sql[DAY], UPSERT_SIZE, DAY, MAX_ROWS, 1);
	upsert_text(b->sql[MONTH], UPSERT_SIZE, MONTH, MAX_ROWS, 1);
	return b;
}

void metrics_batch_free(struct metrics_batch *b)
{
	if (!b)
		return;
	free(b->e);
	free(b->slot);
	free(b->sort);
	free(b->path);
	free(b);
}

void metrics_batch_clear(struct metrics_batch *b)
{
	if (!b)
		return;
	if (b->n)
		memset(b->slot, 0, BATCH_SLOTS * sizeof *b->slot);
	if (b->npaths)
		memset(b->path_slot, 0, sizeof b->path_slot);
	b->n = b->nmetrics = b->npaths = b->last_path = 0;
}

static enum grain grain_of(uint32_t when) { return when >= 10000000 ? DAY : MONTH; }

/* YYYYMMDD → "YYYY-MM-DD", YYYYMM → "YYYY-MM". */
static void when_text(uint32_t when, char out[11])
{
	int day = grain_of(when) == DAY;
	uint32_t v = day ? when : when * 100;
	char *o = out;
	for (uint32_t div = 10000000; div; div /= 10) {
		*o++ = (char)('0' + v / div % 10);
		if (div == 10000 || (day && div == 100))
			*o++ = '-';
		if (!day && div == 100)
			break;
	}
	*o = 0;
}

static int path_cmp(const void *x, const void *y, void *arg)
{
	const struct metrics_batch *b = arg;
	return strcmp(b->path[*(const int *)x], b->path[*(const int *)y]);
}

static int sort_cmp(const void *x, const void *y)
{
	const struct batch_sort *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->body_id < b->body_id ? -1 : a->body_id > b->body_id;
}

/* Writes sort[from, to) (one grain), MAX_ROWS rows a statement. */
static int flush_grain(db *d, const struct metrics_batch *b, int from, int to)
{
	struct row rows[MAX_ROWS];
	enum grain g = grain_of(b->e[b->sort[from].entry].when);
	for (int i = from; i < to; i += MAX_ROWS) {
		int n = to - i < MAX_ROWS ? to - i : MAX_ROWS;
		for (int r = 0; r < n; r++) {
			const struct batch_entry *x = &b->e[b->sort[i + r].entry];
			rows[r] = (struct row){ .metric = b->metric[x->metric], .region_path = b->path[x->path],
						.body_id = x->body_id, .n = x->n };
			when_text(x->when, rows[r].when);
		}
		if (write_rows(d, g, rows, n, n == MAX_ROWS ? b->sql[g] : NULL) != 0)
			return -1;
	}
	return 0;
}

int metrics_batch_flush(db *d, struct metrics_batch *b)
{
	int m = 0, rc = 0, order[BATCH_PATHS];
	if (!b || !b->n)
		return 0;
	/* Each table's key order — (region path, day or month, metric, body),
	 * metrics in any order as the batch numbers them (each change's rows
	 * are neighbours whatever their order) — so that a flush walks each
	 * B-tree once from one end to the other. */
	for (int i = 0; i < b->npaths; i++)
		order[i] = i;
	qsort_r(order, (size_t)b->npaths, sizeof *order, path_cmp, b);
	for (int i = 0; i < b->npaths; i++)
		b->path_rank[order[i]] = i;
	for (int i = 0; i < b->n; i++) {
		const struct batch_entry *x = &b->e[i];
		if (x->n == 0) /* deltas that cancel out write nothing */
			continue;
		b->sort[m++] = (struct batch_sort){ (uint64_t)grain_of(x->when) << 63 |
							    (uint64_t)b->path_rank[x->path] << 48 | (uint64_t)x->when << 16 |
							    x->metric,
						    x->body_id, i };
	}
	qsort(b->sort, (size_t)m, sizeof *b->sort, sort_cmp);
	int days = 0; /* days sort first, then months */
	while (days < m && grain_of(b->e[b->sort[days].entry].when) == DAY)
		days++;
	if (days > 0)
		rc = flush_grain(d, b, 0, days);
	if (rc == 0 && days < m)
		rc = flush_grain(d, b, days, m);
	metrics_batch_clear(b);
	return rc;
}

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 16777619u;
	return h;
}

/* The batch's index of a region path or metric, -1 when its table is full. */
static int path_index(struct metrics_batch *b, const char *path)
{
	if (b->last_path && strcmp(b->path[b->last_path - 1], path) == 0)
		return b->last_path - 1;
	uint32_t h = fnv(2166136261u, path, strlen(path));
	for (uint32_t k = h & (2 * BATCH_PATHS - 1);; k = (k + 1) & (2 * BATCH_PATHS - 1)) {
		int i = b->path_slot[k] - 1;
		if (i < 0) {
			if (b->npaths == BATCH_PATHS)
				return -1;
			i = b->npaths++;
			snprintf(b->path[i], sizeof b->path[i], "%s", path);
			b->path_slot[k] = i + 1;
		} else if (strcmp(b->path[i], path) != 0) {
			continue;
		}
		b->last_path = i + 1;
		return i;
	}
}

static int metric_index(struct metrics_batch *b, const char *metric)
{
	for (int i = 0; i < b->nmetrics; i++)
		if (b->metric[i] == metric)
			return i;
	if (b->nmetrics == BATCH_METRICS)
		return -1;
	b->metric[b->nmetrics] = metric;
	return b->nmetrics++;
}

/* Adds delta to one counter of the batch; when: YYYYMMDD or YYYYMM. */
static int batch_add(db *d, struct metrics_batch *b, const char *metric, const struct record *rec, uint32_t when,
		     int delta)
{
	int mi = metric_index(b, metric), pi = mi < 0 ? -1 : path_index(b, rec->region_path);
	if (pi < 0 || b->n == BATCH_MAX) { /* full: write it out, then start again */
		if (metrics_batch_flush(d, b) != 0)
			return -1;
		mi = metric_index(b, metric);
		pi = path_index(b, rec->region_path);
	}
	uint64_t h = ((uint64_t)mi << 48 | (uint64_t)pi << 32 | when) * 0x9E3779B97F4A7C15u ^
		     (uint64_t)rec->body_id * 0xC2B2AE3D27D4EB4Fu;
	for (uint32_t k = (uint32_t)(h >> 40) & (BATCH_SLOTS - 1);; k = (k + 1) & (BATCH_SLOTS - 1)) {
		struct batch_entry *x = b->slot[k] ? &b->e[b->slot[k] - 1] : NULL;
		if (!x) {
			x = &b->e[b->n++];
			*x = (struct batch_entry){ .body_id = rec->body_id, .when = when, .metric = (uint16_t)mi,
						   .path = (uint16_t)pi };
			b->slot[k] = b->n;
		} else if (x->when != when || x->body_id != rec->body_id || x->metric != mi || x->path != pi) {
			continue;
		}
		x->n += delta;
		return 0;
	}
}

/* Adds delta to m's counter, day and month: into the batch, or the change. */
static int bump(db *d, struct metrics_batch *b, struct change *c, const struct reg_metric *m,
		const struct record *rec, int delta)
{
	const char *metric = m->name, *s = metrics_day(m, rec); /* YYYY-MM-DD, checked when written */
	if (!b) {
		change_add(c, metric, rec, s, delta);
		return 0;
	}
	uint32_t ym = (uint32_t)atoi(s) * 100 + (uint32_t)atoi(s + 5), day = ym * 100 + (uint32_t)atoi(s + 8);
	return batch_add(d, b, metric, rec, day, delta) != 0 || batch_add(d, b, metric, rec, ym, delta) != 0 ? -1 : 0;
}

int metrics_apply(db *d, struct metrics_batch *b, const struct reg_def *r, const struct record *rec, int sign)
{
	struct change c = { .n = { 0, 0 } };
	for (int i = 0; i < r->nmetrics; i++)
		if (metrics_counts(r, &r->metrics[i], rec) && bump(d, b, &c, &r->metrics[i], rec, sign) != 0)
			return -1;
	return b ? 0 : change_write(d, &c);
}

/* Whether two versions of a record count on the same counter of m:
 * same body, region path and day. */
static int same_key(const struct reg_metric *m, const struct record *a, const struct record *b)
{
	return a->body_id == b->body_id && strcmp(a->region_path, b->region_path) == 0 &&
	       strcmp(metrics_day(m, a), metrics_day(m, b)) == 0;
}

int metrics_apply_change(db *d, struct metrics_batch *b, const struct reg_def *r, const struct record *old,
			 const struct record *rec)
{
	struct change c = { .n = { 0, 0 } };
	for (int i = 0; i < r->nmetrics; i++) {
		const struct reg_metric *m = &r->metrics[i];
		int was = metrics_counts(r, m, old), is = metrics_counts(r, m, rec);
		if (was && is && same_key(m, old, rec))
			continue; /* -1 and +1 on one counter */
		if ((was && bump(d, b, &c, m, old, -1) != 0) || (is && bump(d, b, &c, m, rec, +1) != 0))
			return -1;
	}
	return b ? 0 : change_write(d, &c);
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
