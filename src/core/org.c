/*
 * org.c — validated writes of regions, bodies, people and subjects (see
 * org.h). Each put: read and check the fields, resolve references within
 * the caller's scope, refuse duplicates with a message naming the field,
 * write, audit.
 */
#include "org.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cntime.h"
#include "crypto.h"
#include "fields.h"
#include "scope.h"
#include "validate.h"
#include "vocab.h"

/* The fields of each kind of object (org.h): the API routes declare them too. */
const char *const org_region_fields[] = { "type", "code", "name", "parent", NULL };
const char *const org_body_fields[] = { "type", "code", "name", "kind", "region", "parent", NULL };
const char *const org_person_fields[] = { "type", "name", "body", "title", "cert_no", "cert_issuer",
					      "cert_valid_from", "cert_valid_until", "cert_status", NULL };
const char *const org_subject_fields[] = { "type", "kind", "name", "uscc", "id_number", "region", "industry",
					    "credit_grade", NULL };

static int audit_write(struct org_ctx *c, const char *entity, int64_t id, int created, json_t *detail)
{
	if (!c->actor) {
		json_decref(detail);
		return 0;
	}
	char sid[24];
	snprintf(sid, sizeof sid, "%" PRId64, id);
	int rc = audit_append(c->d, c->actor, created ? "create" : "update", entity, sid, "ok", detail);
	json_decref(detail);
	return rc;
}

/* A row's id and region path by a unique text key; 0 when absent. */
static int64_t lookup(db *d, const char *sql, const char *key, char *path, size_t n)
{
	db_stmt *st = db_prepare(d, sql);
	int64_t id = 0;
	if (!st)
		return -1;
	db_bind_text(st, 1, key);
	if (db_step(st) == DB_ROW) {
		id = db_col_int(st, 0);
		if (path)
			snprintf(path, n, "%s", db_col_text(st, 1));
	}
	db_done(st);
	return id;
}

/* Whether another row than id holds this unique value. */
static int taken(db *d, const char *sql, const char *value, int64_t id)
{
	db_stmt *st = db_prepare(d, sql);
	int found = 0;
	if (!st)
		return 0;
	db_bind_text(st, 1, value);
	db_bind_int(st, 2, id);
	found = db_step(st) == DB_ROW;
	db_done(st);
	return found;
}

/* ---- the region cache of a bulk import (see org.h) ---- */

#define REGION_CACHE 256 /* direct-mapped by a hash of the code */

struct org_region_cache {
	struct {
		char code[16];
		char path[128];
	} slot[REGION_CACHE];
};

struct org_region_cache *org_region_cache_new(void) { return calloc(1, sizeof(struct org_region_cache)); }
void org_region_cache_free(struct org_region_cache *rc) { free(rc); }

static unsigned region_slot(const char *code)
{
	unsigned h = 2166136261u; /* FNV-1a */
	for (; *code; code++)
		h = (h ^ (unsigned char)*code) * 16777619u;
	return h % REGION_CACHE;
}

/* The region's path into path (size n); 0 when found, -1 when absent. */
static int region_path_of(struct org_ctx *c, const char *code, char *path, size_t n)
{
	struct org_region_cache *rc = c->regions;
	unsigned i = 0;
	if (rc && strlen(code) < sizeof rc->slot[0].code) {
		i = region_slot(code);
		if (strcmp(rc->slot[i].code, code) == 0) {
			snprintf(path, n, "%s", rc->slot[i].path);
			return 0;
		}
	}
	if (lookup(c->d, "SELECT id, path FROM regions WHERE code = $1", code, path, n) <= 0)
		return -1;
	if (rc && strlen(code) < sizeof rc->slot[0].code && strlen(path) < sizeof rc->slot[0].path) {
		snprintf(rc->slot[i].code, sizeof rc->slot[i].code, "%s", code);
		snprintf(rc->slot[i].path, sizeof rc->slot[i].path, "%s", path);
	}
	return 0;
}

