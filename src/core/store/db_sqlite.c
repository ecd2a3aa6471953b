/*
 * db_sqlite.c — the SQLite backend: WAL, foreign keys, busy timeout,
 * synchronous=FULL (an acknowledged write survives a crash). Parameters
 * written $N are rewritten to SQLite's ?N so both backends share SQL.
 */
#include "db_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sq_db {
	struct db base;
	sqlite3 *h;
	int64_t cache_size; /* the setting a bulk load replaced */
};

/* Page cache of a bulk load, KiB: a transaction whose dirty pages outgrow
 * the cache spills them to the WAL and reads them back (1,000,000 subjects
 * with their indexes are about 250 MB). Memory is taken only as used. */
#define SQ_BULK_CACHE_KIB 262144

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *s;
	int64_t changes;
};

#define H(d) (((struct sq_db *)(d))->h)
#define S(st) (((struct sq_stmt *)(st))->s)

static db *sq_open(const char *path, char *err, size_t errlen)
{
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "无法打开 SQLite 数据库 %s: %s", path, h ? sqlite3_errmsg(h) : "内存不足");
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, 10000);
	sqlite3_extended_result_codes(h, 1);
	const char *setup = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
			    "PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;";
	char *msg = NULL;
	if (sqlite3_exec(h, setup, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "SQLite 初始化失败: %s", msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(h);
		return NULL;
	}
	struct sq_db *d = calloc(1, sizeof *d);
	d->h = h;
	return &d->base;
}

static void sq_close(db *d)
{
	sqlite3_close_v2(H(d));
	free(d);
}

static int sq_exec(db *d, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(H(d), sql, NULL, NULL, &msg) != SQLITE_OK) {
		db_set_error(d, "%s", msg ? msg : sqlite3_errmsg(H(d)));
		sqlite3_free(msg);
		return DB_ERR;
	}
	return 0;
}

/* "$12" -> "?12", leaving quoted strings alone. */
static char *rewrite_params(const char *sql)
{
	size_t n = strlen(sql);
	char *out = malloc(n + 1);
	char quote = 0;
	for (size_t i = 0, j = 0; i <= n; i++) {
		char c = sql[i];
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '\'' || c == '"') {
			quote = c;
		} else if (c == '$' && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
			c = '?';
		}
		out[j++] = c;
	}
	return out;
}

static db_stmt *sq_prepare(db *d, const char *sql)
{
	char *text = rewrite_params(sql);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v3(H(d), text, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	free(text);
	if (rc != SQLITE_OK) {
		db_set_error(d, "%s", sqlite3_errmsg(H(d)));
		return NULL;
	}
	struct sq_stmt *st = calloc(1, sizeof *st);
	st->s = s;
	return &st->base;
}

static void sq_finalize(db_stmt *st)
{
	sqlite3_finalize(S(st));
	free(st);
}

static void sq_reset(db_stmt *st)
{
	sqlite3_reset(S(st));
	sqlite3_clear_bindings(S(st));
}

static int bind_rc(db_stmt *st, int rc)
{
	if (rc == SQLITE_OK)
		return 0;
	db_set_error(st->owner, "%s", sqlite3_errmsg(H(st->owner)));
	return DB_ERR;
}

static int sq_bind_int(db_stmt *st, int i, int64_t v) { return bind_rc(st, sqlite3_bind_int64(S(st), i, v)); }
static int sq_bind_text(db_stmt *st, int i, const char *v)
{
	return bind_rc(st, sqlite3_bind_text(S(st), i, v, -1, SQLITE_TRANSIENT));
}
static int sq_bind_blob(db_stmt *st, int i, const void *v, size_t n)
{
	return bind_rc(st, sqlite3_bind_blob64(S(st), i, v, n, SQLITE_TRANSIENT));
}
static int sq_bind_null(db_stmt *st, int i) { return bind_rc(st, sqlite3_bind_null(S(st), i)); }

static int sq_step(db_stmt *st)
{
	int rc = sqlite3_step(S(st));
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE) {
		((struct sq_stmt *)st)->changes = sqlite3_changes64(H(st->owner));
		return DB_DONE;
	}
	const char *msg = sqlite3_errmsg(H(st->owner));
	static const char unique[] = "UNIQUE constraint failed: ";
	db_set_error(st->owner, "%s", msg);
	st->owner->conflict[0] = 0;
	if (rc == SQLITE_CONSTRAINT_UNIQUE && strncmp(msg, unique, sizeof unique - 1) == 0)
		snprintf(st->owner->conflict, sizeof st->owner->conflict, "%s", msg + sizeof unique - 1);
	sqlite3_reset(S(st));
	return (rc & 0xff) == SQLITE_CONSTRAINT ? DB_CONSTRAINT : DB_ERR;
}

static int sq_col_count(db_stmt *st) { return sqlite3_column_count(S(st)); }
static int sq_col_isnull(db_stmt *st, int c) { return sqlite3_column_type(S(st), c) == SQLITE_NULL; }
static int64_t sq_col_int(db_stmt *st, int c) { return sqlite3_column_int64(S(st), c); }
static const char *sq_col_text(db_stmt *st, int c) { return (const char *)sqlite3_column_text(S(st), c); }
static const void *sq_col_blob(db_stmt *st, int c, size_t *n)
{
	const void *p = sqlite3_column_blob(S(st), c);
	*n = (size_t)sqlite3_column_bytes(S(st), c);
	return p;
}
static const char *sq_col_name(db_stmt *st, int c) { return sqlite3_column_name(S(st), c); }
static int64_t sq_changes(db_stmt *st) { return ((struct sq_stmt *)st)->changes; }

static char *sq_translate(const char *sql) { return strdup(sql); }

static void sq_bulk(db *d, int on)
{
	struct sq_db *q = (struct sq_db *)d;
	sqlite3_stmt *s = NULL;
	char sql[64];
	if (on) {
		q->cache_size = -2000;
		if (sqlite3_prepare_v2(q->h, "PRAGMA cache_size", -1, &s, NULL) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_ROW)
			q->cache_size = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", on ? -(long long)SQ_BULK_CACHE_KIB : (long long)q->cache_size);
	sqlite3_exec(q->h, sql, NULL, NULL, NULL);
}

/* BEGIN IMMEDIATE already holds the one write lock. */
static int sq_lock(db *d, int64_t key) { return 0; }

const struct db_ops db_sqlite_ops = {
	.name = "sqlite",
	.begin_sql = "BEGIN IMMEDIATE",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.reset = sq_reset,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.col_count = sq_col_count,
	.col_isnull = sq_col_isnull,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_blob = sq_col_blob,
	.col_name = sq_col_name,
	.changes = sq_changes,
	.lock = sq_lock,
	.translate_ddl = sq_translate,
	.unique_sep = ".", /* "UNIQUE constraint failed: subjects.uscc" */
	.unique_suffix = "",
	.bulk = sq_bulk,
};
