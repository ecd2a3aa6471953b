/*
 * number.c — who may issue a 行政规范性文件 and the number it is issued
 * under (统一登记、统一编号、统一印发, 国办发〔2018〕37号): the body's entry
 * in the 制定主体清单 (a register of its own, reached through the
 * definition's "issuer" reference, never by name) gives the 发文代字; the
 * numbers are kept in normdoc_numbers (migration 042), one document each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/normdoc/normdoc.h"

int normdoc_entitled(const struct rec_ctx *c, const struct reg_def *r, int64_t body, int64_t *id,
		      char prefix[64], struct fz_err *e)
{
	int f = register_field(r, "issuer");
	db_stmt *st = db_prepare(c->d, "SELECT id, data FROM records WHERE register = $1 AND body_id = $2"
				       " AND state = 'listed' ORDER BY id LIMIT 1");
	db_bind_text(st, 1, f >= 0 ? r->fields[f].ref : "");
	db_bind_int(st, 2, body);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		json_t *o = json_loads(db_col_text(st, 1), 0, NULL);
		*id = db_col_int(st, 0);
		snprintf(prefix, 64, "%s", o ? json_string_value(json_object_get(o, "prefix")) : "");
		json_decref(o);
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return fz_store(e, c->d);
	return rc == DB_ROW;
}

/* The number's owner: the record id holding number, 0 when free, -1 on a
 * store error. */
static int64_t holder(const struct rec_ctx *c, const char *number)
{
	int64_t id = 0;
	int rc = db_lookup_int(c->d, "SELECT record_id FROM normdoc_numbers WHERE number = $1", &id, 1, number);
	return rc < 0 ? -1 : id;
}

/* The body's next number of year into out. */
static int next_number(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, int year,
		       char out[96], int64_t *seq, struct fz_err *e)
{
	char prefix[64], sbody[24], syear[8];
	int64_t issuer, last = 0;
	int listed = normdoc_entitled(c, r, rec->body_id, &issuer, prefix, e);
	if (listed < 0)
		return -1;
	if (!listed || !*prefix)
		return fz_fail(e, 409, "not_entitled", "body", "制定机关不在行政规范性文件制定主体清单内（或已移出清单），不能统一编号印发");
	snprintf(sbody, sizeof sbody, "%lld", (long long)rec->body_id);
	snprintf(syear, sizeof syear, "%d", year);
	if (db_lookup_int(c->d, "SELECT MAX(seq) FROM normdoc_numbers WHERE body_id = CAST($1 AS INTEGER)"
				" AND year = CAST($2 AS INTEGER)", &last, 2, sbody, syear) < 0)
		return fz_store(e, c->d);
	*seq = last + 1;
	snprintf(out, 96, "%s〔%d〕%lld号", prefix, year, (long long)*seq);
	return 0;
}

int normdoc_number(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	const char *given = record_text(rec, "doc_number"), *day = record_text(rec, "issued_on");
	char number[96];
	int64_t seq = 0, year = day ? atoi(day) : atoi(c->today);
	int64_t owner = holder(c, given ? given : "");
	if (owner < 0)
		return fz_store(e, c->d);
	if (given && owner == rec->id)
		return 0; /* numbered already */
	if (given && owner)
		return fz_fail(e, 409, "duplicate_number", "doc_number", "文号“%s”已被另一件行政规范性文件使用（统一编号，一号一文）", given);
	if (given)
		snprintf(number, sizeof number, "%s", given);
	else if (next_number(c, r, rec, (int)year, number, &seq, e) != 0)
		return -1;
	db_stmt *st = db_prepare(c->d, "INSERT INTO normdoc_numbers(number, body_id, year, seq, record_id) VALUES ($1, $2, $3, $4, $5)");
	db_bind_text(st, 1, number);
	db_bind_int(st, 2, rec->body_id);
	db_bind_int(st, 3, year);
	db_bind_int(st, 4, seq);
	db_bind_int(st, 5, rec->id);
	int rc = db_run_done(st);
	if (rc == DB_CONSTRAINT)
		return fz_fail(e, 409, "duplicate_number", "doc_number", "文号“%s”已被另一件行政规范性文件使用（统一编号，一号一文）", number);
	if (rc != DB_DONE)
		return fz_store(e, c->d);
	if (given)
		return 0;
	struct rec_ctx sys = *c;
	sys.user = NULL; /* the platform numbers it */
	return record_annotate(&sys, r, rec->id, json_pack("{s:s}", "doc_number", number), "number", NULL, e);
}
