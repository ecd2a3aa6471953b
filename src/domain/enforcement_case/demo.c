/*
 * demo.c — a year of the demo city's 行政处罚案件: each 市场监督管理局 and
 * 综合行政执法局 whose officers hold valid certificates lists its
 * enforcement matters (执法事项清单, once) and handles cases against the
 * enterprises and persons of its region (so does the demo officer's
 * 执法队) — a few 不予立案, on-the-spot
 * decisions under the simple procedure, ordinary cases through 告知,
 * 陈述申辩 or 听证 and 法制审核 where 第五十八条 asks, 首违不罚, a few
 * revoked; a few percent decided after the limit or delivered late.
 */
#include <stdio.h>
#include <string.h>

#include "domain/demo.h"
#include "domain/enforcement_case/enforcement_case.h"

#include "discretion_store.h"
#include "query.h"
#include "scope.h"

/* cases per body and year (up to half again as many): a few thousand in
 * the default demo's two years */
#define ENFORCEMENT_DEMO_CASES 50
#define MAX_CERTS 6
#define MAX_PARTIES 200
#define MAX_MATTERS 4

struct matter_def {
	const char *name, *basis, *violation;
	const char *code; /* the violation's code in the shipped 裁量基准 */
};

/* LAW: the articles named are those of the statutes in the matters' text
 * and of the shipped benchmark (data/benchmarks/) for the code. */
static const struct matter_def market[] = {
	{ "对生产经营超过保质期的食品的行政处罚", "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
	  "经营超过保质期的预包装食品", "SP-124-05" },
	{ "对生产经营标签不符合规定的食品的行政处罚", "《中华人民共和国食品安全法》第一百二十五条第一款第（二）项",
	  "经营标签不符合规定的预包装食品", "SP-125-02" },
	{ "对发布虚假广告的行政处罚", "《中华人民共和国广告法》第五十五条", "在网络平台发布虚假广告", "GG-55" },
	{ "对销售不符合保障人体健康和人身、财产安全的国家标准的产品的行政处罚", "《中华人民共和国产品质量法》第四十九条",
	  "销售不符合强制性国家标准的电器产品", "CZ-49" },
};
static const struct matter_def urban[] = {
	{ "对未取得建设工程规划许可证进行建设的行政处罚", "《中华人民共和国城乡规划法》第六十四条", "未取得建设工程规划许可证搭建建筑物",
	  "GH-64" },
	{ "对擅自在街道两侧和公共场地堆放物料、搭建设施的行政处罚", "《城市市容和环境卫生管理条例》第三十六条第（二）项",
	  "未经批准在街道两侧堆放物料、搭建临时设施", "SR-36-02" },
	{ "对未经批准张挂、张贴宣传品的行政处罚", "《城市市容和环境卫生管理条例》第三十四条第（二）项",
	  "未经批准在建筑物、设施上张贴宣传品", "SR-34-02" },
	{ "对运输散装货物造成泄漏、遗撒的行政处罚", "《城市市容和环境卫生管理条例》第三十四条第（六）项",
	  "运输散装货物未密封覆盖造成泄漏、遗撒", "SR-34-06" },
};

/* A body that handles cases: its officers and the parties of its region. */
struct unit {
	char code[48], path[128];
	int64_t id;
	int urban;
	char certs[MAX_CERTS][32];
	int ncerts;
	int64_t parties[MAX_PARTIES];
	int person[MAX_PARTIES];
	int nparties;
	int64_t matters[MAX_MATTERS];
	const struct discretion_benchmark *bm; /* the shipped 裁量基准 */
	int64_t uploader;                      /* the demo officer account */
};

/* The two officers of an act. */
static json_t *officers(struct demo_ctx *d, const struct unit *u)
{
	char text[80];
	int a = demo_pick(d, u->ncerts), b = (a + 1 + demo_pick(d, u->ncerts - 1)) % u->ncerts;
	snprintf(text, sizeof text, "%s、%s", u->certs[a], u->certs[b]);
	return json_string(text);
}

