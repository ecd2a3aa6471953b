/*
 * record.c — create, update, transition and delete records (record.h).
 * Each operation: load within scope, validate, write, counters by delta,
 * audit — in the caller's transaction.
 */
#include "record.h"
#include "cntime.h"

#include "domain.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attach.h"
#include "domain.h"
#include "due.h"
#include "fields.h"
#include "metrics.h"
#include "query.h"
#include "roles.h"
#include "scope.h"
#include "validate.h"

void rec_ctx_init(struct rec_ctx *c, db *d, const struct user *u, const struct audit_actor *a)
{
	memset(c, 0, sizeof *c); /* no counters skipped, no batch, no import, default settings */
	c->d = d;
	c->user = u;
	c->actor = a;
	cn_today(c->today);
}

void record_free(struct record *rec)
{
	json_decref(rec->data);
	rec->data = NULL;
}

static void copy(char *dst, size_t n, db_stmt *st, int col)
{
	snprintf(dst, n, "%s", db_col_isnull(st, col) ? "" : db_col_text(st, col));
}

int record_load(const struct rec_ctx *c, const struct reg_def *r, int64_t id, struct record *out, struct fz_err *e)
{
	struct query q;
	memset(out, 0, sizeof *out);
	/* By id alone, the register checked below: with "register = ?" in
	 * the query, PostgreSQL can prefer the index on (register,
	 * region_path, id) while the table has no statistics yet (a fresh
	 * store's first bulk load) and then scan every record of the
	 * register for each load. */
	query_init(&q, "SELECT id, body_id, region_path, state, start_date, due_date, closed_date, data, register"
		       " FROM records WHERE 1 = 1");
	query_add(&q, " AND id = ?", "i", id);
	if (c->user)
		scope_filter(&q, c->user, "region_path", "body_id");
	db_stmt *st = query_prepare(c->d, &q);
	query_free(&q);
	if (!st)
		return fz_store(e, c->d);
	int rc = db_step(st);
	if (rc == DB_ROW && strcmp(db_col_text(st, 8), r->name) != 0)
		rc = DB_DONE; /* another register's record */
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->body_id = db_col_int(st, 1);
		copy(out->region_path, sizeof out->region_path, st, 2);
		out->state = register_state(r, db_col_text(st, 3));
		copy(out->start_date, sizeof out->start_date, st, 4);
		copy(out->due_date, sizeof out->due_date, st, 5);
		copy(out->closed_date, sizeof out->closed_date, st, 6);
		out->data = json_loads(db_col_text(st, 7), 0, NULL);
	}
	db_done(st);
	if (rc != DB_ROW || !out->data) {
		record_free(out);
		return fz_fail(e, 404, "not_found", NULL, "记录不存在或不在您的管辖范围内");
	}
	return 0;
}

/* A link to another register's record: its id, of a record the writer may
 * see (the same scope rule as reading it), never a probe of others' ids. */
