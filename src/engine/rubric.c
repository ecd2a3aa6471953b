/* rubric.c — the 案卷评查 rubric: parsing the shipped JSON and checking a
 * reviewer's score against it (rubric.h). */
#include "rubric.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "embedded.h"
#include "fields.h"

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? s : NULL;
}

static int fail(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return -1;
}

static int parse_item(json_t *o, struct rubric_item *it, char *why, size_t n)
{
	json_t *ds = json_object_get(o, "deductions"), *d;
	size_t i;
	it->code = str(o, "code");
	it->name = str(o, "name");
	it->points = (int)json_integer_value(json_object_get(o, "points"));
	if (!it->code || !it->name)
		return fail(why, n, "评分项缺少 code 或 name");
	if (it->points < 1 || it->points > RUBRIC_TOTAL)
		return fail(why, n, "评分项「%s」: points 应为 1 到 100 的整数", it->name);
	if (!json_is_array(ds) || json_array_size(ds) == 0 || json_array_size(ds) > RUBRIC_MAX_DEDUCTIONS)
		return fail(why, n, "评分项「%s」: deductions 应为 1 到 %d 个扣分项", it->name, RUBRIC_MAX_DEDUCTIONS);
	json_array_foreach(ds, i, d) {
		struct rubric_deduction *x = &it->d[it->nd++];
		x->code = str(d, "code");
		x->text = str(d, "text");
		x->points = (int)json_integer_value(json_object_get(d, "points"));
		if (!x->code || !x->text || x->points < 1 || x->points > it->points)
			return fail(why, n, "评分项「%s」: 扣分项应有 code、text 和 1 到该项分值的 points（%s）", it->name,
				    x->code ? x->code : "");
		for (int k = 0; k < it->nd - 1; k++)
			if (strcmp(it->d[k].code, x->code) == 0)
				return fail(why, n, "评分项「%s」: 扣分项编码 %s 重复", it->name, x->code);
	}
	return 0;
}

int rubric_parse(const char *text, struct rubric *r, char *why, size_t n)
{
	json_error_t je;
	json_t *items, *o;
	size_t i;
	int sum = 0;
	memset(r, 0, sizeof *r);
	r->src = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (!r->src)
		return fail(why, n, "第 %d 行 JSON 错误: %s", je.line, je.text);
	r->id = str(r->src, "id");
	r->version = str(r->src, "version");
	r->name = str(r->src, "name");
	r->basis = str(r->src, "basis");
	r->pass_basis = str(r->src, "pass_basis");
	r->pass = (int)json_integer_value(json_object_get(r->src, "pass"));
	if (!r->id || !r->version || !r->name || !r->basis || !r->pass_basis)
		return fail(why, n, "评分标准缺少 id、version、name、basis 或 pass_basis");
	if (r->pass < 1 || r->pass > RUBRIC_TOTAL)
		return fail(why, n, "pass（合格线）应为 1 到 100 的整数");
	items = json_object_get(r->src, "items");
	if (!json_is_array(items) || json_array_size(items) == 0 || json_array_size(items) > RUBRIC_MAX_ITEMS)
		return fail(why, n, "items 应为 1 到 %d 个评分项", RUBRIC_MAX_ITEMS);
	json_array_foreach(items, i, o) {
		struct rubric_item *it = &r->items[r->nitems++];
		if (parse_item(o, it, why, n) != 0)
			return -1;
		for (int k = 0; k < r->nitems - 1; k++)
			if (strcmp(r->items[k].code, it->code) == 0)
				return fail(why, n, "评分项编码 %s 重复", it->code);
		sum += it->points;
	}
	if (sum != RUBRIC_TOTAL)
		return fail(why, n, "各评分项分值合计 %d 分，应为 %d 分", sum, RUBRIC_TOTAL);
	return 0;
}

void rubric_free(struct rubric *r)
{
	json_decref(r->src);
	r->src = NULL;
}

static struct rubric shipped[4];
static int nshipped = -1;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* A shipped file that fails to parse is a build fault: the unit test
 * parses each one; here it is left out. */
static void load_shipped(void)
{
	char why[256];
	nshipped = 0;
	for (int i = 0; i < rubric_files_count && nshipped < (int)(sizeof shipped / sizeof shipped[0]); i++)
		if (rubric_parse(rubric_files[i].text, &shipped[nshipped], why, sizeof why) == 0)
			nshipped++;
		else
			rubric_free(&shipped[nshipped]);
}

const struct rubric *rubric_shipped(const char *id, const char *version)
{
	pthread_once(&once, load_shipped);
	for (int i = 0; i < nshipped; i++)
		if ((!id || strcmp(shipped[i].id, id) == 0) && (!version || strcmp(shipped[i].version, version) == 0))
			return &shipped[i];
	return NULL;
}