static int region_ref(struct org_ctx *c, const char *field, const char *code, char *path, size_t n,
		      struct fz_err *e)
{
	if (region_path_of(c, code, path, n) != 0)
		return fz_invalid(e, field, "行政区划 %s 不存在", code);
	if (c->user && !scope_has_path(c->user, path))
		return fz_fail(e, 403, "out_of_scope", field, "行政区划 %s 不在您的管辖范围内", code);
	return 0;
}

/* Runs a prepared write; maps a constraint violation to 409. */
static int write_row(struct org_ctx *c, db_stmt *st, int64_t *out_id, const char *what, struct fz_err *e)
{
	if (!st)
		return fz_store(e, c->d);
	int rc = db_step(st);
	if (rc == DB_ROW && out_id)
		*out_id = db_col_int(st, 0);
	if (rc == DB_ROW)
		rc = db_step(st);
	db_done(st);
	if (rc == DB_CONSTRAINT)
		return fz_fail(e, 409, "conflict", NULL, "%s与已有记录冲突", what); /* the store's text names tables */
	return rc == DB_DONE ? 0 : fz_store(e, c->d);
}

/* ---- regions ---- */

int org_region_put(struct org_ctx *c, json_t *o, int64_t id, int64_t *out_id, struct fz_err *e)
{
	const char *code, *name, *parent;
	char why[256], path[128] = "/";
	if (field_allowed(o, org_region_fields, e) || field_str(o, "code", "区划代码", 1, 12, &code, e) ||
	    field_str(o, "name", "区划名称", 1, 50, &name, e) ||
	    field_str(o, "parent", "上级区划代码", 0, 12, &parent, e))
		return -1;
	if (validate_region_code(code, why, sizeof why) != 0)
		return fz_invalid(e, "code", "%s", why);
	if (parent && validate_region_parent(code, parent, why, sizeof why) != 0)
		return fz_invalid(e, "parent", "%s", why);
	if (parent) {
		if (lookup(c->d, "SELECT id, path FROM regions WHERE code = $1", parent, path, sizeof path) <= 0)
			return fz_invalid(e, "parent", "上级区划 %s 不存在，请先导入上级区划", parent);
		strncat(path, code, sizeof path - strlen(path) - 2);
		strcat(path, "/");
	} else {
		snprintf(path, sizeof path, "/%s/", code);
	}
	if (c->user && !scope_has_path(c->user, path))
		return fz_fail(e, 403, "out_of_scope", "parent", "区划 %s 不在您的管辖范围内", code);
	if (taken(c->d, "SELECT 1 FROM regions WHERE code = $1 AND id <> $2", code, id))
		return fz_fail(e, 409, "conflict", "code", "区划代码 %s 已存在", code);
	db_stmt *st;
	if (id == 0) {
		st = db_prepare(c->d, "INSERT INTO regions(code, name, level, parent_code, path, created_at,"
				      " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id");
	} else {
		st = db_prepare(c->d, "UPDATE regions SET code = $1, name = $2, level = $3, parent_code = $4,"
				      " path = $5, updated_at = $6 WHERE id = $7 RETURNING id");
		if (st)
			db_bind_int(st, 7, id);
	}
	if (st) {
		db_bind_text(st, 1, code);
		db_bind_text(st, 2, name);
		db_bind_int(st, 3, region_code_level(code));
		db_bind_text(st, 4, parent);
		db_bind_text(st, 5, path);
		db_bind_int(st, 6, c->now);
	}
	if (c->regions) /* a code or path may have changed */
		memset(c->regions, 0, sizeof *c->regions);
	if (write_row(c, st, out_id, "行政区划", e) != 0)
		return -1;
	if (!c->actor)
		return 0;
	return audit_write(c, "region", *out_id, id == 0, json_pack("{s:s, s:s}", "code", code, "name", name));
}

/* ---- bodies ---- */

