/*
 * formula.c — parser and evaluator of the indicator formula language (see
 * formula.h). The parser is recursive descent bounded by FORMULA_MAX_DEPTH
 * and builds at most FORMULA_MAX_NODES nodes in a stack buffer; the result
 * is one heap block: header, nodes, metric-name pool and source text.
 */
#include "formula.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum fop { OP_NUM, OP_METRIC, OP_NEG, OP_ADD, OP_SUB, OP_MUL, OP_DIV,
	   OP_RATIO, OP_MIN, OP_MAX, OP_IF_ZERO, OP_IF_NA };

struct fnode {
	double num;      /* OP_NUM: the value */
	int16_t kid;     /* first operand, -1 when none */
	int16_t next;    /* next operand of the same parent, -1 when none */
	uint16_t col;    /* 1-based column of the token */
	uint8_t op;      /* enum fop */
	uint8_t arg;     /* OP_METRIC: index in metrics; calls: argument count */
};

struct fmetric {
	uint16_t off;    /* in pool */
	uint16_t col;    /* first use */
};

struct formula {
	int nnodes, root, nmetrics;
	struct fmetric metrics[FORMULA_MAX_METRICS];
	const char *pool;    /* NUL-separated names, inside this block */
	const char *src;     /* NUL-terminated source, inside this block */
	struct fnode nodes[];
};

static const struct {
	const char *name;
	uint8_t op, min_args, max_args;
} FUNCS[] = {
	{ "ratio", OP_RATIO, 2, 2 },   { "min", OP_MIN, 2, FORMULA_MAX_ARGS },
	{ "max", OP_MAX, 2, FORMULA_MAX_ARGS }, { "if_zero", OP_IF_ZERO, 2, 2 },
	{ "if_na", OP_IF_NA, 2, 2 },
};

struct parser {
	const char *s;
	size_t len, pos;
	int depth, failed, nnodes, nmetrics;
	struct formula_err *err;
	struct fnode nodes[FORMULA_MAX_NODES];
	struct fmetric metrics[FORMULA_MAX_METRICS];
	char pool[FORMULA_MAX_SRC + FORMULA_MAX_METRICS];
	size_t poollen;
};

static int parse_expr(struct parser *p);

