/*
 * notifications.c — the signed-in user's own notifications (站内通知, made
 * by the notification passes, notify.h): the list with the unread count
 * (the console's bell), and marking them read. Nobody reads or marks
 * another user's: every statement is keyed by the caller's id.
 */
#include "api.h"

#include <string.h>
#include <time.h>

#include "register.h"
#include "vocab.h"

#define READ_MAX_IDS 25 /* within QUERY_MAX_PARAMS */

static const struct list_col cols[] = {
	{ "id", "编号", 1 }, { "kind", "类别", 0 }, { "entity", "对象", 0 }, { "entity_id", "对象编号", 1 },
	{ "title", "标题", 0 }, { "text", "内容", 0 }, { "created_at", "时间", 1 }, { "read_at", "已读时间", 1 },
	{ NULL, NULL, 0 },
};

/* Labels, and where the console opens the item: a register's record or a
 * task. */
static json_t *fix(struct api *a, json_t *o)
{
	(void)a;
	const char *kind = json_string_value(json_object_get(o, "kind"));
	const char *entity = json_string_value(json_object_get(o, "entity"));
	const struct reg_def *r = register_find(entity);
	json_object_set_new(o, "kind_label", json_string(vocab_label(VOCAB_NOTICE_KIND, kind) ? vocab_label(VOCAB_NOTICE_KIND, kind) : ""));
	json_object_set_new(o, "register", r ? json_string(r->name) : json_null());
	json_object_set_new(o, "entity_label", json_string(r ? r->label : "分解任务"));
	json_object_set_new(o, "read", json_boolean(!json_is_null(json_object_get(o, "read_at"))));
	return o;
}

static void from(struct api *a, struct query *q, int unread_only)
{
	query_add(q, " FROM notifications x JOIN notices n ON n.id = x.notice_id WHERE x.user_id = ?", "i", a->user.id);
	if (unread_only)
		query_raw(q, " AND x.read_at IS NULL");
}

static int64_t unread_count(struct api *a)
{
	struct query q;
	int64_t n = -1;
	query_init(&q, "SELECT COUNT(*)");
	from(a, &q, 1);
	db_stmt *st = query_prepare(a->db, &q);
	if (db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	db_done(st);
	query_free(&q);
	return n;
}

static void list(struct api *a)
{
	struct page p;
	struct fz_err e = { 0 };
	struct query sel, cnt;
	const char *unread = http_query(a->r, "unread");
	int only = unread && strcmp(unread, "1") == 0;
	if (api_page(a, &p, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	int64_t n = unread_count(a);
	query_init(&sel, "SELECT n.id, n.kind, n.entity, n.entity_id, n.title, n.text, n.created_at, x.read_at");
	query_init(&cnt, "SELECT COUNT(*)");
	from(a, &sel, only);
	from(a, &cnt, only);
	query_add(&sel, " ORDER BY n.id DESC LIMIT ? OFFSET ?", "ii", p.limit, p.offset);
	db_stmt *st = query_prepare(a->db, &sel);
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, fix(a, api_row(st, cols)));
	db_done(st);
	st = query_prepare(a->db, &cnt);
	int64_t total = rc == DB_DONE && db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	query_free(&sel);
	query_free(&cnt);
	if (total < 0 || n < 0) {
		json_decref(items);
		api_error(a, 500, "store_error", NULL, "查询失败: %s", db_errmsg(a->db));
		return;
	}
	api_json(a, 200, json_pack("{s:o, s:I, s:I}", "items", items, "total", (json_int_t)total, "unread", (json_int_t)n));
}

/* {"ids":[…]} marks those read, {"all":true} every one; the caller's own
 * only (another user's id changes nothing). Answers the unread count. */
static void mark_read(struct api *a)
{
	struct fz_err e = { 0 };
	json_t *ids = json_object_get(a->body, "ids");
	int all = 0;
	if (api_bool(a, "all", "全部", &all, &e) != 0 || (!all && (!json_is_array(ids) || json_array_size(ids) == 0 ||
								 json_array_size(ids) > READ_MAX_IDS))) {
		if (!e.code)
			fz_invalid(&e, "ids", "通知编号应为 1 至 %d 个编号的数组，或以“全部”标为已读", READ_MAX_IDS);
		api_fail(a, &e);
		return;
	}
	struct query q;
	query_init(&q, "UPDATE notifications");
	query_add(&q, " SET read_at = ? WHERE read_at IS NULL AND user_id = ?", "ii", (int64_t)time(NULL), a->user.id);
	if (!all) {
		size_t i;
		json_t *v;
		query_raw(&q, " AND notice_id IN (0");
		json_array_foreach(ids, i, v) {
			if (!json_is_integer(v)) {
				query_free(&q);
				api_error(a, 422, "invalid", "ids", "通知编号第 %zu 项应为整数", i + 1);
				return;
			}
			query_add(&q, ", ?", "i", (int64_t)json_integer_value(v));
		}
		query_raw(&q, ")");
	}
	db_stmt *st = query_prepare(a->db, &q);
	int rc = db_step(st);
	int64_t changed = db_changes(st);
	db_done(st);
	query_free(&q);
	int64_t n = rc == DB_DONE ? unread_count(a) : -1;
	if (n < 0 || (changed > 0 && api_audit(a, "read", "notification", 0, "ok",
					       json_pack("{s:I, s:b}", "count", (json_int_t)changed, "all", all)) != 0)) {
		api_error(a, 500, "store_error", NULL, "保存失败: %s", db_errmsg(a->db));
		return;
	}
	api_json(a, 200, json_pack("{s:I}", "unread", (json_int_t)n));
}

API_ROUTES(notifications,
	   { "GET", "/api/v1/notifications", list, 0, R_SIGNED_IN },
	   { "POST", "/api/v1/notifications/read", mark_read, 0, R_SIGNED_IN, 0, FIELDS("ids", "all") })
