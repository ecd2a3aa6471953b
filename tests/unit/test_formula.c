/*
 * test_formula.c — the indicator formula language: precedence, functions,
 * NA on zero denominators (ratio and plain division), NA propagation,
 * evaluation errors, parse errors with their column, the depth, node and
 * length limits, metric listing, and a deterministic random-input sweep.
 */
#include "t.h"
#include "engine/formula.h"

#include <math.h>

struct metric_kv {
	const char *name;
	double value;
	int na;
};

static const struct metric_kv METRICS[] = {
	{ "a", 6, 0 },
	{ "b", 4, 0 },
	{ "zero", 0, 0 },
	{ "proposal.received", 40, 0 },
	{ "proposal.closed", 38, 0 },
	{ "proposal.closed_on_time", 36, 0 },
	{ "annual_report.published_day", 0, 1 },
	{ "x_1.y2", 2.5, 0 },
};

static int metric_get(void *ctx, const char *name, double *out)
{
	int *calls = ctx;
	if (calls)
		(*calls)++;
	for (size_t i = 0; i < sizeof METRICS / sizeof METRICS[0]; i++)
		if (strcmp(METRICS[i].name, name) == 0) {
			*out = METRICS[i].value;
			return METRICS[i].na ? 1 : 0;
		}
	return -1;
}

/* Parses and evaluates src; returns the formula_eval result and *v. */
static int eval(const char *src, double *v)
{
	struct formula_err pe;
	struct fz_err e = { 0 };
	struct formula *f = formula_parse(src, strlen(src), &pe);
	if (!f) {
		fprintf(stderr, "parse failed: %s: col %d %s\n", src, pe.col, pe.msg);
		return -99;
	}
	int rc = formula_eval(f, metric_get, NULL, v, &e);
	formula_free(f);
	return rc;
}

#define CHECK_VAL(src, want)                                                        \
	do {                                                                        \
		double v_ = 0;                                                      \
		int rc_ = eval(src, &v_);                                           \
		CHECK_INT(rc_, FORMULA_OK);                                         \
		if (fabs(v_ - (want)) > 1e-12) {                                    \
			t_fail++;                                                   \
			fprintf(stderr, "%s:%d: %s = %.17g, expected %.17g\n",      \
				__FILE__, __LINE__, src, v_, (double)(want));       \
		}                                                                   \
	} while (0)

#define CHECK_NA(src)                                                               \
	do {                                                                        \
		double v_ = 0;                                                      \
		CHECK_INT(eval(src, &v_), FORMULA_NA);                              \
	} while (0)

static void test_precedence(void)
{
	CHECK_VAL("1 + 2 * 3", 7);
	CHECK_VAL("(1 + 2) * 3", 9);
	CHECK_VAL("10 - 4 - 3", 3);
	CHECK_VAL("8 / 4 / 2", 1);
	CHECK_VAL("2 * 3 + 4 * 5", 26);
	CHECK_VAL("2 * (3 + 4) * 5", 70);
	CHECK_VAL("-2 * 3", -6);
	CHECK_VAL("2 * -3", -6);
	CHECK_VAL("- -4", 4);
	CHECK_VAL("1 - -1", 2);
	CHECK_VAL("-(1 + 2) * 2", -6);
	CHECK_VAL("0.95", 0.95);
	CHECK_VAL("\t1+2 ", 3);
	CHECK_VAL("a * b - a / b", 24 - 1.5);
	CHECK_VAL("x_1.y2 * 2", 5);
}

