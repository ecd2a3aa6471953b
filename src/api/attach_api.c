/*
 * attach_api.c — the HTTP side of 印证材料, the same for every owner
 * (register records, tasks): list, upload, content, replace, withdraw
 * (api.h). The owner's file finds the owner within the caller's scope;
 * the file rule and the rows are attach.h's, the files the attachment
 * store's. A file is served only after its content was checked against
 * its digest (api_send_file, also the evidence files'); a withdrawn one is
 * not served at all. Every change is audited on the owner, so its
 * timeline shows it; a refused change and a refused file too.
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"

/* Rolls back and answers e; a refusal (403, 409) is audited on the owner. */
static void refuse(struct api *a, struct fz_err *e, const struct api_attach_owner *o, const char *action)
{
	if (db_in_tx(a->db))
		db_rollback(a->db);
	if (!e->code)
		fz_store(e, a->db);
	if (e->status == 403 || e->status == 409)
		api_audit(a, action, o->entity, o->id, "refused",
			  json_pack("{s:s, s:s}", "code", e->code, "reason", e->msg));
	api_fail(a, e);
}

/* ?verify=1: each file in force read from the store and checked against
 * its digest (attach_store_get refuses one that no longer matches). */
static void verify(struct api *a, json_t *items)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		char *buf = NULL;
		size_t n;
		struct fz_err e = { 0 };
		if (strcmp(json_string_value(json_object_get(it, "status")), "current") != 0)
			continue;
		int ok = attach_store_get(a->app->files, json_string_value(json_object_get(it, "sm3")), API_MAX_UPLOAD, &buf,
					  &n, &e) == 0;
		free(buf);
		json_object_set_new(it, "verified", json_boolean(ok));
	}
}

void api_attach_list(struct api *a, api_attach_find find)
{
	struct api_attach_owner o;
	struct fz_err e = { 0 };
	int in_force;
	if (find(a, &o) != 0)
		return;
	json_t *items = attach_list(a->db, &(struct attach_owner){ o.kind, o.id, NULL }, &in_force, &e);
	if (!items) {
		api_fail(a, &e);
		return;
	}
	if (http_query(a->r, "verify"))
		verify(a, items);
	api_json(a, 200, json_pack("{s:I, s:o, s:i, s:i, s:b}", "total", (json_int_t)json_array_size(items), "items",
				   items, "in_force", in_force, "limit", ATTACH_MAX_PER_OWNER, "may_write",
				   role_can(a->user.role, PERM_RECORD_WRITE)));
}

/* The request's file: the raw body, its declared type, ?filename=. */
static struct attach_file request_file(struct api *a)
{
	return (struct attach_file){ http_header(a->r, "Content-Type"), http_query(a->r, "filename"), a->r->body,
				     a->r->body_len };
}

static json_t *file_json(int64_t id, const struct attach_file *f, const char *sm3)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)id, "filename", f->filename, "content_type",
			 f->type, "size", (json_int_t)f->n, "sm3", sm3);
}

