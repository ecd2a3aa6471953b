/* respond.c — JSON answers, errors and the caller's audit entries. */
#include "api.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "validate.h"

void api_json(struct api *a, int status, json_t *obj)
{
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

void api_error(struct api *a, int status, const char *code, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	utf8_scrub(msg); /* json_pack refuses invalid UTF-8 */
	json_t *err = json_pack("{s:s, s:s}", "code", code, "message", msg);
	if (field)
		json_object_set_new(err, "field", json_string(field));
	api_json(a, status, json_pack("{s:o}", "error", err));
}

void api_fail(struct api *a, const struct fz_err *e)
{
	api_error(a, e->status ? e->status : 500, e->code ? e->code : "internal", e->field, "%s", e->msg);
}

void api_no_content(struct api *a)
{
	http_set_body(a->w, 204, NULL, "", 0);
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
