/*
 * demo.c — a year of the demo city government's 重大行政决策: twelve
 * decisions of its published catalogue, started through the year; public
 * participation for most (one urgent, with a 15-day comment period and its
 * reason), expert review for every other one, risk assessment for every
 * third; legality review, the adviser's opinion, the executive meeting,
 * adoption and publication. Decided by the decision's ordinal, not by
 * chance: the fourth lacks its risk assessment and the ninth its expert
 * review (neither put to the meeting nor adopted), the eighth has no adviser's opinion, the
 * twelfth is not in the catalogue; the first two are evaluated after the
 * decision, the second late.
 */
#include <stdio.h>
#include <stdlib.h>

#include "domain/demo.h"
#include "domain/major_decision/major_decision.h"

#define PER_YEAR 12

static const char *const titles[] = {
	"城市更新三年行动计划", "中心城区停车设施专项规划", "生活垃圾分类管理办法实施方案", "老旧小区加装电梯补助办法",
	"城区公交线网优化方案", "历史文化街区保护利用规划", "公共租赁住房保障标准调整", "义务教育学区划分调整方案",
	"城市内涝治理专项实施方案", "农贸市场提升改造计划", "养老服务设施布局规划", "燃气管网更新改造工程实施方案",
};

/* The city government's code and its published catalogue of year (0: none). */
static int city(struct demo_ctx *d, const struct reg_def *r, int year, char code[48], int64_t *catalog)
{
	char *c = NULL, from[DATE_STR], to[DATE_STR];
	if (db_lookup_text(d->c.d, "SELECT code FROM bodies WHERE kind = 'government' ORDER BY id LIMIT 1", &c, 0) != DB_ROW)
		return -1;
	snprintf(code, 48, "%s", c);
	free(c);
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	const struct reg_def *cat = register_find(r->fields[register_field(r, "catalog")].ref);
	*catalog = 0;
	return db_lookup_int(d->c.d, "SELECT r.id FROM records r JOIN bodies b ON b.id = r.body_id WHERE r.register = $1"
				     " AND b.code = $2 AND r.start_date BETWEEN $3 AND $4 ORDER BY r.id LIMIT 1",
			     catalog, 4, cat->name, code, from, to) < 0 ? -1 : 0;
}

/* The procedures' records up to the meeting, dated from start. */
static json_t *procedures(struct demo_ctx *d, int k, const char *start)
{
	char day[6][DATE_STR];
	static const int after[6] = { 10, 40, 45, 48, 52, 75 }; /* comment from/to, experts, risk, review sent, meeting */
	for (int i = 0; i < 6; i++)
		demo_day_after(d, start, after[i] - (i == 1 && k == 4 ? 15 : 0), day[i]);
	json_t *p = json_object();
	if (k % 6 != 5)
		json_object_update_new(p, json_pack("{s:s, s:s, s:s, s:s}", "comment_from", day[0], "comment_to", day[1], "comment_channels",
						    "政府门户网站公开征求意见、座谈会", "comment_feedback", "收到意见 36 条，采纳 11 条，未采纳的已说明理由"));
	if (k == 4)
		json_object_set_new(p, "comment_urgency", json_string("汛期临近，需尽快实施，公开征求意见期限缩短为15日"));
	if (k % 2 == 0 && k != 8)
		json_object_update_new(p, json_pack("{s:s, s:s, s:s}", "experts", "规划、交通、法律领域专家 5 名", "expert_opinion",
						    "方案必要、可行，建议细化分步实施安排", "expert_on", day[2]));
	if (k % 3 == 0 && k != 3)
		json_object_update_new(p, json_pack("{s:s, s:s, s:s}", "risk_conclusion", "风险可控", "risk_report",
						    "经舆情跟踪和重点走访，社会稳定风险等级为低", "risk_on", day[3]));
	char lawful[DATE_STR];
	demo_day_after(d, day[4], 20, lawful);
	json_object_update_new(p, json_pack("{s:s, s:s, s:s, s:s}", "legality_submitted", day[4], "legality_result", "合法",
					    "legality_opinion", "决策草案符合法定权限和程序，内容合法", "legality_on", lawful));
	if (k != 7)
		json_object_update_new(p, json_pack("{s:s, s:s}", "adviser_opinion", "同意合法性审查意见，无其他法律风险",
						    "adviser_on", lawful));
	if (k == 3 || k == 8) /* not put to the meeting while a procedure is missing (第二十九条) */
		return p;
	json_object_update_new(p, json_pack("{s:s, s:s, s:s, s:s}", "meeting_on", day[5], "meeting_kind", "常务会议", "meeting_outcome",
					    "通过", "meeting_record", "与会人员充分发表意见，同意提交的决策草案"));
	return p;
}