static void test_functions(void)
{
	CHECK_VAL("ratio(3, 4)", 0.75);
	CHECK_VAL("ratio(proposal.closed_on_time, proposal.received)", 0.9);
	CHECK_VAL("ratio(proposal.closed, proposal.received) * 100", 95);
	CHECK_VAL("min(3, 1, 2)", 1);
	CHECK_VAL("max(3, 1, 2)", 3);
	CHECK_VAL("min(1, 2, 3, 4, 5, 6, 7, 0.5)", 0.5);
	CHECK_VAL("if_zero(zero, 5)", 5);
	CHECK_VAL("if_zero(3, 5)", 3);
	CHECK_VAL("if_na(ratio(1, zero), 1)", 1);
	CHECK_VAL("if_na(ratio(1, 2), 1)", 0.5);
	CHECK_VAL("if_na(annual_report.published_day, 400)", 400);
	/* nested */
	CHECK_VAL("ratio(min(a, b), max(a, b) + 2) * 100", 50);
	CHECK_VAL("max(ratio(a, b), min(1, ratio(b, a)), (a - b) / 4)", 1.5);
	CHECK_VAL("ratio(ratio(1, 2), ratio(1, 4))", 2);
}

static void test_na(void)
{
	CHECK_NA("ratio(1, 0)");
	CHECK_NA("ratio(0, 0)");
	CHECK_NA("ratio(a, zero)");
	CHECK_NA("ratio(a, b - 4)");
	CHECK_NA("1 / 0");                          /* plain division: NA too */
	CHECK_NA("a / (b - b)");
	CHECK_NA("ratio(a, zero) * 100 + 1");       /* NA propagates */
	CHECK_NA("min(1, ratio(1, 0))");
	CHECK_NA("-ratio(1, 0)");
	CHECK_NA("if_zero(ratio(1, 0), 3)");
	CHECK_NA("annual_report.published_day");    /* the source says NA */
	CHECK_NA("if_na(ratio(1, 0), ratio(2, 0))");
}

static void test_eval_errors(void)
{
	struct formula_err pe;
	struct fz_err e = { 0 };
	double v = 1;
	int calls = 0;
	const char *src = "ratio(1, zero) + nosuch.metric";
	struct formula *f = formula_parse(src, strlen(src), &pe);
	CHECK(f != NULL);
	if (!f)
		return;
	/* an unknown metric is an error even next to an NA */
	CHECK_INT(formula_eval(f, metric_get, &calls, &v, &e), FORMULA_ERROR);
	CHECK_STR(e.code, "unknown_metric");
	CHECK(strstr(e.msg, "nosuch.metric") != NULL);
	CHECK(strstr(e.msg, "第 18 列") != NULL);
	CHECK_INT(calls, 2);
	CHECK(v == 0);
	/* no source at all: every metric is unknown */
	CHECK_INT(formula_eval(f, NULL, NULL, &v, &e), FORMULA_ERROR);
	formula_free(f);

	char big[600] = "999999999999";
	for (int i = 0; i < 27; i++)
		strcat(big, " * 999999999999");
	f = formula_parse(big, strlen(big), &pe);
	CHECK(f != NULL);
	if (f) {
		CHECK_INT(formula_eval(f, metric_get, NULL, &v, &e), FORMULA_ERROR);
		CHECK_STR(e.code, "formula_overflow");
		formula_free(f);
	}
}

struct bad_case {
	const char *src;
	int col;
	const char *msg_part;
};