static int check_ref(const struct rec_ctx *c, const struct reg_field *f, json_t *v, struct fz_err *e)
{
	const struct reg_def *target = register_find(f->ref);
	struct record rec;
	struct fz_err miss = { 0 };
	if (json_is_null(v) || !v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return fz_invalid(e, f->name, "%s应为%s的记录编号（正整数）", f->label, target->label);
	if (record_load(c, target, json_integer_value(v), &rec, &miss) != 0)
		return miss.status == 404 ? fz_invalid(e, f->name, "%s：%s中没有编号为 %" JSON_INTEGER_FORMAT
						  " 的记录，或不在您的管辖范围内", f->label, target->label,
						  json_integer_value(v))
					  : (*e = miss, -1);
	record_free(&rec);
	return 0;
}

/* A subject (当事人): the id of an enterprise or person the writer may
 * see (subjects are scoped by region), never a probe of others' ids. */
static int check_subject(const struct rec_ctx *c, const struct reg_field *f, json_t *v, struct fz_err *e)
{
	struct query q;
	int found;
	if (json_is_null(v) || !v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return fz_invalid(e, f->name, "%s应为主体库中企业或个人的编号（正整数）", f->label);
	query_init(&q, "SELECT 1 FROM subjects s WHERE 1 = 1");
	query_add(&q, " AND s.id = ?", "i", (int64_t)json_integer_value(v));
	if (c->user)
		scope_filter(&q, c->user, "s.region_path", NULL);
	db_stmt *st = query_prepare(c->d, &q);
	found = st ? db_step(st) : DB_ERR;
	db_done(st);
	query_free(&q);
	if (found == DB_ERR)
		return fz_store(e, c->d);
	return found == DB_ROW ? 0 : fz_invalid(e, f->name, "%s：主体库中没有编号为 %" JSON_INTEGER_FORMAT
						     " 的企业或个人，或不在您的管辖范围内", f->label,
						     json_integer_value(v));
}

/* Checks one field value against its declaration. */
static int check_field(const struct rec_ctx *c, const struct reg_field *f, json_t *patch, struct fz_err *e)
{
	const char *s;
	char why[128];
	if (f->type == RF_INT) {
		json_t *v = json_object_get(patch, f->name);
		if (!json_is_null(v) && !json_is_integer(v))
			return fz_invalid(e, f->name, "%s应为整数", f->label);
		return 0;
	}
	if (f->type == RF_REF)
		return check_ref(c, f, json_object_get(patch, f->name), e);
	if (f->type == RF_SUBJECT)
		return check_subject(c, f, json_object_get(patch, f->name), e);
	if ((f->type == RF_TEXT ? field_text : field_str)(patch, f->name, f->label, 0, f->max, &s, e) != 0)
		return -1;
	if (s && f->type == RF_DATE && validate_date(s, why, sizeof why) != 0)
		return fz_invalid(e, f->name, "%s应为 YYYY-MM-DD 格式的日期", f->label);
	if (s && f->not_after_today && strcmp(s, c->today) > 0)
		return fz_invalid(e, f->name, "%s不能晚于当天（%s）", f->label, c->today);
	if (s && f->type == RF_ENUM) {
		for (int i = 0; i < f->nchoices; i++)
			if (strcmp(s, f->choices[i]) == 0)
				return 0;
		char list[384] = "";
		for (int i = 0; i < f->nchoices; i++)
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? "、" : "", f->choices[i]);
		return fz_invalid(e, f->name, "%s的取值“%s”不在可选范围内（可选：%s）", f->label, s, list);
	}
	return 0;
}

/* Records a change of a date, choice or number for the timeline. */
static void note_change(json_t *changes, const struct reg_field *f, json_t *old, json_t *now)
{
	if (changes && f->type != RF_STRING && f->type != RF_TEXT)
		json_object_set_new(changes, f->name, json_pack("{s:O?, s:O?}", "from", old, "to", now));
}

static int in_own_body(const struct user *u, int64_t body_id)
{
	for (int i = 0; u && i < u->nbodies; i++)
		if (u->bodies[i] == body_id)
			return 1;
	return 0;
}

static int role_in(const char *const *roles, int nroles, const char *role)
{
	int ok = nroles == 0;
	for (int i = 0; i < nroles; i++)
		ok |= strcmp(roles[i], role) == 0;
	return ok;
}

/* The user stands on side s of the record (reg_side in register.h). */
static int on_side(const struct user *u, int64_t body_id, enum reg_side s)
{
	if (!u || s == RS_ANY)
		return 1;
	return in_own_body(u, body_id) == (s == RS_HANDLING);
}

int record_may_write(const struct rec_ctx *c, const struct reg_def *r, const struct reg_field *f,
		     const struct record *rec, int creating)
{
	const struct reg_write *w = &f->write;
	if (!c->user)
		return 1;
	if (!role_in(w->roles, w->nroles, c->user->role) || !on_side(c->user, rec->body_id, w->side))
		return 0;
	if (creating)
		return w->create;
	return rec->state >= 0 && !r->states[rec->state].final && ((w->states >> rec->state) & 1);
}

int record_may_give(const struct rec_ctx *c, const struct reg_field *f)
{
	return f->write.create && (!c->user || role_in(f->write.roles, f->write.nroles, c->user->role));
}

json_t *record_writable_fields(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec)
{
	json_t *out = json_array();
	for (int i = 0; out && i < r->nfields; i++)
		if (record_may_write(c, r, &r->fields[i], rec, 0))
			json_array_append_new(out, json_string(r->fields[i].name));
	return out;
}

/* The value as stored: null and "" are no value (NULL). */
static json_t *stored(json_t *v)
{
	return !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)) ? NULL : v;
}

/* The one refusal of a field write: 403 field_forbidden naming the field
 * and its rule. */
