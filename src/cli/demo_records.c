/*
 * demo_records.c — two years of the demo city's registers, by every
 * register's own demo generator (src/domain/<register>/), then an
 * evaluator's manual scores and the decomposed tasks (see demo_records.h).
 * Deterministic for a seed.
 */
#include "demo_records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "domain.h"
#include "demo_data.h"
#include "demo_draws.h"
#include "demo_reviews.h"
#include "domain/demo.h"
#include "due.h"
#include "eval.h"
#include "record.h"
#include "register.h"

static struct demo_ctx demo;

static int pick(int n) { return demo_pick(&demo, n); }
static int chance(int percent) { return demo_chance(&demo, percent); }

/* Up to DEMO_MAX_BODIES codes of a query's first column. */
static int load_codes(db *d, const char *sql, char (*out)[48])
{
	db_stmt *st = db_prepare(d, sql);
	int n = 0;
	while (st && db_step(st) == DB_ROW && n < DEMO_MAX_BODIES)
		snprintf(out[n++], sizeof out[0], "%s", db_col_text(st, 0));
	db_done(st);
	return n;
}

static void load_bodies(db *d, struct demo_ctx *x)
{
	x->nbodies = load_codes(d, "SELECT code FROM bodies WHERE kind IN ('department', 'township') ORDER BY id", x->bodies);
	x->ntop = load_codes(d, "SELECT b.code FROM bodies b JOIN regions g ON g.code = b.region_code"
				" WHERE (b.kind = 'department' AND g.level = (SELECT MIN(level) FROM regions))"
				" OR (b.kind = 'government' AND g.level = (SELECT MIN(level) FROM regions) + 1) ORDER BY b.id",
			     x->top);
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
			db_bind_int(st, 8, (int64_t)time(NULL) - 86400 * (1 + pick(30))); /* scored in the last month */
			int rc = db_run(st);
			db_done(st);
			if (rc != DB_DONE)
				return fz_store(e, d);
		}
	return 0;
}

/* Level-2 indicators decomposed to city departments for this year. */
static int assignments(db *d, const struct indicator_system *s, const char *today, struct fz_err *e)
{
	int late_shown = 0;
	for (int i = 0; i < s->n; i++) {
		if (s->items[i].level != 2 || s->items[i].kind != INDICATOR_GROUP)
			continue;
		for (int role = 0; role < 2; role++) {
			char due[DATE_STR];
			struct date t;
			date_parse(today, &t);
			date_format(date_from_days(date_to_days(t) - 40 + pick(160)), due);
			int progress = pick(101), done = progress == 100 || chance(30);
			if (!late_shown && role == 0) { /* the office always has an overdue task to 督办 */
				date_format(date_from_days(date_to_days(t) - 10), due);
				progress = 40, done = 0, late_shown = 1;
			}
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
			db_bind_text(st, 8, demo.bodies[pick(demo.nbodies < 16 ? demo.nbodies : 16)]);
			int rc = db_run(st);
			db_done(st);
			if (rc != DB_DONE)
				return fz_store(e, d);
		}
	}
	return 0;
}

/* The demo clerk's task due within the 工作台's "due soon" (3 working days). */
static int desk_task(db *d, const struct indicator_system *s, const char *today, struct fz_err *e)
{
	char due[DATE_STR];
	due_soon_until(today, 3, due);
	db_stmt *st = db_prepare(d, "INSERT INTO assignments(system_id, indicator_id, body_id, region_path, role, due_date,"
				    " progress, note, content, requirements, created_at, updated_at)"
				    " SELECT $1, '4.17.1', id, region_path, 'lead', $2, 60, '已完成全员执法证件核查',"
				    " '组织本系统执法人员执法资格清理，持证率达到 95% 以上',"
				    " '每月 5 日前报送进展，附执法人员名册' , 0, 0 FROM bodies WHERE code = $3"
				    " ON CONFLICT DO NOTHING");
	db_bind_text(st, 1, s->id);
	db_bind_text(st, 2, due);
	db_bind_text(st, 3, demo_body_code("department"));
	return db_run_done(st) == DB_DONE ? 0 : fz_store(e, d);
}

