/*
 * demo_records.c — the demo city's proposals and rectification items over
 * two years (see demo_records.h). Deterministic for a seed.
 */
#include "demo_records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "eval.h"
#include "record.h"
#include "register.h"

static uint64_t rng;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

static int pick(int n) { return (int)(next() % (uint32_t)n); }
static int chance(int percent) { return pick(100) < percent; }

static const char *const topics[] = {
	"优化营商环境", "规范涉企行政检查", "加强农村饮用水安全", "推进老旧小区改造", "完善社区养老服务",
	"加强校园周边交通安全", "治理城市内涝", "规范电动自行车停放充电", "推进垃圾分类", "保护历史文化街区",
	"提升政务服务便利度", "加强食品安全监管", "规范物业服务", "推进乡村振兴", "加强河道生态保护",
	"完善公共法律服务体系", "规范行政执法裁量", "加强未成年人保护", "提升基层医疗服务", "推动数字政府建设",
};
static const char *const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高";

struct bodies {
	char codes[256][48];
	int n;
};

static void load_bodies(db *d, struct bodies *b)
{
	db_stmt *st = db_prepare(d, "SELECT code FROM bodies WHERE kind IN ('department', 'township') ORDER BY id");
	b->n = 0;
	while (st && db_step(st) == DB_ROW && b->n < 256)
		snprintf(b->codes[b->n++], sizeof b->codes[0], "%s", db_col_text(st, 0));
	db_done(st);
}

/* YYYY-MM-DD of start + days, clamped to today (no step in the future). */
static int day_after(const char *start, int days, const char *today, char out[DATE_STR])
{
	struct date s, t;
	date_parse(start, &s);
	date_parse(today, &t);
	int v = date_to_days(s) + days;
	if (v > date_to_days(t))
		return -1;
	date_format(date_from_days(v), out);
	return 0;
}

static int step(struct rec_ctx *c, const struct reg_def *r, int64_t id, const char *t, const char *day,
		json_t *patch, struct fz_err *e)
{
	snprintf(c->today, sizeof c->today, "%s", day);
	int rc = record_transition(c, r, id, t, patch, e);
	json_decref(patch);
	return rc;
}

/* How the office heard the deputy's or member's view (proposal.json). */
static const char *const satisfaction_sources[] = { "代表委员当面", "电话", "书面" };

static int proposal(struct rec_ctx *c, const struct bodies *b, int year, int i, const char *today, struct fz_err *e)
{
	const struct reg_def *r = register_find("proposal");
	char start[DATE_STR], day[DATE_STR], title[160], number[32], who[32];
	int npc = chance(55);
	date_format((struct date){ year, 2 + pick(3), 1 + pick(28) }, start);
	if (day_after(start, 0, today, day) != 0)
		return 0;
	snprintf(title, sizeof title, "关于%s的%s", topics[pick(20)], npc ? "建议" : "提案");
	snprintf(number, sizeof number, "%d-%s-%03d", year, npc ? "R" : "Z", i + 1);
	int s = pick(20);
	snprintf(who, sizeof who, "%.3s%s", surnames + 3 * s, npc ? "代表" : "委员");
	json_t *data = json_pack("{s:s, s:s, s:s, s:s}", "kind", npc ? "人大代表建议" : "政协提案", "number", number,
				 "title", title, "proposer", who);
	int64_t id;
	snprintf(c->today, sizeof c->today, "%s", start);
	int rc = record_create(c, r, b->codes[pick(b->n)], start, data, &id, e);
	json_decref(data);
	if (rc != 0)
		return -1;
	int late = chance(4);
	if (day_after(start, 3 + pick(10), today, day) != 0 ||
	    step(c, r, id, "accept", day, NULL, e) != 0)
		return e->code ? -1 : 1;
	if (day_after(start, late ? 95 + pick(30) : 30 + pick(55), today, day) != 0 ||
	    step(c, r, id, "reply", day, json_pack("{s:s}", "reply", "已按建议研究落实，具体措施见答复函。"), e) != 0)
		return e->code ? -1 : 1;
	int sat = pick(100);
	if (day_after(day, 2 + pick(5), today, day) != 0 ||
	    step(c, r, id, "close", day,
		 json_pack("{s:s, s:s, s:s}", "satisfaction", sat < 84 ? "满意" : sat < 97 ? "基本满意" : "不满意",
			   "satisfaction_source", satisfaction_sources[sat % 3], "satisfaction_date", day),
		 e) != 0)
		return e->code ? -1 : 1;
	return 1;
}

