/*
 * record_csv.h — register records from CSV (RFC 4180, parsed by libcsv):
 * UTF-8 with or without a BOM; a header row naming each column by its
 * name or its Chinese label (body/责任单位, start_date/起算日期, the
 * register's fields); then one record per row, turned into the same
 * import object the JSON Lines path reads (record_import.h). Rows are
 * numbered as Excel shows them: the header is row 1.
 */
#ifndef FAZHI_RECORD_CSV_H
#define FAZHI_RECORD_CSV_H

#include <stdio.h>

#include "record_import.h"
#include "register.h"

/* Reads the CSV text in `in`, handing each data row to row(). A file-level
 * fault (a bad header, not UTF-8, broken quoting, a row over
 * IMPORT_MAX_LINE bytes, a read error) is handed to row() as an error and
 * ends the reading. 0 at the end of the file; -1 when reading stopped. */
int record_csv_read(const struct reg_def *r, FILE *in, record_row_fn row, void *arg);

#endif
