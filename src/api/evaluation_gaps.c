/*
 * evaluation_gaps.c — POST /api/v1/evaluation/gaps: the chosen gaps of an
 * evaluation become items of the register that receives gaps (its
 * definition's "receives_gaps"), all or none, each with its body and
 * deadline.
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/eval_args.h"
#include "eval.h"
#include "record.h"

/* The item a gap becomes in the receiving register (data owned). */
static json_t *gap_item(const struct reg_def *r, json_t *res, const char *ind, int year, json_t *deadline)
{
	const struct reg_gaps *g = &r->gaps;
	char issue[512];
	snprintf(issue, sizeof issue, "%s %s（%d年度测评：得分 %.2f / %.2f）", ind,
		 json_string_value(json_object_get(res, "name")), year,
		 json_number_value(json_object_get(res, "score")), json_number_value(json_object_get(res, "max")));
	json_t *data = json_object();
	json_object_set_new(data, r->fields[g->source_field].name, json_string(g->source_value));
	json_object_set_new(data, r->fields[g->issue_field].name, json_string(issue));
	json_object_set_new(data, r->fields[g->indicator_field].name, json_string(ind));
	json_object_set(data, r->fields[r->deadline.field].name, deadline);
	return data;
}

/* Gap list → items of the register that receives gaps: one per
 * {indicator, body, deadline}, all or none. */
static void gaps_to_items(struct api *a)
{
	struct fz_err e = { 0 };
	json_t *items = json_object_get(a->body, "items"), *it;
	size_t i;
	if (!json_is_array(items) || json_array_size(items) == 0 ||
	    json_array_size(items) > 200) {
		if (!e.code)
			fz_invalid(&e, "items", "items 应为 1 到 200 个 {indicator, body, deadline} 的数组");
		api_fail(a, &e);
		return;
	}
	struct eval_args x;
	json_t *out = NULL;
	if (api_eval_args(a, json_string_value(json_object_get(a->body, "region")),
		      json_string_value(json_object_get(a->body, "period")),
		      json_string_value(json_object_get(a->body, "system")), &x) != 0)
		return;
	int rc = eval_run(a->db, x.sys, x.region, x.year, &out, &e);
	const struct reg_def *r = register_gap_receiver();
	struct rec_ctx c;
	json_t *created = json_array();
	api_rec_ctx(a, &c);
	if (rc == 0 && !r)
		rc = fz_fail(&e, 409, "no_gap_register", NULL, "没有登记簿接收指标短板（登记簿定义中未声明 receives_gaps）");
	if (rc == 0)
		rc = db_begin(a->db);
	json_array_foreach(items, i, it) {
		const char *ind = json_string_value(json_object_get(it, "indicator"));
		int k = rc == 0 && ind ? indicator_find(x.sys, ind) : -1;
		json_t *res = k >= 0 ? json_array_get(json_object_get(out, "indicators"), (size_t)k) : NULL;
		if (rc == 0 && !res)
			rc = fz_invalid(&e, "items", "第 %zu 项: 指标 %s 不存在", i + 1, ind ? ind : "(空)");
		if (rc != 0)
			break;
		json_t *data = gap_item(r, res, ind, x.year, json_object_get(it, "deadline"));
		int64_t id;
		rc = record_create(&c, r, json_string_value(json_object_get(it, "body")), NULL, data, &id, &e);
		json_decref(data);
		if (rc == 0)
			json_array_append_new(created, json_integer(id));
	}
	indicator_system_free(x.sys);
	json_decref(out);
	if (rc != 0 || db_commit(a->db) != 0) {
		db_rollback(a->db);
		json_decref(created);
		if (!e.code)
			fz_store(&e, a->db);
		api_fail(a, &e);
		return;
	}
	api_json(a, 201, json_pack("{s:o, s:I}", "created", created, "total", (json_int_t)json_array_size(created)));
}

API_ROUTES(evaluation_gaps, { "POST", "/api/v1/evaluation/gaps", gaps_to_items, PERM_EVAL_RUN, 0, 0, FIELDS("system", "region", "period", "items") })
