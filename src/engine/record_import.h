/*
 * record_import.h — bulk import of a register's records, from JSON Lines
 * {"body":"<code>","start_date":"YYYY-MM-DD","data":{…},
 *  "history":[{"transition":"close","date":"YYYY-MM-DD","data":{…}}]}
 * or from CSV (record_csv.h: one row per record, no history). Both formats
 * become the same JSON object and go through record_import_object. History
 * steps replay the state machine on their dates, so imported records carry
 * the same due dates, statuses and counters as if recorded live. One
 * transaction; every bad row reported; nothing imported unless every row is
 * good; one audit entry.
 */
#ifndef FAZHI_RECORD_IMPORT_H
#define FAZHI_RECORD_IMPORT_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "import.h"
#include "record.h"

enum record_format { RECORD_JSONL, RECORD_CSV };

/* What an import found. Every bad row is counted; the first
 * IMPORT_MAX_ERRORS are reported to errors ("第 N 行: …", the CLI) and/or
 * appended to rows as {"line":N,"field":F|null,"message":"…"} (the API). */
struct record_report {
	int64_t rows;       /* data rows read (non-empty lines / CSV records) */
	int64_t bad;        /* bad rows */
	int64_t refused;    /* of them, refused for scope (403) */
	int failed;         /* a store or server failure stopped the import */
	FILE *errors;       /* may be NULL */
	json_t *items;      /* a JSON array, or NULL */
};

/* The one way a record is imported: o is the import object (body,
 * start_date, data, history), validated and written in the caller's
 * transaction. o is borrowed. */
int record_import_object(struct rec_ctx *c, const struct reg_def *r, json_t *o, struct fz_err *e);
/* One JSON Lines line (no trailing newline needed). */
int record_import_line(struct rec_ctx *c, const struct reg_def *r, const char *line, size_t n, struct fz_err *e);

/* The format a file name implies: .csv (any case) is CSV, else JSON Lines. */
enum record_format record_format_of(const char *filename);

/* Imports a whole stream in one transaction with one audit entry (as
 * c->actor); 0 imported, 1 bad rows (nothing imported), -1 store failure. */
int record_import_stream(struct rec_ctx *c, const struct reg_def *r, enum record_format f, FILE *in,
			 struct record_report *rep);

/* A reader hands each data row to this: the row's import object (o,
 * borrowed), or the error that kept the row from becoming one (o NULL).
 * line is what the user sees (the line in the file, the row in Excel).
 * Answers 0 to go on, -1 to stop reading (a store failure). */
typedef int (*record_row_fn)(void *arg, int64_t line, json_t *o, const struct fz_err *err);

#endif
