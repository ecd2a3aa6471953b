/*
 * enforcement_case.c — 行政处罚案件: the hooks of the register (domain.h).
 * derive computes what the law fixes from the steps' dates — the handling
 * limit from 立案 (第六十条, a setting, plus an approved extension), the
 * delivery limit from the decision (第六十一条, 第八十五条), whether the
 * hearing right and the 法制审核 apply — the party's kind from the
 * subject, and whether its body is a 综合行政执法机构 (4.21.1); gate
 * checks every act's officers (第四十二条, officers.c), the limitation at
 * 立案 (第三十六条) and the steps' own rules (rules.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/enforcement_case/enforcement_case.h"

#include "attach.h"
#include "clock.h"

int ec_after(const char *from, struct deadline_rule rule, char out[DATE_STR], const char *field, struct fz_err *e)
{
	struct date d, due;
	if (date_parse(from, &d) != 0 || deadline_compute(NULL, d, &rule, NULL, 0, &due, NULL, 0) < 0)
		return fz_invalid(e, field, "无法从 %s 计算期限", from);
	date_format(due, out);
	return 0;
}

/* The party's kind, from the subject (an enterprise is a 单位). */
static int party_kind(const struct rec_ctx *c, struct record *rec, struct fz_err *e)
{
	json_t *v = json_object_get(rec->data, "party");
	if (!json_is_integer(v))
		return record_set_text(rec, "party_kind", NULL), 0;
	db_stmt *st = db_prepare(c->d, "SELECT kind FROM subjects WHERE id = $1");
	if (st)
		db_bind_int(st, 1, json_integer_value(v));
	int rc = st ? db_step(st) : DB_ERR;
	if (rc == DB_ROW)
		record_set_text(rec, "party_kind", strcmp(db_col_text(st, 0), "person") == 0 ? "个人" : "单位");
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : fz_store(e, c->d);
}

/* Whether the case's body is a 综合行政执法机构 (a body of kind
 * "enforcement"): item 4.21.1 counts the cases they file. */
static int team(const struct rec_ctx *c, struct record *rec, struct fz_err *e)
{
	char id[24], *kind = NULL;
	if (record_text(rec, "team"))
		return 0;
	snprintf(id, sizeof id, "%lld", (long long)rec->body_id);
	int rc = db_lookup_text(c->d, "SELECT kind FROM bodies WHERE id = CAST($1 AS INTEGER)", &kind, 1, id);
	if (rc < 0)
		return fz_store(e, c->d);
	record_set_text(rec, "team", kind && strcmp(kind, "enforcement") == 0 ? "是" : "否");
	free(kind);
	return 0;
}

/* The dates the law fixes from the steps: the handling limit (第六十条)
 * and the delivery limit (第六十一条). */
static int limits(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	const char *filed = record_text(rec, "filed_on"), *decided = record_text(rec, "decided_on");
	char day[DATE_STR];
	if (filed) {
		/* LAW: 行政处罚法 第六十条 — 自立案之日起九十日内作出决定（设置项，另有规定的从其规定） */
		int days = ec_sector_setting(c, r, "handling_days", record_text(rec, "sector")) +
			   (int)json_integer_value(json_object_get(rec->data, "extension_days"));
		if (ec_after(filed, (struct deadline_rule){ .kind = DL_CALENDAR_DAYS, .days = days }, day, "handling_due", e) != 0)
			return -1;
		record_set_text(rec, "handling_due", day);
	}
	if (decided) {
		/* LAW: 行政处罚法 第六十一条、第八十五条 — 七日（工作日）内送达 */
		if (ec_after(decided, (struct deadline_rule){ .kind = DL_WORKING_DAYS, .days = 7 }, day, "delivery_due", e) != 0)
			return -1;
		record_set_text(rec, "delivery_due", day);
	}
	const char *delivered = record_text(rec, "delivered_on"), *due = record_text(rec, "delivery_due");
	record_set_text(rec, "delivery_on_time", delivered && due ? (strcmp(delivered, due) <= 0 ? "是" : "否") : NULL);
	return 0;
}

