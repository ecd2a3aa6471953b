/*
 * demo_records.h — a realistic two years of the demo city's registers
 * (人大代表建议/政协提案 and 整改台账), written through the register engine
 * with each step dated in the past, so counters, deadlines and statuses
 * come out as they would have in real use.
 */
#ifndef FAZHI_DEMO_RECORDS_H
#define FAZHI_DEMO_RECORDS_H

#include <stdint.h>

#include "attach_store.h"
#include "db.h"
#include "error.h"

/* Fills the registers for the years before and of `today` (YYYY-MM-DD),
 * up to today. *count gets the records created. */
/* cases: enforcement cases a year (demo_ctx.cases; 0: the default);
 * files: the attachment store the proofs go to (NULL: none). */
int demo_records(db *d, uint64_t seed, const char *today, long cases, struct attach_store *files, long *count,
		 struct fz_err *e);

#endif