static int body_code_ok(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
			return 0;
	return 1;
}

/* Whether body node is body root or lies below it (root taking node as its
 * parent would make a cycle). A chain deeper than any real tree counts. */
static int body_in_subtree(db *d, int64_t node, int64_t root)
{
	for (int depth = 0; node > 0; depth++) {
		if (node == root || depth > 256)
			return 1;
		db_stmt *st = db_prepare(d, "SELECT parent_id FROM bodies WHERE id = $1");
		if (!st)
			return 1;
		db_bind_int(st, 1, node);
		node = db_step(st) == DB_ROW && !db_col_isnull(st, 0) ? db_col_int(st, 0) : 0;
		db_done(st);
	}
	return 0;
}

/* Whether a sub-body of body id lies outside region path; its code in out. */
static int body_child_outside(db *d, int64_t id, const char *path, char *out, size_t n)
{
	struct query q;
	int found = 0;
	query_init(&q, "SELECT code FROM bodies WHERE 1 = 1");
	query_add(&q, " AND parent_id = ?", "i", id);
	scope_outside(&q, "region_path", path);
	query_raw(&q, " ORDER BY code LIMIT 1");
	db_stmt *st = query_prepare(d, &q);
	query_free(&q);
	if (!st) {
		snprintf(out, n, "%s", "(查询失败)");
		return 1; /* fail closed: the move is refused */
	}
	if (db_step(st) == DB_ROW) {
		snprintf(out, n, "%s", db_col_text(st, 0));
		found = 1;
	}
	db_done(st);
	return found;
}

int org_body_put(struct org_ctx *c, json_t *o, int64_t id, int64_t *out_id, struct fz_err *e)
{
	const char *code, *name, *kind, *region, *parent;
	char path[128], ppath[128];
	int64_t parent_id = 0;
	if (field_allowed(o, org_body_fields, e) || field_str(o, "code", "机关编码", 1, 64, &code, e) ||
	    field_str(o, "name", "机关名称", 1, 100, &name, e) ||
	    field_enum(o, "kind", "机关类型", 1, vocab_codes(VOCAB_BODY_KIND), &kind, e) ||
	    field_str(o, "region", "所属行政区划", 1, 12, &region, e) ||
	    field_str(o, "parent", "上级机关编码", 0, 64, &parent, e))
		return -1;
	if (!body_code_ok(code))
		return fz_invalid(e, "code", "机关编码只能包含字母、数字、“-”、“_”和“.”");
	if (region_ref(c, "region", region, path, sizeof path, e) != 0)
		return -1;
	if (parent) {
		parent_id = lookup(c->d, "SELECT id, region_path FROM bodies WHERE code = $1", parent, ppath, sizeof ppath);
		if (parent_id <= 0)
			return fz_invalid(e, "parent", "上级机关 %s 不存在", parent);
		if (id && body_in_subtree(c->d, parent_id, id))
			return fz_invalid(e, "parent", "上级机关 %s 不能是本机关或其下级机关", parent);
		if (!scope_path_within(path, ppath))
			return fz_invalid(e, "parent", "上级机关 %s 的行政区划应包含本机关的区划 %s", parent, region);
	}
	if (id && body_child_outside(c->d, id, path, ppath, sizeof ppath))
		return fz_invalid(e, "region", "下级机关 %s 的行政区划不在 %s 之内，不能这样调整", ppath, region);
	if (taken(c->d, "SELECT 1 FROM bodies WHERE code = $1 AND id <> $2", code, id))
		return fz_fail(e, 409, "conflict", "code", "机关编码 %s 已存在", code);
	db_stmt *st;
	if (id == 0) {
		st = db_prepare(c->d, "INSERT INTO bodies(code, name, kind, region_code, region_path, parent_id,"
				      " created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$7) RETURNING id");
	} else {
		st = db_prepare(c->d, "UPDATE bodies SET code = $1, name = $2, kind = $3, region_code = $4,"
				      " region_path = $5, parent_id = $6, updated_at = $7 WHERE id = $8 RETURNING id");
		if (st)
			db_bind_int(st, 8, id);
	}
	if (st) {
		db_bind_text(st, 1, code);
		db_bind_text(st, 2, name);
		db_bind_text(st, 3, kind);
		db_bind_text(st, 4, region);
		db_bind_text(st, 5, path);
		if (parent_id)
			db_bind_int(st, 6, parent_id);
		else
			db_bind_null(st, 6);
		db_bind_int(st, 7, c->now);
	}
	if (write_row(c, st, out_id, "机关", e) != 0)
		return -1;
	if (id) { /* people take their region path from their body */
		db_stmt *up = db_prepare(c->d, "UPDATE people SET region_path = $2 WHERE body_id = $1");
		if (!up)
			return fz_store(e, c->d);
		db_bind_int(up, 1, id);
		db_bind_text(up, 2, path);
		int rc = db_run(up);
		db_done(up);
		if (rc != DB_DONE)
			return fz_store(e, c->d);
	}
	if (!c->actor)
		return 0;
	return audit_write(c, "body", *out_id, id == 0,
			   json_pack("{s:s, s:s, s:s, s:s}", "code", code, "name", name, "kind", kind, "region", region));
}

