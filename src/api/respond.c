/*
 * respond.c — JSON answers, errors and the caller's audit entries. A
 * server-side failure (5xx) answers with a request id only: its details
 * (the store's message, SQL) go to the server log under that id. A request
 * that met a store error never answers as if it had succeeded.
 */
#include "api.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "jsonw.h"
#include "validate.h"

static int store_failed(struct api *a, int status);

void api_json(struct api *a, int status, json_t *obj)
{
	if (store_failed(a, status)) {
		json_decref(obj);
		return;
	}
	char *text = json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(12));
	json_decref(obj);
	if (!text) {
		static const char oom[] = "{\"error\":{\"code\":\"internal\",\"message\":\"服务器内部错误\"}}";
		http_set_body(a->w, 500, "application/json; charset=utf-8", oom, sizeof oom - 1);
		return;
	}
	free(a->w->body);
	a->w->body = text;
	a->w->len = strlen(text);
	a->w->status = status;
	a->w->content_type = "application/json; charset=utf-8";
}

void api_json_text(struct api *a, int status, struct jsonw *w)
{
	if (store_failed(a, status)) {
		jw_free(w);
		return;
	}
	if (w->oom) {
		jw_free(w);
		api_error(a, 500, "internal", NULL, "服务器内部错误");
		return;
	}
	free(a->w->body);
	a->w->body = w->buf;
	a->w->len = w->len;
	a->w->status = status;
	a->w->content_type = "application/json; charset=utf-8";
	w->buf = NULL;
}

/* A 5xx answer: the id in the answer and its header, the details
 * (detail) in the server log only. */
static void server_error(struct api *a, int status, const char *code, const char *detail)
{
	char id[17], line[600];
	crypto_random_hex(id, 8);
	snprintf(line, sizeof line, "%s", detail);
	for (char *c = line; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' '; /* one log line per failure */
	fprintf(stderr, "fazhi: request %s: %s %s -> %d %s: %s\n", id, a->r->method, a->r->path, status, code,
		line);
	char msg[128];
	snprintf(msg, sizeof msg, "服务器内部错误，请稍后重试；如仍失败请联系系统管理员（请求编号 %s）", id);
	/* Nothing the handler meant for a success goes out with a failure
	 * (a session cookie, an attachment's name). */
	for (int i = 0; i < a->w->nheaders; i++)
		free(a->w->owned[i]);
	a->w->nheaders = 0;
	json_t *o = json_pack("{s:{s:s, s:s, s:s}}", "error", "code", code, "message", msg, "request_id", id);
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!text) {
		static const char oom[] = "{\"error\":{\"code\":\"internal\",\"message\":\"服务器内部错误\"}}";
		http_set_body(a->w, status, "application/json; charset=utf-8", oom, sizeof oom - 1);
	} else {
		free(a->w->body);
		a->w->body = text;
		a->w->len = strlen(text);
		a->w->status = status;
		a->w->content_type = "application/json; charset=utf-8";
	}
	http_add_header(a->w, "X-Request-Id", id);
}

/* Whether the request met a store error that its handler did not answer
 * with a 5xx; if so, answers 500 instead of status. */
static int store_failed(struct api *a, int status)
{
	if (status >= 500 || db_failures(a->db) == 0)
		return 0;
	char detail[600];
	snprintf(detail, sizeof detail, "answer %d replaced: the store failed: %s", status, db_errmsg(a->db));
	server_error(a, 500, "store_error", detail);
	return 1;
}

void api_error(struct api *a, int status, const char *code, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (status >= 500) {
		server_error(a, status, code, msg);
		return;
	}
	utf8_scrub(msg); /* json_pack refuses invalid UTF-8 */
	json_t *err = json_pack("{s:s, s:s}", "code", code, "message", msg);
	if (err && field)
		json_object_set_new(err, "field", json_string(field));
	api_json(a, status, err ? json_pack("{s:o}", "error", err) : NULL);
}

void api_fail(struct api *a, const struct fz_err *e)
{
	api_error(a, e->status ? e->status : 500, e->code ? e->code : "internal", e->field, "%s", e->msg);
}

int api_commit_or_fail(struct api *a, int rc, struct fz_err *e)
{
	if (rc == 0 && db_commit(a->db) == 0)
		return 0;
	db_rollback(a->db);
	if (!e->code)
		fz_store(e, a->db);
	api_fail(a, e);
	return -1;
}

void api_no_content(struct api *a)
{
	if (store_failed(a, 204))
		return;
	http_set_body(a->w, 204, NULL, "", 0);
}

void api_attachment(struct api *a, const char *ascii, const char *name)
{
	static const char keep[] = "!#$&+-.^_`|~"; /* RFC 5987 attr-char besides letters and digits */
	char v[1024];
	int n = snprintf(v, sizeof v, "attachment; filename=\"%s\"; filename*=UTF-8''", ascii);
	for (const unsigned char *p = (const unsigned char *)name; *p && n >= 0 && (size_t)n + 4 < sizeof v; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr(keep, *p))
			v[n++] = (char)*p;
		else
			n += snprintf(v + n, sizeof v - (size_t)n, "%%%02X", *p);
	}
	v[n] = 0;
	http_add_header(a->w, "Content-Disposition", v);
}

void api_not_found(struct api *a)
{
	api_error(a, 404, "not_found", NULL, "记录不存在或不在您的管辖范围内");
}

int api_audit(struct api *a, const char *action, const char *entity, int64_t id, const char *result,
	      json_t *detail)
{
	char sid[24];
	snprintf(sid, sizeof sid, "%" PRId64, id);
	int rc = audit_append(a->db, &a->actor, action, entity, id ? sid : "", result, detail);
	json_decref(detail);
	return rc;
}

void api_items(struct api *a, json_t *items)
{
	if (!items) {
		struct fz_err e = { 0 };
		fz_store(&e, a->db);
		api_fail(a, &e);
		return;
	}
	api_json(a, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items)));
}
