/* case_review.c — 案卷评查 campaigns in the store: the draw, the
 * reviewers' rotation, the re-draw that verifies a sample, the results
 * per body and the one scope rule (case_review.h). */
#include "case_review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "review_draw.h"
#include "roles.h"
#include "scope.h"

void case_review_scope(struct query *q, const struct user *u, int cases)
{
	query_raw(q, " AND ((1 = 1");
	scope_filter(q, u, "v.region_path", NULL);
	if (u->nbodies > 0 || !role_can(u->role, PERM_EVAL_RUN))
		query_raw(q, " AND 1 = 0"); /* not the office: only what is assigned to the user */
	if (cases)
		query_add(q, ") OR c.reviewer_id = ?)", "i", u->id);
	else
		query_raw(q, "))");
}

/* A closed case that may be drawn. */
struct cand {
	int64_t id, body;
	char path[160];
};

struct sample {
	struct cand *c; /* the drawn cases, by body then id */
	int n;
};

/* The closed cases of r in year within path, by body then id: *out
 * (malloc'd) and their number, or -1 on a store error. */
static int candidates(db *d, const struct reg_def *r, int year, const char *path, struct cand **out)
{
	struct query q;
	char from[16], to[16];
	int n = 0, cap = 0, rc;
	*out = NULL;
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	query_init(&q, "SELECT id, body_id, region_path FROM records WHERE 1 = 1");
	query_add(&q, " AND register = ? AND closed_date >= ? AND closed_date <= ? AND state IN (", "sss", r->name, from, to);
	for (int s = 0, first = 1; s < r->nstates; s++)
		if (r->review.states & (1u << s)) {
			query_add(&q, first ? "?" : ", ?", "s", r->states[s].name);
			first = 0;
		}
	query_raw(&q, ")");
	scope_subtree(&q, "region_path", path);
	query_raw(&q, " ORDER BY body_id, id");
	db_stmt *st = query_prepare(d, &q);
	while (st && (rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct cand *c = cap < 1000000 ? realloc(*out, (size_t)(cap ? cap * 2 : 256) * sizeof *c) : NULL;
			if (!c) {
				rc = DB_ERR;
				break;
			}
			*out = c;
			cap = cap ? cap * 2 : 256;
		}
		(*out)[n].id = db_col_int(st, 0);
		(*out)[n].body = db_col_int(st, 1);
		snprintf((*out)[n].path, sizeof (*out)[n].path, "%s", db_col_text(st, 2));
		n++;
	}
	db_done(st);
	query_free(&q);
	if (!st || rc != DB_DONE) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return n;
}

/* Draws the sample of each body among the candidates (review_draw.h). */
static int draw(struct cand *c, int n, const char *seed, int per_body, int percent, struct sample *s)
{
	s->n = 0;
	s->c = malloc((size_t)(n ? n : 1) * sizeof *s->c);
	int64_t *ids = malloc((size_t)(n ? n : 1) * sizeof *ids);
	if (!s->c || !ids) {
		free(ids);
		return -1;
	}
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && c[j].body == c[i].body)
			j++;
		for (int k = i; k < j; k++)
			ids[k - i] = c[k].id;
		int k = review_draw(seed, c[i].body, ids, j - i, review_sample_size(j - i, per_body, percent));
		for (int x = 0; x < k; x++)
			for (int y = i; y < j; y++)
				if (c[y].id == ids[x])
					s->c[s->n++] = c[y];
		i = j;
	}
	free(ids);
	return 0;
}

struct reviewer {
	int64_t id;
	int64_t bodies[16];
	int nb; /* more bodies than that: bound to many, never drawn */
};

/* The users who may review in the region of path (one user when uid):
 * active, role holding the scoring permission, scope covering or within
 * the region; by id. Their number, or -1 on a store error. */