static int fail(struct parser *p, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Records the first error only; returns -1 for the caller to pass up. */
static int fail(struct parser *p, size_t pos, const char *fmt, ...)
{
	if (!p->failed) {
		va_list ap;
		p->failed = 1;
		p->err->col = (int)pos + 1;
		va_start(ap, fmt);
		vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int fail_char(struct parser *p, size_t pos, int c)
{
	char ch[8];
	snprintf(ch, sizeof ch, (c >= 0x21 && c < 0x7f) ? "'%c'" : "0x%02X", c);
	return fail(p, pos, "意外的字符 %s", ch);
}

static void skip_space(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
		p->pos++;
}

static int peek(struct parser *p)
{
	skip_space(p);
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int node_new(struct parser *p, int op, size_t pos)
{
	if (p->failed)
		return -1;
	if (p->nnodes >= FORMULA_MAX_NODES)
		return fail(p, pos, "公式过于复杂：节点超过 256 个");
	struct fnode *n = &p->nodes[p->nnodes];
	memset(n, 0, sizeof *n);
	n->op = (uint8_t)op;
	n->kid = n->next = -1;
	n->col = (uint16_t)(pos + 1);
	return p->nnodes++;
}

static int node_binary(struct parser *p, int op, size_t pos, int a, int b)
{
	int n = node_new(p, op, pos);
	if (n < 0)
		return -1;
	p->nodes[n].kid = (int16_t)a;
	p->nodes[a].next = (int16_t)b;
	return n;
}

/* Enters one nesting level (a parenthesis, call or unary minus at pos). */
static int depth_enter(struct parser *p, size_t pos)
{
	if (++p->depth > FORMULA_MAX_DEPTH)
		return fail(p, pos, "嵌套过深：超过 64 层");
	return 0;
}

int formula_number_parse(const char *s, size_t n, double *out)
{
	size_t i = 0, ip = 0, fp = 0;
	double v = 0, scale = 1;
	while (i < n && is_digit((unsigned char)s[i]) && ip < 12)
		v = v * 10 + (s[i++] - '0'), ip++;
	if (ip == 0)
		return -1;
	if (i < n && s[i] == '.') {
		for (i++; i < n && is_digit((unsigned char)s[i]) && fp < 9; i++, fp++)
			v = v * 10 + (s[i] - '0'), scale *= 10;
		if (fp == 0)
			return -1;
	}
	if (i != n)
		return -1;
	*out = v / scale;
	return 0;
}

static int parse_number(struct parser *p)
{
	size_t start = p->pos;
	while (p->pos < p->len && (is_digit((unsigned char)p->s[p->pos]) || p->s[p->pos] == '.'))
		p->pos++;
	double v;
	if (formula_number_parse(p->s + start, p->pos - start, &v) != 0)
		return fail(p, start, "数字格式错误");
	if (p->pos < p->len && (is_alpha((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_'))
		return fail(p, p->pos, "数字后不能紧跟名称");
	int n = node_new(p, OP_NUM, start);
	if (n >= 0)
		p->nodes[n].num = v;
	return n;
}

/* Index of the metric name s[0..n) in the formula's table, added if new. */
static int metric_intern(struct parser *p, const char *s, size_t n, size_t pos)
{
	for (int i = 0; i < p->nmetrics; i++) {
		const char *m = p->pool + p->metrics[i].off;
		if (strlen(m) == n && memcmp(m, s, n) == 0)
			return i;
	}
	if (p->nmetrics >= FORMULA_MAX_METRICS)
		return fail(p, pos, "公式引用的数据项超过 32 个");
	struct fmetric *m = &p->metrics[p->nmetrics];
	m->off = (uint16_t)p->poollen;
	m->col = (uint16_t)(pos + 1);
	memcpy(p->pool + p->poollen, s, n);
	p->pool[p->poollen + n] = '\0';
	p->poollen += n + 1;
	return p->nmetrics++;
}

static int parse_call(struct parser *p, const char *name, size_t nlen, size_t pos)
{
	int f = -1;
	for (size_t i = 0; i < sizeof FUNCS / sizeof FUNCS[0]; i++)
		if (strlen(FUNCS[i].name) == nlen && memcmp(FUNCS[i].name, name, nlen) == 0)
			f = (int)i;
	char fname[FORMULA_MAX_NAME + 1];
	snprintf(fname, sizeof fname, "%.*s", (int)nlen, name);
	if (f < 0)
		return fail(p, pos, "未知函数 %s（可用：ratio、min、max、if_zero、if_na）", fname);
	if (depth_enter(p, pos) != 0)
		return -1;
	int n = node_new(p, FUNCS[f].op, pos), last = -1, argc = 0;
	p->pos++; /* '(' */
	while (n >= 0 && !p->failed) {
		int a = parse_expr(p);
		if (a < 0)
			return -1;
		if (last < 0)
			p->nodes[n].kid = (int16_t)a;
		else
			p->nodes[last].next = (int16_t)a;
		last = a;
		argc++;
		int c = peek(p);
		if (c == ')')
			break;
		if (c != ',')
			return fail(p, p->pos, "函数 %s 的参数后缺少 ',' 或 ')'", fname);
		p->pos++;
	}
	if (n < 0 || p->failed)
		return -1;
	p->pos++; /* ')' */
	if (argc < FUNCS[f].min_args || argc > FUNCS[f].max_args) {
		return fail(p, pos, "函数 %s 需要 %d%s 个参数", fname, FUNCS[f].min_args,
			    FUNCS[f].max_args > FUNCS[f].min_args ? " 至 8" : "");
	}
	p->nodes[n].arg = (uint8_t)argc;
	p->depth--;
	return n;
}

static int parse_name(struct parser *p)
{
	size_t start = p->pos;
	while (p->pos < p->len) {
		int c = (unsigned char)p->s[p->pos];
		if (!is_alpha(c) && !is_digit(c) && c != '_' && c != '.')
			break;
		if (c == '.' && p->s[p->pos - 1] == '.')
			return fail(p, p->pos, "数据项名称中不能有连续的 '.'");
		p->pos++;
	}
	size_t n = p->pos - start;
	if (n > FORMULA_MAX_NAME)
		return fail(p, start, "名称过长：超过 64 个字符");
	if (p->s[p->pos - 1] == '.')
		return fail(p, p->pos - 1, "数据项名称不能以 '.' 结尾");
	if (peek(p) == '(')
		return parse_call(p, p->s + start, n, start);
	int m = metric_intern(p, p->s + start, n, start);
	int node = m < 0 ? -1 : node_new(p, OP_METRIC, start);
	if (node >= 0)
		p->nodes[node].arg = (uint8_t)m;
	return node;
}

static int parse_primary(struct parser *p)
{
	int c = peek(p);
	size_t pos = p->pos;
	if (c < 0)
		return fail(p, pos, "公式不完整：缺少操作数");
	if (is_digit(c))
		return parse_number(p);
	if (is_alpha(c) || c == '_')
		return parse_name(p);
	if (c == '(') {
		if (depth_enter(p, pos) != 0)
			return -1;
		p->pos++;
		int n = parse_expr(p);
		if (n < 0)
			return -1;
		if (peek(p) != ')')
			return fail(p, pos, "括号不匹配：缺少 ')'");
		p->pos++;
		p->depth--;
		return n;
	}
	return fail_char(p, pos, c);
}

static int parse_unary(struct parser *p)
{
	if (peek(p) != '-')
		return parse_primary(p);
	size_t pos = p->pos++;
	if (depth_enter(p, pos) != 0)
		return -1;
	int a = parse_unary(p);
	int n = a < 0 ? -1 : node_new(p, OP_NEG, pos);
	if (n < 0)
		return -1;
	p->nodes[n].kid = (int16_t)a;
	p->depth--;
	return n;
}

static int parse_term(struct parser *p)
{
	int a = parse_unary(p);
	while (a >= 0) {
		int c = peek(p);
		if (c != '*' && c != '/')
			break;
		size_t pos = p->pos++;
		int b = parse_unary(p);
		a = b < 0 ? -1 : node_binary(p, c == '*' ? OP_MUL : OP_DIV, pos, a, b);
	}
	return a;
}

static int parse_expr(struct parser *p)
{
	int a = parse_term(p);
	while (a >= 0) {
		int c = peek(p);
		if (c != '+' && c != '-')
			break;
		size_t pos = p->pos++;
		int b = parse_term(p);
		a = b < 0 ? -1 : node_binary(p, c == '+' ? OP_ADD : OP_SUB, pos, a, b);
	}
	return a;
}

/* Copies the parser's tables into one heap block. */
static struct formula *formula_pack(const struct parser *p, int root)
{
	size_t nodes = (size_t)p->nnodes * sizeof(struct fnode);
	struct formula *f = malloc(sizeof *f + nodes + p->poollen + p->len + 1);
	if (!f)
		return NULL;
	f->nnodes = p->nnodes;
	f->root = root;
	f->nmetrics = p->nmetrics;
	memcpy(f->metrics, p->metrics, sizeof f->metrics);
	memcpy(f->nodes, p->nodes, nodes);
	char *pool = (char *)f->nodes + nodes;
	memcpy(pool, p->pool, p->poollen);
	memcpy(pool + p->poollen, p->s, p->len);
	pool[p->poollen + p->len] = '\0';
	f->pool = pool;
	f->src = pool + p->poollen;
	return f;
}

struct formula *formula_parse(const char *src, size_t len, struct formula_err *err)
{
	struct formula_err dummy;
	struct parser *p = calloc(1, sizeof *p);
	struct formula *f = NULL;
	if (!err)
		err = &dummy;
	err->col = 0;
	err->msg[0] = '\0';
	if (!p) {
		snprintf(err->msg, sizeof err->msg, "内存不足");
		return NULL;
	}
	p->s = src;
	p->len = len;
	p->err = err;
	if (len > FORMULA_MAX_SRC)
		fail(p, FORMULA_MAX_SRC, "公式过长：超过 1024 个字符");
	else if (memchr(src, '\0', len))
		fail(p, (size_t)((const char *)memchr(src, '\0', len) - src), "意外的字符 0x00");
	else if (peek(p) < 0)
		fail(p, 0, "公式为空");
	int root = p->failed ? -1 : parse_expr(p);
	int c = root >= 0 ? peek(p) : -1;
	if (c == ')')
		fail(p, p->pos, "括号不匹配：多余的 ')'");
	else if (is_alpha(c) || is_digit(c) || c == '_' || c == '(')
		fail(p, p->pos, "多余的内容：缺少运算符");
	else if (c >= 0)
		fail_char(p, p->pos, c);
	if (!p->failed && !(f = formula_pack(p, root)))
		snprintf(err->msg, sizeof err->msg, "内存不足");
	free(p);
	return f;
}

void formula_free(struct formula *f)
{
	free(f);
}

const char *formula_source(const struct formula *f)
{
	return f->src;
}

int formula_metrics(const struct formula *f, const char **names, int *cols, int max)
{
	for (int i = 0; i < f->nmetrics && i < max; i++) {
		if (names)
			names[i] = f->pool + f->metrics[i].off;
		if (cols)
			cols[i] = f->metrics[i].col;
	}
	return f->nmetrics;
}

struct evalctx {
	const struct formula *f;
	formula_metric_fn metric;
	void *ctx;
	struct fz_err *e;
};

static int eval_node(struct evalctx *c, int i, double *out);

static int eval_metric(struct evalctx *c, const struct fnode *n, double *out)
{
	const char *name = c->f->pool + c->f->metrics[n->arg].off;
	int rc = c->metric ? c->metric(c->ctx, name, out) : -1;
	if (rc < 0) {
		fz_fail(c->e, 422, "unknown_metric", "formula", "未知数据项 %s（第 %d 列）", name, n->col);
		return FORMULA_ERROR;
	}
	if (rc > 0)
		return FORMULA_NA;
	return isfinite(*out) ? FORMULA_OK : FORMULA_NA;
}

/* Applies an operator to evaluated operands; any NA is NA except if_na. */
static int eval_apply(const struct fnode *n, const double *v, const int *st, int argc, double *out)
{
	int na = 0;
	for (int k = 0; k < argc; k++)
		na |= st[k] == FORMULA_NA;
	if (n->op == OP_IF_NA) {
		*out = st[0] == FORMULA_NA ? v[1] : v[0];
		return st[0] == FORMULA_NA ? st[1] : FORMULA_OK;
	}
	if (na)
		return FORMULA_NA;
	switch (n->op) {
	case OP_NEG: *out = -v[0]; break;
	case OP_ADD: *out = v[0] + v[1]; break;
	case OP_SUB: *out = v[0] - v[1]; break;
	case OP_MUL: *out = v[0] * v[1]; break;
	case OP_DIV:
	case OP_RATIO:
		if (v[1] == 0)
			return FORMULA_NA;
		*out = v[0] / v[1];
		break;
	case OP_IF_ZERO: *out = v[0] == 0 ? v[1] : v[0]; break;
	case OP_MIN:
	case OP_MAX:
		*out = v[0];
		for (int k = 1; k < argc; k++)
			if (n->op == OP_MIN ? v[k] < *out : v[k] > *out)
				*out = v[k];
		break;
	default: return FORMULA_NA;
	}
	return FORMULA_OK;
}

/* Every operand is evaluated (so an unknown metric is always reported,
 * even beside an NA); errors win over NA. */
static int eval_node(struct evalctx *c, int i, double *out)
{
	const struct fnode *n = &c->f->nodes[i];
	double v[FORMULA_MAX_ARGS] = { 0 };
	int st[FORMULA_MAX_ARGS] = { 0 }, argc = 0, err = 0;
	if (n->op == OP_NUM) {
		*out = n->num;
		return FORMULA_OK;
	}
	if (n->op == OP_METRIC)
		return eval_metric(c, n, out);
	for (int k = n->kid; k >= 0 && argc < FORMULA_MAX_ARGS; k = c->f->nodes[k].next, argc++) {
		st[argc] = eval_node(c, k, &v[argc]);
		err |= st[argc] == FORMULA_ERROR;
	}
	if (err)
		return FORMULA_ERROR;
	int rc = eval_apply(n, v, st, argc, out);
	if (rc == FORMULA_OK && !isfinite(*out)) {
		fz_fail(c->e, 422, "formula_overflow", "formula", "计算结果溢出（第 %d 列）", n->col);
		return FORMULA_ERROR;
	}
	return rc;
}

int formula_eval(const struct formula *f, formula_metric_fn metric, void *ctx, double *out,
		 struct fz_err *e)
{
	struct evalctx c = { .f = f, .metric = metric, .ctx = ctx, .e = e };
	double v = 0;
	int rc = eval_node(&c, f->root, &v);
	*out = rc == FORMULA_OK ? v : 0;
	return rc;
}
