/*
 * calendar.c — calendar dates (days since 1970-01-01) and the working-day
 * calendar: parsing the cn-holidays.txt format with line-numbered errors,
 * merging a run-time file over the embedded one, and day lookups.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "engine/clock.h"
#include "validate.h"

/* ---- dates ------------------------------------------------------------ */

static int days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dim[m - 1];
}

int date_valid(struct date d)
{
	return d.year >= 1900 && d.year <= 9999 && d.month >= 1 && d.month <= 12 &&
	       d.day >= 1 && d.day <= days_in_month(d.year, d.month);
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int date_to_days(struct date d)
{
	int y = d.year - (d.month <= 2);
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int mp = d.month + (d.month > 2 ? -3 : 9);
	int doy = (153 * mp + 2) / 5 + d.day - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct date date_from_days(int z)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int m = mp < 10 ? mp + 3 : mp - 9;
	struct date d = { yoe + era * 400 + (m <= 2), m, doy - (153 * mp + 2) / 5 + 1 };
	return d;
}

int date_weekday(struct date d)
{
	int w = (date_to_days(d) + 3) % 7; /* 1970-01-01 was a Thursday */
	return w < 0 ? w + 7 : w;
}

int date_is_weekend(struct date d)
{
	return date_weekday(d) >= 5;
}

const char *date_weekday_label(struct date d)
{
	static const char *const names[7] = { "星期一", "星期二", "星期三", "星期四",
					       "星期五", "星期六", "星期日" };
	return names[date_weekday(d)];
}

int date_parse(const char *s, struct date *out)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	struct date d = { atoi(s), atoi(s + 5), atoi(s + 8) };
	if (!date_valid(d))
		return -1;
	*out = d;
	return 0;
}

char *date_format(struct date d, char *out)
{
	snprintf(out, DATE_STR, "%04u-%02u-%02u", (unsigned)d.year % 10000u, (unsigned)d.month % 100u,
		 (unsigned)d.day % 100u);
	return out;
}

/* ---- calendar storage ---------------------------------------------------- */

void calendar_init(struct calendar *c)
{
	memset(c, 0, sizeof *c);
}

void calendar_free(struct calendar *c)
{
	free(c->p);
	free(c->y);
	calendar_init(c);
}

static int cal_add_period(struct calendar *c, const struct cal_period *p)
{
	if (c->np == c->pcap) {
		int cap = c->pcap ? c->pcap * 2 : 64;
		struct cal_period *np = realloc(c->p, (size_t)cap * sizeof *np);
		if (!np)
			return -1;
		c->p = np;
		c->pcap = cap;
	}
	c->p[c->np++] = *p;
	return 0;
}

static int cal_add_year(struct calendar *c, const struct cal_year *y)
{
	if (c->ny == c->ycap) {
		int cap = c->ycap ? c->ycap * 2 : 16;
		struct cal_year *ny = realloc(c->y, (size_t)cap * sizeof *ny);
		if (!ny)
			return -1;
		c->y = ny;
		c->ycap = cap;
	}
	c->y[c->ny++] = *y;
	return 0;
}

int calendar_copy(struct calendar *dst, const struct calendar *src)
{
	struct calendar t;
	calendar_init(&t);
	for (int i = 0; i < src->np; i++)
		if (cal_add_period(&t, &src->p[i]) != 0)
			goto fail;
	for (int i = 0; i < src->ny; i++)
		if (cal_add_year(&t, &src->y[i]) != 0)
			goto fail;
	calendar_free(dst);
	*dst = t;
	return 0;
fail:
	calendar_free(&t);
	return -1;
}

static int period_cmp(const void *a, const void *b)
{
	const struct cal_period *x = a, *y = b;
	return (x->from > y->from) - (x->from < y->from);
}

static int year_cmp(const void *a, const void *b)
{
	const struct cal_year *x = a, *y = b;
	return (x->year > y->year) - (x->year < y->year);
}

/* ---- parsing --------------------------------------------------------------- */

struct parser {
	struct calendar *out;
	int line;
	int year;       /* the open `year` section, 0 before the first */
	int year_line[10000];
	char *why;
	size_t n;
};

