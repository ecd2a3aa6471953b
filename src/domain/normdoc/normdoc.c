/*
 * normdoc.c — 行政规范性文件, where the declaration cannot
 * (国办发〔2018〕37号 on making and overseeing them; 国办发〔2018〕115号 on
 * their legality review; the periods are the province's settings):
 *   - only a body on the 制定主体清单 registers one, and issues it;
 *   - the public comment period is at least the province's minimum in
 *     working days, or the draft says why it was not put out for comment;
 *   - the legality review is due within the province's working days; no
 *     collective deliberation or issuing without an opinion of 合法 or
 *     修改后合法 (115号: 未经审核或者审核不合法的，不得提交集体审议);
 *   - issuing gives the number in the body's series (number.c);
 *   - 报送备案 is due the province's days after publication, a late one
 *     marked; the filing review falls to the office of the level the
 *     document is filed with: the body's own government for a department's
 *     document, the government above for a government's;
 *   - the validity period (暂行、试行 shorter) runs from the day in force;
 *     a document lapses only once it has run out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/normdoc/normdoc.h"

#include "clock.h"

/* The body's kind ("government", …) and region path; 0, or -1 with e. */
static int body_of(const struct rec_ctx *c, int64_t body, char kind[16], char path[128], struct fz_err *e)
{
	db_stmt *st = db_prepare(c->d, "SELECT kind, region_path FROM bodies WHERE id = $1");
	db_bind_int(st, 1, body);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(kind, 16, "%s", db_col_text(st, 0));
		snprintf(path, 128, "%s", db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW ? 0 : fz_store(e, c->d);
}

/* The last day of a period of n working days whose first day is from. */
static int working_period_end(const char *from, int n, char out[DATE_STR])
{
	struct date d;
	char before[DATE_STR];
	if (date_parse(from, &d) != 0)
		return -1;
	date_format(date_from_days(date_to_days(d) - 1), before);
	return deadline_after(before, DL_WORKING_DAYS, n, out);
}

/* The day before the same date years on: a validity of n years from day. */
static void years_on(const char *day, int n, char out[DATE_STR])
{
	struct date d;
	if (date_parse(day, &d) != 0) {
		out[0] = 0;
		return;
	}
	struct date end = { d.year + n, d.month, d.month == 2 && d.day == 29 ? 28 : d.day };
	date_format(date_from_days(date_to_days(end) - 1), out);
}

/* The fields the clock and the settings give. */
static int dates(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	char day[DATE_STR];
	const char *sub = record_text(rec, "review_submitted_on"), *pub = record_text(rec, "published_on");
	const char *from = record_text(rec, "consult_from"), *to = record_text(rec, "consult_to");
	if (from && to && working_period_end(from, domain_setting(c, r, "consult_working_days"), day) == 0)
		record_set_text(rec, "consult_ok", strcmp(to, day) >= 0 ? "是" : "否");
	record_set_text(rec, "consult_required", record_text(rec, "consult_exempt_reason") ? "否" : "是");
	if (sub && deadline_after(sub, DL_WORKING_DAYS, domain_setting(c, r, "review_working_days"), day) != 0)
		return fz_invalid(e, "review_submitted_on", "无法计算合法性审核期限");
	record_set_text(rec, "review_due", sub ? day : NULL);
	if (pub && deadline_after(pub, DL_CALENDAR_DAYS, domain_setting(c, r, "filing_days"), day) != 0)
		return fz_invalid(e, "published_on", "无法计算报送备案期限");
	record_set_text(rec, "filing_due", pub ? day : NULL);
	const char *filed = record_text(rec, "filed_on");
	record_set_text(rec, "filed_late", pub && filed ? (strcmp(filed, day) > 0 ? "是" : "否") : NULL);
	const char *eff = record_text(rec, "effective_on");
	json_int_t years = json_integer_value(json_object_get(rec->data, "valid_years"));
	if (eff && years > 0)
		years_on(eff, (int)years, day);
	record_set_text(rec, "valid_until", eff && years > 0 ? day : NULL);
	return 0;
}

static int derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec,
		  const struct reg_transition *t, struct fz_err *e)
{
	char kind[16], path[128], prefix[64];
	int64_t issuer;
	if (!json_object_get(rec->data, "issuer")) { /* on creation: the body's entry in the list */
		int listed = normdoc_entitled(c, r, rec->body_id, &issuer, prefix, e);
		if (listed < 0 || body_of(c, rec->body_id, kind, path, e) != 0)
			return -1;
		if (!listed)
			return fz_fail(e, 422, "not_entitled", "body",
				       "该机关不在行政规范性文件制定主体清单内，不能制定行政规范性文件（国办发〔2018〕37号：严格确定制定主体）");
		json_object_set_new(rec->data, "issuer", json_integer(issuer));
		record_set_text(rec, "doc_kind", strcmp(kind, "government") == 0 ? "政府规范性文件" : "部门规范性文件");
	}
	if (t && !json_object_get(rec->data, "valid_years") && !strcmp(t->name, "issue")) /* the longest allowed */
		json_object_set_new(rec->data, "valid_years",
				    json_integer(domain_setting(c, r, record_is(rec, "provisional", "是") ? "provisional_valid_years"
												  : "valid_years")));
	if (t && !strcmp(t->name, "pass_filing_review"))
		record_set_text(rec, "filing_result", "通过");
	if (t && !strcmp(t->name, "order_correction"))
		record_set_text(rec, "filing_result", "纠正");
	static const char *const cleanup[][2] = { { "continue", "继续有效" }, { "amend", "修改" }, { "repeal", "废止" }, { "lapse", "失效" } };
	for (size_t i = 0; t && i < sizeof cleanup / sizeof cleanup[0]; i++)
		if (!strcmp(t->name, cleanup[i][0]))
			record_set_text(rec, "cleanup_decision", cleanup[i][1]);
	return dates(c, r, rec, e);
}

