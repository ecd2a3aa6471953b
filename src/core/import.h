/*
 * import.h — bulk import of org records from JSON Lines (docs/import.md):
 * one transaction for the whole file, every line validated, a report naming
 * each bad line and its rule, nothing written unless every line is good,
 * and one audit entry for the import (with the file's SM3 digest).
 */
#ifndef FAZHI_IMPORT_H
#define FAZHI_IMPORT_H

#include <stdint.h>
#include <stdio.h>

#include "org.h"

#define IMPORT_MAX_LINE (64 * 1024) /* bytes of a line, or of a table's row */
#define IMPORT_MAX_COLS 64          /* columns of a table (CSV, .xlsx) */
#define IMPORT_MAX_ERRORS 100       /* errors reported of one import */

struct import_report {
	int64_t lines;        /* non-empty lines read */
	int64_t counts[4];    /* region, body, person, subject */
	int64_t bad;          /* bad lines */
	FILE *errors;         /* where each bad line is reported (may be NULL) */
};

/* Parses and writes one line (no trailing newline needed). The caller
 * holds the transaction. */
int import_line(struct org_ctx *c, const char *line, size_t n, int *type, struct fz_err *e);

/* Imports a whole stream; 0 when everything was imported, 1 when bad lines
 * were found (nothing imported), -1 on a store or I/O failure. */
int import_stream(struct org_ctx *c, FILE *in, struct import_report *r);

#endif
