/*
 * benchmarks.c — /api/v1/benchmarks: the 裁量基准 versions (shipped and
 * loaded), one version's violations with circumstances, ranges and lenient
 * list, loading a version (a top-level act, audited, line-numbered errors)
 * and the check a case form makes of a proposed decision.
 */
#include "api.h"

#include <stdio.h>
#include <string.h>

#include "discretion_store.h"
#include "fields.h"

static void benchmarks(struct api *a)
{
	api_items(a, discretion_versions(a->db));
}

static json_t *range_json(const struct discretion_range *r)
{
	static const char *const kinds[] = { [RANGE_NO_FINE] = "none", [RANGE_FIXED] = "fixed",
					     [RANGE_MULTIPLE] = "multiple" };
	char text[160];
	json_t *o = json_pack("{s:s, s:s}", "kind", kinds[r->kind], "text", discretion_range_text(r, text, sizeof text));
	if (r->kind == RANGE_FIXED) {
		json_object_set_new(o, "lo_fen", json_integer(r->lo));
		json_object_set_new(o, "hi_fen", json_integer(r->hi));
	} else if (r->kind == RANGE_MULTIPLE) {
		/* parts per 10000 of the base: 10 倍 = 100000, 5% = 500 */
		json_object_set_new(o, "base", json_string(r->base));
		json_object_set_new(o, "lo_per_10000", json_integer(r->lo));
		json_object_set_new(o, "hi_per_10000", json_integer(r->hi));
	}
	return o;
}

static json_t *lenient_json(const struct discretion_violation *v)
{
	json_t *out = json_array();
	for (int i = 0; i < v->nlenient; i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "kind", discretion_lenient_label(v->lenient[i].kind),
						     "condition", v->lenient[i].condition, "basis", v->lenient[i].basis));
	return out;
}

static json_t *violation_json(const struct discretion_violation *v)
{
	json_t *circ = json_array();
	for (int i = 0; i < v->ncirc; i++) {
		const struct discretion_circumstance *c = &v->circ[i];
		json_array_append_new(circ, json_pack("{s:s, s:s, s:s, s:o, s:s}", "code", c->code, "text", c->text,
						      "category", discretion_category_label(c->category), "range",
						      range_json(&c->range), "measures", c->measures));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "code", v->code, "name", v->name, "sector", v->sector,
			 "prohibition", v->prohibition, "penalty", v->penalty, "circumstances", circ, "lenient",
			 lenient_json(v));
}

/* The version asked for by ?version= (NULL: the newest). */
static const char *query_version(struct api *a)
{
	const char *v = http_query(a->r, "version");
	return v && *v ? v : NULL;
}

static void benchmark_get(struct api *a)
{
	struct fz_err e = { 0 };
	struct discretion_benchmark *b = discretion_get(a->db, a->param[0], query_version(a), &e);
	if (!b) {
		api_fail(a, &e);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < b->n; i++)
		json_array_append_new(items, violation_json(&b->v[i]));
	api_json(a, 200, json_pack("{s:s, s:s, s:s, s:o}", "id", b->id, "version", b->version, "name", b->name,
				   "violations", items));
	discretion_free(b);
}

#define TOP_REFUSAL "只有管辖范围为最高一级行政区划（全部辖区）的协调员可以加载裁量基准"
static int guard_load(struct api *a) { return api_require_top(a, "create", "discretion_benchmark", TOP_REFUSAL); }

static void benchmark_load(struct api *a)
{
	struct fz_err e = { 0 };
	const char *text;
	json_t *problems = json_array(), *saved = NULL;
	if (api_file_text(a, "text", "裁量基准文本", DISCRETION_MAX_FILE, &text, &e)) {
		json_decref(problems);
		api_fail(a, &e);
		return;
	}
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = discretion_save(a->db, text, a->user.id, problems, &saved, &e);
	if (rc == 0)
		rc = api_audit(a, "create", "discretion_benchmark", 0, "ok",
			       json_pack("{s:O, s:O, s:O, s:O}", "id", json_object_get(saved, "id"), "version",
					 json_object_get(saved, "version"), "name", json_object_get(saved, "name"),
					 "violations", json_object_get(saved, "violations")));
	if (rc != 0 || db_commit(a->db) != 0) {
		db_rollback(a->db);
		json_decref(saved);
		if (!e.code)
			fz_store(&e, a->db);
		if (e.status < 500)
			api_audit(a, "create", "discretion_benchmark", 0, "refused",
				  json_pack("{s:s, s:s}", "code", e.code, "reason", e.msg));
		json_t *err = json_pack("{s:s, s:s, s:o}", "code", e.code, "message", e.msg, "problems", problems);
		if (e.field)
			json_object_set_new(err, "field", json_string(e.field));
		api_json(a, e.status, json_pack("{s:o}", "error", err));
		return;
	}
	json_decref(problems);
	api_json(a, 201, saved);
}

