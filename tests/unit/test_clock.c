/*
 * test_clock.c — the statutory clock: the embedded holiday calendar compared
 * day by day with the State Council data in ../shared/data/holidays
 * (2019–2027), and exact due dates across the 2025 National Day, Spring
 * Festival 2025/2026, Labour Day, year boundaries and the 2024 leap day;
 * extensions, suspensions, uncovered years, status, calendar parse errors.
 */
#include "t.h"
#include "engine/clock.h"

#include <jansson.h>
#include <unistd.h>

static const struct calendar *cal;

static struct date D(const char *s)
{
	struct date d = { 0, 0, 0 };
	if (date_parse(s, &d) != 0) {
		fprintf(stderr, "test_clock: bad date literal %s\n", s);
		t_fail++;
	}
	return d;
}

static char explain[16384];
static int last_rc;

/* Due date as YYYY-MM-DD ("error" on failure); explanation in `explain`. */
static const char *due_ext(const char *from, enum deadline_kind k, int n,
			   const struct extension *ext, int next)
{
	static char out[DATE_STR];
	struct deadline_rule r = { k, n, { 0, 0, 0 }, NULL, n };
	struct date due = { 0, 0, 0 };
	last_rc = deadline_compute(cal, D(from), &r, ext, next, &due, explain, sizeof explain);
	return last_rc < 0 ? "error" : date_format(due, out);
}

#define CAL(from, n) due_ext(from, DL_CALENDAR_DAYS, n, NULL, 0)
#define WORK(from, n) due_ext(from, DL_WORKING_DAYS, n, NULL, 0)
#define MONTHS(from, n) due_ext(from, DL_MONTHS, n, NULL, 0)
#define YEARS(from, n) due_ext(from, DL_YEARS, n, NULL, 0)
#define HAS(s) CHECK(strstr(explain, s) != NULL)
#define LACKS(s) CHECK(strstr(explain, s) == NULL)

static void test_dates(void)
{
	char s[DATE_STR];
	struct date d;
	int bad = 0;
	for (int z = date_to_days(D("1900-01-01")); z <= date_to_days(D("2100-12-31")); z++)
		if (!date_valid(date_from_days(z)) || date_to_days(date_from_days(z)) != z)
			bad++;
	CHECK_INT(bad, 0);
	CHECK_INT(date_to_days(D("1970-01-01")), 0);
	CHECK_INT(date_to_days(D("2000-03-01")), 11017);
	CHECK_INT(date_to_days(D("1900-01-01")), -25567);
	CHECK_INT(date_weekday(D("2025-10-01")), 2);
	CHECK_STR(date_weekday_label(D("2025-10-11")), "星期六");
	CHECK_STR(date_format(date_from_days(date_to_days(D("2024-02-28")) + 1), s), "2024-02-29");
	CHECK_STR(date_format(date_from_days(date_to_days(D("2023-02-28")) + 1), s), "2023-03-01");
	CHECK(date_parse("2024-02-29", &d) == 0);
	CHECK(date_parse("2000-02-29", &d) == 0);
	CHECK(date_parse("2023-02-29", &d) != 0);
	CHECK(date_parse("2100-02-29", &d) != 0);
	CHECK(date_parse("2025-1-01", &d) != 0);
	CHECK(date_parse("2025-01-01x", &d) != 0);
	CHECK(date_parse("2025/01/01", &d) != 0);
	CHECK(date_parse("", &d) != 0);
	CHECK(date_parse(NULL, &d) != 0);
}

