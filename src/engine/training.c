/* training.c — an officer's training hours in a year (training.h). */
#include "training.h"

#include <stdio.h>

int64_t training_hours(db *d, int64_t person_id, const char *year)
{
	char from[16], to[16];
	snprintf(from, sizeof from, "%.4s-01-01", year);
	snprintf(to, sizeof to, "%.4s-12-31", year);
	db_stmt *st = db_prepare(d, "SELECT COALESCE(SUM(hours), 0) FROM officer_training WHERE person_id = $1"
				    " AND day >= $2 AND day <= $3");
	db_bind_int(st, 1, person_id);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return n;
}