static int refuse_field(const struct reg_def *r, const struct reg_field *f, struct fz_err *e)
{
	char rule[384];
	register_write_rule_text(r, f, rule, sizeof rule);
	return fz_fail(e, 403, "field_forbidden", f->name, "无权填写%s：该字段%s", f->label, rule);
}

/* Merges patch into rec->data after checking every key's value and
 * whether the caller may write it now (record_may_write); a key whose
 * value does not change is not a write. Empty values clear. changes, when
 * given, collects {field: {"from","to"}} for dates, choices and numbers
 * (the timeline shows them). all (creation only): every bad key kept
 * there (fz_keep) and the others still checked; the write rules wait for
 * a known body (rec->body_id > 0), whose side they depend on. */
static int apply_patch(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, int creating,
		       json_t *patch, json_t *changes, struct fz_errs *all, struct fz_err *e)
{
	const char *key;
	json_t *v;
	if (!patch)
		return 0;
	if (!json_is_object(patch))
		return fz_fail(e, 400, "bad_json", "data", "data 应为 JSON 对象");
	json_object_foreach(patch, key, v) {
		int i = register_field(r, key);
		if (i < 0) {
			fz_fail(e, 400, "unknown_field", NULL, "%s没有字段 %s", r->label, key);
			snprintf(e->field_buf, sizeof e->field_buf, "%s", key);
			utf8_scrub(e->field_buf);
			e->field = e->field_buf;
			if (fz_keep(all, e))
				continue;
			return -1;
		}
		const struct reg_field *f = &r->fields[i];
		if (check_field(c, f, patch, e) != 0) {
			if (fz_keep(all, e))
				continue;
			return -1;
		}
		json_t *old = stored(json_object_get(rec->data, key)), *now = stored(v);
		if (old == now || (old && now && json_equal(old, now)))
			continue;
		if (rec->body_id > 0 && !record_may_write(c, r, f, rec, creating)) {
			refuse_field(r, f, e);
			if (fz_keep(all, e))
				continue;
			return -1;
		}
		note_change(changes, f, old, now);
		if (now)
			json_object_set(rec->data, key, now);
		else
			json_object_del(rec->data, key);
	}
	return 0;
}

static int has_value(json_t *data, const struct reg_field *f)
{
	json_t *v = json_object_get(data, f->name);
	return v && !json_is_null(v) && !(json_is_string(v) && !*json_string_value(v));
}

static int audit_rec(struct rec_ctx *c, const struct reg_def *r, const char *action, int64_t id, json_t *detail)
{
	if (!c->actor) {
		json_decref(detail);
		return 0;
	}
	char sid[24];
	snprintf(sid, sizeof sid, "%" PRId64, id);
	int rc = audit_append(c->d, c->actor, action, r->name, sid, "ok", detail);
	json_decref(detail);
	return rc;
}

static const char *title_of(const struct reg_def *r, json_t *data)
{
	const char *t = json_string_value(json_object_get(data, r->fields[r->title_field].name));
	return t ? t : "";
}

/* Writes rec's mutable columns (the due date is computed already). */
const char *record_text(const struct record *rec, const char *field)
{
	const char *v = json_string_value(json_object_get(rec->data, field));
	return v && *v ? v : NULL;
}

void record_set_text(struct record *rec, const char *field, const char *v)
{
	if (v && *v)
		json_object_set_new(rec->data, field, json_string(v));
	else
		json_object_del(rec->data, field);
}

int record_is(const struct record *rec, const char *field, const char *value)
{
	const char *v = record_text(rec, field);
	return v && strcmp(v, value) == 0;
}

const char *record_met_date(const struct reg_def *r, const struct record *rec)
{
	const char *met = r->deadline.met >= 0
				  ? json_string_value(json_object_get(rec->data, r->fields[r->deadline.met].name))
				  : NULL;
	return met && *met ? met : rec->closed_date;
}