/* The embedded calendar's years and the 2025 National Day, day by day. */
static void test_calendar_2025(void)
{
	static const struct { const char *day; int work; } oct[] = {
		{ "2025-09-27", 0 }, { "2025-09-28", 1 }, { "2025-09-29", 1 }, { "2025-09-30", 1 },
		{ "2025-10-01", 0 }, { "2025-10-04", 0 }, { "2025-10-06", 0 }, { "2025-10-08", 0 },
		{ "2025-10-09", 1 }, { "2025-10-10", 1 }, { "2025-10-11", 1 }, { "2025-10-12", 0 },
		{ "2025-10-13", 1 },
	};
	char years[64];
	for (size_t i = 0; i < sizeof oct / sizeof *oct; i++)
		CHECK_INT(calendar_is_workday(cal, D(oct[i].day)), oct[i].work);
	CHECK_STR(calendar_years_text(cal, years, sizeof years), "2019—2026");
	CHECK(calendar_covers_year(cal, 2019) && calendar_covers_year(cal, 2026));
	CHECK(!calendar_covers_year(cal, 2018) && !calendar_covers_year(cal, 2027));
	CHECK(calendar_covers(cal, D("2025-12-31")));
	CHECK(calendar_covers(cal, D("2026-12-24")));
	CHECK(!calendar_covers(cal, D("2026-12-25"))); /* the 2027 notice may reach back */
	CHECK(strstr(calendar_year_source(cal, 2025), "国办发明电〔2024〕12号") != NULL);
}

static void test_national_day_2025(void)
{
	CHECK_STR(WORK("2025-09-30", 1), "2025-10-09");
	CHECK_STR(WORK("2025-09-30", 7), "2025-10-16");
	CHECK_INT(last_rc, 0);
	HAS("自 2025-09-30 起算（当日不计）");
	HAS("第1个工作日 2025-10-09（10-01至10-08 国庆节、中秋节放假）");
	HAS("第3个工作日 2025-10-11（星期六，国庆节、中秋节调休上班）");
	HAS("届满日 2025-10-16（星期四）");
	LACKS("警告");
	CHECK_STR(WORK("2025-09-26", 1), "2025-09-28"); /* working Sunday */
	/* 15 days ending on a holiday move to the next working day. */
	CHECK_STR(CAL("2025-09-20", 15), "2025-10-09");
	HAS("2025-10-05 为国庆节、中秋节放假日（10-01至10-08），依民事诉讼法第八十五条顺延至其后第一个工作日 2025-10-09");
	CHECK_STR(CAL("2025-09-16", 15), "2025-10-09");
	/* …but not when the last day is a 调休 working Saturday. */
	CHECK_STR(CAL("2025-09-26", 15), "2025-10-11");
	HAS("（星期六，国庆节、中秋节调休上班）");
	LACKS("顺延至");
	/* An ordinary Sunday moves to Monday. */
	CHECK_STR(CAL("2025-03-01", 15), "2025-03-17");
	HAS("2025-03-16 为星期日（休息日）");
}

static void test_spring_festival(void)
{
	/* 2025: off 01-28..02-04, working Sunday 01-26 and Saturday 02-08. */
	CHECK_STR(WORK("2025-01-24", 1), "2025-01-26");
	CHECK_STR(WORK("2025-01-24", 3), "2025-02-05");
	CHECK_STR(WORK("2025-01-27", 1), "2025-02-05");
	CHECK_STR(CAL("2025-01-20", 10), "2025-02-05");
	CHECK_STR(CAL("2025-01-24", 15), "2025-02-08");
	/* 2026: off 02-15..02-23, working Saturdays 02-14 and 02-28. */
	CHECK_STR(WORK("2026-02-13", 1), "2026-02-14");
	CHECK_STR(WORK("2026-02-13", 2), "2026-02-24");
	HAS("第2个工作日 2026-02-24（02-15至02-23 春节放假）");
	CHECK_STR(WORK("2026-02-13", 6), "2026-02-28");
	CHECK_STR(WORK("2026-02-13", 7), "2026-03-02");
	CHECK_STR(CAL("2026-02-05", 10), "2026-02-24");
}

