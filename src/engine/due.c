/*
 * due.c — due dates and deadline status of records (see due.h), counted by
 * the statutory clock with the official working-day calendar.
 */
#include "due.h"

#include "clock.h"
#include "domain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Counts the register's rule from start; explain may be NULL. */
static int count(const struct reg_def *r, const char *start, char out[11], char *explain, size_t n,
		 struct fz_err *e)
{
	static const enum deadline_kind kinds[] = {
		[RD_CALENDAR_DAYS] = DL_CALENDAR_DAYS, [RD_WORKING_DAYS] = DL_WORKING_DAYS,
		[RD_MONTHS] = DL_MONTHS, [RD_YEARS] = DL_YEARS,
	};
	struct deadline_rule rule = {
		.kind = kinds[r->deadline.kind], .days = r->deadline.days, .count = r->deadline.count,
		.basis = r->deadline.basis,
	};
	struct date from, due;
	if (date_parse(start, &from) != 0)
		return fz_invalid(e, "start_date", "起算日期应为 YYYY-MM-DD 格式的日期");
	if (deadline_compute(NULL, from, &rule, NULL, 0, &due, explain, n) < 0)
		return fz_invalid(e, "start_date", "无法计算办理期限");
	date_format(due, out);
	return 0;
}

int due_explain(const struct reg_def *r, const char *start, char *buf, size_t n)
{
	char out[11];
	struct fz_err e;
	buf[0] = 0;
	if (r->deadline.kind == RD_FIELD) {
		snprintf(buf, n, "办理期限为“%s”字段所填日期。", r->fields[r->deadline.field].label);
		return 0;
	}
	return r->deadline.kind == RD_NONE ? 0 : count(r, start, out, buf, n, &e);
}

int due_line(json_t *list, const char *field, const char *label, const char *from, const struct deadline_rule *rule,
	     const struct extension *ext, int next, char out[11])
{
	char explain[2048];
	struct date start, due;
	if (date_parse(from, &start) != 0 ||
	    deadline_compute(NULL, start, rule, ext, next, &due, list ? explain : NULL, list ? sizeof explain : 0) < 0)
		return -1;
	date_format(due, out);
	if (list)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "field", field, "label", label, "due", out,
						      "explain", explain));
	return 0;
}

int due_compute(const struct reg_def *r, const char *start, json_t *data, char out[11], struct fz_err *e)
{
	out[0] = 0;
	switch (r->deadline.kind) {
	case RD_NONE:
		return 0;
	case RD_FIELD: {
		const char *v = json_string_value(json_object_get(data, r->fields[r->deadline.field].name));
		snprintf(out, 11, "%s", v ? v : "");
		if (v && strcmp(v, start) < 0)
			return fz_invalid(e, r->fields[r->deadline.field].name, "%s不能早于起算日期 %s",
					  r->fields[r->deadline.field].label, start);
		return 0;
	}
	case RD_CALENDAR_DAYS:
	case RD_WORKING_DAYS:
	case RD_MONTHS:
	case RD_YEARS:
		return count(r, start, out, NULL, 0, e);
	}
	return 0;
}

static const char *const names[] = {
	[DL_ON_TIME] = "on_time", [DL_DUE_SOON] = "due_soon", [DL_OVERDUE] = "overdue",
	[DL_CLOSED_ON_TIME] = "closed_on_time", [DL_CLOSED_LATE] = "closed_late",
};

/* LAW: none; "due soon" is 3 calendar days, a common 督办 practice. */
const char *due_status(const char *due, const char *closed, const char *today)
{
	struct date d, c, t;
	if (!due || date_parse(due, &d) != 0 || date_parse(today, &t) != 0)
		return "none";
	int has_closed = closed && date_parse(closed, &c) == 0;
	return names[deadline_status(d, has_closed ? &c : NULL, t, 3)];
}

const char *due_status_label(const char *s)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i], s) == 0)
			return deadline_status_label((enum deadline_status)i);
	return "无期限";
}

int due_provisional(const struct reg_def *r, const char *start, const char *due)
{
	const struct domain_ops *h = domain_find(r->name);
	int counted = (r->deadline.kind != RD_NONE && r->deadline.kind != RD_FIELD) || (h && h->redate);
	if (!counted || !start || !due || strlen(start) != 10 || strlen(due) != 10)
		return 0;
	const struct calendar *c = calendar_current();
	for (int y = atoi(start); y <= atoi(due); y++)
		if (!calendar_covers_year(c, y))
			return 1;
	return 0;
}

void due_soon_until(const char *today, int working_days, char out[11])
{
	struct date from, due;
	struct deadline_rule rule = { .kind = DL_WORKING_DAYS, .days = working_days };
	snprintf(out, 11, "%s", today);
	if (date_parse(today, &from) == 0 && deadline_compute(NULL, from, &rule, NULL, 0, &due, NULL, 0) >= 0)
		date_format(due, out);
}
