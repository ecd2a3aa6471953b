/*
 * demo.c — a year of the demo city's 行政应诉: complaints against its
 * departments served through the year; the defence filed within the
 * fifteen days (a few late); hearings where the court notified the head in
 * some cases and the head appeared in most of those; first-instance
 * outcomes mostly won, some withdrawn or mediated, a few lost; the rulings
 * take effect when their window passes and a lost one is performed. Its
 * random sequence is its own, so the other generators' records stay as
 * they were.
 */
#include <stdio.h>
#include <string.h>

#include "domain/demo.h"
#include "domain/litigation/litigation.h"

#define PER_YEAR 30

static const char *const acts[] = {
	"行政处罚决定", "政府信息公开答复", "行政许可不予受理决定", "责令限期拆除决定", "工伤认定决定", "行政强制措施",
	"不履行法定职责", "房屋征收补偿决定",
};
static const char *const names = "王李张刘陈杨黄赵吴周";

static int ruled(struct demo_ctx *d, const struct reg_def *r, int64_t id, char day[DATE_STR], struct fz_err *e)
{
	int x = demo_pick(d, 100);
	const char *outcome = x < 62 ? "胜诉" : x < 68 ? "败诉" : x < 83 ? "原告撤诉" : x < 90 ? "调解结案" : "驳回起诉";
	const char *kind = x < 68 ? "判决" : x >= 83 && x < 90 ? "调解书" : "裁定";
	if (demo_day_after(d, day, 20 + demo_pick(d, 40), day) != 0)
		return 0;
	if (demo_step(d, r, id, "rule", day, json_pack("{s:s, s:s, s:s}", "outcome", outcome, "ruling_kind", kind, "ruled_on", day),
		      e) != 0)
		return -1;
	if (demo_chance(d, 15))
		return demo_step(d, r, id, "appeal", day, NULL, e);
	/* past the window, however far rest days moved its last day */
	if (demo_day_after(d, day, strcmp(kind, "调解书") == 0 ? 0 : 26, day) != 0)
		return 0;
	if (demo_step(d, r, id, "take_effect", day, NULL, e) != 0)
		return -1;
	if (strcmp(outcome, "败诉") != 0)
		return demo_step(d, r, id, "close", day, NULL, e);
	if (demo_day_after(d, day, 10 + demo_pick(d, 30), day) != 0)
		return 0;
	return demo_step(d, r, id, "perform", day, json_pack("{s:s, s:s}", "performed_on", day, "performance",
							     "已按生效判决重新作出行政行为"), e);
}

static int one(struct demo_ctx *d, const struct reg_def *r, int year, int k, struct fz_err *e)
{
	char day[DATE_STR], from[DATE_STR], number[64], plaintiff[32];
	int64_t id;
	snprintf(from, sizeof from, "%04d-01-04", year);
	if (demo_day_after(d, from, demo_pick(d, 350), day) != 0)
		return 0;
	snprintf(number, sizeof number, "（%d）示0%d行初%d号", year, 201 + demo_pick(d, 5), 100 + k);
	snprintf(plaintiff, sizeof plaintiff, "%.3s某", names + 3 * demo_pick(d, 10));
	json_t *data = json_pack("{s:s, s:s, s:s, s:s}", "case_number", number, "court", "示例市人民法院", "plaintiff", plaintiff,
				 "act", acts[demo_pick(d, (int)(sizeof acts / sizeof acts[0]))]);
	int rc = demo_create(d, r, NULL, day, data, &id, e);
	json_decref(data);
	if (rc != 0)
		return -1;
	if (demo_day_after(d, day, demo_chance(d, 6) ? 16 + demo_pick(d, 5) : 3 + demo_pick(d, 11), day) != 0)
		return 0;
	if (demo_step(d, r, id, "defend", day, json_pack("{s:s}", "defended_on", day), e) != 0)
		return -1;
	if (demo_chance(d, 12)) /* withdrawn before the hearing */
		return demo_step(d, r, id, "rule", day, json_pack("{s:s, s:s, s:s}", "outcome", "原告撤诉", "ruling_kind", "裁定",
								  "ruled_on", day), e);
	if (demo_day_after(d, day, 20 + demo_pick(d, 40), day) != 0)
		return 0;
	int notified = demo_chance(d, 40), appeared = notified ? demo_chance(d, 88) : demo_chance(d, 30);
	json_t *hear = json_pack("{s:s, s:s, s:s, s:s}", "hearing_date", day, "head_notified", notified ? "是" : "否",
				 "head_appeared", appeared ? "是" : "否", "appeared_person", appeared ? "副局长" : "法制科科长");
	if (!appeared)
		json_object_set_new(hear, "absence_reason", json_string("负责人参加上级部署的紧急会议，委托法制科负责人出庭"));
	if (demo_step(d, r, id, "hear", day, hear, e) != 0)
		return -1;
	return ruled(d, r, id, day, e);
}

int litigation_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	return demo_each(d, r, year, 0x6c69746967617431ull, PER_YEAR, one, e); /* its own sequence */
}
