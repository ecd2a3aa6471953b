/*
 * disclosure_public.c — the public disclosure of penalty decisions (no
 * login): /api/v1/public/penalties lists the published decisions not
 * withdrawn, newest first, 20 a page; …/{id} shows one; …/withdrawn lists
 * the withdrawn ones with the kind, date and reason, without their
 * content — and those whose publication period has ended (the setting
 * disclose_keep_months, 市场监督管理行政处罚信息公示规定 第十三条) as
 * 公示期满. Everything is read from penalty_disclosures — the views as
 * published, masked when they were — never from the cases.
 */
#include "api/api.h"

#include <string.h>

#include "cntime.h"
#include "domain/enforcement_case/enforcement_case.h"

#define PUBLIC_PAGE 20

/* The last publication day whose period has ended by today: today less
 * the setting's months (the same day, or the month's last). */
static void expired_through(struct api *a, char out[DATE_STR])
{
	char today[DATE_STR];
	struct date d;
	int months = register_setting(register_find("enforcement_case"), &a->app->cfg, "disclose_keep_months");
	cn_today(today);
	date_parse(today, &d);
	int m = d.year * 12 + (d.month - 1) - months;
	d.year = m / 12, d.month = m % 12 + 1;
	while (!date_valid(d))
		d.day--;
	date_format(d, out);
}

/* The page asked for (?page=N, 20 a page); -1 with 400 answered. */
static int page_of(struct api *a, struct page *p)
{
	struct fz_err e = { 0 };
	if (api_page(a, p, &e) != 0) {
		api_fail(a, &e);
		return -1;
	}
	p->limit = PUBLIC_PAGE;
	p->offset = (p->page - 1) * PUBLIC_PAGE;
	return 0;
}

/* Runs a listing of sql (its columns: id, published_on, then text
 * columns named by keys; $1 limit, $2 offset, $3 the last expired
 * publication day) with the count ($1 that day); content parsed as JSON. */
static void listing(struct api *a, const char *sql, const char *count, const char *const *keys)
{
	struct page p;
	int64_t total = 0;
	char expired[DATE_STR];
	if (page_of(a, &p) != 0)
		return;
	expired_through(a, expired);
	json_t *items = json_array();
	db_stmt *st = db_prepare(a->db, sql);
	db_bind_int(st, 1, p.limit);
	db_bind_int(st, 2, p.offset);
	db_bind_text(st, 3, expired);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *o = json_pack("{s:I}", "id", (json_int_t)db_col_int(st, 0));
		for (int i = 0; keys[i]; i++) {
			const char *v = db_col_text(st, i + 1);
			json_t *j = strcmp(keys[i], "content") == 0 && v ? json_loads(v, 0, NULL) : v ? json_string(v) : json_null();
			json_object_set_new(o, keys[i], j ? j : json_null());
		}
		json_array_append_new(items, o);
	}
	db_done(st);
	if (rc != DB_DONE || db_lookup_int(a->db, count, &total, 1, expired) < 0) {
		json_decref(items);
		api_items(a, NULL);
		return;
	}
	api_json(a, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
}

static void list(struct api *a)
{
	static const char *const keys[] = { "published_on", "content", NULL };
	listing(a,
		"SELECT id, published_on, content FROM penalty_disclosures WHERE withdrawn_at IS NULL AND published_on > $3"
		" ORDER BY published_on DESC, id DESC LIMIT $1 OFFSET $2",
		"SELECT COUNT(*) FROM penalty_disclosures WHERE withdrawn_at IS NULL AND published_on > $1", keys);
}

static void withdrawn(struct api *a)
{
	static const char *const keys[] = { "published_on", "withdrawn_on", "withdraw_kind", "withdraw_reason", NULL };
	listing(a,
		"SELECT id, published_on, withdrawn_on, COALESCE(withdraw_kind, '公示期满'),"
		" COALESCE(withdraw_reason, '自公示之日起公示期限届满，停止公示') FROM penalty_disclosures"
		" WHERE withdrawn_at IS NOT NULL OR published_on <= $3"
		" ORDER BY COALESCE(withdrawn_on, published_on) DESC, id DESC LIMIT $1 OFFSET $2",
		"SELECT COUNT(*) FROM penalty_disclosures WHERE withdrawn_at IS NOT NULL OR published_on <= $1", keys);
}

void ec_disclosure_answer(struct api *a, struct query *q, const struct list_col *cols)
{
	json_t *o = api_fetch_row(a, q, cols);
	query_free(q);
	if (!o)
		return;
	json_t *content = json_loads(json_string_value(json_object_get(o, "content")), 0, NULL);
	json_object_set_new(o, "content", content ? content : json_null());
	api_json(a, 200, o);
}

static void show(struct api *a)
{
	static const struct list_col cols[] = {
		{ "id", "编号", 1 }, { "published_on", "公示日期", 0 }, { "content", "公示内容", 0 }, { NULL, NULL, 0 },
	};
	int64_t id = api_param_id(a, 0);
	if (id <= 0)
		return;
	struct query q;
	char expired[DATE_STR];
	expired_through(a, expired);
	query_init(&q, "SELECT id, published_on, content FROM penalty_disclosures WHERE withdrawn_at IS NULL");
	query_add(&q, " AND published_on > ?", "s", expired);
	query_add(&q, " AND id = ?", "i", id);
	ec_disclosure_answer(a, &q, cols);
}

API_ROUTES(public_penalties,
	{ "GET", "/api/v1/public/penalties", list, 0, R_PUBLIC },
	{ "GET", "/api/v1/public/penalties/withdrawn", withdrawn, 0, R_PUBLIC },
	{ "GET", "/api/v1/public/penalties/{id}", show, 0, R_PUBLIC })
