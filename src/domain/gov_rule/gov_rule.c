/*
 * gov_rule.c — 政府规章, where the declaration cannot (规章制定程序条例 2017):
 *   - only the people's government of a province or of a 设区的市 makes
 *     them (立法法 第九十三条);
 *   - the draft is put out for comment for at least 30 days, unless the
 *     reason for fewer or none is written (第十五条), and is submitted for
 *     review only once the comment period has closed;
 *   - in force no sooner than 30 days after publication, unless the reason
 *     for at once is written (第三十二条);
 *   - filed within 30 days of publication (第三十四条; 法规规章备案审查条例
 *     第四条), the last day moved off rest days.
 */
#include <stdio.h>
#include <string.h>

#include "domain/gov_rule/gov_rule.h"

#include "clock.h"

/* day + n calendar days (no moving off rest days: a least period). */
static int plus_days(const char *day, int n, char out[DATE_STR])
{
	struct date d;
	if (date_parse(day, &d) != 0)
		return -1;
	date_format(date_from_days(date_to_days(d) + n), out);
	return 0;
}

static int dates(struct record *rec, struct fz_err *e)
{
	char day[DATE_STR];
	const char *from = record_text(rec, "consult_from"), *to = record_text(rec, "consult_to");
	const char *pub = record_text(rec, "published_on");
	record_set_text(rec, "consult_required", !from && record_text(rec, "consult_short_reason") ? "否" : "是");
	record_set_text(rec, "consult_ok", from && to && plus_days(from, GR_CONSULT_DAYS, day) == 0 ? (strcmp(to, day) >= 0 ? "是" : "否") : NULL);
	if (pub && deadline_after(pub, DL_CALENDAR_DAYS, GR_FILING_DAYS, day) != 0)
		return fz_invalid(e, "published_on", "无法计算报送备案期限");
	record_set_text(rec, "filing_due", pub ? day : NULL);
	return 0;
}

/* Whether the body is the people's government of a province or a city
 * with districts (the regions' level 1 or 2): 1, 0, or -1 with e. */
static int may_make(const struct rec_ctx *c, int64_t body, struct fz_err *e)
{
	db_stmt *st = db_prepare(c->d, "SELECT b.kind = 'government' AND g.level <= 2 FROM bodies b"
				       " JOIN regions g ON g.code = b.region_code WHERE b.id = $1");
	db_bind_int(st, 1, body);
	int rc = db_step(st), ok = rc == DB_ROW && db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? ok : fz_store(e, c->d);
}

static int derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec,
		  const struct reg_transition *t, struct fz_err *e)
{
	(void)r, (void)t;
	if (rec->state == r->initial && !record_text(rec, "consult_required")) { /* on creation */
		int ok = may_make(c, rec->body_id, e);
		if (ok < 0)
			return -1;
		if (!ok)
			return fz_fail(e, 422, "not_entitled", "body",
				       "只有省、自治区、直辖市和设区的市、自治州的人民政府可以制定规章（立法法第九十三条）");
	}
	return dates(rec, e);
}

static int redate(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	(void)c, (void)r;
	return dates(rec, e);
}

static int validate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	(void)c, (void)r;
	char day[DATE_STR];
	const char *from = record_text(rec, "consult_from"), *to = record_text(rec, "consult_to");
	const char *pub = record_text(rec, "published_on"), *eff = record_text(rec, "effective_on");
	const char *decided = record_text(rec, "decided_on"), *filed = record_text(rec, "filed_on");
	if (!from != !to)
		return fz_invalid(e, from ? "consult_to" : "consult_from", "征求意见的起始日和截止日应同时填写");
	if (from && (strcmp(from, rec->start_date) < 0 || strcmp(to, from) < 0))
		return fz_invalid(e, "consult_to", "征求意见期间应在起草之后，截止日不早于起始日");
	if (from && plus_days(from, GR_CONSULT_DAYS, day) == 0 && strcmp(to, day) < 0 && !record_text(rec, "consult_short_reason"))
		return fz_fail(e, 422, "consult_too_short", "consult_to",
			       "向社会公布征求意见的期限一般不少于 30 日（自 %s 起至少到 %s；规章制定程序条例第十五条），少于 30 日的应写明理由", from, day);
	if (decided && pub && strcmp(pub, decided) < 0)
		return fz_invalid(e, "published_on", "公布日期不能早于会议决定日期 %s", decided);
	if (pub && eff && strcmp(eff, pub) < 0)
		return fz_invalid(e, "effective_on", "施行日期不能早于公布日期 %s", pub);
	if (pub && eff && plus_days(pub, GR_EFFECTIVE_DAYS, day) == 0 && strcmp(eff, day) < 0 && !record_text(rec, "immediate_reason"))
		return fz_fail(e, 422, "effective_too_soon", "effective_on",
			       "规章应当自公布之日起 30 日后施行（%s 起；规章制定程序条例第三十二条），提前施行的应写明理由", day);
	if (pub && filed && strcmp(filed, pub) < 0)
		return fz_invalid(e, "filed_on", "报送备案日期不能早于公布日期 %s", pub);
	return 0;
}

static int gate(const struct rec_ctx *c, const struct reg_def *r, const struct reg_transition *t,
		const struct record *rec, struct fz_err *e)
{
	(void)r;
	const char *to = record_text(rec, "consult_to");
	if (strcmp(t->name, "submit_review") != 0)
		return 0;
	if (!to && !record_text(rec, "consult_short_reason"))
		return fz_fail(e, 409, "consult_first", "transition",
			       "报送审查前应向社会公布草案征求意见，依法需要保密的写明理由（规章制定程序条例第十五条）");
	if (to && strcmp(to, c->today) >= 0)
		return fz_fail(e, 409, "consult_open", "transition", "征求意见期至 %s 届满，届满后方可报送审查", to);
	return 0;
}

DOMAIN_HOOKS(gov_rule, .derive = derive, .redate = redate, .validate = validate, .gate = gate, .demo = gov_rule_demo)
