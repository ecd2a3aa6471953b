/* audit_log.c — /api/v1/audit: the audit log, read-only, for the audit
 * administrator (审计管理员) alone; a chain verification on demand; the
 * signed checkpoints and their public key for verification elsewhere. */
#include "api.h"
#include "cntime.h"

#include "audit_anchor.h"
#include "audit_text.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "register.h"
#include "validate.h"

static const struct list_col cols[] = {
	{ "id", "序号", 1 }, { "ts", "时间戳", 1 }, { "actor", "操作人", 0 }, { "ip", "地址", 0 },
	{ "action", "操作", 0 }, { "entity", "对象类型", 0 }, { "entity_id", "对象编号", 0 },
	{ "result", "结果", 0 }, { "detail", "详情", 0 }, { "hash", "哈希", 0 }, { NULL, NULL, 0 },
};

static json_t *fix(struct api *a, json_t *o)
{
	char buf[20];
	cn_format_time(json_integer_value(json_object_get(o, "ts")), buf);
	json_object_set_new(o, "time", json_string(buf));
	/* a register's records are audited under its name: give its label */
	const struct reg_def *r = register_find(json_string_value(json_object_get(o, "entity")));
	if (r)
		json_object_set_new(o, "entity_label", json_string(r->label));
	char text[2048];
	json_t *d = json_loads(json_string_value(json_object_get(o, "detail")) ? json_string_value(json_object_get(o, "detail")) : "{}", 0, NULL);
	audit_detail_text(json_string_value(json_object_get(o, "entity")), d, text, sizeof text);
	json_decref(d);
	json_object_set_new(o, "detail_text", json_string(text));
	return o;
}

static int filters(struct api *a, struct query *q, struct fz_err *e)
{
	static const char *const keys[] = { "actor", "action", "entity", "entity_id", "result" };
	for (int i = 0; i < 5; i++) {
		const char *v = http_query(a->r, keys[i]);
		char frag[64];
		snprintf(frag, sizeof frag, " AND %s = ?", keys[i]);
		if (v && *v)
			query_add(q, frag, "s", v);
	}
	const char *from = http_query(a->r, "from"), *to = http_query(a->r, "to");
	int64_t t;
	if (from && *from) {
		if (cn_day_bound(from, 0, &t) != 0)
			return fz_fail(e, 400, "bad_param", "from", "参数 from 应为 YYYY-MM-DD 格式的日期");
		query_add(q, " AND ts >= ?", "i", t);
	}
	if (to && *to) {
		if (cn_day_bound(to, 1, &t) != 0)
			return fz_fail(e, 400, "bad_param", "to", "参数 to 应为 YYYY-MM-DD 格式的日期");
		query_add(q, " AND ts < ?", "i", t);
	}
	return 0;
}

static void list(struct api *a)
{
	struct query sel, cnt;
	struct fz_err e;
	query_init(&sel, "SELECT id, ts, actor, ip, action, entity, entity_id, result, detail, hash"
			 " FROM audit_log WHERE 1 = 1");
	query_init(&cnt, "SELECT COUNT(*) FROM audit_log WHERE 1 = 1");
	if (filters(a, &sel, &e) != 0 || filters(a, &cnt, &e) != 0)
		api_fail(a, &e);
	else
		api_list(a, &sel, &cnt, "id DESC", cols, "审计日志", fix);
	query_free(&sel);
	query_free(&cnt);
}

static void verify(struct api *a)
{
	struct audit_check c;
	int rc = audit_verify(a->db, &c);
	if (rc < 0) {
		api_error(a, 500, "store_error", NULL, "校验失败: %s", c.reason);
		return;
	}
	json_t *o = json_pack("{s:b, s:I}", "ok", rc == 0, "checked", (json_int_t)c.checked);
	json_object_set_new(o, "check", rc ? json_string(c.check) : json_null());
	json_object_set_new(o, "first_bad", rc ? json_integer(c.first_bad) : json_null());
	json_object_set_new(o, "reason", rc ? json_string(c.reason) : json_null());
	api_audit(a, "verify", "audit_log", 0, rc == 0 ? "ok" : "broken", NULL);
	api_json(a, 200, o);
}

/* The checkpoint file and the Ed25519 public key; the export is audited
 * and refused (500) when its entry cannot be written. */
static void checkpoints(struct api *a)
{
	char err[320];
	json_t *o = audit_checkpoints_export(err, sizeof err);
	if (!o) {
		api_audit(a, "export", "audit_checkpoints", 0, "failed", NULL);
		api_error(a, 500, "store_error", NULL, "无法导出审计检查点: %s", err);
		return;
	}
	json_t *detail = json_pack("{s:I}", "checkpoints", (json_int_t)json_array_size(json_object_get(o, "checkpoints")));
	if (api_audit(a, "export", "audit_checkpoints", 0, "ok", detail) != 0) {
		json_decref(o);
		api_error(a, 500, "store_error", NULL, "无法写入审计日志，导出已拒绝");
		return;
	}
	api_json(a, 200, o);
}

API_ROUTES(audit_log,
	{ "GET", "/api/v1/audit", list, PERM_AUDIT_READ, 0 },
	{ "GET", "/api/v1/audit/verify", verify, PERM_AUDIT_READ, 0 },
	{ "GET", "/api/v1/audit/checkpoints", checkpoints, PERM_AUDIT_READ, 0 })
