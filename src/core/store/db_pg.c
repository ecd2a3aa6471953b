/*
 * db_pg.c — the PostgreSQL backend (libpq). Sessions run in UTF-8 and UTC.
 * Statements are server-side prepared statements named s1, s2 … per
 * connection; parameters travel as text (blobs as binary) and results come
 * back as text, bytea decoded on demand. A lost connection is re-opened on
 * the next use outside a transaction and its statements re-prepared. Also
 * owns the translation of the SQLite-dialect migrations.
 */
#include "db_int.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PG_BOOLOID 16
#define PG_BYTEAOID 17

struct pg_db {
	struct db base;
	PGconn *c;
	int nextid;    /* last statement name number */
	unsigned gen;  /* bumped on reconnect: statements must be re-prepared */
};

struct pg_blob {
	unsigned char *p;
	size_t n;
};

struct pg_stmt {
	struct db_stmt base;
	char name[16];
	char *sql;
	unsigned gen;
	PGresult *desc;  /* parameter count and columns, from PQdescribePrepared */
	int nparams;
	char **vals;     /* NULL binds SQL NULL */
	int *lens, *fmts;
	PGresult *res;   /* NULL until executed and again after DB_DONE */
	int row, nrows;
	struct pg_blob *blobs; /* decoded bytea of the current row, per column */
	int64_t changes;
};

#define PD(d) ((struct pg_db *)(d))
#define C(d) (PD(d)->c)
#define ST(s) ((struct pg_stmt *)(s))

/* ---- errors ---- */

/* Records libpq's message (without its trailing newline); returns the
 * DB_* code for the result's SQLSTATE (class 23: integrity violation). */
static int pg_fail(db *d, const PGresult *r)
{
	const char *msg = r ? PQresultErrorMessage(r) : "";
	if (!*msg)
		msg = PQerrorMessage(C(d));
	int len = (int)strlen(msg);
	while (len > 0 && isspace((unsigned char)msg[len - 1]))
		len--;
	db_set_error(d, "%.*s", len, msg);
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *constraint = r ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : NULL;
	d->conflict[0] = 0;
	if (state && strcmp(state, "23505") == 0 && constraint) /* unique_violation */
		snprintf(d->conflict, sizeof d->conflict, "%s", constraint);
	return state && strncmp(state, "23", 2) == 0 ? DB_CONSTRAINT : DB_ERR;
}

static int result_ok(const PGresult *r)
{
	ExecStatusType s = PQresultStatus(r);
	return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
}

/* ---- connection ---- */

/* Notices and warnings ("relation already exists, skipping") are not
 * errors; libpq would print them on stderr. */
static void ignore_notice(void *arg, const char *msg) {}

static int session_setup(PGconn *c)
{
	PQsetNoticeProcessor(c, ignore_notice, NULL);
	if (PQsetClientEncoding(c, "UTF8") != 0)
		return -1;
	PGresult *r = PQexec(c, "SET TIME ZONE 'UTC'");
	int rc = result_ok(r) ? 0 : -1;
	PQclear(r);
	return rc;
}

static db *pg_open(const char *uri, char *err, size_t errlen)
{
	PGconn *c = PQconnectdb(uri);
	if (PQstatus(c) != CONNECTION_OK || session_setup(c) != 0) {
		const char *msg = c ? PQerrorMessage(c) : "内存不足";
		int len = (int)strlen(msg);
		while (len > 0 && isspace((unsigned char)msg[len - 1]))
			len--;
		snprintf(err, errlen, "无法连接 PostgreSQL: %.*s", len, msg);
		PQfinish(c);
		return NULL;
	}
	struct pg_db *d = calloc(1, sizeof *d);
	if (!d) {
		snprintf(err, errlen, "内存不足");
		PQfinish(c);
		return NULL;
	}
	d->c = c;
	return &d->base;
}

static void pg_close(db *d)
{
	PQfinish(C(d));
	free(d);
}

static int pg_lost(db *d) { return PQstatus(C(d)) != CONNECTION_OK; }

/* Re-opens the connection; statements prepared on the old one are gone
 * (gen: a statement still held is prepared again before it runs). */
static int pg_reconnect(db *d)
{
	PD(d)->gen++;
	d->in_tx = 0;
	PQreset(C(d));
	if (PQstatus(C(d)) != CONNECTION_OK || session_setup(C(d)) != 0)
		return pg_fail(d, NULL);
	return 0;
}

/* Re-opens a dropped connection, unless a transaction was under way (its
 * work is lost and the caller must see that). */
static int pg_alive(db *d)
{
	if (!pg_lost(d))
		return 0;
	if (d->in_tx) {
		db_set_error(d, "PostgreSQL 连接已断开，事务未完成");
		return DB_ERR;
	}
	return pg_reconnect(d);
}

