/*
 * calendar_store.h — the working-day calendar deadlines are counted by:
 * the built-in one (data/calendar/) with the years an operator imported
 * (`fazhi calendar import`, table calendar_imports) merged over it. A
 * process holds one current calendar (calendar_current in clock.h); the
 * server reloads it when an import lands (calendar_store_refresh, each
 * minute), and an import recomputes every open record's deadline.
 */
#ifndef FAZHI_CALENDAR_STORE_H
#define FAZHI_CALENDAR_STORE_H

#include <stddef.h>

#include "clock.h"
#include "db.h"

struct audit_actor;

/* Makes the store's calendar current when it changed since the last call
 * (the first call always loads it). 0 (also when unchanged), or -1 with
 * why (the current calendar is then kept). */
int calendar_store_refresh(db *d, char *why, size_t n);

struct calendar_import_result {
	char years[64];      /* "2027" */
	int records_changed; /* open records whose deadline moved */
};

/*
 * Validates text (the cn-holidays.txt format; at least one year section,
 * ≤ 1 MB), stores it, makes it current and recomputes every open record's
 * deadline (each change on the record's timeline), all in one audited
 * transaction. 0, or -1 with why in Chinese (line-numbered for a bad file);
 * nothing is stored then.
 */
int calendar_store_import(db *d, const struct audit_actor *actor, const char *text,
			  struct calendar_import_result *out, char *why, size_t n);

#endif
