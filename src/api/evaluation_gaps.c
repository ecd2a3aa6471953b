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

/* The open item already made for indicator ind at body: its id (and state
 * label in state), 0 when none, -1 on a store error. One open item per
 * indicator and body: a second press of 生成整改事项 makes no duplicate. */
static int64_t open_item(db *d, const struct reg_def *r, const char *body, const char *ind, char *state, size_t n)
{
	db_stmt *st = db_prepare(d, "SELECT r.id, r.state, r.data FROM records r JOIN bodies b ON b.id = r.body_id"
				    " WHERE r.register = $1 AND b.code = $2 AND r.closed_date IS NULL ORDER BY r.id");
	int64_t found = 0;
	int rc = st ? DB_ROW : DB_ERR;
	db_bind_text(st, 1, r->name);
	db_bind_text(st, 2, body ? body : "");
	while (st && !found && (rc = db_step(st)) == DB_ROW) {
		json_t *data = json_loads(db_col_text(st, 2), 0, NULL);
		const char *v = json_string_value(json_object_get(data, r->fields[r->gaps.indicator_field].name));
		if (v && ind && strcmp(v, ind) == 0) {
			int s = register_state(r, db_col_text(st, 1));
			found = db_col_int(st, 0);
			snprintf(state, n, "%s", s >= 0 ? r->states[s].label : "");
		}
		json_decref(data);
	}
	db_done(st);
	return found ? found : rc == DB_DONE ? 0 : -1;
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
		const char *body = json_string_value(json_object_get(it, "body"));
		char state[64] = "";
		int64_t have = open_item(a->db, r, body, ind, state, sizeof state);
		if (have != 0) {
			rc = have < 0 ? fz_store(&e, a->db)
				      : fz_fail(&e, 409, "duplicate", "items", "第 %zu 项: 指标 %s 在 %s 已有未销号的%s（编号 %lld，%s），不再重复生成",
						i + 1, ind, body, r->label, (long long)have, state);
			break;
		}
		json_t *data = gap_item(r, res, ind, x.year, json_object_get(it, "deadline"));
		int64_t id;
		rc = record_create(&c, r, body, NULL, data, &id, &e);
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