static int pg_exec(db *d, const char *sql)
{
	if (pg_alive(d) != 0)
		return DB_ERR;
	PGresult *r = PQexec(C(d), sql);
	int rc = result_ok(r) ? 0 : pg_fail(d, r);
	/* COMMIT of a transaction aborted by an earlier error rolls back. */
	if (rc == 0 && strcmp(PQcmdStatus(r), "ROLLBACK") == 0 && strncasecmp(sql, "COMMIT", 6) == 0) {
		db_set_error(d, "事务因先前的错误已回滚");
		rc = DB_ERR;
	}
	PQclear(r);
	return rc;
}

/* ---- statements ---- */

static int server_prepare(db *d, struct pg_stmt *st)
{
	PGresult *r = PQprepare(C(d), st->name, st->sql, 0, NULL);
	int rc = result_ok(r) ? 0 : pg_fail(d, r);
	PQclear(r);
	st->gen = PD(d)->gen;
	return rc;
}

static void clear_row(struct pg_stmt *st)
{
	if (!st->blobs)
		return;
	int n = st->res ? PQnfields(st->res) : 0;
	for (int i = 0; i < n; i++)
		PQfreemem(st->blobs[i].p);
	free(st->blobs);
	st->blobs = NULL;
}

static void clear_result(struct pg_stmt *st)
{
	clear_row(st);
	PQclear(st->res);
	st->res = NULL;
	st->row = st->nrows = 0;
}

static void pg_finalize(db_stmt *s);
static char *pg_translate(const char *sql);

static db_stmt *pg_prepare(db *d, const char *sql)
{
	if (pg_alive(d) != 0)
		return NULL;
	struct pg_stmt *st = calloc(1, sizeof *st);
	if (!st) {
		db_set_error(d, "内存不足");
		return NULL;
	}
	st->base.owner = d;
	snprintf(st->name, sizeof st->name, "s%d", ++PD(d)->nextid);
	/* Queries share the migrations' dialect where it differs: bytewise
	 * comparison (scope.c) is COLLATE "C" here. */
	st->sql = strstr(sql, "COLLATE BINARY") ? pg_translate(sql) : strdup(sql);
	if (!st->sql)
		db_set_error(d, "内存不足");
	if (!st->sql || server_prepare(d, st) != 0) {
		free(st->sql);
		free(st);
		return NULL;
	}
	st->desc = PQdescribePrepared(C(d), st->name);
	if (PQresultStatus(st->desc) != PGRES_COMMAND_OK) {
		pg_fail(d, st->desc);
		pg_finalize(&st->base);
		return NULL;
	}
	st->nparams = PQnparams(st->desc);
	st->vals = calloc((size_t)st->nparams + 1, sizeof *st->vals);
	st->lens = calloc((size_t)st->nparams + 1, sizeof *st->lens);
	st->fmts = calloc((size_t)st->nparams + 1, sizeof *st->fmts);
	if (!st->vals || !st->lens || !st->fmts) {
		st->nparams = 0; /* nothing bound to reset */
		db_set_error(d, "内存不足");
		pg_finalize(&st->base);
		return NULL;
	}
	return &st->base;
}

static void pg_reset(db_stmt *s)
{
	struct pg_stmt *st = ST(s);
	clear_result(st);
	for (int i = 0; i < st->nparams; i++) {
		free(st->vals[i]);
		st->vals[i] = NULL;
		st->lens[i] = st->fmts[i] = 0;
	}
}

/* Cached statements live as long as the connection; others are dropped on
 * the server when it can still take commands. */
static void pg_finalize(db_stmt *s)
{
	struct pg_stmt *st = ST(s);
	PGconn *c = C(s->owner);
	if (!s->cached && st->gen == PD(s->owner)->gen && PQstatus(c) == CONNECTION_OK &&
	    PQtransactionStatus(c) != PQTRANS_INERROR) {
		char sql[48];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
		PQclear(PQexec(c, sql));
	}
	pg_reset(s);
	PQclear(st->desc);
	free(st->vals);
	free(st->lens);
	free(st->fmts);
	free(st->sql);
	free(st);
}

/* ---- bindings: text, or binary for blobs ---- */

/* v: the owned value, NULL for SQL NULL; oom: v could not be copied. */
static int bind_raw(db_stmt *s, int i, char *v, int len, int fmt, int oom)
{
	struct pg_stmt *st = ST(s);
	if (oom) {
		db_set_error(s->owner, "内存不足");
		return DB_ERR;
	}
	if (i < 1 || i > st->nparams) {
		free(v);
		db_set_error(s->owner, "参数序号 %d 超出范围（语句共 %d 个参数）", i, st->nparams);
		return DB_ERR;
	}
	free(st->vals[i - 1]);
	st->vals[i - 1] = v;
	st->lens[i - 1] = len;
	st->fmts[i - 1] = fmt;
	return 0;
}

