/*
 * record_import.h — bulk import of a register's records from JSON Lines:
 * {"body":"<code>","start_date":"YYYY-MM-DD","data":{…},
 *  "history":[{"transition":"close","date":"YYYY-MM-DD","data":{…}}]}
 * History steps replay the state machine on their dates, so imported
 * records carry the same due dates, statuses and counters as if recorded
 * live. One transaction; every bad line reported; nothing imported unless
 * every line is good; one audit entry.
 */
#ifndef FAZHI_RECORD_IMPORT_H
#define FAZHI_RECORD_IMPORT_H

#include <stdio.h>

#include "import.h"
#include "record.h"

int record_import_line(struct rec_ctx *c, const struct reg_def *r, const char *line, size_t n, struct fz_err *e);
/* 0 imported, 1 bad lines (nothing imported), -1 store failure. */
int record_import_stream(struct rec_ctx *c, const struct reg_def *r, FILE *in, struct import_report *rep);

#endif
