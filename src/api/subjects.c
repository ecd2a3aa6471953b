/* subjects.c — /api/v1/subjects: enterprises and natural persons
 * (行政相对人). Lists show ID numbers masked (a whole ID number searched
 * finds its person); the detail shows them in full only to roles that work
 * with subjects, within scope; a record's subject field is shown as the
 * list shows the subject (api_subject_text). */
#include "api.h"

#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "org.h"
#include "validate.h"
#include "vocab.h"

static const struct list_col cols[] = {
	{ "id", "编号", 1 }, { "kind", "类型", 0 }, { "name", "名称", 0 }, { "uscc", "统一社会信用代码", 0 },
	{ "id_number", "身份证号", 0 }, { "region", "区划代码", 0 }, { "region_name", "行政区划", 0 },
	{ "industry", "所属行业", 0 }, { "credit_grade", "信用风险分类", 0 }, { NULL, NULL, 0 },
};

static void from(struct api *a, struct query *q, int counting)
{
	query_raw(q, counting ? " FROM subjects s WHERE 1 = 1"
			      : " FROM subjects s JOIN regions r ON r.code = s.region_code WHERE 1 = 1");
	scope_filter(q, &a->user, "s.region_path", NULL);
}

static int filters(struct api *a, struct query *q, struct fz_err *e)
{
	const char *region = http_query(a->r, "region"), *kw = http_query(a->r, "q");
	const char *kind = http_query(a->r, "kind");
	if (region && *region && scope_region_filter(q, a->db, "s.region_path", region, e) != 0)
		return -1;
	if (kind && *kind)
		query_add(q, " AND s.kind = ?", "s", kind);
	if (kw && *kw) {
		char *pat = query_like_pattern(kw), digest[65] = "", why[200];
		q->failed |= !pat; /* no memory: the query is never run */
		/* a whole ID number finds its person by the keyed digest (never stored) */
		if (validate_id_number(kw, why, sizeof why) == 0)
			org_id_digest(a->app->key, kw, digest);
		query_add(q, " AND (s.name LIKE ? ESCAPE '\\' OR s.uscc LIKE ? ESCAPE '\\' OR s.id_digest = ?)", "sss", pat,
			  pat, digest);
		free(pat);
	}
	return 0;
}

/* kind_label: 自然人, or what the code says of an enterprise (个体工商户
 * is registered as a market subject but is not a company). */
static json_t *fix(struct api *a, json_t *o)
{
	(void)a;
	const char *kind = json_string_value(json_object_get(o, "kind"));
	const char *label = kind && strcmp(kind, "enterprise") == 0
				    ? uscc_category_label(json_string_value(json_object_get(o, "uscc"))) : NULL;
	if (!label)
		label = vocab_label(VOCAB_SUBJECT_KIND, kind);
	json_object_set_new(o, "kind_label", json_string(label ? label : ""));
	const char *grade = vocab_label(VOCAB_CREDIT_GRADE, json_string_value(json_object_get(o, "credit_grade")));
	json_object_set_new(o, "credit_grade_label", grade ? json_string(grade) : json_null());
	return o;
}

static const struct api_resource subjects = {
	.select = "SELECT s.id, s.kind, s.name, s.uscc, s.id_masked, s.region_code, r.name, s.industry, s.credit_grade",
	.from = from, .filters = filters, .id_col = "s.id", .order = "s.id", .cols = cols, .sheet = "行政相对人",
	.fix = fix,
};

static void list(struct api *a) { api_resource_list(a, &subjects); }

json_t *api_subject_text(struct api *a, int64_t id)
{
	struct query q;
	json_t *out = NULL;
	if (!role_can(a->user.role, PERM_SUBJECT_READ))
		return NULL;
	query_init(&q, "SELECT s.name, COALESCE(s.uscc, s.id_masked, '') FROM subjects s WHERE 1 = 1");
	scope_filter(&q, &a->user, "s.region_path", NULL);
	query_add(&q, " AND s.id = ?", "i", id);
	db_stmt *st = query_prepare(a->db, &q);
	if (st && db_step(st) == DB_ROW)
		out = *db_col_text(st, 1) ? json_sprintf("%s（%s）", db_col_text(st, 0), db_col_text(st, 1))
					  : json_string(db_col_text(st, 0));
	db_done(st);
	query_free(&q);
	return out;
}

