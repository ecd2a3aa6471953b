/*
 * system.c — the administrators' view of the installation: the settings,
 * split between the system administrator (operations: imports, exports,
 * reminders, the registers' provincial periods) and the security
 * administrator (passwords, locking, sessions, the audit log) — each
 * reads and changes only its own; and GET /api/v1/system, the system
 * administrator's health page: version, store, uptime, the notification
 * pass, webhook backlog, the last backup and checkpoint, the calendar.
 * A changed setting is stored at once and used from the next start of the
 * server (the running values are shown beside the stored ones).
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "cntime.h"

/* The settings of one side (security 1 or 0): stored and running values. */
static void settings_list(struct api *a, int security)
{
	struct settings stored;
	if (settings_load(a->db, &stored) != 0) {
		api_error(a, 500, "store_error", NULL, "设置读取失败: %s", db_errmsg(a->db));
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < settings_count(); i++) {
		int def, min, max, now = settings_value(&stored, i), run = settings_value(&a->app->cfg, i);
		if (settings_security(i) != security)
			continue;
		settings_range(i, &def, &min, &max);
		json_array_append_new(items, json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:b}", "key", settings_key(i),
						       "label", settings_label(i), "value", now, "running", run, "default",
						       def, "min", min, "max", max, "pending", now != run));
	}
	api_json(a, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items)));
}

/* PUT …/{key} {"value": N}: one of this side's settings; another side's
 * key is answered as unknown. */
static void settings_put(struct api *a, int security)
{
	const char *key = a->param[0];
	json_t *v = json_object_get(a->body, "value");
	int i = settings_index(key);
	char why[256], text[24];
	struct fz_err e = { 0 };
	if (i < 0 || settings_security(i) != security) {
		api_error(a, 404, "not_found", NULL, "没有设置项 %s%s", key,
			  i >= 0 ? (security ? "（该项由系统管理员维护）" : "（该项由安全管理员维护）") : "");
		return;
	}
	if (!json_is_integer(v)) {
		api_error(a, 422, "invalid", "value", "%s应为整数", settings_label(i));
		return;
	}
	snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
	int old = settings_get(&a->app->cfg, key);
	if (db_begin(a->db) != 0 || settings_set(a->db, key, text, why, sizeof why) != 0) {
		int min, max, def;
		settings_range(i, &def, &min, &max);
		db_rollback(a->db);
		api_audit(a, "update", "setting", 0, "refused", json_pack("{s:s, s:s}", "key", key, "value", text));
		api_error(a, 422, "invalid", "value", "%s应为 %d 到 %d 之间的整数", settings_label(i), min, max);
		return;
	}
	int rc = api_audit(a, "update", "setting", 0, "ok", json_pack("{s:s, s:i, s:s}", "key", key, "running", old,
								    "value", text));
	if (api_commit_or_fail(a, rc, &e) == 0)
		settings_list(a, security);
}

static void system_settings(struct api *a) { settings_list(a, 0); }
static void security_settings(struct api *a) { settings_list(a, 1); }
static void put_system_setting(struct api *a) { settings_put(a, 0); }
static void put_security_setting(struct api *a) { settings_put(a, 1); }

/* The first column of the first row of sql as text ("" when none). */
static json_t *text_of(struct api *a, const char *sql)
{
	db_stmt *st = db_prepare(a->db, sql);
	json_t *v = db_step(st) == DB_ROW && !db_col_isnull(st, 0) ? json_string(db_col_text(st, 0)) : json_null();
	db_done(st);
	return v;
}

static json_int_t int_of(struct api *a, const char *sql)
{
	int64_t v = 0;
	db_lookup_int(a->db, sql, &v, 0);
	return (json_int_t)v;
}

static json_t *notifications_status(struct api *a)
{
	json_t *cursor = text_of(a, "SELECT value FROM notify_state WHERE key = 'audit_cursor'");
	json_int_t last = int_of(a, "SELECT COALESCE(MAX(id), 0) FROM audit_log");
	json_int_t at = strtoll(json_string_value(cursor) ? json_string_value(cursor) : "0", NULL, 10);
	json_t *o = json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I}", "last_pass",
			      text_of(a, "SELECT value FROM notify_state WHERE key = 'last_pass'"), "deadline_day",
			      text_of(a, "SELECT value FROM notify_state WHERE key = 'deadline_day'"), "events_behind",
			      last - at, "interval_seconds", (json_int_t)a->app->cfg.notify_interval_seconds,
			      "webhooks_pending", int_of(a, "SELECT COUNT(*) FROM webhook_deliveries WHERE state IN ('pending', 'sending')"),
			      "webhooks_failed", int_of(a, "SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'failed'"),
			      "webhooks_sent", int_of(a, "SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'sent'"));
	json_decref(cursor);
	return o;
}

static json_t *calendar_status(void)
{
	char today[11];
	const struct calendar *c = calendar_current();
	json_t *years = json_array();
	cn_today(today);
	for (int i = 0; c && i < c->ny; i++)
		json_array_append_new(years, json_pack("{s:i, s:s}", "year", c->y[i].year, "source", c->y[i].source));
	return json_pack("{s:o, s:b}", "years", years, "next_year_loaded", c && calendar_covers_year(c, atoi(today) + 1));
}

static void status(struct api *a)
{
	int pg = db_backend_of(a->db) == DB_POSTGRES;
	json_int_t size = int_of(a, pg ? "SELECT pg_database_size(current_database())"
				      : "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
	json_t *o = json_pack("{s:s, s:s, s:i, s:I, s:I, s:I, s:o, s:{s:o, s:o}, s:o, s:o}", "version", FAZHI_VERSION,
			      "store", a->app->store_name, "schema_version", db_schema_version(a->db), "store_bytes", size,
			      "started_at", (json_int_t)a->app->started_at, "uptime_seconds",
			      (json_int_t)(time(NULL) - a->app->started_at), "notifications", notifications_status(a),
			      "backup", "last_at",
			      text_of(a, "SELECT CAST(MAX(ts) AS TEXT) FROM audit_log WHERE action = 'backup' AND result = 'ok'"),
			      "detail",
			      text_of(a, "SELECT detail FROM audit_log WHERE action = 'backup' AND result = 'ok' ORDER BY id DESC LIMIT 1"),
			      "audit_entries", json_integer(int_of(a, "SELECT COUNT(*) FROM audit_log")), "calendar",
			      calendar_status());
	if (!o || db_failures(a->db)) {
		json_decref(o);
		api_error(a, 500, "store_error", NULL, "查询失败: %s", db_errmsg(a->db));
		return;
	}
	api_json(a, 200, o);
}

API_ROUTES(system,
	   { "GET", "/api/v1/system", status, PERM_SYSTEM, 0 },
	   { "GET", "/api/v1/settings", system_settings, PERM_SYSTEM, 0 },
	   { "PUT", "/api/v1/settings/{key}", put_system_setting, PERM_SYSTEM, 0, 0, FIELDS("value") },
	   { "GET", "/api/v1/security-settings", security_settings, PERM_SECURITY, 0 },
	   { "PUT", "/api/v1/security-settings/{key}", put_security_setting, PERM_SECURITY, 0, 0, FIELDS("value") })