__attribute__((format(printf, 2, 3)))
static int parse_fail(struct parser *ps, const char *fmt, ...)
{
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (ps->why && ps->n) {
		snprintf(ps->why, ps->n, "第 %d 行: %s", ps->line, msg);
		utf8_scrub(ps->why); /* it quotes the input, and may be cut in a character */
	}
	return -1;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		s[--len] = '\0';
	return s;
}

/* Cuts the next space-separated token off *rest. */
static char *next_token(char **rest)
{
	char *s = *rest;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	char *tok = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s)
		*s++ = '\0';
	*rest = s;
	return tok;
}

/* "year YYYY SOURCE" */
static int parse_year(struct parser *ps, char *rest)
{
	char *tok = next_token(&rest);
	struct cal_year y = { 0, "" };
	if (!tok || strlen(tok) != 4 || strspn(tok, "0123456789") != 4 || atoi(tok) < 1949)
		return parse_fail(ps, "年份格式错误：%s（应为 year YYYY 通知名称或文号）", tok ? tok : "");
	y.year = atoi(tok);
	if (ps->year_line[y.year])
		return parse_fail(ps, "%d 年重复声明（另见第 %d 行）", y.year, ps->year_line[y.year]);
	rest = trim(rest);
	if (strlen(rest) >= sizeof y.source)
		return parse_fail(ps, "通知名称过长");
	snprintf(y.source, sizeof y.source, "%s", rest);
	ps->year_line[y.year] = ps->line;
	ps->year = y.year;
	return cal_add_year(ps->out, &y) == 0 ? 0 : parse_fail(ps, "内存不足");
}

static int parse_date_field(struct parser *ps, const char *tok, struct date *d)
{
	if (!tok)
		return parse_fail(ps, "缺少字段（应为：起始日期 结束日期 off|work 名称）");
	if (date_parse(tok, d) != 0)
		return parse_fail(ps, "日期格式错误：%s（应为 YYYY-MM-DD）", tok);
	return 0;
}

/* Range and weekday checks of one FROM TO KIND line. */
static int check_period(struct parser *ps, struct date a, struct date b, int off)
{
	int lo = date_to_days((struct date){ ps->year - 1, 12, 1 });
	int hi = date_to_days((struct date){ ps->year, 12, 31 });
	int from = date_to_days(a), to = date_to_days(b);
	char s[DATE_STR];
	if (from > to)
		return parse_fail(ps, "结束日期早于起始日期");
	if (from < lo || to > hi)
		return parse_fail(ps, "日期超出 %d 年通知的范围（%d-12-01 至 %d-12-31）",
				  ps->year, ps->year - 1, ps->year);
	for (int d = from; !off && d <= to; d++)
		if (!date_is_weekend(date_from_days(d)))
			return parse_fail(ps, "%s（%s）本是工作日，调休上班日只能是周六或周日",
					  date_format(date_from_days(d), s),
					  date_weekday_label(date_from_days(d)));
	return 0;
}

/* "FROM TO off|work NAME" */
static int parse_period(struct parser *ps, char *rest)
{
	struct date a, b;
	struct cal_period p = { 0 };
	if (!ps->year)
		return parse_fail(ps, "此行之前缺少 year 声明");
	if (parse_date_field(ps, next_token(&rest), &a) != 0 ||
	    parse_date_field(ps, next_token(&rest), &b) != 0)
		return -1;
	char *kind = next_token(&rest);
	if (!kind || (strcmp(kind, "off") != 0 && strcmp(kind, "work") != 0))
		return parse_fail(ps, "类型应为 off（放假）或 work（调休上班）：%s", kind ? kind : "");
	p.off = strcmp(kind, "off") == 0;
	rest = trim(rest);
	if (!*rest)
		return parse_fail(ps, "缺少名称");
	if (strlen(rest) >= sizeof p.name)
		return parse_fail(ps, "名称过长");
	if (check_period(ps, a, b, p.off) != 0)
		return -1;
	p.from = date_to_days(a);
	p.to = date_to_days(b);
	p.year = ps->year;
	p.line = ps->line;
	snprintf(p.name, sizeof p.name, "%s", rest);
	return cal_add_period(ps->out, &p) == 0 ? 0 : parse_fail(ps, "内存不足");
}