static int reviewers(db *d, const char *path, int64_t uid, struct reviewer *out, int max)
{
	struct query q;
	int n = 0, rc;
	query_init(&q, "SELECT u.id, u.role FROM users u LEFT JOIN regions g ON g.code = u.scope_region"
		       " WHERE u.disabled = 0 AND (u.scope_region IS NULL OR (1 = 1");
	scope_subtree(&q, "g.path", path);
	query_raw(&q, ") OR (1 = 1");
	scope_covering(&q, "g.path", path);
	query_raw(&q, "))");
	if (uid)
		query_add(&q, " AND u.id = ?", "i", uid);
	query_raw(&q, " ORDER BY u.id");
	db_stmt *st = query_prepare(d, &q);
	while (st && (rc = db_step(st)) == DB_ROW)
		if (n < max && role_can(db_col_text(st, 1), PERM_EVAL_SCORE))
			out[n++].id = db_col_int(st, 0);
	db_done(st);
	query_free(&q);
	if (!st || rc != DB_DONE)
		return -1;
	for (int i = 0; i < n; i++) {
		db_stmt *b = db_prepare(d, "SELECT body_id FROM user_bodies WHERE user_id = $1 ORDER BY body_id");
		out[i].nb = 0;
		db_bind_int(b, 1, out[i].id);
		while ((rc = db_step(b)) == DB_ROW)
			if (out[i].nb < (int)(sizeof out[i].bodies / sizeof out[i].bodies[0]))
				out[i].bodies[out[i].nb++] = db_col_int(b, 0);
			else
				out[i].nb = -1;
		db_done(b);
		if (rc != DB_DONE)
			return -1;
	}
	return n;
}

static int bound_to(const struct reviewer *r, int64_t body)
{
	if (r->nb < 0)
		return 1;
	for (int i = 0; i < r->nb; i++)
		if (r->bodies[i] == body)
			return 1;
	return 0;
}

int case_review_may_review(db *d, int64_t uid, int64_t body_id, const char *region_path, int *same_body,
			   char *why, size_t n)
{
	struct reviewer r;
	*same_body = 0;
	int found = reviewers(d, region_path, uid, &r, 1);
	if (found < 0)
		return -1;
	if (found == 0) {
		snprintf(why, n, "用户 %lld 不能担任本次评查的评查人员（应为启用的、具有人工评分权限且管辖范围与评查区域相符的用户）",
			 (long long)uid);
		return 0;
	}
	if (bound_to(&r, body_id)) {
		*same_body = 1;
		snprintf(why, n, "评查人员属于被评查案卷的执法单位，不能评查本单位的案卷（交叉评查）");
		return 0;
	}
	return 1;
}

json_t *case_review_reviewers(db *d, const char *region_path)
{
	struct reviewer *rv = malloc(CASE_REVIEW_MAX_REVIEWERS * sizeof *rv);
	int m = rv ? reviewers(d, region_path, 0, rv, CASE_REVIEW_MAX_REVIEWERS) : -1;
	json_t *out = m >= 0 ? json_array() : NULL;
	for (int i = 0; i < m; i++) {
		json_t *bodies = json_array();
		char *name = NULL;
		char sid[24];
		snprintf(sid, sizeof sid, "%lld", (long long)rv[i].id);
		for (int k = 0; k < rv[i].nb; k++)
			json_array_append_new(bodies, json_integer(rv[i].bodies[k]));
		if (db_lookup_text(d, "SELECT COALESCE(NULLIF(display_name, ''), username) FROM users"
				      " WHERE id = CAST($1 AS INTEGER)", &name, 1, sid) != DB_ROW) {
			json_decref(bodies);
			json_decref(out);
			out = NULL;
			break;
		}
		json_array_append_new(out, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)rv[i].id, "name", name, "bodies", bodies));
		free(name);
	}
	free(rv);
	return out;
}

/* The campaign's rows: each drawn case with the next reviewer of the
 * rotation not bound to its body (none when every one is). */
