/*
 * mediation.c — 行政调解、行政裁决案件, where the declaration cannot:
 *   - the period from the day of acceptance (the record's start date): a
 *     行政调解 the days of its setting (the province's rule, e.g. 深圳经济
 *     特区矛盾纠纷多元化解条例 第二十五条, thirty days), a 行政裁决 those
 *     of its own (the granting law's, e.g. 政府采购法 第五十六条); the last
 *     day moved off rest days, recomputed when a calendar is loaded;
 *   - each kind its dispute types and outcomes (已裁决 only for a 行政裁决,
 *     调解成功/调解不成功 only for a 行政调解); dates in order;
 *   - a success has its 调解协议书 number, a ruling its 裁决书 number, and
 *     both their performance recorded before the case is filed away.
 */
#include <stdio.h>
#include <string.h>

#include "domain/mediation/mediation.h"

#include "clock.h"

static const char *const adjudicated_types[] = { "自然资源权属争议", "知识产权侵权纠纷", "政府采购活动争议", "其他行政裁决事项" };

static int adjudication(const struct record *rec) { return record_is(rec, "kind", "行政裁决"); }

/* Whether the outcome carries a document to perform (协议书, 裁决书). */
static int binding(const struct record *rec)
{
	return record_is(rec, "outcome", "调解成功") || record_is(rec, "outcome", "已裁决");
}

static int set_due(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	char day[DATE_STR];
	int n = domain_setting(c, r, adjudication(rec) ? "adjudication_days" : "mediation_days");
	if (deadline_after(rec->start_date, DL_CALENDAR_DAYS, n, day) != 0)
		return fz_invalid(e, "start_date", "无法从受理日期 %s 计算办理期限", rec->start_date);
	json_object_set_new(rec->data, "due", json_string(day));
	return 0;
}

static int derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec,
		  const struct reg_transition *t, struct fz_err *e)
{
	(void)t;
	record_set_text(rec, "concluded_kind", record_text(rec, "outcome") ? record_text(rec, "kind") : NULL);
	return rec->state == 0 ? set_due(c, r, rec, e) : 0;
}

static int redate(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	return set_due(c, r, rec, e);
}

static int type_fits(const struct record *rec)
{
	const char *type = record_text(rec, "dispute_type");
	int listed = 0;
	for (size_t i = 0; type && i < sizeof adjudicated_types / sizeof adjudicated_types[0]; i++)
		listed |= strcmp(type, adjudicated_types[i]) == 0;
	return !type || listed == adjudication(rec);
}

static int outcome_fits(const struct record *rec)
{
	if (record_is(rec, "outcome", "已裁决"))
		return adjudication(rec);
	return !(record_is(rec, "outcome", "调解成功") || record_is(rec, "outcome", "调解不成功")) || !adjudication(rec);
}

static int validate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	(void)c, (void)r;
	const char *kind = record_text(rec, "kind"), *applied = record_text(rec, "applied_on");
	const char *concluded = record_text(rec, "concluded_on");
	if (!type_fits(rec))
		return fz_fail(e, 422, "type_not_for_kind", "dispute_type", "纠纷类型“%s”不属于%s案件", record_text(rec, "dispute_type"), kind);
	if (!outcome_fits(rec))
		return fz_fail(e, 422, "outcome_not_for_kind", "outcome", "%s案件的办理结果不能为“%s”（行政调解：调解成功、调解不成功、终止；"
			       "行政裁决：已裁决、终止）", kind, record_text(rec, "outcome"));
	if (applied && strcmp(applied, rec->start_date) > 0)
		return fz_invalid(e, "applied_on", "申请日期不能晚于受理日期 %s", rec->start_date);
	if (concluded && strcmp(concluded, rec->start_date) < 0)
		return fz_invalid(e, "concluded_on", "办结日期不能早于受理日期 %s", rec->start_date);
	if (binding(rec) && !record_text(rec, "document_number"))
		return fz_invalid(e, "document_number", record_is(rec, "outcome", "已裁决") ? "已裁决的须登记行政裁决书文号"
											  : "调解成功的须登记调解协议书编号");
	return 0;
}

static int gate(const struct rec_ctx *c, const struct reg_def *r, const struct reg_transition *t,
		const struct record *rec, struct fz_err *e)
{
	(void)c, (void)r;
	if (strcmp(t->name, "close") == 0 && binding(rec) && !record_text(rec, "performance"))
		return fz_invalid(e, "performance", "调解协议、行政裁决的履行情况须登记后才能归档");
	return 0;
}

DOMAIN_HOOKS(mediation, .derive = derive, .redate = redate, .validate = validate, .gate = gate, .demo = mediation_demo)