/* ---- people (officers) ---- */

static int cert_fields(json_t *o, const char **no, const char **issuer, const char **from,
		       const char **until, const char **status, struct fz_err *e)
{
	char why[128];
	if (field_str(o, "cert_no", "执法证号", 0, 32, no, e) ||
	    field_str(o, "cert_issuer", "发证机关", 0, 100, issuer, e) ||
	    field_str(o, "cert_valid_from", "证件有效期起", 0, 10, from, e) ||
	    field_str(o, "cert_valid_until", "证件有效期至", 0, 10, until, e) ||
	    field_enum(o, "cert_status", "证件状态", 0, vocab_codes(VOCAB_CERT_STATUS), status, e))
		return -1;
	if (!*no) {
		if (*issuer || *from || *until || *status)
			return fz_invalid(e, "cert_no", "填写证件信息时执法证号为必填项");
		return 0;
	}
	for (const char *s = *no; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-')
			return fz_invalid(e, "cert_no", "执法证号只能包含字母、数字和“-”");
	if (!*issuer)
		return fz_invalid(e, "cert_issuer", "发证机关为必填项");
	if (!*from || validate_date(*from, why, sizeof why) != 0)
		return fz_invalid(e, "cert_valid_from", "证件有效期起应为 YYYY-MM-DD 格式的日期");
	if (!*until || validate_date(*until, why, sizeof why) != 0)
		return fz_invalid(e, "cert_valid_until", "证件有效期至应为 YYYY-MM-DD 格式的日期");
	if (strcmp(*until, *from) <= 0)
		return fz_invalid(e, "cert_valid_until", "证件有效期至应晚于有效期起");
	if (!*status)
		*status = "active";
	return 0;
}

int org_person_put(struct org_ctx *c, json_t *o, int64_t id, int64_t *out_id, struct fz_err *e)
{
	const char *name, *body, *title, *no, *issuer, *from, *until, *status;
	char path[128];
	if (field_allowed(o, org_person_fields, e) || field_str(o, "name", "姓名", 1, 50, &name, e) ||
	    field_str(o, "body", "所在机关编码", 1, 64, &body, e) ||
	    field_str(o, "title", "职务", 0, 50, &title, e) ||
	    cert_fields(o, &no, &issuer, &from, &until, &status, e))
		return -1;
	int64_t body_id = lookup(c->d, "SELECT id, region_path FROM bodies WHERE code = $1", body, path, sizeof path);
	if (body_id <= 0)
		return fz_invalid(e, "body", "机关 %s 不存在", body);
	if (c->user && !scope_has_body(c->user, body_id, path))
		return fz_fail(e, 403, "out_of_scope", "body", "机关 %s 不在您的管辖范围内", body);
	if (no && taken(c->d, "SELECT 1 FROM people WHERE cert_no = $1 AND id <> $2", no, id))
		return fz_fail(e, 409, "conflict", "cert_no", "执法证号 %s 已登记在其他人员名下", no);
	db_stmt *st;
	if (id == 0) {
		st = db_prepare(c->d, "INSERT INTO people(name, body_id, region_path, title, cert_no, cert_issuer,"
				      " cert_valid_from, cert_valid_until, cert_status, created_at, updated_at)"
				      " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$10) RETURNING id");
	} else {
		st = db_prepare(c->d, "UPDATE people SET name = $1, body_id = $2, region_path = $3, title = $4,"
				      " cert_no = $5, cert_issuer = $6, cert_valid_from = $7, cert_valid_until = $8,"
				      " cert_status = $9, updated_at = $10 WHERE id = $11 RETURNING id");
		if (st)
			db_bind_int(st, 11, id);
	}
	if (st) {
		db_bind_text(st, 1, name);
		db_bind_int(st, 2, body_id);
		db_bind_text(st, 3, path);
		db_bind_text(st, 4, title ? title : "");
		db_bind_text(st, 5, no);
		db_bind_text(st, 6, issuer);
		db_bind_text(st, 7, from);
		db_bind_text(st, 8, until);
		db_bind_text(st, 9, status);
		db_bind_int(st, 10, c->now);
	}
	if (write_row(c, st, out_id, "人员", e) != 0)
		return -1;
	if (!c->actor)
		return 0;
	json_t *d = json_pack("{s:s, s:s}", "name", name, "body", body);
	if (no)
		json_object_set_new(d, "cert_no", json_string(no));
	return audit_write(c, "person", *out_id, id == 0, d);
}

/* ---- subjects ---- */

/* The keyed digest that makes an ID number unique without storing it. */
void org_id_digest(const unsigned char *key, const char *idn, char digest[65])
{
	crypto_hmac_hex(HASH_SM3, key + 16, 16, idn, strlen(idn), digest);
}

static void id_digest(const struct org_ctx *c, const char *idn, char digest[65])
{
	org_id_digest(c->key, idn, digest);
}

/* ---- duplicates outside the caller's scope (org.h: struct org_review) ---- */

/* Whether the user already had probe_limit such collisions in the last
 * hour: 1 yes, 0 no, -1 on a store error. */
static int probes_exceeded(struct org_ctx *c)
{
	if (!c->user || c->probe_limit <= 0)
		return 0;
	db_stmt *st = db_prepare(c->d, "SELECT COUNT(*) FROM duplicate_reviews WHERE requested_by = $1 AND created_at > $2");
	if (!st)
		return -1;
	db_bind_int(st, 1, c->user->id);
	db_bind_int(st, 2, c->now - 3600);
	int rc = db_step(st);
	int64_t n = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW ? n >= c->probe_limit : -1;
}

/* The subject other than id holding the key (sql binds key, id): its id
 * and region path; 0 when none, -1 on a store error. */
static int64_t holder(struct org_ctx *c, const char *sql, const char *key, int64_t id, char *path, size_t n)
{
	db_stmt *st = db_prepare(c->d, sql);
	if (!st)
		return -1;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, id);
	int rc = db_step(st);
	int64_t found = rc == DB_ROW ? db_col_int(st, 0) : 0;
	if (found)
		snprintf(path, n, "%s", db_col_text(st, 1));
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? found : -1;
}

