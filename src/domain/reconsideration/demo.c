/*
 * demo.c — a year of the demo city's 行政复议 cases against its
 * departments: a few 补正, a couple refused within the examination; the
 * rest accepted, the copy sent and answered in time; some simplified, some
 * heard, a few suspended and resumed or extended; decided mostly 维持 or
 * 驳回 with about one in six corrected, a few late; now and then a
 * 意见书 sent and its correction reported. On its own random sequence.
 */
#include <stdio.h>
#include <string.h>

#include "domain/demo.h"
#include "domain/reconsideration/reconsideration.h"

#define PER_YEAR 72

static const char *const acts[] = { "行政处罚决定（罚款）", "责令停产停业决定", "政府信息公开答复", "不予行政许可决定",
				    "行政强制措施（查封、扣押）", "工伤认定结论", "不履行法定职责" };
static const char *const grounds[] = { "警告或者通报批评", "涉及款额三千元以下", "政府信息公开案件" };

/* The decision, in the proportions reports show (about 17 % corrected). */
static const char *decision(struct demo_ctx *d)
{
	static const struct { const char *kind; int upto; } table[] = {
		{ "维持", 45 }, { "驳回", 58 }, { "调解结案", 68 }, { "终止", 83 }, { "撤销", 92 },
		{ "确认违法", 96 }, { "变更", 98 }, { "责令履行", 100 },
	};
	int x = demo_pick(d, 100);
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (x < table[i].upto)
			return table[i].kind;
	return "维持";
}

/* Writes patch (stolen) to the case on day. */
static int set_on(struct demo_ctx *d, const struct reg_def *r, int64_t id, const char *day, json_t *patch, struct fz_err *e)
{
	snprintf(d->c.today, sizeof d->c.today, "%s", day);
	int rc = record_update(&d->c, r, id, patch, e);
	json_decref(patch);
	return rc;
}

/* From acceptance to the decision: 1 decided (day its date), 0 not yet,
 * -1 with e. */
static int hear(struct demo_ctx *d, const struct reg_def *r, int64_t id, int simple, char day[DATE_STR], struct fz_err *e)
{
	char copy[DATE_STR], answer[DATE_STR], s1[DATE_STR], s2[DATE_STR];
	if (demo_day_after(d, day, 1 + demo_pick(d, simple ? 2 : 6), copy) != 0)
		return 0;
	if (set_on(d, r, id, copy, json_pack("{s:s}", "copy_sent_on", copy), e) != 0)
		return -1;
	if (demo_day_after(d, copy, 2 + demo_pick(d, simple ? 4 : 9), answer) != 0)
		return 0;
	if (set_on(d, r, id, answer, json_pack("{s:s, s:s}", "answered_on", answer, "answer", "作出的行政行为事实清楚、证据确凿、适用依据正确、程序合法"), e))
		return -1;
	snprintf(day, DATE_STR, "%s", answer);
	if (!simple && demo_chance(d, 8)) { /* suspended, then resumed */
		if (demo_day_after(d, answer, 3, s1) != 0 || demo_day_after(d, s1, 10 + demo_pick(d, 20), s2) != 0)
			return 0;
		if (set_on(d, r, id, s2, json_pack("{s:s, s:s, s:s}", "suspend_from", s1, "suspend_to", s2, "suspend_reason",
						   "案件涉及法律适用问题，需要有权机关作出解释"), e) != 0)
			return -1;
		snprintf(day, DATE_STR, "%s", s2);
	}
	int late = demo_chance(d, 5);
	if (demo_day_after(d, day, late ? (simple ? 35 : 62) : 5 + demo_pick(d, simple ? 12 : 30), day) != 0)
		return 0;
	return demo_step(d, r, id, "decide", day, json_pack("{s:s}", "decision", decision(d)), e) != 0 ? -1 : 1;
}

static int opinion(struct demo_ctx *d, const struct reg_def *r, int64_t id, const char *decided, struct fz_err *e)
{
	char sent[DATE_STR], reply[DATE_STR];
	if (!demo_chance(d, 6) || demo_day_after(d, decided, 3, sent) != 0)
		return 0;
	if (set_on(d, r, id, sent, json_pack("{s:s, s:s, s:s}", "opinion_type", "行政复议意见书", "opinion_content",
					      "行政处罚自由裁量不当，应完善裁量基准并纠正同类案件", "opinion_sent_on", sent), e) != 0)
		return -1;
	if (demo_day_after(d, sent, demo_chance(d, 15) ? 65 + demo_pick(d, 10) : 20 + demo_pick(d, 35), reply) != 0)
		return 0;
	return set_on(d, r, id, reply, json_pack("{s:s, s:s}", "opinion_reply_on", reply, "opinion_reply", "已纠正并完善裁量基准"), e);
}

static int one(struct demo_ctx *d, const struct reg_def *r, int year, int k, struct fz_err *e)
{
	char day[DATE_STR], from[DATE_STR], number[48];
	int64_t id;
	snprintf(from, sizeof from, "%04d-01-04", year);
	if (demo_day_after(d, from, demo_pick(d, 350), day) != 0)
		return 0;
	int simple = demo_chance(d, 20);
	snprintf(number, sizeof number, "示复〔%d〕%d号", year, k + 1);
	json_t *data = json_pack("{s:s, s:s, s:s, s:s}", "case_number", number, "applicant", demo_chance(d, 70) ? "张某" : "某某有限公司",
				 "act", acts[demo_pick(d, (int)(sizeof acts / sizeof acts[0]))], "simplified", simple ? "是" : "否");
	if (simple)
		json_object_set_new(data, "simplified_ground", json_string(grounds[demo_pick(d, 3)]));
	int rc = demo_create(d, r, NULL, day, data, &id, e);
	json_decref(data);
	if (rc != 0)
		return -1;
	if (demo_chance(d, 3)) /* refused within the examination */
		return demo_day_after(d, day, 2, day) == 0
			       ? demo_step(d, r, id, "refuse", day, json_pack("{s:s}", "refusal_reason", "申请超过法定申请期限"), e) : 0;
	if (demo_chance(d, 10)) { /* 补正, then the material */
		if (demo_day_after(d, day, 1 + demo_pick(d, 3), day) != 0)
			return 0;
		if (demo_step(d, r, id, "request_supplement", day, json_pack("{s:s}", "supplement_items", "请补充提交行政行为的决定书复印件"), e))
			return -1;
		if (demo_day_after(d, day, 2 + demo_pick(d, 8), day) != 0)
			return 0;
		if (demo_step(d, r, id, "receive_supplement", day, json_pack("{s:s}", "supplement_received_on", day), e) != 0)
			return -1;
	}
	if (demo_day_after(d, day, 1 + demo_pick(d, 4), day) != 0)
		return 0;
	if (demo_step(d, r, id, "accept", day, NULL, e) != 0)
		return -1;
	int decided = hear(d, r, id, simple, day, e);
	return decided <= 0 ? decided : opinion(d, r, id, day, e);
}

int reconsideration_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	return demo_each(d, r, year, 0x7265636f6e736964ull, PER_YEAR, one, e); /* its own sequence */
}
