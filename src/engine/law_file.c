/*
 * law_file.c — reads one law file (law_file.h): front matter and HTML
 * comments skipped, the header's title and dated events, then headings as
 * the chapter path and "第N条" lines opening articles.
 */
#include "law_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

static const char *const digits_cn = "零一二三四五六七八九";

/* The value of the Chinese digit at s (3 bytes), or -1. 〇 and 两 too. */
static int cn_digit(const char *s)
{
	if (strncmp(s, "〇", 3) == 0)
		return 0;
	if (strncmp(s, "两", 3) == 0)
		return 2;
	for (int i = 0; i < 10; i++)
		if (strncmp(s, digits_cn + 3 * i, 3) == 0)
			return i;
	return -1;
}

int law_numeral(const char *s, size_t len)
{
	static const struct { const char *u; int v; } units[] = { { "十", 10 }, { "百", 100 }, { "千", 1000 } };
	long total = 0, digit = -1;
	int ascii = len > 0 && s[0] >= '0' && s[0] <= '9';
	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (ascii) {
			if (s[i] < '0' || s[i] > '9' || total > 100000)
				return -1;
			total = total * 10 + (s[i] - '0');
			continue;
		}
		if (len - i < 3)
			return -1;
		int d = cn_digit(s + i), unit = 0;
		for (size_t k = 0; k < 3 && d < 0; k++)
			if (strncmp(s + i, units[k].u, 3) == 0)
				unit = units[k].v;
		if (d < 0 && !unit)
			return -1;
		if (d >= 0)
			digit = d;
		else {
			total += (digit < 0 ? 1 : digit) * unit;
			digit = -1;
		}
		i += 2;
	}
	if (digit > 0)
		total += digit;
	return total > 0 && total < 100000 ? (int)total : -1;
}

void law_article_label(int number, int sub, char *out, size_t n)
{
	static const char *const u[] = { "", "十", "百", "千" };
	char cn[64] = "";
	size_t k = 0;
	int d[5], nd = 0, v = number, zero = 0;
	while (v > 0 && nd < 5)
		d[nd++] = v % 10, v /= 10;
	for (int i = nd - 1; i >= 0 && i < 4; i--) {
		if (d[i] == 0) {
			zero = 1;
			continue;
		}
		if (zero && k)
			k += (size_t)snprintf(cn + k, sizeof cn - k, "零");
		zero = 0;
		if (!(d[i] == 1 && i == 1 && nd == 2)) /* 十一, not 一十一 */
			k += (size_t)snprintf(cn + k, sizeof cn - k, "%.3s", digits_cn + 3 * d[i]);
		k += (size_t)snprintf(cn + k, sizeof cn - k, "%s", u[i]);
	}
	if (sub > 0 && sub < 10)
		snprintf(out, n, "第%s条之%.3s", cn, digits_cn + 3 * sub);
	else
		snprintf(out, n, "第%s条", cn);
}

const char *law_in_effect_from(const char *date, const char *effective)
{
	return effective && *effective ? effective : date ? date : "";
}

const char *law_status(const char *date, const char *effective, const char *repealed, const char *today,
		       int later_in_effect)
{
	if (repealed && *repealed && strcmp(repealed, today) <= 0)
		return "已废止";
	if (strcmp(law_in_effect_from(date, effective), today) > 0)
		return "尚未生效";
	return later_in_effect ? "已修改" : "现行有效";
}

/* ---- the parser ---- */

struct parse {
	struct law_file *f;
	char chapter[6][160]; /* headings by level ## .. ###### */
	char *pre;            /* the preamble being built */
	size_t pre_len, pre_cap;
	char *cur;            /* the open article's text */
	size_t cur_len, cur_cap;
	int cap_articles;
	char last_event[11];  /* the latest dated event */
	int oom;
};

/* Appends n bytes (and a "\n" before them when sep and not at the start). */
static void grow(char **buf, size_t *len, size_t *cap, const char *s, size_t n, int sep, int *oom)
{
	if (*len + n + 2 > *cap) {
		size_t c = (*cap ? *cap * 2 : 256) + n;
		char *b = realloc(*buf, c);
		if (!b) {
			*oom = 1;
			return;
		}
		*buf = b, *cap = c;
	}
	if (sep && *len)
		(*buf)[(*len)++] = '\n';
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = 0;
}

