/*
 * clock.h — the statutory clock: calendar dates, the working-day calendar
 * (State Council holiday notices, data/calendar/cn-holidays.txt, embedded at
 * build time and loadable at run time) and deadline computation with a
 * Chinese explanation of how each due date was counted.
 *
 * calendar.c owns dates and the calendar; clock.c owns deadlines.
 */
#ifndef FAZHI_CLOCK_H
#define FAZHI_CLOCK_H

#include <stddef.h>

/* ---- dates ------------------------------------------------------------ */

struct date {
	int year, month, day;
};

#define DATE_STR 11 /* "YYYY-MM-DD" + NUL */

int date_valid(struct date d);
/* Days since 1970-01-01 (proleptic Gregorian); negative before. */
int date_to_days(struct date d);
struct date date_from_days(int days);
/* 0 = Monday … 6 = Sunday. */
int date_weekday(struct date d);
int date_is_weekend(struct date d);
/* Strict YYYY-MM-DD (a real date, years 1900–9999); 0 or -1. */
int date_parse(const char *s, struct date *out);
/* Writes YYYY-MM-DD into out (at least DATE_STR bytes); returns out. */
char *date_format(struct date d, char *out);
/* "星期一" … "星期日". */
const char *date_weekday_label(struct date d);

/* ---- working-day calendar ---------------------------------------------- */

struct cal_period {
	int from, to;  /* days since epoch, inclusive */
	int off;       /* 1: days off (放假), 0: weekend made a working day (调休上班) */
	int year;      /* the notice year that announced it */
	int line;      /* source line, for messages */
	char name[96];
};

struct cal_year {
	int year;
	char source[256];
};

struct calendar {
	struct cal_period *p; /* sorted by from, never overlapping */
	int np, pcap;
	struct cal_year *y;   /* sorted by year */
	int ny, ycap;
};

void calendar_init(struct calendar *c);
void calendar_free(struct calendar *c);
/* Deep copy into an initialised dst (its old content is freed). */
int calendar_copy(struct calendar *dst, const struct calendar *src);

/*
 * Parses text in the cn-holidays.txt format and merges it into c: every
 * `year` section in text replaces that year's entries in c, other years are
 * kept. All or nothing: on error c is unchanged, why says which line
 * ("第 12 行: 日期格式错误：2025-13-01") and -1 is returned.
 */
int calendar_load_text(struct calendar *c, const char *text, char *why, size_t n);
/* Same, reading a file (≤ 1 MB); why does not repeat the path. */
int calendar_load_file(struct calendar *c, const char *path, char *why, size_t n);

/* The calendar compiled into the binary (parsed once, thread-safe). */
const struct calendar *calendar_builtin(void);
/* The calendar deadlines are counted by (deadline_compute with NULL): the
 * built-in one until calendar_set_current (calendar_store.c) gives another.
 * Thread-safe; a calendar once current stays valid for the process. */
const struct calendar *calendar_current(void);
/* Makes c (heap-allocated, owned from now on) current. */
void calendar_set_current(struct calendar *c);

/* Whether the year's notice is loaded. */
int calendar_covers_year(const struct calendar *c, int year);
/*
 * Whether d's working-day status is known: its year's notice is loaded and,
 * for 12-25..12-31, next year's too (a New Year holiday can reach back into
 * late December).
 */
int calendar_covers(const struct calendar *c, struct date d);
/* The covered years as text, e.g. "2019—2026" or "2019—2020、2025" ("无"). */
char *calendar_years_text(const struct calendar *c, char *out, size_t n);
const char *calendar_year_source(const struct calendar *c, int year);

/* The listed period containing d, or NULL (an ordinary day). */
const struct cal_period *calendar_period_at(const struct calendar *c, int days);
/*
 * 1 if d is a working day: a listed `work` day, or a Monday–Friday not listed
 * `off`. Outside the covered years only weekends are rest days (callers that
 * explain should check calendar_covers and warn).
 */
int calendar_is_workday(const struct calendar *c, struct date d);
int calendar_is_workday_days(const struct calendar *c, int days);

/* ---- deadlines --------------------------------------------------------- */

enum deadline_kind {
	DL_CALENDAR_DAYS, /* N days; the last day moves off rest days/holidays */
	DL_WORKING_DAYS,  /* the Nth working day after the event */
	DL_FIXED_DATE,    /* by a given date (not moved) */
	DL_MONTHS,        /* N months: the corresponding day (民法典 第二百零二条), moved off rest days */
	DL_YEARS,         /* N years: likewise */
};

struct deadline_rule {
	enum deadline_kind kind;
	int days;          /* DL_CALENDAR_DAYS, DL_WORKING_DAYS: N ≥ 1 */
	struct date fixed; /* DL_FIXED_DATE */
	const char *basis; /* optional legal basis shown in the explanation */
	int count;         /* DL_MONTHS: 1..1200, DL_YEARS: 1..100 */
};

enum extension_kind {
	EXT_CALENDAR_DAYS, /* extension by N calendar days */
	EXT_WORKING_DAYS,  /* extension by N working days */
	EXT_PAUSE,         /* suspension: the clock stops from..to inclusive */
};

struct extension {
	enum extension_kind kind;
	int days;              /* EXT_CALENDAR_DAYS, EXT_WORKING_DAYS */
	struct date from, to;  /* EXT_PAUSE */
	const char *reason;    /* optional, shown in the explanation */
};

/*
 * Computes the due date of rule for an event on start, applying ext[0..next)
 * (extensions in order, pauses wherever they fall). explain (may be NULL)
 * receives one line per step, '\n'-separated.
 * Returns 0, 1 when some counted day lies outside the calendar's covered
 * years (weekends assumed; the explanation starts a line with "警告："), or
 * -1 on bad input (explain holds the reason).
 */
int deadline_compute(const struct calendar *c, struct date start,
		     const struct deadline_rule *rule, const struct extension *ext,
		     int next, struct date *due, char *explain, size_t n);

/* The last day of a period of n units of kind (DL_CALENDAR_DAYS,
 * DL_WORKING_DAYS, DL_MONTHS, DL_YEARS) counted from from (YYYY-MM-DD),
 * under the current calendar, into out; 0, or -1 on bad input. What the
 * domain hooks use for a statutory period with no extension. */
int deadline_after(const char *from, enum deadline_kind kind, int n, char out[DATE_STR]);

enum deadline_status {
	DL_ON_TIME,        /* 正常: open, more than soon_days left */
	DL_DUE_SOON,       /* 即将到期: open, 0..soon_days calendar days left */
	DL_OVERDUE,        /* 已逾期: open, past the due date */
	DL_CLOSED_ON_TIME, /* 按期办结: closed on or before the due date */
	DL_CLOSED_LATE,    /* 逾期办结: closed after it */
};

/* closed: the date the matter was closed, or NULL while open. */
enum deadline_status deadline_status(struct date due, const struct date *closed,
				     struct date today, int soon_days);
const char *deadline_status_label(enum deadline_status s);

#endif
