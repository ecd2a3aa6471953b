/*
 * record_table.h — the rows of a table (a CSV file, an .xlsx worksheet) as
 * record import objects (record_import.h). The first row with content is
 * the header: each column names body/责任单位, start_date/起算日期 or one of
 * the register's fields, by identifier or Chinese label. Each later row
 * with content becomes the import object handed to a record_row_fn, its
 * cells converted to the JSON type of their field. The readers only find
 * the cells; the mapping, the conversion and the bounds (IMPORT_MAX_COLS
 * columns, IMPORT_MAX_LINE bytes a row) are here, once for both.
 */
#ifndef FAZHI_RECORD_TABLE_H
#define FAZHI_RECORD_TABLE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "import.h"
#include "record_import.h"
#include "register.h"

struct record_table {
	const struct reg_def *r;
	record_row_fn row;
	void *arg;
	int col[IMPORT_MAX_COLS]; /* what each column holds (see record_table.c) */
	int ncols;
	int header_done;
	int date1904;        /* a workbook's serial days count from 1904-01-01 */
	int64_t line;        /* the row being read, as Excel numbers it (the reader sets it) */
	int nonempty;        /* cells of the row with content */
	size_t bytes;        /* the row's bytes so far */
	json_t *o, *data;    /* the row's import object */
	struct fz_err e;     /* the row's error (e.code set) or the file's */
	int stop;            /* a fault of the file, or the callback stopped reading */
};

void record_table_init(struct record_table *t, const struct reg_def *r, record_row_fn row, void *arg);
void record_table_free(struct record_table *t);

/* A cell of the row being read: column col (0 is A; increasing within a
 * row), len bytes of UTF-8 text. number: a workbook's numeric cell, which
 * a date column reads as an Excel serial day (1900 or 1904 system). */
void record_table_cell(struct record_table *t, int col, const char *text, size_t len, int number);

/* A cell of the row being read that holds no value but an error (a
 * workbook's #N/A, #DIV/0! …): the row is refused, naming it. */
void record_table_bad_cell(struct record_table *t, int col, const char *what);

/* The row ends: a header row is checked, a data row handed on. */
void record_table_row_end(struct record_table *t);

/* A fault of the whole file: handed to row() as the error of the current
 * line; reading stops (t->stop). */
void record_table_fail(struct record_table *t, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The end of the input: a table without a header row is refused. 0, or
 * -1 when reading stopped. */
int record_table_end(struct record_table *t);

#endif
