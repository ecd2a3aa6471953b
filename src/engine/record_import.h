/*
 * record_import.h — bulk import of a register's records, from JSON Lines
 * {"body":"<code>","start_date":"YYYY-MM-DD","data":{…},
 *  "history":[{"transition":"close","date":"YYYY-MM-DD","data":{…}}]}
 * or from a table, CSV (record_csv.h) or the first worksheet of an .xlsx
 * workbook (record_xlsx.h): one row per record, no history. Every format
 * becomes the same JSON object and goes through record_import_object. History
 * steps replay the state machine on their dates, so imported records carry
 * the same due dates, statuses and counters as if recorded live, and go
 * through the same field rules (record.h); a step dated before today
 * (back-dated history) needs PERM_RECORD_BACKDATE. Every error of every
 * bad row reported (up to IMPORT_MAX_ERRORS); nothing imported unless
 * every row is good. Each import is a
 * row of the imports table its records link to (records.import_id), with
 * one audit entry carrying the file's SM3 digest, the row count and the
 * id range.
 */
#ifndef FAZHI_RECORD_IMPORT_H
#define FAZHI_RECORD_IMPORT_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "import.h"
#include "record.h"

enum record_format { RECORD_JSONL, RECORD_CSV, RECORD_XLSX, RECORD_NONE };

/* What an import found. Every bad row is counted; of their errors (every
 * error of a row) the first IMPORT_MAX_ERRORS are reported to errors
 * ("第 N 行（列）: …", the CLI) and/or appended to items as
 * {"line":N,"field":F|null,"label":"中文列名"|null,"code":C,"message":"…"}
 * (the API). */
struct record_report {
	int64_t rows;       /* data rows read (non-empty lines / CSV records) */
	int64_t bad;        /* bad rows */
	int64_t refused;    /* of them, refused for scope (403) */
	int64_t listed;     /* errors reported (at most IMPORT_MAX_ERRORS) */
	int64_t unlisted;   /* errors found beyond those */
	int failed;         /* a store or server failure stopped the import */
	int over_cap;       /* more rows than opts.max_rows: nothing imported */
	int64_t import_id;  /* the imports row (0: none written) */
	int64_t first_id, last_id; /* the ids of the records created */
	int64_t backdated;  /* history steps dated before the day of the import */
	int64_t batches;    /* transactions written (batched runs) */
	FILE *errors;       /* may be NULL */
	json_t *items;      /* a JSON array, or NULL */
};

/* The one way a record is imported: o is the import object (body,
 * start_date, data, history), validated and written in the caller's
 * transaction; the new record's id in *id, back-dated steps added to
 * *backdated. o is borrowed. all (may be NULL): every error of the
 * object, not only the first (e), kept there (fz_keep). */
int record_import_object(struct rec_ctx *c, const struct reg_def *r, json_t *o, int64_t *id, int64_t *backdated,
			 struct fz_errs *all, struct fz_err *e);

/* The Chinese label of an import object's key as a column shows it:
 * body 责任单位, start_date 起算日期, history 办理历史, a field's label;
 * NULL for anything else. */
const char *record_column_label(const struct reg_def *r, const char *name);

/* How an import runs. */
struct record_import_opts {
	const char *source;   /* "api" or "cli" (the imports row) */
	const char *filename; /* as the user named it, may be NULL */
	const char *sm3;      /* the file's SM3 digest (record_import_digest) */
	int64_t max_rows;     /* 0: no cap; more rows: nothing imported, 2 */
	int batch_rows;       /* 0: one transaction; else a checking pass, then
			       * transactions of this many rows (in seekable) */
};

/* The SM3 digest of a seekable stream, left at its start again; 0 or -1. */
int record_import_digest(FILE *in, char out[65]);

/* The format of a file, from its first n bytes and its name: a ZIP
 * archive (or an OLE compound file: an old .xls, a workbook with a
 * password, which the .xlsx reader names) is an .xlsx workbook; else by
 * extension (.xlsx/.xls, .csv, .jsonl/.ndjson, any case); else dflt. */
enum record_format record_format_of(const char *filename, const void *head, size_t n, enum record_format dflt);

/* Imports a whole stream with one audit entry (as c->actor): 0 imported,
 * 1 bad rows (nothing imported), 2 over o->max_rows (nothing imported),
 * -1 store failure (nothing imported; in a batched run the batches
 * committed before it stay, their import marked "failed"). */
int record_import_stream(struct rec_ctx *c, const struct reg_def *r, enum record_format f, FILE *in,
			 const struct record_import_opts *o, struct record_report *rep);

/* A reader hands each data row to this: the row's import object (o,
 * borrowed), or the error that kept the row from becoming one (o NULL).
 * line is what the user sees (the line in the file, the row in Excel).
 * Answers 0 to go on, -1 to stop reading (a store failure). */
typedef int (*record_row_fn)(void *arg, int64_t line, json_t *o, const struct fz_err *err);

#endif