static int pg_bind_int(db_stmt *s, int i, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%lld", (long long)v);
	char *v_copy = strdup(buf);
	return bind_raw(s, i, v_copy, 0, 0, !v_copy);
}

static int pg_bind_text(db_stmt *s, int i, const char *v)
{
	char *copy = strdup(v);
	return bind_raw(s, i, copy, 0, 0, !copy);
}
static int pg_bind_null(db_stmt *s, int i) { return bind_raw(s, i, NULL, 0, 0, 0); }

static int pg_bind_blob(db_stmt *s, int i, const void *v, size_t n)
{
	if (n > INT32_MAX) {
		db_set_error(s->owner, "二进制参数过大（%zu 字节）", n);
		return DB_ERR;
	}
	char *copy = malloc(n ? n : 1);
	if (copy && n)
		memcpy(copy, v, n);
	return bind_raw(s, i, copy, (int)n, 1, !copy);
}

/* ---- execution ---- */

static int execute(struct pg_stmt *st)
{
	db *d = st->base.owner;
	int rc = pg_alive(d);
	if (rc == 0 && st->gen != PD(d)->gen)
		rc = server_prepare(d, st);
	if (rc != 0)
		return rc;
	const char *const *vals = (const char *const *)st->vals;
	st->res = PQexecPrepared(C(d), st->name, st->nparams, vals, st->lens, st->fmts, 0);
	if (!result_ok(st->res)) {
		rc = pg_fail(d, st->res);
		clear_result(st);
		return rc;
	}
	st->row = -1;
	st->nrows = PQntuples(st->res);
	return 0;
}

static int pg_step(db_stmt *s)
{
	struct pg_stmt *st = ST(s);
	if (!st->res) {
		int rc = execute(st);
		if (rc != 0)
			return rc;
	}
	clear_row(st);
	if (++st->row < st->nrows)
		return DB_ROW;
	st->changes = strtoll(PQcmdTuples(st->res), NULL, 10);
	clear_result(st);
	return DB_DONE;
}

/* ---- columns of the current row ---- */

static int has_col(struct pg_stmt *st, int c)
{
	return st->res && st->row >= 0 && st->row < st->nrows && c >= 0 && c < PQnfields(st->res);
}

static const PGresult *shape(struct pg_stmt *st) { return st->res ? st->res : st->desc; }

static int pg_col_count(db_stmt *s) { return PQnfields(shape(ST(s))); }

static const char *pg_col_name(db_stmt *s, int c)
{
	const PGresult *r = shape(ST(s));
	return c >= 0 && c < PQnfields(r) ? PQfname(r, c) : NULL;
}

static int pg_col_isnull(db_stmt *s, int c)
{
	struct pg_stmt *st = ST(s);
	return !has_col(st, c) || PQgetisnull(st->res, st->row, c);
}

static const char *pg_col_text(db_stmt *s, int c)
{
	struct pg_stmt *st = ST(s);
	return pg_col_isnull(s, c) ? NULL : PQgetvalue(st->res, st->row, c);
}

