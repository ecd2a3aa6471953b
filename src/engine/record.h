/*
 * record.h — the register engine's operations on records: create, update,
 * transition, delete. Each validates against the register's definition,
 * enforces each field's write rule (role, side, state: the one place every
 * path — API, console, imports — goes through), applies the caller's scope, keeps the statutory due date, updates the
 * metric counters by delta and writes the audit entry — all in the
 * caller's transaction, so a record and its counters never disagree.
 */
#ifndef FAZHI_RECORD_H
#define FAZHI_RECORD_H

#include <jansson.h>
#include <stdint.h>

#include "audit.h"
#include "auth.h"
#include "db.h"
#include "error.h"
#include "register.h"

struct metrics_batch;
struct settings;

struct rec_ctx {
	db *d;
	const struct user *user;         /* NULL: the system, no scope limit */
	const struct audit_actor *actor; /* NULL: no audit (bulk demo/bench) */
	char today[11];                  /* YYYY-MM-DD (China time) */
	/* Benchmarks only (bench/eval.c measures what the counters cost): 1
	 * skips the metric counters, which are then stale until `fazhi
	 * metrics rebuild`. rec_ctx_init sets 0; nothing else sets it. */
	int no_counters;
	/* Bulk writers: counter deltas gathered here (metrics.h) instead of
	 * written one by one; the writer flushes it before committing.
	 * NULL (rec_ctx_init): each change writes its counters at once. */
	struct metrics_batch *batch;
	/* The import a new record comes from (records.import_id); 0: none. */
	int64_t import_id;
	/* The settings domain hooks read (domain_setting); NULL: defaults. */
	const struct settings *cfg;
};

/* A record as stored. data is owned. */
struct record {
	int64_t id, body_id;
	char region_path[128];
	int state;
	char start_date[11], due_date[11], closed_date[11];
	json_t *data;
};

void rec_ctx_init(struct rec_ctx *c, db *d, const struct user *u, const struct audit_actor *a);

/* Creates a record of body_code — a body's code, or its name as the
 * console shows it when one body within the caller's scope has it (a name
 * outside the scope is unknown; two in scope are refused, naming each). */
int record_create(struct rec_ctx *c, const struct reg_def *r, const char *body_code, const char *start_date,
		  json_t *data, int64_t *out_id, struct fz_err *e);
/* As record_create, checking every value before it refuses: each bad one
 * (the body, the start date, a field's value or write rule, a missing
 * required field) kept in all (fz_keep), the first also in e. An import
 * shows a row's every error at once. */
int record_create_all(struct rec_ctx *c, const struct reg_def *r, const char *body_code, const char *start_date,
		      json_t *data, int64_t *out_id, struct fz_errs *all, struct fz_err *e);
int record_update(struct rec_ctx *c, const struct reg_def *r, int64_t id, json_t *patch, struct fz_err *e);
int record_transition(struct rec_ctx *c, const struct reg_def *r, int64_t id, const char *name,
		      json_t *patch, struct fz_err *e);
int record_delete(struct rec_ctx *c, const struct reg_def *r, int64_t id, struct fz_err *e);
/* Whether c's user may give f when creating a record (its role may, at
 * creation), whichever side of the record it stands on: the columns an
 * import template offers. */
int record_may_give(const struct rec_ctx *c, const struct reg_field *f);
/* Recomputes an open record's deadline and the dates its register derives
 * from the clock (domain redate) under the current calendar; when any
 * moved, writes it (counters follow) and audits "recompute" with the
 * changes, which the record's timeline shows. *changed: 1 when it moved. */
/* The states where c's user has work (待办) on a record: bits of *own for
 * records of the user's bodies, of *others for the rest. A transition
 * belongs to the assigning office when it says side assigning; any other
 * to the handling body (so a coordinator without bodies has work only
 * where the office acts: 审核销号, 批准延期 …). Role rules apply; the
 * register's gate hooks (time windows) do not. */
void record_todo_states(const struct rec_ctx *c, const struct reg_def *r, unsigned *own, unsigned *others);
int record_recompute(struct rec_ctx *c, const struct reg_def *r, int64_t id, int *changed, struct fz_err *e);

/* A text (string, enum or date) field's value; NULL when absent or empty. */
const char *record_text(const struct record *rec, const char *field);
/* Whether that value is value. */
int record_is(const struct record *rec, const char *field, const char *value);
/* Sets text field to v, or removes it when v is NULL or empty (a derived
 * value). */
void record_set_text(struct record *rec, const char *field, const char *v);

/* The day the record's deadline was met: its definition's deadline "met"
 * field when filled, else the closing date; "" while not met. */
const char *record_met_date(const struct reg_def *r, const struct record *rec);

/* An act on a record that does not move it (publishing a decision): sets
 * the fields in values (null removes one) in any state, final ones too —
 * each field's write rule says the roles and the side that may (not its
 * states; else 403 naming the field) — then derives, validates, writes
 * (counters follow) and audits action with the changes and detail's keys
 * (detail stolen, may be NULL). */
int record_annotate(struct rec_ctx *c, const struct reg_def *r, int64_t id, json_t *values, const char *action,
		    json_t *detail, struct fz_err *e);

/* Loads a record within the caller's scope; -1 (404) when absent. */
int record_load(const struct rec_ctx *c, const struct reg_def *r, int64_t id, struct record *out, struct fz_err *e);
void record_free(struct record *rec);

/* May the caller (c->user; NULL: the system) write field f of rec now —
 * creating: when rec is being created (its body_id set)? Role, side and
 * state per the field's write rule (register.h). 1 yes, 0 no. */
int record_may_write(const struct rec_ctx *c, const struct reg_def *r, const struct reg_field *f,
		     const struct record *rec, int creating);
/* The names of the fields the caller may change on rec now (a JSON array). */
json_t *record_writable_fields(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec);
/* May the caller perform t on rec now (state, role, side)? 1 yes, 0 no. */
int record_may_transition(const struct rec_ctx *c, const struct reg_def *r, const struct reg_transition *t,
			  const struct record *rec);

/* Deadline status of a record on a day: "on_time", "due_soon", "overdue",
 * "closed_on_time", "closed_late", or "none" without a due date. */
const char *record_deadline_status(const struct reg_def *r, const struct record *rec, const char *today);

#endif