static int save(struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	char *text = json_dumps(rec->data, JSON_COMPACT | JSON_SORT_KEYS);
	const char *met = record_met_date(r, rec);
	db_stmt *st = db_prepare(c->d, "UPDATE records SET state = $2, title = $3, data = $4, due_date = $5,"
				      " closed_date = $6, updated_at = $7, met_date = $8 WHERE id = $1");
	if (st) {
		db_bind_int(st, 1, rec->id);
		db_bind_text(st, 2, r->states[rec->state].name);
		db_bind_text(st, 3, title_of(r, rec->data));
		db_bind_text(st, 4, text);
		db_bind_text(st, 5, rec->due_date[0] ? rec->due_date : NULL);
		db_bind_text(st, 6, rec->closed_date[0] ? rec->closed_date : NULL);
		db_bind_int(st, 7, (int64_t)time(NULL));
		db_bind_text(st, 8, *met ? met : NULL);
	}
	free(text);
	int rc = st ? db_run(st) : DB_ERR;
	db_done(st);
	return rc == DB_DONE ? 0 : fz_store(e, c->d);
}

/* The register's derive hook (domain.h); t NULL on create and update. */
static int derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec,
		  const struct reg_transition *t, struct fz_err *e)
{
	const struct domain_ops *h = domain_find(r->name);
	return h && h->derive ? h->derive(c, r, rec, t, e) : 0;
}

/* Writes a validated change: due date, the register's own checks, the
 * row, the counters (those of the old state out, of the new state in),
 * then its after-write hook. old NULL for a new record. Every refusal
 * happens before the first write of this change. */
static int commit_change(struct rec_ctx *c, const struct reg_def *r, const struct record *old,
			 struct record *rec, struct fz_err *e)
{
	const struct domain_ops *h = domain_find(r->name);
	if (due_compute(r, rec->start_date, rec->data, rec->due_date, e) != 0 ||
	    (h && h->validate && h->validate(c, r, rec, e) != 0))
		return -1;
	if (save(c, r, rec, e) != 0 ||
	    (!c->no_counters && (old ? metrics_apply_change(c->d, c->batch, r, old, rec)
				     : metrics_apply(c->d, c->batch, r, rec, +1)) != 0))
		return e->code ? -1 : fz_store(e, c->d);
	return h && h->after_write ? h->after_write(c, r, old, rec, e) : 0;
}

/* The end of a change: a failure without a reason is the store's; the
 * change list and both versions of the record are released. */
static int finish(struct rec_ctx *c, int rc, json_t *changes, struct record *rec, struct record *old,
		  struct fz_err *e)
{
	if (rc != 0 && !e->code)
		fz_store(e, c->d);
	json_decref(changes);
	record_free(rec);
	record_free(old);
	return rc;
}

/* A copy of rec to compute its counters after rec is changed. */
static void snapshot(const struct record *rec, struct record *old)
{
	*old = *rec;
	old->data = json_deep_copy(rec->data);
}

/* The bodies within the caller's scope named name, as the console shows
 * them: at most BODY_SAME_NAME_MAX of them in *n; "名称（地区，编码）" for
 * each of the first few in list. One row's id and path for the caller. */
#define BODY_SAME_NAME_MAX 20
static int bodies_named(struct rec_ctx *c, const char *name, int64_t *id, char *path, size_t npath, int *n,
			char *list, size_t nlist, struct fz_err *e)
{
	struct query q;
	query_init(&q, "SELECT b.id, b.region_path, b.code, g.name FROM bodies b JOIN regions g ON g.code = b.region_code"
		       " WHERE 1 = 1");
	query_add(&q, " AND b.name = ?", "s", name);
	if (c->user)
		scope_filter(&q, c->user, "b.region_path", "b.id");
	char limit[64];
	snprintf(limit, sizeof limit, " ORDER BY b.region_path, b.code LIMIT %d", BODY_SAME_NAME_MAX);
	query_raw(&q, limit);
	db_stmt *st = query_prepare(c->d, &q);
	query_free(&q);
	if (!st)
		return fz_store(e, c->d);
	int rc;
	*n = 0;
	list[0] = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if ((*n)++ == 0) {
			*id = db_col_int(st, 0);
			snprintf(path, npath, "%s", db_col_text(st, 1));
		}
		size_t used = strlen(list);
		if (*n <= 5)
			snprintf(list + used, nlist - used, "%s%s（%s，%s）", *n > 1 ? "、" : "", name, db_col_text(st, 3),
				 db_col_text(st, 2));
		else if (*n == 6)
			snprintf(list + used, nlist - used, "等");
	}
	db_done(st);
	return rc == DB_DONE ? 0 : fz_store(e, c->d);
}

