/*
 * demo.c — the demo city's deputies' suggestions and members' proposals
 * of a year: assigned in the spring after the 两会; a few sent back to the
 * office as not the body's duty; accepted, discussed with the proposer,
 * replied with a result class (a few late, the broad ones within six
 * months); the view recorded; 不满意 handled again, 列入计划 followed up.
 */
#include <stdio.h>
#include <string.h>

#include "domain/demo.h"
#include "domain/proposal/proposal.h"

#define PER_YEAR 420

static const char *const topics[] = {
	"优化营商环境", "规范涉企行政检查", "加强农村饮用水安全", "推进老旧小区改造", "完善社区养老服务",
	"加强校园周边交通安全", "治理城市内涝", "规范电动自行车停放充电", "推进垃圾分类", "保护历史文化街区",
	"提升政务服务便利度", "加强食品安全监管", "规范物业服务", "推进乡村振兴", "加强河道生态保护",
	"完善公共法律服务体系", "规范行政执法裁量", "加强未成年人保护", "提升基层医疗服务", "推动数字政府建设",
};
static const char *const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高";
/* How the office heard the deputy's or member's view (proposal.json). */
static const char *const satisfaction_sources[] = { "代表委员当面", "电话", "书面" };

static const char *const results[] = { "已解决或基本解决", "列入计划逐步解决", "因条件限制或其他原因暂不能解决" };
static const char *const ways[] = { "走访", "座谈", "电话", "书面", "网络平台" };

/* The deputy's or member's view, heard by the assigning office. */
static json_t *view(struct demo_ctx *d, const char *day, int unhappy)
{
	int sat = demo_pick(d, 100);
	return json_pack("{s:s, s:s, s:s}", "satisfaction", unhappy ? "不满意" : sat < 86 ? "满意" : "基本满意",
			 "satisfaction_source", satisfaction_sources[sat % 3], "satisfaction_date", day);
}

/* The reply with its communication before it (代表法 第五十一条). */
static json_t *reply(struct demo_ctx *d, const char *start, const char *day, int cooperating, const char *result)
{
	char talk[DATE_STR];
	struct date s, r;
	date_parse(start, &s);
	date_parse(day, &r);
	int gap = date_to_days(r) - date_to_days(s);
	date_format(date_from_days(date_to_days(s) + (gap > 10 ? gap - 3 - demo_pick(d, 7) : gap)), talk);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "reply", "已按建议研究落实，具体措施见答复函。", "result", result,
			      "communication_method", ways[demo_pick(d, 5)], "communication_date", talk);
	if (cooperating)
		json_object_set_new(o, "cooperating_opinion", json_string("协办单位已书面提出办理意见，已吸收采纳。"));
	return o;
}

/* After the reply: the view, then 办结, 跟踪落实 or 重新办理 and a second reply. */
static int after_reply(struct demo_ctx *d, const struct reg_def *r, int64_t id, const char *start, char day[DATE_STR],
		       int cooperating, const char *result, struct fz_err *e)
{
	int planned = strcmp(result, results[1]) == 0;
	if (demo_day_after(d, day, 2 + demo_pick(d, 5), day) != 0)
		return 0;
	if (demo_chance(d, 3)) {
		if (demo_step(d, r, id, "rehandle", day, view(d, day, 1), e) != 0 ||
		    demo_day_after(d, day, 10 + demo_pick(d, 18), day) != 0 ||
		    demo_step(d, r, id, "re_reply", day, reply(d, start, day, cooperating, result), e) != 0 ||
		    demo_day_after(d, day, 2 + demo_pick(d, 5), day) != 0)
			return e->code ? -1 : 0;
	}
	if (demo_step(d, r, id, planned ? "track" : "close", day, view(d, day, 0), e) != 0)
		return -1;
	if (!planned || demo_day_after(d, day, 60 + demo_pick(d, 150), day) != 0)
		return 0;
	return demo_step(d, r, id, "finish", day, json_pack("{s:s}", "follow_up", "已纳入年度计划并完成，已再次书面答复代表。"), e);
}

static int item(struct demo_ctx *d, const struct reg_def *r, int year, int i, struct fz_err *e)
{
	char start[DATE_STR], day[DATE_STR], title[160], number[32], who[32];
	int npc = demo_chance(d, 55), broad = demo_chance(d, 8), cooperating = demo_chance(d, 20);
	date_format((struct date){ year, 2 + demo_pick(d, 3), 1 + demo_pick(d, 28) }, start);
	if (demo_day_after(d, start, 0, day) != 0)
		return 0;
	snprintf(title, sizeof title, "关于%s的%s", topics[demo_pick(d, 20)], npc ? "建议" : "提案");
	snprintf(number, sizeof number, "%d-%s-%03d", year, npc ? "R" : "Z", i + 1);
	int s = demo_pick(d, 20);
	snprintf(who, sizeof who, "%.3s%s", surnames + 3 * s, npc ? "代表" : "委员");
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", npc ? "人大代表建议" : "政协提案", "number", number,
				 "title", title, "proposer", who, "broad", broad ? "是" : "否");
	if (cooperating)
		json_object_set_new(data, "cooperating", json_string("市财政局、市发展和改革局"));
	int64_t id;
	int rc = demo_create(d, r, demo_top_body(d), start, data, &id, e); /* the city's deputies: city bodies */
	json_decref(data);
	if (rc != 0)
		return -1;
	if (demo_chance(d, 3)) /* not this body's duty: back to the office within the window */
		return demo_day_after(d, start, 2 + demo_pick(d, 7), day) != 0 ||
				       demo_step(d, r, id, "request_reassign", day,
						 json_pack("{s:s}", "reassign_reason", "所提事项不属于本单位职责"), e) != 0 ||
				       demo_day_after(d, day, 2, day) != 0 ||
				       demo_step(d, r, id, "approve_reassign", day,
						 json_pack("{s:s}", "reassign_reply", "同意，另行交办"), e) != 0
			       ? (e->code ? -1 : 0)
			       : 0;
	int late = demo_chance(d, 4), reply_after = broad ? 100 + demo_pick(d, 70) : late ? 95 + demo_pick(d, 30)
										      : 30 + demo_pick(d, 55);
	if (demo_day_after(d, start, 3 + demo_pick(d, 10), day) != 0 || demo_step(d, r, id, "accept", day, NULL, e) != 0)
		return e->code ? -1 : 0;
	const char *result = results[demo_pick(d, 100) < 70 ? 0 : demo_pick(d, 100) < 75 ? 1 : 2];
	if (demo_day_after(d, start, reply_after, day) != 0 ||
	    demo_step(d, r, id, "reply", day, reply(d, start, day, cooperating, result), e) != 0)
		return e->code ? -1 : 0;
	return after_reply(d, r, id, start, day, cooperating, result, e);
}

int proposal_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	for (int i = 0; i < PER_YEAR; i++)
		if (item(d, r, year, i, e) != 0)
			return -1;
	return 0;
}
