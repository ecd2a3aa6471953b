/*
 * demo.c — the demo city's rectification items (整改台账) of a year: from
 * the five usual sources, started, some extended or returned, most closed
 * on time; this year a few stall past their deadline (the red rows a 督办
 * board shows).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"

#include "domain/demo.h"
#include "domain/rectification/rectification.h"

#define ITEMS_PER_YEAR 160

/* Problems as each source finds them (a case-file review finds case-file
 * faults, a 复议意见书 the act it corrected …). */
static const struct {
	const char *source, *issue;
} problems[] = {
	{ "指标短板", "会前学法记录不完整" },
	{ "指标短板", "权责清单未随法律修订调整" },
	{ "指标短板", "行政应诉负责人出庭率未达目标" },
	{ "法治督察", "行政处罚决定未在7个工作日内公示" },
	{ "法治督察", "涉企行政检查未备案" },
	{ "法治督察", "部分执法人员执法证过期仍在执法" },
	{ "案卷评查", "执法案卷文书制作不规范" },
	{ "案卷评查", "重大执法决定法制审核记录缺失" },
	{ "复议意见书、建议书", "被纠错的行政处罚决定自由裁量不当，需完善裁量基准" },
	{ "人大监督", "规范性文件未按期报送备案" },
};
#define NPROBLEMS ((int)(sizeof problems / sizeof problems[0]))

/* The handling body's last steps: apply for 销号 (again after a return)
 * and the coordinator's 销号. */
static int finish(struct demo_ctx *d, const struct reg_def *r, int64_t id, char day[DATE_STR], struct fz_err *e)
{
	if (demo_chance(d, 10) && (demo_day_after(d, day, 3, day) != 0 ||
				   demo_step(d, r, id, "return", day, json_pack("{s:s}", "return_reason",
										 "印证材料不完整，请补充"), e) != 0))
		return e->code ? -1 : 0;
	if (demo_day_after(d, day, 2 + demo_pick(d, 4), day) != 0)
		return 0;
	struct record rec;
	if (record_load(&d->c, r, id, &rec, e) != 0)
		return -1;
	int requested = strcmp(r->states[rec.state].name, "requested") == 0;
	record_free(&rec);
	if (!requested && demo_step(d, r, id, "request_close", day, NULL, e) != 0)
		return -1;
	return demo_step(d, r, id, "close", day, NULL, e);
}

static int item(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	char start[DATE_STR], deadline[DATE_STR], day[DATE_STR];
	date_format((struct date){ year, 1 + demo_pick(d, 12), 1 + demo_pick(d, 28) }, start);
	if (demo_day_after(d, start, 0, day) != 0)
		return 0;
	int span = 30 + demo_pick(d, 90);
	struct date s;
	date_parse(start, &s);
	date_format(date_from_days(date_to_days(s) + span), deadline);
	int p = demo_pick(d, NPROBLEMS);
	json_t *data = json_pack("{s:s, s:s, s:s}", "source", problems[p].source, "issue", problems[p].issue,
				 "deadline", deadline);
	int64_t id;
	int rc = demo_create(d, r, NULL, start, data, &id, e);
	json_decref(data);
	if (rc != 0)
		return -1;
	int late = demo_chance(d, 12);
	if (demo_day_after(d, start, 5 + demo_pick(d, 10), day) != 0 || demo_step(d, r, id, "start", day, NULL, e) != 0)
		return e->code ? -1 : 0;
	if (strncmp(start, d->today, 4) == 0 && demo_chance(d, 8))
		return 0; /* stalls */
	int done = late ? span + 5 + demo_pick(d, 40) : span / 2 + demo_pick(d, span / 2);
	if (demo_day_after(d, start, done, day) != 0 ||
	    demo_step(d, r, id, "request_close", day, json_pack("{s:s, s:s}", "measures", "已制定整改方案并逐项落实",
								  "result", "整改完成，印证材料已上传"), e) != 0)
		return e->code ? -1 : 0;
	return finish(d, r, id, day, e);
}