static int insert_sample(db *d, int64_t id, const struct sample *s, const struct reviewer *rv, int m, int start)
{
	int pos = start;
	for (int i = 0; i < s->n; i++) {
		int64_t who = 0;
		for (int t = 0; t < m && !who; t++)
			if (!bound_to(&rv[(pos + t) % m], s->c[i].body)) {
				who = rv[(pos + t) % m].id;
				pos = (pos + t + 1) % m;
			}
		db_stmt *st = db_prepare(d, "INSERT INTO case_review_cases(review_id, record_id, body_id, region_path,"
					    " reviewer_id) VALUES ($1, $2, $3, $4, $5)");
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, s->c[i].id);
		db_bind_int(st, 3, s->c[i].body);
		db_bind_text(st, 4, s->c[i].path);
		if (who)
			db_bind_int(st, 5, who);
		else
			db_bind_null(st, 5);
		if (db_run_done(st) != DB_DONE)
			return -1;
	}
	return 0;
}

int case_review_create(db *d, const struct reg_def *r, const char *rubric_id, const char *rubric_version,
		       struct case_review_new *in, int64_t *id, struct fz_err *e)
{
	struct cand *c = NULL;
	struct sample s = { 0 };
	struct reviewer *rv = malloc(CASE_REVIEW_MAX_REVIEWERS * sizeof *rv);
	int rc = -1, m = 0;
	if (!in->seed[0])
		review_seed_new(in->seed);
	int n = rv ? candidates(d, r, in->year, in->region_path, &c) : -1;
	if (n < 0 || draw(c, n, in->seed, in->per_body, in->percent, &s) != 0 ||
	    (m = reviewers(d, in->region_path, 0, rv, CASE_REVIEW_MAX_REVIEWERS)) < 0) {
		fz_store(e, d);
		goto out;
	}
	if (s.n == 0) {
		fz_fail(e, 422, "review_no_cases", "year", "%d 年度该区域没有可抽查的已结案%s", in->year, r->label);
		goto out;
	}
	if (s.n > CASE_REVIEW_MAX_CASES) {
		fz_fail(e, 422, "review_too_many", "per_body", "抽查案卷 %d 件，超过一次评查的上限 %d 件，请减少每单位抽查数量或比例",
			s.n, CASE_REVIEW_MAX_CASES);
		goto out;
	}
	db_stmt *st = db_prepare(d, "INSERT INTO case_reviews(region_code, region_path, register, year, per_body, percent,"
				    " seed, rubric_id, rubric_version, title, state, created_by, created_at)"
				    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11, $12) RETURNING id");
	db_bind_text(st, 1, in->region_code);
	db_bind_text(st, 2, in->region_path);
	db_bind_text(st, 3, r->name);
	db_bind_int(st, 4, in->year);
	db_bind_int(st, 5, in->per_body);
	db_bind_int(st, 6, in->percent);
	db_bind_text(st, 7, in->seed);
	db_bind_text(st, 8, rubric_id);
	db_bind_text(st, 9, rubric_version);
	db_bind_text(st, 10, in->title);
	if (in->created_by)
		db_bind_int(st, 11, in->created_by);
	else
		db_bind_null(st, 11);
	db_bind_int(st, 12, (int64_t)time(NULL));
	int step = db_step(st);
	*id = step == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (step != DB_ROW || insert_sample(d, *id, &s, rv, m, review_rotation(in->seed, m)) != 0) {
		fz_store(e, d);
		goto out;
	}
	rc = 0;
out:
	free(c);
	free(s.c);
	free(rv);
	return rc;
}

static int by_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int has(const int64_t *v, int n, int64_t id)
{
	return bsearch(&id, v, (size_t)n, sizeof *v, by_id) != NULL;
}

/* The recorded sample of campaign id, sorted: their number, -1 on error. */
static int recorded(db *d, int64_t id, int64_t **out)
{
	db_stmt *st = db_prepare(d, "SELECT record_id FROM case_review_cases WHERE review_id = $1 ORDER BY record_id");
	int n = 0, rc;
	*out = malloc(CASE_REVIEW_MAX_CASES * sizeof **out);
	db_bind_int(st, 1, id);
	while (*out && (rc = db_step(st)) == DB_ROW && n < CASE_REVIEW_MAX_CASES)
		(*out)[n++] = db_col_int(st, 0);
	db_done(st);
	return *out && rc == DB_DONE ? n : -1;
}

