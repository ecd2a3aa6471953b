/*
 * bulletin.c — /api/v1/bulletin: the 通报 of a region and year, composed
 * on the server (engine/bulletin.h) — as JSON for the console's page, with
 * the default texts; as a 公文 .docx, by GET with the defaults or by POST
 * with the issuer's own 按语, 工作要求, 发文字号, 主送机关 and 抄送机关. Each
 * document issued and each refusal is audited.
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/eval_args.h"
#include "bulletin.h"
#include "fields.h"

#define DOCX_TYPE "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
/* A POST body: the texts' limits (bulletin_texts) in the longest JSON
 * escapes, well within this. */
#define BULLETIN_MAX_BODY (96 << 10)

static json_t *compose(struct api *a, const struct eval_args *x, struct fz_err *e)
{
	struct bulletin_of of = { x->region, x->path, x->name, x->year, x->sys };
	return bulletin_compose(a->db, &a->user, &of, e);
}

static void show(struct api *a)
{
	struct eval_args x;
	struct fz_err e = { 0 };
	if (api_eval_query(a, &x) != 0)
		return;
	json_t *b = compose(a, &x, &e), *limits = json_object();
	for (int i = 0; i < BT_COUNT; i++) /* the console's input limits */
		json_object_set_new(limits, bulletin_texts[i].key, json_integer(bulletin_texts[i].max));
	if (b)
		json_object_set_new(b, "text_limits", limits);
	else
		json_decref(limits);
	if (b)
		api_json(a, 200, b);
	else
		api_fail(a, &e);
	indicator_system_free(x.sys);
}

/* The answer already given (a refusal) goes into the audit log. */
static void audit_refusal(struct api *a, const char *region, const char *period)
{
	api_audit(a, "issue", "bulletin", 0, "refused",
		  json_pack("{s:s?, s:s?, s:i}", "region", region, "period", period, "status", a->w->status));
}

/* The .docx bytes (taken) as the answer, named after the bulletin. */
static void send_docx(struct api *a, const json_t *b, char *bytes, size_t len)
{
	char ascii[64], name[512];
	snprintf(ascii, sizeof ascii, "bulletin-%s-%lld.docx", json_string_value(json_object_get(b, "region")),
		 (long long)json_integer_value(json_object_get(b, "period")));
	snprintf(name, sizeof name, "%s%s.docx", json_string_value(json_object_get(b, "issuer")),
		 json_string_value(json_object_get(b, "title")));
	free(a->w->body);
	a->w->body = bytes;
	a->w->len = len;
	a->w->status = 200;
	a->w->content_type = DOCX_TYPE;
	api_attachment(a, ascii, name);
}

/* Composes, renders, audits and answers the bulletin of region, period
 * and system with texts (NULL: the defaults). */
static void issue(struct api *a, const char *region, const char *period, const char *system,
		  const char *const texts[BT_COUNT])
{
	struct eval_args x;
	struct fz_err e = { 0 };
	char *bytes = NULL;
	size_t len = 0;
	if (api_eval_args(a, region, period, system, &x) != 0) {
		audit_refusal(a, region, period);
		return;
	}
	json_t *b = api_export_begin(a) == 0 ? compose(a, &x, &e) : NULL;
	indicator_system_free(x.sys);
	if (!b) {
		if (a->exporting) /* else the refusal is answered */
			api_fail(a, &e);
		return;
	}
	const char *number = texts[BT_DOC_NUMBER] ? texts[BT_DOC_NUMBER]
						  : json_string_value(json_object_get(json_object_get(b, "defaults"), "doc_number"));
	if (bulletin_docx(b, texts, &bytes, &len) != 0) {
		api_error(a, 500, "internal", NULL, "通报文档生成失败");
	} else if (db_failures(a->db)) { /* a figure may be missing: no document */
		api_error(a, 500, "store_error", NULL, "通报数据查询失败: %s", db_errmsg(a->db));
	} else if (api_audit(a, "issue", "bulletin", 0, "ok",
			     json_pack("{s:s, s:i, s:s, s:s, s:I}", "region", x.region, "period", x.year, "system",
				       json_string_value(json_object_get(b, "system")), "doc_number", number, "bytes",
				       (json_int_t)len)) != 0) {
		api_error(a, 500, "audit_failed", NULL, "通报未能印发：无法写入审计日志");
	} else {
		send_docx(a, b, bytes, len);
		bytes = NULL;
	}
	free(bytes);
	json_decref(b);
}

static void get_docx(struct api *a)
{
	const char *none[BT_COUNT] = { 0 };
	issue(a, http_query(a->r, "region"), http_query(a->r, "period"), http_query(a->r, "system"), none);
}

/* period in a body: a year as a number or a string; "" when absent. */
static int body_period(struct api *a, char out[8], struct fz_err *e)
{
	json_t *v = json_object_get(a->body, "period");
	long long y = json_is_integer(v) ? json_integer_value(v) : 0;
	const char *s = json_string_value(v);
	char *end = NULL;
	if (s)
		y = strlen(s) == 4 ? strtoll(s, &end, 10) : 0;
	if (!v || (s && (!end || *end)) || y < 2000 || y > 2100)
		return fz_invalid(e, "period", "年度（period）应为 2000 至 2100 之间的年份，如 2025");
	snprintf(out, 8, "%lld", y);
	return 0;
}

static void post_docx(struct api *a)
{
	struct fz_err e = { 0 };
	const char *texts[BT_COUNT] = { 0 }, *region, *system;
	char period[8];
	int rc = body_period(a, period, &e);
	if (rc == 0)
		rc = field_str(a->body, "region", "行政区划", 0, 12, &region, &e) ||
		     field_str(a->body, "system", "指标体系", 0, 64, &system, &e);
	for (int i = 0; rc == 0 && i < BT_COUNT; i++) {
		const struct bulletin_text *t = &bulletin_texts[i];
		rc = (t->multiline ? field_text : field_str)(a->body, t->key, t->label, 0, t->max, &texts[i], &e);
	}
	if (rc != 0) {
		api_fail(a, &e);
		audit_refusal(a, json_string_value(json_object_get(a->body, "region")), NULL);
		return;
	}
	issue(a, region, period, system, texts);
}

/* The POST body's fields: bulletin_texts' keys after the three of the
 * evaluation. */
API_ROUTES(bulletin,
	{ "GET", "/api/v1/bulletin", show, PERM_EVAL_READ, 0 },
	{ "GET", "/api/v1/bulletin.docx", get_docx, PERM_EVAL_READ, 0 },
	{ "POST", "/api/v1/bulletin.docx", post_docx, PERM_EVAL_READ, 0, BULLETIN_MAX_BODY,
	  FIELDS("period", "region", "system", "remarks", "requirements", "doc_number", "recipients", "copy_to") })