/* A scoped write: the USCC or ID number held by another subject answers
 * 409 with the field when that subject is within the caller's scope, and
 * neutrally (filling c->review) when it is not. */
static int subject_unique(struct org_ctx *c, const char *uscc, const char *idn, const char *region, const char *path,
			  const char *name, int64_t id, struct fz_err *e)
{
	char digest[65], hpath[128], masked[32];
	if (!uscc && !idn)
		return 0;
	if (idn)
		id_digest(c, idn, digest);
	int64_t h = uscc ? holder(c, "SELECT id, region_path FROM subjects WHERE uscc = $1 AND id <> $2", uscc, id, hpath,
				  sizeof hpath)
			 : holder(c, "SELECT id, region_path FROM subjects WHERE id_digest = $1 AND id <> $2", digest, id,
				  hpath, sizeof hpath);
	if (h < 0)
		return fz_store(e, c->d);
	if (h == 0)
		return 0;
	if (scope_has_path(c->user, hpath)) {
		if (uscc)
			return fz_fail(e, 409, "conflict", "uscc", "统一社会信用代码 %s 已登记", uscc);
		mask_id_number(idn, masked, sizeof masked);
		return fz_fail(e, 409, "conflict", "id_number", "身份证号 %s 已登记", masked);
	}
	if (c->review) {
		struct org_review *r = c->review;
		snprintf(r->field, sizeof r->field, "%s", uscc ? "uscc" : "id_number");
		r->existing_id = h;
		snprintf(r->existing_path, sizeof r->existing_path, "%s", hpath);
		snprintf(r->region, sizeof r->region, "%s", region);
		snprintf(r->path, sizeof r->path, "%s", path);
		snprintf(r->name, sizeof r->name, "%s", name);
	}
	return fz_fail(e, 409, "needs_review", NULL, "暂不能完成登记：须由上级协调员核实，已转交核实，请勿重复提交");
}