/* The body a record names as its 责任单位: by code, or by its name as the
 * console shows it. A code names any body (one outside the caller's scope
 * is refused, 403); a name is looked up only among the bodies within the
 * caller's scope, so a name outside it is answered exactly as an unknown
 * one and reveals nothing. Two bodies in scope of one name: the caller
 * must give the code, and is shown each candidate's region and code. */
static int64_t body_of(struct rec_ctx *c, const char *text, char *path, size_t n, struct fz_err *e)
{
	int64_t id = 0;
	db_stmt *st = db_prepare(c->d, "SELECT id, region_path FROM bodies WHERE code = $1");
	if (!st)
		return fz_store(e, c->d);
	db_bind_text(st, 1, text);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		id = db_col_int(st, 0);
		snprintf(path, n, "%s", db_col_text(st, 1));
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return fz_store(e, c->d);
	if (id)
		return !c->user || scope_has_body(c->user, id, path)
			       ? id
			       : fz_fail(e, 403, "out_of_scope", "body", "单位 %s 不在您的管辖范围内", text);
	int same = 0;
	char list[sizeof e->msg - 96];
	if (bodies_named(c, text, &id, path, n, &same, list, sizeof list, e) != 0)
		return -1;
	if (same == 1)
		return id;
	if (same > 1)
		return fz_fail(e, 422, "ambiguous_body", "body", "「%s」有 %d 个%s同名单位：%s，请填写单位编码", text, same,
			       same == BODY_SAME_NAME_MAX ? "以上" : "", list);
	return fz_invalid(e, "body", "责任单位“%s”不存在：请填写单位名称（与系统中显示的一致）或单位编码", text);
}

/* Inserts the row of a new record (columns save() does not write). */
static int insert(struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	db_stmt *st = db_prepare(c->d, "INSERT INTO records(register, body_id, region_path, state, title, data,"
				      " start_date, created_by, created_at, updated_at, import_id)"
				      " VALUES ($1, $2, $3, $4, '', '{}', $5, $6, $7, $7, $8) RETURNING id");
	if (!st)
		return fz_store(e, c->d);
	db_bind_text(st, 1, r->name);
	db_bind_int(st, 2, rec->body_id);
	db_bind_text(st, 3, rec->region_path);
	db_bind_text(st, 4, r->states[r->initial].name);
	db_bind_text(st, 5, rec->start_date);
	db_bind_int(st, 6, c->actor ? c->actor->id : 0);
	db_bind_int(st, 7, (int64_t)time(NULL));
	if (c->import_id)
		db_bind_int(st, 8, c->import_id);
	else
		db_bind_null(st, 8);
	rec->id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
	db_run(st);
	db_done(st);
	return rec->id ? 0 : fz_store(e, c->d);
}

int record_create_all(struct rec_ctx *c, const struct reg_def *r, const char *body_code, const char *start_date,
		      json_t *data, int64_t *out_id, struct fz_errs *all, struct fz_err *e)
{
	struct record rec = { .state = r->initial, .data = json_object() };
	char why[128];
	int rc = -1;
	snprintf(rec.start_date, sizeof rec.start_date, "%s", start_date ? start_date : c->today);
	if (start_date && validate_date(start_date, why, sizeof why) != 0 &&
	    !fz_keep(all, (fz_invalid(e, "start_date", "起算日期应为 YYYY-MM-DD 格式的日期"), e)))
		goto out;
	if (!body_code && !fz_keep(all, (fz_invalid(e, "body", "责任单位为必填项"), e)))
		goto out;
	if (body_code && (rec.body_id = body_of(c, body_code, rec.region_path, sizeof rec.region_path, e)) <= 0 &&
	    !fz_keep(all, e))
		goto out;
	if (apply_patch(c, r, &rec, 1, data, NULL, all, e) != 0)
		goto out;
	for (int i = 0; i < r->nfields; i++)
		if (r->fields[i].required && !has_value(rec.data, &r->fields[i]) &&
		    !fz_keep(all, (fz_invalid(e, r->fields[i].name, "%s为必填项", r->fields[i].label), e)))
			goto out;
	if (fz_kept(all, e) != 0 || derive(c, r, &rec, NULL, e) != 0)
		goto out;
	if (insert(c, r, &rec, e) != 0)
		goto out;
	if (commit_change(c, r, NULL, &rec, e) != 0 ||
	    audit_rec(c, r, "create", rec.id, json_pack("{s:s, s:s}", "register", r->name, "body", body_code)) != 0) {
		if (!e->code)
			fz_store(e, c->d);
		goto out;
	}
	*out_id = rec.id;
	rc = 0;
out:
	record_free(&rec);
	return rc;
}

