/*
 * public.c — 依申请公开 without an account: POST /api/v1/public/info-requests
 * (name, contact, content, region; requester_kind optional) files a request
 * with the people's government of the region, received the day it is
 * submitted in China time (the immediate answer is the confirmation of
 * 政府信息公开条例 第三十一条第三项), and answers 201 {number, secret};
 * GET /api/v1/public/info-requests/{number}?secret=… shows its state and
 * due date and answer — a wrong number or secret answers 404 alike;
 * GET /api/v1/public/info-receivers lists the governments that take them. Only the SM3 of
 * the secret is kept. Each address may file `public_per_minute` a minute
 * (a register setting; 429 beyond).
 */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cntime.h"
#include "crypto.h"
#include "ip_rate.h"
#include "domain/info_request/info_request.h"

#define ENTITY "info_request"
#define SECRET_BYTES 12 /* 24 hex characters */

/* The people's government of region: its code into body, or 422. */
static int receiver(struct api *a, const char *region, char body[64], struct fz_err *e)
{
	char *code = NULL;
	int rc = db_lookup_text(a->db, "SELECT code FROM bodies WHERE region_code = $1 AND kind = 'government' ORDER BY id",
				&code, 1, region);
	if (rc < 0)
		return fz_store(e, a->db);
	if (!code)
		return fz_invalid(e, "region", "行政区划代码 %s 不存在，或该区划没有受理申请的人民政府", region);
	snprintf(body, 64, "%s", code);
	free(code);
	return 0;
}

/* The record's field names as the form names them. */
static void form_field(struct fz_err *e)
{
	if (e->field && strcmp(e->field, "requester") == 0)
		e->field = "name";
}

static void file_request(struct api *a)
{
	const struct reg_def *r = register_find(ENTITY);
	struct fz_err e = { 0 };
	const char *name, *contact, *content, *region, *kind;
	char body[64], secret[2 * SECRET_BYTES + 1], digest[65], today[11], *number = NULL;
	struct rec_ctx c;
	int64_t id = 0;
	if (!r) {
		api_not_found(a);
		return;
	}
	api_rec_ctx(a, &c);
	if (!ip_rate_admit(ENTITY, a->r->ip, domain_setting(&c, r, "public_per_minute"), (int64_t)time(NULL))) {
		api_error(a, 429, "rate_limited", NULL, "同一地址提交过于频繁，请一分钟后再试");
		return;
	}
	if (api_str(a, "name", "申请人姓名或名称", 1, 100, &name, &e) || api_str(a, "contact", "联系方式", 1, 200, &contact, &e) ||
	    api_str(a, "content", "申请公开的政府信息", 1, 2000, &content, &e) ||
	    api_str(a, "region", "受理申请的行政区划代码", 1, 12, &region, &e) ||
	    api_str(a, "requester_kind", "申请人类型", 0, 20, &kind, &e) || receiver(a, region, body, &e)) {
		api_fail(a, &e);
		return;
	}
	crypto_random_hex(secret, SECRET_BYTES);
	crypto_digest_hex(HASH_SM3, secret, strlen(secret), digest);
	cn_today(today);
	json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "requester", name, "requester_kind", kind ? kind : "自然人",
				 "contact", contact, "content", content, "channel", "网上申请", "secret_sm3", digest);
	c.user = NULL; /* the system files it, as the public's actor */
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = record_create(&c, r, body, today, data, &id, &e);
	json_decref(data);
	if (rc == 0) {
		char sid[24];
		snprintf(sid, sizeof sid, "%lld", (long long)id);
		rc = db_lookup_text(a->db, "SELECT data FROM records WHERE id = CAST($1 AS INTEGER)", &number, 1, sid) < 0;
	}
	if (rc != 0 || db_commit(a->db) != 0) {
		db_rollback(a->db);
		form_field(&e);
		if (!e.code)
			fz_store(&e, a->db);
		free(number);
		api_fail(a, &e);
		return;
	}
	json_t *o = json_loads(number ? number : "", 0, NULL);
	api_json(a, 201, json_pack("{s:O?, s:s, s:s}", "number", json_object_get(o, "number"), "secret", secret, "received_on", today));
	json_decref(o);
	free(number);
	crypto_wipe(secret, sizeof secret);
}

static void status(struct api *a)
{
	const struct reg_def *r = register_find(ENTITY);
	const char *secret = http_query(a->r, "secret");
	int64_t id = ir_number_id(a->param[0]);
	struct fz_err e = { 0 };
	struct rec_ctx c;
	struct record rec = { 0 };
	char digest[65] = "";
	if (!r || id <= 0 || !secret || !*secret || strlen(secret) > 64) {
		api_not_found(a);
		return;
	}
	api_rec_ctx(a, &c);
	c.user = NULL;
	crypto_digest_hex(HASH_SM3, secret, strlen(secret), digest);
	if (record_load(&c, r, id, &rec, &e) != 0) {
		if (e.status == 404)
			api_not_found(a);
		else
			api_fail(a, &e);
		return;
	}
	if (!record_is(&rec, "number", a->param[0]) || !record_is(&rec, "secret_sm3", digest)) {
		json_decref(rec.data);
		api_not_found(a);
		return;
	}
	const struct reg_state *s = &r->states[rec.state];
	api_json(a, 200, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "number", a->param[0], "state",
				   s->name, "state_label", s->label, "received_on", rec.start_date, "due_date",
				   record_text(&rec, "due"), "answer_type", record_text(&rec, "answer_type"), "answered_on",
				   record_text(&rec, "answered_on"), "answer", record_text(&rec, "answer"), "answer_ground",
				   record_text(&rec, "answer_ground"), "supplement_items", record_text(&rec, "supplement_items")));
	json_decref(rec.data);
}

/* The people's governments that take requests online: [{region, name}]. */
static void receivers(struct api *a)
{
	db_stmt *st = db_prepare(a->db, "SELECT region_code, name FROM bodies WHERE kind = 'government'"
					" AND region_code IS NOT NULL ORDER BY region_path, id");
	json_t *items = json_array();
	int rc = DB_ERR;
	while (st && (rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:s, s:s}", "region", db_col_text(st, 0), "name", db_col_text(st, 1)));
	db_done(st);
	if (rc != DB_DONE) { /* answered as a store error */
		json_decref(items);
		items = NULL;
	}
	api_items(a, items);
}

API_ROUTES(public_info_requests,
	{ "GET", "/api/v1/public/info-receivers", receivers, 0, R_PUBLIC },
	{ "POST", "/api/v1/public/info-requests", file_request, 0, R_PUBLIC, 0,
	  FIELDS("name", "contact", "content", "region", "requester_kind") },
	{ "GET", "/api/v1/public/info-requests/{number}", status, 0, R_PUBLIC })
