/*
 * webhooks.c — /api/v1/webhooks: the system administrator's outgoing
 * webhooks (webhook.h), one per body or per region: list with their
 * delivery counts, add, change, remove, and send a test message. A
 * robot's address holds its key: it is shown and audited masked, never
 * whole, once stored.
 */
#include "api.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fields.h"
#include "webhook.h"

static const struct list_col cols[] = {
	{ "id", "编号", 1 }, { "name", "名称", 0 }, { "region", "地区代码", 0 }, { "region_name", "地区", 0 },
	{ "body_id", "单位编号", 1 }, { "body_name", "单位", 0 }, { "url", "地址", 0 }, { "enabled", "启用", 1 },
	{ "sent", "已送达", 1 }, { "pending", "待发送", 1 }, { "failed", "失败", 1 }, { "last_error", "最近错误", 0 },
	{ NULL, NULL, 0 },
};

static const char SELECT[] =
	"SELECT w.id, w.name, w.region_code, g.name, w.body_id, b.name, w.url, w.enabled,"
	" (SELECT COUNT(*) FROM webhook_deliveries x WHERE x.webhook_id = w.id AND x.state = 'sent'),"
	" (SELECT COUNT(*) FROM webhook_deliveries x WHERE x.webhook_id = w.id AND x.state IN ('pending', 'sending')),"
	" (SELECT COUNT(*) FROM webhook_deliveries x WHERE x.webhook_id = w.id AND x.state = 'failed'),"
	" (SELECT x.last_error FROM webhook_deliveries x WHERE x.webhook_id = w.id AND x.last_error <> ''"
	" ORDER BY x.next_at DESC LIMIT 1)"
	" FROM webhooks w LEFT JOIN regions g ON g.code = w.region_code LEFT JOIN bodies b ON b.id = w.body_id"
	" WHERE 1 = 1";

/* "https://qyapi.weixin.qq.com/…****ab12": scheme, host, the last 4. */
static void mask(const char *url, char *out, size_t n)
{
	const char *host = strstr(url, "://");
	size_t head = host ? (size_t)(host + 3 - url) + strcspn(host + 3, "/?#") : 0, len = strlen(url);
	snprintf(out, n, "%.*s/…%s", (int)head, url, len > head + 4 ? url + len - 4 : "");
}

static json_t *fix(struct api *a, json_t *o)
{
	(void)a;
	char m[WEBHOOK_URL_MAX + 16];
	const char *url = json_string_value(json_object_get(o, "url"));
	mask(url ? url : "", m, sizeof m);
	json_object_set_new(o, "url", json_string(m));
	json_object_set_new(o, "enabled", json_boolean(json_integer_value(json_object_get(o, "enabled"))));
	return o;
}

static void list(struct api *a)
{
	struct query sel, cnt;
	query_init(&sel, SELECT);
	query_init(&cnt, "SELECT COUNT(*) FROM webhooks w WHERE 1 = 1");
	api_list(a, &sel, &cnt, "w.id", cols, "消息推送", fix);
	query_free(&sel);
	query_free(&cnt);
}

static void show(struct api *a, int64_t id, int status)
{
	struct query q;
	query_init(&q, SELECT);
	query_add(&q, " AND w.id = ?", "i", id);
	api_show_row(a, &q, cols, status, fix);
	query_free(&q);
}

/* The url field, when given: checked (webhook_url_check). */
static int url_field(struct api *a, int required, const char **url, struct fz_err *e)
{
	char why[160];
	if (field_str(a->body, "url", "推送地址", required, WEBHOOK_URL_MAX, url, e))
		return -1;
	if (*url && webhook_url_check(*url, why, sizeof why) != 0)
		return fz_invalid(e, "url", "推送地址%s", why);
	return 0;
}

/* Exactly one of region (a code) and body (an id) names an existing row. */
static int owner_fields(struct api *a, const char **region, int64_t *body, struct fz_err *e)
{
	json_t *b = json_object_get(a->body, "body");
	int64_t one;
	if (field_str(a->body, "region", "地区", 0, 12, region, e))
		return -1;
	*body = json_is_integer(b) ? json_integer_value(b) : 0;
	if ((*region != NULL) == (*body > 0) || (b && !json_is_integer(b)))
		return fz_invalid(e, "region", "地区和单位应填且只填一项（地区代码或单位编号）");
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", (long long)*body);
	int rc = *region ? db_lookup_int(a->db, "SELECT 1 FROM regions WHERE code = $1", &one, 1, *region)
			 : db_lookup_int(a->db, "SELECT 1 FROM bodies WHERE id = CAST($1 AS INTEGER)", &one, 1, sid);
	if (rc == DB_DONE)
		return fz_invalid(e, *region ? "region" : "body", *region ? "地区代码 %s 不存在" : "单位编号 %s 不存在",
				  *region ? *region : sid);
	return rc == DB_ROW ? 0 : fz_store(e, a->db);
}

/* Runs a write on one webhook in the open transaction: 1 done, 0 no
 * such webhook (rolled back, 404 answered), -1 store error. */