static const struct {
	const char *course, *organizer;
	int hours;
} courses[] = {
	{ "行政处罚法专题培训", "市司法局", 16 },       { "行政执法规范化建设培训", "市司法局", 16 },
	{ "执法证件年度轮训（公共法律知识）", "市司法局", 12 }, { "专业法律知识培训", "本机关", 12 },
	{ "执法全过程记录与文书制作实务", "本机关", 8 },  { "网络在线学法", "浙江省执法人员在线学习平台", 4 },
};

/* Each officer's courses of `year` up to today: most attend all of them
 * (68 学时, above the yearly minimum of 60); about one in ten misses the
 * first one or two and falls short (indicator 4.17.2). */
static int training(db *d, int year, const char *today, struct fz_err *e)
{
	const int ncourses = (int)(sizeof courses / sizeof courses[0]);
	int64_t *ids = NULL, n = 0, cap = 0;
	db_stmt *st = db_prepare(d, "SELECT id FROM people WHERE cert_no IS NOT NULL ORDER BY id");
	while (st && db_step(st) == DB_ROW) {
		if (n == cap) {
			int64_t *grown = realloc(ids, (size_t)(cap = cap ? 2 * cap : 512) * sizeof *ids);
			if (!grown)
				return db_done(st), free(ids), fz_fail(e, 500, "no_memory", NULL, "内存不足");
			ids = grown;
		}
		ids[n++] = db_col_int(st, 0);
	}
	db_done(st);
	int rc = st ? 0 : -1;
	for (int64_t k = 0; rc == 0 && k < n; k++) {
		int missed = chance(10) ? 1 + pick(2) : 0;
		for (int i = missed; rc == 0 && i < ncourses; i++) {
			char day[DATE_STR];
			date_format((struct date){ .year = year, .month = 2 + i + pick(2), .day = 10 + pick(15) }, day);
			if (strcmp(day, today) > 0)
				continue;
			st = db_prepare(d, "INSERT INTO officer_training(person_id, day, hours, course, organizer, recorded_at)"
					   " VALUES ($1, $2, $3, $4, $5, $6)");
			if (st) {
				db_bind_int(st, 1, ids[k]), db_bind_text(st, 2, day), db_bind_int(st, 3, courses[i].hours);
				db_bind_text(st, 4, courses[i].course), db_bind_text(st, 5, courses[i].organizer);
				db_bind_int(st, 6, (int64_t)time(NULL));
			}
			rc = st && db_run(st) == DB_DONE ? 0 : -1;
			db_done(st);
		}
	}
	free(ids);
	return rc == 0 ? 0 : fz_store(e, d);
}

int demo_records(db *d, uint64_t seed, const char *today, long cases, struct attach_store *files, long *count,
		 struct fz_err *e)
{
	struct date t;
	if (date_parse(today, &t) != 0)
		return fz_invalid(e, "today", "日期无效: %s", today);
	memset(&demo, 0, sizeof demo);
	demo.rng = seed * 2654435761u + 1;
	demo.today = today;
	demo.cases = cases;
	demo.files = files;
	demo.desk = demo_body_code("department");
	demo.squad = demo_body_code("officer");
	load_bodies(d, &demo);
	if (demo.nbodies == 0)
		return fz_invalid(e, "body", "没有可承办的机关");
	rec_ctx_init(&demo.c, d, NULL, NULL);
	if (files)
		attach_store_bulk(files, 1);
	/* The enterprises' credit grades first: registers read them (报备). */
	if (demo_grades(d, e) != 0)
		return -1;
	/* Every register with a demo generator (src/domain/<register>/). */
	for (int year = t.year - 1; year <= t.year; year++)
		for (int i = 0; i < domain_count(); i++) {
			const struct domain_ops *o = domain_at(i);
			if (o->demo && o->demo(&demo, register_find(o->name), year, e) != 0)
				return -1;
		}
	if (files)
		attach_store_bulk(files, 0);
	*count = demo.count;
	for (int year = t.year - 1; year <= t.year; year++)
		if (training(d, year, today, e) != 0)
			return -1;
	if (demo_case_review(d, demo_city_code(), t.year - 1, today, e) != 0)
		return -1;
	if (demo_draw(d, demo_city_code(), today, e) != 0)
		return -1;
	struct indicator_system *s = eval_system(d, NULL, e);
	if (!s)
		return -1;
	int rc = manual_scores(d, s, t.year - 1, e);
	if (rc == 0)
		rc = assignments(d, s, today, e);
	if (rc == 0)
		rc = desk_task(d, s, today, e);
	indicator_system_free(s);
	return rc;
}