static const char *const sources[] = { "指标短板", "法治督察", "案卷评查", "复议意见书", "人大监督" };
static const char *const issues[] = {
	"行政处罚决定未在7个工作日内公示", "执法案卷文书制作不规范", "重大执法决定法制审核记录缺失",
	"规范性文件未按期报备", "部分执法人员执法证过期仍在执法", "行政复议纠错案件未按期整改",
	"涉企行政检查未备案", "权责清单未随法律修订调整", "会前学法记录不完整", "行政应诉负责人未出庭",
};

static int rectification(struct rec_ctx *c, const struct bodies *b, int year, const char *today, struct fz_err *e)
{
	const struct reg_def *r = register_find("rectification");
	char start[DATE_STR], deadline[DATE_STR], day[DATE_STR];
	date_format((struct date){ year, 1 + pick(12), 1 + pick(28) }, start);
	if (day_after(start, 0, today, day) != 0)
		return 0;
	int span = 30 + pick(90);
	day_after(start, span, "9999-12-31", deadline);
	json_t *data = json_pack("{s:s, s:s, s:s}", "source", sources[pick(5)], "issue", issues[pick(10)], "deadline", deadline);
	int64_t id;
	snprintf(c->today, sizeof c->today, "%s", start);
	int rc = record_create(c, r, b->codes[pick(b->n)], start, data, &id, e);
	json_decref(data);
	if (rc != 0)
		return -1;
	int late = chance(12);
	if (day_after(start, 5 + pick(10), today, day) != 0 || step(c, r, id, "start", day, NULL, e) != 0)
		return e->code ? -1 : 1;
	/* This year, some items stall once started: past their deadline they
	 * are the overdue ones a 督办 board shows in red, whatever today is. */
	if (strncmp(start, today, 4) == 0 && chance(8))
		return 1;
	int done = late ? span + 5 + pick(40) : span / 2 + pick(span / 2);
	if (day_after(start, done, today, day) != 0 ||
	    step(c, r, id, "request_close", day, json_pack("{s:s, s:s}", "measures", "已制定整改方案并逐项落实",
							     "result", "整改完成，印证材料已上传"), e) != 0)
		return e->code ? -1 : 1;
	if (chance(10) && (day_after(day, 3, today, day) != 0 ||
			   step(c, r, id, "return", day, json_pack("{s:s}", "return_reason", "印证材料不完整，请补充"), e) != 0))
		return e->code ? -1 : 1;
	if (day_after(day, 2 + pick(4), today, day) == 0 && r->states[0].name) {
		struct record rec;
		if (record_load(c, r, id, &rec, e) == 0) {
			int requested = strcmp(r->states[rec.state].name, "requested") == 0;
			record_free(&rec);
			if (!requested && step(c, r, id, "request_close", day, NULL, e) != 0)
				return -1;
		}
		if (step(c, r, id, "close", day, NULL, e) != 0)
			return -1;
	}
	return 1;
}

static const char *const comments[] = {
	"印证材料齐全，制度健全并有效执行", "工作机制已建立，部分材料不够完整", "已制定方案，落实情况需加强跟踪",
	"资料规范、成效明显", "有工作部署，缺少量化成效材料",
};

