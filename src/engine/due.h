/*
 * due.h — a record's statutory due date and its derived status, from the
 * register's deadline rule and the statutory clock (clock.h). Status is
 * never stored: it is computed from the due date, the closing date and
 * today.
 */
#ifndef FAZHI_DUE_H
#define FAZHI_DUE_H

#include <jansson.h>

#include "error.h"
#include "register.h"

/* Writes the due date (YYYY-MM-DD, or "" without a rule) into out. */
int due_compute(const struct reg_def *r, const char *start, json_t *data, char out[11], struct fz_err *e);

/* How the due date is counted from start (the statutory clock's
 * explanation, one step a line); "" without a rule. */
int due_explain(const struct reg_def *r, const char *start, char *buf, size_t n);

struct deadline_rule;
struct extension;
/* One of a record's statutory dates counted from `from` (YYYY-MM-DD) by
 * rule with ext[0..next) into out; with list, also appended to it as
 * {field, label, due, explain} (the 期限说明 of the domain hook
 * `deadlines`). 0, or -1 when from cannot be counted from. */
int due_line(json_t *list, const char *field, const char *label, const char *from, const struct deadline_rule *rule,
	     const struct extension *ext, int next, char out[11]);

/* "none", "on_time", "due_soon" (within 3 days), "overdue",
 * "closed_on_time", "closed_late". due/closed may be NULL or "". */
const char *due_status(const char *due, const char *closed, const char *today);
const char *due_status_label(const char *status);

/* The last day counted as "due soon" from today: today plus the
 * setting due_soon_working_days, in working days by the statutory
 * calendar (today itself when it cannot be counted). */
void due_soon_until(const char *today, int working_days, char out[11]);

/* Whether a due date counted by the clock (the register's period, or a
 * date its domain hooks derive) runs through a year whose holiday notice
 * is not loaded: weekends only were rest days, the date may still move
 * (it is recomputed when the year is imported). */
int due_provisional(const struct reg_def *r, const char *start, const char *due);

#endif
