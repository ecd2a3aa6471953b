/*
 * record_import.c — import of register records (record_import.h): the one
 * path from an import object to a record with its history, the JSON Lines
 * reader, and the runs around either reader: all or nothing in one
 * transaction (HTTP, with a row cap), or a checking pass and then batched
 * transactions (the CLI); each import is a row of the imports table that
 * its records link to, and one audit entry with the file's SM3 digest,
 * the row count and the id range.
 */
#include "record_import.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "record_csv.h"
#include "record_xlsx.h"

#include "fields.h"
#include "crypto.h"
#include "metrics.h"
#include "roles.h"
#include "validate.h"

/* Back-dating: a history step dated before the day of the import records
 * an act as if done then; only a role with PERM_RECORD_BACKDATE (or the
 * system) may. */
static int may_backdate(const struct rec_ctx *c) { return !c->user || role_can(c->user->role, PERM_RECORD_BACKDATE); }

/* Checks every step of a history before anything is written: its shape,
 * dates in order and not after today, and back-dating (a step dated
 * before today) only by a caller who may. Counts back-dated steps. */
static int check_history(const struct rec_ctx *c, json_t *history, const char *start, int64_t *backdated,
			 struct fz_err *e)
{
	size_t i;
	json_t *h;
	const char *prev = start;
	if (history && (!json_is_array(history) || json_array_size(history) > 32))
		return fz_invalid(e, "history", "办理历史应为至多 32 步的数组");
	json_array_foreach(history, i, h) {
		static const char *const fields[] = { "transition", "date", "data", NULL };
		const char *t, *date;
		char why[128];
		if (!json_is_object(h))
			return fz_invalid(e, "history", "办理历史第 %zu 步应为 JSON 对象", i + 1);
		if (field_allowed(h, fields, e) || field_str(h, "transition", "操作", 1, 32, &t, e) ||
		    field_str(h, "date", "日期", 1, 10, &date, e))
			return -1;
		if (validate_date(date, why, sizeof why) != 0 || strcmp(date, prev) < 0 || strcmp(date, c->today) > 0)
			return fz_invalid(e, "history", "第 %zu 步的日期 %s 应不早于上一步、不晚于今天", i + 1, date);
		if (strcmp(date, c->today) < 0 && !may_backdate(c))
			return fz_fail(e, 403, "backdate_forbidden", "history",
				       "第 %zu 步的日期 %s 早于今天：补录历史（倒签日期）只能由协调员导入", i + 1, date);
		*backdated += strcmp(date, c->today) < 0;
		prev = date;
	}
	return 0;
}