/* "YYYY年M月D日" at s: the date into out and the bytes read; 0 otherwise. */
static size_t date_at(const char *s, size_t n, char out[11])
{
	int y = 0, m = 0, d = 0, used = 0;
	char tail[4] = "";
	if (n < 10 || sscanf(s, "%4d年%2d月%2d%3s%n", &y, &m, &d, tail, &used) < 4 || strncmp(tail, "日", 3) != 0)
		return 0;
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 || (size_t)used > n)
		return 0;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return (size_t)used;
}

/* The issuing body named by an event ("第九届全国人民代表大会常务委员会第九次会议通过"
 * → 全国人民代表大会常务委员会; "国务院令第588号公布" → 国务院), or NULL. */
static char *body_of(const char *s, size_t n)
{
	static const char *const stops[] = { "第", "会议", "令", "公布", "发布", "通过", "批准", "根据", "《", " ", "　", "，" };
	size_t at = 0;
	while (at < n && (s[at] == ' ' || strncmp(s + at, "　", 3) == 0))
		at += s[at] == ' ' ? 1 : 3;
	if (strncmp(s + at, "第", 3) == 0) { /* 第X届: skip to 届 */
		const char *jie = strstr(s + at, "届");
		if (!jie || (size_t)(jie - s) > at + 30)
			return NULL;
		at = (size_t)(jie - s) + 3;
	}
	size_t end = n;
	for (size_t k = 0; k < sizeof stops / sizeof stops[0]; k++) {
		const char *p = strstr(s + at, stops[k]);
		if (p && (size_t)(p - s) < end)
			end = (size_t)(p - s);
	}
	if (end <= at + 3 || end - at > 90)
		return NULL;
	return strndup(s + at, end - at);
}

/* A dated header line "YYYY年M月D日 event". */
static void header_event(struct parse *p, const char *line, size_t n, const char date[11])
{
	struct law_file *f = p->f;
	char ev[512];
	snprintf(ev, sizeof ev, "%.*s", (int)(n < sizeof ev - 1 ? n : sizeof ev - 1), line);
	/* an amendment first: "《关于废止和修改部分行政法规的决定》第二次修订"
	 * amends; only an event that is a repeal alone repeals */
	if (strstr(ev, "修正") || strstr(ev, "修订") || strstr(ev, "修改"))
		memcpy(f->amended, date, 11);
	else if (strstr(ev, "废止") && !strstr(ev, "同时废止"))
		memcpy(f->repealed, date, 11);
	else if (strstr(ev, "施行") && !strstr(ev, "通过"))
		memcpy(f->effective, date, 11);
	if (strstr(ev, "施行") && !*f->effective)
		memcpy(f->effective, date, 11);
	if (!*f->adopted) {
		memcpy(f->adopted, date, 11);
		f->body = body_of(ev, strlen(ev));
	}
	if (strcmp(date, p->last_event) > 0 && !strstr(ev, "废止"))
		memcpy(p->last_event, date, 11);
}

/* "第N条" or "第N条之M" at the start of s, followed by a blank or the end:
 * the number, sub and the bytes read; 0 otherwise. */
static size_t article_at(const char *s, size_t n, int *number, int *sub)
{
	if (n < 9 || strncmp(s, "第", 3) != 0)
		return 0;
	const char *tiao = strstr(s, "条");
	if (!tiao || tiao - s > 30 || (*number = law_numeral(s + 3, (size_t)(tiao - s - 3))) <= 0)
		return 0;
	size_t at = (size_t)(tiao - s) + 3;
	*sub = 0;
	if (strncmp(s + at, "之", 3) == 0 && at + 6 <= n && cn_digit(s + at + 3) > 0) {
		*sub = cn_digit(s + at + 3);
		at += 6;
	}
	if (at < n && s[at] != ' ' && s[at] != '\t' && strncmp(s + at, "　", 3) != 0)
		return 0;
	return at;
}

