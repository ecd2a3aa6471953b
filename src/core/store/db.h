/*
 * db.h — the store: one interface over SQLite and PostgreSQL.
 *
 * A database is opened by URI ("sqlite:PATH", a bare path, or
 * "postgresql://…"). Every statement is prepared; parameters are written
 * $1, $2 … in SQL for both backends and bound by position. Migrations are
 * numbered SQL files (data/migrations) applied once and recorded in the
 * schema_migrations table. One db handle is used by one thread at a time;
 * the HTTP server keeps a pool (db_pool_*).
 */
#ifndef FAZHI_DB_H
#define FAZHI_DB_H

#include <stddef.h>
#include <stdint.h>

typedef struct db db;
typedef struct db_stmt db_stmt;

enum db_backend { DB_SQLITE = 1, DB_POSTGRES = 2 };

/* Results of db_step(). Errors are negative. */
#define DB_ROW 1
#define DB_DONE 0
#define DB_ERR (-1)
#define DB_CONSTRAINT (-2) /* unique / foreign key / check violation */

/* Opens (and for SQLite creates) the database. Returns NULL and writes a
 * message into err on failure. Does not migrate. */
db *db_open(const char *uri, char *err, size_t errlen);
void db_close(db *d);
enum db_backend db_backend_of(const db *d);
const char *db_errmsg(db *d);

/* Applies pending migrations in one transaction each. 0 on success. */
int db_migrate(db *d);
int db_schema_version(db *d);

/* A write transaction. On SQLite, writers of one file in this process
 * wait their turn in FIFO order (no busy-handler sleeps), and db_commit
 * returns 0 only once the commit is synced to disk (synced in groups);
 * a thread already inside a write transaction on another handle of the
 * same file is refused (DB_ERR) rather than left waiting for itself. */
int db_begin(db *d);
int db_commit(db *d);
int db_rollback(db *d);
/* Writers of this process waiting for the write turn of d's database
 * (SQLite; 0 on PostgreSQL). For tests and diagnostics. */
int db_writers_waiting(db *d);
/* Whether a transaction is open on this handle. */
int db_in_tx(db *d);
/* Inside a transaction: serialises writers on key until the transaction
 * ends (PostgreSQL advisory lock; SQLite's BEGIN IMMEDIATE already holds
 * the database's single write lock). Outside a transaction: DB_ERR. */
int db_lock(db *d, int64_t key);
/* Whether the last DB_CONSTRAINT on this handle was a violation of the
 * single-column UNIQUE constraint on table(column) (as declared in the
 * migrations, with its default name). Lets a write rely on the constraint
 * instead of a SELECT beforehand and still name the field at fault. */
int db_unique_violation(db *d, const char *table, const char *column);
/* A bulk load (one large write transaction) on this handle: SQLite gets a
 * page cache large enough not to spill the transaction's dirty pages to the
 * WAL and read them back; db_bulk_end restores the handle's setting. */
void db_bulk_begin(db *d);
void db_bulk_end(db *d);
/* Executes SQL without parameters or results (DDL, pragmas). */
int db_exec(db *d, const char *sql);

/* Prepares a statement (cached per handle by SQL text: do not finalize
 * cached statements; call db_done when finished). NULL when it cannot be
 * prepared (bad SQL, lost connection, no memory; see db_errmsg).
 *
 * Errors are sticky, so a caller that checks only the end result is
 * still safe: every function below accepts a NULL statement (binds and
 * db_step answer DB_ERR, columns NULL / 0, db_done does nothing), and
 * after a failed bind the statement's next db_step answers DB_ERR
 * without running it. */
db_stmt *db_prepare(db *d, const char *sql);
/* Releases the statement's bindings and results for reuse. */
void db_done(db_stmt *st);

int db_bind_int(db_stmt *st, int idx, int64_t v);
int db_bind_text(db_stmt *st, int idx, const char *v); /* NULL binds NULL */
int db_bind_blob(db_stmt *st, int idx, const void *v, size_t n);
int db_bind_null(db_stmt *st, int idx);

/* Executes on first call; returns DB_ROW, DB_DONE or a negative error. */
int db_step(db_stmt *st);
int db_col_count(db_stmt *st);
int db_col_isnull(db_stmt *st, int col);
int64_t db_col_int(db_stmt *st, int col);
const char *db_col_text(db_stmt *st, int col); /* valid until next step */
const void *db_col_blob(db_stmt *st, int col, size_t *n);
const char *db_col_name(db_stmt *st, int col);
/* Rows changed by the last DB_DONE of an INSERT/UPDATE/DELETE. */
int64_t db_changes(db_stmt *st);

/* Convenience: run a statement with no result rows after binding.
 * Returns DB_DONE or a negative error. */
int db_run(db_stmt *st);
/* db_run, then db_done: for a statement run once for its effect alone
 * (st is finished and must not be used after). Returns as db_run. */
int db_run_done(db_stmt *st);
/* A lookup with three outcomes: the first column of the first row of sql
 * (n text parameters) into *out and DB_ROW; DB_DONE when there is no row
 * or the value is NULL (*out untouched); DB_ERR (or another negative
 * code) when the store failed — never to be read as "absent". */
int db_lookup_int(db *d, const char *sql, int64_t *out, int n, ...);
/* The same for text: *out a copy the caller frees (untouched unless DB_ROW). */
int db_lookup_text(db *d, const char *sql, char **out, int n, ...);
/* For tests and benchmarks only, where a wrong value fails a check: a
 * store error looks like "no row" (fallback), so product code built on it
 * would fail open. Product code uses db_lookup_int. */
int64_t db_query_int(db *d, const char *sql, int64_t fallback, int n, ...);

/* Store errors (not constraint violations) met on this handle since it
 * left the pool (db_pool_get) or was opened: a request that met one must
 * not answer as if it had succeeded. */
int db_failures(const db *d);

/* A fixed-size pool of handles for the server threads. */
typedef struct db_pool db_pool;
db_pool *db_pool_open(const char *uri, int size, char *err, size_t errlen);
/* A handle whose connection was lost is re-opened when it comes back
 * (db_pool_put), its statement cache dropped: one request meets the
 * loss, the next one gets a working handle. */
db *db_pool_get(db_pool *p);
void db_pool_put(db_pool *p, db *d);
void db_pool_close(db_pool *p);

/* Default URI when none is given. */
#define DB_DEFAULT_URI "sqlite:./fazhi.db"

#endif
