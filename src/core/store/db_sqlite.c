/*
 * db_sqlite.c — the SQLite backend: WAL, foreign keys, busy timeout,
 * synchronous=FULL (an acknowledged write survives a crash). Parameters
 * written $N are rewritten to SQLite's ?N so both backends share SQL.
 */
#include "db_int.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	/* A single-row "INSERT … RETURNING id" prepared without its RETURNING
	 * clause (see returning_rowid): after the insert, the id row is made
	 * up from sqlite3_last_insert_rowid(). */
	int rowid_insert;
	int row_ready;   /* the made-up row is current */
	int64_t rowid;
	char rowid_text[24];
};

#define H(d) (((struct sq_db *)(d))->h)
#define S(st) (((struct sq_stmt *)(st))->s)

/* Before the library's first use: no global allocation statistics, whose
 * mutex every allocation of every connection would take. */
static void sq_configure(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

static db *sq_open(const char *path, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sq_configure);
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
	/* Plans never depend on bound values: otherwise every new value bound
	 * to "column LIKE ?" (the scope filter) expires the cached statement
	 * and the next step parses and plans it again. */
	sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_QPSG, 1, (int *)NULL);
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
	if (!d) {
		snprintf(err, errlen, "内存不足");
		sqlite3_close(h);
		return NULL;
	}
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
	if (!out)
		return NULL;
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

/* ---- INSERT … RETURNING id ----
 * SQLite runs a RETURNING clause as a trigger, which makes even a one-row
 * INSERT open a statement journal (a savepoint per statement): in a bulk
 * import that roughly doubles the cost of each insert. A one-row INSERT
 * whose RETURNING asks only for the table's INTEGER PRIMARY KEY id (the
 * rowid) is therefore prepared without the clause and the id read from
 * sqlite3_last_insert_rowid(); the caller sees the same row. Anything else
 * (several rows, SELECT, ON CONFLICT, OR REPLACE, other columns, a table
 * whose id is not its rowid) keeps its RETURNING clause. */

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* The text after the word w (case-insensitive, then blanks) at p, or NULL. */
static const char *word(const char *p, const char *w)
{
	size_t n = strlen(w);
	if (strncasecmp(p, w, n) != 0)
		return NULL;
	p += n;
	if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')
		return NULL;
	return skip_space(p);
}

/* The text after the parenthesised group at p (quotes respected), or NULL. */
static const char *group(const char *p)
{
	int depth = 0;
	char quote = 0;
	if (*p != '(')
		return NULL;
	for (; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth == 0) {
			return skip_space(p + 1);
		}
	}
	return NULL;
}

/* Length of sql without its " RETURNING id" when the rewrite applies; 0 if not. */
static size_t returning_rowid(sqlite3 *h, const char *sql)
{
	char table[64];
	const char *p = word(skip_space(sql), "INSERT"), *cut;
	size_t n = 0;
	if (!p || !(p = word(p, "INTO")))
		return 0;
	while (n < sizeof table - 1 && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
					(*p >= '0' && *p <= '9') || *p == '_'))
		table[n++] = *p++;
	table[n] = 0;
	p = skip_space(p);
	if (n == 0 || !(p = group(p)) || !(p = word(p, "VALUES")) || !(p = group(p)))
		return 0;
	cut = p;
	if (!(p = word(p, "RETURNING")) || !(p = word(p, "id")))
		return 0;
	while (*p == ';' || *p == ' ' || *p == '\n')
		p++;
	if (*p)
		return 0;
	/* id must be the rowid: the only primary key column, INTEGER, of a
	 * table that has rowids. */
	sqlite3_stmt *s = NULL;
	int ok = sqlite3_prepare_v2(h,
				    "SELECT (SELECT COUNT(*) FROM pragma_table_info(?1) WHERE pk > 0) = 1"
				    " AND EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE name = 'id' AND pk = 1"
				    " AND upper(type) = 'INTEGER')"
				    " AND EXISTS (SELECT 1 FROM pragma_table_list(?1) WHERE wr = 0)",
				    -1, &s, NULL) == SQLITE_OK &&
		 sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW &&
		 sqlite3_column_int(s, 0) == 1;
	sqlite3_finalize(s);
	while (cut > sql && (cut[-1] == ' ' || cut[-1] == '\n'))
		cut--;
	return ok ? (size_t)(cut - sql) : 0;
}

static db_stmt *sq_prepare(db *d, const char *sql)
{
	char *text = rewrite_params(sql);
	sqlite3_stmt *s = NULL;
	if (!text) {
		db_set_error(d, "内存不足");
		return NULL;
	}
	size_t cut = returning_rowid(H(d), text);
	int rc = sqlite3_prepare_v3(H(d), text, cut ? (int)cut : -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	free(text);
	if (rc != SQLITE_OK) {
		db_set_error(d, "%s", sqlite3_errmsg(H(d)));
		return NULL;
	}
	struct sq_stmt *st = calloc(1, sizeof *st);
	if (!st) {
		sqlite3_finalize(s);
		db_set_error(d, "内存不足");
		return NULL;
	}
	st->s = s;
	st->rowid_insert = cut > 0;
	return &st->base;
}

static void sq_finalize(db_stmt *st)
{
	sqlite3_finalize(S(st));
	free(st);
}

#define Q(st) ((struct sq_stmt *)(st))

static void sq_reset(db_stmt *st)
{
	Q(st)->row_ready = 0;
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
	struct sq_stmt *q = Q(st);
	if (q->row_ready) { /* after the made-up id row */
		q->row_ready = 0;
		return DB_DONE;
	}
	int rc = sqlite3_step(S(st));
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE) {
		q->changes = sqlite3_changes64(H(st->owner));
		if (q->rowid_insert && q->changes > 0) {
			q->rowid = sqlite3_last_insert_rowid(H(st->owner));
			snprintf(q->rowid_text, sizeof q->rowid_text, "%lld", (long long)q->rowid);
			q->row_ready = 1;
			return DB_ROW;
		}
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

/* The made-up id row of a rowid insert: its one column, or NULL. */
static const char *rowid_col(db_stmt *st, int c)
{
	return Q(st)->row_ready && c == 0 ? Q(st)->rowid_text : NULL;
}

static int sq_col_count(db_stmt *st) { return Q(st)->rowid_insert ? 1 : sqlite3_column_count(S(st)); }
static int sq_col_isnull(db_stmt *st, int c)
{
	if (Q(st)->rowid_insert)
		return !rowid_col(st, c);
	return sqlite3_column_type(S(st), c) == SQLITE_NULL;
}
static int64_t sq_col_int(db_stmt *st, int c)
{
	if (Q(st)->rowid_insert)
		return rowid_col(st, c) ? Q(st)->rowid : 0;
	return sqlite3_column_int64(S(st), c);
}
static const char *sq_col_text(db_stmt *st, int c)
{
	if (Q(st)->rowid_insert)
		return rowid_col(st, c);
	return (const char *)sqlite3_column_text(S(st), c);
}
static const void *sq_col_blob(db_stmt *st, int c, size_t *n)
{
	if (Q(st)->rowid_insert) {
		const char *t = rowid_col(st, c);
		*n = t ? strlen(t) : 0;
		return t;
	}
	const void *p = sqlite3_column_blob(S(st), c);
	*n = (size_t)sqlite3_column_bytes(S(st), c);
	return p;
}
static const char *sq_col_name(db_stmt *st, int c)
{
	if (Q(st)->rowid_insert)
		return c == 0 ? "id" : NULL;
	return sqlite3_column_name(S(st), c);
}
static int64_t sq_changes(db_stmt *st) { return Q(st)->changes; }

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
