/*
 * db_sqlite.c — the SQLite backend: WAL, foreign keys, busy timeout, an
 * acknowledged write survives a crash (its WAL frames are synced before
 * the commit returns). Writers of one database file in this process queue
 * for SQLite's write lock in FIFO order and their commits are synced in
 * groups (see "writers" below). Parameters written $N are rewritten to
 * SQLite's ?N so both backends share SQL.
 */
#include "db_int.h"

#include "bigram.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

struct sq_file;

struct sq_db {
	struct db base;
	sqlite3 *h;
	int64_t cache_size; /* the setting a bulk load replaced */
	struct sq_file *file; /* the writers' queue of its file; NULL: in memory */
	int group_sync;       /* WAL: commits are synced by durable() */
	int turns;            /* holds on the file's write turn: a transaction,
			       * an exec, auto_turn */
	int auto_turn;        /* a write statement outside a transaction holds
			       * the turn until its implicit transaction ends */
	int wal_frames;       /* the WAL's length after the last commit */
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

/* ---- writers: a fair queue for the write lock, commits synced in groups ----
 *
 * SQLite has one write lock per database. A connection that finds it taken
 * sleeps in the busy handler (1, 2, 5 … 100 ms) and tries again, so under
 * load a few writers win again and again while others wait for seconds
 * (bench/writes.sh measured a p99 of 1.4 s with 50 clients). Writers of one
 * database file in this process therefore take turns: a write transaction
 * (db_begin to db_commit / db_rollback) and a write statement run outside
 * one wait for the file's write turn, in FIFO order, and the turn is handed
 * directly to the next waiter when it ends. BEGIN IMMEDIATE then finds the
 * lock free. Writers of other processes (the CLI while the server runs)
 * still meet this process's one writer at SQLite's lock, bounded by the
 * busy timeout.
 *
 * Deadlocks: the turn is held only by a connection inside its write
 * transaction or write statement, and a transaction always begins with
 * BEGIN IMMEDIATE (never a read transaction upgraded to a write later, which
 * could wait on a reader that waits on it). A thread that holds the turn
 * through one handle and asks for it through another handle of the same
 * file would wait for itself: it is refused at once (DB_ERR) instead. A
 * statement still reading on a handle (an open read snapshot) does not
 * hold the turn; a write on that handle gets the turn, and SQLite then
 * refuses the upgrade at once (SQLITE_BUSY_SNAPSHOT) if the snapshot is
 * stale: an error, not a wait.
 *
 * Durability in groups: on a WAL file, connections run synchronous=NORMAL
 * (COMMIT writes the WAL but does not fsync it) and every commit then
 * waits, after handing on its turn, until the WAL is synced past it: one
 * fsync, by whichever waiter starts it, covers every commit before it,
 * and the next writers run meanwhile. Nothing returns as committed before
 * its sync, so an acknowledged write survives a crash as with
 * synchronous=FULL. A failed sync is sticky for the file in this process
 * (the kernel may have dropped the pages, a later fsync can succeed
 * without them): every later commit reports failure until a restart.
 *
 * Checkpoints: SQLite's automatic checkpoint runs inside the COMMIT that
 * grows the WAL past 1000 pages, copying them into the database file and
 * syncing it (50–90 ms measured here) while its writer holds the turn and
 * the others wait in line. Instead each connection notes the WAL's length
 * after its commits (wal_grown) and every SQ_CHECKPOINT_FRAMES wakes the
 * file's checkpointer, a thread with a connection of its own (see
 * checkpointer()). Where it cannot be started, the committing thread
 * checkpoints, after its turn has gone. */

#define SQ_CHECKPOINT_FRAMES 1000

struct sq_waiter {
	pthread_cond_t cv;
	pthread_t thread;
	int granted;
	struct sq_waiter *next;
};

struct sq_file { /* one per database file open in this process */
	dev_t dev;
	ino_t ino;
	char *path;
	int refs; /* connections (files_mu) */
	struct sq_file *next;
	pthread_mutex_t mu; /* the turn */
	int held;           /* held by holder, then head … tail */
	pthread_t holder;
	struct sq_waiter *head, *tail;
	int waiting;
	pthread_mutex_t sync_mu;    /* everything below */
	uint64_t committed, synced; /* commits counted, commits synced */
	int syncing, broken;
	pthread_cond_t synced_cv;
	sqlite3 *ckpt_h; /* the checkpointer's connection */
	pthread_t ckpt;
	int ckpt_state; /* 0: not started, 1: running, -1: could not start */
	int ckpt_wanted, ckpt_stop, ckpt_mark; /* mark: WAL length at the last wake */
	pthread_cond_t ckpt_cv;
};

static pthread_mutex_t files_mu = PTHREAD_MUTEX_INITIALIZER;
static struct sq_file *files;

/* Waits in line for f's write turn. DB_ERR when this thread holds it
 * already (through another connection: it would wait for itself). */
static int queue_enter(struct sq_file *f)
{
	pthread_t self = pthread_self();
	pthread_mutex_lock(&f->mu);
	if (f->held && pthread_equal(f->holder, self)) {
		pthread_mutex_unlock(&f->mu);
		return DB_ERR;
	}
	if (!f->held && !f->head) {
		f->held = 1;
		f->holder = self;
	} else {
		struct sq_waiter w = { .thread = self };
		pthread_cond_init(&w.cv, NULL);
		if (f->tail)
			f->tail->next = &w;
		else
			f->head = &w;
		f->tail = &w;
		f->waiting++;
		while (!w.granted)
			pthread_cond_wait(&w.cv, &f->mu);
		f->waiting--;
		pthread_cond_destroy(&w.cv);
	}
	pthread_mutex_unlock(&f->mu);
	return 0;
}

/* Hands f's write turn to the first in line, or frees it. */
static void queue_leave(struct sq_file *f)
{
	pthread_mutex_lock(&f->mu);
	struct sq_waiter *w = f->head;
	if (w) {
		f->head = w->next;
		if (!f->head)
			f->tail = NULL;
		f->holder = w->thread;
		w->granted = 1;
		pthread_cond_signal(&w->cv);
	} else {
		f->held = 0;
	}
	pthread_mutex_unlock(&f->mu);
}

/* The checkpointer of a file. It copies the WAL into the database file
 * with PASSIVE checkpoints, which take no write lock: first the bulk of
 * it beside the writers, then, holding the turn, the few frames written
 * meanwhile. Once the WAL is all in the database file and no writer runs,
 * new readers read the file alone, and the next writer starts the WAL
 * over (SQLite restarts it only for a writer whose snapshot saw it fully
 * checkpointed): the WAL stays short. The part under the turn is short. */
static void *checkpointer(void *arg)
{
	struct sq_file *f = arg;
	pthread_mutex_lock(&f->sync_mu);
	for (;;) {
		while (!f->ckpt_wanted && !f->ckpt_stop)
			pthread_cond_wait(&f->ckpt_cv, &f->sync_mu);
		if (f->ckpt_stop)
			break;
		f->ckpt_wanted = 0;
		pthread_mutex_unlock(&f->sync_mu);
		sqlite3_wal_checkpoint_v2(f->ckpt_h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		if (queue_enter(f) == 0) {
			sqlite3_wal_checkpoint_v2(f->ckpt_h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
			queue_leave(f);
		}
		pthread_mutex_lock(&f->sync_mu);
	}
	pthread_mutex_unlock(&f->sync_mu);
	return NULL;
}

/* Under f->sync_mu: starts f's checkpointer; 0 or -1. */
static int checkpointer_start(struct sq_file *f)
{
	/* The connection learns that the file is in WAL mode by reading it. */
	if (sqlite3_open_v2(f->path, &f->ckpt_h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK &&
	    sqlite3_exec(f->ckpt_h, "SELECT 1 FROM sqlite_schema LIMIT 1", NULL, NULL, NULL) == SQLITE_OK &&
	    pthread_create(&f->ckpt, NULL, checkpointer, f) == 0)
		return 0;
	sqlite3_close(f->ckpt_h);
	f->ckpt_h = NULL;
	return -1;
}

/* The last connection of this process to f has closed: the checkpointer
 * ends, and its connection, now the last, checkpoints as it closes. */
static void checkpointer_stop(struct sq_file *f)
{
	if (f->ckpt_state != 1)
		return;
	pthread_mutex_lock(&f->sync_mu);
	f->ckpt_stop = 1;
	pthread_cond_signal(&f->ckpt_cv);
	pthread_mutex_unlock(&f->sync_mu);
	pthread_join(f->ckpt, NULL);
	sqlite3_close(f->ckpt_h);
}

/* The queue of h's main file, shared by every connection to that file in
 * this process (found by device and inode, so any path to it will do).
 * *out is NULL for an in-memory or temporary database. -1: no memory. */
static int file_attach(sqlite3 *h, struct sq_file **out)
{
	const char *path = sqlite3_db_filename(h, "main");
	struct stat sb;
	*out = NULL;
	if (!path || !*path || stat(path, &sb) != 0)
		return 0;
	pthread_mutex_lock(&files_mu);
	struct sq_file *f = files;
	while (f && (f->dev != sb.st_dev || f->ino != sb.st_ino))
		f = f->next;
	if (!f && (f = calloc(1, sizeof *f)) != NULL) {
		if ((f->path = strdup(path)) != NULL) {
			f->dev = sb.st_dev;
			f->ino = sb.st_ino;
			pthread_mutex_init(&f->mu, NULL);
			pthread_mutex_init(&f->sync_mu, NULL);
			pthread_cond_init(&f->synced_cv, NULL);
			pthread_cond_init(&f->ckpt_cv, NULL);
			f->next = files;
			files = f;
		} else {
			free(f);
			f = NULL;
		}
	}
	if (f)
		f->refs++;
	pthread_mutex_unlock(&files_mu);
	*out = f;
	return f ? 0 : -1;
}

static void file_detach(struct sq_file *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&files_mu);
	if (--f->refs == 0) {
		struct sq_file **p = &files;
		while (*p != f)
			p = &(*p)->next;
		*p = f->next;
		checkpointer_stop(f);
		pthread_mutex_destroy(&f->mu);
		pthread_mutex_destroy(&f->sync_mu);
		pthread_cond_destroy(&f->synced_cv);
		pthread_cond_destroy(&f->ckpt_cv);
		free(f->path);
		free(f);
	}
	pthread_mutex_unlock(&files_mu);
}

/* Takes a hold on the write turn of q's file, waiting in line for it when
 * this connection has none yet. */
static int turn_take(struct sq_db *q)
{
	if (!q->file || q->turns++ > 0)
		return 0;
	if (queue_enter(q->file) == 0)
		return 0;
	q->turns--;
	db_set_error(&q->base, "本线程已通过另一连接持有该数据库的写入权，不能再等待（会等待自己）");
	return DB_ERR;
}

/* Gives back a hold; the last one passes the turn on. */
static void turn_give(struct sq_db *q)
{
	if (q->file && q->turns > 0 && --q->turns == 0)
		queue_leave(q->file);
}

/* Syncs the WAL file of h (the file every connection appends to). */
static int wal_sync(sqlite3 *h)
{
	sqlite3_file *wal = NULL;
	if (sqlite3_file_control(h, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK || !wal ||
	    !wal->pMethods)
		return SQLITE_ERROR;
	return wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL);
}

/* After a commit on q (its turn handed on): returns once the WAL is synced
 * past that commit; DB_ERR when a sync failed (then and ever after). */
static int durable(struct sq_db *q)
{
	struct sq_file *f = q->file;
	pthread_mutex_lock(&f->sync_mu);
	uint64_t mine = ++f->committed;
	while (!f->broken && f->synced < mine) {
		if (f->syncing) {
			pthread_cond_wait(&f->synced_cv, &f->sync_mu);
			continue;
		}
		uint64_t upto = f->committed; /* every commit counted has written its frames */
		f->syncing = 1;
		pthread_mutex_unlock(&f->sync_mu);
		int rc = wal_sync(q->h);
		pthread_mutex_lock(&f->sync_mu);
		f->syncing = 0;
		if (rc != SQLITE_OK)
			f->broken = 1;
		else if (upto > f->synced)
			f->synced = upto;
		pthread_cond_broadcast(&f->synced_cv);
	}
	int broken = f->broken;
	pthread_mutex_unlock(&f->sync_mu);
	if (broken) {
		db_set_error(&q->base, "数据库日志（WAL）同步到磁盘失败，此后的写入均无法确认，请检查磁盘后重启服务");
		return DB_ERR;
	}
	return 0;
}

/* SQLite's WAL hook, after each commit of a connection: the WAL's length. */
static int wal_grown(void *arg, sqlite3 *h, const char *name, int frames)
{
	((struct sq_db *)arg)->wal_frames = frames;
	return SQLITE_OK;
}

/* After a commit, outside the turn: every SQ_CHECKPOINT_FRAMES frames
 * the WAL grew, a checkpoint. */
static void checkpoint_kick(struct sq_db *q)
{
	struct sq_file *f = q->file;
	int here = 0;
	pthread_mutex_lock(&f->sync_mu);
	if (q->wal_frames < f->ckpt_mark) /* the WAL started over */
		f->ckpt_mark = 0;
	if (q->wal_frames - f->ckpt_mark >= SQ_CHECKPOINT_FRAMES) {
		f->ckpt_mark = q->wal_frames;
		if (f->ckpt_state == 0)
			f->ckpt_state = checkpointer_start(f) == 0 ? 1 : -1;
		here = f->ckpt_state < 0;
		f->ckpt_wanted = !here;
		pthread_cond_signal(&f->ckpt_cv);
	}
	pthread_mutex_unlock(&f->sync_mu);
	if (here)
		sqlite3_wal_checkpoint_v2(q->h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

/* Ends one hold of a write that committed (committed = 1) or did not:
 * passes the turn on, then waits for the commit's sync. */
static int turn_end(struct sq_db *q, int committed)
{
	int last = q->turns == 1;
	turn_give(q);
	if (!committed || !last || !q->group_sync)
		return 0;
	int rc = durable(q);
	checkpoint_kick(q);
	return rc;
}

/* Before a statement's first step outside a transaction: a write takes
 * the turn for its implicit transaction. */
static int auto_take(struct sq_db *q, sqlite3_stmt *s)
{
	if (q->base.in_tx || q->auto_turn || !q->file || sqlite3_stmt_busy(s) || sqlite3_stmt_readonly(s))
		return 0;
	if (turn_take(q) != 0)
		return DB_ERR;
	q->auto_turn = 1;
	return 0;
}

/* After a statement ended (done, failed, reset, finalized): once the
 * implicit write transaction is over — it commits when the last active
 * statement of the connection ends — the turn goes and the commit is
 * synced. */
static int auto_settle(struct sq_db *q)
{
	if (!q->auto_turn || sqlite3_txn_state(q->h, "main") == SQLITE_TXN_WRITE)
		return 0;
	q->auto_turn = 0;
	return turn_end(q, 1);
}

static int sq_write_begin(db *d) { return turn_take((struct sq_db *)d); }

static int sq_write_end(db *d, int committed)
{
	struct sq_db *q = (struct sq_db *)d;
	/* A transaction still open when the last hold ends is one whose
	 * COMMIT and ROLLBACK failed: SQLite's lock must not stay behind when
	 * the turn goes. (A db_begin refused inside a transaction is not the
	 * last hold: the transaction goes on.) */
	if (q->turns == 1 && !sqlite3_get_autocommit(q->h))
		sqlite3_exec(q->h, "ROLLBACK", NULL, NULL, NULL);
	return turn_end(q, committed);
}

static int sq_writers_waiting(db *d)
{
	struct sq_file *f = ((struct sq_db *)d)->file;
	if (!f)
		return 0;
	pthread_mutex_lock(&f->mu);
	int n = f->waiting;
	pthread_mutex_unlock(&f->mu);
	return n;
}

/* Before the library's first use: no global allocation statistics, whose
 * mutex every allocation of every connection would take. */
static void sq_configure(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

/* Whether h's main database is in WAL mode. */
static int wal_mode(sqlite3 *h)
{
	sqlite3_stmt *s = NULL;
	int wal = sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK &&
		  sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) &&
		  strcmp((const char *)sqlite3_column_text(s, 0), "wal") == 0;
	sqlite3_finalize(s);
	return wal;
}

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
	const char *setup = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";
	char *msg = NULL;
	struct sq_db *d = NULL;
	rc = sqlite3_exec(h, setup, NULL, NULL, &msg);
	if (rc == SQLITE_OK && bigram_fts5_register(h) != 0) /* the law library's search (bigram.h) */
		rc = SQLITE_ERROR, msg = sqlite3_mprintf("FTS5 不可用");
	if (rc == SQLITE_OK && (d = calloc(1, sizeof *d)) != NULL && file_attach(h, &d->file) == 0) {
		/* On a WAL file commits are synced by durable(), in groups;
		 * otherwise (in memory, a file system without WAL) by SQLite. */
		d->group_sync = d->file && wal_mode(h);
		if (d->group_sync)
			sqlite3_wal_hook(h, wal_grown, d); /* replaces the automatic checkpoint */
		rc = sqlite3_exec(h, d->group_sync ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL", NULL,
				  NULL, &msg);
		if (rc == SQLITE_OK) {
			d->h = h;
			return &d->base;
		}
	}
	if (rc != SQLITE_OK)
		snprintf(err, errlen, "SQLite 初始化失败: %s", msg ? msg : "?");
	else
		snprintf(err, errlen, "内存不足");
	sqlite3_free(msg);
	if (d)
		file_detach(d->file);
	free(d);
	sqlite3_close(h);
	return NULL;
}

static void sq_close(db *d)
{
	struct sq_db *q = (struct sq_db *)d;
	if (q->turns) { /* closed inside a write: roll it back, pass the turn on */
		sqlite3_exec(q->h, "ROLLBACK", NULL, NULL, NULL);
		q->turns = 1;
		turn_give(q);
	}
	sqlite3_close_v2(q->h);
	file_detach(q->file);
	free(d);
}

/* Statement by statement, so that outside a transaction a statement that
 * writes (DDL, DELETE…) takes the write turn like any other (auto_take). */
static int sq_exec(db *d, const char *sql)
{
	struct sq_db *q = (struct sq_db *)d;
	const char *tail = sql;
	int rc = 0;
	while (rc == 0 && tail && *tail) {
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(q->h, tail, -1, &s, &tail) != SQLITE_OK) {
			db_set_error(d, "%s", sqlite3_errmsg(q->h));
			return DB_ERR;
		}
		if (!s) /* blanks or a comment */
			continue;
		rc = auto_take(q, s);
		if (rc == 0) {
			int step;
			while ((step = sqlite3_step(s)) == SQLITE_ROW)
				;
			if (step != SQLITE_DONE) {
				db_set_error(d, "%s", sqlite3_errmsg(q->h));
				rc = DB_ERR;
			}
		}
		sqlite3_finalize(s);
		if (auto_settle(q) != 0)
			rc = DB_ERR;
	}
	return rc;
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

#define Q(st) ((struct sq_stmt *)(st))
#define OWNER(st) ((struct sq_db *)(st)->owner)

/* A write outside a transaction that commits here and whose sync fails
 * cannot say so: the failure is counted on the handle (db_failures). */
static void settle_quietly(db_stmt *st)
{
	if (auto_settle(OWNER(st)) != 0)
		st->owner->failures++;
}

static void sq_finalize(db_stmt *st)
{
	sqlite3_finalize(S(st));
	settle_quietly(st);
	free(st);
}

static void sq_reset(db_stmt *st)
{
	Q(st)->row_ready = 0;
	sqlite3_reset(S(st));
	sqlite3_clear_bindings(S(st));
	settle_quietly(st);
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
	if (auto_take(OWNER(st), S(st)) != 0)
		return DB_ERR;
	int rc = sqlite3_step(S(st));
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE) {
		q->changes = sqlite3_changes64(H(st->owner));
		if (q->rowid_insert && q->changes > 0) {
			q->rowid = sqlite3_last_insert_rowid(H(st->owner));
			snprintf(q->rowid_text, sizeof q->rowid_text, "%lld", (long long)q->rowid);
			q->row_ready = 1;
		}
		if (auto_settle(OWNER(st)) != 0) {
			q->row_ready = 0;
			return DB_ERR;
		}
		return q->row_ready ? DB_ROW : DB_DONE;
	}
	const char *msg = sqlite3_errmsg(H(st->owner));
	static const char unique[] = "UNIQUE constraint failed: ";
	db_set_error(st->owner, "%s", msg);
	st->owner->conflict[0] = 0;
	if (rc == SQLITE_CONSTRAINT_UNIQUE && strncmp(msg, unique, sizeof unique - 1) == 0)
		snprintf(st->owner->conflict, sizeof st->owner->conflict, "%s", msg + sizeof unique - 1);
	sqlite3_reset(S(st));
	if (auto_settle(OWNER(st)) != 0)
		st->owner->failures++; /* the step's own error is the one reported */
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

/* A migration line "-- sqlite: <SQL>" is a statement only SQLite runs
 * (PostgreSQL reads a comment; its own are "-- postgresql:", db_pg.c):
 * the marker is dropped. */
#define SQ_ONLY "-- sqlite: "

static char *sq_translate(const char *sql)
{
	char *out = strdup(sql), *p = out;
	while (p && (p = strstr(p, SQ_ONLY)) != NULL) {
		if (p == out || p[-1] == '\n')
			memset(p, ' ', strlen(SQ_ONLY));
		p += strlen(SQ_ONLY);
	}
	return out;
}

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
	.write_begin = sq_write_begin,
	.write_end = sq_write_end,
	.writers_waiting = sq_writers_waiting,
};