int case_review_verify(db *d, int64_t id, json_t **out, struct fz_err *e)
{
	db_stmt *st = db_prepare(d, "SELECT register, year, region_path, per_body, percent, seed FROM case_reviews"
				    " WHERE id = $1");
	char reg[64] = "", path[160] = "", seed[80] = "";
	int year = 0, per_body = 0, percent = 0, rc;
	db_bind_int(st, 1, id);
	if ((rc = db_step(st)) == DB_ROW) {
		snprintf(reg, sizeof reg, "%s", db_col_text(st, 0));
		year = (int)db_col_int(st, 1);
		snprintf(path, sizeof path, "%s", db_col_text(st, 2));
		per_body = (int)db_col_int(st, 3);
		percent = (int)db_col_int(st, 4);
		snprintf(seed, sizeof seed, "%s", db_col_text(st, 5));
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? fz_fail(e, 404, "not_found", NULL, "评查活动不存在") : fz_store(e, d);
	const struct reg_def *r = register_find(reg);
	if (!r || !r->review.on)
		return fz_fail(e, 409, "review_register_gone", NULL, "评查活动所抽查的登记簿 %s 已不再接受案卷评查", reg);
	struct cand *c = NULL;
	struct sample s = { 0 };
	int64_t *have = NULL, *drawn = NULL;
	int n = candidates(d, r, year, path, &c), nh = -1;
	if (n < 0 || draw(c, n, seed, per_body, percent, &s) != 0 || (nh = recorded(d, id, &have)) < 0 ||
	    !(drawn = malloc((size_t)(s.n ? s.n : 1) * sizeof *drawn))) {
		free(c);
		free(s.c);
		free(have);
		return fz_store(e, d);
	}
	for (int i = 0; i < s.n; i++)
		drawn[i] = s.c[i].id;
	qsort(drawn, (size_t)s.n, sizeof *drawn, by_id);
	json_t *missing = json_array(), *extra = json_array();
	for (int i = 0; i < nh; i++)
		if (!has(drawn, s.n, have[i]))
			json_array_append_new(missing, json_integer(have[i]));
	for (int i = 0; i < s.n; i++)
		if (!has(have, nh, drawn[i]))
			json_array_append_new(extra, json_integer(drawn[i]));
	*out = json_pack("{s:b, s:s, s:i, s:i, s:o, s:o}", "same", json_array_size(missing) == 0 &&
			 json_array_size(extra) == 0, "seed", seed, "drawn", s.n, "recorded", nh, "missing", missing,
			 "extra", extra);
	free(c);
	free(s.c);
	free(have);
	free(drawn);
	return 0;
}

json_t *case_review_results(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT b.code, b.name, COUNT(*),"
				    " SUM(CASE WHEN c.submitted_at IS NOT NULL THEN 1 ELSE 0 END),"
				    " SUM(CASE WHEN c.passed = 1 THEN 1 ELSE 0 END), SUM(COALESCE(c.total, 0)),"
				    " SUM(CASE WHEN c.remedy_id IS NOT NULL THEN 1 ELSE 0 END)"
				    " FROM case_review_cases c JOIN bodies b ON b.id = c.body_id WHERE c.review_id = $1"
				    " GROUP BY b.code, b.name ORDER BY b.code");
	json_t *out = json_array();
	int rc;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t reviewed = db_col_int(st, 3), sum = db_col_int(st, 5);
		json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:I, s:I, s:o, s:I}", "body", db_col_text(st, 0),
						     "body_name", db_col_text(st, 1), "sampled", (json_int_t)db_col_int(st, 2),
						     "reviewed", (json_int_t)reviewed, "passed", (json_int_t)db_col_int(st, 4),
						     "average", reviewed ? json_real((double)(sum * 10 / reviewed) / 10.0)
									 : json_null(),
						     "remedies", (json_int_t)db_col_int(st, 6)));
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(out);
		return NULL;
	}
	return out;
}