static void test_labour_day_and_ogi(void)
{
	/* 2025 Labour Day: off 05-01..05-05, working Sunday 04-27. */
	CHECK_STR(WORK("2025-04-28", 7), "2025-05-12");
	CHECK_STR(WORK("2025-04-25", 7), "2025-05-08");
	/* LAW: 政府信息公开条例 第33条 — 20 working days, +20 with approval. */
	struct deadline_rule r = { DL_WORKING_DAYS, 20, { 0, 0, 0 }, "政府信息公开条例第三十三条", 0 };
	struct extension ext = { EXT_WORKING_DAYS, 20, { 0, 0, 0 }, { 0, 0, 0 }, "经负责人同意延长" };
	struct date due;
	char s[DATE_STR];
	CHECK_INT(deadline_compute(cal, D("2025-09-22"), &r, NULL, 0, &due, explain, sizeof explain), 0);
	CHECK_STR(date_format(due, s), "2025-10-24");
	HAS("（依据：政府信息公开条例第三十三条）");
	CHECK_INT(deadline_compute(cal, D("2025-09-22"), &r, &ext, 1, &due, explain, sizeof explain), 0);
	CHECK_STR(date_format(due, s), "2025-11-21");
	HAS("原届满日 2025-10-24（星期五），延长 20 个工作日，自其次日起算：经负责人同意延长");
	HAS("第20个工作日 2025-11-21");
	CHECK_STR(WORK("2026-02-02", 20), "2026-03-06");
}

static void test_year_boundary_and_leap_day(void)
{
	CHECK_STR(CAL("2025-12-25", 10), "2026-01-04"); /* working Sunday: stays */
	CHECK_STR(CAL("2025-12-24", 10), "2026-01-04"); /* 01-03 holiday → 01-04 */
	CHECK_STR(WORK("2025-12-30", 2), "2026-01-04");
	CHECK_STR(WORK("2025-12-30", 3), "2026-01-05");
	CHECK_INT(last_rc, 0);
	CHECK_STR(CAL("2022-12-21", 10), "2023-01-03"); /* 2023 notice: 2022-12-31 off */
	CHECK_INT(last_rc, 0);
	CHECK_STR(CAL("2024-02-28", 1), "2024-02-29");
	CHECK_STR(CAL("2024-01-30", 30), "2024-02-29");
	CHECK_STR(CAL("2024-02-29", 365), "2025-02-28");
	CHECK_STR(CAL("2024-02-29", 366), "2025-03-03");
	CHECK_STR(WORK("2024-02-26", 3), "2024-02-29");
	CHECK_STR(WORK("2024-02-09", 1), "2024-02-18"); /* working Sunday after 春节 */
	CHECK_STR(CAL("2023-02-28", 1), "2023-03-01");
}

/* Outside the covered years: weekends only, and an honest warning. */
static void test_uncovered(void)
{
	CHECK_STR(WORK("2026-12-20", 10), "2027-01-01");
	CHECK_INT(last_rc, 1);
	HAS("警告：日历未载入 2027 年的放假安排（已载入 2019—2026 年）");
	CHECK_STR(CAL("2018-12-20", 10), "2019-01-02"); /* 2019 notice's 2018-12-30/31 */
	CHECK_INT(last_rc, 1);
	HAS("警告：日历未载入 2018 年");
	CHECK_STR(WORK("2026-06-01", 3), "2026-06-04");
	CHECK_INT(last_rc, 0);
}