/* Leading and trailing blanks (ASCII, U+3000, U+00A0, U+200B, U+FEFF) off [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
	static const char *const blanks[] = { " ", "\t", "\r", "　", "\xC2\xA0", "\xE2\x80\x8B", "\xEF\xBB\xBF" };
	for (int again = 1; again && *n;) {
		again = 0;
		for (size_t k = 0; k < sizeof blanks / sizeof blanks[0]; k++) {
			size_t m = strlen(blanks[k]);
			if (*n >= m && memcmp(*s, blanks[k], m) == 0)
				*s += m, *n -= m, again = 1;
			if (*n >= m && memcmp(*s + *n - m, blanks[k], m) == 0)
				*n -= m, again = 1;
		}
	}
}

/* The line without its HTML comments, into buf (at most cap-1 bytes). */
static size_t uncomment(const char *s, size_t n, char *buf, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < cap;) {
		if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			const char *e = memmem(s + i, n - i, "-->", 3);
			i = e ? (size_t)(e - s) + 3 : n;
			continue;
		}
		buf[k++] = s[i++];
	}
	buf[k] = 0;
	return k;
}

/* Closes the open article: its text goes to the last of f->articles. */
static void article_close(struct parse *p)
{
	if (p->f->narticles == 0)
		return;
	struct law_article *a = &p->f->articles[p->f->narticles - 1];
	if (!a->text)
		a->text = p->cur ? p->cur : strdup("");
	if (!a->text)
		p->oom = 1;
	p->cur = NULL;
	p->cur_len = p->cur_cap = 0;
}

/* The chapter path of the headings now open. */
static char *chapter_path(struct parse *p)
{
	char path[1024] = "";
	size_t k = 0;
	for (int i = 0; i < 6; i++)
		if (p->chapter[i][0] && k < sizeof path)
			k += (size_t)snprintf(path + k, sizeof path - k, "%s%s", k ? " / " : "", p->chapter[i]);
	utf8_scrub(path);
	return strdup(path);
}

static void article_open(struct parse *p, int number, int sub, const char *rest, size_t n)
{
	struct law_file *f = p->f;
	article_close(p);
	if (f->narticles == p->cap_articles) {
		int c = p->cap_articles ? p->cap_articles * 2 : 64;
		struct law_article *a = realloc(f->articles, (size_t)c * sizeof *a);
		if (!a || c > 2 * LAW_MAX_ARTICLES) {
			free(a == f->articles ? NULL : a);
			p->oom = 1;
			return;
		}
		f->articles = a, p->cap_articles = c;
	}
	struct law_article *a = &f->articles[f->narticles++];
	*a = (struct law_article){ .number = number, .sub = sub, .chapter = chapter_path(p) };
	if (!a->chapter)
		p->oom = 1;
	grow(&p->cur, &p->cur_len, &p->cur_cap, rest, n, 0, &p->oom);
}

/* Whether (number, sub) comes after the last article: a quoted or repeated
 * number inside an article stays part of its text. */
static int after_last(const struct law_file *f, int number, int sub)
{
	if (f->narticles == 0)
		return 1;
	const struct law_article *a = &f->articles[f->narticles - 1];
	return number > a->number || (number == a->number && sub > a->sub);
}

static void heading(struct parse *p, const char *s, size_t n)
{
	int level = 0;
	while ((size_t)level < n && s[level] == '#')
		level++;
	const char *t = s + level;
	size_t m = n - (size_t)level;
	trim(&t, &m);
	if (level < 2 || level > 7)
		return;
	snprintf(p->chapter[level - 2], sizeof p->chapter[0], "%.*s", (int)m, t);
	utf8_scrub(p->chapter[level - 2]);
	for (int i = level - 1; i < 6; i++)
		p->chapter[i][0] = 0;
	article_close(p);
}

/* One line after INFO END. */
static void body_line(struct parse *p, const char *s, size_t n)
{
	int number, sub;
	size_t at;
	if (n == 0)
		return;
	if (s[0] == '#') {
		heading(p, s, n);
	} else if ((at = article_at(s, n, &number, &sub)) != 0 && after_last(p->f, number, sub)) {
		const char *rest = s + at;
		size_t m = n - at;
		trim(&rest, &m);
		article_open(p, number, sub, rest, m);
	} else if (p->f->narticles > 0 && !p->f->articles[p->f->narticles - 1].text) {
		grow(&p->cur, &p->cur_len, &p->cur_cap, s, n, 1, &p->oom);
	} else if (p->pre_len < 65536) {
		grow(&p->pre, &p->pre_len, &p->pre_cap, s, n, 1, &p->oom);
	}
}