int record_create(struct rec_ctx *c, const struct reg_def *r, const char *body_code, const char *start_date,
		  json_t *data, int64_t *out_id, struct fz_err *e)
{
	return record_create_all(c, r, body_code, start_date, data, out_id, NULL, e);
}

/* The audit detail of a change: register, and the dates, choices and
 * numbers that changed with their old and new values (the due date too). */
static json_t *change_detail(const struct reg_def *r, const struct record *old, const struct record *rec,
			     json_t *changes)
{
	if (strcmp(old->due_date, rec->due_date) != 0)
		json_object_set_new(changes, "due_date", json_pack("{s:s?, s:s?}", "from", old->due_date[0] ? old->due_date : NULL,
								   "to", rec->due_date[0] ? rec->due_date : NULL));
	json_t *d = json_pack("{s:s}", "register", r->name);
	if (json_object_size(changes))
		json_object_set(d, "changes", changes);
	return d;
}

int record_update(struct rec_ctx *c, const struct reg_def *r, int64_t id, json_t *patch, struct fz_err *e)
{
	struct record rec, old;
	if (record_load(c, r, id, &rec, e) != 0)
		return -1;
	snapshot(&rec, &old);
	json_t *changes = json_object();
	int rc = -1;
	if (r->states[rec.state].final) {
		fz_fail(e, 409, "final_state", NULL, "记录已处于“%s”状态，不能再修改", r->states[rec.state].label);
	} else if (apply_patch(c, r, &rec, 0, patch, changes, NULL, e) == 0 && derive(c, r, &rec, NULL, e) == 0 &&
		   commit_change(c, r, &old, &rec, e) == 0) {
		rc = audit_rec(c, r, "update", id, change_detail(r, &old, &rec, changes));
	}
	return finish(c, rc, changes, &rec, &old, e);
}

int record_annotate(struct rec_ctx *c, const struct reg_def *r, int64_t id, json_t *values, const char *action,
		    json_t *detail, struct fz_err *e)
{
	struct record rec, old;
	const char *key;
	json_t *v, *changes = json_object();
	if (record_load(c, r, id, &rec, e) != 0) {
		json_decref(changes);
		json_decref(detail);
		return -1;
	}
	snapshot(&rec, &old);
	int rc = -1;
	json_object_foreach(values, key, v) {
		int i = register_field(r, key);
		if (i < 0) {
			fz_fail(e, 500, "unknown_field", NULL, "登记簿 %s 没有字段 %s", r->label, key);
			goto out;
		}
		/* the act's fields: their write rule's role and side, in any state */
		const struct reg_write *w = &r->fields[i].write;
		if (c->user && (!role_in(w->roles, w->nroles, c->user->role) || !on_side(c->user, rec.body_id, w->side))) {
			/* the definition's name, not key: values may be freed before e is read */
			fz_fail(e, 403, "forbidden", r->fields[i].name, "您不能办理“%s”：须由%s办理", r->fields[i].label,
				w->side == RS_HANDLING ? "承办机关" : "有权限的角色");
			goto out;
		}
		note_change(changes, &r->fields[i], json_object_get(old.data, key), stored(v));
		if (stored(v))
			json_object_set(rec.data, key, v);
		else
			json_object_del(rec.data, key);
	}
	if (derive(c, r, &rec, NULL, e) == 0 && commit_change(c, r, &old, &rec, e) == 0) {
		json_t *d = change_detail(r, &old, &rec, changes);
		if (detail)
			json_object_update(d, detail);
		rc = audit_rec(c, r, action, id, d);
	}
out:
	json_decref(detail);
	return finish(c, rc, changes, &rec, &old, e);
}

/* The date fields that differ between old and rec, into changes. */
static void note_dates(const struct reg_def *r, const struct record *old, const struct record *rec, json_t *changes)
{
	for (int i = 0; i < r->nfields; i++) {
		json_t *was = json_object_get(old->data, r->fields[i].name), *is = json_object_get(rec->data, r->fields[i].name);
		if (r->fields[i].type == RF_DATE && !json_equal(was, is))
			note_change(changes, &r->fields[i], was, is);
	}
}

