/*
 * record_attachments.c — 印证材料 on every register's records:
 * /api/v1/registers/{reg}/records/{id}/attachments (attach_api.c). The
 * record is found as reading it finds it (record_load: the caller's
 * scope, 404 otherwise); writing needs record.write, as writing the record
 * does. Entries are audited on the record: its timeline shows them.
 */
#include "api.h"

#include "record.h"
#include "register.h"

static int find(struct api *a, struct api_attach_owner *o)
{
	const struct reg_def *r = register_find(a->param[0]);
	struct fz_err e = { 0 };
	struct rec_ctx c;
	struct record rec;
	if (!r) {
		api_error(a, 404, "not_found", NULL, "登记簿 %s 不存在", a->param[0]);
		return -1;
	}
	int64_t id = api_param_id(a, 1);
	if (id <= 0)
		return -1;
	api_rec_ctx(a, &c);
	if (record_load(&c, r, id, &rec, &e) != 0) {
		api_fail(a, &e);
		return -1;
	}
	*o = (struct api_attach_owner){ "record", id, r->name, r->states[rec.state].name };
	record_free(&rec);
	return 0;
}

static void list(struct api *a) { api_attach_list(a, find); }
static void upload(struct api *a) { api_attach_upload(a, find); }
static void content(struct api *a) { api_attach_content(a, find, 2); }
static void replace(struct api *a) { api_attach_replace(a, find, 2); }
static void withdraw(struct api *a) { api_attach_withdraw(a, find, 2); }

API_ROUTES(record_attachments,
	{ "GET", "/api/v1/registers/{reg}/records/{id}/attachments", list, PERM_RECORD_READ, 0 },
	{ "POST", "/api/v1/registers/{reg}/records/{id}/attachments", upload, PERM_RECORD_WRITE, R_RAW, API_MAX_UPLOAD },
	{ "GET", "/api/v1/registers/{reg}/records/{id}/attachments/{aid}/content", content, PERM_RECORD_READ, 0 },
	{ "PUT", "/api/v1/registers/{reg}/records/{id}/attachments/{aid}", replace, PERM_RECORD_WRITE, R_RAW, API_MAX_UPLOAD },
	{ "POST", "/api/v1/registers/{reg}/records/{id}/attachments/{aid}/withdraw", withdraw, PERM_RECORD_WRITE, 0, 0, FIELDS("reason") })