int org_review_record(struct org_ctx *c, int64_t *review_id, struct fz_err *e)
{
	const struct org_review *r = c->review;
	*review_id = 0;
	if (!r || !r->field[0] || !c->user)
		return fz_fail(e, 500, "internal", NULL, "没有待核实的重复登记");
	db_stmt *st = db_prepare(c->d, "INSERT INTO duplicate_reviews(entity, field, existing_id, existing_path,"
				      " requested_region, requested_path, requested_name, requested_by, created_at)"
				      " VALUES ('subject', $1, $2, $3, $4, $5, $6, $7, $8) RETURNING id");
	if (!st)
		return fz_store(e, c->d);
	db_bind_text(st, 1, r->field);
	db_bind_int(st, 2, r->existing_id);
	db_bind_text(st, 3, r->existing_path);
	db_bind_text(st, 4, r->region);
	db_bind_text(st, 5, r->path);
	db_bind_text(st, 6, r->name);
	db_bind_int(st, 7, c->user->id);
	db_bind_int(st, 8, c->now);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*review_id = db_col_int(st, 0);
	if (rc == DB_ROW)
		rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE || !*review_id)
		return fz_store(e, c->d);
	if (!c->actor)
		return 0;
	char sid[24];
	snprintf(sid, sizeof sid, "%" PRId64, r->existing_id);
	json_t *d = json_pack("{s:s, s:s, s:I, s:s, s:I}", "reason", "duplicate_outside_scope", "field", r->field, "review",
			      (json_int_t)*review_id, "region", r->region, "existing_id", (json_int_t)r->existing_id);
	rc = d ? audit_append(c->d, c->actor, "create", "subject", sid, "refused", d) : -1;
	json_decref(d);
	return rc == 0 ? 0 : fz_store(e, c->d);
}

/* Binds a natural person's ID number. Its uniqueness is left to the UNIQUE
 * constraint on id_digest (see org_subject_put). */
static int subject_bind_person(struct org_ctx *c, db_stmt *st, const char *idn, struct fz_err *e)
{
	char why[256], digest[65], masked[32];
	if (validate_id_number(idn, why, sizeof why) != 0)
		return fz_invalid(e, "id_number", "%s", why);
	id_digest(c, idn, digest);
	unsigned char *sealed;
	size_t n;
	if (crypto_seal(c->key, idn, strlen(idn), &sealed, &n) != 0)
		return fz_fail(e, 500, "crypto_error", NULL, "个人信息加密失败");
	mask_id_number(idn, masked, sizeof masked);
	db_bind_null(st, 3);
	db_bind_blob(st, 4, sealed, n);
	db_bind_text(st, 5, digest);
	db_bind_text(st, 6, masked);
	free(sealed);
	return 0;
}