/* An evaluator's scores for most manual items of last year, per region. */
static int manual_scores(db *d, const struct indicator_system *s, int year, struct fz_err *e)
{
	int64_t evaluator = 0;
	if (db_lookup_int(d, "SELECT id FROM users WHERE role = 'evaluator' ORDER BY id LIMIT 1", &evaluator, 0) < 0)
		return fz_store(e, d);
	db_stmt *regions = db_prepare(d, "SELECT code FROM regions WHERE level <= 3 ORDER BY code");
	char codes[32][16], period[16];
	int nr = 0;
	while (regions && db_step(regions) == DB_ROW && nr < 32)
		snprintf(codes[nr++], sizeof codes[0], "%s", db_col_text(regions, 0));
	db_done(regions);
	snprintf(period, sizeof period, "%d", year);
	for (int r = 0; evaluator && r < nr; r++)
		for (int i = 0; i < s->n; i++) {
			if (s->items[i].kind != INDICATOR_MANUAL || !chance(88))
				continue;
			double w = s->items[i].weight, pts = w * (60 + pick(41)) / 100.0;
			db_stmt *st = db_prepare(d, "INSERT INTO manual_scores(system_id, indicator_id, region_code, period, score,"
						  " comment, evaluator_id, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)");
			if (!st)
				return fz_store(e, d);
			db_bind_text(st, 1, s->id);
			db_bind_text(st, 2, s->items[i].id);
			db_bind_text(st, 3, codes[r]);
			db_bind_text(st, 4, period);
			db_bind_int(st, 5, (int64_t)(pts * 2 + 0.5) * 50); /* to 0.5 points, ×100 */
			db_bind_text(st, 6, comments[pick(5)]);
			db_bind_int(st, 7, evaluator);
			db_bind_int(st, 8, 0);
			int rc = db_run(st);
			db_done(st);
			if (rc != DB_DONE)
				return fz_store(e, d);
		}
	return 0;
}

/* Level-2 indicators decomposed to city departments for this year. */
static int assignments(db *d, const struct indicator_system *s, const struct bodies *b, const char *today,
		       struct fz_err *e)
{
	for (int i = 0; i < s->n; i++) {
		if (s->items[i].level != 2 || s->items[i].kind != INDICATOR_GROUP)
			continue;
		for (int role = 0; role < 2; role++) {
			char due[DATE_STR];
			struct date t;
			date_parse(today, &t);
			date_format(date_from_days(date_to_days(t) - 40 + pick(160)), due);
			int progress = pick(101), done = progress == 100 || chance(30);
			db_stmt *st = db_prepare(d, "INSERT INTO assignments(system_id, indicator_id, body_id, region_path, role,"
						  " due_date, progress, note, done_date, created_at, updated_at)"
						  " SELECT $1, $2, id, region_path, $3, $4, $5, $6, $7, 0, 0 FROM bodies WHERE code = $8"
						  " ON CONFLICT DO NOTHING");
			if (!st)
				return fz_store(e, d);
			db_bind_text(st, 1, s->id);
			db_bind_text(st, 2, s->items[i].id);
			db_bind_text(st, 3, role ? "cooperate" : "lead");
			db_bind_text(st, 4, due);
			db_bind_int(st, 5, done ? 100 : progress);
			db_bind_text(st, 6, done ? "已完成，材料已归档" : "正在推进");
			db_bind_text(st, 7, done ? today : NULL);
			db_bind_text(st, 8, b->codes[pick(b->n < 16 ? b->n : 16)]);
			int rc = db_run(st);
			db_done(st);
			if (rc != DB_DONE)
				return fz_store(e, d);
		}
	}
	return 0;
}

int demo_records(db *d, uint64_t seed, const char *today, long *count, struct fz_err *e)
{
	struct bodies b;
	struct rec_ctx c;
	struct date t;
	if (date_parse(today, &t) != 0)
		return fz_invalid(e, "today", "日期无效: %s", today);
	rng = seed * 2654435761u + 1;
	load_bodies(d, &b);
	if (b.n == 0)
		return fz_invalid(e, "body", "没有可承办的机关");
	rec_ctx_init(&c, d, NULL, NULL);
	*count = 0;
	for (int year = t.year - 1; year <= t.year; year++) {
		for (int i = 0; i < 420; i++) {
			int rc = proposal(&c, &b, year, i, today, e);
			if (rc < 0)
				return -1;
			*count += rc;
		}
		for (int i = 0; i < 160; i++) {
			int rc = rectification(&c, &b, year, today, e);
			if (rc < 0)
				return -1;
			*count += rc;
		}
	}
	struct indicator_system *s = eval_system(d, NULL, e);
	if (!s)
		return -1;
	int rc = manual_scores(d, s, t.year - 1, e);
	if (rc == 0)
		rc = assignments(d, s, &b, today, e);
	indicator_system_free(s);
	return rc;
}
