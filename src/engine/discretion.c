/*
 * discretion.c — the benchmark's vocabularies (categories, lenient kinds,
 * sectors), lookups by code, ranges in words and in fen, and the check of
 * a proposed decision against the benchmark (discretion.h says the rules).
 */
#include "discretion.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const category_labels[DISCRETION_CATEGORY_COUNT] = {
	[DISCRETION_NONE] = "不予处罚",   [DISCRETION_MITIGATED] = "减轻", [DISCRETION_LIGHTER] = "从轻",
	[DISCRETION_ORDINARY] = "一般",   [DISCRETION_HEAVIER] = "从重",
};

static const char *const lenient_labels[LENIENT_KIND_COUNT] = {
	[LENIENT_NO_PENALTY] = "不予处罚", [LENIENT_FIRST] = "首违不罚",   [LENIENT_MITIGATED] = "减轻处罚",
	[LENIENT_LIGHTER] = "从轻处罚",    [LENIENT_NO_COERCION] = "免于强制",
};

/* Each sector's label and its ASCII slug, which names its settings
 * ("<key>_<slug>": a register's per-sector periods). */
const struct discretion_sector discretion_sectors[] = {
	{ "市场监管", "market" },       { "城市管理", "urban" },       { "生态环境", "environment" },
	{ "交通运输", "transport" },    { "文化旅游", "culture" },     { "农业农村", "agriculture" },
	{ "卫生健康", "health" },       { "应急管理", "emergency" },   { "自然资源", "resources" },
	{ "住房城乡建设", "housing" },  { "其他", "other" },           { NULL, NULL },
};

const char *discretion_sector_slug(const char *label)
{
	for (int i = 0; label && discretion_sectors[i].label; i++)
		if (strcmp(label, discretion_sectors[i].label) == 0)
			return discretion_sectors[i].slug;
	return NULL;
}

/* labels[i] for 0 <= i < n, else NULL; and back: the index or -1. */
static const char *label_at(const char *const *labels, int n, int i)
{
	return i >= 0 && i < n ? labels[i] : NULL;
}

static int label_index(const char *const *labels, int n, const char *label)
{
	for (int i = 0; label && i < n; i++)
		if (strcmp(label, labels[i]) == 0)
			return i;
	return -1;
}

const char *discretion_category_label(int category)
{
	return label_at(category_labels, DISCRETION_CATEGORY_COUNT, category);
}

int discretion_category_parse(const char *label)
{
	return label_index(category_labels, DISCRETION_CATEGORY_COUNT, label);
}

const char *discretion_lenient_label(int kind)
{
	return label_at(lenient_labels, LENIENT_KIND_COUNT, kind);
}

int discretion_lenient_parse(const char *label)
{
	return label_index(lenient_labels, LENIENT_KIND_COUNT, label);
}

const struct discretion_violation *discretion_find(const struct discretion_benchmark *b, const char *code)
{
	for (int i = 0; b && code && i < b->n; i++)
		if (strcmp(b->v[i].code, code) == 0)
			return &b->v[i];
	return NULL;
}

const struct discretion_circumstance *discretion_circumstance(const struct discretion_violation *v,
							      const char *code)
{
	for (int i = 0; v && code && i < v->ncirc; i++)
		if (strcmp(v->circ[i].code, code) == 0)
			return &v->circ[i];
	return NULL;
}

/* fen as 元 in words: "5000 元", "2 万元", "6.5 万元", "1234.50 元". */
void discretion_yuan_text(int64_t fen, char *out, size_t n)
{
	if (fen >= 1000000 && fen % 1000000 == 0)
		snprintf(out, n, "%" PRId64 " 万元", fen / 1000000);
	else if (fen >= 1000000 && fen % 100000 == 0)
		snprintf(out, n, "%" PRId64 ".%" PRId64 " 万元", fen / 1000000, fen % 1000000 / 100000);
	else if (fen % 100 == 0)
		snprintf(out, n, "%" PRId64 " 元", fen / 100);
	else
		snprintf(out, n, "%" PRId64 ".%02" PRId64 " 元", fen / 100, fen % 100);
}

/* parts per 10000 as a multiple: "3", "0.05". */
static void multiple_text(int64_t v, char *out, size_t n)
{
	int len = snprintf(out, n, "%" PRId64 ".%04" PRId64, v / 10000, v % 10000);
	while (len > 0 && out[len - 1] == '0')
		out[--len] = 0;
	if (len > 0 && out[len - 1] == '.')
		out[--len] = 0;
}

char *discretion_range_text(const struct discretion_range *r, char *out, size_t n)
{
	char lo[48], hi[48];
	if (r->kind == RANGE_NO_FINE) {
		snprintf(out, n, "不罚款");
	} else if (r->kind == RANGE_FIXED) {
		discretion_yuan_text(r->lo, lo, sizeof lo);
		discretion_yuan_text(r->hi, hi, sizeof hi);
		snprintf(out, n, "罚款 %s至 %s", lo, hi);
	} else {
		multiple_text(r->lo, lo, sizeof lo);
		multiple_text(r->hi, hi, sizeof hi);
		snprintf(out, n, "%s %s 倍至 %s 倍", r->base, lo, hi);
	}
	return out;
}

int discretion_range_fen(const struct discretion_range *r, int64_t base_fen, int64_t *lo, int64_t *hi)
{
	if (r->kind == RANGE_NO_FINE) {
		*lo = *hi = 0;
	} else if (r->kind == RANGE_FIXED) {
		*lo = r->lo;
		*hi = r->hi;
	} else {
		if (base_fen < 0 || base_fen > DISCRETION_MAX_FEN)
			return -1;
		/* base <= 1e11, multiple <= 1e6 parts: the product fits in int64 */
		*lo = (base_fen * r->lo + 9999) / 10000;   /* at least the lower multiple */
		*hi = base_fen * r->hi / 10000;            /* at most the upper one */
	}
	return 0;
}

