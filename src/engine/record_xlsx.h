/*
 * record_xlsx.h — register records from an .xlsx workbook (Office Open
 * XML as Excel, WPS and LibreOffice save it): its first worksheet, found
 * through xl/workbook.xml and its relationships. libzip opens the archive
 * and expat reads the parts; the rows go through the same mapping as CSV
 * (record_table.h), numbered as Excel shows them (the header is row 1).
 * Text cells (shared strings with their rich-text runs, inline strings,
 * formula results), numbers, booleans and sparse cells (their r="C5"
 * references) are read; a date column takes an Excel serial day (1900 or,
 * by workbookPr date1904, 1904 system).
 *
 * A hostile file is bounded before and while it is read: the file's size,
 * the archive's entry count, each part's uncompressed size (as declared,
 * and as counted while inflating: headers are not trusted), the shared
 * strings kept, a row's columns and bytes (IMPORT_MAX_*); no DOCTYPE is
 * accepted (so no entity expansion). A file that is not a ZIP archive, an
 * old .xls or a password-protected workbook, or a damaged one is refused
 * with bad_xlsx and a Chinese message saying what to do; a size over a
 * bound with too_large (413).
 */
#ifndef FAZHI_RECORD_XLSX_H
#define FAZHI_RECORD_XLSX_H

#include <stddef.h>
#include <stdio.h>

#include "record_import.h"
#include "register.h"

struct xlsx_limits {
	size_t file;     /* bytes of the .xlsx file */
	long entries;    /* entries in the archive */
	size_t part;     /* uncompressed bytes of any one part read */
	size_t strings;  /* bytes of shared-string text kept in memory */
};

/* The bounds of every import (tests pass smaller ones). */
#define XLSX_LIMITS { .file = 64u << 20, .entries = 4096, .part = 256u << 20, .strings = 64u << 20 }

/* Reads the workbook in `in`, handing each data row of its first
 * worksheet to row(). A fault of the file is handed to row() as an error
 * and ends the reading. 0 at the end of the sheet; -1 when reading
 * stopped. record_xlsx_read_limited: the same under other bounds. */
int record_xlsx_read(const struct reg_def *r, FILE *in, record_row_fn row, void *arg);
int record_xlsx_read_limited(const struct reg_def *r, FILE *in, const struct xlsx_limits *lim, record_row_fn row,
			     void *arg);

#endif
