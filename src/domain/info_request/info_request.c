/*
 * info_request.c — 政府信息公开申请, where the declaration cannot:
 *   - the answer is due 20 working days from receipt, or from the receipt
 *     of the corrected request after a 补正 notice (第三十条), 20 more with
 *     the approval recorded (第三十三条第二款), the days spent consulting a
 *     third party or another body not counted (第三十三条第三款); while a
 *     补正 is awaited nothing is due;
 *   - the 补正 notice within 7 working days of receipt (第三十条);
 *   - a refusal, a partial answer or 不予处理 says its reason and ground
 *     (第三十六条第三项, 第三十七条);
 *   - the answer's detail fits its type, and 不予公开, 不予处理 and 其他处理
 *     have one: the annual report counts by them (第五十条; annual.c);
 *   - each request gets its number once written (GK + year + id).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/info_request/info_request.h"

#include "clock.h"
#include "due.h"

void ir_number(int64_t id, const char *received_on, char out[32])
{
	snprintf(out, 32, "GK%.4s-%06lld", received_on, (long long)id);
}

int64_t ir_number_id(const char *number)
{
	char *end;
	if (!number || strlen(number) < 13 || strncmp(number, "GK", 2) != 0 || number[6] != '-')
		return 0;
	long long id = strtoll(number + 7, &end, 10);
	return *end || id <= 0 ? 0 : id;
}

/* The answer's due date into rec, explained into list (may be NULL). */
static int set_due(struct record *rec, json_t *list, struct fz_err *e)
{
	const char *from = record_text(rec, "supplement_received_on"), *c1 = record_text(rec, "consult_from"),
		   *c2 = record_text(rec, "consult_to");
	struct deadline_rule rule = { .kind = DL_WORKING_DAYS, .days = IR_ANSWER_DAYS,
				      .basis = from ? "政府信息公开条例 第三十条（自收到补正的申请之日起）、第三十三条"
						    : "政府信息公开条例 第三十三条" };
	struct extension ext[2];
	int n = 0;
	if (record_text(rec, "extension_reason"))
		ext[n++] = (struct extension){ .kind = EXT_WORKING_DAYS, .days = IR_EXTENSION_DAYS, .reason = "延长答复期限" };
	if (c1 && c2) {
		ext[n] = (struct extension){ .kind = EXT_PAUSE, .reason = "征求意见时间不计入" };
		if (date_parse(c1, &ext[n].from) != 0 || date_parse(c2, &ext[n].to) != 0)
			return fz_invalid(e, "consult_to", "征求意见期间的日期无效");
		n++;
	}
	char day[DATE_STR];
	if (due_line(list, "due", "答复期限", from ? from : rec->start_date, &rule, ext, n, day) != 0)
		return fz_invalid(e, "start_date", "无法计算答复期限");
	json_object_set_new(rec->data, "due", json_string(day));
	return 0;
}

static int derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec,
		  const struct reg_transition *t, struct fz_err *e)
{
	(void)c;
	int waiting = t ? strcmp(t->name, "request_supplement") == 0
			: rec->state == register_state(r, "supplement_requested");
	if (waiting) { /* 第三十条: the period runs from the corrected request */
		json_object_del(rec->data, "due");
		return 0;
	}
	return rec->state == register_state(r, "answered") || rec->state == register_state(r, "abandoned")
		       ? 0 : set_due(rec, NULL, e);
}

static int redate(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	return derive(c, r, rec, NULL, e);
}

static int validate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	(void)c, (void)r;
	const char *c1 = record_text(rec, "consult_from"), *c2 = record_text(rec, "consult_to");
	const char *asked = record_text(rec, "supplement_noticed_on"), *got = record_text(rec, "supplement_received_on");
	if (!c1 != !c2)
		return fz_invalid(e, c1 ? "consult_to" : "consult_from", "征求意见的起始日和结束日应同时填写");
	if (c1 && (strcmp(c2, c1) < 0 || strcmp(c1, rec->start_date) < 0))
		return fz_invalid(e, "consult_to", "征求意见期间应在收到申请之后，结束日不早于起始日");
	if (asked && got && strcmp(got, asked) < 0)
		return fz_invalid(e, "supplement_received_on", "收到补正的日期不能早于告知补正的日期 %s", asked);
	const char *org = record_text(rec, "org_kind");
	if (org && record_is(rec, "requester_kind", "自然人"))
		return fz_invalid(e, "org_kind", "申请人为自然人的，不填写法人或者其他组织的类别");
	const char *type = record_text(rec, "answer_type");
	if (type && (!strcmp(type, "部分公开") || !strcmp(type, "不予公开") || !strcmp(type, "不予处理")) &&
	    !record_text(rec, "answer_ground"))
		return fz_invalid(e, "answer_ground", "“%s”的答复须说明理由和依据（政府信息公开条例第三十六条第三项、第三十七条）", type);
	int fit = type ? ir_detail_check(type, record_text(rec, "answer_detail")) : 0;
	if (fit == IR_DETAIL_MISSING)
		return fz_invalid(e, "answer_detail", "“%s”的答复须选择办理结果细项，供政府信息公开工作年度报告统计（政府信息公开条例第五十条）", type);
	if (fit == IR_DETAIL_MISMATCH)
		return fz_invalid(e, "answer_detail", "办理结果细项“%s”不属于“%s”（见政府信息公开工作年度报告格式）",
				  record_text(rec, "answer_detail"), type);
	return 0;
}

static int gate(const struct rec_ctx *c, const struct reg_def *r, const struct reg_transition *t,
		const struct record *rec, struct fz_err *e)
{
	(void)r;
	char last[DATE_STR];
	if (strcmp(t->name, "request_supplement") != 0)
		return 0;
	if (record_text(rec, "supplement_received_on")) /* a second round */
		return fz_fail(e, 409, "supplement_once", "transition", "补正应一次性告知（政府信息公开条例第三十条），不能再次告知补正");
	if (deadline_after(rec->start_date, DL_WORKING_DAYS, IR_SUPPLEMENT_DAYS, last) != 0)
		return fz_invalid(e, "start_date", "无法计算告知补正的期限");
	if (strcmp(c->today, last) > 0)
		return fz_fail(e, 409, "window_closed", "transition",
			       "告知补正须在收到申请之日起 %d 个工作日内（%s 前，政府信息公开条例第三十条），已超过期限", IR_SUPPLEMENT_DAYS, last);
	return 0;
}

/* Once written: the request's number (the system writes it). */
static int after_write(const struct rec_ctx *c, const struct reg_def *r, const struct record *old,
		       const struct record *rec, struct fz_err *e)
{
	char number[32];
	if (old || record_text(rec, "number"))
		return 0;
	ir_number(rec->id, rec->start_date, number);
	struct rec_ctx sys = *c;
	sys.user = NULL;
	return record_annotate(&sys, r, rec->id, json_pack("{s:s}", "number", number), "number", NULL, e);
}

/* The 期限说明 of an open request: the answer's period, explained. */
static int deadlines(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, json_t *list,
		     struct fz_err *e)
{
	(void)c;
	if (rec->state != register_state(r, "received"))
		return 0;
	struct record copy = *rec;
	copy.data = json_deep_copy(rec->data);
	int rc = set_due(&copy, list, e);
	json_decref(copy.data);
	return rc;
}

DOMAIN_HOOKS(info_request, .derive = derive, .redate = redate, .validate = validate, .gate = gate,
	     .after_write = after_write, .deadlines = deadlines, .demo = info_request_demo)
