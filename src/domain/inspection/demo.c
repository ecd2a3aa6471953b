/*
 * demo.c — a year of the demo city's 涉企行政检查: each 市场监督管理局 and
 * 综合行政执法局 with two certified officers lists one 行政检查 matter and
 * checks the enterprises of its region — mostly 双随机 抽查, some 专项,
 * 重点 and complaint-driven checks, about a third of them joint visits
 * with another body of the same region, offered, accepted and merged
 * through 综合查一次 (joint_demo.c); a check over the
 * cap or within the quiet period goes ahead with the approval of the
 * body's 负责人 half the time and is cancelled otherwise; most are rated,
 * a few complained of, a few end in a case.
 */
#include <stdio.h>
#include <string.h>

#include "domain/demo.h"
#include "domain/inspection/demo_int.h"

#include "query.h"
#include "scope.h"

#define INSPECTION_DEMO_CHECKS 16 /* per body and year, up to half again as many */

/* Up to max ids of the first column of st's rows (st finished); -1 on a
 * store error. */
int insp_demo_ids(db_stmt *st, int64_t *out, int max)
{
	int n = 0, rc = st ? DB_ROW : DB_ERR;
	while (st && n < max && (rc = db_step(st)) == DB_ROW)
		out[n++] = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ERR ? -1 : n;
}

int insp_demo_load(struct demo_ctx *d, struct squad *s, int year, struct fz_err *e)
{
	if ((s->ncerts = demo_certs(d, s->id, year, s->certs, MAX_CERTS, e)) < 0)
		return -1;
	struct query q;
	query_init(&q, "SELECT id FROM subjects s WHERE s.kind = 'enterprise'");
	scope_subtree(&q, "s.region_path", s->path);
	query_raw(&q, " ORDER BY id LIMIT 40");
	s->nfirms = insp_demo_ids(query_prepare(d->c.d, &q), s->firms, MAX_ENTERPRISES);
	query_free(&q);
	return s->nfirms >= 0 ? 0 : fz_store(e, d->c.d);
}

/* The body's 行政检查 matter: listed the first year, found the next. */
int insp_demo_matter(struct demo_ctx *d, const struct reg_def *r, struct squad *s, int year, struct fz_err *e)
{
	const struct reg_def *m = register_find(r->fields[register_field(r, "matter")].ref);
	char code[64], day[DATE_STR];
	db_stmt *st = db_prepare(d->c.d, "SELECT id FROM records WHERE register = $1 AND body_id = $2"
					 " AND data LIKE '%行政检查%' ORDER BY id");
	if (st)
		db_bind_text(st, 1, m->name), db_bind_int(st, 2, s->id);
	int n = insp_demo_ids(st, &s->matter, 1);
	if (n != 0)
		return n < 0 ? fz_store(e, d->c.d) : 0;
	snprintf(code, sizeof code, "%.40s-JC-001", s->code);
	snprintf(day, sizeof day, "%04d-01-02", year);
	json_t *data = json_pack("{s:s, s:s, s:s, s:s}", "code", code, "kind", "行政检查",
				 "name", "对企业生产经营活动遵守法律法规情况的监督检查",
				 "basis", "《优化营商环境条例》第五十四条；各有关法律、法规规定的监督检查职责");
	int rc = demo_create(d, m, s->code, day, data, &s->matter, e);
	json_decref(data);
	return rc;
}

static json_t *officers(struct demo_ctx *d, const struct squad *s)
{
	char text[80];
	int a = demo_pick(d, s->ncerts), b = (a + 1 + demo_pick(d, s->ncerts - 1)) % s->ncerts;
	snprintf(text, sizeof text, "%s、%s", s->certs[a], s->certs[b]);
	return json_string(text);
}

static const char *kind(struct demo_ctx *d)
{
	int x = demo_pick(d, 100);
	return x < 60 ? "随机抽查" : x < 75 ? "专项检查" : x < 85 ? "重点检查" : x < 95 ? "投诉举报" : "其他";
}

/* 报备: over the cap or in the quiet period, approved half the time,
 * cancelled otherwise. 1: not registered. */
int insp_demo_register(struct demo_ctx *d, const struct reg_def *r, const struct squad *s, int64_t id,
			const char *day, struct fz_err *e)
{
	if (demo_step(d, r, id, "register", day, json_pack("{s:o}", "officers", officers(d, s)), e) == 0)
		return 0;
	if (e->status != 409)
		return -1;
	memset(e, 0, sizeof *e); /* handled: the other generators read e->code as "refused" */
	if (demo_chance(d, 50))
		return demo_step(d, r, id, "register", day,
				 json_pack("{s:s}", "cap_approval", "经本机关负责人批准：专项整治需要再次检查"), e) == 0 ? 0 : -1;
	return demo_step(d, r, id, "cancel", day, json_pack("{s:s}", "cancel_reason", "超出检查频次上限，未获批准，取消检查"), e) == 0
		       ? 1 : -1;
}

/* A case of the body in year to stand behind 立案查处, or 0. */
static int64_t a_case(struct demo_ctx *d, const struct reg_def *r, const struct squad *s, int year)
{
	char from[DATE_STR];
	int64_t id = 0;
	snprintf(from, sizeof from, "%04d-01-01", year);
	db_stmt *st = db_prepare(d->c.d, "SELECT id FROM records WHERE register = $1 AND body_id = $2"
					 " AND start_date >= $3 ORDER BY id");
	if (st)
		db_bind_text(st, 1, r->fields[register_field(r, "case")].ref), db_bind_int(st, 2, s->id), db_bind_text(st, 3, from);
	return insp_demo_ids(st, &id, 1) == 1 ? id : 0;
}

