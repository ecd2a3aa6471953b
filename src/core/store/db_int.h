/*
 * db_int.h — what a store backend implements (SQLite, PostgreSQL).
 *
 * db.c owns the public API, URI dispatch, the statement cache and the
 * migration runner; each backend fills a db_ops table and allocates its
 * own handle and statement structs that begin with struct db / db_stmt.
 */
#ifndef FAZHI_DB_INT_H
#define FAZHI_DB_INT_H

#include "db.h"

#define DB_STMT_CACHE 256

struct db_ops {
	const char *name;
	const char *begin_sql; /* starts a write transaction */
	db *(*open)(const char *target, char *err, size_t errlen);
	void (*close)(db *d);
	int (*exec)(db *d, const char *sql);
	db_stmt *(*prepare)(db *d, const char *sql);
	void (*finalize)(db_stmt *st);
	void (*reset)(db_stmt *st);
	int (*bind_int)(db_stmt *st, int idx, int64_t v);
	int (*bind_text)(db_stmt *st, int idx, const char *v);
	int (*bind_blob)(db_stmt *st, int idx, const void *v, size_t n);
	int (*bind_null)(db_stmt *st, int idx);
	int (*step)(db_stmt *st);
	int (*col_count)(db_stmt *st);
	int (*col_isnull)(db_stmt *st, int col);
	int64_t (*col_int)(db_stmt *st, int col);
	const char *(*col_text)(db_stmt *st, int col);
	const void *(*col_blob)(db_stmt *st, int col, size_t *n);
	const char *(*col_name)(db_stmt *st, int col);
	int64_t (*changes)(db_stmt *st);
	/* Inside a transaction: waits for, then holds until it ends, the
	 * writers' lock on key (a no-op where begin_sql already locks). */
	int (*lock)(db *d, int64_t key);
	/* Turns SQLite-dialect migration text into this backend's dialect;
	 * returns a malloc'd string. */
	char *(*translate_ddl)(const char *sql);
	/* How db->conflict names the UNIQUE constraint of table(column):
	 * table, unique_sep, column, unique_suffix. */
	const char *unique_sep, *unique_suffix;
	/* Optional: bulk load tuning on (1) and back off (0). */
	void (*bulk)(db *d, int on);
	/* Optional: whether the connection is lost (1) and, when it is,
	 * re-opens it (0 when it is usable again). Statements prepared on
	 * the lost connection are gone: db.c drops the cache first. */
	int (*lost)(db *d);
	int (*reconnect)(db *d);
	/* Optional: a write transaction's turn (db_sqlite.c, "writers").
	 * write_begin before begin_sql waits for it (DB_ERR: refused, no
	 * transaction); write_end after COMMIT or ROLLBACK passes it on and,
	 * after a commit, returns once the commit is durable (DB_ERR: it may
	 * not be). writers_waiting: how many wait for it now. */
	int (*write_begin)(db *d);
	int (*write_end)(db *d, int committed);
	int (*writers_waiting)(db *d);
};

struct db_cached {
	char *sql;
	uint64_t hash;  /* of sql: most lookups compare no text */
	uint64_t used;  /* db->tick at the last prepare: the least recent goes */
	db_stmt *st;
};

struct db {
	const struct db_ops *ops;
	enum db_backend backend;
	char errmsg[512];
	char conflict[128]; /* UNIQUE constraint of the last DB_CONSTRAINT, or "" */
	int in_tx;
	struct db_cached cache[DB_STMT_CACHE];
	int ncache;
	uint64_t tick;
	int failures; /* store errors (not constraint violations) since db_pool_get */
};

struct db_stmt {
	db *owner;
	int cached;
	int busy; /* between db_prepare and db_done: never evicted */
	int failed; /* a bind failed: the next step answers DB_ERR (sticky
		     * until db_done or the next db_prepare of the text) */
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

/* Records the message of a store error (db_errmsg). */
void db_set_error(db *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