/* LAW: 行政复议法 第62条 (60 days, +30), 第39条 (suspension). */
static void test_extension_and_pause(void)
{
	struct extension plus30 = { EXT_CALENDAR_DAYS, 30, { 0, 0, 0 }, { 0, 0, 0 }, NULL };
	struct extension pause = { EXT_PAUSE, 0, { 2025, 2, 1 }, { 2025, 2, 10 }, "申请人下落不明" };
	struct extension late = { EXT_PAUSE, 0, { 2025, 4, 1 }, { 2025, 4, 10 }, NULL };
	struct extension both[2] = { pause, plus30 };
	CHECK_STR(CAL("2025-01-10", 60), "2025-03-11");
	CHECK_STR(due_ext("2025-01-10", DL_CALENDAR_DAYS, 60, &plus30, 1), "2025-04-10");
	CHECK_STR(due_ext("2025-01-10", DL_CALENDAR_DAYS, 60, &pause, 1), "2025-03-21");
	HAS("中止 2025-02-01至2025-02-10（10 日）：申请人下落不明，中止期间不计入期限（行政复议法第三十九条）");
	HAS("（02-01至02-10 中止，不计入）");
	CHECK_STR(due_ext("2025-01-10", DL_CALENDAR_DAYS, 60, both, 2), "2025-04-21");
	CHECK_STR(due_ext("2025-01-10", DL_CALENDAR_DAYS, 60, &late, 1), "2025-03-11");
	HAS("中止 2025-04-01至2025-04-10 不在计算期间内，未影响期限");
	/* 政府信息公开条例 第33条第2款: consultation time not counted. */
	struct extension consult = { EXT_PAUSE, 0, { 2025, 10, 13 }, { 2025, 10, 17 }, "征求第三方意见" };
	CHECK_STR(due_ext("2025-09-22", DL_WORKING_DAYS, 20, &consult, 1), "2025-10-31");
	/* An extension ending on a holiday moves too. */
	struct extension plus10 = { EXT_CALENDAR_DAYS, 10, { 0, 0, 0 }, { 0, 0, 0 }, NULL };
	CHECK_STR(due_ext("2025-09-05", DL_CALENDAR_DAYS, 15, &plus10, 1), "2025-10-09");
	HAS("2025-09-20 为星期六（休息日）");
	HAS("原届满日 2025-09-22（星期一），延长 10 日");
}

static void test_fixed_date(void)
{
	struct deadline_rule r = { DL_FIXED_DATE, 0, { 2026, 1, 31 }, "政府信息公开条例第四十九条", 0 };
	struct extension pause = { EXT_PAUSE, 0, { 2026, 1, 10 }, { 2026, 1, 14 }, NULL };
	struct date due;
	char s[DATE_STR];
	CHECK_INT(deadline_compute(cal, D("2026-01-05"), &r, NULL, 0, &due, explain, sizeof explain), 0);
	CHECK_STR(date_format(due, s), "2026-01-31"); /* a Saturday, not moved */
	HAS("固定日期不因节假日顺延");
	CHECK_INT(deadline_compute(cal, D("2026-01-05"), &r, &pause, 1, &due, explain, sizeof explain), 0);
	CHECK_STR(date_format(due, s), "2026-02-05");
}

/*
 * LAW: 民法典 第二百零一条至第二百零三条 — months and years: the
 * corresponding day, the month's last day when it has none, a rest day
 * moved on. The cases of ../shared/domain/DEADLINES.md and more.
 */
static void test_months_and_years(void)
{
	CHECK_STR(MONTHS("2025-03-01", 3), "2025-06-03"); /* 06-01 Sunday, 5/31–6/2 端午 */
	HAS("到期月的对应日为 2025-06-01");
	HAS("端午节");
	HAS("民法典第二百零三条");
	CHECK_STR(MONTHS("2025-01-31", 1), "2025-02-28"); /* no 02-31: the month's last day, a Friday */
	HAS("2025 年 2 月没有 31 日");
	CHECK_STR(MONTHS("2024-01-31", 1), "2024-02-29"); /* leap year */
	CHECK_STR(MONTHS("2025-08-31", 1), "2025-09-30");
	CHECK_STR(MONTHS("2025-11-30", 3), "2026-02-28"); /* a Saturday made a working day (春节调休): no move */
	CHECK_STR(MONTHS("2025-07-01", 6), "2026-01-04"); /* 01-01 元旦 to 01-03 (2026 notice): 01-04 is a 调休 working Sunday */
	CHECK_STR(MONTHS("2025-09-01", 1), "2025-10-09"); /* 10-01 in 国庆节、中秋节 10/1–10/8 */
	CHECK_STR(YEARS("2024-02-29", 1), "2025-02-28");
	HAS("2025 年 2 月没有 29 日");
	CHECK_STR(YEARS("2023-05-04", 2), "2025-05-06"); /* 05-04 Sunday in 劳动节 5/1–5/5 → 05-06 */
	CHECK_STR(MONTHS("2025-03-01", 0), "error");
	HAS("期限月数应为");
	CHECK_STR(YEARS("2025-03-01", 101), "error");
	/* A suspension inside a period of months extends it by its days. */
	struct extension pause = { EXT_PAUSE, 0, { 2025, 4, 7 }, { 2025, 4, 11 }, NULL };
	CHECK_STR(due_ext("2025-03-03", DL_MONTHS, 1, &pause, 1), "2025-04-03");
	CHECK_STR(due_ext("2025-03-03", DL_MONTHS, 2, &pause, 1), "2025-05-08");
}

