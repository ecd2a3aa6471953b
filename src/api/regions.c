/* regions.c — /api/v1/regions: GB/T 2260 regions, scoped to the subtree. */
#include "api.h"

#include <stdlib.h>

#include "org.h"

static const struct list_col cols[] = {
	{ "id", "编号", 1 }, { "code", "区划代码", 0 }, { "name", "名称", 0 }, { "level", "层级", 1 },
	{ "parent", "上级区划代码", 0 }, { "children", "下级区划数", 1 }, { NULL, NULL, 0 },
};

/* A user sees its scope region, the regions under it, and (for the tree)
 * the scope region as the root. */
static void from(struct api *a, struct query *q, int counting)
{
	(void)counting;
	query_raw(q, " FROM regions g WHERE 1 = 1");
	scope_filter(q, &a->user, "g.path", NULL);
}

static int filters(struct api *a, struct query *q, struct fz_err *e)
{
	const char *parent = http_query(a->r, "parent"), *root = http_query(a->r, "root");
	const char *kw = http_query(a->r, "q");
	if (parent && *parent)
		query_add(q, " AND g.parent_code = ?", "s", parent);
	if (root && *root == '1') {
		if (a->user.scope_region[0])
			query_add(q, " AND g.code = ?", "s", a->user.scope_region);
		else
			query_raw(q, " AND g.parent_code IS NULL");
	}
	if (kw && *kw) {
		char *pat = query_like_pattern(kw);
		q->failed |= !pat; /* no memory: the query is never run */
		query_add(q, " AND (g.name LIKE ? ESCAPE '\\' OR g.code LIKE ? ESCAPE '\\')", "ss", pat, pat);
		free(pat);
	}
	return 0;
}

static const struct api_resource regions = {
	.select = "SELECT g.id, g.code, g.name, g.level, g.parent_code,"
		  " (SELECT COUNT(*) FROM regions c WHERE c.parent_code = g.code)",
	.from = from, .filters = filters, .id_col = "g.id", .order = "g.code", .cols = cols, .sheet = "行政区划",
};

static void list(struct api *a) { api_resource_list(a, &regions); }
static void show(struct api *a, int64_t id, int status) { api_resource_show(a, &regions, id, status); }

static int64_t id_of(struct api *a, const char *code)
{
	struct query q;
	query_init(&q, "SELECT g.id");
	from(a, &q, 0);
	query_add(&q, " AND g.code = ?", "s", code);
	db_stmt *st = query_prepare(a->db, &q);
	int64_t id = st && db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	query_free(&q);
	return id;
}

static void get(struct api *a)
{
	int64_t id = id_of(a, a->param[0]);
	if (id)
		show(a, id, 200);
	else
		api_not_found(a);
}

static void create(struct api *a) { api_org_create(a, org_region_put, show); }

static void update(struct api *a)
{
	int64_t id = id_of(a, a->param[0]);
	if (!id) {
		api_not_found(a);
		return;
	}
	db_stmt *st = db_prepare(a->db, "SELECT code, name, parent_code FROM regions WHERE id = $1");
	db_bind_int(st, 1, id);
	json_t *cur = NULL;
	if (db_step(st) == DB_ROW) {
		cur = json_pack("{s:s, s:s}", "code", db_col_text(st, 0), "name", db_col_text(st, 1));
		if (!db_col_isnull(st, 2))
			json_object_set_new(cur, "parent", json_string(db_col_text(st, 2)));
	}
	db_done(st);
	if (a->body && (json_object_get(a->body, "code") || json_object_get(a->body, "parent"))) {
		json_decref(cur);
		api_error(a, 422, "invalid", json_object_get(a->body, "code") ? "code" : "parent",
			  "区划代码和上级区划不能修改；区划调整请新增区划");
		return;
	}
	api_org_update(a, id, cur, org_region_put, show);
}

API_ROUTES(regions,
	{ "GET", "/api/v1/regions", list, PERM_ORG_READ, 0 },
	{ "POST", "/api/v1/regions", create, PERM_ORG_WRITE, 0, 0, org_region_fields },
	{ "GET", "/api/v1/regions/{code}", get, PERM_ORG_READ, 0 },
	{ "PATCH", "/api/v1/regions/{code}", update, PERM_ORG_WRITE, 0, 0, org_region_fields })
