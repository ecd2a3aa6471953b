/*
 * disclosure.c — 行政处罚决定公示 (行政处罚法 第四十八条): which decisions
 * must be published and by when, the masked view that is published
 * (stored as published in penalty_disclosures, the only thing the public
 * pages read), and its withdrawal within three working days of the
 * decision's change, saying why. Publishing and withdrawing do not move
 * the case: they annotate it (record_annotate), audited on its timeline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/enforcement_case/enforcement_case.h"

#include "crypto.h"
#include "mask_text.h"
#include "org.h"

/* LAW: 行政处罚法 第四十八条第一款 — 具有一定社会影响的行政处罚决定应当依法公开.
 * The demo locality's rule: every decision under the ordinary procedure
 * except 不予处罚; a minor's case never. */
static int required(const struct record *rec)
{
	const char *proc = record_text(rec, "procedure"), *kind = record_text(rec, "penalty_kind");
	const char *cat = record_text(rec, "decision_category");
	return record_text(rec, "decided_on") && proc && strcmp(proc, "普通程序") == 0 && !(kind && strcmp(kind, "不予处罚") == 0) &&
	       !(cat && strcmp(cat, "不予处罚") == 0) && !record_is(rec, "party_minor", "是");
}

int ec_disclosure_derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	const char *decided = record_text(rec, "decided_on"), *changed = record_text(rec, "changed_on");
	char day[DATE_STR];
	int must = required(rec);
	record_set_text(rec, "disclose_required", decided ? (must ? "是" : "否") : NULL);
	if (must) {
		/* 国办发〔2018〕118号: 7 个工作日; 市场监管: 公示规定 第九条, 20 个工作日 */
		int days = ec_sector_setting(c, r, "disclose_days", record_text(rec, "sector"));
		if (ec_after(decided, (struct deadline_rule){ .kind = DL_WORKING_DAYS, .days = days }, day, "disclose_due", e) != 0)
			return -1;
		record_set_text(rec, "disclose_due", day);
	} else {
		record_set_text(rec, "disclose_due", NULL);
	}
	const char *published = record_text(rec, "published_on"), *due = record_text(rec, "disclose_due");
	record_set_text(rec, "disclosed_on_time", published && due ? (strcmp(published, due) <= 0 ? "是" : "否") : NULL);
	if (changed) {
		/* LAW: 行政处罚法 第四十八条第二款、第八十五条 — 三日（工作日）内撤回并说明理由 */
		if (ec_after(changed, (struct deadline_rule){ .kind = DL_WORKING_DAYS, .days = 3 }, day, "withdraw_due", e) != 0)
			return -1;
		record_set_text(rec, "withdraw_due", day);
	}
	return 0;
}

/* Whether the person with ID number idn was under 18 on day: the birth
 * date of an 18-digit number (digits 7–14) or a 15-digit one (7–12, 19xx). */
static int minor_on(const char *idn, const char *day)
{
	size_t n = strlen(idn);
	char adult[32];
	int y, m, d;
	if (n == 18 ? sscanf(idn + 6, "%4d%2d%2d", &y, &m, &d) != 3 : n == 15 ? sscanf(idn + 6, "%2d%2d%2d", &y, &m, &d) != 3 : 1)
		return 0;
	if (n == 15)
		y += 1900;
	snprintf(adult, sizeof adult, "%04d-%02d-%02d", y + 18, m, d);
	return strcmp(day, adult) < 0;
}

/* 未成年人: the field the officer sets, or the party's ID number read
 * with key (its birth date, on the day of the violation). */
static int party_minor(const struct rec_ctx *c, const struct record *rec, const unsigned char *key)
{
	json_t *party = json_object_get(rec->data, "party");
	const char *on = record_text(rec, "violation_date");
	if (record_is(rec, "party_minor", "是"))
		return 1;
	if (!key || !json_is_integer(party) || !on)
		return 0;
	char *idn = org_subject_id_number(c->d, key, json_integer_value(party));
	int minor = idn && minor_on(idn, on);
	if (idn) {
		crypto_wipe(idn, strlen(idn));
		free(idn);
	}
	return minor;
}

/* May rec be published now? The refusal names the rule. */
static int publishable(const struct rec_ctx *c, const struct record *rec, const unsigned char *key, struct fz_err *e)
{
	const char *published = record_text(rec, "published_on"), *withdrawn = record_text(rec, "withdrawn_on");
	if (!record_text(rec, "decided_on"))
		return fz_fail(e, 409, "not_decided", "decided_on", "案件尚未作出行政处罚决定，不能公示");
	if (withdrawn)
		return fz_fail(e, 409, "already_withdrawn", "withdrawn_on", "该决定的公示已于 %s 撤回，不再公示", withdrawn);
	if (published)
		return fz_fail(e, 409, "already_published", "published_on", "该决定已于 %s 公示，不能重复公示", published);
	if (party_minor(c, rec, key))
		return fz_fail(e, 409, "party_minor", "party_minor",
			       "当事人为未成年人，其行政处罚决定不予公开（未成年人案件一律不公示）");
	if (!required(rec))
		return fz_fail(e, 409, "not_required", "disclose_required",
			       "该决定不属于应当公示的范围：本地规定普通程序作出的行政处罚决定应当公示，简易程序和不予处罚的决定除外（行政处罚法第四十八条）");
	return 0;
}

