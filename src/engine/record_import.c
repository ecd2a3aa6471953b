/* record_import.c — JSON Lines import of register records (record_import.h). */
#include "record_import.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "metrics.h"
#include "validate.h"

static int replay(struct rec_ctx *c, const struct reg_def *r, int64_t id, json_t *history, const char *start,
		  struct fz_err *e)
{
	size_t i;
	json_t *h;
	char prev[11];
	snprintf(prev, sizeof prev, "%s", start);
	if (history && (!json_is_array(history) || json_array_size(history) > 32))
		return fz_invalid(e, "history", "history 应为至多 32 步的数组");
	json_array_foreach(history, i, h) {
		static const char *const fields[] = { "transition", "date", "data", NULL };
		const char *t, *date;
		char why[128];
		if (field_allowed(h, fields, e) || field_str(h, "transition", "操作", 1, 32, &t, e) ||
		    field_str(h, "date", "日期", 1, 10, &date, e))
			return -1;
		if (validate_date(date, why, sizeof why) != 0 || strcmp(date, prev) < 0 || strcmp(date, c->today) > 0)
			return fz_invalid(e, "history", "第 %zu 步的日期 %s 应不早于上一步、不晚于今天", i + 1, date);
		char today[11];
		snprintf(today, sizeof today, "%s", c->today);
		snprintf(c->today, sizeof c->today, "%s", date);
		int rc = record_transition(c, r, id, t, json_object_get(h, "data"), e);
		snprintf(c->today, sizeof c->today, "%s", today);
		if (rc != 0)
			return -1;
		snprintf(prev, sizeof prev, "%s", date);
	}
	return 0;
}

int record_import_line(struct rec_ctx *c, const struct reg_def *r, const char *line, size_t n, struct fz_err *e)
{
	static const char *const fields[] = { "body", "start_date", "data", "history", NULL };
	if (validate_utf8(line, n) != 0)
		return fz_fail(e, 400, "bad_utf8", NULL, "不是有效的 UTF-8 编码");
	json_error_t je;
	json_t *o = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		return fz_fail(e, 400, "bad_json", NULL, "JSON 格式错误（第 %d 列）: %s", je.column, je.text);
	const char *body, *start;
	int64_t id;
	int rc = -1;
	if (field_allowed(o, fields, e) == 0 && field_str(o, "body", "责任单位", 1, 64, &body, e) == 0 &&
	    field_str(o, "start_date", "起算日期", 1, 10, &start, e) == 0 &&
	    record_create(c, r, body, start, json_object_get(o, "data"), &id, e) == 0)
		rc = replay(c, r, id, json_object_get(o, "history"), start, e);
	json_decref(o);
	return rc;
}

int record_import_stream(struct rec_ctx *c, const struct reg_def *r, FILE *in, struct import_report *rep)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int64_t lineno = 0;
	const struct audit_actor *actor = c->actor;
	struct metrics_batch *own = NULL;
	if (!c->batch && !(c->batch = own = metrics_batch_new()))
		return -1;
	c->actor = NULL;
	if (db_begin(c->d) != 0) {
		c->actor = actor;
		if (own)
			c->batch = NULL;
		metrics_batch_free(own);
		return -1;
	}
	while ((n = getline(&line, &cap, in)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (n == 0)
			continue;
		rep->lines++;
		struct fz_err e = { 0 };
		if (n > IMPORT_MAX_LINE)
			fz_fail(&e, 413, "too_large", NULL, "行过长（上限 %d 字节）", IMPORT_MAX_LINE);
		else if (record_import_line(c, r, line, (size_t)n, &e) == 0)
			continue;
		rep->bad++;
		if (rep->errors && rep->bad <= IMPORT_MAX_ERRORS)
			fprintf(rep->errors, "第 %" PRId64 " 行: %s%s%s%s\n", lineno, e.msg, e.field ? "（字段 " : "",
				e.field ? e.field : "", e.field ? "）" : "");
		if (e.status == 500 || db_backend_of(c->d) == DB_POSTGRES) {
			if (e.status == 500 && rep->errors)
				fprintf(rep->errors, "第 %" PRId64 " 行之后的行未检查\n", lineno);
			if (e.status == 500)
				break;
		}
	}
	free(line);
	c->actor = actor;
	int rc = 0;
	if (rep->bad) {
		db_rollback(c->d);
		metrics_batch_clear(c->batch);
		if (rep->errors)
			fprintf(rep->errors, "共 %" PRId64 " 行，其中 %" PRId64 " 行有错误：未导入任何记录。\n", lineno, rep->bad);
		rc = 1;
	} else {
		json_t *d = json_pack("{s:s, s:I}", "register", r->name, "records", (json_int_t)rep->lines);
		if (metrics_batch_flush(c->d, c->batch) != 0 || audit_append(c->d, actor, "import", r->name, "", "ok", d) != 0 ||
		    db_commit(c->d) != 0) {
			db_rollback(c->d);
			metrics_batch_clear(c->batch);
			rc = -1;
		}
		json_decref(d);
	}
	if (own) {
		c->batch = NULL;
		metrics_batch_free(own);
	}
	return rc;
}
