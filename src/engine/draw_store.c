/* draw_store.c — 双随机 draws in the store (draw_store.h). */
#include "draw_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "query.h"
#include "record.h"
#include "review_draw.h"
#include "scope.h"
#include "validate.h"

#define DRAW_QUIET_MAX 100000
#define DRAW_BODIES_MAX 50

static const struct draw_planner *planner;

void draw_planner_set(const struct draw_planner *p)
{
	planner = p;
}

/* What a stored draw needs to be run again. */
struct loaded {
	char region_path[160], seed[REVIEW_SEED_MAX + 1], hash[65], day[16];
	int revealed;
	int64_t body_id;
	json_t *spec;
};

/* The rosters as the engine takes them. A region is known by its path:
 * the inspectors' paths are numbered 1, 2 … (paths), an enterprise takes
 * the number of its path among those, or 0 (no inspector there), which is
 * all 回避 compares. */
struct rosters {
	struct draw_target *t;
	int nt;
	struct draw_inspector *in;
	int ni;
	int64_t *quiet;
	char (*paths)[160];
	int npaths;
};

static void rosters_free(struct rosters *r)
{
	free(r->t);
	free(r->in);
	free(r->quiet);
	free(r->paths);
	memset(r, 0, sizeof *r);
}

/* The number of region path p among the inspectors' (adding it when add),
 * 0 when not there. */
static int path_no(struct rosters *r, const char *p, int add)
{
	for (int i = 0; i < r->npaths; i++)
		if (strcmp(r->paths[i], p) == 0)
			return i + 1;
	if (!add || r->npaths >= DRAW_BODIES_MAX)
		return 0;
	snprintf(r->paths[r->npaths], sizeof r->paths[0], "%s", p);
	return ++r->npaths;
}

static int id_array(json_t *a, int max)
{
	size_t i;
	json_t *v;
	if (!a)
		return 0;
	if (!json_is_array(a) || json_array_size(a) > (size_t)max)
		return -1;
	json_array_foreach(a, i, v)
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return -1;
	return (int)json_array_size(a);
}

/* The plans' part of the spec: a matter the planner accepts and a window
 * (both dates, in order); none of them: a draw without plans. */
static int check_plan(db *d, json_t *s, struct fz_err *e)
{
	json_t *m = json_object_get(s, "matter");
	const char *from = json_string_value(json_object_get(s, "window_from")),
		   *to = json_string_value(json_object_get(s, "window_to"));
	char why[128];
	if (!m && !json_object_get(s, "window_from") && !json_object_get(s, "window_to"))
		return 0;
	if (!json_is_integer(m) || json_integer_value(m) <= 0)
		return fz_invalid(e, "matter", "「检查事项」应为执法事项清单中一项行政检查的编号");
	if (!from || validate_date(from, why, sizeof why) != 0)
		return fz_invalid(e, "window_from", "「计划检查起始日期」应为日期（YYYY-MM-DD）");
	if (!to || validate_date(to, why, sizeof why) != 0)
		return fz_invalid(e, "window_to", "「计划检查截止日期」应为日期（YYYY-MM-DD）");
	if (strcmp(to, from) < 0)
		return fz_invalid(e, "window_to", "「计划检查截止日期」不能早于起始日期 %s", from);
	if (!planner)
		return fz_fail(e, 409, "draw_no_planner", "matter", "没有登记簿接收抽查结果生成的检查计划");
	return planner->check(d, json_integer_value(m), e);
}