/* text with mask_text applied, as a JSON string; null when absent. */
static json_t *masked(const char *text)
{
	if (!text)
		return json_null();
	size_t n = strlen(text) * 2 + 16;
	char *out = malloc(n);
	if (!out)
		return NULL;
	mask_text(text, out, n);
	json_t *v = json_string(out);
	free(out);
	return v;
}

/* The first character of a name and 某: 张三 → 张某. */
static json_t *surname(const char *name)
{
	size_t k = 1;
	while (name[k] && ((unsigned char)name[k] & 0xC0) == 0x80)
		k++;
	char out[16];
	snprintf(out, sizeof out, "%.*s某", (int)(k < 8 ? k : 0), name);
	return json_string(out);
}

/* The party as published: a unit in full with its 统一社会信用代码; a
 * natural person as 张某, or in full when the locality says so. Never an
 * ID number. */
static json_t *party(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	json_t *id = json_object_get(rec->data, "party"), *o = NULL;
	db_stmt *st = db_prepare(c->d, "SELECT kind, name, uscc FROM subjects WHERE id = $1");
	db_bind_int(st, 1, json_integer_value(id));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const char *name = db_col_text(st, 1);
		if (strcmp(db_col_text(st, 0), "person") == 0)
			o = json_pack("{s:s, s:o}", "kind", "个人", "name",
				      domain_setting(c, r, "disclose_person_full_name") ? masked(name) : surname(name));
		else
			o = json_pack("{s:s, s:o, s:s?}", "kind", "单位", "name", masked(name), "uscc", db_col_text(st, 2));
	}
	db_done(st);
	if (!o)
		fz_fail(e, rc == DB_DONE ? 409 : 500, rc == DB_DONE ? "no_party" : "store_error", "party",
			rc == DB_DONE ? "案件的当事人不存在，不能公示" : "数据库错误: %s", db_errmsg(c->d));
	return o;
}

/* A text column of one row (id), or NULL; -1 on a store error. */
static int lookup(const struct rec_ctx *c, const char *sql, int64_t id, char **out, struct fz_err *e)
{
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	*out = NULL;
	int rc = db_lookup_text(c->d, sql, out, 1, sid);
	return rc < 0 ? fz_store(e, c->d) : 0;
}

/* The published view of rec: 案号, 决定书文号, 当事人, 违法事实, 处罚依据,
 * 处罚种类, 罚没金额, 作出决定的机关, 决定日期 — every free text masked. */
static json_t *view(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	char *matter = NULL, *body = NULL;
	json_t *who = party(c, r, rec, e), *m = NULL, *o = NULL;
	if (who && lookup(c, "SELECT data FROM records WHERE id = CAST($1 AS INTEGER)",
			  json_integer_value(json_object_get(rec->data, "matter")), &matter, e) == 0 &&
	    lookup(c, "SELECT name FROM bodies WHERE id = CAST($1 AS INTEGER)", rec->body_id, &body, e) == 0) {
		m = matter ? json_loads(matter, 0, NULL) : NULL;
		json_t *fen = json_object_get(rec->data, "amount_fen");
		o = json_pack("{s:o, s:o, s:O, s:o, s:o, s:o, s:o, s:I, s:o, s:s, s:o}", "case_no", masked(record_text(rec, "case_no")),
			      "decision_no", masked(record_text(rec, "decision_no")), "party", who, "violation",
			      masked(record_text(rec, "violation")), "basis", masked(json_string_value(json_object_get(m, "basis"))),
			      "penalty_kind", masked(record_text(rec, "penalty_kind")), "matter",
			      masked(json_string_value(json_object_get(m, "name"))), "amount_fen",
			      (json_int_t)(json_is_integer(fen) ? json_integer_value(fen) : 0), "body", masked(body),
			      "decided_on", record_text(rec, "decided_on"), "sector", masked(record_text(rec, "sector")));
		if (!o)
			fz_fail(e, 500, "no_memory", NULL, "内存不足");
	}
	json_decref(who);
	json_decref(m);
	free(matter);
	free(body);
	return o;
}

int ec_disclosure_preview(const struct rec_ctx *c, const struct reg_def *r, int64_t id, const unsigned char *key,
			  json_t **out, struct fz_err *e)
{
	struct record rec;
	*out = NULL;
	if (record_load(c, r, id, &rec, e) != 0)
		return -1;
	if (publishable(c, &rec, key, e) == 0)
		*out = view(c, r, &rec, e);
	record_free(&rec);
	return *out ? 0 : -1;
}

