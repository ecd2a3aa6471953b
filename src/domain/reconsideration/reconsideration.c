/*
 * reconsideration.c — 行政复议案件, where the declaration cannot (行政复议法
 * 2023); the dates themselves are clock.c's:
 *   - the 补正 notice only within five working days of receipt (第三十一条);
 *   - no refusal once the examination has ended: the case is accepted
 *     (第三十条);
 *   - the simplified procedure names its ground (第五十三条) and has no
 *     extension (第六十二条第二款);
 *   - suspensions in order, each with its reason (第三十九条), and no
 *     decision while one has not ended;
 *   - no decision before the respondent's answer or its window has closed,
 *     unless the reason is recorded (第四十八条);
 *   - 纠错 (变更、撤销、确认违法、责令履行、确认无效) marked for 纠错率;
 *   - a 意见书 or 建议书 becomes a 整改 item of the body it is sent to, due
 *     with the 60 days of 第七十六条, linked both ways.
 */
#include <stdio.h>
#include <string.h>

#include "domain/reconsideration/reconsideration.h"

#include "clock.h"

#define SOURCE "复议意见书、建议书" /* the remedial item's source */

static int corrects(const char *decision)
{
	static const char *const kinds[] = { "变更", "撤销", "确认违法", "责令履行", "确认无效" };
	for (size_t i = 0; decision && i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(decision, kinds[i]))
			return 1;
	return 0;
}

static int derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec,
		  const struct reg_transition *t, struct fz_err *e)
{
	(void)r, (void)t;
	const char *d = record_text(rec, "decision");
	record_set_text(rec, "corrected", d ? (corrects(d) ? "是" : "否") : NULL);
	return rc_clocks(rec, c->today, NULL, e);
}

static int redate(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	return derive(c, r, rec, NULL, e);
}

/* later no earlier than earlier (both set), else 422 naming later. */
static int after(const struct record *rec, const char *later, const char *earlier, const char *what, struct fz_err *e)
{
	const char *l = record_text(rec, later), *x = record_text(rec, earlier);
	return l && x && strcmp(l, x) < 0 ? fz_invalid(e, later, "%s不能早于%s %s", what, "前一环节的日期", x) : 0;
}

static int suspensions(const struct record *rec, struct fz_err *e)
{
	const char *f1 = record_text(rec, "suspend_from"), *t1 = record_text(rec, "suspend_to");
	const char *f2 = record_text(rec, "suspend2_from");
	if ((t1 && !f1) || (record_text(rec, "suspend2_to") && !f2))
		return fz_invalid(e, t1 && !f1 ? "suspend_to" : "suspend2_to", "先登记中止日期，再登记恢复审理日期");
	if (f1 && !record_text(rec, "suspend_reason"))
		return fz_invalid(e, "suspend_reason", "中止审理须写明第三十九条规定的情形");
	if (f2 && !record_text(rec, "suspend2_reason"))
		return fz_invalid(e, "suspend2_reason", "中止审理须写明第三十九条规定的情形");
	if (f2 && (!t1 || strcmp(f2, t1) <= 0))
		return fz_invalid(e, "suspend2_from", "再次中止应在前一次中止恢复审理之后（%s）", t1 ? t1 : "尚未恢复");
	return after(rec, "suspend_from", "accepted_on", "中止日期", e) || after(rec, "suspend_to", "suspend_from", "恢复审理日期", e) ||
	       after(rec, "suspend2_to", "suspend2_from", "恢复审理日期", e) ? -1 : 0;
}

static int validate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	(void)c, (void)r;
	int simple = record_is(rec, "simplified", "是");
	if (simple && !record_text(rec, "simplified_ground"))
		return fz_invalid(e, "simplified_ground", "适用简易程序须写明第五十三条规定的情形");
	if (simple && record_text(rec, "extension_reason"))
		return fz_invalid(e, "extension_reason", "简易程序的审理期限为三十日，不能延长（行政复议法第六十二条第二款）");
	if (record_text(rec, "answered_on") && !record_text(rec, "copy_sent_on"))
		return fz_invalid(e, "answered_on", "先登记发送申请书副本的日期，再登记被申请人的答复");
	if (after(rec, "supplement_received_on", "supplement_noticed_on", "收到补正材料日期", e) ||
	    after(rec, "copy_sent_on", "accepted_on", "发送副本日期", e) || after(rec, "answered_on", "copy_sent_on", "答复日期", e) ||
	    after(rec, "hearing_on", "accepted_on", "听证日期", e) || after(rec, "opinion_reply_on", "opinion_sent_on", "报送纠正情况日期", e))
		return -1;
	return suspensions(rec, e);
}

