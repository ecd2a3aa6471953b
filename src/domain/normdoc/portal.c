/*
 * portal.c — a 行政规范性文件 on the 统一公开查询 platform: once published,
 * its text (the draft's articles as issued) goes into the law library at
 * the level 行政规范性文件, titled with its number, in the same
 * transaction; a repeal or lapse is written there too, so the public
 * search shows it as 已废止. A document without articles in its text is
 * not searchable: on_portal says so (item 2.9.2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/normdoc/normdoc.h"

#include "crypto.h"
#include "law_file.h"
#include "law_store.h"

#define LEVEL "行政规范性文件"

/* "2026-01-05" → "2026年1月5日". */
static void cn_date(const char *d, char out[32])
{
	snprintf(out, 32, "%.4s年%d月%d日", d, atoi(d + 5), atoi(d + 8));
}

/* The document as a law file's Markdown: header events, then each article
 * on its own line. NULL without memory. */
static char *markdown(const struct record *rec, const char *body, const char *repealed)
{
	char pub[32], eff[32], rep[32];
	const char *text = record_text(rec, "draft_text");
	cn_date(record_text(rec, "published_on"), pub);
	cn_date(record_text(rec, "effective_on") ? record_text(rec, "effective_on") : record_text(rec, "published_on"), eff);
	if (repealed)
		cn_date(repealed, rep);
	size_t cap = strlen(text) * 2 + 1024;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	size_t n = (size_t)snprintf(out, cap, "# %s（%s）\n\n%s %s公布\n\n%s 施行\n\n%s%s<!-- INFO END -->\n\n", record_text(rec, "title"),
				    record_text(rec, "doc_number"), pub, body, eff, repealed ? rep : "", repealed ? " 废止\n\n" : "");
	for (const char *p = text; *p && n + 8 < cap; p++) {
		if (!strncmp(p, "第", 3) && p != text && strstr(p, "条") && strstr(p, "条") - p <= 24)
			out[n++] = '\n', out[n++] = '\n';
		out[n++] = *p;
	}
	out[n] = 0;
	return out;
}

/* The body's name into out; 0, or -1 with e. */
static int body_name(const struct rec_ctx *c, int64_t id, char out[128], struct fz_err *e)
{
	db_stmt *st = db_prepare(c->d, "SELECT name FROM bodies WHERE id = $1");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	snprintf(out, 128, "%s", rc == DB_ROW ? db_col_text(st, 0) : "");
	db_done(st);
	return rc == DB_ROW ? 0 : fz_store(e, c->d);
}

int normdoc_publish(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, const char *repealed,
		    struct fz_err *e)
{
	char body[128], name[512], digest[65], why[256];
	struct law_file f;
	int on = 0;
	if (record_text(rec, "draft_text") && record_text(rec, "published_on") && record_text(rec, "doc_number")) {
		if (body_name(c, rec->body_id, body, e) != 0)
			return -1;
		char *text = markdown(rec, body, repealed);
		if (!text)
			return fz_fail(e, 500, "no_memory", NULL, "内存不足");
		snprintf(name, sizeof name, LEVEL "/%s（%s）(%s).md", record_text(rec, "title"), record_text(rec, "doc_number"),
			 record_text(rec, "published_on"));
		if (law_file_parse(name, text, strlen(text), &f, why, sizeof why) == 0) { /* else: no articles, not searchable */
			crypto_digest_hex(HASH_SM3, text, strlen(text), digest);
			snprintf(name, sizeof name, LEVEL ":%s", record_text(rec, "doc_number"));
			enum law_outcome out = law_store_write(c->d, &f, LEVEL, name, digest, c->today, why, sizeof why);
			law_file_free(&f);
			if (out == LAW_STORE_ERROR) {
				free(text);
				return fz_store(e, c->d);
			}
			on = out == LAW_IMPORTED || out == LAW_UNCHANGED;
		}
		free(text);
	}
	if (record_is(rec, "on_portal", on ? "是" : "否"))
		return 0;
	struct rec_ctx sys = *c;
	sys.user = NULL;
	return record_annotate(&sys, r, rec->id, json_pack("{s:s}", "on_portal", on ? "是" : "否"), "portal", NULL, e);
}