static void show(struct api *a, int64_t id, int status)
{
	struct query q;
	query_init(&q, subjects.select);
	from(a, &q, 0);
	query_add(&q, " AND s.id = ?", "i", id);
	json_t *o = api_fetch_row(a, &q, cols);
	query_free(&q);
	if (!o)
		return;
	o = fix(a, o);
	if (role_can(a->user.role, PERM_SUBJECT_PII)) {
		char *idn = org_subject_id_number(a->db, a->app->key, id);
		if (idn) {
			/* No unaudited read of a full ID number. */
			int audited = api_audit(a, "read_pii", "subject", id, "ok", NULL) == 0;
			if (audited)
				json_object_set_new(o, "id_number", json_string(idn));
			crypto_wipe(idn, strlen(idn));
			free(idn);
			if (!audited) {
				json_decref(o);
				api_error(a, 500, "audit_failed", NULL, "审计日志写入失败，未返回身份证号");
				return;
			}
		}
	}
	api_json(a, status, o);
}

static void get(struct api *a)
{
	int64_t id = api_param_id(a, 0);
	if (id > 0)
		show(a, id, 200);
}

static void create(struct api *a) { api_org_create(a, org_subject_put, show); }

static void update(struct api *a)
{
	int64_t id = api_param_id(a, 0);
	if (id <= 0)
		return;
	struct query q;
	query_init(&q, "SELECT s.kind, s.name, s.uscc, s.region_code, s.industry, s.credit_grade");
	from(a, &q, 0);
	query_add(&q, " AND s.id = ?", "i", id);
	db_stmt *st = query_prepare(a->db, &q);
	json_t *cur = NULL;
	if (st && db_step(st) == DB_ROW) {
		cur = json_pack("{s:s, s:s, s:s}", "kind", db_col_text(st, 0), "name", db_col_text(st, 1),
				"region", db_col_text(st, 3));
		for (int i = 2; i <= 5; i += 1 + (i == 2)) /* uscc, industry, credit_grade: absent when NULL */
			if (!db_col_isnull(st, i))
				json_object_set_new(cur, i == 2 ? "uscc" : i == 4 ? "industry" : "credit_grade",
						    json_string(db_col_text(st, i)));
	}
	db_done(st);
	query_free(&q);
	if (!cur) {
		api_not_found(a);
		return;
	}
	char *idn = org_subject_id_number(a->db, a->app->key, id);
	if (idn) {
		json_object_set_new(cur, "id_number", json_string(idn));
		crypto_wipe(idn, strlen(idn));
		free(idn);
	}
	api_org_update(a, id, cur, org_subject_put, show);
}

/* Creates refused as duplicates of a subject outside the requester's
 * scope (org.h: struct org_review), for a coordinator whose scope holds
 * both the requested region and the existing subject's. */
static const struct list_col review_cols[] = {
	{ "id", "核实单号", 1 }, { "field", "重复字段", 0 }, { "existing_id", "已登记相对人编号", 1 },
	{ "existing_name", "已登记相对人名称", 0 }, { "existing_region", "已登记区划代码", 0 },
	{ "requested_region", "申请登记区划代码", 0 }, { "requested_name", "申请登记名称", 0 },
	{ "requested_by", "申请人", 0 }, { "created_at", "申请时间", 1 }, { NULL, NULL, 0 },
};

static void review_from(struct api *a, struct query *q, int counting)
{
	query_raw(q, counting ? " FROM duplicate_reviews d WHERE 1 = 1"
			      : " FROM duplicate_reviews d JOIN subjects s ON s.id = d.existing_id"
				" JOIN users u ON u.id = d.requested_by WHERE 1 = 1");
	scope_filter(q, &a->user, "d.requested_path", NULL);
	scope_filter(q, &a->user, "d.existing_path", NULL);
}

static const struct api_resource reviews = {
	.select = "SELECT d.id, d.field, d.existing_id, s.name, s.region_code, d.requested_region, d.requested_name,"
		  " u.username, d.created_at",
	.from = review_from, .id_col = "d.id", .order = "d.id DESC", .cols = review_cols, .sheet = "重复登记核实",
};

static void duplicate_reviews(struct api *a) { api_resource_list(a, &reviews); }

API_ROUTES(subjects,
	{ "GET", "/api/v1/duplicate-reviews", duplicate_reviews, PERM_SUBJECT_REVIEW, 0 },
	{ "GET", "/api/v1/subjects", list, PERM_SUBJECT_READ, 0 },
	{ "POST", "/api/v1/subjects", create, PERM_SUBJECT_WRITE, 0, 0, org_subject_fields },
	{ "GET", "/api/v1/subjects/{id}", get, PERM_SUBJECT_READ, 0 },
	{ "PATCH", "/api/v1/subjects/{id}", update, PERM_SUBJECT_WRITE, 0, 0, org_subject_fields })
