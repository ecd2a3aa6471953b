/* bodies.c — /api/v1/bodies: the bodies (机关) tree, scoped. */
#include "api.h"

#include <stdlib.h>

#include "org.h"

static const struct list_col cols[] = {
	{ "id", "编号", 1 }, { "code", "机关编码", 0 }, { "name", "机关名称", 0 }, { "kind", "类型", 0 },
	{ "region", "区划代码", 0 }, { "region_name", "行政区划", 0 }, { "parent_id", "上级机关编号", 1 },
	{ "parent_code", "上级机关编码", 0 }, { NULL, NULL, 0 },
};

static void from(struct api *a, struct query *q, int counting)
{
	query_raw(q, counting ? " FROM bodies b WHERE 1 = 1"
			      : " FROM bodies b JOIN regions r ON r.code = b.region_code"
				" LEFT JOIN bodies p ON p.id = b.parent_id WHERE 1 = 1");
	scope_filter(q, &a->user, "b.region_path", "b.id");
}

static int filters(struct api *a, struct query *q, struct fz_err *e)
{
	const char *region = http_query(a->r, "region"), *kind = http_query(a->r, "kind");
	const char *kw = http_query(a->r, "q");
	int64_t parent;
	if (api_query_id(a, "parent", &parent, e) != 0)
		return -1;
	if (region && *region && scope_region_filter(q, a->db, "b.region_path", region, e) != 0)
		return -1;
	if (kind && *kind)
		query_add(q, " AND b.kind = ?", "s", kind);
	if (parent)
		query_add(q, " AND b.parent_id = ?", "i", parent);
	if (kw && *kw) {
		char *pat = query_like_pattern(kw);
		q->failed |= !pat; /* no memory: the query is never run */
		query_add(q, " AND (b.name LIKE ? ESCAPE '\\' OR b.code LIKE ? ESCAPE '\\')", "ss", pat, pat);
		free(pat);
	}
	return 0;
}

static const struct api_resource bodies = {
	.select = "SELECT b.id, b.code, b.name, b.kind, b.region_code, r.name, b.parent_id, p.code",
	.from = from, .filters = filters, .id_col = "b.id", .order = "b.region_path, b.id",
	.cols = cols, .sheet = "机关",
};

static void list(struct api *a) { api_resource_list(a, &bodies); }
static void show(struct api *a, int64_t id, int status) { api_resource_show(a, &bodies, id, status); }
static void get(struct api *a) { api_resource_get(a, &bodies); }

static void create(struct api *a) { api_org_create(a, org_body_put, show); }

static void update(struct api *a)
{
	int64_t id = api_param_id(a, 0);
	if (id <= 0)
		return;
	struct query q;
	query_init(&q, "SELECT b.code, b.name, b.kind, b.region_code, p.code");
	from(a, &q, 0);
	query_add(&q, " AND b.id = ?", "i", id);
	db_stmt *st = query_prepare(a->db, &q);
	json_t *cur = NULL;
	if (st && db_step(st) == DB_ROW) {
		cur = json_pack("{s:s, s:s, s:s, s:s}", "code", db_col_text(st, 0), "name", db_col_text(st, 1),
				"kind", db_col_text(st, 2), "region", db_col_text(st, 3));
		if (!db_col_isnull(st, 4))
			json_object_set_new(cur, "parent", json_string(db_col_text(st, 4)));
	}
	db_done(st);
	query_free(&q);
	if (!cur)
		api_not_found(a);
	else
		api_org_update(a, id, cur, org_body_put, show);
}

API_ROUTES(bodies,
	{ "GET", "/api/v1/bodies", list, PERM_ORG_READ, 0 },
	{ "POST", "/api/v1/bodies", create, PERM_ORG_WRITE, 0, 0, org_body_fields },
	{ "GET", "/api/v1/bodies/{id}", get, PERM_ORG_READ, 0 },
	{ "PATCH", "/api/v1/bodies/{id}", update, PERM_ORG_WRITE, 0, 0, org_body_fields })