static void test_bad_input(void)
{
	struct extension backwards = { EXT_PAUSE, 0, { 2025, 2, 10 }, { 2025, 2, 1 }, NULL };
	struct deadline_rule r = { DL_CALENDAR_DAYS, 10, { 0, 0, 0 }, NULL, 0 };
	struct date due, bad = { 2025, 2, 30 };
	CHECK_STR(CAL("2025-01-10", 0), "error");
	HAS("期限天数应为 1 至 36600 之间的整数");
	CHECK_STR(due_ext("2025-01-10", DL_CALENDAR_DAYS, 10, &backwards, 1), "error");
	HAS("中止的起止日期无效");
	CHECK_INT(deadline_compute(cal, bad, &r, NULL, 0, &due, explain, sizeof explain), -1);
	HAS("起算日期无效");
	/* A tiny buffer keeps whole lines only and stays NUL-terminated. */
	char small[100];
	CHECK_INT(deadline_compute(cal, D("2025-09-30"), &(struct deadline_rule){ DL_WORKING_DAYS, 7, { 0, 0, 0 }, NULL, 0 },
				   NULL, 0, &due, small, sizeof small), 0);
	CHECK(strlen(small) < sizeof small);
	CHECK(strlen(small) == 0 || small[strlen(small) - 1] == '\n');
}

static void test_status(void)
{
	struct date due = D("2025-10-16"), on = D("2025-10-16"), late = D("2025-10-17");
	CHECK_INT(deadline_status(due, NULL, D("2025-10-10"), 3), DL_ON_TIME);
	CHECK_INT(deadline_status(due, NULL, D("2025-10-13"), 3), DL_DUE_SOON);
	CHECK_INT(deadline_status(due, NULL, D("2025-10-16"), 3), DL_DUE_SOON);
	CHECK_INT(deadline_status(due, NULL, D("2025-10-17"), 3), DL_OVERDUE);
	CHECK_INT(deadline_status(due, &on, D("2025-12-01"), 3), DL_CLOSED_ON_TIME);
	CHECK_INT(deadline_status(due, &late, D("2025-12-01"), 3), DL_CLOSED_LATE);
	CHECK_STR(deadline_status_label(DL_ON_TIME), "正常");
	CHECK_STR(deadline_status_label(DL_DUE_SOON), "即将到期");
	CHECK_STR(deadline_status_label(DL_OVERDUE), "已逾期");
	CHECK_STR(deadline_status_label(DL_CLOSED_ON_TIME), "按期办结");
	CHECK_STR(deadline_status_label(DL_CLOSED_LATE), "逾期办结");
}

/* Loading text into an empty calendar must fail with `want` in why. */
static void parse_fails(const char *text, const char *want)
{
	struct calendar c;
	char why[512] = "";
	calendar_init(&c);
	CHECK_INT(calendar_load_text(&c, text, why, sizeof why), -1);
	if (!strstr(why, want)) {
		t_fail++;
		fprintf(stderr, "parse error \"%s\" lacks \"%s\"\n", why, want);
	}
	calendar_free(&c);
}