/* The officers of body whose certificates are active and valid all year. */
static int load_certs(struct demo_ctx *d, struct unit *u, int year, struct fz_err *e)
{
	u->ncerts = demo_certs(d, u->id, year, u->certs, MAX_CERTS, e);
	return u->ncerts < 0 ? -1 : 0;
}

static int load_parties(struct demo_ctx *d, struct unit *u, struct fz_err *e)
{
	struct query q;
	char limit[48];
	query_init(&q, "SELECT id, kind FROM subjects s WHERE 1 = 1");
	scope_subtree(&q, "s.region_path", u->path);
	snprintf(limit, sizeof limit, " ORDER BY id LIMIT %d", MAX_PARTIES);
	query_raw(&q, limit);
	db_stmt *st = query_prepare(d->c.d, &q);
	while (st && db_step(st) == DB_ROW && u->nparties < MAX_PARTIES) {
		u->person[u->nparties] = strcmp(db_col_text(st, 1), "person") == 0;
		u->parties[u->nparties++] = db_col_int(st, 0);
	}
	db_done(st);
	query_free(&q);
	return st ? 0 : fz_store(e, d->c.d);
}

/* The body's listed matters, in the register the case's "matter" field
 * links: made the first year, found the next. */
static int load_matters(struct demo_ctx *d, const struct reg_def *r, struct unit *u, int year, struct fz_err *e)
{
	const struct reg_def *m = register_find(r->fields[register_field(r, "matter")].ref);
	const struct matter_def *defs = u->urban ? urban : market;
	db_stmt *st = db_prepare(d->c.d, "SELECT id FROM records WHERE register = $1 AND body_id = $2 ORDER BY id");
	int n = 0;
	if (st)
		db_bind_text(st, 1, m->name), db_bind_int(st, 2, u->id);
	while (st && db_step(st) == DB_ROW && n < MAX_MATTERS)
		u->matters[n++] = db_col_int(st, 0);
	db_done(st);
	if (!st)
		return fz_store(e, d->c.d);
	for (; n < MAX_MATTERS; n++) {
		char code[64], day[DATE_STR];
		snprintf(code, sizeof code, "%s-CF-%03d", u->code, n + 1);
		snprintf(day, sizeof day, "%04d-01-02", year);
		json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", code, "name", defs[n].name, "kind", "行政处罚",
					 "basis", defs[n].basis, "sector", u->urban ? "城市管理" : "市场监管");
		int rc = demo_create(d, m, u->code, day, data, &u->matters[n], e);
		json_decref(data);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Takes t on day start + after (moved on to day); 1 when that is after
 * today (the case stops there), -1 on error. */
static int step(struct demo_ctx *d, const struct reg_def *r, const struct unit *u, int64_t id, const char *t,
		char day[DATE_STR], int after, json_t *patch, struct fz_err *e)
{
	if (demo_day_after(d, day, after, day) != 0)
		return json_decref(patch), 1;
	if (!patch)
		patch = json_object();
	json_object_set_new(patch, "officers", officers(d, u));
	if (ec_demo_proof(d, id, t, day, u->uploader, e) != 0)
		return json_decref(patch), -1;
	return demo_step(d, r, id, t, day, patch, e) == 0 ? 0 : -1;
}

/* A decision the benchmark grounds: a circumstance of violation v (not
 * 不予处罚) and an amount in its range (multiples of a base of 1 to 20
 * 万元), a few in a hundred above it with the written reason; cap > 0:
 * only 警告 or fines from cap down (简易程序). NULL when none fits. */
static json_t *benchmarked(struct demo_ctx *d, const struct discretion_violation *v, int64_t cap)
{
	int fit[DISCRETION_MAX_CIRC], n = 0;
	for (int i = 0; v && i < v->ncirc; i++) {
		const struct discretion_range *g = &v->circ[i].range;
		if (v->circ[i].category != DISCRETION_NONE &&
		    (cap <= 0 || g->kind == RANGE_NO_FINE || (g->kind == RANGE_FIXED && g->lo <= cap)))
			fit[n++] = i;
	}
	if (!n)
		return NULL;
	const struct discretion_circumstance *c = &v->circ[fit[demo_pick(d, n)]];
	int64_t base = c->range.kind == RANGE_MULTIPLE ? (int64_t)(1 + demo_pick(d, 20)) * 1000000 : -1, lo, hi;
	char cat[32];
	discretion_range_fen(&c->range, base, &lo, &hi);
	if (cap > 0 && hi > cap)
		hi = cap;
	int64_t fen = (lo + (hi - lo) / 20 * demo_pick(d, 21)) / 100 * 100;
	fen = fen < lo ? lo : fen > 0 ? fen : hi;
	snprintf(cat, sizeof cat, "%s处罚", discretion_category_label(c->category));
	json_t *p = json_pack("{s:s, s:s, s:s, s:s}", "decision_category", cat, "benchmark_code", v->code,
			      "benchmark_circumstance", c->code, "penalty_kind", c->range.kind == RANGE_NO_FINE ? "警告" : "罚款");
	if (base >= 0)
		json_object_set_new(p, "benchmark_base_fen", json_integer(base));
	if (c->range.kind != RANGE_NO_FINE && cap <= 0 && demo_chance(d, 3)) {
		fen = hi + hi / 10;
		json_object_set_new(p, "benchmark_reason",
				    json_string("当事人在调查期间转移、隐匿涉案物品，经集体讨论决定在裁量幅度以上处罚"));
	}
	if (c->range.kind != RANGE_NO_FINE)
		json_object_set_new(p, "amount_fen", json_integer(fen));
	return p;
}

/* Whether the benchmark lists v for no penalty (不予处罚、首违不罚). */
static int spares(const struct discretion_violation *v)
{
	for (int i = 0; v && i < v->ncirc; i++)
		if (v->circ[i].category == DISCRETION_NONE)
			return 1;
	for (int i = 0; v && i < v->nlenient; i++)
		if (v->lenient[i].kind == LENIENT_NO_PENALTY || v->lenient[i].kind == LENIENT_FIRST)
			return 1;
	return 0;
}

/* The proposed decision of an ordinary case: by the benchmark, but for a
 * few heavy penalties (吊销、停产停业) decided outside it. */
static json_t *proposed(struct demo_ctx *d, const struct discretion_violation *v, int lenient)
{
	json_t *p;
	if (lenient) {
		p = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s}", "penalty_kind", "不予处罚", "decision_category",
			      "不予处罚", "amount_fen", 0, "first_violation", "是", "minor", "是", "corrected", "是", "no_harm",
			      "是", "lenient_reason", "初次违法、危害后果轻微并已及时改正，依法不予处罚并进行教育");
		if (spares(v))
			json_object_set_new(p, "benchmark_code", json_string(v->code));
		return p;
	}
	int x = demo_pick(d, 100);
	if (x < 2 || !(p = benchmarked(d, v, 0)))
		return json_pack("{s:s, s:s, s:s}", "penalty_kind", x == 0 ? "吊销许可证件" : "责令停产停业", "decision_category",
				 "从重处罚", "hearing_right_told", "是");
	/* the right to a hearing told whether or not 第六十三条 requires it */
	json_object_set_new(p, "hearing_right_told", json_string("是"));
	return p;
}