/* One line before INFO END. */
static void header_line(struct parse *p, const char *s, size_t n)
{
	char date[11];
	if (n >= 2 && s[0] == '#' && s[1] == ' ') {
		const char *t = s + 2;
		size_t m = n - 2;
		trim(&t, &m);
		if (m == 0)
			return;
		if (!p->f->title) {
			p->f->title = strndup(t, m);
		} else if (!strstr(p->f->title, "·")) { /* the first subtitle only */
			char *both = NULL;
			if (asprintf(&both, "%s·%.*s", p->f->title, (int)m, t) > 0) {
				free(p->f->title);
				p->f->title = both;
			}
		}
		return;
	}
	if (n && date_at(s, n, date))
		header_event(p, s + date_at(s, n, date), n - date_at(s, n, date), date);
	if (n && p->pre_len < 65536)
		grow(&p->pre, &p->pre_len, &p->pre_cap, s, n, 1, &p->oom);
}

/* The date in the base name "名称(YYYY-MM-DD).md", into out ("" if none). */
static void name_date(const char *name, char out[11])
{
	const char *base = strrchr(name, '/'), *open;
	int y, m, d, used = 0;
	out[0] = 0;
	base = base ? base + 1 : name;
	open = strrchr(base, '(');
	if (open && sscanf(open, "(%4d-%2d-%2d)%n", &y, &m, &d, &used) == 3 && used == 12 && y >= 1900 && y <= 2200 &&
	    m >= 1 && m <= 12 && d >= 1 && d <= 31)
		snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

static const char *walk(struct parse *p, const char *text, size_t n)
{
	int info_end = 0;
	size_t i = 0;
	char *line = malloc(n + 1);
	if (!line)
		return "内存不足";
	if (n >= 3 && strncmp(text, "---", 3) == 0) { /* front matter */
		const char *e = memmem(text + 3, n - 3, "\n---", 4);
		i = e ? (size_t)(e - text) + 4 : n;
	}
	while (i < n && !p->oom) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - text) - i : n - i;
		if (!info_end && memmem(text + i, len, "INFO END", 8) && memmem(text + i, len, "<!--", 4)) {
			info_end = 1;
		} else {
			size_t m = uncomment(text + i, len, line, n + 1);
			const char *s = line;
			utf8_scrub(line);
			m = strlen(line);
			trim(&s, &m);
			if (info_end)
				body_line(p, s, m);
			else
				header_line(p, s, m);
		}
		i += len + 1;
	}
	article_close(p);
	free(line);
	if (p->oom)
		return "内存不足";
	if (!p->f->title)
		return "没有标题（缺少“# 标题”行）";
	if (!info_end)
		return "缺少 <!-- INFO END --> 标记";
	if (!*p->f->date && !*p->last_event)
		return "没有日期（文件名与标题下均无日期）";
	if (p->f->narticles == 0)
		return "没有条文（未找到“第…条”）";
	return NULL;
}

int law_file_parse(const char *name, const char *text, size_t n, struct law_file *out, char *why, size_t whylen)
{
	struct parse p = { .f = out };
	const char *fault = NULL;
	memset(out, 0, sizeof *out);
	if (n > LAW_FILE_MAX)
		fault = "文件过大（上限 4 MB）";
	else if (validate_utf8(text, n) != 0)
		fault = "不是有效的 UTF-8 文本";
	if (!fault) {
		name_date(name, out->date);
		fault = walk(&p, text, n);
	}
	if (!fault && !*out->date)
		memcpy(out->date, p.last_event, 11);
	if (fault) {
		snprintf(why, whylen, "%s", fault);
		free(p.cur);
		free(p.pre);
		law_file_free(out);
		return -1;
	}
	out->preamble = p.pre ? p.pre : strdup("");
	return out->preamble ? 0 : -1;
}

void law_file_free(struct law_file *f)
{
	for (int i = 0; i < f->narticles; i++) {
		free(f->articles[i].chapter);
		free(f->articles[i].text);
	}
	free(f->articles);
	free(f->title);
	free(f->body);
	free(f->preamble);
	memset(f, 0, sizeof *f);
}

const char *law_short_title(const char *title)
{
	static const char prc[] = "中华人民共和国";
	return strncmp(title, prc, sizeof prc - 1) == 0 && title[sizeof prc - 1] ? title + sizeof prc - 1 : title;
}
