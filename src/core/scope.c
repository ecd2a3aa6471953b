/* scope.c — a user's scope, and every region-subtree predicate, as SQL
 * and as checks (see scope.h). */
#include "scope.h"

#include <stdio.h>
#include <string.h>

/* The subtree of path is the key range [path, hi): hi is path with its
 * final '/' raised to '0'. Paths hold only digits and '/', so every path
 * in between starts with path's. Compared bytewise (the PostgreSQL store
 * reads COLLATE BINARY as COLLATE "C"), it is an index range where LIKE
 * would scan. 0, or -1 when path is empty or too long. */
static int subtree_end(const char *path, char *hi, size_t n)
{
	size_t len = strlen(path);
	if (len == 0 || len >= n)
		return -1;
	memcpy(hi, path, len + 1);
	hi[len - 1]++;
	return 0;
}

void scope_subtree(struct query *q, const char *path_col, const char *path)
{
	char frag[160], hi[160];
	if (!path || !*path)
		return;
	if (subtree_end(path, hi, sizeof hi) != 0) {
		query_raw(q, " AND 1 = 0"); /* no such path: nothing, never everything */
		return;
	}
	snprintf(frag, sizeof frag, " AND %s COLLATE BINARY >= ? AND %s COLLATE BINARY < ?", path_col, path_col);
	query_add(q, frag, "ss", path, hi);
}

void scope_outside(struct query *q, const char *path_col, const char *path)
{
	char frag[160], hi[160];
	if (!path || !*path) {
		query_raw(q, " AND 1 = 0"); /* nothing lies outside everything */
		return;
	}
	if (subtree_end(path, hi, sizeof hi) != 0)
		return;
	snprintf(frag, sizeof frag, " AND (%s COLLATE BINARY < ? OR %s COLLATE BINARY >= ?)", path_col, path_col);
	query_add(q, frag, "ss", path, hi);
}

void scope_filter(struct query *q, const struct user *u, const char *path_col, const char *body_col)
{
	char frag[160];
	scope_subtree(q, path_col, u->scope_path);
	if (body_col && u->nbodies > 0) {
		snprintf(frag, sizeof frag, " AND %s IN (", body_col);
		query_raw(q, frag);
		for (int i = 0; i < u->nbodies; i++)
			query_add(q, i ? ", ?" : "?", "i", u->bodies[i]);
		query_raw(q, ")");
	}
}

int scope_region_filter(struct query *q, db *d, const char *path_col, const char *code, struct fz_err *e)
{
	db_stmt *st = db_prepare(d, "SELECT path FROM regions WHERE code = $1");
	char path[160] = "";
	int rc;
	if (!st)
		return fz_store(e, d);
	db_bind_text(st, 1, code);
	rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(path, sizeof path, "%s", db_col_text(st, 0));
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return fz_store(e, d);
	if (!*path)
		query_raw(q, " AND 1 = 0"); /* an unknown region holds nothing */
	else
		scope_subtree(q, path_col, path);
	return 0;
}

int scope_path_within(const char *path, const char *root)
{
	size_t n = root ? strlen(root) : 0;
	return n == 0 || (path && strncmp(path, root, n) == 0);
}

int scope_has_path(const struct user *u, const char *path)
{
	return scope_path_within(path, u->scope_path);
}

int scope_has_body(const struct user *u, int64_t body_id, const char *body_region_path)
{
	if (!scope_has_path(u, body_region_path))
		return 0;
	if (u->nbodies == 0)
		return 1;
	for (int i = 0; i < u->nbodies; i++)
		if (u->bodies[i] == body_id)
			return 1;
	return 0;
}

int scope_is_top(db *d, const struct user *u)
{
	if (u->nbodies > 0)
		return 0;
	if (!u->scope_region[0])
		return 1;
	db_stmt *st = db_prepare(d, "SELECT parent_code IS NULL FROM regions WHERE code = $1");
	if (!st)
		return -1;
	db_bind_text(st, 1, u->scope_region);
	int rc = db_step(st), top = rc == DB_ROW && db_col_int(st, 0) == 1;
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? top : -1;
}

void scope_covering(struct query *q, const char *root_col, const char *path)
{
	char frag[200];
	snprintf(frag, sizeof frag, " AND (%s IS NULL OR substr(?, 1, length(%s)) = %s)", root_col, root_col, root_col);
	query_add(q, frag, "s", path);
}
