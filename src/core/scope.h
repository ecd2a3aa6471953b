/*
 * scope.h — the one place a user's scope becomes SQL. A user sees the
 * region subtree under scope_region (all regions when empty) and, when
 * bodies are set, only records of those bodies. Every read and write of
 * scoped data builds its query through scope_filter; a record outside the
 * scope is indistinguishable from a missing one (404).
 */
#ifndef FAZHI_SCOPE_H
#define FAZHI_SCOPE_H

#include <stdint.h>

#include "auth.h"
#include "query.h"

/* Appends " AND <path_col> within the scope's subtree" and, for body-scoped
 * tables (body_col not NULL), " AND <body_col> IN (<bodies>)". */
void scope_filter(struct query *q, const struct user *u, const char *path_col, const char *body_col);

/* Whether a region path / a body lies within the user's scope (for
 * writes that name a region or body). */
int scope_has_path(const struct user *u, const char *path);
int scope_has_body(const struct user *u, int64_t body_id, const char *body_region_path);

#endif
