/*
 * record_import.c — import of register records (record_import.h): the one
 * path from an import object to a record with its history, the JSON Lines
 * reader, and the all-or-nothing transaction with its report and audit
 * entry around either reader.
 */
#include "record_import.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "record_csv.h"

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

int record_import_object(struct rec_ctx *c, const struct reg_def *r, json_t *o, struct fz_err *e)
{
	static const char *const fields[] = { "body", "start_date", "data", "history", NULL };
	const char *body, *start;
	int64_t id;
	if (field_allowed(o, fields, e) || field_str(o, "body", "责任单位", 1, 64, &body, e) ||
	    field_str(o, "start_date", "起算日期", 1, 10, &start, e) ||
	    record_create(c, r, body, start, json_object_get(o, "data"), &id, e))
		return -1;
	return replay(c, r, id, json_object_get(o, "history"), start, e);
}

/* One line's JSON object (new reference), or NULL with e. */
static json_t *parse_line(const char *line, size_t n, struct fz_err *e)
{
	if (validate_utf8(line, n) != 0) {
		fz_fail(e, 400, "bad_utf8", NULL, "不是有效的 UTF-8 编码");
		return NULL;
	}
	json_error_t je;
	json_t *o = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		fz_fail(e, 400, "bad_json", NULL, "JSON 格式错误（第 %d 列）: %s", je.column, je.text);
	return o;
}

int record_import_line(struct rec_ctx *c, const struct reg_def *r, const char *line, size_t n, struct fz_err *e)
{
	json_t *o = parse_line(line, n, e);
	int rc = o ? record_import_object(c, r, o, e) : -1;
	json_decref(o);
	return rc;
}

enum record_format record_format_of(const char *filename)
{
	const char *dot = filename ? strrchr(filename, '.') : NULL;
	return dot && strcasecmp(dot, ".csv") == 0 ? RECORD_CSV : RECORD_JSONL;
}

/* Reads JSON Lines, handing each non-empty line to row(). */
static int read_jsonl(FILE *in, record_row_fn row, void *arg)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int64_t lineno = 0;
	int rc = 0;
	while (rc == 0 && (n = getline(&line, &cap, in)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (n == 0)
			continue;
		struct fz_err e = { 0 };
		json_t *o = NULL;
		if (n > IMPORT_MAX_LINE)
			fz_fail(&e, 413, "too_large", NULL, "行过长（上限 %d 字节）", IMPORT_MAX_LINE);
		else
			o = parse_line(line, (size_t)n, &e);
		rc = row(arg, lineno, o, o ? NULL : &e);
		json_decref(o);
	}
	free(line);
	return rc;
}

struct import_run {
	struct rec_ctx *c;
	const struct reg_def *r;
	struct record_report *rep;
};

static void report(struct record_report *rep, int64_t line, const struct fz_err *e)
{
	rep->bad++;
	rep->refused += e->status == 403;
	rep->failed |= e->status >= 500;
	if (rep->bad > IMPORT_MAX_ERRORS)
		return;
	if (rep->errors)
		fprintf(rep->errors, "第 %" PRId64 " 行: %s%s%s%s\n", line, e->msg, e->field ? "（字段 " : "",
			e->field ? e->field : "", e->field ? "）" : "");
	if (rep->items) {
		char msg[sizeof e->msg];
		snprintf(msg, sizeof msg, "%s", e->msg);
		utf8_scrub(msg);
		json_array_append_new(rep->items, json_pack("{s:I, s:s?, s:s}", "line", (json_int_t)line, "field",
							    e->field, "message", msg));
	}
}

/* record_row_fn: imports one row, or reports why it cannot be. */
static int take(void *arg, int64_t line, json_t *o, const struct fz_err *err)
{
	struct import_run *run = arg;
	struct fz_err e = { 0 };
	run->rep->rows++;
	if (err)
		e = *err;
	else if (record_import_object(run->c, run->r, o, &e) == 0)
		return 0;
	report(run->rep, line, &e);
	if (e.status == 500 && run->rep->errors)
		fprintf(run->rep->errors, "第 %" PRId64 " 行之后的行未检查\n", line);
	return e.status == 500 ? -1 : 0;
}

/* Commits the import with its audit entry, or rolls it back; 0, 1 or -1. */
static int finish(struct rec_ctx *c, const struct reg_def *r, const struct audit_actor *actor,
		  struct record_report *rep)
{
	if (rep->bad) {
		db_rollback(c->d);
		metrics_batch_clear(c->batch);
		if (rep->errors && rep->bad > IMPORT_MAX_ERRORS)
			fprintf(rep->errors, "……另有 %" PRId64 " 行错误未列出\n", rep->bad - IMPORT_MAX_ERRORS);
		if (rep->errors)
			fprintf(rep->errors, "共 %" PRId64 " 行，其中 %" PRId64 " 行有错误：未导入任何记录。\n", rep->rows,
				rep->bad);
		return 1;
	}
	int rc = 0;
	json_t *d = json_pack("{s:s, s:I}", "register", r->name, "records", (json_int_t)rep->rows);
	if (metrics_batch_flush(c->d, c->batch) != 0 || audit_append(c->d, actor, "import", r->name, "", "ok", d) != 0 ||
	    db_commit(c->d) != 0) {
		db_rollback(c->d);
		metrics_batch_clear(c->batch);
		rc = -1;
	}
	json_decref(d);
	return rc;
}

int record_import_stream(struct rec_ctx *c, const struct reg_def *r, enum record_format f, FILE *in,
			 struct record_report *rep)
{
	const struct audit_actor *actor = c->actor;
	struct metrics_batch *own = NULL;
	struct import_run run = { .c = c, .r = r, .rep = rep };
	int rc = -1;
	if (!c->batch && !(c->batch = own = metrics_batch_new()))
		return -1;
	c->actor = NULL; /* one audit entry for the import, none per record */
	if (db_begin(c->d) == 0) {
		int stopped = f == RECORD_CSV ? record_csv_read(r, in, take, &run) : read_jsonl(in, take, &run);
		if (stopped && !rep->bad) { /* stopped without a reason to report */
			db_rollback(c->d);
			metrics_batch_clear(c->batch);
		} else {
			rc = finish(c, r, actor, rep);
		}
	}
	c->actor = actor;
	if (own) {
		c->batch = NULL;
		metrics_batch_free(own);
	}
	return rc;
}
