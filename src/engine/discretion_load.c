/*
 * discretion_load.c — reads a 裁量基准 file (docs/benchmarks.md): the
 * `benchmark` header, then per violation its `violation`, `prohibition`,
 * `penalty`, `circ` and `lenient` lines, with ` | ` fields and amounts in
 * 元/万元 turned into fen exactly. Every problem is reported with its line;
 * nothing recursive, every line and list bounded.
 */
#include "discretion.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textline.h"
#include "validate.h"

#define MAX_FIELDS 6

struct loader {
	struct discretion_benchmark *b;
	struct discretion_diags *dg;
	int line;
	int have_header, failed;
	struct discretion_violation *cur;   /* the violation lines attach to */
	int cap;                            /* room in b->v: grown by doubling */
};

static int diag(struct loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records a problem on the current line (beyond the cap only counts it); -1. */
static int diag(struct loader *L, const char *fmt, ...)
{
	L->failed = 1;
	if (L->dg->n >= DISCRETION_MAX_DIAGS) {
		L->dg->more++;
		return -1;
	}
	va_list ap;
	L->dg->d[L->dg->n].line = L->line;
	va_start(ap, fmt);
	vsnprintf(L->dg->d[L->dg->n].msg, sizeof L->dg->d[0].msg, fmt, ap);
	va_end(ap);
	utf8_scrub(L->dg->d[L->dg->n].msg); /* the input quoted, or the message, cut mid-character */
	L->dg->n++;
	return -1;
}

/* Copies a into dst[size]; -1 (and a diagnostic naming what) when empty
 * or too long. */
static int copy_text(struct loader *L, struct slice a, char *dst, size_t size, const char *what)
{
	if (a.n == 0)
		return diag(L, "%s不能为空", what);
	if (a.n >= size)
		return diag(L, "%s过长（不超过 %zu 字节）", what, size - 1);
	memcpy(dst, a.p, a.n);
	dst[a.n] = 0;
	return 0;
}

/* A code, id or version: letters, digits, _ - . only. */
static int copy_token(struct loader *L, struct slice a, char *dst, const char *what)
{
	if (a.n == 0 || a.n >= DISCRETION_MAX_ID)
		return diag(L, "%s应为 1 至 %d 个字符", what, DISCRETION_MAX_ID - 1);
	for (size_t i = 0; i < a.n; i++) {
		unsigned char c = (unsigned char)a.p[i];
		if (!(c >= '0' && c <= '9') && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && c != '_' && c != '-' &&
		    c != '.')
			return diag(L, "%s只能由字母、数字及 _ - . 组成", what);
	}
	memcpy(dst, a.p, a.n);
	dst[a.n] = 0;
	return 0;
}

/* A decimal "12" or "0.5" times unit, exactly: 0 with *out (<= max),
 * -1 when malformed, larger than max or finer than 1 of the result. */
static int decimal_scaled(struct slice w, int64_t unit, int64_t max, int64_t *out)
{
	int64_t v = 0, div = 1;
	int digits = 0, dot = 0;
	for (size_t i = 0; i < w.n; i++) {
		char c = w.p[i];
		if (c == '.' && !dot && digits) {
			dot = 1;
			continue;
		}
		if (c < '0' || c > '9' || digits >= 15 || (dot && div >= 1000000))
			return -1;
		v = v * 10 + (c - '0');
		digits++;
		if (dot)
			div *= 10;
	}
	/* max * div <= 1e17 and v * unit <= max * div: no overflow below */
	if (!digits || (dot && div == 1) || v > max * div / unit || (v * unit) % div != 0)
		return -1;
	*out = v * unit / div;
	return 0;
}

/* "lo-hi" into two slices. */
static int split_dash(struct slice w, struct slice *lo, struct slice *hi)
{
	const char *d = memchr(w.p, '-', w.n);
	if (!d)
		return -1;
	*lo = slice_trim(w.p, (size_t)(d - w.p));
	*hi = slice_trim(d + 1, w.n - (size_t)(d - w.p) - 1);
	return 0;
}

#define RANGE_HELP "裁量幅度应写作“不罚款”、“罚款 5000-20000 元”、“罚款 5-10 万元”、“货值金额 10-20 倍”或“建设工程造价 5%%-7%%”"

/* 不罚款 | 罚款 <lo>-<hi> 元|万元 | <base> <lo>-<hi> 倍 | <base> <lo>%-<hi>% */
static int range_parse(struct loader *L, struct slice f, struct discretion_range *r)
{
	struct slice rest = f, w1 = slice_word(&rest), w2 = slice_word(&rest), w3 = slice_word(&rest), lo, hi;
	struct slice extra = slice_trim(rest.p, rest.n);
	memset(r, 0, sizeof *r);
	if (slice_is(f, "不罚款")) {
		r->kind = RANGE_NO_FINE;
		return 0;
	}
	if (extra.n || w2.n == 0 || split_dash(w2, &lo, &hi) != 0)
		return diag(L, RANGE_HELP);
	if (slice_is(w1, "罚款")) {
		int64_t unit = slice_is(w3, "元") ? 100 : slice_is(w3, "万元") ? 1000000 : 0;
		if (!unit)
			return diag(L, "罚款幅度的单位应为“元”或“万元”");
		r->kind = RANGE_FIXED;
		if (decimal_scaled(lo, unit, DISCRETION_MAX_FEN, &r->lo) != 0 ||
		    decimal_scaled(hi, unit, DISCRETION_MAX_FEN, &r->hi) != 0)
			return diag(L, "罚款金额应为不超过 10 亿元的数，精确到分");
	} else {
		int pct = lo.n > 1 && hi.n > 1 && lo.p[lo.n - 1] == '%' && hi.p[hi.n - 1] == '%';
		if (pct) {
			lo.n--, hi.n--;
		} else if (!slice_is(w3, "倍")) {
			return diag(L, RANGE_HELP);
		}
		if (pct && w3.n)
			return diag(L, RANGE_HELP);
		if (copy_text(L, w1, r->base, sizeof r->base, "倍数的计算基数（如 货值金额）") != 0)
			return -1;
		r->kind = RANGE_MULTIPLE;
		/* parts per 10000: 1 倍 = 10000, 1% = 100 */
		if (decimal_scaled(lo, pct ? 100 : 10000, 1000000, &r->lo) != 0 ||
		    decimal_scaled(hi, pct ? 100 : 10000, 1000000, &r->hi) != 0)
			return diag(L, "倍数应为不超过 100 倍的数（最多精确到万分之一）");
	}
	if (r->lo > r->hi)
		return diag(L, "裁量幅度的下限大于上限");
	return 0;
}

/* ---- lines ---- */

static int line_header(struct loader *L, struct slice rest)
{
	struct slice id = slice_word(&rest), ver = slice_word(&rest), name = slice_trim(rest.p, rest.n);
	if (L->have_header)
		return diag(L, "benchmark 行重复");
	L->have_header = 1;
	if (L->b->n > 0)
		diag(L, "benchmark 行须写在所有违法行为之前");
	if (copy_token(L, id, L->b->id, "裁量基准编号") != 0 || copy_token(L, ver, L->b->version, "版本号") != 0)
		return -1;
	return copy_text(L, name, L->b->name, sizeof L->b->name, "裁量基准名称");
}

static int sector_ok(struct slice s)
{
	for (int i = 0; discretion_sectors[i].label; i++)
		if (slice_is(s, discretion_sectors[i].label))
			return 1;
	return 0;
}

/* violation <code> | <名称> | <领域> */
static int line_violation(struct loader *L, struct slice rest)
{
	struct slice f[MAX_FIELDS];
	L->cur = NULL;
	if (!L->have_header)
		return diag(L, "第一行（注释除外）应为 benchmark <编号> <版本> <名称>");
	if (L->b->n >= DISCRETION_MAX_VIOLATIONS)
		return diag(L, "违法行为超过 %d 项", DISCRETION_MAX_VIOLATIONS);
	if (slice_split(slice_trim(rest.p, rest.n), f, MAX_FIELDS) != 3)
		return diag(L, "violation 行格式应为：violation <违法行为编码> | <违法行为名称> | <领域>");
	if (L->b->n == L->cap) {
		int cap = L->cap * 2 > DISCRETION_MAX_VIOLATIONS ? DISCRETION_MAX_VIOLATIONS : L->cap * 2;
		struct discretion_violation *grown = realloc(L->b->v, (size_t)cap * sizeof *grown);
		if (!grown)
			return diag(L, "内存不足");
		L->b->v = grown, L->cap = cap;
	}
	struct discretion_violation *v = &L->b->v[L->b->n];
	memset(v, 0, sizeof *v);
	v->line = L->line;
	if (copy_token(L, f[0], v->code, "违法行为编码") != 0 ||
	    copy_text(L, f[1], v->name, sizeof v->name, "违法行为名称") != 0)
		return -1;
	if (!sector_ok(f[2]))
		return diag(L, "领域“%.*s”不在可选范围内（市场监管、城市管理、生态环境等，见 docs/benchmarks.md）",
			    (int)(f[2].n > 60 ? 60 : f[2].n), f[2].p);
	memcpy(v->sector, f[2].p, f[2].n);
	if (discretion_find(L->b, v->code))
		return diag(L, "违法行为编码 %s 重复", v->code);
	L->b->n++;
	L->cur = v;
	return 0;
}

static int need_violation(struct loader *L, const char *kw)
{
	if (L->cur)
		return 0;
	return diag(L, "%s 行须写在一个有效的 violation 行之后", kw);
}

/* circ <code> | <情形> | <阶次> | <幅度> [| <其他处罚>] */
static int line_circ(struct loader *L, struct slice rest)
{
	struct slice f[MAX_FIELDS];
	if (need_violation(L, "circ") != 0)
		return -1;
	struct discretion_violation *v = L->cur;
	int nf = slice_split(slice_trim(rest.p, rest.n), f, MAX_FIELDS);
	if (nf < 4 || nf > 5)
		return diag(L, "circ 行格式应为：circ <情形编码> | <情形> | <裁量阶次> | <裁量幅度> [| <其他处罚种类>]");
	if (v->ncirc >= DISCRETION_MAX_CIRC)
		return diag(L, "违法行为 %s 的裁量情形超过 %d 项", v->code, DISCRETION_MAX_CIRC);
	struct discretion_circumstance *c = &v->circ[v->ncirc];
	memset(c, 0, sizeof *c);
	c->line = L->line;
	if (copy_token(L, f[0], c->code, "情形编码") != 0 || copy_text(L, f[1], c->text, sizeof c->text, "情形") != 0)
		return -1;
	char cat[32] = "";
	if (f[2].n < sizeof cat)
		memcpy(cat, f[2].p, f[2].n);
	if ((c->category = discretion_category_parse(cat)) < 0)
		return diag(L, "裁量阶次应为 不予处罚、减轻、从轻、一般 或 从重");
	if (range_parse(L, f[3], &c->range) != 0)
		return -1;
	if (c->category == DISCRETION_NONE && c->range.kind != RANGE_NO_FINE)
		return diag(L, "不予处罚的情形，裁量幅度只能是“不罚款”");
	if (nf == 5 && copy_text(L, f[4], c->measures, sizeof c->measures, "其他处罚种类") != 0)
		return -1;
	if (discretion_circumstance(v, c->code))
		return diag(L, "违法行为 %s 的情形编码 %s 重复", v->code, c->code);
	v->ncirc++;
	return 0;
}

/* lenient <种类> | <条件> | <依据> */
static int line_lenient(struct loader *L, struct slice rest)
{
	struct slice f[MAX_FIELDS];
	if (need_violation(L, "lenient") != 0)
		return -1;
	struct discretion_violation *v = L->cur;
	if (slice_split(slice_trim(rest.p, rest.n), f, MAX_FIELDS) != 3)
		return diag(L, "lenient 行格式应为：lenient <清单种类> | <适用条件> | <法律依据>");
	if (v->nlenient >= DISCRETION_MAX_LENIENT)
		return diag(L, "违法行为 %s 的免罚轻罚清单条目超过 %d 项", v->code, DISCRETION_MAX_LENIENT);
	struct discretion_lenient *l = &v->lenient[v->nlenient];
	char kind[32] = "";
	if (f[0].n < sizeof kind)
		memcpy(kind, f[0].p, f[0].n);
	if ((l->kind = discretion_lenient_parse(kind)) < 0)
		return diag(L, "清单种类应为 不予处罚、首违不罚、减轻处罚、从轻处罚 或 免于强制");
	l->line = L->line;
	if (copy_text(L, f[1], l->condition, sizeof l->condition, "适用条件") != 0 ||
	    copy_text(L, f[2], l->basis, sizeof l->basis, "法律依据") != 0)
		return -1;
	v->nlenient++;
	return 0;
}

static int line_basis(struct loader *L, const char *kw, struct slice rest, int penalty)
{
	if (need_violation(L, kw) != 0)
		return -1;
	char *dst = penalty ? L->cur->penalty : L->cur->prohibition;
	if (*dst)
		return diag(L, "违法行为 %s 的%s重复", L->cur->code, penalty ? "处罚依据" : "违法依据");
	return copy_text(L, slice_trim(rest.p, rest.n), dst, DISCRETION_MAX_TEXT, penalty ? "处罚依据" : "违法依据");
}

static void line_parse(struct loader *L, struct slice t)
{
	struct slice rest = t, kw = slice_word(&rest);
	if (slice_is(kw, "benchmark"))
		line_header(L, rest);
	else if (!L->have_header)
		diag(L, "第一行（注释除外）应为 benchmark <编号> <版本> <名称>");
	else if (slice_is(kw, "violation"))
		line_violation(L, rest);
	else if (slice_is(kw, "prohibition"))
		line_basis(L, "prohibition", rest, 0);
	else if (slice_is(kw, "penalty"))
		line_basis(L, "penalty", rest, 1);
	else if (slice_is(kw, "circ"))
		line_circ(L, rest);
	else if (slice_is(kw, "lenient"))
		line_lenient(L, rest);
	else
		diag(L, "无法识别的行：只能是 benchmark、violation、prohibition、penalty、circ、lenient "
			"或以 # 开头的注释");
}

/* Whole-file rules: each violation complete. */
static void check_violations(struct loader *L)
{
	for (int i = 0; i < L->b->n; i++) {
		const struct discretion_violation *v = &L->b->v[i];
		L->line = v->line;
		if (!v->prohibition[0])
			diag(L, "违法行为 %s 缺少违法依据（prohibition 行）", v->code);
		if (!v->penalty[0])
			diag(L, "违法行为 %s 缺少处罚依据（penalty 行）", v->code);
		if (v->ncirc == 0)
			diag(L, "违法行为 %s 没有裁量情形（circ 行）", v->code);
	}
}

struct discretion_benchmark *discretion_parse(const char *text, size_t len, struct discretion_diags *dg)
{
	struct loader L = { 0 };
	memset(dg, 0, sizeof *dg);
	L.dg = dg;
	if (len > DISCRETION_MAX_FILE) {
		diag(&L, "文件超过 %d 字节", DISCRETION_MAX_FILE);
		return NULL;
	}
	if (validate_utf8(text, len) != 0) {
		diag(&L, "文件不是有效的 UTF-8 文本，或含有空字符");
		return NULL;
	}
	L.b = calloc(1, sizeof *L.b);
	if (L.b)
		L.b->v = calloc(L.cap = 16, sizeof *L.b->v);
	if (!L.b || !L.b->v) {
		discretion_free(L.b);
		diag(&L, "内存不足");
		return NULL;
	}
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		L.line++;
		size_t n = (size_t)(e - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (L.line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
			p += 3, n -= 3; /* a BOM from Windows editors */
		struct slice t = slice_trim(p, n);
		const char *hash = memchr(t.p, '#', t.n);
		if (hash)
			t = slice_trim(t.p, (size_t)(hash - t.p));
		if (n > DISCRETION_MAX_LINE)
			diag(&L, "本行超过 %d 字节", DISCRETION_MAX_LINE);
		else if (t.n)
			line_parse(&L, t);
		p = nl ? nl + 1 : end;
	}
	L.line = 0;
	if (!L.have_header)
		diag(&L, "缺少 benchmark 行（benchmark <编号> <版本> <名称>）");
	else if (L.b->n == 0)
		diag(&L, "没有任何违法行为（violation 行）");
	check_violations(&L);
	if (L.failed) {
		discretion_free(L.b);
		return NULL;
	}
	return L.b;
}

void discretion_free(struct discretion_benchmark *b)
{
	if (!b)
		return;
	free(b->v);
	free(b);
}
