/*
 * query.h — builds one SQL statement with its parameters: fragments use
 * '?' and the builder numbers them $1, $2 … in order, so filters can be
 * appended in any combination and still bind by position. Bounded: a
 * query that outgrows its buffers is marked failed and never prepared.
 */
#ifndef FAZHI_QUERY_H
#define FAZHI_QUERY_H

#include <stdint.h>

#include "db.h"

#define QUERY_MAX_SQL 4096
#define QUERY_MAX_PARAMS 32

struct query_param {
	int is_int;
	int64_t i;
	char *s; /* owned copy; NULL binds NULL */
};

struct query {
	char sql[QUERY_MAX_SQL];
	int len;
	int n;
	int failed;
	struct query_param p[QUERY_MAX_PARAMS];
};

void query_init(struct query *q, const char *sql);
/* Appends text; each '?' consumes the next argument from the list given
 * as a format of 's' (text) and 'i' (int64) letters, e.g.
 * query_add(q, " AND name LIKE ? AND id > ?", "si", "%张%", (int64_t)5). */
void query_add(struct query *q, const char *frag, const char *types, ...);
/* Appends a plain text (no parameters). */
void query_raw(struct query *q, const char *text);
/* Prepares and binds; NULL when the query failed to build or prepare. */
db_stmt *query_prepare(db *d, struct query *q);
void query_free(struct query *q);

/* "%kw%" for LIKE with \ escaping of % and _ (use ESCAPE '\'). malloc'd;
 * NULL without memory (the caller then sets q->failed). */
char *query_like_pattern(const char *kw);

#endif