/* Checks the caller's spec and completes it with the default weights. */
static int check_spec(json_t *s, const int *weights, struct fz_err *e)
{
	json_t *w = json_object_get(s, "weights"), *v;
	if (!json_is_object(s))
		return fz_invalid(e, "spec", "抽查条件应为对象");
	v = json_object_get(s, "region");
	if (v && !json_is_null(v) && !json_is_string(v))
		return fz_invalid(e, "region", "「抽查区域」应为区划代码");
	v = json_object_get(s, "industry");
	if (v && !json_is_null(v) && (!json_is_string(v) || strlen(json_string_value(v)) > 100))
		return fz_invalid(e, "industry", "「行业」应为不超过 100 字节的文字");
	if (id_array(json_object_get(s, "quiet"), DRAW_QUIET_MAX) < 0)
		return fz_invalid(e, "quiet", "「免检企业」应为企业编号列表（至多 %d 个）", DRAW_QUIET_MAX);
	if (id_array(json_object_get(s, "bodies"), DRAW_BODIES_MAX) <= 0)
		return fz_invalid(e, "bodies", "「执法检查人员所属单位」应为 1–%d 个单位编号", DRAW_BODIES_MAX);
	if (w && (!json_is_array(w) || json_array_size(w) != DRAW_GRADES))
		return fz_invalid(e, "weights", "「信用等级权重」应为 A、B、C、D、无等级 共 %d 个数", DRAW_GRADES);
	if (!w) {
		w = json_array();
		for (int g = 0; g < DRAW_GRADES; g++)
			json_array_append_new(w, json_integer(weights[g]));
		json_object_set_new(s, "weights", w);
	}
	for (int g = 0; g < DRAW_GRADES; g++) {
		v = json_array_get(w, (size_t)g);
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > DRAW_WEIGHT_MAX)
			return fz_invalid(e, "weights", "「信用等级权重」应为 0–%d 的整数", DRAW_WEIGHT_MAX);
	}
	json_int_t k = json_integer_value(json_object_get(s, "sample")),
		   rate = json_integer_value(json_object_get(s, "rate"));
	if (k < 0 || k > 1000000 || rate < 0 || rate > 100 || (k == 0) == (rate == 0))
		return fz_invalid(e, "sample", "「抽取数量」（1–1000000）与「抽取比例」（1–100%%）应填且只填一项");
	return 0;
}

int draw_create(db *d, const struct draw_new *in, int64_t *id, char hash[65], struct fz_err *e)
{
	char fresh[33], *spec;
	const char *seed = in->seed;
	if (check_spec(in->spec, in->weights, e) != 0 || check_plan(d, in->spec, e) != 0)
		return -1;
	if (!in->title || !*in->title || strlen(in->title) > 200)
		return fz_invalid(e, "title", "「抽查名称」应为 1–200 字节的文字");
	if (!seed) {
		review_seed_new(fresh);
		seed = fresh;
	}
	if (draw_seed_hash(seed, hash) != 0 || !(spec = json_dumps(in->spec, JSON_COMPACT | JSON_SORT_KEYS)))
		return fz_fail(e, 500, "no_memory", NULL, "内存不足");
	db_stmt *st = db_prepare(d, "INSERT INTO draws(body_id, region_code, region_path, title, spec, seed_hash, seed,"
				    " created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id");
	db_bind_int(st, 1, in->body_id);
	db_bind_text(st, 2, in->region_code);
	db_bind_text(st, 3, in->region_path);
	db_bind_text(st, 4, in->title);
	db_bind_text(st, 5, spec);
	db_bind_text(st, 6, hash);
	db_bind_text(st, 7, seed);
	if (in->created_by)
		db_bind_int(st, 8, in->created_by);
	else
		db_bind_null(st, 8);
	db_bind_int(st, 9, (int64_t)time(NULL));
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	free(spec);
	return rc == DB_ROW ? 0 : fz_store(e, d);
}

static int load(db *d, int64_t id, struct loaded *l, struct fz_err *e)
{
	db_stmt *st = db_prepare(d, "SELECT region_path, seed, seed_hash, spec, revealed_at, run_day, body_id FROM draws"
				    " WHERE id = $1");
	int rc;
	memset(l, 0, sizeof *l);
	db_bind_int(st, 1, id);
	if ((rc = db_step(st)) == DB_ROW) {
		snprintf(l->region_path, sizeof l->region_path, "%s", db_col_text(st, 0));
		snprintf(l->seed, sizeof l->seed, "%s", db_col_text(st, 1));
		snprintf(l->hash, sizeof l->hash, "%s", db_col_text(st, 2));
		l->spec = json_loads(db_col_text(st, 3), 0, NULL);
		l->revealed = !db_col_isnull(st, 4);
		snprintf(l->day, sizeof l->day, "%s", db_col_isnull(st, 5) ? "" : db_col_text(st, 5));
		l->body_id = db_col_int(st, 6);
	}
	db_done(st);
	if (rc == DB_DONE)
		return fz_fail(e, 404, "not_found", NULL, "抽查不存在");
	if (rc != DB_ROW || !l->spec) {
		json_decref(l->spec);
		return rc != DB_ROW ? fz_store(e, d) : fz_fail(e, 500, "draw_spec_bad", NULL, "抽查 %lld 的条件无法读取", (long long)id);
	}
	return 0;
}