int record_recompute(struct rec_ctx *c, const struct reg_def *r, int64_t id, int *changed, struct fz_err *e)
{
	struct record rec, old;
	const struct domain_ops *h = domain_find(r->name);
	char due[11];
	int rc = 0;
	*changed = 0;
	if (record_load(c, r, id, &rec, e) != 0)
		return -1;
	snapshot(&rec, &old);
	json_t *changes = json_object();
	if (r->states[rec.state].final) {
		/* a closed record keeps the deadline it was judged by */
	} else if ((h && h->redate && h->redate(c, r, &rec, e) != 0) ||
		   due_compute(r, rec.start_date, rec.data, due, e) != 0) {
		rc = -1;
	} else {
		note_dates(r, &old, &rec, changes);
		if (json_object_size(changes) || strcmp(due, old.due_date) != 0) {
			rc = commit_change(c, r, &old, &rec, e) == 0
				     ? audit_rec(c, r, "recompute", id, change_detail(r, &old, &rec, changes)) : -1;
			*changed = rc == 0;
		}
	}
	return finish(c, rc, changes, &rec, &old, e);
}

void record_todo_states(const struct rec_ctx *c, const struct reg_def *r, unsigned *own, unsigned *others)
{
	*own = *others = 0;
	for (int i = 0; c->user && i < r->ntransitions; i++) {
		const struct reg_transition *t = &r->transitions[i];
		if (!role_in(t->roles, t->nroles, c->user->role))
			continue;
		unsigned *mask = t->side == RS_ASSIGNING ? others : c->user->nbodies > 0 ? own : NULL;
		for (int k = 0; mask && k < t->nfrom; k++)
			*mask |= 1u << t->from[k];
	}
}

/* The gates of a transition: from-state, role, side. */
static int gate(const struct rec_ctx *c, const struct reg_def *r, const struct reg_transition *t,
		const struct record *rec, struct fz_err *e)
{
	int ok = 0;
	for (int i = 0; i < t->nfrom; i++)
		ok |= t->from[i] == rec->state;
	if (!ok)
		return fz_fail(e, 409, "bad_transition", "transition", "记录当前为“%s”状态，不能执行“%s”",
			       r->states[rec->state].label, t->label);
	if (c->user && !role_in(t->roles, t->nroles, c->user->role))
		return fz_fail(e, 403, "forbidden", "transition", "您的角色不能执行“%s”", t->label);
	if (!on_side(c->user, rec->body_id, t->side))
		return fz_fail(e, 403, "forbidden", "transition",
			       t->side == RS_ASSIGNING ? "责任单位不能对本单位的事项执行“%s”，须由交办方执行"
						       : "“%s”须由承办方（责任单位）执行", t->label);
	return 0;
}

int record_may_transition(const struct rec_ctx *c, const struct reg_def *r, const struct reg_transition *t,
			  const struct record *rec)
{
	struct fz_err e = { 0 };
	return gate(c, r, t, rec, &e) == 0;
}

/* A transition's "stamp": the day it is first taken, into a date field
 * only the engine writes (the first reply, by which on-time is judged);
 * its "unstamp" clears such a field (a returned 申请销号). */
static void stamp(const struct rec_ctx *c, const struct reg_def *r, const struct reg_transition *t,
		  struct record *rec, json_t *changes)
{
	json_t *old = t->unstamp >= 0 ? json_object_get(rec->data, r->fields[t->unstamp].name) : NULL;
	if (old) {
		note_change(changes, &r->fields[t->unstamp], old, NULL);
		json_object_del(rec->data, r->fields[t->unstamp].name);
	}
	if (t->stamp < 0 || json_object_get(rec->data, r->fields[t->stamp].name))
		return;
	json_t *day = json_string(c->today);
	note_change(changes, &r->fields[t->stamp], NULL, day);
	json_object_set_new(rec->data, r->fields[t->stamp].name, day);
}

/* A transition's "set": the engine copies one field into another (an
 * approved extension's date into the deadline); the gate has let the
 * caller through, so no field rule applies to it. */
static int set_field(const struct reg_def *r, const struct reg_transition *t, struct record *rec, json_t *changes,
		     struct fz_err *e)
{
	if (t->set_field < 0)
		return 0;
	const struct reg_field *to = &r->fields[t->set_field], *from = &r->fields[t->set_from];
	json_t *now = stored(json_object_get(rec->data, from->name));
	json_t *old = stored(json_object_get(rec->data, to->name));
	if (!now)
		return fz_invalid(e, from->name, "执行“%s”须先填写%s", t->label, from->label);
	note_change(changes, to, old, now);
	json_object_set(rec->data, to->name, now);
	return 0;
}

