/*
 * doc_issuer.c — 行政规范性文件制定主体清单 (data/registers/doc_issuer.json),
 * where the declaration cannot: a body is listed once at a time, and each
 * 发文代字 belongs to one listed body (the document numbers of its series
 * must not collide with another's).
 */
#include <stdio.h>
#include <string.h>

#include "domain.h"

static int validate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	if (rec->state != register_state(r, "listed"))
		return 0;
	const char *prefix = record_text(rec, "prefix");
	db_stmt *st = db_prepare(c->d, "SELECT body_id, data FROM records WHERE register = 'doc_issuer' AND state = 'listed'"
				       " AND id <> $1");
	db_bind_int(st, 1, rec->id);
	int rc, clash = 0;
	while (!clash && (rc = db_step(st)) == DB_ROW) {
		json_t *o = json_loads(db_col_text(st, 1), 0, NULL);
		const char *p = json_string_value(json_object_get(o, "prefix"));
		clash = db_col_int(st, 0) == rec->body_id ? 1 : prefix && p && strcmp(p, prefix) == 0 ? 2 : 0;
		json_decref(o);
	}
	db_done(st);
	if (clash == 1)
		return fz_fail(e, 409, "already_listed", "body", "该机关已在制定主体清单内");
	if (clash == 2)
		return fz_fail(e, 409, "duplicate_prefix", "prefix", "发文代字“%s”已由清单内的另一机关使用", prefix);
	return rc == DB_DONE ? 0 : fz_store(e, c->d);
}

DOMAIN_HOOKS(doc_issuer, .validate = validate)