/* After 入企 on from: the result, and days later the rating, a rare
 * complaint and 办结; b, a joint visit's other member (0: none), records
 * its own result and closes with it (the rating follows by itself). */
static int finish(struct demo_ctx *d, const struct reg_def *r, const struct squad *s, int64_t id, int64_t b,
		  const char *from, int year, struct fz_err *e)
{
	char day[DATE_STR];
	int x = demo_pick(d, 100);
	int64_t kase = x < 4 ? a_case(d, r, s, year) : 0;
	json_t *res = kase ? json_pack("{s:s, s:I}", "result", "立案查处", "case", (json_int_t)kase)
			   : json_pack("{s:s}", "result", x < 20 ? "责令改正" : "无问题");
	json_object_set_new(res, "result_text", json_string("现场检查，制作检查笔录"));
	if (demo_step(d, r, id, "record_result", from, res, e) != 0 ||
	    (b && demo_step(d, r, b, "record_result", from, json_pack("{s:s, s:s}", "result", "无问题", "result_text",
								       "联合检查，现场检查未发现问题"), e) != 0))
		return -1;
	if (demo_day_after(d, from, 3 + demo_pick(d, 10), day) != 0)
		return 0;
	if (demo_chance(d, 80) && demo_step(d, r, id, "rate", day, json_pack("{s:i}", "rating", 3 + demo_pick(d, 3)), e) != 0)
		return -1;
	if (demo_chance(d, 3) &&
	    demo_step(d, r, id, "complain", day, json_pack("{s:s}", "complaint", "检查时间过长，影响正常生产经营"), e) != 0)
		return -1;
	if (demo_step(d, r, id, "close", day, NULL, e) != 0)
		return -1;
	return b ? demo_step(d, r, b, "close", day, NULL, e) : 0;
}

/* One check of s; a fifth of them joint visits with partner (when s has
 * one). The random draws are those the demo made before joint visits
 * were merged, in the same order: the other generators see the same. */
static int one(struct demo_ctx *d, const struct reg_def *r, const struct squad *s, const struct squad *partner,
	       int year, struct fz_err *e)
{
	char from[DATE_STR], plan[DATE_STR];
	int64_t id, b = 0;
	snprintf(from, sizeof from, "%04d-01-10", year);
	if (demo_day_after(d, from, demo_pick(d, 345), from) != 0 || demo_day_after(d, from, -5, plan) != 0)
		return 0; /* not planned yet */
	json_t *data = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o}", "enterprise", (json_int_t)s->firms[demo_pick(d, s->nfirms)],
				 "matter", (json_int_t)s->matter, "inspection_kind", kind(d), "window_from", from,
				 "window_to", from, "joint", demo_chance(d, 20) ? "是" : "否", "officers", officers(d, s));
	int joint = partner && strcmp(insp_val(&(struct record){ .data = data }, "joint"), "是") == 0;
	json_object_set_new(data, "joint", json_string("否")); /* 是 once merged */
	int rc = demo_create(d, r, s->code, plan, data, &id, e);
	if (rc == 0 && joint)
		rc = joint_demo_pair(d, r, partner, id, json_integer_value(json_object_get(data, "enterprise")),
				     insp_val(&(struct record){ .data = data }, "inspection_kind"), from, plan, &b, e);
	json_decref(data);
	if (rc != 0 || (rc = insp_demo_register(d, r, s, id, plan, e)) != 0) {
		if (rc > 0 && b) /* the joint visit called off */
			rc = demo_step(d, r, b, "cancel", plan, json_pack("{s:s}", "cancel_reason", "联合检查的另一机关取消检查"), e);
		return rc < 0 ? -1 : 0;
	}
	if (demo_step(d, r, id, "check_in", from, json_pack("{s:o}", "officers", officers(d, s)), e) != 0)
		return -1;
	return finish(d, r, s, id, b, from, year, e);
}

/* Another body of s's region that inspects, or NULL. */
static const struct squad *partner_of(const struct squad *s, int n, int i)
{
	for (int k = 1; k < n; k++) {
		const struct squad *p = &s[(i + k) % n];
		if (strcmp(p->path, s[i].path) == 0 && p->matter)
			return p;
	}
	return NULL;
}

int inspection_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	db_stmt *st = db_prepare(d->c.d, "SELECT id, code, region_path FROM bodies"
					 " WHERE name LIKE '%市场监督管理局' OR name LIKE '%综合行政执法局' ORDER BY id");
	struct squad s[64];
	int n = 0;
	while (st && db_step(st) == DB_ROW && n < 64) {
		memset(&s[n], 0, sizeof s[n]);
		s[n].id = db_col_int(st, 0);
		snprintf(s[n].code, sizeof s[n].code, "%s", db_col_text(st, 1));
		snprintf(s[n].path, sizeof s[n].path, "%s", db_col_text(st, 2));
		n++;
	}
	db_done(st);
	if (!st)
		return fz_store(e, d->c.d);
	for (int i = 0; i < n; i++) {
		if (insp_demo_load(d, &s[i], year, e) != 0)
			return -1;
		if (s[i].ncerts >= 2 && s[i].nfirms > 0 && insp_demo_matter(d, r, &s[i], year, e) != 0)
			return -1;
	}
	for (int i = 0; i < n; i++) {
		if (!s[i].matter)
			continue;
		int checks = INSPECTION_DEMO_CHECKS + demo_pick(d, INSPECTION_DEMO_CHECKS / 2 + 1);
		for (int k = 0; k < checks; k++)
			if (one(d, r, &s[i], partner_of(s, n, i), year, e) != 0)
				return -1;
	}
	return joint_demo_open(d, r, s, n, year, e);
}
