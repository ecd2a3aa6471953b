/*
 * records_import.c — POST /api/v1/registers/{reg}/records/import: a file of
 * records as the raw body (an .xlsx workbook, text/csv, or JSON Lines as
 * application/x-ndjson or application/jsonl; a workbook known by its
 * content, a generic type by ?filename=), imported all or nothing within the caller's scope
 * and the field rules (record_import.h): 200 {"imported":N,"import_id":…,
 * "first_id":…,"last_id":…,"sm3":…}, 422 naming every error of each bad
 * row (record_import.h), or 413 when
 * the file holds more rows than the setting import_max_rows (larger files
 * go through `fazhi records import`, in batches).
 */
#include "api.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "record_import.h"
#include "register.h"

/* The media type's name without parameters equals want. */
static int media_is(const char *ct, const char *want)
{
	size_t n = strlen(want);
	return strncasecmp(ct, want, n) == 0 && (ct[n] == 0 || ct[n] == ';' || ct[n] == ' ');
}

/* The format of the upload: a media type that names one (a workbook's
 * content still wins: record_format_of), else — a generic type such as
 * application/octet-stream, or application/vnd.ms-excel as Windows names
 * a .csv — by content and file name. -1 and a 415 answered otherwise. */
static int format_of(struct api *a, enum record_format *f)
{
	static const struct { const char *type; enum record_format f; } types[] = {
		{ "text/csv", RECORD_CSV }, { "application/x-ndjson", RECORD_JSONL }, { "application/jsonl", RECORD_JSONL },
		{ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", RECORD_XLSX },
	};
	const char *ct = http_header(a->r, "Content-Type");
	enum record_format named = RECORD_NONE;
	for (size_t i = 0; ct && i < sizeof types / sizeof types[0]; i++)
		if (media_is(ct, types[i].type))
			named = types[i].f;
	*f = record_format_of(named == RECORD_NONE ? http_query(a->r, "filename") : NULL, a->r->body, a->r->body_len,
			      named);
	if (*f != RECORD_NONE)
		return 0;
	api_error(a, 415, "unsupported_media_type", NULL,
		  "导入文件应为 Excel 工作簿（.xlsx）、CSV（Content-Type: text/csv）或 JSON Lines（application/x-ndjson）");
	return -1;
}

/* 422 with the bad rows; rows refused (scope, field rules, back-dating)
 * are audited as records.c does, with the first refusal's words. */
static void refuse(struct api *a, const struct record_report *rep, const char *sm3)
{
	if (rep->refused)
		api_audit(a, "import", a->param[0], 0, "refused",
			  json_pack("{s:s, s:I, s:s, s:O?}", "reason", "forbidden", "rows", (json_int_t)rep->refused,
				    "sm3", sm3, "errors", rep->items));
	char msg[160];
	snprintf(msg, sizeof msg, "共 %lld 行，其中 %lld 行有错误：未导入任何记录", (long long)rep->rows,
		 (long long)rep->bad);
	json_t *err = json_pack("{s:s, s:s}", "code", "import_failed", "message", msg);
	api_json(a, 422, json_pack("{s:o, s:O, s:I}", "error", err, "rows", rep->items, "bad",
				   (json_int_t)rep->bad));
}

static void import(struct api *a)
{
	const struct reg_def *r = register_find(a->param[0]);
	enum record_format f;
	if (!r) {
		api_error(a, 404, "not_found", NULL, "登记簿 %s 不存在", a->param[0]);
		return;
	}
	if (format_of(a, &f) != 0)
		return;
	if (!a->r->body_len) {
		api_error(a, 400, "empty_body", NULL, "导入文件为空");
		return;
	}
	FILE *in = fmemopen((void *)(uintptr_t)a->r->body, a->r->body_len, "r");
	if (!in) {
		api_error(a, 500, "internal", NULL, "服务器内部错误");
		return;
	}
	struct rec_ctx c;
	struct record_report rep = { .items = json_array() };
	char sm3[65];
	crypto_digest_hex(HASH_SM3, a->r->body, a->r->body_len, sm3);
	struct record_import_opts o = { .source = "api", .filename = http_query(a->r, "filename"), .sm3 = sm3,
					.max_rows = a->app->cfg.import_max_rows };
	api_rec_ctx(a, &c);
	int rc = record_import_stream(&c, r, f, in, &o, &rep);
	fclose(in);
	if (rc == 0)
		api_json(a, 200, json_pack("{s:I, s:I, s:I, s:I, s:s}", "imported", (json_int_t)rep.rows, "import_id",
					   (json_int_t)rep.import_id, "first_id", (json_int_t)rep.first_id, "last_id",
					   (json_int_t)rep.last_id, "sm3", sm3));
	else if (rc == 2)
		api_error(a, 413, "too_many_rows", NULL,
			  "导入文件超过单次导入上限 %d 行，未导入任何记录：请拆分文件，或由管理员在服务器上用 fazhi records import 命令分批导入",
			  a->app->cfg.import_max_rows);
	else if (rc == 1 && !rep.failed)
		refuse(a, &rep, sm3);
	else /* the store failed (or the server): not the file's fault */
		api_error(a, 500, "store_error", NULL, "服务器错误，未导入任何记录: %s", db_errmsg(a->db));
	json_decref(rep.items);
}

API_ROUTES(records_import,
	{ "POST", "/api/v1/registers/{reg}/records/import", import, PERM_RECORD_WRITE, R_RAW, API_MAX_UPLOAD })