/* Integers arrive as text; booleans as "t"/"f" (SQLite gives 1/0). */
static int64_t pg_col_int(db_stmt *s, int c)
{
	const char *v = pg_col_text(s, c);
	if (!v)
		return 0;
	if (PQftype(ST(s)->res, c) == PG_BOOLOID)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

/* bytea is decoded from its text form once per row and column; other
 * types give their text bytes, as SQLite does. */
static const void *pg_col_blob(db_stmt *s, int c, size_t *n)
{
	struct pg_stmt *st = ST(s);
	*n = 0;
	const char *v = pg_col_text(s, c);
	if (!v)
		return NULL;
	if (PQftype(st->res, c) != PG_BYTEAOID) {
		*n = (size_t)PQgetlength(st->res, st->row, c);
		return v;
	}
	if (!st->blobs)
		st->blobs = calloc((size_t)PQnfields(st->res), sizeof *st->blobs);
	if (!st->blobs)
		return NULL; /* no memory: read as NULL, which no caller takes for valid data */
	struct pg_blob *b = &st->blobs[c];
	if (!b->p)
		b->p = PQunescapeBytea((const unsigned char *)v, &b->n);
	*n = b->p ? b->n : 0;
	return b->p;
}

static int64_t pg_changes(db_stmt *s) { return ST(s)->changes; }

/* Serialises writers on key until the transaction ends. */
static int pg_lock(db *d, int64_t key)
{
	db_stmt *st = db_prepare(d, "SELECT pg_advisory_xact_lock($1)");
	db_bind_int(st, 1, key);
	int rc = db_run(st);
	db_done(st);
	return rc == DB_DONE ? 0 : rc;
}

/* ---- migrations: SQLite dialect -> PostgreSQL ---- */

static const struct {
	const char *from, *to;
	char after; /* if set, applies only right after this character */
} pg_rules[] = {
	{ "INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", 0 },
	{ "INTEGER", "BIGINT", 0 },
	{ "BLOB", "BYTEA", 0 },
	{ "STRICT, WITHOUT ROWID", "", ')' }, /* heap tables only */
	{ "WITHOUT ROWID", "", ')' },
	{ "STRICT", "", ')' },
	{ "COLLATE BINARY", "COLLATE \"C\"", 0 }, /* bytewise comparison */
};

static int ident_char(char c) { return isalnum((unsigned char)c) || c == '_' || (c & 0x80); }

/* Length of the phrase (upper case, words separated by one space; any
 * run of blanks matches the space) at s when it ends on a word boundary. */
static size_t phrase_at(const char *s, const char *phrase)
{
	const char *p = s;
	for (const char *w = phrase; *w; w++) {
		if (*w == ' ') {
			if (!isspace((unsigned char)*p))
				return 0;
			while (isspace((unsigned char)*p))
				p++;
		} else if (toupper((unsigned char)*p++) != *w) {
			return 0;
		}
	}
	return ident_char(*p) ? 0 : (size_t)(p - s);
}

/* Length of a quoted string, quoted identifier or comment at s, or 0. */
static size_t literal_at(const char *s)
{
	const char *end;
	if (*s == '\'' || *s == '"') {
		end = strchr(s + 1, *s); /* '' inside: two literals, same text */
		return end ? (size_t)(end - s) + 1 : strlen(s);
	}
	if (s[0] == '-' && s[1] == '-')
		return strcspn(s, "\n");
	if (s[0] == '/' && s[1] == '*') {
		end = strstr(s + 2, "*/");
		return end ? (size_t)(end - s) + 2 : strlen(s);
	}
	return 0;
}

/* Applies the first rule matching at s (a word start): writes the
 * replacement at out[*j] and returns the input length consumed, or 0. */
static size_t apply_rule(const char *s, char *out, size_t *j)
{
	for (size_t k = 0; k < sizeof pg_rules / sizeof pg_rules[0]; k++) {
		size_t at = *j;
		if (pg_rules[k].after) {
			while (at > 0 && isspace((unsigned char)out[at - 1]))
				at--;
			if (at == 0 || out[at - 1] != pg_rules[k].after)
				continue;
		}
		size_t len = phrase_at(s, pg_rules[k].from);
		if (len) {
			size_t m = strlen(pg_rules[k].to);
			memcpy(out + at, pg_rules[k].to, m);
			*j = at + m;
			return len;
		}
	}
	return 0;
}

/* A migration line "-- postgresql: <SQL>" is a statement only PostgreSQL
 * runs (SQLite reads a comment): copied as it is, without the marker. */
#define PG_ONLY "-- postgresql: "

static char *pg_translate(const char *sql)
{
	size_t n = strlen(sql), i = 0, j = 0, len;
	char *out = malloc(3 * n + 1); /* no rule grows its text threefold */
	if (!out)
		return NULL;
	while (i < n) {
		if (strncmp(sql + i, PG_ONLY, strlen(PG_ONLY)) == 0) {
			i += strlen(PG_ONLY);
			len = strcspn(sql + i, "\n");
			memcpy(out + j, sql + i, len);
			i += len, j += len;
		} else if ((len = literal_at(sql + i)) != 0) {
			memcpy(out + j, sql + i, len);
			i += len, j += len;
		} else if ((i == 0 || !ident_char(sql[i - 1])) &&
			   (len = apply_rule(sql + i, out, &j)) != 0) {
			i += len;
		} else {
			out[j++] = sql[i++];
		}
	}
	out[j] = 0;
	return out;
}

const struct db_ops db_pg_ops = {
	.name = "postgresql",
	.begin_sql = "BEGIN",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_count = pg_col_count,
	.col_isnull = pg_col_isnull,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_blob = pg_col_blob,
	.col_name = pg_col_name,
	.changes = pg_changes,
	.lock = pg_lock,
	.translate_ddl = pg_translate,
	.lost = pg_lost,
	.reconnect = pg_reconnect,
	.unique_sep = "_", /* column UNIQUE in CREATE TABLE t: "t_column_key" */
	.unique_suffix = "_key",
};
