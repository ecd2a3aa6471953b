/*
 * judicial_suggestion.c — 司法建议、检察建议, where the declaration cannot:
 *   - the written reply's period from the day the suggestion was received
 *     (the record's start date): a 公益诉讼 检察建议 two months, fifteen
 *     days in the urgent case (最高人民法院、最高人民检察院关于检察公益诉讼
 *     案件适用法律若干问题的解释 第二十一条第二款); a 司法建议 or another
 *     检察建议 the months its setting gives; recomputed when a calendar is
 *     loaded (redate);
 *   - the urgent case only for a 公益诉讼 检察建议;
 *   - each suggestion becomes an item of the register that receives gaps
 *     (整改台账, source 司法建议、检察建议), for the same body, due with the
 *     reply, created in the same transaction and linked (remedy).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/judicial_suggestion/judicial_suggestion.h"

#include "clock.h"
#include "query.h"

#define SOURCE "司法建议、检察建议" /* the remedial item's source */

/* The reply's due date from the day received, by the statutory clock. */
static int set_due(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	int pil = record_is(rec, "kind", "公益诉讼检察建议"), urgent = pil && record_is(rec, "urgent", "是");
	int n = domain_setting(c, r, urgent ? "urgent_reply_days"
				     : pil ? "public_interest_reply_months"
				     : record_is(rec, "kind", "司法建议") ? "court_reply_months" : "procuratorate_reply_months");
	char day[DATE_STR];
	if (deadline_after(rec->start_date, urgent ? DL_CALENDAR_DAYS : DL_MONTHS, n, day) != 0)
		return fz_invalid(e, "start_date", "无法从收到日期 %s 计算书面回复期限", rec->start_date);
	json_object_set_new(rec->data, "due", json_string(day));
	return 0;
}

static int derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec,
		  const struct reg_transition *t, struct fz_err *e)
{
	(void)t;
	/* the period follows the kind and the urgency while they may change */
	return rec->state == 0 ? set_due(c, r, rec, e) : 0;
}

static int redate(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	return set_due(c, r, rec, e);
}

static int validate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	(void)c, (void)r;
	if (record_is(rec, "urgent", "是") && !record_is(rec, "kind", "公益诉讼检察建议"))
		return fz_invalid(e, "urgent", "十五日内书面回复的紧急情形只适用于检察公益诉讼中的检察建议（检察公益诉讼解释第二十一条第二款）");
	const char *replied = record_text(rec, "replied_on");
	if (replied && strcmp(replied, rec->start_date) < 0)
		return fz_invalid(e, "replied_on", "书面回复日期不能早于收到建议的日期 %s", rec->start_date);
	return 0;
}

/* On registration: the remedial item (整改), linked from the suggestion. */
static int after_write(const struct rec_ctx *c, const struct reg_def *r, const struct record *old,
		       const struct record *rec, struct fz_err *e)
{
	char issue[600];
	if (old || record_text(rec, "remedy"))
		return 0;
	snprintf(issue, sizeof issue, "%s %s（%s）：%.420s", record_text(rec, "issuer"), record_text(rec, "number"), record_text(rec, "kind"),
		 record_text(rec, "content"));
	return domain_remedy(c, r, rec, SOURCE, issue, record_text(rec, "due"), rec->start_date, e);
}

DOMAIN_HOOKS(judicial_suggestion, .derive = derive, .redate = redate, .validate = validate, .after_write = after_write,
	     .demo = judicial_suggestion_demo)