/* 第四十七条: each key step (启动、调查取证、审核、决定、送达、执行) leaves
 * a proof — at least one attachment more in force than at the previous
 * key step; a step taken without one is named in record_gaps, and the
 * closed case's record is complete when none is. */
static int full_record(const struct rec_ctx *c, struct record *rec, const struct reg_transition *t, struct fz_err *e)
{
	static const char *const key[] = { "file", "investigate", "review", "decide", "deliver", "execute", NULL };
	int is_key = 0;
	for (const char *const *k = key; t && *k; k++)
		is_key |= strcmp(t->name, *k) == 0;
	if (is_key) {
		struct attach_owner o = { "record", rec->id, NULL };
		int64_t now = attach_in_force(c->d, &o), before = json_integer_value(json_object_get(rec->data, "proofs"));
		if (now < 0)
			return fz_store(e, c->d);
		if (now <= before) {
			const char *gaps = record_text(rec, "record_gaps");
			char text[256];
			snprintf(text, sizeof text, "%s%s%s", gaps ? gaps : "", gaps ? "、" : "", t->label);
			record_set_text(rec, "record_gaps", text);
		}
		json_object_set_new(rec->data, "proofs", json_integer(now));
	}
	/* LAW: 行政处罚法 第四十七条 — 全过程记录，归档保存 */
	if (t && strcmp(t->name, "close") == 0)
		record_set_text(rec, "full_record", record_text(rec, "record_gaps") ? "否" : "是");
	return 0;
}

/* The decision checked against the newest benchmark listing its
 * violation: that version recorded on the case (国办发〔2022〕27号 —
 * the version applied stays with the case). */
static int benchmark_version(const struct rec_ctx *c, struct record *rec, const struct reg_transition *t,
			     struct fz_err *e)
{
	if (!t || strcmp(t->name, "decide") != 0 || !record_text(rec, "benchmark_code") || record_text(rec, "benchmark_version"))
		return 0;
	struct discretion_benchmark *b = ec_benchmark(c, rec, e);
	if (!b)
		return -1;
	record_set_text(rec, "benchmark_version", b->version);
	discretion_free(b);
	return 0;
}

static int derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec,
		  const struct reg_transition *t, struct fz_err *e)
{
	if (party_kind(c, rec, e) != 0 || team(c, rec, e) != 0 || ec_sector_derive(c, r, rec, e) != 0 || limits(c, r, rec, e) != 0 ||
	    full_record(c, rec, t, e) != 0 || benchmark_version(c, rec, t, e) != 0 || ec_disclosure_derive(c, r, rec, e) != 0)
		return -1;
	record_set_text(rec, "hearing_required", record_text(rec, "penalty_kind") ? (ec_hearing_required(c, r, rec) ? "是" : "否") : NULL);
	if (record_text(rec, "filed_on")) {
		record_set_text(rec, "review_state", !ec_review_required(c, r, rec) ? "无需审核"
					 : record_text(rec, "reviewed_on") ? "已审核" : "待审核");
		/* every act since 立案 passed ec_officers_check (gate) */
		record_set_text(rec, "certified", "是");
	}
	if (record_text(rec, "decided_on")) {
		const char *cat = record_text(rec, "decision_category");
		int spared = cat && strcmp(cat, "不予处罚") == 0;
		record_set_text(rec, "benchmark_applied", record_text(rec, "benchmark_code") ? "是" : "否");
		/* LAW: 行政处罚法 第三十三条第一款 — 首违不罚 / 轻微不罚 applied */
		record_set_text(rec, "lenient_applied", spared && record_is(rec, "minor", "是") && record_is(rec, "corrected", "是") &&
						    (record_is(rec, "no_harm", "是") || record_is(rec, "first_violation", "是"))
					    ? "是" : "否");
	}
	return 0;
}