/* An enterprise's industry and credit grade (信用风险分类, the 双随机
 * draw's weights); absent or null: none. A natural person has neither. */
static int grade_fields(json_t *o, int person, const char **industry, const char **grade, struct fz_err *e)
{
	if (field_str(o, "industry", "所属行业", 0, 50, industry, e) ||
	    field_enum(o, "credit_grade", "信用风险分类", 0, vocab_codes(VOCAB_CREDIT_GRADE), grade, e))
		return -1;
	if (person && (*industry || *grade))
		return fz_invalid(e, *grade ? "credit_grade" : "industry", "自然人不填写%s", *grade ? "信用风险分类" : "所属行业");
	return 0;
}

/* Writes them beside the row org_subject_put wrote. */
static int subject_grade(struct org_ctx *c, const char *industry, const char *grade, int64_t id, struct fz_err *e)
{
	db_stmt *st = db_prepare(c->d, "UPDATE subjects SET industry = $1, credit_grade = $2 WHERE id = $3");
	if (!st)
		return fz_store(e, c->d);
	if (industry)
		db_bind_text(st, 1, industry);
	else
		db_bind_null(st, 1);
	if (grade)
		db_bind_text(st, 2, grade);
	else
		db_bind_null(st, 2);
	db_bind_int(st, 3, id);
	int rc = db_run(st) == DB_DONE ? 0 : fz_store(e, c->d);
	db_done(st);
	return rc;
}