void api_attach_upload(struct api *a, api_attach_find find)
{
	struct api_attach_owner o;
	struct fz_err e = { 0 };
	struct attach_file f = request_file(a);
	char sm3[65];
	int64_t id = 0;
	if (find(a, &o) != 0)
		return;
	if (attach_check_file(&f, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = attach_add(a->db, a->app->files, &(struct attach_owner){ o.kind, o.id, o.state }, &f, a->user.id, &id, sm3,
				&e);
	if (rc == 0)
		rc = api_audit(a, "attach", o.entity, o.id, "ok",
			       json_pack("{s:I, s:s, s:s, s:I}", "attachment", (json_int_t)id, "filename", f.filename,
					 "sm3", sm3, "size", (json_int_t)f.n));
	if (rc != 0 || db_commit(a->db) != 0) {
		refuse(a, &e, &o, "attach");
		return;
	}
	api_json(a, 201, file_json(id, &f, sm3));
}

/* The attachment of path parameter aid, of the owner; 404 answered. */
static int load(struct api *a, const struct api_attach_owner *o, int aid, struct attach_row *row)
{
	struct fz_err e = { 0 };
	int64_t id = api_param_id(a, aid);
	if (id <= 0)
		return -1;
	if (attach_load(a->db, &(struct attach_owner){ o->kind, o->id, NULL }, id, row, &e) != 0) {
		api_fail(a, &e);
		return -1;
	}
	return 0;
}

void api_attach_content(struct api *a, api_attach_find find, int aid)
{
	struct api_attach_owner o;
	struct attach_row row;
	if (find(a, &o) != 0 || load(a, &o, aid, &row) != 0)
		return;
	if (row.withdrawn) {
		api_error(a, 410, "attachment_withdrawn", NULL, "印证材料“%s”已撤回，不再提供下载", row.filename);
		return;
	}
	api_send_file(a, row.sm3, row.content_type, row.filename, o.entity, o.id);
}

void api_attach_replace(struct api *a, api_attach_find find, int aid)
{
	struct api_attach_owner o;
	struct attach_row row;
	struct fz_err e = { 0 };
	struct attach_file f = request_file(a);
	const char *reason = http_query(a->r, "reason");
	char sm3[65];
	int64_t id = 0;
	if (find(a, &o) != 0 || load(a, &o, aid, &row) != 0)
		return;
	if (attach_check_file(&f, &e) != 0 || attach_check_reason(reason, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = attach_replace(a->db, a->app->files, &(struct attach_owner){ o.kind, o.id, NULL }, row.id, &f, reason,
				    a->user.id, &id, sm3, &e);
	if (rc == 0)
		rc = api_audit(a, "attach_replace", o.entity, o.id, "ok",
			       json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:s}", "attachment", (json_int_t)id, "replaces",
					 (json_int_t)row.id, "old_filename", row.filename, "filename", f.filename, "sm3", sm3,
					 "size", (json_int_t)f.n, "reason", reason));
	if (rc != 0 || db_commit(a->db) != 0) {
		refuse(a, &e, &o, "attach_replace");
		return;
	}
	json_t *out = file_json(id, &f, sm3);
	json_object_set_new(out, "replaces", json_integer(row.id));
	api_json(a, 200, out);
}

void api_attach_withdraw(struct api *a, api_attach_find find, int aid)
{
	struct api_attach_owner o;
	struct attach_row row;
	struct fz_err e = { 0 };
	const char *reason;
	if (find(a, &o) != 0 || load(a, &o, aid, &row) != 0)
		return;
	if (api_str(a, "reason", "撤回理由", 1, ATTACH_REASON_MAX, &reason, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = attach_withdraw(a->db, &(struct attach_owner){ o.kind, o.id, NULL }, row.id, reason, a->user.id, &e);
	if (rc == 0)
		rc = api_audit(a, "attach_withdraw", o.entity, o.id, "ok",
			       json_pack("{s:I, s:s, s:s, s:s}", "attachment", (json_int_t)row.id, "filename", row.filename,
					 "sm3", row.sm3, "reason", reason));
	if (rc != 0 || db_commit(a->db) != 0) {
		refuse(a, &e, &o, "attach_withdraw");
		return;
	}
	api_json(a, 200, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)row.id, "status", "withdrawn",
				   "status_label", "已撤回", "withdraw_reason", reason));
}

/* RFC 6266/5987: a plain ASCII name for old clients and the UTF-8 name
 * percent-encoded. */
static void content_disposition(struct api *a, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	char ascii[256], pct[800], v[1200];
	size_t j = 0, k = 0;
	for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
		if (j < sizeof ascii - 1 && (*c & 0xC0) != 0x80) /* one '_' per non-ASCII character */
			ascii[j++] = *c >= 0x20 && *c < 0x7f && *c != '"' && *c != '\\' ? (char)*c : '_';
		if (k + 3 >= sizeof pct)
			continue;
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		    strchr("!#$&+-.^_`|~", *c)) {
			pct[k++] = (char)*c;
		} else {
			pct[k++] = '%';
			pct[k++] = hex[*c >> 4];
			pct[k++] = hex[*c & 15];
		}
	}
	ascii[j] = pct[k] = 0;
	snprintf(v, sizeof v, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, pct);
	http_add_header(a->w, "Content-Disposition", v);
}

void api_file_refused(struct api *a, const struct fz_err *e, const char *entity, int64_t entity_id,
		      const char *sm3)
{
	api_audit(a, "download", entity, entity_id, "refused", json_pack("{s:s, s:s}", "code", e->code, "sm3", sm3));
	fprintf(stderr, "fazhi: %s %s -> %d %s: %s\n", a->r->method, a->r->path, e->status, e->code, sm3);
	/* not a hidden server fault: the message says what is wrong and what to do */
	api_json(a, e->status, json_pack("{s:{s:s, s:s}}", "error", "code", e->code, "message", e->msg));
}

void api_send_file(struct api *a, const char *sm3, const char *type, const char *filename, const char *entity,
		   int64_t entity_id)
{
	struct fz_err e = { 0 };
	char *buf;
	size_t n;
	if (attach_store_get(a->app->files, sm3, API_MAX_UPLOAD, &buf, &n, &e) != 0) {
		api_file_refused(a, &e, entity, entity_id, sm3);
		return;
	}
	free(a->w->body);
	a->w->body = buf; /* the bytes checked are the bytes served */
	a->w->len = n;
	a->w->status = 200;
	a->w->content_type = NULL;
	http_add_header(a->w, "Content-Type", type);
	content_disposition(a, filename);
	http_add_header(a->w, "X-Content-SM3", sm3);
}
