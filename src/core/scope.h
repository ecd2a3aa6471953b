/*
 * scope.h — the one place a user's scope becomes SQL. A user sees the
 * region subtree under scope_region (all regions when empty) and, when
 * bodies are set, only records of those bodies. Every read and write of
 * scoped data builds its query through scope_filter; a record outside the
 * scope is indistinguishable from a missing one (404). Every other region
 * subtree predicate (a region= filter, a board or drill-down under a
 * region, a check that rows lie outside a subtree) is written here too:
 * no other file writes a predicate on a region path.
 */
#ifndef FAZHI_SCOPE_H
#define FAZHI_SCOPE_H

#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "error.h"
#include "query.h"

/* Appends " AND <path_col> within the scope's subtree" and, for body-scoped
 * tables (body_col not NULL), " AND <body_col> IN (<bodies>)". */
void scope_filter(struct query *q, const struct user *u, const char *path_col, const char *body_col);

/* Appends " AND <path_col> within the subtree of region path" (path ends
 * with '/'; "" = every region). */
void scope_subtree(struct query *q, const char *path_col, const char *path);
/* Appends " AND <path_col> outside the subtree of region path". */
void scope_outside(struct query *q, const char *path_col, const char *path);
/* Appends " AND the subtree rooted at <root_col> holds path": the rows
 * (users' scopes, webhooks' regions) whose region path is path or lies
 * above it; a NULL root is the whole installation. */
void scope_covering(struct query *q, const char *root_col, const char *path);
/* A region= query parameter: " AND <path_col> within the subtree of the
 * region with this code"; an unknown code matches nothing. -1 with e set
 * on a store error. */
int scope_region_filter(struct query *q, db *d, const char *path_col, const char *code, struct fz_err *e);

/* Whether a region path / a body lies within the user's scope (for
 * writes that name a region or body). */
int scope_has_path(const struct user *u, const char *path);
int scope_has_body(const struct user *u, int64_t body_id, const char *body_region_path);
/* Whether path lies within the subtree of root ("" = everything). */
int scope_path_within(const char *path, const char *root);

/* Whether the user's scope is the whole installation: no region, or a
 * top region (one without a parent), and no body restriction. 1 yes, 0
 * no, -1 on a store error (callers refuse). */
int scope_is_top(db *d, const struct user *u);

#endif
