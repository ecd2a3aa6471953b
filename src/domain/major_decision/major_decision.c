/*
 * major_decision.c — 重大行政决策, where the declaration cannot
 * (重大行政决策程序暂行条例 2019):
 *   - each procedure's status (不适用 / 未履行 / 已履行) derived from what
 *     is recorded, so the indicators divide by the decisions that required
 *     it: 公众参与 (第十四、十五条), 专家论证 (第十九条), 风险评估 (第二十二条)
 *     as the record says they apply; 合法性审查 (第二十五条) and 集体讨论决定
 *     (第三十条) always;
 *   - the periods: a comment period of at least 30 days unless the urgency
 *     is stated (第十五条); a legality review of at least 7 working days
 *     unless the reason is stated (第二十六条第二款); dates in order;
 *   - adoption refused while a required procedure is missing (409 naming
 *     it and its article);
 *   - whether the decision is in a published catalogue (第三条第三款).
 */
#include <stdio.h>
#include <string.h>

#include "domain/major_decision/major_decision.h"

#include "clock.h"

/* One procedure: the field saying whether it applies (NULL: always), the
 * fields that record it, its status field, its name and article. */
struct procedure {
	const char *applies, *status, *code, *label, *article;
	const char *done[4];
};

static const struct procedure procedures[] = {
	{ "public_participation", "public_participation_status", "public_participation_missing", "公众参与",
	  "重大行政决策程序暂行条例第十四条、第十五条", { "comment_from", "comment_to", "comment_channels", "comment_feedback" } },
	{ "expert_review", "expert_review_status", "expert_review_missing", "专家论证", "重大行政决策程序暂行条例第十九条",
	  { "experts", "expert_opinion", "expert_on" } },
	{ "risk_assessment", "risk_assessment_status", "risk_assessment_missing", "风险评估", "重大行政决策程序暂行条例第二十二条",
	  { "risk_conclusion", "risk_report", "risk_on" } },
	{ NULL, "legality_review_status", "legality_review_missing", "合法性审查",
	  "重大行政决策程序暂行条例第二十五条（不得以征求意见等方式代替合法性审查）",
	  { "legality_submitted", "legality_result", "legality_opinion", "legality_on" } },
	{ NULL, "collective_decision_status", "collective_decision_missing", "集体讨论决定", "重大行政决策程序暂行条例第三十条",
	  { "meeting_on", "meeting_kind", "meeting_outcome" } },
};

#define NPROC (sizeof procedures / sizeof procedures[0])

static int applies(const struct record *rec, const struct procedure *p)
{
	return !p->applies || record_is(rec, p->applies, "适用");
}

static int done(const struct record *rec, const struct procedure *p)
{
	for (int i = 0; i < 4 && p->done[i]; i++)
		if (!record_text(rec, p->done[i]))
			return 0;
	return 1;
}

/* Whether the linked catalogue is a published one. */
static int catalogued(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec)
{
	int f = register_field(r, "catalog");
	json_t *v = json_object_get(rec->data, "catalog");
	const struct reg_def *cat = f >= 0 ? register_find(r->fields[f].ref) : NULL;
	if (!cat || !json_is_integer(v))
		return 0;
	struct record out;
	struct fz_err ignored;
	struct rec_ctx sys = *c;
	sys.user = NULL; /* the link was checked against the writer's scope when written */
	if (record_load(&sys, cat, json_integer_value(v), &out, &ignored) != 0)
		return 0;
	int yes = strcmp(cat->states[out.state].name, "published") == 0;
	record_free(&out);
	return yes;
}

static int derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec,
		  const struct reg_transition *t, struct fz_err *e)
{
	(void)t, (void)e;
	for (size_t i = 0; i < NPROC; i++) {
		const struct procedure *p = &procedures[i];
		const char *s = !applies(rec, p) ? "不适用" : done(rec, p) ? "已履行" : "未履行";
		json_object_set_new(rec->data, p->status, json_string(s));
	}
	int adviser = record_text(rec, "adviser_opinion") && record_text(rec, "adviser_on");
	json_object_set_new(rec->data, "adviser_status", json_string(adviser ? "已出具意见" : "未参与"));
	json_object_set_new(rec->data, "catalogued", json_string(catalogued(c, r, rec) ? "是" : "否"));
	return 0;
}

/* Days from a to b (b − a); −100000 when either is not a date. */
static int days_between(const char *a, const char *b)
{
	struct date x, y;
	if (date_parse(a, &x) != 0 || date_parse(b, &y) != 0)
		return -100000;
	return date_to_days(y) - date_to_days(x);
}

/* later must not be before earlier (both optional). */
static int in_order(const struct record *rec, const char *earlier, const char *later, const char *why, struct fz_err *e)
{
	const char *a = record_text(rec, earlier), *b = record_text(rec, later);
	if (a && b && strcmp(b, a) < 0)
		return fz_invalid(e, later, "%s（%s）", why, a);
	return 0;
}