static void test_parse_errors(void)
{
	parse_fails("year 2025 x\n2025-13-01 2025-13-01 off 测试\n", "第 2 行: 日期格式错误：2025-13-01");
	parse_fails("# c\n\n2025-01-01 2025-01-01 off 元旦\n", "第 3 行: 此行之前缺少 year 声明");
	parse_fails("year 2025 x\n2025-01-01 2025-01-01 holiday 元旦\n", "第 2 行: 类型应为 off");
	parse_fails("year 2025 x\n2025-01-03 2025-01-01 off a\n", "第 2 行: 结束日期早于起始日期");
	parse_fails("year 2025 x\n2025-01-02 2025-01-02 work a\n", "第 2 行: 2025-01-02（星期四）本是工作日");
	parse_fails("year 2025 x\n2025-10-01 2025-10-08 off a\n# x\n2025-10-05 2025-10-06 off b\n",
		    "第 4 行: 与第 2 行的日期重叠");
	parse_fails("year 2025 x\n2026-01-01 2026-01-01 off a\n", "第 2 行: 日期超出 2025 年通知的范围");
	parse_fails("year 2025 a\nyear 2025 b\n", "第 2 行: 2025 年重复声明（另见第 1 行）");
	parse_fails("year 25 x\n", "第 1 行: 年份格式错误");
	parse_fails("year 2025 x\n2025-01-01 2025-01-01 off\n", "第 2 行: 缺少名称");
	parse_fails("year 2025 x\n2025-01-01\n", "第 2 行: 缺少字段");
	parse_fails("year 2025 x\n2025-01-01 2025-01-01 off \xff\n", "第 2 行: 不是有效的 UTF-8");
	parse_fails("# only a comment\n", "日历中没有任何 year 声明");
}

static void test_load_and_merge(void)
{
	struct calendar c;
	char why[512] = "";
	calendar_init(&c);
	CHECK_INT(calendar_load_text(&c, "year 2025 x\r\n2025-10-01 2025-10-01 off a b \r\n", why, sizeof why), 0);
	CHECK(c.np == 1 && strcmp(c.p[0].name, "a b") == 0);
	CHECK_INT(calendar_load_text(&c, "year 2024 y\n2024-13-01 2024-13-01 off z\n", why, sizeof why), -1);
	CHECK(c.np == 1 && c.ny == 1); /* unchanged */
	/* Later years over the built-in calendar; a declared year replaces it. */
	CHECK_INT(calendar_copy(&c, cal), 0);
	CHECK_INT(calendar_load_text(&c, "year 2027 测试\n2027-01-01 2027-01-03 off 元旦\n", why, sizeof why), 0);
	CHECK(calendar_covers_year(&c, 2027) && !calendar_is_workday(&c, D("2027-01-01")));
	CHECK(calendar_covers(&c, D("2026-12-31")));
	CHECK_INT(calendar_load_text(&c, "year 2025 修订\n2025-10-01 2025-10-03 off 国庆节\n", why, sizeof why), 0);
	CHECK_INT(calendar_is_workday(&c, D("2025-10-08")), 1);
	CHECK_INT(calendar_is_workday(&c, D("2025-01-28")), 1);
	CHECK_INT(calendar_is_workday(&c, D("2024-02-12")), 0);
	CHECK_STR(calendar_year_source(&c, 2025), "修订");
	CHECK_INT(calendar_load_text(&c, "year 2018 x\n2018-12-30 2018-12-30 off a\n", why, sizeof why), -1);
	CHECK_STR(why, "第 2 行: 与已载入日历中 2019 年通知的日期重叠");
	/* From a file. */
	char path[] = "/tmp/fazhi-calendar-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd >= 0) {
		static const char txt[] = "year 2028 测试\n2028-01-01 2028-01-01 off 元旦\n";
		CHECK(write(fd, txt, sizeof txt - 1) == (ssize_t)(sizeof txt - 1));
		close(fd);
		CHECK_INT(calendar_load_file(&c, path, why, sizeof why), 0);
		CHECK(calendar_covers_year(&c, 2028));
		unlink(path);
	}
	CHECK_INT(calendar_load_file(&c, "/nonexistent/cal.txt", why, sizeof why), -1);
	CHECK(strstr(why, "无法打开") != NULL);
	calendar_free(&c);
}