static int redate(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	return dates(c, r, rec, e);
}

/* Each of these dates no earlier than the one before it in the list. */
static int in_order(const struct record *rec, struct fz_err *e)
{
	static const char *const seq[][2] = {
		{ "consult_from", "征求意见起始日" }, { "consult_to", "征求意见截止日" },
		{ "review_submitted_on", "报送合法性审核日期" }, { "reviewed_on", "出具审核意见日期" },
		{ "deliberated_on", "集体审议日期" }, { "issued_on", "印发日期" }, { "published_on", "公布日期" },
		{ "filed_on", "报送备案日期" },
	};
	const char *last = rec->start_date, *last_label = "起草日期（起算日期）";
	for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
		const char *v = record_text(rec, seq[i][0]);
		if (!v)
			continue;
		if (strcmp(v, last) < 0)
			return fz_invalid(e, seq[i][0], "%s不能早于%s %s", seq[i][1], last_label, last);
		last = v, last_label = seq[i][1];
	}
	return 0;
}

static int validate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	char day[DATE_STR];
	const char *from = record_text(rec, "consult_from"), *to = record_text(rec, "consult_to");
	int min = domain_setting(c, r, "consult_working_days");
	if (in_order(rec, e) != 0)
		return -1;
	if (from && to && working_period_end(from, min, day) == 0 && strcmp(to, day) < 0)
		return fz_fail(e, 422, "consult_too_short", "consult_to",
			       "公开征求意见期限不少于 %d 个工作日（自 %s 起至少到 %s；国办发〔2018〕37号，本省规定）", min, from, day);
	json_t *years = json_object_get(rec->data, "valid_years");
	int cap = domain_setting(c, r, record_is(rec, "provisional", "是") ? "provisional_valid_years" : "valid_years");
	if (years && (json_integer_value(years) < 1 || json_integer_value(years) > cap))
		return fz_invalid(e, "valid_years", "%s的有效期为 1 至 %d 年（本省行政规范性文件管理办法）",
				  record_is(rec, "provisional", "是") ? "暂行、试行文件" : "行政规范性文件", cap);
	const char *fix = record_text(rec, "correction_due"), *reviewed = record_text(rec, "filing_reviewed_on");
	if (fix && strcmp(fix, reviewed ? reviewed : c->today) < 0)
		return fz_invalid(e, "correction_due", "纠正期限不能早于备案审查日期");
	return 0;
}