static int parse_line(struct parser *ps, char *line)
{
	line = trim(line);
	if (!*line || *line == '#')
		return 0;
	if (validate_utf8(line, strlen(line)) != 0)
		return parse_fail(ps, "不是有效的 UTF-8 文本");
	if (strncmp(line, "year", 4) == 0 && (line[4] == ' ' || line[4] == '\t' || !line[4]))
		return parse_year(ps, line + 4);
	return parse_period(ps, line);
}

/* Periods of one text must not overlap each other (sorted by from). */
static int check_overlaps(struct parser *ps)
{
	struct calendar *c = ps->out;
	if (c->np > 1) /* qsort(NULL, 0, …) is undefined: a year with no periods */
		qsort(c->p, (size_t)c->np, sizeof *c->p, period_cmp);
	for (int i = 1; i < c->np; i++)
		if (c->p[i].from <= c->p[i - 1].to) {
			const struct cal_period *a = &c->p[i - 1], *b = &c->p[i];
			ps->line = a->line > b->line ? a->line : b->line;
			return parse_fail(ps, "与第 %d 行的日期重叠",
					  a->line > b->line ? b->line : a->line);
		}
	return 0;
}

static int parse_text(struct calendar *out, const char *text, char *why, size_t n)
{
	struct parser *ps = calloc(1, sizeof *ps);
	char buf[1024];
	int rc = 0;
	if (!ps)
		return -1;
	ps->out = out;
	ps->why = why;
	ps->n = n;
	for (const char *s = text; rc == 0 && *s;) {
		size_t len = strcspn(s, "\n");
		ps->line++;
		if (len >= sizeof buf)
			rc = parse_fail(ps, "行过长");
		else {
			memcpy(buf, s, len);
			buf[len] = '\0';
			rc = parse_line(ps, buf);
		}
		s += len + (s[len] == '\n');
	}
	if (rc == 0 && out->ny == 0) {
		ps->line = ps->line ? ps->line : 1;
		rc = parse_fail(ps, "日历中没有任何 year 声明");
	}
	if (rc == 0)
		rc = check_overlaps(ps);
	free(ps);
	return rc;
}

/* ---- merging ------------------------------------------------------------- */

/* The new periods must not overlap the periods kept from other years. */
static int merge_check(const struct calendar *kept, const struct calendar *add, char *why, size_t n)
{
	for (int i = 0; i < add->np; i++)
		for (int j = 0; j < kept->np; j++)
			if (add->p[i].from <= kept->p[j].to && kept->p[j].from <= add->p[i].to) {
				if (why && n)
					snprintf(why, n, "第 %d 行: 与已载入日历中 %d 年通知的日期重叠",
						 add->p[i].line, kept->p[j].year);
				return -1;
			}
	return 0;
}

static int merge_into(struct calendar *m, const struct calendar *c, const struct calendar *add)
{
	for (int i = 0; i < c->ny; i++)
		if (!calendar_covers_year(add, c->y[i].year) && cal_add_year(m, &c->y[i]) != 0)
			return -1;
	for (int i = 0; i < c->np; i++)
		if (!calendar_covers_year(add, c->p[i].year) && cal_add_period(m, &c->p[i]) != 0)
			return -1;
	return 0;
}

int calendar_load_text(struct calendar *c, const char *text, char *why, size_t n)
{
	struct calendar add, m;
	calendar_init(&add);
	calendar_init(&m);
	if (parse_text(&add, text ? text : "", why, n) != 0)
		goto fail;
	if (merge_into(&m, c, &add) != 0)
		goto oom;
	if (merge_check(&m, &add, why, n) != 0)
		goto fail;
	for (int i = 0; i < add.np; i++)
		if (cal_add_period(&m, &add.p[i]) != 0)
			goto oom;
	for (int i = 0; i < add.ny; i++)
		if (cal_add_year(&m, &add.y[i]) != 0)
			goto oom;
	if (m.np > 1)
		qsort(m.p, (size_t)m.np, sizeof *m.p, period_cmp);
	if (m.ny > 1)
		qsort(m.y, (size_t)m.ny, sizeof *m.y, year_cmp);
	calendar_free(&add);
	calendar_free(c);
	*c = m;
	return 0;
oom:
	if (why && n)
		snprintf(why, n, "内存不足");
fail:
	calendar_free(&add);
	calendar_free(&m);
	return -1;
}

