/*
 * db.c — the store's public API: URI dispatch to a backend, the per-handle
 * statement cache, transactions, the migration runner and a handle pool.
 * Errors are sticky and counted here (every entry point takes a statement
 * that failed to prepare), so no backend or caller has to be perfect.
 */
#include "db_int.h"

#include "embedded.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


void db_set_error(db *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->errmsg, sizeof d->errmsg, fmt, ap);
	va_end(ap);
}

db *db_open(const char *uri, char *err, size_t errlen)
{
	const struct db_ops *ops = &db_sqlite_ops;
	const char *target = uri ? uri : DB_DEFAULT_URI;

	if (strncmp(target, "postgresql://", 13) == 0 ||
	    strncmp(target, "postgres://", 11) == 0) {
		ops = &db_pg_ops;
	} else if (strncmp(target, "sqlite:", 7) == 0) {
		target += 7;
	} else if (strstr(target, "://")) {
		snprintf(err, errlen, "不支持的数据库地址: %s（应为 sqlite:路径 或 postgresql://…）", target);
		return NULL;
	}
	if (!*target) {
		snprintf(err, errlen, "数据库地址为空");
		return NULL;
	}
	db *d = ops->open(target, err, errlen);
	if (d) {
		d->ops = ops;
		d->backend = ops == &db_pg_ops ? DB_POSTGRES : DB_SQLITE;
	}
	return d;
}

static void cache_clear(db *d);

void db_close(db *d)
{
	if (!d)
		return;
	cache_clear(d);
	d->ops->close(d);
}

enum db_backend db_backend_of(const db *d) { return d->backend; }
const char *db_errmsg(db *d) { return d->errmsg; }

int db_failures(const db *d) { return d ? d->failures : 0; }

/* Counts a store error on d (constraint violations are answers, not
 * failures); returns rc. */
static int counted(db *d, int rc)
{
	if (rc < 0 && rc != DB_CONSTRAINT && d)
		d->failures++;
	return rc;
}

int db_exec(db *d, const char *sql) { return counted(d, d->ops->exec(d, sql)); }

int db_unique_violation(db *d, const char *table, const char *column)
{
	char name[sizeof d->conflict];
	if (!d->conflict[0])
		return 0;
	snprintf(name, sizeof name, "%s%s%s%s", table, d->ops->unique_sep, column, d->ops->unique_suffix);
	return strcmp(name, d->conflict) == 0;
}

void db_bulk_begin(db *d)
{
	if (d->ops->bulk)
		d->ops->bulk(d, 1);
}

void db_bulk_end(db *d)
{
	if (d->ops->bulk)
		d->ops->bulk(d, 0);
}

int db_begin(db *d)
{
	if (d->ops->write_begin && counted(d, d->ops->write_begin(d)) != 0)
		return DB_ERR;
	int rc = db_exec(d, d->ops->begin_sql);
	if (rc == 0)
		d->in_tx = 1;
	else if (d->ops->write_end)
		d->ops->write_end(d, 0);
	return rc;
}

/* After COMMIT (committed) or ROLLBACK: the backend's end of the write. */
static int write_end(db *d, int committed)
{
	if (!d->ops->write_end)
		return 0;
	return counted(d, d->ops->write_end(d, committed));
}

int db_writers_waiting(db *d) { return d->ops->writers_waiting ? d->ops->writers_waiting(d) : 0; }

int db_lock(db *d, int64_t key)
{
	if (!d->in_tx) {
		db_set_error(d, "db_lock 只能在事务中使用");
		return DB_ERR;
	}
	return d->ops->lock(d, key);
}

int db_commit(db *d)
{
	int rc = db_exec(d, "COMMIT");
	if (rc != 0)
		db_exec(d, "ROLLBACK");
	d->in_tx = 0;
	if (write_end(d, rc == 0) != 0 && rc == 0)
		rc = DB_ERR; /* committed, but not known to be durable: not a success */
	return rc;
}

int db_in_tx(db *d) { return d->in_tx; }

/* Outside a transaction there is nothing to roll back (error paths call
 * this whether or not they began one): not a store error. */
int db_rollback(db *d)
{
	if (!d->in_tx)
		return 0;
	int rc = db_exec(d, "ROLLBACK");
	d->in_tx = 0;
	write_end(d, 0);
	return rc;
}

static uint64_t sql_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* A slot for a new statement: a free one, else the least recently
 * prepared statement not in use (finalized), else -1. */
static int cache_slot(db *d)
{
	if (d->ncache < DB_STMT_CACHE)
		return d->ncache++;
	int victim = -1;
	for (int i = 0; i < d->ncache; i++)
		if (!d->cache[i].st->busy && (victim < 0 || d->cache[i].used < d->cache[victim].used))
			victim = i;
	if (victim >= 0) {
		db_stmt *old = d->cache[victim].st;
		old->cached = 0;
		d->ops->finalize(old);
		free(d->cache[victim].sql);
	}
	return victim;
}

/* Finalizes every cached statement (a lost connection took them). The
 * handle must have none in use. */
