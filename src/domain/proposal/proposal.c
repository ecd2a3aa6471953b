/*
 * proposal.c — 建议提案 as 代表法 第五十一条 and the province's rules say
 * (the demo's: 浙江省人民代表大会代表建议、批评和意见办理的规定, "浙江规定"
 * below), where the declaration in proposal.json cannot:
 *   - the reply period by kind and breadth, from the province's settings;
 *   - re-assignment asked within the window after 交办 (浙江规定 第十四条);
 *   - an extension no later than the longest period (代表法 第五十一条);
 *   - the 协办 opinion before the reply (浙江规定 第十八条);
 *   - 不满意 → 重新办理 within a set period (第二十四条), 列入计划 →
 *     跟踪落实 (第二十条), never a plain 办结 for either;
 *   - whether 基本满意 counts as satisfied (a setting).
 */
#include <string.h>

#include "domain/proposal/proposal.h"

#include "clock.h"

#define ZJ "《浙江省人民代表大会代表建议、批评和意见办理的规定》"

/* from + n months by the statutory clock (民法典 第二百零一至二百零三条). */
static int months_after(const char *from, int n, char out[DATE_STR], struct fz_err *e)
{
	return deadline_after(from, DL_MONTHS, n, out) == 0 ? 0
		: fz_invalid(e, "start_date", "无法从 %s 计算 %d 个月的期限", from, n);
}

/* The reply period in months: 代表法 第五十一条 (three; six when broad or
 * hard to handle), 政协提案 by the CPPCC's rules; each a setting. */
static int reply_months(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, int longest)
{
	int cppcc = record_is(rec, "kind", "政协提案"), broad = longest || record_is(rec, "broad", "是");
	return domain_setting(c, r, cppcc ? (broad ? "cppcc_broad_reply_months" : "cppcc_reply_months")
					  : (broad ? "npc_broad_reply_months" : "npc_reply_months"));
}

static int set_months(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, const char *field,
		      const char *from, const char *setting, struct fz_err *e)
{
	char day[DATE_STR];
	if (months_after(from, domain_setting(c, r, setting), day, e) != 0)
		return -1;
	json_object_set_new(rec->data, field, json_string(day));
	return 0;
}

static int derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec,
		  const struct reg_transition *t, struct fz_err *e)
{
	char day[DATE_STR];
	if (!record_text(rec, "due")) {
		if (months_after(rec->start_date, reply_months(c, r, rec, 0), day, e) != 0)
			return -1;
		json_object_set_new(rec->data, "due", json_string(day));
	}
	if (record_text(rec, "cooperating") && !record_text(rec, "cooperate_due") &&
	    set_months(c, r, rec, "cooperate_due", rec->start_date, "cooperate_months", e) != 0)
		return -1;
	if (t && strcmp(t->name, "rehandle") == 0 &&
	    set_months(c, r, rec, "rehandle_due", c->today, "rehandle_months", e) != 0)
		return -1;
	if (t && strcmp(t->name, "re_reply") == 0) /* a new reply: the view is asked again */
		for (const char *const *f = (const char *const[]){ "satisfaction", "satisfaction_source", "satisfaction_date",
								  NULL }; *f; f++)
			json_object_del(rec->data, *f);
	const char *sat = record_text(rec, "satisfaction");
	if (!sat)
		json_object_del(rec->data, "counted_satisfied");
	else
		json_object_set_new(rec->data, "counted_satisfied",
				    json_string(strcmp(sat, "满意") == 0 ||
							(strcmp(sat, "基本满意") == 0 && domain_setting(c, r, "basic_counts_satisfied") == 1)
						? "是" : "否"));
	return 0;
}

/* A calendar was loaded or corrected: the reply and 协办 periods counted
 * from 交办 again; a due date an approved extension set stays, and so does
 * 重新办理's (counted from the day it was decided, not kept). */
static int redate(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	const char *due = record_text(rec, "due"), *ext = record_text(rec, "extension_to");
	char day[DATE_STR];
	if (!(due && ext && strcmp(due, ext) == 0)) {
		if (months_after(rec->start_date, reply_months(c, r, rec, 0), day, e) != 0)
			return -1;
		json_object_set_new(rec->data, "due", json_string(day));
	}
	return record_text(rec, "cooperating")
		       ? set_months(c, r, rec, "cooperate_due", rec->start_date, "cooperate_months", e) : 0;
}

static int validate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	const char *ext = record_text(rec, "extension_to"), *talk = record_text(rec, "communication_date");
	char longest[DATE_STR];
	if (ext && (months_after(rec->start_date, reply_months(c, r, rec, 1), longest, e) != 0 || strcmp(ext, longest) > 0))
		return e->code ? -1 : fz_invalid(e, "extension_to", "延期后的答复期限不得晚于 %s（自交办之日起 %d 个月，代表法第五十一条第二款）",
						   longest, reply_months(c, r, rec, 1));
	if (ext && strcmp(ext, rec->start_date) <= 0)
		return fz_invalid(e, "extension_to", "申请延期至的日期应晚于交办日期 %s", rec->start_date);
	if (talk && strcmp(talk, rec->start_date) < 0)
		return fz_invalid(e, "communication_date", "沟通日期不能早于交办日期 %s（代表法第五十一条：办理中与代表联系沟通）",
				  rec->start_date);
	return 0;
}

static int gate(const struct rec_ctx *c, const struct reg_def *r, const struct reg_transition *t,
		const struct record *rec, struct fz_err *e)
{
	if (strcmp(t->name, "request_reassign") == 0) {
		struct date s;
		char last[DATE_STR];
		int days = domain_setting(c, r, "reassign_days");
		date_parse(rec->start_date, &s);
		date_format(date_from_days(date_to_days(s) + days), last);
		if (strcmp(c->today, last) > 0)
			return fz_fail(e, 409, "window_closed", "transition", "申请调整交办须在交办之日起 %d 日内（%s 前）提出（"
					ZJ "第十四条），已超过期限", days, last);
	} else if (strcmp(t->name, "reply") == 0) {
		if (record_text(rec, "cooperating") && !record_text(rec, "cooperating_opinion"))
			return fz_invalid(e, "cooperating_opinion", "有协办单位的，答复前须录入协办单位书面办理意见（" ZJ "第十八条）");
	} else if (strcmp(t->name, "close") == 0 || strcmp(t->name, "track") == 0) {
		int planned = record_is(rec, "result", "列入计划逐步解决");
		if (record_is(rec, "satisfaction", "不满意"))
			return fz_fail(e, 409, "dissatisfied", "satisfaction", "代表委员不满意的，应“重新办理”并在期限内重新答复（"
					ZJ "第二十四条）");
		if (planned != (t->name[0] == 't'))
			return fz_fail(e, 409, planned ? "planned" : "not_planned", "result",
				       planned ? "办理结果为“列入计划逐步解决”的，应转“跟踪落实”，解决后再次答复（" ZJ "第二十条）"
					       : "只有办理结果为“列入计划逐步解决”的才转“跟踪落实”");
	} else if (strcmp(t->name, "rehandle") == 0 && !record_is(rec, "satisfaction", "不满意")) {
		return fz_fail(e, 409, "not_dissatisfied", "satisfaction", "只有代表委员不满意的才“重新办理”");
	}
	return 0;
}

DOMAIN_HOOKS(proposal, .derive = derive, .redate = redate, .validate = validate, .gate = gate, .demo = proposal_demo)
