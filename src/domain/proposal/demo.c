/*
 * demo.c — the demo city's deputies' suggestions and members' proposals
 * of a year: assigned in the spring after the 两会, accepted, replied
 * (a few late), the view of the deputy or member recorded and closed.
 */
#include <stdio.h>

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

static int item(struct demo_ctx *d, const struct reg_def *r, int year, int i, struct fz_err *e)
{
	char start[DATE_STR], day[DATE_STR], title[160], number[32], who[32];
	int npc = demo_chance(d, 55);
	date_format((struct date){ year, 2 + demo_pick(d, 3), 1 + demo_pick(d, 28) }, start);
	if (demo_day_after(d, start, 0, day) != 0)
		return 0;
	snprintf(title, sizeof title, "关于%s的%s", topics[demo_pick(d, 20)], npc ? "建议" : "提案");
	snprintf(number, sizeof number, "%d-%s-%03d", year, npc ? "R" : "Z", i + 1);
	int s = demo_pick(d, 20);
	snprintf(who, sizeof who, "%.3s%s", surnames + 3 * s, npc ? "代表" : "委员");
	json_t *data = json_pack("{s:s, s:s, s:s, s:s}", "kind", npc ? "人大代表建议" : "政协提案", "number", number,
				 "title", title, "proposer", who);
	int64_t id;
	int rc = demo_create(d, r, start, data, &id, e);
	json_decref(data);
	if (rc != 0)
		return -1;
	int late = demo_chance(d, 4);
	if (demo_day_after(d, start, 3 + demo_pick(d, 10), day) != 0 || demo_step(d, r, id, "accept", day, NULL, e) != 0)
		return e->code ? -1 : 0;
	if (demo_day_after(d, start, late ? 95 + demo_pick(d, 30) : 30 + demo_pick(d, 55), day) != 0 ||
	    demo_step(d, r, id, "reply", day, json_pack("{s:s}", "reply", "已按建议研究落实，具体措施见答复函。"), e) != 0)
		return e->code ? -1 : 0;
	int sat = demo_pick(d, 100);
	if (demo_day_after(d, day, 2 + demo_pick(d, 5), day) != 0 ||
	    demo_step(d, r, id, "close", day,
		      json_pack("{s:s, s:s, s:s}", "satisfaction", sat < 84 ? "满意" : sat < 97 ? "基本满意" : "不满意",
				"satisfaction_source", satisfaction_sources[sat % 3], "satisfaction_date", day),
		      e) != 0)
		return e->code ? -1 : 0;
	return 0;
}

int proposal_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	for (int i = 0; i < PER_YEAR; i++)
		if (item(d, r, year, i, e) != 0)
			return -1;
	return 0;
}
