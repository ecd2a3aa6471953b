/* scope.c — a user's scope as SQL and as checks (see scope.h). */
#include "scope.h"

#include <stdio.h>
#include <string.h>

void scope_filter(struct query *q, const struct user *u, const char *path_col, const char *body_col)
{
	char frag[160];
	size_t n = strlen(u->scope_path);
	if (n) {
		/* The subtree is the key range [path, path with its final '/'
		 * raised to '0'): paths hold only digits and '/', so every path
		 * in between starts with the scope's. Compared bytewise (the
		 * PostgreSQL store reads COLLATE BINARY as COLLATE "C"), it is an
		 * index range where LIKE would scan. */
		char hi[sizeof u->scope_path];
		memcpy(hi, u->scope_path, n + 1);
		hi[n - 1]++;
		snprintf(frag, sizeof frag, " AND %s COLLATE BINARY >= ? AND %s COLLATE BINARY < ?", path_col, path_col);
		query_add(q, frag, "ss", u->scope_path, hi);
	}
	if (body_col && u->nbodies > 0) {
		snprintf(frag, sizeof frag, " AND %s IN (", body_col);
		query_raw(q, frag);
		for (int i = 0; i < u->nbodies; i++)
			query_add(q, i ? ", ?" : "?", "i", u->bodies[i]);
		query_raw(q, ")");
	}
}

int scope_has_path(const struct user *u, const char *path)
{
	size_t n = strlen(u->scope_path);
	return n == 0 || (path && strncmp(path, u->scope_path, n) == 0);
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
