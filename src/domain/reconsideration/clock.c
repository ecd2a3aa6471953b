/*
 * clock.c — the dates of a 行政复议 case, each counted by the statutory
 * clock and explainable line by line (the 期限说明 of the console):
 *   examine_due     收到申请 (or the 补正 material) + 5 working days; no
 *                   refusal by then is acceptance (第三十条, 第三十一条);
 *   supplement_due  the 补正 notice + 10 working days (第三十一条);
 *   copy_due        acceptance + 7 working days, simplified 3 (第四十八条,
 *                   第五十四条);
 *   answer_due      the copy sent + 10 working days, simplified 5 (same);
 *   decision_due    acceptance + 60 days, simplified 30, +30 with approval
 *                   (第六十二条), each suspension not counted (第三十九条);
 *   opinion_due     the 意见书/建议书 sent + 60 days (第七十六条).
 * 三日、五日、七日、十日 are working days (第八十八条); a period of days
 * ends on the next working day when its last day is a rest day.
 */
#include <stdio.h>
#include <string.h>

#include "domain/reconsideration/reconsideration.h"

#include "clock.h"
#include "due.h"

struct clock_ctx {
	struct record *rec;
	json_t *list;      /* NULL: the dates only */
	struct fz_err *e;
};

/* field = the period counted from `from`, explained into the list. */
static int count(struct clock_ctx *k, const char *field, const char *label, const char *from, enum deadline_kind kind,
		 int n, const struct extension *ext, int next, const char *basis)
{
	struct deadline_rule rule = { .kind = kind, .days = n, .basis = basis };
	char day[DATE_STR];
	if (!from) {
		record_set_text(k->rec, field, NULL);
		return 0;
	}
	if (due_line(k->list, field, label, from, &rule, ext, next, day) != 0)
		return fz_invalid(k->e, field, "无法计算%s（起算日 %s）", label, from);
	record_set_text(k->rec, field, day);
	return 0;
}

/* The suspensions as pauses (an open one runs to today) and the approved
 * extension, into ext; their number. */
static int stops(const struct record *rec, const char *today, struct extension ext[3])
{
	static const char *const pairs[][3] = { { "suspend_from", "suspend_to", "suspend_reason" },
						{ "suspend2_from", "suspend2_to", "suspend2_reason" } };
	int n = 0;
	for (int i = 0; i < 2; i++) {
		const char *from = record_text(rec, pairs[i][0]), *to = record_text(rec, pairs[i][1]);
		struct extension *x = &ext[n];
		*x = (struct extension){ .kind = EXT_PAUSE, .reason = record_text(rec, pairs[i][2]) };
		if (from && date_parse(from, &x->from) == 0 && date_parse(to ? to : today, &x->to) == 0 &&
		    date_to_days(x->to) >= date_to_days(x->from))
			n++;
	}
	if (record_text(rec, "extension_reason") && !record_is(rec, "simplified", "是"))
		ext[n++] = (struct extension){ .kind = EXT_CALENDAR_DAYS, .days = RC_EXTENSION_DAYS,
					       .reason = "经行政复议机构负责人批准延长（第六十二条）" };
	return n;
}

/* The day the case counts as accepted: the day of acceptance, but no
 * later than the end of the examination (第三十条: 视为受理). */
static const char *accepted(struct record *rec)
{
	const char *on = record_text(rec, "accepted_on"), *by = record_text(rec, "examine_due");
	if (on && by && strcmp(on, by) > 0)
		record_set_text(rec, "accepted_on", by), on = record_text(rec, "accepted_on");
	return on ? on : by;
}

int rc_clocks(struct record *rec, const char *today, json_t *list, struct fz_err *e)
{
	struct clock_ctx k = { rec, list, e };
	struct extension ext[3];
	int simple = record_is(rec, "simplified", "是");
	const char *got = record_text(rec, "supplement_received_on");
	if (count(&k, "examine_due", "审查期限（届满未决定不予受理的视为受理）", got ? got : rec->start_date, DL_WORKING_DAYS,
		  RC_EXAMINE_WD, NULL, 0, got ? "行政复议法 第三十一条：自收到补正材料之日起审查；第八十八条" : "行政复议法 第三十条、第八十八条") ||
	    count(&k, "supplement_due", "申请人补正期限", record_text(rec, "supplement_noticed_on"), DL_WORKING_DAYS,
		  RC_SUPPLEMENT_WD, NULL, 0, "行政复议法 第三十一条、第八十八条"))
		return -1;
	const char *acc = accepted(rec);
	const char *sent = record_text(rec, "copy_sent_on");
	if (count(&k, "copy_due", "发送申请书副本期限", acc, DL_WORKING_DAYS, simple ? RC_COPY_SIMPLE_WD : RC_COPY_WD, NULL, 0,
		  simple ? "行政复议法 第五十四条（简易程序三日）、第八十八条" : "行政复议法 第四十八条（七日）、第八十八条") ||
	    count(&k, "answer_due", "被申请人答复期限", sent, DL_WORKING_DAYS, simple ? RC_ANSWER_SIMPLE_WD : RC_ANSWER_WD, NULL, 0,
		  simple ? "行政复议法 第五十四条（简易程序五日）、第八十八条" : "行政复议法 第四十八条（十日）、第八十八条"))
		return -1;
	int n = stops(rec, today, ext);
	if (count(&k, "decision_due", "作出行政复议决定的期限", acc, DL_CALENDAR_DAYS, simple ? RC_DECIDE_SIMPLE_DAYS : RC_DECIDE_DAYS,
		  ext, n, simple ? "行政复议法 第六十二条第二款（简易程序三十日）、第三十九条" : "行政复议法 第六十二条第一款（六十日）、第三十九条"))
		return -1;
	if (count(&k, "opinion_due", "报送纠正情况期限", record_text(rec, "opinion_sent_on"), DL_CALENDAR_DAYS, RC_OPINION_DAYS,
		  NULL, 0, "行政复议法 第七十六条：自收到意见书之日起六十日内报送纠正情况"))
		return -1;
	const char *due = record_text(rec, "opinion_due"), *reply = record_text(rec, "opinion_reply_on");
	record_set_text(rec, "opinion_ok", due && reply ? (strcmp(reply, due) <= 0 ? "是" : "否") : NULL);
	return 0;
}