int record_transition(struct rec_ctx *c, const struct reg_def *r, int64_t id, const char *name,
		      json_t *patch, struct fz_err *e)
{
	const struct reg_transition *t = register_transition(r, name);
	struct record rec, old;
	if (!t)
		return fz_invalid(e, "transition", "%s 登记簿没有操作 %s", r->label, name ? name : "(空)");
	if (record_load(c, r, id, &rec, e) != 0)
		return -1;
	snapshot(&rec, &old);
	json_t *changes = json_object();
	int rc = -1;
	if (gate(c, r, t, &rec, e) != 0 || apply_patch(c, r, &rec, 0, patch, changes, NULL, e) != 0)
		goto out;
	for (int i = 0; i < t->nrequire; i++) {
		const struct reg_field *f = &r->fields[t->require[i]];
		if (!has_value(rec.data, f)) {
			fz_invalid(e, f->name, "执行“%s”须先填写%s", t->label, f->label);
			goto out;
		}
	}
	const struct domain_ops *h = domain_find(r->name);
	if ((h && h->gate && h->gate(c, r, t, &rec, e) != 0) || set_field(r, t, &rec, changes, e) != 0)
		goto out;
	stamp(c, r, t, &rec, changes);
	int from = rec.state;
	rec.state = t->to;
	if (r->states[t->to].final)
		snprintf(rec.closed_date, sizeof rec.closed_date, "%s", c->today);
	if (derive(c, r, &rec, t, e) == 0 && commit_change(c, r, &old, &rec, e) == 0) {
		json_t *d = change_detail(r, &old, &rec, changes);
		json_object_set_new(d, "transition", json_string(t->name));
		json_object_set_new(d, "from", json_string(r->states[from].name));
		json_object_set_new(d, "to", json_string(r->states[t->to].name));
		rc = audit_rec(c, r, "transition", id, d);
	}
out:
	return finish(c, rc, changes, &rec, &old, e);
}

/* Deleting a record undoes its creation: only someone who could have
 * given every value it holds at creation may do it. */
static int may_undo_create(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec,
			   struct fz_err *e)
{
	for (int i = 0; i < r->nfields; i++) {
		const struct reg_field *f = &r->fields[i];
		if (!f->write.create && !f->write.states)
			continue; /* the engine's (derived, stamped, set by a transition) */
		if (has_value(rec->data, f) && !record_may_write(c, r, f, rec, 1))
			return refuse_field(r, f, e);
	}
	return 0;
}

int record_delete(struct rec_ctx *c, const struct reg_def *r, int64_t id, struct fz_err *e)
{
	struct record rec;
	if (record_load(c, r, id, &rec, e) != 0)
		return -1;
	int rc = -1, has_files;
	if (rec.state != r->initial) {
		fz_fail(e, 409, "bad_transition", NULL, "只能删除处于“%s”状态的记录", r->states[r->initial].label);
	} else if (may_undo_create(c, r, &rec, e) != 0) {
		/* refused: e says which field */
	} else if ((has_files = attach_any(c->d, &(struct attach_owner){ "record", id, NULL })) != 0) {
		if (has_files > 0) /* its id must not pass to the next record with them */
			fz_fail(e, 409, "conflict", NULL, "该记录已有印证材料，不能删除；可撤回材料，记录保留");
	} else if (c->no_counters || metrics_apply(c->d, c->batch, r, &rec, -1) == 0) {
		db_stmt *st = db_prepare(c->d, "DELETE FROM records WHERE id = $1");
		db_bind_int(st, 1, id);
		rc = db_run(st) == DB_DONE ? 0 : -1;
		db_done(st);
		if (rc == 0)
			rc = audit_rec(c, r, "delete", id, json_pack("{s:s}", "register", r->name));
	}
	if (rc != 0 && !e->code)
		fz_store(e, c->d);
	record_free(&rec);
	return rc;
}

const char *record_deadline_status(const struct reg_def *r, const struct record *rec, const char *today)
{
	return due_status(rec->due_date, record_met_date(r, rec), today);
}