/* One of the clerk's items: found on start, due after span days. */
static int desk_item(struct demo_ctx *d, const struct reg_def *r, int p, const char *start, int span, int64_t *id,
		     struct fz_err *e)
{
	char deadline[DATE_STR];
	struct date s;
	date_parse(start, &s);
	date_format(date_from_days(date_to_days(s) + span), deadline);
	json_t *data = json_pack("{s:s, s:s, s:s}", "source", problems[p].source, "issue", problems[p].issue,
				 "deadline", deadline);
	int rc = demo_create(d, r, d->desk, start, data, id, e);
	json_decref(data);
	return rc;
}

/* The demo account of role, as an audit actor: 1, or 0 when none. */
static int account(struct demo_ctx *d, const char *role, struct audit_actor *a)
{
	int64_t id = 0;
	int rc = db_lookup_int(d->c.d, "SELECT id FROM users WHERE role = $1 ORDER BY id LIMIT 1", &id, 1, role);
	*a = (struct audit_actor){ .id = id, .name = role, .ip = "" };
	return rc == DB_ROW;
}

/* The office's 督办单 on the clerk's overdue item, as POST /urges makes it:
 * the urges row and the audit entry the notification pass tells. */
static int desk_urge(struct demo_ctx *d, const struct reg_def *r, int64_t id, const struct audit_actor *office,
		     struct fz_err *e)
{
	static const char msg[] = "该事项已逾期，请于本周内整改到位并申请销号。";
	char sid[24];
	db_stmt *st = db_prepare(d->c.d, "INSERT INTO urges(kind, entity, entity_id, body_id, region_path, message, reply_by,"
					 " day, issued_by, issued_at) SELECT 'supervise', $1, id, body_id, region_path, $2, NULL,"
					 " $3, $4, $5 FROM records WHERE id = $6");
	db_bind_text(st, 1, r->name);
	db_bind_text(st, 2, msg);
	db_bind_text(st, 3, d->today);
	db_bind_int(st, 4, office->id);
	db_bind_int(st, 5, (int64_t)time(NULL));
	db_bind_int(st, 6, id);
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	if (db_run_done(st) != DB_DONE ||
	    audit_append(d->c.d, office, "urge", r->name, sid, "ok", json_pack("{s:s, s:s}", "kind", "supervise", "message", msg)))
		return fz_store(e, d->c.d);
	return 0;
}

/* Steps of the clerk's items, audited as the account that takes them (so
 * the timeline, the 待办's 被退回 and the notifications see them). */
static int as(struct demo_ctx *d, const struct audit_actor *who, const struct reg_def *r, int64_t id, const char *t,
	      const char *day, json_t *patch, struct fz_err *e)
{
	d->c.actor = who;
	int rc = demo_step(d, r, id, t, day, patch, e);
	d->c.actor = NULL;
	return rc;
}

/* The clerk's desk today: two new items to start, one returned with the
 * office's reason, one past its deadline with the office's 督办单. All
 * assigned by the office (交办). */
static int desk(struct demo_ctx *d, const struct reg_def *r, struct fz_err *e)
{
	char day[DATE_STR], start[DATE_STR];
	struct audit_actor office, clerk;
	int64_t a, b, back, late;
	if (!d->desk || !account(d, "coordinator", &office) || !account(d, "department", &clerk) ||
	    demo_day_after(d, d->today, -20, start) != 0 || demo_day_after(d, start, 12, day) != 0)
		return 0;
	d->c.actor = &office;
	int rc = desk_item(d, r, 1, d->today, 30, &a, e) || desk_item(d, r, 4, d->today, 45, &b, e) ||
		 desk_item(d, r, 7, start, 40, &back, e) || desk_item(d, r, 3, start, 15, &late, e);
	d->c.actor = NULL;
	if (rc || as(d, &clerk, r, back, "start", start, NULL, e) ||
	    as(d, &clerk, r, back, "request_close", day,
	       json_pack("{s:s, s:s}", "measures", "已补做法制审核记录", "result", "整改完成"), e) ||
	    as(d, &office, r, back, "return", day,
	       json_pack("{s:s}", "return_reason", "缺少法制审核意见书原件扫描件，请补充后再申请销号"), e) ||
	    as(d, &clerk, r, late, "start", start, NULL, e))
		return -1;
	return desk_urge(d, r, late, &office, e);
}

int rectification_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	for (int i = 0; i < ITEMS_PER_YEAR; i++)
		if (item(d, r, year, e) != 0)
			return -1;
	return atoi(d->today) == year ? desk(d, r, e) : 0; /* this year's only */
}