/* Whether c's user's scope holds the level the document is filed with. */
static int files_with(const struct rec_ctx *c, const struct record *rec, struct fz_err *e)
{
	char kind[16], path[128];
	if (!c->user || !c->user->scope_path[0])
		return 1;
	if (body_of(c, rec->body_id, kind, path, e) != 0)
		return -1;
	if (strcmp(kind, "government") == 0) { /* filed with the government above: the parent region */
		size_t n = strlen(path);
		while (n > 1 && path[n - 2] != '/')
			n--;
		path[n > 1 ? n - 1 : 0] = 0;
	}
	return strncmp(path, c->user->scope_path, strlen(c->user->scope_path)) == 0;
}

static int opinion_ok(const struct record *rec)
{
	return record_is(rec, "review_opinion", "合法") || record_is(rec, "review_opinion", "修改后合法");
}

static int gate(const struct rec_ctx *c, const struct reg_def *r, const struct reg_transition *t,
		const struct record *rec, struct fz_err *e)
{
	const char *n = t->name;
	if (!strcmp(n, "submit_review") && rec->state == register_state(r, "drafting") &&
	    !record_text(rec, "consult_exempt_reason") && !record_text(rec, "consult_to"))
		return fz_fail(e, 409, "consult_first", "transition",
			       "报送合法性审核前应先公开征求意见，或写明依法不公开征求意见的理由（国办发〔2018〕37号）");
	if ((!strcmp(n, "deliberate") || !strcmp(n, "issue")) && !opinion_ok(rec))
		return fz_fail(e, 409, "no_legality_opinion", "transition",
			       "合法性审核意见为“合法”或“修改后合法”的，方可提交集体审议和印发；未经审核或者审核不合法的不得提交（国办发〔2018〕115号）");
	if (!strcmp(n, "pass_filing_review") || !strcmp(n, "order_correction") || !strcmp(n, "accept_correction")) {
		int ok = files_with(c, rec, e);
		if (ok < 0)
			return -1;
		if (!ok)
			return fz_fail(e, 403, "not_filing_office", "transition",
				       "备案审查由接受备案的机关办理：部门文件报本级人民政府，政府文件报上一级人民政府");
	}
	const char *until = record_text(rec, "valid_until");
	if (!strcmp(n, "lapse") && (!until || strcmp(c->today, until) <= 0))
		return fz_fail(e, 409, "not_expired", "transition", "有效期至 %s，届满后方可登记失效", until ? until : "（未载明）");
	return 0;
}

/* Issued: its number. Published: into the public library. Repealed or
 * lapsed: shown there as 已废止. */
static int after_write(const struct rec_ctx *c, const struct reg_def *r, const struct record *old,
		       const struct record *rec, struct fz_err *e)
{
	int issued = register_state(r, "issued"), was = old ? old->state : -1;
	if (rec->state == was)
		return 0;
	if (rec->state == issued)
		return normdoc_number(c, r, rec, e);
	if (rec->state == register_state(r, "published"))
		return normdoc_publish(c, r, rec, NULL, e);
	if (rec->state == register_state(r, "repealed") || rec->state == register_state(r, "lapsed"))
		return normdoc_publish(c, r, rec, record_text(rec, "cleaned_on"), e);
	return 0;
}

DOMAIN_HOOKS(normdoc, .derive = derive, .redate = redate, .validate = validate, .gate = gate, .after_write = after_write,
	     .law_changed = normdoc_law_changed, .demo = normdoc_demo)