/* A calendar was loaded or corrected: the limits counted again. */
static int redate(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	return limits(c, r, rec, e) != 0 ? -1 : ec_disclosure_derive(c, r, rec, e);
}

static int validate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	json_t *ext = json_object_get(rec->data, "extension_days"), *fen = json_object_get(rec->data, "amount_fen");
	const char *violated = record_text(rec, "violation_date"), *told = record_text(rec, "notified_on");
	const char *notice = record_text(rec, "hearing_notice_date"), *held = record_text(rec, "hearing_date");
	int max = domain_setting(c, r, "extension_max_days");
	if (ext && (json_integer_value(ext) < 0 || json_integer_value(ext) > max))
		return fz_invalid(e, "extension_days", "经批准延长办案期限应为 0 到 %d 日（行政处罚法第六十条及有关规章）", max);
	if (ext && json_integer_value(ext) > 0 && !record_text(rec, "extension_reason"))
		return fz_invalid(e, "extension_reason", "延长办案期限的，须填写批准情况（批准人及日期）");
	if (fen && json_integer_value(fen) < 0)
		return fz_invalid(e, "amount_fen", "罚没金额（分）不能为负数");
	if (violated && strcmp(violated, rec->start_date) > 0)
		return fz_invalid(e, "violation_date", "违法行为发生（终了）日期不能晚于登记日期 %s", rec->start_date);
	if (told && notice && strcmp(notice, told) < 0)
		return fz_invalid(e, "hearing_notice_date", "听证通知日期不能早于告知日期 %s", told);
	if (notice && held && strcmp(held, notice) < 0)
		return fz_invalid(e, "hearing_date", "举行听证日期不能早于听证通知日期 %s", notice);
	return 0;
}

/* 第三十六条: the violation found within two years (five where life,
 * health or financial safety is harmed), counted from its (last) day. */
static int limitation_gate(const struct record *rec, struct fz_err *e)
{
	int years = record_is(rec, "grave", "是") ? 5 : 2;
	char last[DATE_STR];
	struct date d, end;
	if (date_parse(record_text(rec, "violation_date"), &d) != 0)
		return fz_invalid(e, "violation_date", "违法行为发生（终了）日期应为 YYYY-MM-DD 格式的日期");
	end = d;
	end.year += years;
	if (end.month == 2 && end.day == 29 && !date_valid(end))
		end.day = 28;
	date_format(end, last);
	/* LAW: 行政处罚法 第三十六条 — 二年（五年）内未被发现的，不再给予行政处罚 */
	if (strcmp(rec->start_date, last) > 0)
		return fz_fail(e, 409, "limitation_expired", "violation_date",
			       "违法行为自 %s 起 %d 年内（至 %s）未被发现，%s 登记时已超过追责时效，不再给予行政处罚（行政处罚法第三十六条），应不予立案",
			       record_text(rec, "violation_date"), years, last, rec->start_date);
	return 0;
}

static int gate(const struct rec_ctx *c, const struct reg_def *r, const struct reg_transition *t,
		const struct record *rec, struct fz_err *e)
{
	if (ec_officers_check(c, rec, c->today, e) != 0)
		return -1;
	if (strcmp(t->name, "file") == 0)
		return limitation_gate(rec, e);
	if (strcmp(t->name, "notify") == 0)
		return ec_notify_gate(c, r, rec, e);
	if (strcmp(t->name, "hear") == 0)
		return ec_hear_gate(rec, e);
	if (strcmp(t->name, "decide") == 0)
		return ec_decide_gate(c, r, rec, e);
	return 0;
}

/* The year's cases, then the publication of their decisions. */
static int demo(struct demo_ctx *d, const struct reg_def *r, int year, struct fz_err *e)
{
	return enforcement_case_demo(d, r, year, e) != 0 ? -1 : ec_disclosure_demo(d, r, year, e);
}

DOMAIN_HOOKS(enforcement_case, .derive = derive, .redate = redate, .validate = validate, .gate = gate,
	     .demo = demo)
