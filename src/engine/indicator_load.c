/*
 * indicator_load.c — reads an indicator system file (docs/indicators.md):
 * header and directives, one indicator per line with ` | ` fields, scoring
 * rules; then checks the tree (parents, levels, weights). Every problem is
 * reported with its line; nothing recursive, every line and list bounded.
 */
#include "indicator.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textline.h"
#include "validate.h"

#define MAX_FIELDS 6
#define ROOT_INDEX INDICATOR_MAX   /* the virtual parent of level-1 items */

struct loader {
	struct indicator_system *s;
	struct indicator_diags *dg;
	const char *const *metrics;
	int nmetrics;
	int line;               /* current line number */
	const char *linep;      /* start of the current line */
	int total_line;         /* where `total` was declared */
	int have_system, warned_system, full, failed, cap;
	unsigned char refused[ROOT_INDEX + 1];   /* a child line was refused */
};

static int diag(struct loader *L, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Records a problem (beyond INDICATOR_MAX_DIAGS only counts it); -1. */
static int diag(struct loader *L, int line, const char *fmt, ...)
{
	L->failed = 1;
	if (L->dg->n >= INDICATOR_MAX_DIAGS) {
		L->dg->more++;
		return -1;
	}
	struct indicator_diag *d = &L->dg->d[L->dg->n++];
	va_list ap;
	d->line = line;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* 1-based character column of byte p in the current line. */
static int column(const struct loader *L, const char *p)
{
	int col = 1;
	for (const char *q = L->linep; q < p; q++)
		col += ((unsigned char)*q & 0xC0) != 0x80;
	return col;
}

/* Length of p[0..n) cut to at most max bytes on a character boundary. */
static size_t utf8_cut(const char *p, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)p[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* A value: digits with optional decimals, '%' divides by 100. */
static int number_parse(struct slice w, int percent_ok, double *v)
{
	int pct = w.n > 1 && w.p[w.n - 1] == '%';
	if (pct && !percent_ok)
		return -1;
	if (formula_number_parse(w.p, w.n - (size_t)pct, v) != 0)
		return -1;
	if (pct)
		*v /= 100;
	return 0;
}

/* ---- directives ---- */

static int token_ok(struct slice w)
{
	if (w.n == 0 || w.n >= INDICATOR_MAX_ID)
		return 0;
	for (size_t i = 0; i < w.n; i++) {
		unsigned char c = (unsigned char)w.p[i];
		if (!(c >= '0' && c <= '9') && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
		    c != '_' && c != '-' && c != '.')
			return 0;
	}
	return 1;
}

static int directive_system(struct loader *L, struct slice rest)
{
	struct slice id = slice_word(&rest), ver = slice_word(&rest), name = slice_trim(rest.p, rest.n);
	if (L->have_system)
		return diag(L, L->line, "system 行重复");
	L->have_system = 1;
	if (!token_ok(id) || !token_ok(ver) || name.n == 0 || name.n >= INDICATOR_MAX_NAME)
		return diag(L, L->line, "system 行格式应为：system <编号> <版本> <名称>"
				"（编号、版本为字母数字及 _ - .，不超过 31 个字符）");
	if (L->s->n > 0)
		diag(L, L->line, "system 行须写在所有指标之前");
	memcpy(L->s->id, id.p, id.n);
	memcpy(L->s->version, ver.p, ver.n);
	memcpy(L->s->name, name.p, name.n);
	return 0;
}

static int directive_line(struct loader *L, struct slice t)
{
	struct slice rest = t, w = slice_word(&rest), arg = slice_trim(rest.p, rest.n);
	double v;
	if (slice_is(w, "system"))
		return directive_system(L, rest);
	/* total, na_rule, tolerance */
	if (slice_is(w, "total")) {
		if (number_parse(arg, 0, &v) != 0 || v <= 0 || v > 10000)
			return diag(L, L->line, "total 后应为正数总分，如 total 100");
		L->s->total = v;
		L->total_line = L->line;
	} else if (slice_is(w, "na_rule")) {
		if (slice_is(arg, "redistribute"))
			L->s->na_rule = INDICATOR_NA_REDISTRIBUTE;
		else if (slice_is(arg, "exclude"))
			L->s->na_rule = INDICATOR_NA_EXCLUDE;
		else
			return diag(L, L->line, "na_rule 只能是 redistribute（不适用项分值按比例分给同级）"
					 "或 exclude（不适用项不计入得分和满分）");
	} else if (slice_is(w, "tolerance")) {
		if (number_parse(arg, 0, &v) != 0 || v > 1)
			return diag(L, L->line, "tolerance 后应为 0 到 1 之间的数，如 tolerance 0.01");
		L->s->tolerance = v;
	} else {
		return diag(L, L->line, "无法识别的行：指标行的字段用 ' | ' 分隔；"
					"其他行只能是 system、total、na_rule、tolerance 或以 # 开头的注释");
	}
	return 0;
}

/* ---- scoring rules ---- */

struct rcur {
	struct loader *L;
	const char *p;
	size_t n, i;
};

static void rule_skip(struct rcur *c)
{
	while (c->i < c->n && (c->p[c->i] == ' ' || c->p[c->i] == '\t'))
		c->i++;
}

/* The next token: a run without spaces or any of "[],:". */
static struct slice rule_word(struct rcur *c)
{
	rule_skip(c);
	size_t s = c->i;
	while (c->i < c->n && !strchr(" \t[],:", c->p[c->i]))
		c->i++;
	return (struct slice){ c->p + s, c->i - s };
}

static int rule_lit(struct rcur *c, const char *lit)
{
	rule_skip(c);
	size_t k = strlen(lit);
	if (c->n - c->i < k || memcmp(c->p + c->i, lit, k) != 0)
		return 0;
	c->i += k;
	return 1;
}

static int rule_fail(struct rcur *c, const char *what)
{
	diag(c->L, c->L->line, "评分规则错误（第 %d 列）：%s", column(c->L, c->p + c->i), what);
	return -1;
}

static int rule_num(struct rcur *c, double *v)
{
	struct slice w = rule_word(c);
	if (number_parse(w, 1, v) != 0) {
		c->i -= w.n;
		return rule_fail(c, "应为数值，如 95% 或 0.95 或 2");
	}
	return 0;
}

static int rule_steps(struct rcur *c, struct indicator_rule *r, double weight)
{
	if (!rule_lit(c, "["))
		return rule_fail(c, "stepped 后应为 [阈值:得分, …]，如 [90%:2, 80%:1]");
	do {
		struct indicator_step *st = &r->steps[r->nsteps];
		if (r->nsteps >= INDICATOR_MAX_STEPS)
			return rule_fail(c, "阶梯最多 8 档");
		if (rule_num(c, &st->at) || (!rule_lit(c, ":") && rule_fail(c, "阈值后应为 ':' 和得分")) ||
		    rule_num(c, &st->score))
			return -1;
		if (st->at >= r->target)
			return rule_fail(c, "阶梯阈值应低于目标值");
		if (st->score > weight)
			return rule_fail(c, "阶梯得分超过本项分值");
		r->nsteps++;
	} while (rule_lit(c, ","));
	if (!rule_lit(c, "]"))
		return rule_fail(c, "阶梯应以 ']' 结束");
	return 0;
}

/* The optional mode after `target >= X` or `count >= N` (default linear). */
static int rule_mode_higher(struct rcur *c, struct indicator_rule *r, double weight)
{
	struct slice m = rule_word(c);
	if (m.n == 0 || slice_is(m, "linear"))
		r->mode = INDICATOR_LINEAR;
	else if (slice_is(m, "all_or_nothing"))
		r->mode = INDICATOR_ALL_OR_NOTHING;
	else if (slice_is(m, "stepped")) {
		r->mode = INDICATOR_STEPPED;
		return rule_steps(c, r, weight);
	} else {
		c->i -= m.n;
		return rule_fail(c, "计分方式只能是 linear、stepped [...] 或 all_or_nothing");
	}
	return 0;
}

static int rule_mode_lower(struct rcur *c, struct indicator_rule *r)
{
	struct slice m = rule_word(c);
	if (slice_is(m, "all_or_nothing")) {
		r->mode = INDICATOR_ALL_OR_NOTHING;
		return 0;
	}
	if (m.n && !slice_is(m, "linear")) {
		c->i -= m.n;
		return rule_fail(c, "lower_is_better 的计分方式只能是 linear [to 零分值] 或 all_or_nothing");
	}
	r->mode = INDICATOR_LINEAR;
	r->zero_at = 2 * r->target;
	size_t save = c->i;
	if (slice_is(rule_word(c), "to")) {
		if (rule_num(c, &r->zero_at))
			return -1;
	} else {
		c->i = save;
	}
	if (r->zero_at <= r->target)
		return rule_fail(c, "lower_is_better 线性计分需要高于目标值的零分值：linear to <数值>");
	return 0;
}

static int rule_date(struct rcur *c, struct indicator_rule *r)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	struct slice w = rule_word(c);
	const char *p = w.p;
	if (w.n != 5 || p[2] != '-' || !strchr("01", p[0]) || !strchr("0123", p[3]) ||
	    p[1] < '0' || p[1] > '9' || p[4] < '0' || p[4] > '9')
		return rule_fail(c, "date_before 后应为 MM-DD，如 04-01");
	r->month = (p[0] - '0') * 10 + (p[1] - '0');
	r->day = (p[3] - '0') * 10 + (p[4] - '0');
	if (r->month < 1 || r->month > 12 || r->day < 1 || r->day > mdays[r->month - 1])
		return rule_fail(c, "date_before 的日期无效（不接受 02-29）");
	return 0;
}

static int rule_parse(struct loader *L, struct slice f, struct indicator_rule *r, double weight)
{
	struct rcur c = { .L = L, .p = f.p, .n = f.n };
	struct slice w = rule_word(&c);
	int rc;
	memset(r, 0, sizeof *r);
	if (slice_is(w, "target") || slice_is(w, "count")) {
		r->type = w.p[0] == 't' ? INDICATOR_RULE_TARGET : INDICATOR_RULE_COUNT;
		rc = !rule_lit(&c, ">=") ? rule_fail(&c, "应为 >=")
					: rule_num(&c, &r->target) ? -1 : rule_mode_higher(&c, r, weight);
	} else if (slice_is(w, "lower_is_better")) {
		r->type = INDICATOR_RULE_LOWER;
		rc = !rule_lit(&c, "<=") ? rule_fail(&c, "应为 <=")
					: rule_num(&c, &r->target) ? -1 : rule_mode_lower(&c, r);
	} else if (slice_is(w, "date_before")) {
		r->type = INDICATOR_RULE_DATE_BEFORE;
		rc = rule_date(&c, r);
	} else {
		c.i = 0;
		rc = rule_fail(&c, "未知评分规则（可用：target >= X、lower_is_better <= X、count >= N、"
				   "date_before MM-DD）");
	}
	rule_skip(&c);
	if (rc == 0 && c.i < c.n)
		rc = rule_fail(&c, "评分规则后有多余内容");
	return rc;
}

/* ---- indicator lines ---- */

static int formula_load(struct loader *L, struct slice f, struct indicator *it)
{
	struct formula_err fe;
	it->formula = formula_parse(f.p, f.n, &fe);
	if (!it->formula) {
		diag(L, L->line, "公式错误（第 %d 列）：%s", column(L, f.p) + fe.col - 1, fe.msg);
		return -1;
	}
	const char *names[FORMULA_MAX_METRICS];
	int cols[FORMULA_MAX_METRICS], bad = 0;
	int nm = formula_metrics(it->formula, names, cols, FORMULA_MAX_METRICS);
	for (int i = 0; L->metrics && i < nm; i++) {
		int found = 0;
		for (int k = 0; k < L->nmetrics && !found; k++)
			found = L->metrics[k] && strcmp(L->metrics[k], names[i]) == 0;
		if (!found) {
			diag(L, L->line, "未知数据项 %s（第 %d 列）", names[i], column(L, f.p) + cols[i] - 1);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

static int id_parse(struct loader *L, struct slice f, struct indicator *it)
{
	if (f.n == 0 || f.n >= INDICATOR_MAX_ID)
		return diag(L, L->line, "指标编号为空或过长（不超过 31 个字符）");
	it->level = 1;
	for (size_t i = 0; i < f.n; i++) {
		unsigned char c = (unsigned char)f.p[i];
		int dot = c == '.';
		if (dot && (i == 0 || i + 1 == f.n || f.p[i - 1] == '.'))
			return diag(L, L->line, "指标编号 %.*s 格式错误：各级之间用一个 '.' 分隔", (int)f.n, f.p);
		if (!dot && !(c >= '0' && c <= '9') && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && c != '_')
			return diag(L, L->line, "指标编号 %.*s 只能包含字母、数字、'_' 和 '.'", (int)f.n, f.p);
		it->level += dot;
	}
	memcpy(it->id, f.p, f.n);
	if (it->level > INDICATOR_MAX_LEVEL)
		return diag(L, L->line, "指标 %s 为第 %d 级：最多 3 级", it->id, it->level);
	if (indicator_find(L->s, it->id) >= 0)
		return diag(L, L->line, "指标编号 %s 重复（第 %d 行已定义）", it->id,
			    L->s->items[indicator_find(L->s, it->id)].line);
	return 0;
}

static int kind_parse(struct loader *L, int nf, const struct slice *f, struct indicator *it)
{
	static const char *const kinds[] = { "auto", "manual", "bonus", "penalty", "veto" };
	it->kind = nf == 3 ? INDICATOR_GROUP : -1;
	for (int k = 0; nf > 3 && k < (int)(sizeof kinds / sizeof kinds[0]); k++)
		if (slice_is(f[3], kinds[k]))
			it->kind = INDICATOR_AUTO + k;
	switch (it->kind) {
	case INDICATOR_GROUP:
		return 0;
	case INDICATOR_AUTO:
		return nf == 6 ? 0 : diag(L, L->line, "auto 项须有 6 个字段：编号 | 名称 | 分值 | auto | 公式 | 评分规则");
	case INDICATOR_MANUAL:
		return nf == 4 ? 0 : diag(L, L->line, "manual 项只有 4 个字段：编号 | 名称 | 分值 | manual");
	case INDICATOR_BONUS:
	case INDICATOR_PENALTY:
		return nf <= 5 ? 0 : diag(L, L->line, "%s 项字段过多：编号 | 名称 | 上限 | %s [| 公式]",
					  kinds[it->kind - 1], kinds[it->kind - 1]);
	case INDICATOR_VETO:
		if (nf > 5)
			return diag(L, L->line, "veto 项字段过多：编号 | 名称 | 封顶分 | veto [| 公式]");
		return strchr(it->id, '.') ? diag(L, L->line, "veto（一票否决）项只能是一级指标") : 0;
	default:
		return diag(L, L->line, "未知类型 %.*s（可用：auto、manual、bonus、penalty、veto；分组项不写类型）",
			    (int)utf8_cut(f[3].p, f[3].n, 32), f[3].p);
	}
}

/* The parent exists and may hold a child of this kind. */
static int parent_check(struct loader *L, struct indicator *it)
{
	it->parent = -1;
	if (it->level == 1)
		return 0;
	char pid[INDICATOR_MAX_ID];
	snprintf(pid, sizeof pid, "%s", it->id);
	*strrchr(pid, '.') = '\0';
	int p = indicator_find(L->s, pid);
	if (p < 0)
		return diag(L, L->line, "上级指标 %s 不存在（上级须写在下级之前）", pid);
	const struct indicator *pa = &L->s->items[p];
	if (pa->kind == INDICATOR_VETO)
		return diag(L, L->line, "上级指标 %s 是一票否决项（第 %d 行），不能有下级", pid, pa->line);
	int pbonus = pa->kind == INDICATOR_BONUS || pa->kind == INDICATOR_PENALTY;
	if (pa->kind == INDICATOR_AUTO || pa->kind == INDICATOR_MANUAL || (pbonus && pa->formula))
		return diag(L, L->line, "上级指标 %s 是 %s 计分项（第 %d 行），不能有下级", pid,
			    indicator_kind_name(pa->kind), pa->line);
	if (pbonus ? it->kind != pa->kind
		   : it->kind == INDICATOR_BONUS || it->kind == INDICATOR_PENALTY)
		return diag(L, L->line, "%s 项不能位于 %s 项 %s 之下", indicator_kind_name(it->kind),
			    indicator_kind_name(pa->kind), pid);
	it->parent = p;
	return 0;
}

static int item_append(struct loader *L, const struct indicator *it)
{
	struct indicator_system *s = L->s;
	if (s->n >= INDICATOR_MAX) {
		if (!L->full)
			diag(L, L->line, "指标过多：最多 %d 项", INDICATOR_MAX);
		L->full = 1;
		return -1;
	}
	if (s->n == L->cap) {
		int cap = L->cap ? L->cap * 2 : 64;
		struct indicator *p = realloc(s->items, (size_t)cap * sizeof *p);
		if (!p)
			return diag(L, L->line, "内存不足");
		s->items = p;
		L->cap = cap;
	}
	s->items[s->n] = *it;
	if (it->parent >= 0)
		s->items[it->parent].nchildren++;
	s->n++;
	return 0;
}

/* The index of the parent named by a raw id field: ROOT_INDEX for a
 * level-1 id, -1 when there is no such indicator. */
static int parent_of(const struct loader *L, struct slice id)
{
	char pid[INDICATOR_MAX_ID];
	const char *dot = id.n < INDICATOR_MAX_ID ? memrchr(id.p, '.', id.n) : NULL;
	if (id.n < INDICATOR_MAX_ID && !dot)
		return ROOT_INDEX;
	if (!dot)
		return -1;
	snprintf(pid, sizeof pid, "%.*s", (int)(dot - id.p), id.p);
	return indicator_find(L->s, pid);
}

static int indicator_fields(struct loader *L, int nf, const struct slice *f, struct indicator *it)
{
	if (nf < 3 || nf > MAX_FIELDS)
		return diag(L, L->line, "字段数应为 3 到 6 个：编号 | 名称 | 分值 [| 类型 | 公式 | 评分规则]");
	if (id_parse(L, f[0], it) || kind_parse(L, nf, f, it))
		return -1;
	if (f[1].n == 0 || f[1].n >= INDICATOR_MAX_NAME)
		return diag(L, L->line, "指标名称为空或过长（不超过 255 字节）");
	memcpy(it->name, f[1].p, f[1].n);
	if (number_parse(f[2], 0, &it->weight) != 0 || it->weight > INDICATOR_MAX_WEIGHT ||
	    (it->kind == INDICATOR_VETO ? it->weight < 0 : it->weight <= 0))
		return diag(L, L->line, it->kind == INDICATOR_VETO ? "一票否决项的封顶分应为 0（总分记 0）到 1000 之间的数"
								  : "分值应为大于 0、不超过 1000 的数，如 4 或 1.5");
	if (parent_check(L, it))
		return -1;
	int bad = 0;
	if (nf >= 5 && f[4].n == 0)
		bad = diag(L, L->line, "公式为空");
	else if (nf >= 5)
		bad = formula_load(L, f[4], it);
	if (it->kind == INDICATOR_AUTO && rule_parse(L, f[5], &it->rule, it->weight))
		bad = -1;
	return bad || item_append(L, it) != 0 ? -1 : 0;
}

/* One indicator line. When it is refused, its parent is marked so that
 * the tree checks do not report the missing child's weight again. */
static int indicator_line(struct loader *L, struct slice t)
{
	struct slice f[MAX_FIELDS];
	struct indicator it;
	int nf = slice_split(t, f, MAX_FIELDS);
	memset(&it, 0, sizeof it);
	it.line = L->line;
	if (!L->have_system && !L->warned_system) {
		L->warned_system = 1;
		diag(L, L->line, "缺少 system 行：文件须先写 system <编号> <版本> <名称>");
	}
	if (indicator_fields(L, nf, f, &it) == 0)
		return 0;
	formula_free(it.formula);
	int p = parent_of(L, f[0]);
	if (p >= 0)
		L->refused[p] = 1;
	return -1;
}

/* ---- the file ---- */

/* Byte where a comment starts: '#' at the start or after a blank. */
static size_t comment_start(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == '#' && (i == 0 || p[i - 1] == ' ' || p[i - 1] == '\t'))
			return i;
	return n;
}

static int line_load(struct loader *L, const char *p, size_t n)
{
	L->linep = p;
	if (n > INDICATOR_MAX_LINE)
		return diag(L, L->line, "行过长：超过 %d 字节", INDICATOR_MAX_LINE);
	if (validate_utf8(p, n) != 0)
		return diag(L, L->line, "不是有效的 UTF-8 文本");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 && p[i] != '\t')
			return diag(L, L->line, "包含控制字符（第 %d 列）", column(L, p + i));
	struct slice t = slice_trim(p, comment_start(p, n));
	if (t.n == 0)
		return 0;
	return memchr(t.p, '|', t.n) ? indicator_line(L, t) : directive_line(L, t);
}

/* Checks of the whole tree, once every line is read. */
static void tree_check(struct loader *L)
{
	struct indicator_system *s = L->s;
	double *sum = calloc((size_t)s->n + 1, sizeof *sum);
	double top = 0;
	if (!sum) {
		diag(L, 0, "内存不足");
		return;
	}
	for (int i = 0; i < s->n; i++) {
		const struct indicator *it = &s->items[i];
		if (it->parent >= 0)
			sum[it->parent] += it->weight;
		else if (it->kind == INDICATOR_GROUP || it->kind == INDICATOR_AUTO || it->kind == INDICATOR_MANUAL)
			top += it->weight;
	}
	for (int i = 0; i < s->n; i++) {
		const struct indicator *it = &s->items[i];
		if (L->refused[i])
			continue;
		if (it->kind == INDICATOR_GROUP && it->nchildren == 0)
			diag(L, it->line, "指标 %s 没有下级：计分项须写类型 auto 或 manual", it->id);
		else if (it->kind == INDICATOR_GROUP && fabs(sum[i] - it->weight) > s->tolerance + 1e-9)
			diag(L, it->line, "指标 %s 的下级分值合计 %g，与其分值 %g 不符", it->id, sum[i], it->weight);
	}
	if (top == 0 && !L->failed)
		diag(L, 0, "指标体系中没有计分指标");
	else if (s->total > 0 && !L->refused[ROOT_INDEX] && fabs(top - s->total) > s->tolerance + 1e-9)
		diag(L, L->total_line, "一级指标分值合计 %g，与 total %g 不符", top, s->total);
	free(sum);
}

/* Orders the problems by line (stable: insertion sort of at most 64). */
static void diags_sort(struct indicator_diags *dg)
{
	for (int i = 1; i < dg->n; i++) {
		struct indicator_diag d = dg->d[i];
		int k = i;
		for (; k > 0 && dg->d[k - 1].line > d.line; k--)
			dg->d[k] = dg->d[k - 1];
		dg->d[k] = d;
	}
}

struct indicator_system *indicator_system_parse(const char *text, size_t len,
						const char *const *metrics, int nmetrics,
						struct indicator_diags *dg)
{
	struct indicator_diags dummy;
	struct loader L = { .dg = dg ? dg : &dummy, .metrics = metrics, .nmetrics = nmetrics };
	L.dg->n = L.dg->more = 0;
	L.s = calloc(1, sizeof *L.s);
	if (!L.s) {
		diag(&L, 0, "内存不足");
		return NULL;
	}
	L.s->tolerance = 0.001;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3, len -= 3;
	for (size_t pos = 0; pos < len && !L.full;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, n = end - pos;
		if (n && text[end - 1] == '\r')
			n--;
		L.line++;
		line_load(&L, text + pos, n);
		pos = end + 1;
	}
	if (!L.have_system && !L.warned_system)
		diag(&L, 1, "缺少 system 行：文件须先写 system <编号> <版本> <名称>");
	if (!L.full)
		tree_check(&L);
	diags_sort(L.dg);
	if (L.failed) {
		indicator_system_free(L.s);
		return NULL;
	}
	return L.s;
}

struct indicator_system *indicator_system_load(const char *path, const char *const *metrics,
					       int nmetrics, struct indicator_diags *dg)
{
	struct indicator_diags dummy;
	struct loader L = { .dg = dg ? dg : &dummy };
	struct indicator_system *s = NULL;
	L.dg->n = L.dg->more = 0;
	FILE *f = fopen(path, "rb");
	char *buf = malloc(INDICATOR_MAX_FILE + 1);
	size_t n = 0;
	if (!f || !buf)
		diag(&L, 0, "无法打开文件");
	else if ((n = fread(buf, 1, INDICATOR_MAX_FILE + 1, f)) > INDICATOR_MAX_FILE)
		diag(&L, 0, "文件过大：超过 %d 字节", INDICATOR_MAX_FILE);
	else if (ferror(f))
		diag(&L, 0, "读取文件失败");
	else
		s = indicator_system_parse(buf, n, metrics, nmetrics, L.dg);
	if (f)
		fclose(f);
	free(buf);
	return s;
}

void indicator_system_free(struct indicator_system *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n; i++)
		formula_free(s->items[i].formula);
	free(s->items);
	free(s);
}

int indicator_find(const struct indicator_system *s, const char *id)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->items[i].id, id) == 0)
			return i;
	return -1;
}
