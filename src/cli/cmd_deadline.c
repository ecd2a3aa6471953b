/*
 * cmd_deadline.c — `fazhi deadline`: the due date of a statutory period from
 * the working-day calendar (built in, or a newer file), with the counting
 * explained on request.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine/calendar_store.h"
#include "engine/clock.h"

static int run(int argc, char **argv);

CLI_COMMAND(deadline, "deadline", "计算法定期限届满日 / compute a statutory due date",
	    "用法 / Usage: fazhi deadline --from YYYY-MM-DD (--days N | --working-days N | --months N | --years N)\n"
	    "                             [--explain] [--calendar FILE | --db URI]\n\n"
	    "  --from DATE          起算日（引起期限的事件之日，当日不计）\n"
	    "                       the event date (not counted)\n"
	    "  --days N             N 日：最后一日为休息日或法定节假日的，顺延至其后第一个工作日\n"
	    "                       N calendar days; a last day on a rest day or holiday moves to the next working day\n"
	    "  --working-days N     N 个工作日：第 N 个工作日届满（调休上班日计入）\n"
	    "                       N working days: ends on the Nth working day (调休 working weekends count)\n"
	    "  --months N           N 个月：到期月的对应日届满，没有对应日的为月末日，遇休息日或节假日顺延\n"
	    "                       （民法典第二百零一至二百零三条）\n"
	    "                       N months: the corresponding day of the last month (its last day when it has\n"
	    "                       none), moved off rest days and holidays\n"
	    "  --years N            N 年：同上 / N years: likewise\n"
	    "  --explain            逐行说明计算过程 / explain how the date was counted\n"
	    "  --calendar FILE      载入节假日日历文件（格式见 data/calendar/cn-holidays.txt），\n"
	    "                       文件中声明的年份替换内置日历的同一年份\n"
	    "                       load a holiday calendar; the years it declares replace the built-in ones\n"
	    "  --db URI             按该库的日历计算（内置日历加 fazhi calendar import 导入的年份）\n"
	    "                       count by the store's calendar (built-in plus the imported years)\n\n"
	    "输出届满日 YYYY-MM-DD。计算涉及日历未覆盖的年份时，仅按周六、周日休息推算并输出警告。\n"
	    "Prints the due date. Where a year is not in the calendar, only weekends are rest days and a\n"
	    "warning is printed.\n\n"
	    "示例 / Example: fazhi deadline --from 2025-09-30 --working-days 20 --explain",
	    run)

struct deadline_opts {
	const char *from, *calendar, *db;
	enum deadline_kind kind;
	int n, explain; /* n: the count of the chosen unit; 0 until one is given */
};

__attribute__((format(printf, 1, 2)))
static int deadline_fail(const char *fmt, ...)
{
	va_list ap;
	fputs("fazhi deadline: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n用法见 / see: fazhi deadline --help\n", stderr);
	return 2;
}

/* The units, each with its option and largest count. */
static int deadline_args(int argc, char **argv, struct deadline_opts *o)
{
	/* the four units, one to be given: a whole number within its range */
	int n[4] = { 0 };
	static const enum deadline_kind kinds[4] = { DL_CALENDAR_DAYS, DL_WORKING_DAYS, DL_MONTHS, DL_YEARS };
	const struct cli_opt opts[] = {
		CLI_OPT_STR("from", &o->from),		 CLI_OPT_STR("calendar", &o->calendar), CLI_OPT_STR("db", &o->db),
		CLI_OPT_FLAG("explain", &o->explain),	 CLI_OPT_INT("days", &n[0], 1, 36600),
		CLI_OPT_INT("working-days", &n[1], 1, 36600), CLI_OPT_INT("months", &n[2], 1, 1220),
		CLI_OPT_INT("years", &n[3], 1, 100),	 CLI_OPT_END,
	};
	if (cli_parse(argc, argv, 1, opts, NULL, 0) < 0)
		return 2;
	for (int i = 0; i < 4; i++) {
		if (n[i] && o->n)
			return deadline_fail("--days、--working-days、--months、--years 只能指定一个");
		if (n[i])
			o->kind = kinds[i], o->n = n[i];
	}
	if (!o->from)
		return deadline_fail("缺少 --from 起算日");
	if (o->db && o->calendar)
		return deadline_fail("--calendar 与 --db 只能指定一个");
	if (!o->n)
		return deadline_fail("需要 --days N、--working-days N、--months N 或 --years N");
	return 0;
}

/* Without --explain, the warning lines still go to stderr. */
static void deadline_warnings(const char *explain)
{
	for (const char *l = explain; *l;) {
		size_t len = strcspn(l, "\n");
		if (strncmp(l, "警告：", strlen("警告：")) == 0)
			fprintf(stderr, "fazhi deadline: %.*s\n", (int)len, l);
		l += len + (l[len] == '\n');
	}
}

static int deadline_print(const struct calendar *cal, const struct deadline_opts *o, struct date from)
{
	struct deadline_rule rule = { .kind = o->kind, .days = o->n, .count = o->n };
	size_t n = 1 << 16;
	char *explain = malloc(n), s[DATE_STR];
	struct date due;
	if (!explain)
		return 1;
	int rc = deadline_compute(cal, from, &rule, NULL, 0, &due, explain, n);
	if (rc < 0) {
		explain[strcspn(explain, "\n")] = '\0';
		rc = deadline_fail("%s", explain);
	} else {
		printf("%s\n", date_format(due, s));
		if (o->explain)
			fputs(explain, stdout);
		else if (rc == 1)
			deadline_warnings(explain);
		rc = 0;
	}
	free(explain);
	return rc;
}

/* Makes the store's calendar current (--db). */
static int store_calendar(const char *uri, char *why, size_t n)
{
	db *d = cli_open_db(uri, 0);
	int rc = d ? calendar_store_refresh(d, why, n) : (snprintf(why, n, "无法打开数据库 %s", uri), -1);
	db_close(d);
	return rc;
}

static int run(int argc, char **argv)
{
	struct deadline_opts o = { 0 };
	struct calendar cal;
	struct date from;
	char why[512];
	int rc;
	if (cli_wants_help(&deadline_cmd, argc, argv))
		return 0;
	if ((rc = deadline_args(argc, argv, &o)) != 0)
		return rc;
	if (date_parse(o.from, &from) != 0)
		return deadline_fail("起算日格式错误：%s（应为 YYYY-MM-DD 的真实日期）", o.from);
	calendar_init(&cal);
	if (o.db && store_calendar(o.db, why, sizeof why) != 0)
		return deadline_fail("%s", why);
	if (calendar_copy(&cal, calendar_current()) != 0)
		return 1;
	if (o.calendar && calendar_load_file(&cal, o.calendar, why, sizeof why) != 0)
		rc = deadline_fail("日历文件 %s：%s", o.calendar, why);
	else
		rc = deadline_print(&cal, &o, from);
	calendar_free(&cal);
	return rc;
}
