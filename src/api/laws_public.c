/*
 * laws_public.c — the public law library (no login; 统一公开查询, issue 12):
 * GET /api/v1/public/laws?q=&level=&body=&status=&from=&to=&page= searches
 * the laws' titles and articles (bigram full text on both backends,
 * law_store.h) with facet counts by level and status; GET
 * /api/v1/public/laws/{id}?version= one law with its versions and the
 * articles of one. Bad input is 422 naming the parameter.
 */
#include "api/api.h"

#include <stdlib.h>

#include "law_store.h"

/* A query parameter, NULL when absent or empty. */
static const char *param(struct api *a, const char *key)
{
	const char *v = http_query(a->r, key);
	return v && *v ? v : NULL;
}

static void search(struct api *a)
{
	struct law_query lq = { .q = param(a, "q"), .level = param(a, "level"), .body = param(a, "body"),
				.status = param(a, "status"), .from = param(a, "from"), .to = param(a, "to"), .page = 1 };
	const char *page = param(a, "page"), *field;
	char why[256], *end = NULL;
	if (page) {
		long long v = strtoll(page, &end, 10);
		lq.page = end && *end == 0 && end != page && v >= 0 && v <= 1000000 ? (int64_t)v : 0;
	}
	if (law_query_check(&lq, &field, why, sizeof why) != 0) {
		api_error(a, 422, "invalid", field, "%s", why);
		return;
	}
	json_t *o = law_store_search(a->db, &lq);
	if (!o) {
		api_items(a, NULL); /* the store error */
		return;
	}
	api_json(a, 200, o);
}

static void one(struct api *a)
{
	int64_t id = api_param_id(a, 0), version = 0;
	struct fz_err e = { 0 };
	json_t *o = NULL;
	if (id <= 0)
		return;
	if (api_query_id(a, "version", &version, &e) != 0) {
		api_error(a, 422, "invalid", "version", "版本应为正整数");
		return;
	}
	int rc = law_store_get(a->db, id, version, &o);
	if (rc < 0)
		api_items(a, NULL);
	else if (rc == 0)
		api_error(a, 404, "not_found", NULL, version ? "该法律法规没有此版本" : "法律法规不存在");
	else
		api_json(a, 200, o);
}

API_ROUTES(public_laws, { "GET", "/api/v1/public/laws", search, 0, R_PUBLIC },
	   { "GET", "/api/v1/public/laws/{id}", one, 0, R_PUBLIC })