/* Whether the benchmark gives v a ground for category c. */
static int category_grounded(const struct discretion_violation *v, int c)
{
	for (int i = 0; i < v->ncirc; i++)
		if (v->circ[i].category == c)
			return 1;
	for (int i = 0; i < v->nlenient; i++) {
		int k = v->lenient[i].kind;
		if ((c == DISCRETION_NONE && (k == LENIENT_NO_PENALTY || k == LENIENT_FIRST)) ||
		    (c == DISCRETION_MITIGATED && k == LENIENT_MITIGATED) ||
		    (c == DISCRETION_LIGHTER && k == LENIENT_LIGHTER))
			return 1;
	}
	return 0;
}

/* Whether amount lies in circumstance c's range: 1, 0, or -1 (no base). */
static int in_range(const struct discretion_circumstance *c, int64_t amount, int64_t base, int64_t *lo, int64_t *hi)
{
	if (discretion_range_fen(&c->range, base, lo, hi) != 0)
		return -1;
	return amount >= *lo && amount <= *hi;
}

/* Whether s is NULL or only spaces (a reason that says nothing). */
static int blank(const char *s)
{
	while (s && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++;
	return !s || !*s;
}

/* The decision's own faults, before the benchmark is consulted. */
static int decision_valid(const struct discretion_benchmark *b, const struct discretion_decision *d,
			  const struct discretion_violation **v, const struct discretion_circumstance **c,
			  struct fz_err *e)
{
	const char *cat = discretion_category_label(d->category);
	*c = NULL;
	if (!(*v = discretion_find(b, d->violation)))
		return fz_fail(e, 422, "benchmark_unknown", "violation", "裁量基准 %s（%s）中没有违法行为编码 %s",
			       b->id, b->version, d->violation ? d->violation : "（空）");
	if (d->circumstance && *d->circumstance && !(*c = discretion_circumstance(*v, d->circumstance)))
		return fz_fail(e, 422, "benchmark_unknown", "circumstance", "违法行为 %s 没有裁量情形 %s", (*v)->code,
			       d->circumstance);
	if (!cat)
		return fz_invalid(e, "category", "裁量阶次应为 不予处罚、减轻、从轻、一般 或 从重");
	if (d->amount_fen < 0 || d->amount_fen > DISCRETION_MAX_FEN)
		return fz_invalid(e, "amount_fen", "罚款金额应为 0 至 10 亿元（以分计的整数）");
	if (d->category == DISCRETION_NONE && d->amount_fen > 0)
		return fz_invalid(e, "amount_fen", "不予处罚的决定不能有罚款金额");
	return 0;
}

int discretion_check(const struct discretion_benchmark *b, const struct discretion_decision *d,
		     struct discretion_result *r, struct fz_err *e)
{
	const struct discretion_violation *v = NULL;
	const struct discretion_circumstance *c = NULL;
	int64_t lo = -1, hi = -1;
	memset(r, 0, sizeof *r);
	r->proposed_lo = r->proposed_hi = -1;
	r->proposed_category = d->category;
	if (decision_valid(b, d, &v, &c, e) != 0)
		return -1;
	const char *cat = discretion_category_label(d->category);
	/* LAW: 行政处罚法 第五条 — 过罚相当: no category without a ground */
	if (!category_grounded(v, d->category))
		return fz_fail(e, 422, "benchmark_category_not_allowed", "category",
			       "裁量基准对违法行为 %s 没有规定“%s”的情形或免罚轻罚清单条目，不能作出%s决定", v->code, cat,
			       cat);
	if (c) {
		r->proposed_category = c->category;
		int in = in_range(c, d->amount_fen, d->base_fen, &lo, &hi);
		if (in < 0)
			return fz_fail(e, 422, "benchmark_base_required", "base_fen",
				       "情形 %s 的罚款按%s的倍数计算，请填写%s（以分计）", c->code, c->range.base,
				       c->range.base);
		r->has_range = 1;
		r->proposed_lo = lo;
		r->proposed_hi = hi;
		if (c->category != d->category)
			snprintf(r->why, sizeof r->why, "情形 %s 的裁量阶次为“%s”，决定为“%s”", c->code,
				 discretion_category_label(c->category), cat);
		else if (!in)
			snprintf(r->why, sizeof r->why, "罚款金额不在情形 %s 的裁量幅度内", c->code);
	} else {
		int in = 0, need_base = 0;
		for (int i = 0; i < v->ncirc && !in; i++) {
			if (v->circ[i].category != d->category)
				continue;
			int k = in_range(&v->circ[i], d->amount_fen, d->base_fen, &lo, &hi);
			need_base |= k < 0;
			in = k == 1;
		}
		int only_lenient = !in && d->category == DISCRETION_NONE;
		if (!in && !only_lenient && need_base)
			return fz_fail(e, 422, "benchmark_base_required", "base_fen",
				       "该违法行为的罚款按倍数计算，请填写计算基数（以分计）");
		if (!in && !only_lenient)
			snprintf(r->why, sizeof r->why, "罚款金额不在违法行为 %s 任何“%s”情形的裁量幅度内", v->code,
				 cat);
	}
	r->verdict = r->why[0] ? DISCRETION_OUTSIDE : DISCRETION_WITHIN;
	if (r->verdict == DISCRETION_OUTSIDE && blank(d->reason))
		return fz_fail(e, 422, "benchmark_reason_required", "reason", "%s，超出裁量基准须填写裁量理由",
			       r->why);
	return 0;
}
