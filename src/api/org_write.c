/*
 * org_write.c — create and update over HTTP for the org resources: one
 * transaction per request holding the write and its audit entry; the
 * answer is the record as its GET shows it.
 */
#include "api.h"

#include <time.h>

#include "org.h"

static void org_ctx_init(struct api *a, struct org_ctx *c, struct org_review *review)
{
	*c = (struct org_ctx){ .d = a->db, .user = &a->user, .actor = &a->actor, .key = a->app->key,
			       .now = (int64_t)time(NULL), .review = review,
			       .probe_limit = a->app->cfg.duplicate_probe_limit };
}

/* A write refused as a duplicate outside the caller's scope: its review
 * row and audit entry in a transaction of their own (the write's was
 * rolled back); the neutral answer stands only when they are stored. */
static void review_record(struct api *a, struct org_ctx *c, struct fz_err *e)
{
	struct fz_err re = { 0 };
	int64_t id;
	if (db_begin(a->db) != 0 || org_review_record(c, &id, &re) != 0 || db_commit(a->db) != 0) {
		db_rollback(a->db);
		if (!re.code)
			fz_store(&re, a->db);
		*e = re;
	}
}

static void put_and_show(struct api *a, org_put_fn put, json_t *obj, int64_t id, api_show_fn show)
{
	struct org_ctx c;
	struct org_review review = { 0 };
	struct fz_err e = { 0 };
	int64_t out = 0;
	org_ctx_init(a, &c, &review);
	if (db_begin(a->db) != 0) {
		api_error(a, 500, "store_error", NULL, "数据库忙，请稍后重试");
		return;
	}
	if (put(&c, obj, id, &out, &e) != 0 || db_commit(a->db) != 0) {
		db_rollback(a->db);
		if (!e.code)
			fz_store(&e, a->db);
		if (review.field[0])
			review_record(a, &c, &e);
		else if (e.status == 403 || e.status == 429)
			api_audit(a, id ? "update" : "create", "org", id, "refused", json_pack("{s:s}", "reason", e.msg));
		api_fail(a, &e);
		return;
	}
	show(a, out, id ? 200 : 201);
}

void api_org_create(struct api *a, org_put_fn put, api_show_fn show)
{
	if (!a->body) {
		api_error(a, 400, "bad_json", NULL, "请求体应为 JSON 对象");
		return;
	}
	if (json_object_get(a->body, "type")) {
		api_error(a, 400, "unknown_field", "type", "不支持的字段: type");
		return;
	}
	put_and_show(a, put, a->body, 0, show);
}

void api_org_update(struct api *a, int64_t id, json_t *current, org_put_fn put, api_show_fn show)
{
	if (!a->body || json_object_get(a->body, "type")) {
		json_decref(current);
		api_error(a, 400, a->body ? "unknown_field" : "bad_json", a->body ? "type" : NULL,
			  a->body ? "不支持的字段: type" : "请求体应为 JSON 对象");
		return;
	}
	json_object_update(current, a->body); /* the patch replaces what it names */
	put_and_show(a, put, current, id, show);
	json_decref(current);
}