static json_t *opening(int k, int year, int64_t catalog)
{
	json_t *o = json_pack("{s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "title", titles[k], "catalog_year", year, "catalog_item",
			      k + 1, "undertaker", "示例市住房和城乡建设局", "public_participation", k % 6 == 5 ? "不适用" : "适用",
			      "public_participation_reason", k % 6 == 5 ? "涉及依法不予公开的事项" : "涉及公众切身利益",
			      "expert_review", k % 2 == 0 ? "适用" : "不适用", "expert_review_reason",
			      k % 2 == 0 ? "专业性、技术性较强" : "不涉及专业技术问题", "risk_assessment", k % 3 == 0 ? "适用" : "不适用",
			      "risk_assessment_reason", k % 3 == 0 ? "可能对社会稳定造成影响" : "对社会稳定、公共安全无明显影响");
	if (catalog && k != PER_YEAR - 1)
		json_object_set_new(o, "catalog", json_integer(catalog));
	return o;
}

/* After publication: the post-decision evaluation of the first two. */
static int evaluation(struct demo_ctx *d, const struct reg_def *r, int64_t id, int k, const char *published, struct fz_err *e)
{
	char plan[DATE_STR], due[DATE_STR], done[DATE_STR];
	if (k > 1 || demo_day_after(d, published, 30, plan) != 0)
		return 0;
	struct date p;
	if (date_parse(plan, &p) != 0)
		return 0;
	date_format(date_from_days(date_to_days(p) + 90), due); /* a deadline, not a step: it may lie ahead */
	if (demo_step(d, r, id, "plan_evaluation", plan, json_pack("{s:s, s:s}", "evaluation_planned_due", due,
								     "evaluation_unit", "第三方评估机构"), e) != 0)
		return -1;
	if (demo_day_after(d, plan, k == 0 ? 70 : 110, done) != 0)
		return 0;
	return demo_step(d, r, id, "evaluate", done, json_pack("{s:s}", "evaluation_conclusion", "决策目标基本实现，建议继续实施"), e);
}

static int one(struct demo_ctx *d, const struct reg_def *r, int year, int k, struct fz_err *e)
{
	char code[48], start[DATE_STR], day[DATE_STR], from[DATE_STR];
	int64_t id, catalog;
	if (city(d, r, year, code, &catalog) != 0)
		return fz_store(e, d->c.d);
	snprintf(from, sizeof from, "%04d-01-15", year);
	if (demo_day_after(d, from, 22 * k, start) != 0 || demo_day_after(d, start, 78, day) != 0)
		return 0;
	json_t *data = opening(k, year, catalog);
	int rc = demo_create(d, r, code, start, data, &id, e);
	json_decref(data);
	if (rc != 0)
		return -1;
	snprintf(d->c.today, sizeof d->c.today, "%s", day); /* the procedures recorded by the meeting's day */
	data = procedures(d, k, start);
	rc = record_update(&d->c, r, id, data, e);
	json_decref(data);
	if (rc != 0 || k == 3 || k == 8) /* a required procedure missing: not adopted */
		return rc;
	if (demo_step(d, r, id, "adopt", day, NULL, e) != 0)
		return -1;
	if (demo_day_after(d, day, 7, day) != 0)
		return 0;
	if (demo_step(d, r, id, "publish", day, json_pack("{s:s}", "publish_channel", "市政府公报、政府门户网站"), e) != 0)
		return -1;
	return evaluation(d, r, id, k, day, e);
}

int major_decision_demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	return demo_each(d, r, year, 0x6d616a6f72646563ull, PER_YEAR, one, e); /* its own sequence */
}