static void cache_clear(db *d)
{
	for (int i = 0; i < d->ncache; i++) {
		d->ops->finalize(d->cache[i].st);
		free(d->cache[i].sql);
	}
	d->ncache = 0;
}

/* Statements are cached per handle by their text: the second prepare of
 * a text costs a hash and a reset. Without memory for the copy of the
 * text the statement still runs, uncached. */
db_stmt *db_prepare(db *d, const char *sql)
{
	uint64_t h = sql_hash(sql);
	d->tick++;
	for (int i = 0; i < d->ncache; i++) {
		struct db_cached *c = &d->cache[i];
		if (c->hash == h && !c->st->busy && strcmp(c->sql, sql) == 0) {
			d->ops->reset(c->st);
			c->used = d->tick;
			c->st->busy = 1;
			c->st->failed = 0;
			return c->st;
		}
	}
	db_stmt *st = d->ops->prepare(d, sql);
	if (!st) {
		counted(d, DB_ERR);
		return NULL;
	}
	st->owner = d;
	st->busy = 1;
	st->failed = 0;
	char *copy = strdup(sql);
	int slot = copy ? cache_slot(d) : -1;
	if (slot >= 0) {
		d->cache[slot] = (struct db_cached){ .sql = copy, .hash = h, .used = d->tick, .st = st };
		st->cached = 1;
	} else {
		free(copy);
	}
	return st;
}

void db_done(db_stmt *st)
{
	if (!st)
		return;
	st->busy = 0;
	st->failed = 0;
	if (st->cached)
		st->owner->ops->reset(st);
	else
		st->owner->ops->finalize(st);
}

/* A bind's result: a failure makes the statement fail its next step. */
static int bound(db_stmt *st, int rc)
{
	if (rc != 0) {
		st->failed = 1;
		counted(st->owner, DB_ERR);
		return DB_ERR;
	}
	return 0;
}

int db_bind_int(db_stmt *st, int i, int64_t v) { return st ? bound(st, st->owner->ops->bind_int(st, i, v)) : DB_ERR; }
int db_bind_text(db_stmt *st, int i, const char *v)
{
	if (!st)
		return DB_ERR;
	return bound(st, v ? st->owner->ops->bind_text(st, i, v) : st->owner->ops->bind_null(st, i));
}
int db_bind_blob(db_stmt *st, int i, const void *v, size_t n)
{
	return st ? bound(st, st->owner->ops->bind_blob(st, i, v, n)) : DB_ERR;
}
int db_bind_null(db_stmt *st, int i) { return st ? bound(st, st->owner->ops->bind_null(st, i)) : DB_ERR; }

int db_step(db_stmt *st)
{
	if (!st)
		return DB_ERR;
	if (st->failed) /* counted when the bind failed; the message stands */
		return DB_ERR;
	return counted(st->owner, st->owner->ops->step(st));
}

int db_col_count(db_stmt *st) { return st ? st->owner->ops->col_count(st) : 0; }
int db_col_isnull(db_stmt *st, int c) { return st ? st->owner->ops->col_isnull(st, c) : 1; }
int64_t db_col_int(db_stmt *st, int c) { return st ? st->owner->ops->col_int(st, c) : 0; }
const char *db_col_text(db_stmt *st, int c) { return st ? st->owner->ops->col_text(st, c) : NULL; }
const void *db_col_blob(db_stmt *st, int c, size_t *n)
{
	if (!st) {
		*n = 0;
		return NULL;
	}
	return st->owner->ops->col_blob(st, c, n);
}
const char *db_col_name(db_stmt *st, int c) { return st ? st->owner->ops->col_name(st, c) : NULL; }
int64_t db_changes(db_stmt *st) { return st ? st->owner->ops->changes(st) : 0; }

int db_run(db_stmt *st)
{
	int rc = db_step(st);
	while (rc == DB_ROW)
		rc = db_step(st);
	return rc;
}

int db_run_done(db_stmt *st)
{
	int rc = db_run(st);
	db_done(st);
	return rc;
}

static int lookup_va(db *d, const char *sql, int64_t *out, int n, va_list ap)
{
	db_stmt *st = db_prepare(d, sql);
	for (int i = 0; i < n; i++)
		db_bind_text(st, i + 1, va_arg(ap, const char *));
	int rc = db_step(st);
	if (rc == DB_ROW && db_col_isnull(st, 0))
		rc = DB_DONE;
	else if (rc == DB_ROW)
		*out = db_col_int(st, 0);
	db_done(st);
	return rc;
}

int db_lookup_int(db *d, const char *sql, int64_t *out, int n, ...)
{
	va_list ap;
	va_start(ap, n);
	int rc = lookup_va(d, sql, out, n, ap);
	va_end(ap);
	return rc;
}

int db_lookup_text(db *d, const char *sql, char **out, int n, ...)
{
	va_list ap;
	va_start(ap, n);
	db_stmt *st = db_prepare(d, sql);
	for (int i = 0; i < n; i++)
		db_bind_text(st, i + 1, va_arg(ap, const char *));
	va_end(ap);
	int rc = db_step(st);
	if (rc == DB_ROW && db_col_isnull(st, 0))
		rc = DB_DONE;
	else if (rc == DB_ROW && !(*out = strdup(db_col_text(st, 0))))
		rc = DB_ERR; /* no memory: never "absent" */
	db_done(st);
	return rc;
}