int calendar_load_file(struct calendar *c, const char *path, char *why, size_t n)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0;
	int rc = -1;
	if (!f) {
		snprintf(why, n, "无法打开：%s", strerror(errno));
		return -1;
	}
	text = malloc(1 << 20);
	if (!text)
		snprintf(why, n, "内存不足");
	if (text) {
		len = fread(text, 1, (1 << 20) - 1, f);
		text[len] = '\0';
		if (!feof(f) || ferror(f))
			snprintf(why, n, "文件过大（上限 1 MB）或无法读取");
		else if (memchr(text, '\0', len))
			snprintf(why, n, "不是文本文件");
		else
			rc = calendar_load_text(c, text, why, n);
	}
	fclose(f);
	free(text);
	return rc;
}

/* ---- the embedded calendar ---------------------------------------------- */


static struct calendar builtin;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void builtin_load(void)
{
	char why[512];
	calendar_init(&builtin);
	for (int i = 0; i < calendar_files_count; i++)
		if (calendar_load_text(&builtin, calendar_files[i].text, why, sizeof why) != 0)
			fprintf(stderr, "fazhi: 内置节假日日历 %s 无法解析 / built-in calendar broken: %s\n",
				calendar_files[i].name, why);
}

const struct calendar *calendar_builtin(void)
{
	pthread_once(&builtin_once, builtin_load);
	return &builtin;
}

static const struct calendar *current;
static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;

const struct calendar *calendar_current(void)
{
	pthread_mutex_lock(&current_lock);
	const struct calendar *c = current;
	pthread_mutex_unlock(&current_lock);
	return c ? c : calendar_builtin();
}

void calendar_set_current(struct calendar *c)
{
	/* The one before is not freed: a request may still be counting with
	 * it. Imports are rare (a year's notice, a correction). */
	pthread_mutex_lock(&current_lock);
	current = c;
	pthread_mutex_unlock(&current_lock);
}

/* ---- lookups ---------------------------------------------------------------- */

int calendar_covers_year(const struct calendar *c, int year)
{
	return calendar_year_source(c, year) != NULL;
}

const char *calendar_year_source(const struct calendar *c, int year)
{
	for (int i = 0; i < c->ny; i++)
		if (c->y[i].year == year)
			return c->y[i].source;
	return NULL;
}

int calendar_covers(const struct calendar *c, struct date d)
{
	if (!calendar_covers_year(c, d.year))
		return 0;
	return d.month < 12 || d.day < 25 || calendar_covers_year(c, d.year + 1);
}

char *calendar_years_text(const struct calendar *c, char *out, size_t n)
{
	size_t len = 0;
	snprintf(out, n, "无");
	for (int i = 0; i < c->ny && len + 1 < n;) {
		int j = i;
		while (j + 1 < c->ny && c->y[j + 1].year == c->y[j].year + 1)
			j++;
		const char *sep = i ? "、" : "";
		int w = j > i ? snprintf(out + len, n - len, "%s%d—%d", sep, c->y[i].year, c->y[j].year)
			      : snprintf(out + len, n - len, "%s%d", sep, c->y[i].year);
		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
		i = j + 1;
	}
	return out;
}

const struct cal_period *calendar_period_at(const struct calendar *c, int days)
{
	int lo = 0, hi = c->np - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (days < c->p[mid].from)
			hi = mid - 1;
		else if (days > c->p[mid].to)
			lo = mid + 1;
		else
			return &c->p[mid];
	}
	return NULL;
}

int calendar_is_workday_days(const struct calendar *c, int days)
{
	const struct cal_period *p = calendar_period_at(c, days);
	if (p)
		return !p->off;
	return !date_is_weekend(date_from_days(days));
}

int calendar_is_workday(const struct calendar *c, struct date d)
{
	return calendar_is_workday_days(c, date_to_days(d));
}