/* After 告知: 陈述申辩 or a hearing (第六十四条), the review where
 * 第五十八条 asks, the decision. */
static int decide(struct demo_ctx *d, const struct reg_def *r, const struct unit *u, int64_t id, const char *start,
		  char day[DATE_STR], const struct record *told, int late, struct fz_err *e)
{
	int rc, hearing = record_is(told, "hearing_required", "是") && demo_chance(d, 30);
	json_t *hear = json_pack("{s:s}", "statement", hearing ? "当事人要求听证，听证意见经复核部分采纳" : "当事人陈述申辩，未提出新的事实和理由");
	if (hearing) {
		char ask[DATE_STR], notice[DATE_STR], held[DATE_STR];
		if (demo_day_after(d, day, 2, ask) != 0 || demo_day_after(d, ask, 3, notice) != 0 ||
		    demo_day_after(d, notice, 21, held) != 0)
			return json_decref(hear), 1;
		json_object_set_new(hear, "hearing_requested", json_string("是"));
		json_object_set_new(hear, "hearing_request_date", json_string(ask));
		json_object_set_new(hear, "hearing_notice_date", json_string(notice));
		json_object_set_new(hear, "hearing_date", json_string(held));
		snprintf(day, DATE_STR, "%s", held);
	}
	if ((rc = step(d, r, u, id, "hear", day, 1 + demo_pick(d, 8), hear, e)) != 0)
		return rc;
	struct record now;
	if (record_load(&d->c, r, id, &now, e) != 0)
		return -1;
	int review = ec_review_required(&d->c, r, &now);
	record_free(&now);
	if (review && (rc = step(d, r, u, id, "review", day, 2 + demo_pick(d, 5),
				 json_pack("{s:s}", "review_opinion", "主体合法，事实清楚，证据确凿，程序合法，适用依据正确，裁量适当，同意"),
				 e)) != 0)
		return rc;
	struct date s, t;
	date_parse(start, &s), date_parse(day, &t);
	int left = 88 - (date_to_days(t) - date_to_days(s)), after = late ? left + 3 + demo_pick(d, 20)
									    : 1 + demo_pick(d, left > 8 ? 8 : left > 1 ? left : 1);
	char no[64];
	snprintf(no, sizeof no, "%s罚决字〔%.4s〕%lld号", u->urban ? "综执" : "市监", start, (long long)id);
	return step(d, r, u, id, "decide", day, after < 1 ? 1 : after, json_pack("{s:s}", "decision_no", no), e);
}

