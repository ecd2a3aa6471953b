/*
 * demo.c — a year of the demo city's 行政调解 and 行政裁决: mostly
 * mediations (治安案件的民事部分, 消费纠纷, 交通事故损害赔偿…) received by
 * its departments, about three in four settled with an agreement, some not,
 * a few ended; fewer adjudications (自然资源权属, 政府采购…), most ruled
 * within their period, a few late; the performance of what was agreed or
 * ruled recorded. Its random sequence is its own, so the other generators'
 * records stay as they were.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/demo.h"
#include "domain/mediation/mediation.h"

#define PER_YEAR 60

static const char *const mediated[] = { "治安案件民事部分", "消费纠纷", "医疗纠纷", "交通事故损害赔偿", "劳动争议" };
static const char *const ruled[] = { "自然资源权属争议", "知识产权侵权纠纷", "政府采购活动争议" };
static const char *const names = "王李张刘陈杨黄赵吴周";

/* Concluded on day: the outcome, its document, and later its performance. */
static int conclude(struct demo_ctx *d, const struct reg_def *r, int64_t id, int adjudicate, int k, char day[DATE_STR],
		    struct fz_err *e)
{
	int x = demo_pick(d, 100), year = atoi(day);
	const char *outcome = adjudicate ? (x < 92 ? "已裁决" : "终止") : x < 76 ? "调解成功" : x < 94 ? "调解不成功" : "终止";
	char number[64];
	snprintf(number, sizeof number, adjudicate ? "示裁字〔%d〕%d号" : "示调协〔%d〕%d号", year, k + 1);
	json_t *patch = json_pack("{s:s, s:s}", "outcome", outcome, "concluded_on", day);
	int binding = strcmp(outcome, "已裁决") == 0 || strcmp(outcome, "调解成功") == 0;
	if (binding)
		json_object_set_new(patch, "document_number", json_string(number));
	if (demo_step(d, r, id, "conclude", day, patch, e) != 0)
		return -1;
	if (demo_day_after(d, day, 5 + demo_pick(d, 25), day) != 0)
		return 0;
	return demo_step(d, r, id, "close", day, binding ? json_pack("{s:s}", "performance", demo_chance(d, 90) ? "已履行" : "部分履行")
						    : NULL, e);
}

static int one(struct demo_ctx *d, const struct reg_def *r, int year, int k, struct fz_err *e)
{
	char day[DATE_STR], from[DATE_STR], applied[DATE_STR], who[2][32];
	int64_t id;
	snprintf(from, sizeof from, "%04d-01-04", year);
	if (demo_day_after(d, from, demo_pick(d, 340), applied) != 0 || demo_day_after(d, applied, 1 + demo_pick(d, 4), day) != 0)
		return 0;
	int adjudicate = demo_chance(d, 20);
	const char *type = adjudicate ? ruled[demo_pick(d, 3)] : mediated[demo_pick(d, 5)];
	for (int i = 0; i < 2; i++)
		snprintf(who[i], sizeof who[i], "%.3s某%s", names + 3 * demo_pick(d, 10), i ? "等" : "");
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kind", adjudicate ? "行政裁决" : "行政调解", "dispute_type", type,
				 "matter", type, "applicant", who[0], "respondent", who[1], "applied_on", applied);
	int rc = demo_create(d, r, NULL, day, data, &id, e);
	json_decref(data);
	if (rc != 0)
		return -1;
	/* most within the period (30 / 60 days), a few late */
	int span = adjudicate ? 60 : 30, late = demo_chance(d, adjudicate ? 8 : 5);
	if (demo_day_after(d, day, late ? span + 5 + demo_pick(d, 20) : 3 + demo_pick(d, span - 8), day) != 0)
		return 0;
	return conclude(d, r, id, adjudicate, k, day, e);
}

int mediation_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	return demo_each(d, r, year, 0x6d65646961743031ull, PER_YEAR, one, e); /* its own sequence */
}