int org_subject_put(struct org_ctx *c, json_t *o, int64_t id, int64_t *out_id, struct fz_err *e)
{
	const char *kind, *name, *uscc, *idn, *region, *industry, *grade;
	char why[256], path[128];
	if (field_allowed(o, org_subject_fields, e) || field_enum(o, "kind", "相对人类型", 1, vocab_codes(VOCAB_SUBJECT_KIND), &kind, e) ||
	    field_str(o, "name", "名称", 1, 100, &name, e) ||
	    field_str(o, "uscc", "统一社会信用代码", 0, 18, &uscc, e) ||
	    field_str(o, "id_number", "身份证号", 0, 18, &idn, e) ||
	    field_str(o, "region", "所属行政区划", 1, 12, &region, e))
		return -1;
	int person = strcmp(kind, "person") == 0;
	if (person && (uscc || !idn))
		return fz_invalid(e, uscc ? "uscc" : "id_number", uscc ? "自然人不填写统一社会信用代码"
									: "自然人的身份证号为必填项");
	if (!person && (idn || !uscc))
		return fz_invalid(e, idn ? "id_number" : "uscc", idn ? "企业不填写身份证号"
								     : "企业的统一社会信用代码为必填项");
	if (uscc && validate_uscc(uscc, why, sizeof why) != 0)
		return fz_invalid(e, "uscc", "%s", why);
	if (grade_fields(o, person, &industry, &grade, e) != 0 || region_ref(c, "region", region, path, sizeof path, e) != 0)
		return -1;
	/* A scoped user's write (the API) looks for the key's holder first, so
	 * that a holder outside the scope is not confirmed (subject_unique);
	 * past the rate limit no such write is tried at all. */
	if (c->user) {
		int over = probes_exceeded(c);
		if (over < 0)
			return fz_store(e, c->d);
		if (over)
			return fz_fail(e, 429, "rate_limited", NULL,
				       "您近一小时内待核实的重复登记过多，暂停登记行政相对人，请联系协调员");
		if (subject_unique(c, uscc, person ? idn : NULL, region, path, name, id, e) != 0)
			return -1;
	}
	/* Otherwise (the system's bulk imports: no SELECT beforehand) a USCC or
	 * ID number already held by another subject is refused by the UNIQUE
	 * constraints; the violation is answered as the field's conflict. */
	db_stmt *st;
	if (id == 0) {
		st = db_prepare(c->d, "INSERT INTO subjects(kind, name, uscc, id_enc, id_digest, id_masked,"
				      " region_code, region_path, created_at, updated_at)"
				      " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9) RETURNING id");
	} else {
		st = db_prepare(c->d, "UPDATE subjects SET kind = $1, name = $2, uscc = $3, id_enc = $4,"
				      " id_digest = $5, id_masked = $6, region_code = $7, region_path = $8,"
				      " updated_at = $9 WHERE id = $10 RETURNING id");
		if (st)
			db_bind_int(st, 10, id);
	}
	if (!st)
		return fz_store(e, c->d);
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, name);
	if (person) {
		if (subject_bind_person(c, st, idn, e) != 0) {
			db_done(st);
			return -1;
		}
	} else {
		db_bind_text(st, 3, uscc);
		db_bind_null(st, 4);
		db_bind_null(st, 5);
		db_bind_null(st, 6);
	}
	db_bind_text(st, 7, region);
	db_bind_text(st, 8, path);
	db_bind_int(st, 9, c->now);
	if (write_row(c, st, out_id, "行政相对人", e) != 0) {
		char masked[32];
		if (e->status != 409)
			return -1;
		if (uscc && db_unique_violation(c->d, "subjects", "uscc"))
			return fz_fail(e, 409, "conflict", "uscc", "统一社会信用代码 %s 已登记", uscc);
		if (idn && db_unique_violation(c->d, "subjects", "id_digest"))
			return fz_fail(e, 409, "conflict", "id_number", "身份证号 %s 已登记",
				       (mask_id_number(idn, masked, sizeof masked), masked));
		return -1;
	}
	if (subject_grade(c, industry, grade, *out_id, e) != 0)
		return -1;
	if (!c->actor)
		return 0;
	json_t *d = json_pack("{s:s, s:s, s:s}", "kind", kind, "region", region, "name", person ? "(自然人)" : name);
	if (uscc)
		json_object_set_new(d, "uscc", json_string(uscc));
	for (const char *const *k = (const char *const[]){ "industry", "credit_grade", NULL }; *k; k++)
		if (json_is_string(json_object_get(o, *k)))
			json_object_set(d, *k, json_object_get(o, *k));
	return audit_write(c, "subject", *out_id, id == 0, d);
}

int org_put(struct org_ctx *c, json_t *o, int64_t *out_id, struct fz_err *e)
{
	const char *type = json_string_value(json_object_get(o, "type"));
	if (!type)
		return fz_invalid(e, "type", "缺少记录类型，应为 region、body、person 或 subject");
	if (strcmp(type, "region") == 0)
		return org_region_put(c, o, 0, out_id, e);
	if (strcmp(type, "body") == 0)
		return org_body_put(c, o, 0, out_id, e);
	if (strcmp(type, "person") == 0)
		return org_person_put(c, o, 0, out_id, e);
	if (strcmp(type, "subject") == 0)
		return org_subject_put(c, o, 0, out_id, e);
	return fz_invalid(e, "type", "未知的记录类型 %s，应为 region、body、person 或 subject", type);
}

char *org_subject_id_number(db *d, const unsigned char key[32], int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT id_enc FROM subjects WHERE id = $1 AND id_enc IS NOT NULL");
	char *out = NULL;
	db_bind_int(st, 1, id);
	if (db_step(st) == DB_ROW) {
		size_t n, m;
		const void *p = db_col_blob(st, 0, &n);
		unsigned char *pt;
		if (crypto_open(key, p, n, &pt, &m) == 0) {
			out = strndup((const char *)pt, m);
			crypto_wipe(pt, m);
			free(pt);
		}
	}
	db_done(st);
	return out;
}