/* From the decision to 结案: delivered (a few late), executed, closed. */
static int finish(struct demo_ctx *d, const struct reg_def *r, const struct unit *u, int64_t id, char day[DATE_STR],
		  int fine, struct fz_err *e)
{
	int rc = step(d, r, u, id, "deliver", day, demo_chance(d, 3) ? 12 + demo_pick(d, 6) : demo_pick(d, 5), NULL, e);
	if (rc == 0 && fine)
		rc = step(d, r, u, id, "execute", day, 3 + demo_pick(d, 25), json_pack("{s:s}", "execution", "当事人已按期缴纳罚没款"), e);
	return rc ? rc : step(d, r, u, id, "close", day, 1 + demo_pick(d, 10), NULL, e);
}

static int one_case(struct demo_ctx *d, const struct reg_def *r, const struct unit *u, int year, struct fz_err *e)
{
	char start[DATE_STR], violated[DATE_STR], day[DATE_STR];
	int k = demo_pick(d, u->nparties), person = u->person[k], m = demo_pick(d, MAX_MATTERS);
	const struct matter_def *md = &(u->urban ? urban : market)[m];
	const struct discretion_violation *v = discretion_find(u->bm, md->code);
	/* on the spot (第五十一条) where the benchmark has 警告 or a fine within the cap */
	json_t *spot = demo_chance(d, 15) ? benchmarked(d, v, person ? 20000 : 300000) : NULL;
	int simple = spot != NULL, lenient = !simple && demo_chance(d, 6), rc;
	date_format(date_from_days(date_to_days((struct date){ year, 1, 1 }) + demo_pick(d, 365)), start);
	if (demo_day_after(d, start, 0, day) != 0)
		return json_decref(spot), 0;
	demo_day_after(d, start, -demo_pick(d, demo_chance(d, 80) ? 30 : 300), violated);
	json_t *data = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "party", (json_int_t)u->parties[k], "matter",
				 (json_int_t)u->matters[m], "procedure", simple ? "简易程序" : "普通程序", "violation", md->violation,
				 "violation_date", violated, "officers", "");
	json_object_set_new(data, "officers", officers(d, u)); /* replaces the placeholder */
	if (!simple && demo_chance(d, 8))
		json_object_set_new(data, "review_complex", json_string("是"));
	int64_t id;
	rc = demo_create(d, r, u->code, start, data, &id, e);
	json_decref(data);
	if (rc != 0)
		return json_decref(spot), -1;
	if (demo_chance(d, 4))
		return json_decref(spot), step(d, r, u, id, "decline", day, 1 + demo_pick(d, 4),
						json_pack("{s:s}", "decline_reason", "经核查，违法事实不能成立"), e) < 0 ? -1 : 0;
	if ((rc = step(d, r, u, id, "file", day, demo_pick(d, 4), NULL, e)) != 0)
		return json_decref(spot), rc < 0 ? -1 : 0;
	if (simple) {
		int fine = json_object_get(spot, "amount_fen") != NULL;
		json_object_set_new(spot, "decision_no", json_string("当场处罚决定书"));
		rc = step(d, r, u, id, "decide", day, 0, spot, e);
		return rc ? (rc < 0 ? -1 : 0) : finish(d, r, u, id, day, fine, e) < 0 ? -1 : 0;
	}
	int late = demo_chance(d, 3);
	if ((rc = step(d, r, u, id, "investigate", day, 10 + demo_pick(d, 30), NULL, e)) != 0)
		return rc < 0 ? -1 : 0;
	if (demo_chance(d, 2))
		return step(d, r, u, id, "revoke", day, 2, json_pack("{s:s}", "revoke_reason", "违法事实不清，经负责人批准撤销立案"),
			    e) < 0 ? -1 : 0;
	if ((rc = step(d, r, u, id, "notify", day, 3 + demo_pick(d, 8), proposed(d, v, lenient), e)) != 0)
		return rc < 0 ? -1 : 0;
	struct record told;
	if (record_load(&d->c, r, id, &told, e) != 0)
		return -1;
	const char *kind = record_text(&told, "penalty_kind");
	int fine = kind && (strcmp(kind, "罚款") == 0 || strncmp(kind, "没收", 6) == 0);
	rc = decide(d, r, u, id, start, day, &told, late, e);
	record_free(&told);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	return finish(d, r, u, id, day, fine, e) < 0 ? -1 : 0;
}

