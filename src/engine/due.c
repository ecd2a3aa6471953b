/*
 * due.c — due dates and deadline status of records (see due.h), counted by
 * the statutory clock with the official working-day calendar.
 */
#include "due.h"

#include "clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void due_today(char out[11])
{
	time_t t = time(NULL) + 8 * 3600; /* China Standard Time */
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int add_days(const char *start, int days, char out[11])
{
	struct tm tm = { 0 };
	if (sscanf(start, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm) + (time_t)days * 86400;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
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
	case RD_WORKING_DAYS: {
		struct deadline_rule rule = {
			.kind = r->deadline.kind == RD_CALENDAR_DAYS ? DL_CALENDAR_DAYS : DL_WORKING_DAYS,
			.days = r->deadline.days, .basis = r->deadline.basis,
		};
		struct date from, due;
		if (date_parse(start, &from) != 0)
			return fz_invalid(e, "start_date", "起算日期（start_date）应为 YYYY-MM-DD 格式的日期");
		if (deadline_compute(calendar_builtin(), from, &rule, NULL, 0, &due, NULL, 0) < 0)
			return fz_invalid(e, "start_date", "无法计算办理期限");
		date_format(due, out);
		return 0;
	}
	}
	return 0;
}

const char *due_status(const char *due, const char *closed, const char *today)
{
	if (!due || !*due)
		return "none";
	if (closed && *closed)
		return strcmp(closed, due) <= 0 ? "closed_on_time" : "closed_late";
	if (strcmp(today, due) > 0)
		return "overdue";
	char soon[11];
	add_days(today, 3, soon);
	return strcmp(due, soon) <= 0 ? "due_soon" : "on_time";
}

const char *due_status_label(const char *s)
{
	static const char *const map[][2] = {
		{ "none", "无期限" },	      { "on_time", "正常" },	   { "due_soon", "即将到期" },
		{ "overdue", "已逾期" },	      { "closed_on_time", "按期办结" }, { "closed_late", "逾期办结" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i][0], s) == 0)
			return map[i][1];
	return s;
}