static int gate(const struct rec_ctx *c, const struct reg_def *r, const struct reg_transition *t,
		const struct record *rec, struct fz_err *e)
{
	(void)r;
	char last[DATE_STR];
	const char *n = t->name, *by = record_text(rec, "examine_due");
	if (!strcmp(n, "request_supplement")) {
		if (deadline_after(rec->start_date, DL_WORKING_DAYS, RC_SUPPLEMENT_NOTICE_WD, last) != 0)
			return fz_invalid(e, "start_date", "无法计算通知补正的期限");
		if (strcmp(c->today, last) > 0)
			return fz_fail(e, 409, "window_closed", "transition", "通知补正应在收到申请之日起五个工作日内（%s 前，行政复议法第三十一条）", last);
	}
	if (!strcmp(n, "refuse") && by && strcmp(c->today, by) > 0)
		return fz_fail(e, 409, "deemed_accepted", "transition",
			       "审查期限已于 %s 届满，未作出不予受理决定的视为受理（行政复议法第三十条）", by);
	if (strcmp(n, "decide") != 0)
		return 0;
	if ((record_text(rec, "suspend_from") && !record_text(rec, "suspend_to")) ||
	    (record_text(rec, "suspend2_from") && !record_text(rec, "suspend2_to")))
		return fz_fail(e, 409, "suspended", "transition", "案件中止审理中，恢复审理后方可作出决定（行政复议法第三十九条）");
	const char *due = record_text(rec, "answer_due");
	if (!record_text(rec, "answered_on") && (!due || strcmp(c->today, due) <= 0) && !record_text(rec, "early_reason"))
		return fz_fail(e, 409, "answer_window_open", "transition",
			       "被申请人答复期限%s%s尚未届满、也未收到答复：先登记答复，或写明提前作出决定的理由（行政复议法第四十八条）",
			       due ? "至 " : "（申请书副本尚未发送）", due ? due : "");
	return 0;
}

/* Once a 意见书 or 建议书 is sent: its 整改 item, linked from the case. */
static int after_write(const struct rec_ctx *c, const struct reg_def *r, const struct record *old,
		       const struct record *rec, struct fz_err *e)
{
	char issue[600];
	(void)old;
	if (!record_text(rec, "opinion_sent_on") || json_object_get(rec->data, "remedy"))
		return 0;
	snprintf(issue, sizeof issue, "%s（%s）：%.420s", record_text(rec, "opinion_type") ? record_text(rec, "opinion_type") : "行政复议意见书",
		 record_text(rec, "case_number"), record_text(rec, "opinion_content") ? record_text(rec, "opinion_content") : "");
	return domain_remedy(c, r, rec, SOURCE, issue, record_text(rec, "opinion_due"), record_text(rec, "opinion_sent_on"), e);
}

/* Table 四 of the 政府信息公开 annual report: 维持 and 驳回 keep the act,
 * the five of 纠错 correct it, the rest are other. */
static const char *dispute(const struct record *rec, const char **result)
{
	const char *d = record_text(rec, "decision");
	*result = !d ? "尚未审结" : corrects(d) ? "结果纠正" : !strcmp(d, "维持") || !strcmp(d, "驳回") ? "结果维持" : "其他结果";
	return "行政复议";
}

static int deadlines(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, json_t *list,
		     struct fz_err *e)
{
	(void)r;
	struct record copy = *rec;
	copy.data = json_deep_copy(rec->data);
	int rc = rc_clocks(&copy, c->today, list, e);
	json_decref(copy.data);
	return rc;
}

DOMAIN_HOOKS(reconsideration, .derive = derive, .redate = redate, .validate = validate, .gate = gate,
	     .after_write = after_write, .deadlines = deadlines, .dispute = dispute, .demo = reconsideration_demo)