int ec_publish(struct rec_ctx *c, const struct reg_def *r, int64_t id, const unsigned char *key, const char *day,
	       struct fz_err *e)
{
	struct record rec;
	json_t *v;
	if (ec_disclosure_preview(c, r, id, key, &v, e) != 0 || record_load(c, r, id, &rec, e) != 0)
		return -1;
	char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	db_stmt *st = db_prepare(c->d, "INSERT INTO penalty_disclosures(case_id, body_id, region_path, decided_on,"
				       " published_at, published_on, content) VALUES ($1, $2, $3, $4, $5, $6, $7)");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, rec.body_id);
	db_bind_text(st, 3, rec.region_path);
	db_bind_text(st, 4, record_text(&rec, "decided_on"));
	db_bind_int(st, 5, (int64_t)time(NULL));
	db_bind_text(st, 6, day);
	db_bind_text(st, 7, text);
	int rc = text ? db_run(st) : DB_ERR;
	db_done(st);
	free(text);
	json_decref(v);
	record_free(&rec);
	if (rc != DB_DONE)
		return fz_store(e, c->d);
	json_t *values = json_pack("{s:s}", "published_on", day);
	rc = record_annotate(c, r, id, values, "publish", NULL, e);
	json_decref(values);
	return rc;
}

/* The withdrawal's kind among the field's choices, its reason and the
 * day the decision changed (after the decision, not after today). */
static int withdrawal_ok(const struct reg_def *r, const struct record *rec, const char *kind, const char *reason,
			 const char *changed_on, const char *day, struct fz_err *e)
{
	const struct reg_field *f = &r->fields[register_field(r, "withdraw_kind")];
	struct date d;
	int known = 0;
	for (int i = 0; kind && i < f->nchoices; i++)
		known |= strcmp(kind, f->choices[i]) == 0;
	if (!known)
		return fz_invalid(e, "kind", "撤回公示的情形应为 变更、撤销、确认违法、确认无效 或 公示期满 之一");
	if (!reason || !*reason)
		return fz_invalid(e, "reason", "撤回公示的理由不能为空（行政处罚法第四十八条第二款：撤回并公开说明理由）");
	if (!changed_on || date_parse(changed_on, &d) != 0)
		return fz_invalid(e, "changed_on", "决定被变更、撤销、确认违法或无效（公示期满）的日期应为 YYYY-MM-DD 格式的日期");
	if (strcmp(changed_on, day) > 0)
		return fz_invalid(e, "changed_on", "决定被变更、撤销、确认违法或无效（公示期满）的日期不能晚于今天 %s", day);
	if (strcmp(changed_on, record_text(rec, "decided_on")) < 0)
		return fz_invalid(e, "changed_on", "决定被变更、撤销、确认违法或无效（公示期满）的日期不能早于决定日期 %s",
				  record_text(rec, "decided_on"));
	return 0;
}

int ec_withdraw(struct rec_ctx *c, const struct reg_def *r, int64_t id, const char *kind, const char *reason,
		const char *changed_on, const char *day, struct fz_err *e)
{
	struct record rec;
	int rc = 0;
	if (record_load(c, r, id, &rec, e) != 0)
		return -1;
	if (record_text(&rec, "withdrawn_on"))
		rc = fz_fail(e, 409, "already_withdrawn", "withdrawn_on", "该决定的公示已于 %s 撤回", record_text(&rec, "withdrawn_on"));
	else if (!record_text(&rec, "published_on"))
		rc = fz_fail(e, 409, "not_published", "published_on", "该决定尚未公示，无需撤回");
	else
		rc = withdrawal_ok(r, &rec, kind, reason, changed_on, day, e);
	record_free(&rec);
	if (rc != 0)
		return -1;
	json_t *why = masked(reason);
	db_stmt *st = db_prepare(c->d, "UPDATE penalty_disclosures SET withdrawn_at = $2, withdrawn_on = $3, withdraw_kind = $4,"
				       " withdraw_reason = $5 WHERE case_id = $1 AND withdrawn_at IS NULL");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, (int64_t)time(NULL));
	db_bind_text(st, 3, day);
	db_bind_text(st, 4, kind);
	db_bind_text(st, 5, json_string_value(why));
	rc = why ? db_run(st) : DB_ERR;
	int64_t n = rc == DB_DONE ? db_changes(st) : 0;
	db_done(st);
	json_decref(why);
	if (rc != DB_DONE || n != 1)
		return rc != DB_DONE ? fz_store(e, c->d)
				     : fz_fail(e, 409, "not_published", "published_on", "该决定的公示记录不存在，无法撤回");
	json_t *values = json_pack("{s:s, s:s, s:s, s:s}", "withdrawn_on", day, "withdraw_kind", kind, "withdraw_reason", reason,
				   "changed_on", changed_on);
	rc = record_annotate(c, r, id, values, "withdraw_publication", NULL, e);
	json_decref(values);
	return rc;
}