enum { NONE, OFF, WORK_WEEKEND };

/* Reads one holiday-cn year into kind[] (index: days since `base`). */
static int read_shared_year(int year, int base, int span, unsigned char *kind, char **names)
{
	char rel[64];
	json_error_t err;
	snprintf(rel, sizeof rel, "data/holidays/%d.json", year);
	json_t *root = json_load_file(t_shared(rel), 0, &err), *day;
	size_t i, count = 0;
	if (!root) {
		fprintf(stderr, "%s: %s\n", rel, err.text);
		return -1;
	}
	json_array_foreach(json_object_get(root, "days"), i, day) {
		struct date d = D(json_string_value(json_object_get(day, "date")));
		int off = json_is_true(json_object_get(day, "isOffDay")), k = date_to_days(d) - base;
		if (k < 0 || k >= span)
			continue;
		kind[k] = off ? OFF : date_is_weekend(d) ? WORK_WEEKEND : NONE;
		free(names[k]);
		names[k] = strdup(json_string_value(json_object_get(day, "name")));
		count++;
	}
	json_decref(root);
	return (int)count;
}

/* Every day of 2019–2027: off days and working weekends must be identical. */
static void test_against_shared_data(void)
{
	int base = date_to_days(D("2018-12-01")), span = date_to_days(D("2027-12-31")) - base + 1;
	unsigned char *kind = calloc((size_t)span, 1);
	char **names = calloc((size_t)span, sizeof *names);
	int bad = 0, listed = 0;
	if (!t_have_shared("data/holidays/2025.json")) {
		free(kind);
		free(names);
		return;
	}
	for (int y = 2019; y <= 2027; y++) {
		int n = read_shared_year(y, base, span, kind, names);
		CHECK(n >= 0);
		CHECK_INT(calendar_covers_year(cal, y), n > 0); /* 2027: not published */
		listed += n > 0 ? n : 0;
	}
	for (int k = 0; k < span; k++) {
		const struct cal_period *p = calendar_period_at(cal, base + k);
		int ours = !p ? NONE : p->off ? OFF : WORK_WEEKEND, day = base + k;
		int work = kind[k] == OFF ? 0 : kind[k] == WORK_WEEKEND ? 1 : !date_is_weekend(date_from_days(day));
		int named = !p || !names[k] || strncmp(p->name, names[k], strlen(names[k])) == 0;
		if (ours != kind[k] || calendar_is_workday_days(cal, day) != work || !named) {
			char s[DATE_STR];
			if (bad++ < 10)
				fprintf(stderr, "calendar differs from shared data on %s (ours %d, theirs %d)\n",
					date_format(date_from_days(day), s), ours, kind[k]);
		}
	}
	CHECK_INT(bad, 0);
	CHECK(listed > 250);
	for (int k = 0; k < span; k++)
		free(names[k]);
	free(kind);
	free(names);
}

int main(void)
{
	cal = calendar_builtin();
	CHECK(cal->ny > 0);
	test_dates();
	test_calendar_2025();
	test_national_day_2025();
	test_spring_festival();
	test_labour_day_and_ogi();
	test_year_boundary_and_leap_day();
	test_uncovered();
	test_extension_and_pause();
	test_fixed_date();
	test_months_and_years();
	test_bad_input();
	test_status();
	test_parse_errors();
	test_load_and_merge();
	test_against_shared_data();
	return t_done();
}