/* Replays a checked history: each step on its date. */
static int replay(struct rec_ctx *c, const struct reg_def *r, int64_t id, json_t *history, struct fz_err *e)
{
	size_t i;
	json_t *h;
	char today[11];
	snprintf(today, sizeof today, "%s", c->today);
	json_array_foreach(history, i, h) {
		snprintf(c->today, sizeof c->today, "%s", json_string_value(json_object_get(h, "date")));
		int rc = record_transition(c, r, id, json_string_value(json_object_get(h, "transition")),
					   json_object_get(h, "data"), e);
		snprintf(c->today, sizeof c->today, "%s", today);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int record_import_object(struct rec_ctx *c, const struct reg_def *r, json_t *o, int64_t *id, int64_t *backdated,
			 struct fz_errs *all, struct fz_err *e)
{
	static const char *const fields[] = { "body", "start_date", "data", "history", NULL };
	const char *body, *start;
	int64_t steps = 0;
	json_t *history = json_object_get(o, "history");
	if (field_allowed(o, fields, e) ||
	    (field_str(o, "body", "责任单位", 1, 64, &body, e) && !fz_keep(all, e)) ||
	    (field_str(o, "start_date", "起算日期", 1, 10, &start, e) && !fz_keep(all, e)) ||
	    (check_history(c, history, start ? start : "", &steps, e) && !fz_keep(all, e)) ||
	    record_create_all(c, r, body, start, json_object_get(o, "data"), id, all, e) ||
	    replay(c, r, *id, history, e))
		return -1;
	*backdated += steps;
	return 0;
}

const char *record_column_label(const struct reg_def *r, const char *name)
{
	static const char *const own[][2] = { { "body", "责任单位" }, { "start_date", "起算日期" }, { "history", "办理历史" } };
	for (size_t i = 0; name && i < sizeof own / sizeof own[0]; i++)
		if (strcmp(name, own[i][0]) == 0)
			return own[i][1];
	int f = name ? register_field(r, name) : -1;
	return f >= 0 ? r->fields[f].label : NULL;
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

enum record_format record_format_of(const char *filename, const void *head, size_t n, enum record_format dflt)
{
	static const unsigned char ole[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	const unsigned char *b = head;
	if (n >= 4 && b[0] == 'P' && b[1] == 'K' && ((b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6)))
		return RECORD_XLSX;
	if (n >= sizeof ole && memcmp(b, ole, sizeof ole) == 0)
		return RECORD_XLSX;
	static const struct { const char *ext; enum record_format f; } by_name[] = {
		{ ".xlsx", RECORD_XLSX }, { ".xls", RECORD_XLSX }, { ".csv", RECORD_CSV },
		{ ".jsonl", RECORD_JSONL }, { ".ndjson", RECORD_JSONL },
	};
	const char *dot = filename ? strrchr(filename, '.') : NULL;
	for (size_t i = 0; dot && i < sizeof by_name / sizeof by_name[0]; i++)
		if (strcasecmp(dot, by_name[i].ext) == 0)
			return by_name[i].f;
	return dflt;
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

int record_import_digest(FILE *in, char out[65])
{
	char buf[65536];
	size_t n;
	crypto_hash *h = crypto_hash_new(HASH_SM3);
	if (!h)
		return -1;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		crypto_hash_update(h, buf, n);
	crypto_hash_final_hex(h, out);
	return ferror(in) || fseek(in, 0, SEEK_SET) != 0 ? -1 : 0;
}

enum pass { PASS_ONCE, PASS_CHECK, PASS_WRITE };

struct import_run {
	struct rec_ctx *c;
	const struct reg_def *r;
	const struct record_import_opts *o;
	struct record_report *rep;
	const struct audit_actor *actor; /* who the one audit entry names */
	enum pass pass;
	int64_t in_batch;   /* rows in the open transaction */
	struct fz_errs *all; /* the errors of the row being imported */
};

/* One error of a row, while fewer than IMPORT_MAX_ERRORS are listed. */
static void report_one(const struct reg_def *r, struct record_report *rep, int64_t line, const struct fz_err *e)
{
	if (rep->listed >= IMPORT_MAX_ERRORS) {
		rep->unlisted++;
		return;
	}
	rep->listed++;
	const char *label = record_column_label(r, e->field);
	if (!label)
		label = e->field; /* a column the register does not have: as the file names it */
	if (rep->errors)
		fprintf(rep->errors, "第 %" PRId64 " 行%s%s%s: %s\n", line, label ? "（" : "", label ? label : "",
			label ? "）" : "", e->msg);
	if (rep->items) {
		char msg[sizeof e->msg];
		snprintf(msg, sizeof msg, "%s", e->msg);
		utf8_scrub(msg);
		json_array_append_new(rep->items, json_pack("{s:I, s:s?, s:s?, s:s?, s:s}", "line", (json_int_t)line,
							    "field", e->field, "label", label, "code", e->code,
							    "message", msg));
	}
}

/* A bad row: every error of it (all), or its one error (e). */
static void report(const struct reg_def *r, struct record_report *rep, int64_t line, const struct fz_errs *all,
		   const struct fz_err *e)
{
	int n = all && all->n ? all->n : 1, refused = 0;
	rep->bad++;
	rep->failed |= e->status >= 500;
	for (int i = 0; i < n; i++) {
		const struct fz_err *x = all && all->n ? &all->v[i] : e;
		refused |= x->status == 403;
		report_one(r, rep, line, x);
	}
	rep->refused += refused;
}

/* Ends the open transaction: written (the counters flushed) or, in the
 * checking pass, rolled back. 0 or -1. */
static int end_batch(struct import_run *run, int keep)
{
	struct rec_ctx *c = run->c;
	run->in_batch = 0;
	if (keep && metrics_batch_flush(c->d, c->batch) == 0 && db_commit(c->d) == 0)
		return 0;
	db_rollback(c->d);
	metrics_batch_clear(c->batch);
	return keep ? -1 : 0;
}

/* A full batch: close it and open the next. */
static int next_batch(struct import_run *run)
{
	if (run->pass == PASS_ONCE || run->in_batch < run->o->batch_rows)
		return 0;
	if (end_batch(run, run->pass == PASS_WRITE && !run->rep->bad) != 0 || db_begin(run->c->d) != 0)
		return -1;
	run->rep->batches += run->pass == PASS_WRITE;
	return 0;
}

/* record_row_fn: imports one row, or reports why it cannot be. */
static int take(void *arg, int64_t line, json_t *o, const struct fz_err *err)
{
	struct import_run *run = arg;
	struct record_report *rep = run->rep;
	struct fz_err e = { 0 };
	int64_t id = 0;
	if (run->o->max_rows && rep->rows >= run->o->max_rows) {
		rep->over_cap = 1;
		return -1;
	}
	rep->rows++;
	run->in_batch++;
	run->all->n = 0;
	if (err) {
		fz_copy(&e, err);
	} else if (record_import_object(run->c, run->r, o, &id, &rep->backdated, run->all, &e) == 0) {
		if (!rep->first_id || id < rep->first_id)
			rep->first_id = id;
		rep->last_id = id > rep->last_id ? id : rep->last_id;
		return next_batch(run);
	}
	report(run->r, rep, line, run->all, &e);
	if (e.status == 500 && rep->errors)
		fprintf(rep->errors, "第 %" PRId64 " 行之后的行未检查\n", line);
	if (e.status == 500)
		return -1;
	/* In a written batch a bad row ends the run (rows before it stay:
	 * the checking pass found none, so the data changed meanwhile). */
	return run->pass == PASS_WRITE ? -1 : next_batch(run);
}

/* The imports row of this run (status "running"); its id in c->import_id. */
static int import_open(struct import_run *run)
{
	struct rec_ctx *c = run->c;
	db_stmt *st = db_prepare(c->d, "INSERT INTO imports(register, source, filename, sm3, row_count, backdated,"
				      " status, created_by, created_at) VALUES ($1, $2, $3, $4, 0, 0, 'running', $5, $6)"
				      " RETURNING id");
	if (!st)
		return -1;
	db_bind_text(st, 1, run->r->name);
	db_bind_text(st, 2, run->o->source ? run->o->source : "api");
	db_bind_text(st, 3, run->o->filename ? run->o->filename : "");
	db_bind_text(st, 4, run->o->sm3 ? run->o->sm3 : "");
	db_bind_int(st, 5, c->actor ? c->actor->id : 0);
	db_bind_int(st, 6, (int64_t)time(NULL));
	c->import_id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
	db_run(st);
	db_done(st);
	run->rep->import_id = c->import_id;
	return c->import_id ? 0 : -1;
}

/* Closes the imports row with the counts and writes the one audit entry
 * of the import (result "ok", or "failed" for a batched run cut short). */
static int import_close(struct import_run *run, const char *status)
{
	struct rec_ctx *c = run->c;
	struct record_report *rep = run->rep;
	db_stmt *st = db_prepare(c->d, "UPDATE imports SET row_count = $2, first_id = $3, last_id = $4, backdated = $5,"
				      " status = $6 WHERE id = $1");
	int rc = st ? 0 : -1;
	if (st) {
		db_bind_int(st, 1, c->import_id);
		db_bind_int(st, 2, rep->rows - rep->bad);
		if (rep->first_id) {
			db_bind_int(st, 3, rep->first_id);
			db_bind_int(st, 4, rep->last_id);
		} else {
			db_bind_null(st, 3);
			db_bind_null(st, 4);
		}
		db_bind_int(st, 5, rep->backdated);
		db_bind_text(st, 6, status);
		rc = db_run(st) == DB_DONE ? 0 : -1;
		db_done(st);
	}
	json_t *d = json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:I}", "register", run->r->name, "import_id",
			      (json_int_t)c->import_id, "records", (json_int_t)(rep->rows - rep->bad), "sm3",
			      run->o->sm3 ? run->o->sm3 : "", "source", run->o->source ? run->o->source : "api",
			      "filename", run->o->filename ? run->o->filename : "", "backdated", (json_int_t)rep->backdated);
	if (d && rep->first_id) {
		json_object_set_new(d, "first_id", json_integer(rep->first_id));
		json_object_set_new(d, "last_id", json_integer(rep->last_id));
	}
	if (d && run->pass == PASS_WRITE)
		json_object_set_new(d, "batches", json_integer(rep->batches));
	const char *result = strcmp(status, "done") == 0 ? "ok" : "failed";
	if (rc == 0 && (!d || audit_append(c->d, run->actor, "import", run->r->name, "", result, d) != 0))
		rc = -1;
	json_decref(d);
	return rc;
}

/* Reads the whole stream through take(); 0 read to the end, -1 stopped. */
static int read_all(struct import_run *run, enum record_format f, FILE *in)
{
	switch (f) {
	case RECORD_CSV:
		return record_csv_read(run->r, in, take, run);
	case RECORD_XLSX:
		return record_xlsx_read(run->r, in, take, run);
	default:
		return read_jsonl(in, take, run);
	}
}

static void report_bad(struct record_report *rep)
{
	if (rep->errors && rep->unlisted)
		fprintf(rep->errors, "……另有 %" PRId64 " 个错误未列出\n", rep->unlisted);
	if (rep->errors)
		fprintf(rep->errors, "共 %" PRId64 " 行，其中 %" PRId64 " 行有错误：未导入任何记录。\n", rep->rows, rep->bad);
}

/* All or nothing in one transaction: the imports row, the records, the
 * counters and the audit entry commit together. */
static int run_once(struct import_run *run, enum record_format f, FILE *in)
{
	struct rec_ctx *c = run->c;
	if (db_begin(c->d) != 0)
		return -1;
	int stopped = import_open(run) != 0 || read_all(run, f, in) != 0;
	if (run->rep->over_cap || run->rep->bad || stopped) {
		end_batch(run, 0);
		if (run->rep->bad && !run->rep->over_cap)
			report_bad(run->rep);
		return run->rep->over_cap ? 2 : run->rep->bad ? 1 : -1;
	}
	if (metrics_batch_flush(c->d, c->batch) != 0 || import_close(run, "done") != 0 || db_commit(c->d) != 0) {
		end_batch(run, 0);
		return -1;
	}
	return 0;
}

/* The CLI's large imports: a checking pass over every row (each batch
 * rolled back: nothing is written unless every row is good), then the
 * same rows written in batches of o->batch_rows, each its own
 * transaction, so no writer waits longer than one batch. */
static int run_batched(struct import_run *run, enum record_format f, FILE *in)
{
	struct rec_ctx *c = run->c;
	struct record_report *rep = run->rep;
	run->pass = PASS_CHECK;
	if (db_begin(c->d) != 0)
		return -1;
	int stopped = read_all(run, f, in);
	end_batch(run, 0);
	if (rep->bad) {
		report_bad(rep);
		return 1;
	}
	if (stopped || fseek(in, 0, SEEK_SET) != 0)
		return -1;
	int64_t rows = rep->rows;
	rep->rows = rep->first_id = rep->last_id = rep->backdated = 0;
	run->pass = PASS_WRITE;
	if (db_begin(c->d) != 0 || import_open(run) != 0 || db_commit(c->d) != 0) {
		db_rollback(c->d);
		return -1;
	}
	rep->batches = 1;
	stopped = db_begin(c->d) != 0 || read_all(run, f, in) != 0;
	if (!stopped && end_batch(run, 1) == 0 && rows == rep->rows && db_begin(c->d) == 0) {
		if (import_close(run, "done") == 0 && db_commit(c->d) == 0)
			return 0;
		db_rollback(c->d);
		return -1;
	}
	/* Cut short: what was committed stays, marked and audited as failed. */
	end_batch(run, 0);
	if (db_begin(c->d) == 0 && (import_close(run, "failed") != 0 || db_commit(c->d) != 0))
		db_rollback(c->d);
	if (rep->errors)
		fprintf(rep->errors, "导入中断：已提交 %" PRId64 " 条记录（导入批次 %" PRId64 "，记录编号 %" PRId64
			" 至 %" PRId64 "），可按 import_id 核对\n", rep->rows - rep->bad, c->import_id, rep->first_id,
			rep->last_id);
	return -1;
}

int record_import_stream(struct rec_ctx *c, const struct reg_def *r, enum record_format f, FILE *in,
			 const struct record_import_opts *o, struct record_report *rep)
{
	struct metrics_batch *own = NULL;
	struct import_run run = { .c = c, .r = r, .o = o, .rep = rep, .actor = c->actor };
	if (!(run.all = malloc(sizeof *run.all)))
		return -1;
	if (!c->batch && !(c->batch = own = metrics_batch_new())) {
		free(run.all);
		return -1;
	}
	c->actor = NULL; /* one audit entry for the import, none per record */
	int rc = o->batch_rows > 0 ? run_batched(&run, f, in) : run_once(&run, f, in);
	c->actor = run.actor;
	c->import_id = 0;
	if (own) {
		c->batch = NULL;
		metrics_batch_free(own);
	}
	free(run.all);
	return rc;
}