/* LAW: 第十五条 — 公开征求意见的期限一般不少于30日 (the first day not
 * counted, 民法典 第二百零一条); shorter only with the urgency stated. */
static int comment_period(const struct record *rec, struct fz_err *e)
{
	const char *from = record_text(rec, "comment_from"), *to = record_text(rec, "comment_to");
	if (!from || !to)
		return 0;
	if (strcmp(to, from) < 0)
		return fz_invalid(e, "comment_to", "公开征求意见截止日不能早于起始日（%s）", from);
	int days = days_between(from, to);
	if (days < 30 && !record_text(rec, "comment_urgency"))
		return fz_invalid(e, "comment_urgency", "公开征求意见期限为 %d 日，少于30日的须说明紧急情况等原因（重大行政决策程序暂行条例第十五条）",
				  days);
	return 0;
}

/* LAW: 第二十六条第二款 — 送请合法性审查，应当保证必要的审查时间，一般
 * 不少于7个工作日: the opinion not before the seventh working day after
 * the submission, unless the reason is stated. */
static int review_period(const struct record *rec, struct fz_err *e)
{
	const char *sent = record_text(rec, "legality_submitted"), *on = record_text(rec, "legality_on");
	char seventh[DATE_STR];
	if (!sent || !on)
		return 0;
	if (strcmp(on, sent) < 0)
		return fz_invalid(e, "legality_on", "合法性审查意见出具日期不能早于送审日期（%s）", sent);
	if (deadline_after(sent, DL_WORKING_DAYS, 7, seventh) != 0)
		return fz_invalid(e, "legality_submitted", "无法从送审日期 %s 计算审查时间", sent);
	if (strcmp(on, seventh) < 0 && !record_text(rec, "legality_urgency"))
		return fz_invalid(e, "legality_urgency", "合法性审查时间不足7个工作日（%s 送审，第7个工作日为 %s），须说明理由（重大行政决策程序暂行条例第二十六条第二款）",
				  sent, seventh);
	return 0;
}

static int validate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	(void)c, (void)r;
	json_t *y = json_object_get(rec->data, "catalog_year");
	if (json_is_integer(y) && (json_integer_value(y) < 2000 || json_integer_value(y) > 2100))
		return fz_invalid(e, "catalog_year", "目录年度应为 2000–2100 之间的年份");
	static const char *const why[] = { "public_participation_reason", "expert_review_reason", "risk_assessment_reason" };
	for (size_t i = 0; i < 3; i++)
		if (record_text(rec, procedures[i].applies) && !record_text(rec, why[i]))
			return fz_invalid(e, why[i], "须写明%s是否适用的理由", procedures[i].label);
	if (comment_period(rec, e) || review_period(rec, e))
		return -1;
	/* 第二十五条第二款: 未经合法性审查的，不得提交决策机关讨论; 第二十九条:
	 * the other procedures' results go with the draft to the meeting. */
	static const char *const before_meeting[] = { "legality_on", "comment_to", "expert_on", "risk_on", "adviser_on" };
	for (size_t i = 0; i < sizeof before_meeting / sizeof before_meeting[0]; i++)
		if (in_order(rec, before_meeting[i], "meeting_on", "集体讨论须在各项程序完成之后（重大行政决策程序暂行条例第二十五条第二款、第二十九条）", e))
			return -1;
	if (in_order(rec, "adopted_on", "evaluation_planned_due", "决策后评估期限不能早于作出决定日期", e))
		return -1;
	return 0;
}

/* LAW: adoption — every procedure that applies done (第十四、十九、二十二条),
 * the legality review found lawful (第二十五条第二款), the meeting's
 * outcome 通过 (第三十条). */
static int gate(const struct rec_ctx *c, const struct reg_def *r, const struct reg_transition *t,
		const struct record *rec, struct fz_err *e)
{
	(void)c, (void)r;
	if (strcmp(t->name, "adopt") != 0)
		return 0;
	for (size_t i = 0; i < NPROC; i++) {
		const struct procedure *p = &procedures[i];
		if (applies(rec, p) && !done(rec, p))
			return fz_fail(e, 409, p->code, p->status, "%s程序尚未履行完毕，不得作出决定（%s）", p->label, p->article);
	}
	if (record_is(rec, "legality_result", "不合法"))
		return fz_fail(e, 409, "legality_review_unlawful", "legality_result",
			       "经合法性审查不合法的决策草案，不得提交决策机关讨论（重大行政决策程序暂行条例第二十五条第二款）");
	if (!record_is(rec, "meeting_outcome", "通过"))
		return fz_fail(e, 409, "collective_decision_not_adopted", "meeting_outcome",
			       "集体讨论结果为“%s”，行政首长在集体讨论的基础上作出决定（重大行政决策程序暂行条例第三十条）",
			       record_text(rec, "meeting_outcome"));
	return 0;
}

DOMAIN_HOOKS(major_decision, .derive = derive, .validate = validate, .gate = gate, .demo = major_decision_demo)