int64_t db_query_int(db *d, const char *sql, int64_t fallback, int n, ...)
{
	int64_t v = fallback;
	va_list ap;
	va_start(ap, n);
	lookup_va(d, sql, &v, n, ap);
	va_end(ap);
	return v;
}

/* ---- migrations ---- */

int db_schema_version(db *d)
{
	int64_t v = 0;
	int rc = db_lookup_int(d, "SELECT MAX(version) FROM schema_migrations", &v, 0);
	return rc < 0 ? -1 : (int)v;
}

/* data/migrations/NNN_name.sql: version NNN, name "name". */
struct db_migration {
	int version;
	char name[64];
	const char *sql;
};

static void migration_of(const struct embedded_file *f, struct db_migration *m)
{
	const char *us = strchr(f->name, '_'), *dot = strrchr(f->name, '.');
	m->version = atoi(f->name);
	snprintf(m->name, sizeof m->name, "%.*s", us && dot > us ? (int)(dot - us - 1) : 0, us ? us + 1 : "");
	m->sql = f->text;
}

static int apply_migration(db *d, const struct db_migration *m)
{
	char *sql = d->ops->translate_ddl(m->sql);
	if (!sql)
		return -1;
	int rc = db_begin(d);
	if (rc == 0)
		rc = db_exec(d, sql);
	free(sql);
	if (rc == 0) {
		db_stmt *st = db_prepare(d, "INSERT INTO schema_migrations(version, name) VALUES ($1, $2)");
		db_bind_int(st, 1, m->version);
		db_bind_text(st, 2, m->name);
		rc = db_run(st) == DB_DONE ? 0 : -1;
		db_done(st);
	}
	if (rc != 0) {
		char keep[512];
		snprintf(keep, sizeof keep, "%s", d->errmsg);
		db_rollback(d);
		db_set_error(d, "迁移 %03d_%s 失败: %s", m->version, m->name, keep);
		return -1;
	}
	return db_commit(d);
}

int db_migrate(db *d)
{
	char *sql = d->ops->translate_ddl("CREATE TABLE IF NOT EXISTS schema_migrations ("
					  "version INTEGER PRIMARY KEY, name TEXT NOT NULL)");
	int rc = sql ? db_exec(d, sql) : -1;
	free(sql);
	if (rc != 0)
		return -1;
	int have = db_schema_version(d);
	if (have < 0)
		return -1;
	for (int i = 0; i < migration_files_count; i++) {
		struct db_migration m;
		migration_of(&migration_files[i], &m);
		if (m.version <= have)
			continue;
		if (apply_migration(d, &m) != 0)
			return -1;
	}
	return 0;
}

/* ---- pool ---- */

struct db_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int size, nfree;
	db **free;
	db **all;
};

db_pool *db_pool_open(const char *uri, int size, char *err, size_t errlen)
{
	db_pool *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "内存不足");
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->free = calloc((size_t)size, sizeof *p->free);
	p->all = calloc((size_t)size, sizeof *p->all);
	if (!p->free || !p->all) {
		snprintf(err, errlen, "内存不足");
		db_pool_close(p);
		return NULL;
	}
	for (int i = 0; i < size; i++) {
		db *d = db_open(uri, err, errlen);
		if (!d) {
			db_pool_close(p);
			return NULL;
		}
		p->all[p->size++] = d;
		p->free[p->nfree++] = d;
	}
	return p;
}

db *db_pool_get(db_pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->nfree == 0)
		pthread_cond_wait(&p->cv, &p->mu);
	db *d = p->free[--p->nfree];
	pthread_mutex_unlock(&p->mu);
	d->failures = 0;
	return d;
}

/* A handle goes back with no statement left running: one a caller left
 * without db_done is reset here (named when FAZHI_DEBUG_STMT is set). */
static void release_statements(db *d)
{
	for (int i = 0; i < d->ncache; i++) {
		db_stmt *st = d->cache[i].st;
		if (!st->busy)
			continue;
		if (getenv("FAZHI_DEBUG_STMT"))
			fprintf(stderr, "STMT-NOT-DONE: %s\n", d->cache[i].sql);
		db_done(st);
	}
}

/* A lost connection is re-opened now, not by the next request's first
 * statement; its prepared statements died with it. If the server cannot
 * be reached, the next use tries again (and fails cleanly). */
static void recover(db *d)
{
	if (!d->ops->lost || !d->ops->lost(d))
		return;
	cache_clear(d);
	if (d->ops->reconnect(d) != 0)
		fprintf(stderr, "fazhi: 数据库连接已断开，重连失败 / store reconnect failed: %s\n", d->errmsg);
}

void db_pool_put(db_pool *p, db *d)
{
	release_statements(d);
	if (d->in_tx)
		db_rollback(d);
	recover(d);
	pthread_mutex_lock(&p->mu);
	p->free[p->nfree++] = d;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void db_pool_close(db_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->size; i++)
		db_close(p->all[i]);
	free(p->free);
	free(p->all);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}