int enforcement_case_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	struct unit u;
	db_stmt *st = db_prepare(d->c.d, "SELECT id, code, region_path, name FROM bodies"
					 " WHERE name LIKE '%市场监督管理局' OR name LIKE '%综合行政执法局' OR code = $1 ORDER BY id");
	if (st)
		db_bind_text(st, 1, d->squad ? d->squad : "");
	int64_t ids[DEMO_MAX_BODIES];
	char codes[DEMO_MAX_BODIES][48], paths[DEMO_MAX_BODIES][128];
	int is_urban[DEMO_MAX_BODIES], n = 0;
	while (st && db_step(st) == DB_ROW && n < DEMO_MAX_BODIES) {
		ids[n] = db_col_int(st, 0);
		snprintf(codes[n], sizeof codes[0], "%s", db_col_text(st, 1));
		snprintf(paths[n], sizeof paths[0], "%s", db_col_text(st, 2));
		is_urban[n++] = strstr(db_col_text(st, 3), "综合行政执法") != NULL;
	}
	db_done(st);
	if (!st)
		return fz_store(e, d->c.d);
	int64_t uploader = 0;
	if (db_lookup_int(d->c.d, "SELECT id FROM users WHERE username = 'officer'", &uploader, 0) < 0)
		return fz_store(e, d->c.d);
	struct discretion_benchmark *bm = discretion_for_violation(d->c.d, market[0].code, NULL, e);
	if (!bm)
		return -1;
	/* --cases: the year's cases shared among the bodies (about 22 in the demo) */
	int per_body = d->cases > 0 ? (int)(d->cases / (n ? n : 1) * 4 / 5) : ENFORCEMENT_DEMO_CASES;
	int i;
	for (i = 0; i < n; i++) {
		memset(&u, 0, sizeof u);
		u.id = ids[i], u.urban = is_urban[i];
		snprintf(u.code, sizeof u.code, "%s", codes[i]);
		snprintf(u.path, sizeof u.path, "%s", paths[i]);
		u.bm = bm, u.uploader = uploader;
		if (load_certs(d, &u, year, e) != 0 || load_parties(d, &u, e) != 0)
			break;
		if (u.ncerts < 2 || u.nparties == 0)
			continue;
		if (load_matters(d, r, &u, year, e) != 0)
			break;
		int cases = per_body + demo_pick(d, per_body / 2 + 1), c = 0;
		while (c < cases && one_case(d, r, &u, year, e) == 0)
			c++;
		if (c < cases)
			break;
	}
	discretion_free(bm);
	return i < n ? -1 : 0;
}