json_t *rubric_json(const struct rubric *r)
{
	json_t *items = json_array();
	for (int i = 0; i < r->nitems; i++) {
		const struct rubric_item *it = &r->items[i];
		json_t *ds = json_array();
		for (int k = 0; k < it->nd; k++)
			json_array_append_new(ds, json_pack("{s:s, s:s, s:i}", "code", it->d[k].code, "text", it->d[k].text,
							    "points", it->d[k].points));
		json_array_append_new(items, json_pack("{s:s, s:s, s:i, s:o}", "code", it->code, "name", it->name,
						       "points", it->points, "deductions", ds));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:o}", "id", r->id, "version", r->version, "name", r->name,
			 "basis", r->basis, "pass", r->pass, "pass_basis", r->pass_basis, "items", items);
}

static const struct rubric_item *find_item(const struct rubric *r, const char *code)
{
	for (int i = 0; code && i < r->nitems; i++)
		if (strcmp(r->items[i].code, code) == 0)
			return &r->items[i];
	return NULL;
}

static const struct rubric_deduction *find_deduction(const struct rubric_item *it, const char *code)
{
	for (int k = 0; code && k < it->nd; k++)
		if (strcmp(it->d[k].code, code) == 0)
			return &it->d[k];
	return NULL;
}

#define BAD(...) fz_fail(e, 422, "review_score_invalid", "scores", __VA_ARGS__)

/* One item's deductions, checked: their normalised list into *out and
 * the points taken off. */
static int item_deductions(const struct rubric_item *it, json_t *given, json_t *out, int *taken, struct fz_err *e)
{
	json_t *d;
	size_t i;
	*taken = 0;
	if (given && (!json_is_array(given) || json_array_size(given) > (size_t)it->nd))
		return BAD("「%s」的扣分项应为至多 %d 项的列表", it->name, it->nd);
	json_array_foreach(given, i, d) {
		const char *code = json_string_value(json_object_get(d, "code")), *note = NULL;
		const struct rubric_deduction *x = json_is_object(d) ? find_deduction(it, code) : NULL;
		json_t *p = json_object_get(d, "points");
		int64_t pts = x ? x->points : 0;
		char label[160];
		if (!x)
			return BAD("「%s」没有扣分项 %s", it->name, code ? code : "（未填写）");
		for (size_t k = 0; k < json_array_size(out); k++)
			if (strcmp(json_string_value(json_object_get(json_array_get(out, k), "code")), code) == 0)
				return BAD("「%s」的扣分项「%s」重复", it->name, x->text);
		if (p && !json_is_null(p)) {
			if (!json_is_integer(p) || json_integer_value(p) < 1 || json_integer_value(p) > x->points)
				return BAD("「%s」的扣分项「%s」扣分应为 1 到 %d 分的整数", it->name, x->text, x->points);
			pts = json_integer_value(p);
		}
		snprintf(label, sizeof label, "「%s」扣分说明", it->name);
		if (field_text(d, "note", label, 0, RUBRIC_MAX_NOTE, &note, e) != 0) {
			e->field = "scores";
			return -1;
		}
		*taken += (int)pts;
		json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:s}", "code", x->code, "text", x->text, "points",
						     (json_int_t)pts, "note", note ? note : ""));
	}
	if (*taken > it->points)
		return BAD("「%s」扣分合计 %d 分，超过该项分值 %d 分", it->name, *taken, it->points);
	return 0;
}

int rubric_score(const struct rubric *r, json_t *scores, json_t **out, struct rubric_result *res, struct fz_err *e)
{
	json_t *given = json_object_get(scores, "items"), *g, *items;
	size_t i;
	memset(res, 0, sizeof *res);
	*out = NULL;
	if (!json_is_object(scores) || !json_is_array(given) || json_array_size(given) > (size_t)r->nitems)
		return BAD("评分应为 {\"items\": [...]}，每个评分项至多一项");
	json_array_foreach(given, i, g) {
		const struct rubric_item *it = find_item(r, json_string_value(json_object_get(g, "item")));
		if (!it)
			return BAD("第 %zu 项: 评分标准中没有该评分项", i + 1);
		for (size_t k = 0; k < i; k++)
			if (find_item(r, json_string_value(json_object_get(json_array_get(given, k), "item"))) == it)
				return BAD("评分项「%s」重复", it->name);
	}
	items = json_array();
	for (int k = 0; k < r->nitems; k++) {
		const struct rubric_item *it = &r->items[k];
		json_t *mine = NULL, *ds = json_array();
		int taken;
		json_array_foreach(given, i, g) if (find_item(r, json_string_value(json_object_get(g, "item"))) == it) mine = g;
		if (item_deductions(it, json_object_get(mine, "deductions"), ds, &taken, e) != 0) {
			json_decref(ds);
			json_decref(items);
			return -1;
		}
		res->total += it->points - taken;
		res->zero_item |= it->points == taken;
		json_array_append_new(items, json_pack("{s:s, s:s, s:i, s:i, s:o}", "item", it->code, "name", it->name,
						       "points", it->points, "score", it->points - taken, "deductions", ds));
	}
	res->passed = res->total >= r->pass;
	*out = json_pack("{s:o}", "items", items);
	return 0;
}