static int one_row(struct api *a, db_stmt *st)
{
	int step = db_step(st);
	int64_t changed = db_changes(st);
	db_done(st);
	if (step == DB_DONE && changed == 0) {
		db_rollback(a->db);
		api_not_found(a);
		return 0;
	}
	return step == DB_DONE ? 1 : -1;
}

static void create(struct api *a)
{
	struct fz_err e = { 0 };
	const char *name, *url, *region;
	int64_t body, id = 0;
	if (field_str(a->body, "name", "名称", 1, 64, &name, &e) || url_field(a, 1, &url, &e) ||
	    owner_fields(a, &region, &body, &e)) {
		api_fail(a, &e);
		return;
	}
	char m[WEBHOOK_URL_MAX + 16];
	mask(url, m, sizeof m);
	db_stmt *st = db_begin(a->db) != 0 ? NULL
			: db_prepare(a->db, "INSERT INTO webhooks(name, region_code, body_id, url, enabled, created_at,"
					    " updated_at) VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id");
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, region);
	if (body > 0)
		db_bind_int(st, 3, body);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, url);
	db_bind_int(st, 5, (int64_t)time(NULL));
	if (db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	int rc = id ? api_audit(a, "create", "webhook", id, "ok", json_pack("{s:s, s:s}", "name", name, "url", m)) : -1;
	if (api_commit_or_fail(a, rc, &e) == 0)
		show(a, id, 201);
}

static void update(struct api *a)
{
	struct fz_err e = { 0 };
	const char *name, *url;
	int enabled = -1;
	int64_t id = api_param_id(a, 0);
	if (id <= 0)
		return;
	if (field_str(a->body, "name", "名称", 0, 64, &name, &e) || url_field(a, 0, &url, &e) ||
	    (json_object_get(a->body, "enabled") && field_bool(a->body, "enabled", "启用", &enabled, &e))) {
		api_fail(a, &e);
		return;
	}
	db_stmt *st = db_begin(a->db) != 0 ? NULL
			: db_prepare(a->db, "UPDATE webhooks SET name = COALESCE($2, name), url = COALESCE($3, url),"
					    " enabled = CASE WHEN $4 < 0 THEN enabled ELSE $4 END, updated_at = $5 WHERE id = $1");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, url);
	db_bind_int(st, 4, enabled);
	db_bind_int(st, 5, (int64_t)time(NULL));
	int done = one_row(a, st);
	if (done == 0)
		return;
	int rc = done > 0 ? api_audit(a, "update", "webhook", id, "ok",
					     json_pack("{s:s?, s:b, s:i}", "name", name, "url_changed", url != NULL,
						       "enabled", enabled)) : -1;
	if (api_commit_or_fail(a, rc, &e) == 0)
		show(a, id, 200);
}

static void remove_hook(struct api *a)
{
	struct fz_err e = { 0 };
	int64_t id = api_param_id(a, 0);
	if (id <= 0)
		return;
	db_stmt *st = db_begin(a->db) != 0 ? NULL : db_prepare(a->db, "DELETE FROM webhooks WHERE id = $1");
	db_bind_int(st, 1, id);
	int done = one_row(a, st);
	if (done == 0)
		return;
	int rc = done > 0 ? api_audit(a, "delete", "webhook", id, "ok", NULL) : -1;
	if (api_commit_or_fail(a, rc, &e) == 0)
		api_no_content(a);
}

/* Sends a test message now and answers what the robot said. */
static void test_hook(struct api *a)
{
	int64_t id = api_param_id(a, 0);
	char url[WEBHOOK_URL_MAX + 1] = "", err[256] = "";
	if (id <= 0)
		return;
	db_stmt *st = db_prepare(a->db, "SELECT url FROM webhooks WHERE id = $1");
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(url, sizeof url, "%s", db_col_text(st, 0));
	db_done(st);
	if (rc != DB_ROW) {
		if (rc == DB_DONE)
			api_not_found(a);
		else
			api_error(a, 500, "store_error", NULL, "查询失败: %s", db_errmsg(a->db));
		return;
	}
	enum webhook_result r = webhook_post(url, "测试消息", "这是一条测试消息：消息推送已配置成功。", err, sizeof err);
	if (api_audit(a, "test", "webhook", id, r == WEBHOOK_OK ? "ok" : "failed", json_pack("{s:s}", "error", err)) != 0) {
		api_error(a, 500, "store_error", NULL, "审计日志写入失败");
		return;
	}
	api_json(a, 200, json_pack("{s:b, s:s}", "delivered", r == WEBHOOK_OK, "error", err));
}

API_ROUTES(webhooks,
	   { "GET", "/api/v1/webhooks", list, PERM_SYSTEM, 0 },
	   { "POST", "/api/v1/webhooks", create, PERM_SYSTEM, 0, 0, FIELDS("name", "region", "body", "url") },
	   { "PATCH", "/api/v1/webhooks/{id}", update, PERM_SYSTEM, 0, 0, FIELDS("name", "url", "enabled") },
	   { "DELETE", "/api/v1/webhooks/{id}", remove_hook, PERM_SYSTEM, 0 },
	   { "POST", "/api/v1/webhooks/{id}/test", test_hook, PERM_SYSTEM, 0, 0, NO_FIELDS })
