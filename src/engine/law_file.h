/*
 * law_file.h — one law file of the library (docs/laws.md): the Markdown
 * format of data/laws (a "# 标题" line, an optional "# 副标题", dated events
 * "2023年9月1日 … 修订", "<!-- INFO END -->", then "## 章" headings and
 * "第N条 …" articles) read into a version of a law: its title, dates,
 * issuing body and articles. Pure: no store (law_store.h writes it).
 */
#ifndef FAZHI_LAW_FILE_H
#define FAZHI_LAW_FILE_H

#include <stddef.h>

#define LAW_FILE_MAX (4 << 20)  /* bytes; the largest statute is about 0.3 MB */
#define LAW_MAX_ARTICLES 5000

struct law_article {
	int number;    /* 第N条 */
	int sub;       /* 之N (第十条之一: 1), else 0 */
	char *chapter; /* "第一章 总则 / 第一节 …", or "" */
	char *text;    /* the article, paragraphs joined by "\n" */
};

struct law_file {
	char *title;      /* "# 标题" (and "·副标题") */
	char *body;       /* issuing body read from the first event, or NULL */
	char *preamble;   /* the dated events and any text before the first article */
	char date[11];    /* the version: the file name's date, else the last event's */
	char adopted[11], amended[11], effective[11], repealed[11]; /* "" when not stated */
	struct law_article *articles;
	int narticles;
};

/* Parses text[0..n) of the file called name (its base name carries the
 * version's date: "名称(YYYY-MM-DD).md"). 0, or -1 with why in Chinese
 * (没有标题, 缺少 INFO END, 没有日期, 没有条文, 不是有效的 UTF-8, 文件过大)
 * and nothing to free. */
int law_file_parse(const char *name, const char *text, size_t n, struct law_file *out, char *why, size_t whylen);
void law_file_free(struct law_file *f);
/* The name a law is cited by: "中华人民共和国行政处罚法" → "行政处罚法". */
const char *law_short_title(const char *title);

/* 第N条 text of an article number ("第十条之一"), into out. */
void law_article_label(int number, int sub, char *out, size_t n);
/* A Chinese numeral ("一千二百六十", "十一", "一百零一") or ASCII digits
 * of len bytes as an integer; -1 when it is not one. */
int law_numeral(const char *s, size_t len);

/* The status of a version on day today (YYYY-MM-DD): 已废止 when repealed
 * by then, 尚未生效 before it takes effect, 已修改 when a later version of
 * the law is in effect (later_in_effect), else 现行有效. */
const char *law_status(const char *date, const char *effective, const char *repealed, const char *today,
		       int later_in_effect);
/* The day a version takes effect: its 施行 date (effective), else its own
 * date; "" or NULL dates count as not stated. */
const char *law_in_effect_from(const char *date, const char *effective);

#endif