static void test_parse_errors(void)
{
	static const struct bad_case cases[] = {
		{ "", 1, "为空" },
		{ "   ", 1, "为空" },
		{ "1 +", 4, "缺少操作数" },
		{ "1 + * 2", 5, "意外的字符 '*'" },
		{ "ratio(a b)", 9, "缺少 ',' 或 ')'" },
		{ "ratio(a, b", 11, "缺少 ',' 或 ')'" },
		{ "foo(1)", 1, "未知函数 foo" },
		{ "ratio(1)", 1, "需要 2 个参数" },
		{ "if_na(1, 2, 3)", 1, "需要 2 个参数" },
		{ "min(1)", 1, "需要 2 至 8 个参数" },
		{ "max(1, 2, 3, 4, 5, 6, 7, 8, 9)", 1, "需要 2 至 8 个参数" },
		{ "min()", 5, "意外的字符 ')'" },
		{ "(1 + 2", 1, "缺少 ')'" },
		{ "((1)", 1, "缺少 ')'" },
		{ "1 + 2)", 6, "多余的 ')'" },
		{ "1 2", 3, "多余的内容" },
		{ "a..b", 3, "连续的 '.'" },
		{ "a. + 1", 2, "不能以 '.' 结尾" },
		{ "1.2.3", 1, "数字格式错误" },
		{ "1.", 1, "数字格式错误" },
		{ ".5", 1, "意外的字符 '.'" },
		{ "2x", 2, "数字后不能紧跟名称" },
		{ "1 # 2", 3, "意外的字符 '#'" },
		{ "1 + 中", 5, "意外的字符 0xE4" },
		{ "a +\n1", 4, "意外的字符 0x0A" },
		{ "1e5", 2, "数字后不能紧跟名称" },
		{ "1234567890123", 1, "数字格式错误" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct formula_err pe = { 0 };
		struct formula *f = formula_parse(cases[i].src, strlen(cases[i].src), &pe);
		CHECK(f == NULL);
		formula_free(f);
		if (pe.col != cases[i].col || !strstr(pe.msg, cases[i].msg_part)) {
			t_fail++;
			fprintf(stderr, "\"%s\": col %d \"%s\", expected col %d \"%s\"\n", cases[i].src,
				pe.col, pe.msg, cases[i].col, cases[i].msg_part);
		} else {
			t_pass++;
		}
	}
	/* an embedded NUL is a bad character, not the end */
	struct formula_err pe;
	CHECK(formula_parse("1 +\0 2", 6, &pe) == NULL);
	CHECK_INT(pe.col, 4);
	/* a long name */
	char name[80];
	memset(name, 'm', 65);
	name[65] = '\0';
	CHECK(formula_parse(name, 65, &pe) == NULL);
	CHECK(strstr(pe.msg, "名称过长") != NULL);
	struct formula *f = formula_parse(name, 64, &pe);
	CHECK(f != NULL);
	formula_free(f);
}

/* Builds `open` repeated n times, then "1", then `close` n times. */
static char *nest(const char *open, const char *close, int n)
{
	size_t lo = strlen(open), lc = strlen(close);
	char *s = malloc((lo + lc) * (size_t)n + 2);
	char *p = s;
	for (int i = 0; i < n; i++, p += lo)
		memcpy(p, open, lo);
	*p++ = '1';
	for (int i = 0; i < n; i++, p += lc)
		memcpy(p, close, lc);
	*p = '\0';
	return s;
}

static void check_depth(const char *open, const char *close, int ok_col)
{
	struct formula_err pe;
	char *s = nest(open, close, FORMULA_MAX_DEPTH);
	struct formula *f = formula_parse(s, strlen(s), &pe);
	double v = 0;
	struct fz_err e;
	CHECK(f != NULL);
	if (f)
		CHECK_INT(formula_eval(f, metric_get, NULL, &v, &e), FORMULA_OK);
	formula_free(f);
	free(s);
	s = nest(open, close, FORMULA_MAX_DEPTH + 1);
	f = formula_parse(s, strlen(s), &pe);
	CHECK(f == NULL);
	CHECK(strstr(pe.msg, "嵌套过深") != NULL);
	CHECK_INT(pe.col, ok_col);
	formula_free(f);
	free(s);
}

static void test_limits(void)
{
	check_depth("(", ")", 65);           /* the 65th '(' */
	check_depth("-", "", 65);
	check_depth("min(1,", ")", 64 * 6 + 1);     /* the 65th "min" */

	/* 128 ones and 127 '+' = 255 nodes; one more "+1" = 257 */
	char s[600] = "1";
	for (int i = 0; i < 127; i++)
		strcat(s, "+1");
	struct formula_err pe;
	struct formula *f = formula_parse(s, strlen(s), &pe);
	double v = 0;
	struct fz_err e;
	CHECK(f != NULL);
	if (f)
		CHECK_INT(formula_eval(f, metric_get, NULL, &v, &e), FORMULA_OK);
	CHECK_VAL(s, 128);
	formula_free(f);
	strcat(s, "+1");
	f = formula_parse(s, strlen(s), &pe);
	CHECK(f == NULL);
	CHECK(strstr(pe.msg, "256") != NULL);
	CHECK_INT(pe.col, 256);              /* the 128th '+' */

	char *long_src = malloc(FORMULA_MAX_SRC + 2);
	memset(long_src, ' ', FORMULA_MAX_SRC + 1);
	long_src[0] = '1';
	long_src[FORMULA_MAX_SRC + 1] = '\0';
	f = formula_parse(long_src, FORMULA_MAX_SRC, &pe);
	CHECK(f != NULL);
	formula_free(f);
	CHECK(formula_parse(long_src, FORMULA_MAX_SRC + 1, &pe) == NULL);
	CHECK(strstr(pe.msg, "公式过长") != NULL);
	free(long_src);
}

static void test_metrics_list(void)
{
	const char *src = "ratio(b.x, a) + b.x + c";
	struct formula_err pe;
	struct formula *f = formula_parse(src, strlen(src), &pe);
	const char *names[4] = { 0 };
	int cols[4] = { 0 };
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(formula_metrics(f, names, cols, 4), 3);
	CHECK_STR(names[0], "b.x");
	CHECK_STR(names[1], "a");
	CHECK_STR(names[2], "c");
	CHECK_INT(cols[0], 7);
	CHECK_INT(cols[1], 12);
	CHECK_INT(cols[2], 23);
	memset(names, 0, sizeof names);
	CHECK_INT(formula_metrics(f, names, NULL, 1), 3);   /* count, one filled */
	CHECK_STR(names[0], "b.x");
	CHECK(names[1] == NULL);
	CHECK_STR(formula_source(f), src);
	formula_free(f);

	f = formula_parse("1 + 2", 5, &pe);
	CHECK(f && formula_metrics(f, NULL, NULL, 0) == 0);
	formula_free(f);
	/* function names are not metrics; a metric may be called like one */
	f = formula_parse("min(ratio, max) + ratio", 23, &pe);
	CHECK(f && formula_metrics(f, names, NULL, 4) == 2);
	formula_free(f);
}

static void test_numbers(void)
{
	double v = -1;
	CHECK(formula_number_parse("12", 2, &v) == 0 && v == 12);
	CHECK(formula_number_parse("0.95", 4, &v) == 0 && fabs(v - 0.95) < 1e-15);
	CHECK(formula_number_parse("1.5x", 3, &v) == 0 && v == 1.5);
	CHECK(formula_number_parse("", 0, &v) != 0);
	CHECK(formula_number_parse("-1", 2, &v) != 0);
	CHECK(formula_number_parse("1e3", 3, &v) != 0);
	CHECK(formula_number_parse("1.", 2, &v) != 0);
	CHECK(formula_number_parse("nan", 3, &v) != 0);
	CHECK(formula_number_parse("0x10", 4, &v) != 0);
}

/* Random strings over the language's alphabet never crash the parser;
 * whatever parses also evaluates to one of the three results. */
static void test_random(void)
{
	static const char alpha[] = "0123456789.+-*/(), abz_ratiominaxf";
	unsigned seed = 12345;
	int parsed = 0;
	for (int i = 0; i < 20000; i++) {
		char s[48];
		int n = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 40;
		for (int k = 0; k < n; k++)
			s[k] = alpha[((seed = seed * 1103515245u + 12345u) >> 16) % (sizeof alpha - 1)];
		struct formula_err pe;
		struct formula *f = formula_parse(s, (size_t)n, &pe);
		if (f) {
			double v;
			struct fz_err e;
			int rc = formula_eval(f, metric_get, NULL, &v, &e);
			if (rc < FORMULA_ERROR || rc > FORMULA_NA)
				t_fail++;
			parsed++;
		} else if (pe.col < 1 || pe.col > n + 1 || !pe.msg[0]) {
			t_fail++;
			fprintf(stderr, "bad error for \"%.*s\": col %d\n", n, s, pe.col);
		}
		formula_free(f);
	}
	CHECK(parsed > 100);
}

int main(void)
{
	test_precedence();
	test_functions();
	test_na();
	test_eval_errors();
	test_parse_errors();
	test_limits();
	test_metrics_list();
	test_numbers();
	test_random();
	return t_done();
}