/* The check's input; labels name the fields in Chinese. */
static int decision_read(struct api *a, struct discretion_decision *d, const char **version, struct fz_err *e)
{
	static const char *const categories[] = { "不予处罚", "减轻", "从轻", "一般", "从重", NULL };
	const char *cat = NULL;
	memset(d, 0, sizeof *d);
	d->base_fen = -1;
	if (api_str(a, "version", "版本", 0, DISCRETION_MAX_ID - 1, version, e) ||
	    api_str(a, "violation", "违法行为编码", 1, DISCRETION_MAX_ID - 1, &d->violation, e) ||
	    api_str(a, "circumstance", "裁量情形", 0, DISCRETION_MAX_ID - 1, &d->circumstance, e) ||
	    field_enum(a->body, "category", "裁量阶次", 1, categories, &cat, e) ||
	    api_int(a, "amount_fen", "罚款金额（分）", 0, 0, DISCRETION_MAX_FEN, &d->amount_fen, e) ||
	    api_int(a, "base_fen", "计算基数（分）", 0, 0, DISCRETION_MAX_FEN, &d->base_fen, e) ||
	    field_text(a->body, "reason", "裁量理由", 0, 2000, &d->reason, e))
		return -1;
	d->category = discretion_category_parse(cat);
	return 0;
}

/* POST …/{id}/check: what the benchmark proposes for the violation (and
 * circumstance) and whether the proposed decision is inside it. A decision
 * outside without a reason, or of a category without ground, is answered
 * 200 with that verdict: the form shows it; the case register refuses it. */
static void benchmark_check(struct api *a)
{
	struct fz_err e = { 0 };
	struct discretion_decision d;
	struct discretion_result r;
	const char *version = NULL;
	if (decision_read(a, &d, &version, &e)) {
		api_fail(a, &e);
		return;
	}
	struct discretion_benchmark *b = discretion_get(a->db, a->param[0], version, &e);
	if (!b) {
		api_fail(a, &e);
		return;
	}
	const char *verdict = "within";
	if (discretion_check(b, &d, &r, &e) != 0) {
		if (strcmp(e.code, "benchmark_reason_required") == 0)
			verdict = "reason_required";
		else if (strcmp(e.code, "benchmark_category_not_allowed") == 0)
			verdict = "category_not_allowed";
		else {
			discretion_free(b);
			api_fail(a, &e);
			return;
		}
	} else if (r.verdict == DISCRETION_OUTSIDE) {
		verdict = "outside";
	}
	const struct discretion_violation *v = discretion_find(b, d.violation);
	const struct discretion_circumstance *c = discretion_circumstance(v, d.circumstance);
	json_t *proposed = json_pack("{s:s, s:o, s:o}", "category", discretion_category_label(r.proposed_category),
				     "lo_fen", r.has_range ? json_integer(r.proposed_lo) : json_null(), "hi_fen",
				     r.has_range ? json_integer(r.proposed_hi) : json_null());
	if (c)
		json_object_set_new(proposed, "range", range_json(&c->range));
	api_json(a, 200, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "benchmark", b->id, "version", b->version,
				   "violation", v->code, "verdict", verdict, "message",
				   strcmp(verdict, "within") == 0 ? "" : e.code ? e.msg : r.why, "proposed", proposed,
				   "lenient", lenient_json(v)));
	discretion_free(b);
}

API_ROUTES(benchmarks,
	{ "GET", "/api/v1/benchmarks", benchmarks, PERM_RECORD_READ, 0 },
	{ "POST", "/api/v1/benchmarks", benchmark_load, PERM_EVAL_RUN, 0, 0, FIELDS("text"), guard_load },
	{ "GET", "/api/v1/benchmarks/{id}", benchmark_get, PERM_RECORD_READ, 0 },
	{ "POST", "/api/v1/benchmarks/{id}/check", benchmark_check, PERM_RECORD_READ, 0, 0,
	  FIELDS("version", "violation", "circumstance", "category", "amount_fen", "base_fen", "reason") })
