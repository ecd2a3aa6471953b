/* import.c — JSON Lines import, all or nothing (see import.h). */
#include "import.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "validate.h"

static const char *const types[] = { "region", "body", "person", "subject" };

int import_line(struct org_ctx *c, const char *line, size_t n, int *type, struct fz_err *e)
{
	if (validate_utf8(line, n) != 0)
		return fz_fail(e, 400, "bad_utf8", NULL, "不是有效的 UTF-8 编码");
	json_error_t je;
	json_t *o = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		return fz_fail(e, 400, "bad_json", NULL, "JSON 格式错误（第 %d 列）: %s", je.column, je.text);
	int rc;
	int64_t id;
	*type = -1;
	if (!json_is_object(o)) {
		rc = fz_fail(e, 400, "bad_json", NULL, "每行应为一个 JSON 对象");
	} else {
		const char *t = json_string_value(json_object_get(o, "type"));
		for (int i = 0; t && i < 4; i++)
			if (strcmp(t, types[i]) == 0)
				*type = i;
		rc = org_put(c, o, &id, e);
	}
	json_decref(o);
	return rc;
}

static void report(struct import_report *r, int64_t lineno, const struct fz_err *e)
{
	r->bad++;
	if (r->errors && r->bad <= IMPORT_MAX_ERRORS)
		fprintf(r->errors, "第 %" PRId64 " 行: %s%s%s%s\n", lineno, e->msg, e->field ? "（字段 " : "",
			e->field ? e->field : "", e->field ? "）" : "");
}

static int finish(struct org_ctx *c, struct import_report *r, const char *digest, int64_t lineno)
{
	if (r->errors && r->bad > IMPORT_MAX_ERRORS)
		fprintf(r->errors, "……另有 %" PRId64 " 行错误未列出\n", r->bad - IMPORT_MAX_ERRORS);
	if (r->bad) {
		db_rollback(c->d);
		if (r->errors)
			fprintf(r->errors, "共 %" PRId64 " 行，其中 %" PRId64 " 行有错误：未导入任何记录。\n",
				lineno, r->bad);
		return 1;
	}
	json_t *d = json_pack("{s:I, s:I, s:I, s:I, s:s}", "regions", (json_int_t)r->counts[0], "bodies",
			      (json_int_t)r->counts[1], "people", (json_int_t)r->counts[2], "subjects",
			      (json_int_t)r->counts[3], "sm3", digest);
	int rc = audit_append(c->d, c->actor, "import", "org", "", "ok", d);
	json_decref(d);
	if (rc != 0 || db_commit(c->d) != 0) {
		db_rollback(c->d);
		return -1;
	}
	return 0;
}

int import_stream(struct org_ctx *c, FILE *in, struct import_report *r)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int64_t lineno = 0;
	int store_failed = 0;
	crypto_hash *h = crypto_hash_new(HASH_SM3);
	const struct audit_actor *actor = c->actor;
	struct org_region_cache *own = c->regions ? NULL : org_region_cache_new();
	if (own)
		c->regions = own;
	c->actor = NULL; /* one audit entry for the whole import */
	db_bulk_begin(c->d);
	if (db_begin(c->d) != 0) {
		c->actor = actor;
		if (own)
			c->regions = NULL;
		org_region_cache_free(own);
		db_bulk_end(c->d);
		char unused[65];
		crypto_hash_final_hex(h, unused); /* frees h */
		return -1;
	}
	while ((n = getline(&line, &cap, in)) >= 0) {
		lineno++;
		crypto_hash_update(h, line, (size_t)n);
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (n == 0 || store_failed)
			continue;
		r->lines++;
		struct fz_err e = { 0 };
		int type;
		if (n > IMPORT_MAX_LINE) {
			fz_fail(&e, 413, "too_large", NULL, "行过长（上限 %d 字节）", IMPORT_MAX_LINE);
			report(r, lineno, &e);
		} else if (import_line(c, line, (size_t)n, &type, &e) != 0) {
			report(r, lineno, &e);
			/* PostgreSQL aborts the transaction on a store error. */
			store_failed = e.status == 500 || (e.status == 409 && db_backend_of(c->d) == DB_POSTGRES);
			if (store_failed && r->errors)
				fprintf(r->errors, "第 %" PRId64 " 行之后的行未检查\n", lineno);
		} else {
			r->counts[type]++;
		}
	}
	free(line);
	char digest[65];
	crypto_hash_final_hex(h, digest);
	c->actor = actor;
	if (own)
		c->regions = NULL;
	org_region_cache_free(own);
	int rc = finish(c, r, digest, lineno);
	db_bulk_end(c->d);
	return rc;
}
