/*
 * calendar_store.c — the calendar an installation counts deadlines by:
 * built-in years with the operator's imports merged over them, reloaded
 * when an import lands, and an import's recomputation of open deadlines
 * (calendar_store.h).
 */
#include "calendar_store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "cntime.h"
#include "crypto.h"
#include "record.h"
#include "register.h"

#define CALENDAR_MAX_TEXT (1 << 20)

/* The built-in calendar with every stored import merged over it, in
 * order; *version: the last import's id (0: none). */
static int load(db *d, struct calendar *out, int64_t *version, char *why, size_t n)
{
	char line[256];
	calendar_init(out);
	if (calendar_copy(out, calendar_builtin()) != 0) {
		snprintf(why, n, "内存不足");
		return -1;
	}
	db_stmt *st = db_prepare(d, "SELECT id, text FROM calendar_imports ORDER BY id");
	int rc = DB_ERR, bad = 0;
	*version = 0;
	while (st && !bad && (rc = db_step(st)) == DB_ROW) {
		*version = db_col_int(st, 0);
		if ((bad = calendar_load_text(out, db_col_text(st, 1), line, sizeof line) != 0))
			snprintf(why, n, "已导入的日历（第 %lld 次导入）无法载入：%s", (long long)*version, line);
	}
	db_done(st);
	if (!bad && rc == DB_DONE)
		return 0;
	if (!bad)
		snprintf(why, n, "读取已导入的日历失败：%s", db_errmsg(d));
	calendar_free(out);
	return -1;
}

static int64_t loaded_version = -1;

/* Makes cal current (moved to the heap). */
static int make_current(struct calendar *cal, char *why, size_t n)
{
	struct calendar *keep = malloc(sizeof *keep);
	if (!keep) {
		calendar_free(cal);
		snprintf(why, n, "内存不足");
		return -1;
	}
	*keep = *cal;
	calendar_set_current(keep);
	return 0;
}

int calendar_store_refresh(db *d, char *why, size_t n)
{
	int64_t v = 0;
	why[0] = 0;
	if (db_lookup_int(d, "SELECT COALESCE(MAX(id), 0) FROM calendar_imports", &v, 0) < 0) {
		snprintf(why, n, "读取已导入的日历失败：%s", db_errmsg(d));
		return -1;
	}
	if (v == loaded_version)
		return 0;
	struct calendar cal;
	if (load(d, &cal, &v, why, n) != 0 || make_current(&cal, why, n) != 0)
		return -1;
	loaded_version = v;
	return 0;
}

/* The years text declares, as "2026,2027" (the parser refuses a text
 * without one); -1 with why when it is bad. */
static int years_of(const char *text, char *out, size_t size, char *why, size_t n)
{
	struct calendar c;
	calendar_init(&c);
	if (calendar_load_text(&c, text, why, n) != 0)
		return -1;
	size_t used = 0;
	out[0] = 0;
	for (int i = 0; i < c.ny && used + 6 < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%d", i ? "," : "", c.y[i].year);
	calendar_free(&c);
	return 0;
}

struct open_record {
	int64_t id;
	const struct reg_def *r;
};

/* The open records' ids, read before any is written (no statement stays
 * open across the writes). NULL with *n -1 on a store error. */
static struct open_record *open_records(db *d, int *count)
{
	struct open_record *a = NULL;
	int n = 0, cap = 0, rc;
	db_stmt *st = db_prepare(d, "SELECT id, register FROM records WHERE closed_date IS NULL ORDER BY id");
	while (st && (rc = db_step(st)) == DB_ROW) {
		const struct reg_def *r = register_find(db_col_text(st, 1));
		if (!r)
			continue; /* a register no longer defined: nothing to count by */
		if (n == cap) {
			struct open_record *b = realloc(a, (size_t)(cap = cap ? 2 * cap : 256) * sizeof *a);
			if (!b)
				break;
			a = b;
		}
		a[n++] = (struct open_record){ db_col_int(st, 0), r };
	}
	int ok = st && rc == DB_DONE;
	db_done(st);
	*count = ok ? n : -1;
	if (!ok) {
		free(a);
		return NULL;
	}
	return a;
}

/* Every open record's deadline under the current calendar. */
static int recompute_open(db *d, const struct audit_actor *actor, int *changed, char *why, size_t n)
{
	struct rec_ctx c;
	struct fz_err e = { 0 };
	int count;
	struct open_record *recs = open_records(d, &count);
	rec_ctx_init(&c, d, NULL, actor);
	*changed = 0;
	if (count < 0) {
		snprintf(why, n, "读取记录失败：%s", db_errmsg(d));
		return -1;
	}
	for (int i = 0; i < count; i++) {
		int moved = 0;
		if (record_recompute(&c, recs[i].r, recs[i].id, &moved, &e) != 0) {
			snprintf(why, n, "重新计算记录 %lld 的期限失败：%s", (long long)recs[i].id, e.msg);
			free(recs);
			return -1;
		}
		*changed += moved;
	}
	free(recs);
	return 0;
}

static int store(db *d, const struct audit_actor *actor, const char *text, const char *years, char *why, size_t n)
{
	char digest[65];
	crypto_digest_hex(HASH_SM3, text, strlen(text), digest);
	db_stmt *st = db_prepare(d, "INSERT INTO calendar_imports(years, text, digest, imported_by, imported_at)"
				    " VALUES ($1, $2, $3, $4, $5)");
	db_bind_text(st, 1, years);
	db_bind_text(st, 2, text);
	db_bind_text(st, 3, digest);
	db_bind_text(st, 4, actor->name);
	db_bind_int(st, 5, (int64_t)time(NULL));
	int rc = st ? db_run(st) : DB_ERR;
	db_done(st);
	if (rc != DB_DONE) {
		snprintf(why, n, "保存日历失败：%s", db_errmsg(d));
		return -1;
	}
	json_t *detail = json_pack("{s:s, s:s}", "years", years, "digest", digest);
	rc = audit_append(d, actor, "import", "calendar", years, "ok", detail);
	json_decref(detail);
	if (rc != 0)
		snprintf(why, n, "写入审计日志失败");
	return rc;
}

int calendar_store_import(db *d, const struct audit_actor *actor, const char *text,
			  struct calendar_import_result *out, char *why, size_t n)
{
	struct calendar cal;
	int64_t v;
	why[0] = 0;
	memset(out, 0, sizeof *out);
	if (strlen(text) > CALENDAR_MAX_TEXT) {
		snprintf(why, n, "日历文件过大（上限 1 MB）");
		return -1;
	}
	if (years_of(text, out->years, sizeof out->years, why, n) != 0)
		return -1;
	if (db_begin(d) != 0) {
		snprintf(why, n, "无法开始事务：%s", db_errmsg(d));
		return -1;
	}
	if (store(d, actor, text, out->years, why, n) != 0 || load(d, &cal, &v, why, n) != 0)
		goto fail;
	/* Current for this process from here: the records are counted by it. */
	if (make_current(&cal, why, n) != 0 || recompute_open(d, actor, &out->records_changed, why, n) != 0)
		goto fail;
	if (db_commit(d) != 0) {
		snprintf(why, n, "提交失败：%s", db_errmsg(d));
		goto fail;
	}
	loaded_version = v;
	return 0;
fail:
	db_rollback(d);
	loaded_version = -1; /* the next refresh reloads what the store holds */
	return -1;
}