static int grow(void **p, int *cap, int n, size_t size)
{
	if (n < *cap)
		return 0;
	int want = *cap ? *cap * 2 : 4096;
	void *q = realloc(*p, (size_t)want * size);
	if (!q)
		return -1;
	*p = q;
	*cap = want;
	return 0;
}

/* The enterprises under path (the draw's region, or the spec's narrower
 * one), in industry when given: one lean read (the covering index
 * subjects_roster, migration 033), no allocation per row. */
static int load_targets(db *d, const char *path, const char *industry, struct rosters *r)
{
	struct query q;
	char last[160] = "";
	int cap = 0, rc = DB_ERR, region = 0;
	query_init(&q, "SELECT s.id, s.region_path, s.credit_grade FROM subjects s WHERE s.kind = 'enterprise'");
	scope_subtree(&q, "s.region_path", path);
	if (industry)
		query_add(&q, " AND s.industry = ?", "s", industry);
	db_stmt *st = query_prepare(d, &q);
	query_free(&q);
	while (st && (rc = db_step(st)) == DB_ROW) {
		if (grow((void **)&r->t, &cap, r->nt, sizeof *r->t) != 0) {
			rc = DB_ERR;
			break;
		}
		const char *p = db_col_text(st, 1), *g = db_col_isnull(st, 2) ? "" : db_col_text(st, 2);
		if (strcmp(p, last) != 0) {
			region = path_no(r, p, 0);
			snprintf(last, sizeof last, "%s", p);
		}
		r->t[r->nt++] = (struct draw_target){ db_col_int(st, 0), region, industry, g[0] };
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The people of the spec's bodies whose certificate is valid on day, in
 * one read. */
static int load_inspectors(db *d, json_t *bodies, const char *day, struct rosters *r)
{
	struct query q;
	size_t i;
	json_t *b;
	int cap = 0, rc = DB_ERR;
	query_init(&q, "SELECT p.id, p.body_id, b.region_path FROM people p JOIN bodies b ON b.id = p.body_id"
		       " WHERE p.cert_status = 'active' AND p.cert_no IS NOT NULL");
	query_add(&q, " AND (p.cert_valid_from IS NULL OR p.cert_valid_from <= ?)"
		      " AND (p.cert_valid_until IS NULL OR p.cert_valid_until >= ?) AND p.body_id IN (", "ss", day, day);
	json_array_foreach(bodies, i, b)
		query_add(&q, i ? ", ?" : "?", "i", (int64_t)json_integer_value(b));
	query_raw(&q, ")");
	db_stmt *st = query_prepare(d, &q);
	query_free(&q);
	r->paths = calloc(DRAW_BODIES_MAX, sizeof *r->paths);
	while (st && r->paths && (rc = db_step(st)) == DB_ROW) {
		if (grow((void **)&r->in, &cap, r->ni, sizeof *r->in) != 0) {
			rc = DB_ERR;
			break;
		}
		r->in[r->ni++] = (struct draw_inspector){ db_col_int(st, 0), db_col_int(st, 1), path_no(r, db_col_text(st, 2), 1) };
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Reads the rosters for l and runs the engine. */
static int compute(db *d, const struct loaded *l, const char *day, struct draw_result *out, struct fz_err *e)
{
	struct rosters r = { 0 };
	struct draw_spec s = { .seed = l->seed };
	json_t *sp = l->spec, *q = json_object_get(sp, "quiet"), *v;
	const char *region = json_string_value(json_object_get(sp, "region"));
	char *path = NULL;
	size_t i;
	if (region && db_lookup_text(d, "SELECT path FROM regions WHERE code = $1", &path, 1, region) != DB_ROW)
		return fz_invalid(e, "region", "「抽查区域」不存在：%s", region);
	if (path && strncmp(path, l->region_path, strlen(l->region_path)) != 0) {
		free(path);
		return fz_fail(e, 403, "forbidden", "region", "「抽查区域」不在本单位管辖范围内");
	}
	s.industry = json_string_value(json_object_get(sp, "industry"));
	for (int g = 0; g < DRAW_GRADES; g++)
		s.weight[g] = (int)json_integer_value(json_array_get(json_object_get(sp, "weights"), (size_t)g));
	s.sample = (int)json_integer_value(json_object_get(sp, "sample"));
	s.rate_percent = (int)json_integer_value(json_object_get(sp, "rate"));
	s.avoid_same_region = json_is_true(json_object_get(sp, "avoid_same_region"));
	s.nquiet = (int)json_array_size(q);
	r.quiet = malloc(((size_t)s.nquiet + 1) * sizeof *r.quiet);
	json_array_foreach(q, i, v)
		if (r.quiet)
			r.quiet[i] = json_integer_value(v);
	s.quiet = r.quiet;
	int rc = -1;
	if (!r.quiet)
		fz_fail(e, 500, "no_memory", NULL, "内存不足");
	else if (load_inspectors(d, json_object_get(sp, "bodies"), day, &r) != 0 ||
		 load_targets(d, path ? path : l->region_path, s.industry, &r) != 0)
		fz_store(e, d);
	else
		rc = draw_run(&s, r.t, r.nt, r.in, r.ni, out, e);
	free(path);
	rosters_free(&r);
	return rc;
}

/* The plan of pick p when the spec names a matter (*plan 0 otherwise). */
static int plan_of(struct rec_ctx *c, const struct draw_plan *dp, const struct draw_pick *p, int64_t *plan,
		   struct fz_err *e)
{
	char officers[200];
	int rc;
	*plan = 0;
	if (!dp->matter)
		return 0;
	db_stmt *st = db_prepare(c->d, "SELECT a.cert_no, b.cert_no FROM people a, people b WHERE a.id = $1 AND b.id = $2");
	db_bind_int(st, 1, p->inspector[0]);
	db_bind_int(st, 2, p->inspector[1]);
	if ((rc = db_step(st)) == DB_ROW)
		snprintf(officers, sizeof officers, "%s、%s", db_col_text(st, 0), db_col_text(st, 1));
	db_done(st);
	if (rc != DB_ROW)
		return fz_store(e, c->d);
	return planner->make(c, dp, p->target_id, officers, plan, e);
}

#define PICKS_BATCH 200 /* rows per INSERT: one round trip each on PostgreSQL */

/* The INSERT of n picks: ($1 … $5), ($6 … $10) … */
static char *picks_sql(int n)
{
	char *sql = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&sql, &len);
	if (!f)
		return NULL;
	fputs("INSERT INTO draw_picks(draw_id, subject_id, inspector1, inspector2, plan_id) VALUES ", f);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s($%d, $%d, $%d, $%d, $%d)", i ? ", " : "", 5 * i + 1, 5 * i + 2, 5 * i + 3, 5 * i + 4, 5 * i + 5);
	if (fclose(f) != 0) {
		free(sql);
		return NULL;
	}
	return sql;
}

/* Picks [from, from + n), each with its plan. */
static int insert_picks(struct rec_ctx *c, const struct draw_plan *dp, const struct draw_result *r, int from, int n,
			struct fz_err *e)
{
	char *sql = picks_sql(n);
	db_stmt *st = sql ? db_prepare(c->d, sql) : NULL;
	int rc = DB_ERR;
	free(sql);
	for (int i = 0; st && i < n; i++) {
		const struct draw_pick *p = &r->picks[from + i];
		int64_t plan;
		if (plan_of(c, dp, p, &plan, e) != 0) {
			db_done(st);
			return -1;
		}
		db_bind_int(st, 5 * i + 1, dp->draw_id);
		db_bind_int(st, 5 * i + 2, p->target_id);
		db_bind_int(st, 5 * i + 3, p->inspector[0]);
		db_bind_int(st, 5 * i + 4, p->inspector[1]);
		if (plan)
			db_bind_int(st, 5 * i + 5, plan);
		else
			db_bind_null(st, 5 * i + 5);
	}
	if (st)
		rc = db_run(st);
	db_done(st);
	return rc == DB_DONE ? 0 : fz_store(e, c->d);
}

static int store_picks(struct rec_ctx *c, const struct draw_plan *dp, const char *day, const struct draw_result *r,
		       struct fz_err *e)
{
	db *d = c->d;
	db_stmt *st;
	for (int i = 0; i < r->n; i += PICKS_BATCH) {
		int n = r->n - i < PICKS_BATCH ? r->n - i : PICKS_BATCH;
		/* the last short batch row by row: one statement text per size, not one per draw */
		for (int j = 0; j < (n == PICKS_BATCH ? 1 : n); j++)
			if (insert_picks(c, dp, r, i + j, n == PICKS_BATCH ? n : 1, e) != 0)
				return -1;
	}
	st = db_prepare(d, "UPDATE draws SET revealed_at = $1, run_day = $2, population = $3 WHERE id = $4 AND revealed_at IS NULL");
	db_bind_int(st, 1, (int64_t)time(NULL));
	db_bind_text(st, 2, day);
	db_bind_int(st, 3, r->population);
	db_bind_int(st, 4, dp->draw_id);
	int rc = db_run(st);
	int64_t changed = db_changes(st);
	db_done(st);
	if (rc != DB_DONE)
		return fz_store(e, d);
	return changed == 1 ? 0 : fz_fail(e, 409, "draw_already_run", NULL, "该抽查已经抽取，不能重复抽取");
}

/* The plans' part of a stored draw (matter 0: none). */
static int plan_part(int64_t id, const struct loaded *l, struct draw_plan *dp, struct fz_err *e)
{
	memset(dp, 0, sizeof *dp);
	dp->draw_id = id;
	dp->body_id = l->body_id;
	dp->matter = json_integer_value(json_object_get(l->spec, "matter"));
	dp->from = json_string_value(json_object_get(l->spec, "window_from"));
	dp->to = json_string_value(json_object_get(l->spec, "window_to"));
	if (!dp->matter)
		return 0;
	return planner ? 0 : fz_fail(e, 409, "draw_no_planner", "matter", "没有登记簿接收抽查结果生成的检查计划");
}

int draw_execute(struct rec_ctx *c, int64_t id, const char *day, int *n, struct fz_err *e)
{
	struct loaded l;
	struct draw_result r = { 0 };
	struct draw_plan dp;
	db *d = c->d;
	if (load(d, id, &l, e) != 0)
		return -1;
	int rc = -1;
	if (l.revealed)
		fz_fail(e, 409, "draw_already_run", NULL, "该抽查已经抽取，不能重复抽取");
	else if (plan_part(id, &l, &dp, e) == 0 && compute(d, &l, day, &r, e) == 0) {
		int own = !db_in_tx(d); /* the demo and the API run one inside their own */
		if (own && db_begin(d) != 0)
			fz_store(e, d);
		else if (store_picks(c, &dp, day, &r, e) != 0) {
			if (own)
				db_rollback(d);
		} else if (own && db_commit(d) != 0)
			fz_store(e, d);
		else {
			*n = r.n;
			rc = 0;
		}
	}
	draw_result_free(&r);
	json_decref(l.spec);
	return rc;
}

/* Compares the stored picks with r, in subject order. */
static int compare(db *d, int64_t id, const struct draw_result *r, int *same, char *why, size_t n, struct fz_err *e)
{
	db_stmt *st = db_prepare(d, "SELECT subject_id, inspector1, inspector2 FROM draw_picks WHERE draw_id = $1 ORDER BY subject_id");
	int i = 0, rc;
	*same = 1;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW && *same) {
		int64_t s = db_col_int(st, 0), a = db_col_int(st, 1), b = db_col_int(st, 2);
		if (i >= r->n || r->picks[i].target_id != s) {
			*same = 0;
			snprintf(why, n, "记录中的第 %d 家企业（编号 %lld）与重新抽取的结果不同", i + 1, (long long)s);
		} else if (r->picks[i].inspector[0] != a || r->picks[i].inspector[1] != b) {
			*same = 0;
			snprintf(why, n, "企业（编号 %lld）记录的执法检查人员与重新抽取的结果不同", (long long)s);
		}
		i++;
	}
	db_done(st);
	if (rc != DB_DONE && rc != DB_ROW)
		return fz_store(e, d);
	if (*same && i != r->n) {
		*same = 0;
		snprintf(why, n, "记录 %d 家企业，重新抽取 %d 家", i, r->n);
	}
	return 0;
}

int draw_verify(db *d, int64_t id, int *same, char *why, size_t n, struct fz_err *e)
{
	struct loaded l;
	struct draw_result r = { 0 };
	char h[65];
	if (load(d, id, &l, e) != 0)
		return -1;
	int rc = 0;
	*same = 1;
	if (!l.revealed)
		snprintf(why, n, "尚未抽取，种子未公开");
	else if (draw_seed_hash(l.seed, h) != 0 || strcmp(h, l.hash) != 0) {
		*same = 0;
		snprintf(why, n, "公开的种子与事先公布的种子哈希不符");
	} else if (compute(d, &l, l.day, &r, e) != 0) {
		*same = 0;
		snprintf(why, n, "重新抽取失败：%s", e->msg);
	} else if ((rc = compare(d, id, &r, same, why, n, e)) == 0 && *same)
		snprintf(why, n, "重新抽取 %d 家企业及其执法检查人员，与记录一致", r.n);
	draw_result_free(&r);
	json_decref(l.spec);
	return rc;
}
