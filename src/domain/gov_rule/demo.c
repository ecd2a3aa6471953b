/*
 * demo.c — the demo city's 政府规章: a few a year by the city's people's
 * government, the draft out for comment for 30 days or more, reviewed,
 * decided at the executive meeting, published by order 30 days before
 * it is in force, and filed — one of them late. On its own sequence.
 */
#include <stdio.h>
#include <stdlib.h>

#include "domain/demo.h"
#include "domain/gov_rule/gov_rule.h"

#define PER_YEAR 3

static const char *const titles[] = { "城市市容和环境卫生管理规定", "住宅小区物业管理办法", "历史文化街区保护办法",
				      "公共数据管理办法", "城市绿化管理办法", "消防安全责任规定" };

static int one(struct demo_ctx *d, const struct reg_def *r, int year, int k, struct fz_err *e)
{
	char day[DATE_STR], from[DATE_STR], to[DATE_STR], eff[DATE_STR], order[48], *gov = NULL;
	int64_t id;
	snprintf(from, sizeof from, "%04d-02-01", year);
	if (demo_day_after(d, from, 60 * k + demo_pick(d, 40), day) != 0)
		return 0;
	if (db_lookup_text(d->c.d, "SELECT b.code FROM bodies b JOIN regions g ON g.code = b.region_code"
				   " WHERE b.kind = 'government' AND g.level <= 2 ORDER BY g.level, b.id LIMIT 1", &gov, 0) < 0)
		return fz_store(e, d->c.d);
	if (!gov)
		return 0;
	if (demo_day_after(d, day, 5, from) != 0 || demo_day_after(d, from, 30 + demo_pick(d, 10), to) != 0) {
		free(gov);
		return 0;
	}
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", titles[(k + year) % 6], "drafting_unit", "市司法局",
				 "summary", "规定适用范围、管理职责、行为规范和法律责任。", "consult_from", from, "consult_to", to);
	int rc = demo_create(d, r, gov, day, data, &id, e);
	json_decref(data);
	free(gov);
	if (rc != 0)
		return -1;
	if (demo_day_after(d, to, 3, day) != 0)
		return 0;
	if (demo_step(d, r, id, "submit_review", day, NULL, e) != 0)
		return -1;
	if (demo_day_after(d, day, 20 + demo_pick(d, 20), day) != 0)
		return 0;
	if (demo_step(d, r, id, "review", day, json_pack("{s:s}", "review_opinion", "经审查，草案符合上位法，建议提请常务会议审议"), e))
		return -1;
	if (demo_day_after(d, day, 10 + demo_pick(d, 10), day) != 0)
		return 0;
	if (demo_step(d, r, id, "decide", day, json_pack("{s:s}", "decided_on", day), e) != 0)
		return -1;
	if (demo_day_after(d, day, 5, day) != 0 || demo_day_after(d, day, 31, eff) != 0)
		return 0;
	snprintf(order, sizeof order, "示例市人民政府令第%d号", year % 100 * 10 + k + 1);
	if (demo_step(d, r, id, "publish", day, json_pack("{s:s, s:s, s:s}", "order_number", order, "published_on", day,
							      "effective_on", eff), e) != 0)
		return -1;
	if (demo_day_after(d, day, k == 1 ? 35 : 10 + demo_pick(d, 15), day) != 0) /* one late */
		return 0;
	return demo_step(d, r, id, "file", day, json_pack("{s:s, s:s}", "filed_on", day, "filed_with", "国务院、省人大常委会、省人民政府、市人大常委会"), e);
}

int gov_rule_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	return demo_each(d, r, year, 0x676f7672756c6531ull, PER_YEAR, one, e); /* its own sequence */
}
