/*
 * demo.c — the demo city's rectification items (整改台账) of a year: from
 * the five usual sources, started, some extended or returned, most closed
 * on time; this year a few stall past their deadline (the red rows a 督办
 * board shows).
 */
#include <string.h>

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
	{ "复议意见书", "被纠错的行政处罚决定自由裁量不当，需完善裁量基准" },
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

int rectification_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	for (int i = 0; i < ITEMS_PER_YEAR; i++)
		if (item(d, r, year, e) != 0)
			return -1;
	return 0;
}
