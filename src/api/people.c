/* people.c — /api/v1/people: staff and enforcement officers with their
 * certificates (执法证), scoped by region and body. */
#include "api.h"
#include "cntime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "org.h"
#include "training.h"

static const struct list_col cols[] = {
	{ "id", "编号", 1 }, { "name", "姓名", 0 }, { "title", "职务", 0 }, { "body_id", "机关编号", 1 },
	{ "body_code", "机关编码", 0 }, { "body_name", "所在机关", 0 }, { "cert_no", "执法证号", 0 },
	{ "cert_issuer", "发证机关", 0 }, { "cert_valid_from", "有效期起", 0 },
	{ "cert_valid_until", "有效期至", 0 }, { "cert_status", "证件状态", 0 }, { NULL, NULL, 0 },
};

static void from(struct api *a, struct query *q, int counting)
{
	query_raw(q, counting ? " FROM people p WHERE 1 = 1"
			      : " FROM people p JOIN bodies b ON b.id = p.body_id WHERE 1 = 1");
	scope_filter(q, &a->user, "p.region_path", "p.body_id");
}

/* Today, and the last day a certificate ending counts as expiring (the
 * setting cert_expiry_warn_days). */
static void cert_days(struct api *a, char today[11], char soon[11])
{
	struct date d;
	cn_today(today);
	date_parse(today, &d);
	date_format(date_from_days(date_to_days(d) + a->app->cfg.cert_expiry_warn_days), soon);
}

/* A certificate is valid when active and today lies within its dates;
 * expiring when valid and ending within the warning days. */
static json_t *fix(struct api *a, json_t *o)
{
	char today[11], soon[11];
	const char *st = json_string_value(json_object_get(o, "cert_status"));
	const char *from = json_string_value(json_object_get(o, "cert_valid_from"));
	const char *until = json_string_value(json_object_get(o, "cert_valid_until"));
	cert_days(a, today, soon);
	int valid = st && strcmp(st, "active") == 0 && from && until && strcmp(from, today) <= 0 &&
		    strcmp(today, until) <= 0;
	json_object_set_new(o, "cert_valid", json_boolean(valid));
	json_object_set_new(o, "cert_expiring", json_boolean(valid && strcmp(until, soon) <= 0));
	/* an officer's training this year against the yearly minimum */
	int64_t hours = json_object_get(o, "cert_no") && !json_is_null(json_object_get(o, "cert_no"))
				? training_hours(a->db, json_integer_value(json_object_get(o, "id")), today) : -1;
	if (hours >= 0) {
		json_object_set_new(o, "training_hours", json_integer(hours));
		json_object_set_new(o, "training_met", json_boolean(hours >= a->app->cfg.training_min_hours));
	}
	return o;
}

static int filters(struct api *a, struct query *q, struct fz_err *e)
{
	const char *region = http_query(a->r, "region"), *kw = http_query(a->r, "q");
	const char *officer = http_query(a->r, "officer");
	int64_t body;
	if (api_query_id(a, "body", &body, e) != 0)
		return -1;
	if (region && *region && scope_region_filter(q, a->db, "p.region_path", region, e) != 0)
		return -1;
	if (body)
		query_add(q, " AND p.body_id = ?", "i", body);
	if (officer && *officer == '1')
		query_raw(q, " AND p.cert_no IS NOT NULL");
	const char *cert = http_query(a->r, "cert");
	char today[11], soon[11];
	cert_days(a, today, soon);
	if (cert && strcmp(cert, "expiring") == 0)
		query_add(q, " AND p.cert_status = 'active' AND p.cert_valid_from <= ? AND p.cert_valid_until >= ?"
			     " AND p.cert_valid_until <= ?", "sss", today, today, soon);
	else if (cert && strcmp(cert, "expired") == 0)
		query_add(q, " AND p.cert_status = 'active' AND p.cert_valid_until < ?", "s", today);
	else if (cert && *cert)
		return fz_fail(e, 400, "bad_param", "cert", "参数 cert 应为 expiring（即将到期）或 expired（已过期）");
	const char *training = http_query(a->r, "training");
	if (training && strcmp(training, "below") == 0) { /* officers below this year's training minimum */
		char first[16];
		snprintf(first, sizeof first, "%.4s-01-01", today);
		query_add(q, " AND p.cert_no IS NOT NULL" TRAINING_BELOW_SQL, "ssi", first, today,
			  (int64_t)a->app->cfg.training_min_hours);
	} else if (training && *training)
		return fz_fail(e, 400, "bad_param", "training", "参数 training 应为 below（培训学时未达标）");
	if (kw && *kw) {
		char *pat = query_like_pattern(kw);
		q->failed |= !pat; /* no memory: the query is never run */
		query_add(q, " AND (p.name LIKE ? ESCAPE '\\' OR p.cert_no LIKE ? ESCAPE '\\')", "ss", pat, pat);
		free(pat);
	}
	return 0;
}

static const struct api_resource people = {
	.select = "SELECT p.id, p.name, p.title, p.body_id, b.code, b.name, p.cert_no, p.cert_issuer,"
		  " p.cert_valid_from, p.cert_valid_until, p.cert_status",
	.from = from, .filters = filters, .id_col = "p.id", .order = "p.body_id, p.id",
	.cols = cols, .sheet = "执法人员", .fix = fix,
};

static void list(struct api *a) { api_resource_list(a, &people); }
static void show(struct api *a, int64_t id, int status) { api_resource_show(a, &people, id, status); }
static void get(struct api *a) { api_resource_get(a, &people); }

static void create(struct api *a) { api_org_create(a, org_person_put, show); }

static void update(struct api *a)
{
	int64_t id = api_param_id(a, 0);
	if (id <= 0)
		return;
	struct query q;
	query_init(&q, "SELECT p.name, b.code, p.title, p.cert_no, p.cert_issuer, p.cert_valid_from,"
		     " p.cert_valid_until, p.cert_status");
	from(a, &q, 0);
	query_add(&q, " AND p.id = ?", "i", id);
	static const char *const keys[] = { "name", "body", "title", "cert_no", "cert_issuer",
					    "cert_valid_from", "cert_valid_until", "cert_status" };
	db_stmt *st = query_prepare(a->db, &q);
	json_t *cur = NULL;
	if (st && db_step(st) == DB_ROW) {
		cur = json_object();
		for (int i = 0; i < 8; i++)
			if (!db_col_isnull(st, i) && *db_col_text(st, i))
				json_object_set_new(cur, keys[i], json_string(db_col_text(st, i)));
	}
	db_done(st);
	query_free(&q);
	if (!cur)
		api_not_found(a);
	else
		api_org_update(a, id, cur, org_person_put, show);
}

API_ROUTES(people,
	{ "GET", "/api/v1/people", list, PERM_ORG_READ, 0 },
	{ "POST", "/api/v1/people", create, PERM_PEOPLE_WRITE, 0, 0, org_person_fields },
	{ "GET", "/api/v1/people/{id}", get, PERM_ORG_READ, 0 },
	{ "PATCH", "/api/v1/people/{id}", update, PERM_PEOPLE_WRITE, 0, 0, org_person_fields })
