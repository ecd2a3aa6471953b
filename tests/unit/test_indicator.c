/*
 * test_indicator.c — indicator systems: each scoring rule with exact
 * numbers, NA redistribution vs exclusion, manual/bonus/penalty bounds,
 * evaluation errors, the shipped 2021 template (loads, weights, auto items
 * 27 and 34 evaluated), bad files refused at the right line, the
 * `fazhi indicators check` command, and a mutation sweep for robustness.
 */
#include "t.h"
#include "cli.h"
#include "engine/indicator.h"
#include "engine/eval.h"

#include <math.h>
#include <unistd.h>

#define CHECK_NEAR(a, b)                                                            \
	do {                                                                        \
		double a_ = (a), b_ = (b);                                          \
		if (fabs(a_ - b_) <= 1e-9) {                                        \
			t_pass++;                                                   \
		} else {                                                            \
			t_fail++;                                                   \
			fprintf(stderr, "%s:%d: %s == %.12g, expected %.12g\n",     \
				__FILE__, __LINE__, #a, a_, b_);                    \
		}                                                                   \
	} while (0)

/* ---- a metric source: name → value, or NA ---- */

#define NA_VALUE (-12345.0)

struct kv {
	const char *name;
	double v;
};

struct source {
	struct kv kv[96];
	int n;
};

static void set(struct source *s, const char *name, double v)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->kv[i].name, name) == 0) {
			s->kv[i].v = v;
			return;
		}
	if (s->n == (int)(sizeof s->kv / sizeof s->kv[0])) {
		fprintf(stderr, "test source full: make struct source larger\n");
		abort();
	}
	s->kv[s->n++] = (struct kv){ name, v };
}

static int source_get(void *ctx, const char *name, double *out)
{
	const struct source *s = ctx;
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->kv[i].name, name) == 0) {
			*out = s->kv[i].v;
			return s->kv[i].v == NA_VALUE ? 1 : 0;
		}
	return -1;
}

static struct indicator_system *parse(const char *text, struct indicator_diags *dg)
{
	struct indicator_system *s = indicator_system_parse(text, strlen(text), NULL, 0, dg);
	for (int i = 0; !s && i < dg->n; i++)
		fprintf(stderr, "  line %d: %s\n", dg->d[i].line, dg->d[i].msg);
	return s;
}

static const struct indicator_score *item(const struct indicator_system *s, const struct indicator_result *r,
					  const char *id)
{
	static const struct indicator_score none = { .status = -1 };
	int i = indicator_find(s, id);
	if (i < 0)
		fprintf(stderr, "no indicator %s\n", id);
	return i < 0 ? &none : &r->item[i];
}

/* ---- scoring rules ---- */

static const char RULES[] =
	"system rules 1 评分规则\n"
	"total 80\n"
	"1   | 规则 | 80\n"
	"1.1 | 线性 | 10 | auto | v.linear | target >= 90% linear\n"
	"1.2 | 阶梯 | 10 | auto | v.stepped | target >= 95% stepped [90%:8, 80%:5]\n"
	"1.3 | 全有全无 | 10 | auto | v.aon | target >= 100% all_or_nothing\n"
	"1.4 | 越低越好 | 10 | auto | v.lower | lower_is_better <= 5% linear to 25%\n"
	"1.5 | 次数 | 10 | auto | v.count | count >= 2\n"
	"1.6 | 日期 | 10 | auto | v.day | date_before 04-01\n"
	"1.7 | 次数阶梯 | 10 | auto | v.count2 | count >= 4 stepped [2:6, 1:3]\n"
	"1.8 | 越低越好全无 | 10 | auto | v.lower2 | lower_is_better <= 0 all_or_nothing\n";

struct rule_case {
	const char *id, *metric;
	double value, score;
	int status;
};

static void test_rules(void)
{
	static const struct rule_case cases[] = {
		{ "1.1", "v.linear", 0.95, 10, INDICATOR_STATUS_OK },
		{ "1.1", "v.linear", 0.90, 10, INDICATOR_STATUS_OK },
		{ "1.1", "v.linear", 0.72, 8, INDICATOR_STATUS_BELOW },
		{ "1.1", "v.linear", 0.45, 5, INDICATOR_STATUS_BELOW },
		{ "1.1", "v.linear", 0, 0, INDICATOR_STATUS_BELOW },
		{ "1.2", "v.stepped", 0.96, 10, INDICATOR_STATUS_OK },
		{ "1.2", "v.stepped", 0.95, 10, INDICATOR_STATUS_OK },
		{ "1.2", "v.stepped", 0.92, 8, INDICATOR_STATUS_BELOW },
		{ "1.2", "v.stepped", 0.90, 8, INDICATOR_STATUS_BELOW },
		{ "1.2", "v.stepped", 0.85, 5, INDICATOR_STATUS_BELOW },
		{ "1.2", "v.stepped", 0.79, 0, INDICATOR_STATUS_BELOW },
		{ "1.3", "v.aon", 1, 10, INDICATOR_STATUS_OK },
		{ "1.3", "v.aon", 0.999, 0, INDICATOR_STATUS_BELOW },
		{ "1.4", "v.lower", 0.03, 10, INDICATOR_STATUS_OK },
		{ "1.4", "v.lower", 0.05, 10, INDICATOR_STATUS_OK },
		{ "1.4", "v.lower", 0.10, 7.5, INDICATOR_STATUS_BELOW },
		{ "1.4", "v.lower", 0.15, 5, INDICATOR_STATUS_BELOW },
		{ "1.4", "v.lower", 0.25, 0, INDICATOR_STATUS_BELOW },
		{ "1.4", "v.lower", 0.30, 0, INDICATOR_STATUS_BELOW },
		{ "1.5", "v.count", 3, 10, INDICATOR_STATUS_OK },
		{ "1.5", "v.count", 2, 10, INDICATOR_STATUS_OK },
		{ "1.5", "v.count", 1, 5, INDICATOR_STATUS_BELOW },
		{ "1.5", "v.count", 0, 0, INDICATOR_STATUS_BELOW },
		{ "1.6", "v.day", 90, 10, INDICATOR_STATUS_OK },       /* 31 March */
		{ "1.6", "v.day", 91, 0, INDICATOR_STATUS_BELOW },     /* 1 April: not before */
		{ "1.6", "v.day", -5, 10, INDICATOR_STATUS_OK },       /* the December before */
		{ "1.6", "v.day", 400, 0, INDICATOR_STATUS_BELOW },    /* the year after */
		{ "1.7", "v.count2", 5, 10, INDICATOR_STATUS_OK },
		{ "1.7", "v.count2", 3, 6, INDICATOR_STATUS_BELOW },
		{ "1.7", "v.count2", 1, 3, INDICATOR_STATUS_BELOW },
		{ "1.7", "v.count2", 0, 0, INDICATOR_STATUS_BELOW },
		{ "1.8", "v.lower2", 0, 10, INDICATOR_STATUS_OK },
		{ "1.8", "v.lower2", 0.01, 0, INDICATOR_STATUS_BELOW },
	};
	struct indicator_diags dg;
	struct indicator_system *s = parse(RULES, &dg);
	static struct indicator_result r;
	static struct manual_scores m;
	CHECK(s != NULL);
	if (!s)
		return;
	indicator_manual_init(&m, 2025);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct source src = { .n = 0 };
		static const char *const all[] = { "v.linear", "v.stepped", "v.aon", "v.lower",
						   "v.count", "v.day", "v.count2", "v.lower2" };
		for (int k = 0; k < 8; k++)
			set(&src, all[k], 0);
		set(&src, cases[i].metric, cases[i].value);
		CHECK_INT(indicator_evaluate(s, source_get, &src, &m, &r), 0);
		const struct indicator_score *it = item(s, &r, cases[i].id);
		if (fabs(it->score - cases[i].score) > 1e-9 || it->status != cases[i].status ||
		    it->max != 10 || !it->has_value || it->value != cases[i].value) {
			t_fail++;
			fprintf(stderr, "rule %s value %g: score %g status %s, expected %g %s\n", cases[i].id,
				cases[i].value, it->score, indicator_status_name(it->status), cases[i].score,
				indicator_status_name(cases[i].status));
		} else {
			t_pass++;
		}
	}
	indicator_system_free(s);
}

/* date_before: the leap year shifts the day number of 1 April; no date
 * yet (NA) means not done, which scores 0 and is a gap, not NA. */
static void test_date_rule(void)
{
	struct indicator_diags dg;
	struct indicator_system *s = parse("system d 1 日期\n1 | 年度报告 | 2 | auto | annual_report.published_day"
					   " | date_before 04-01\n", &dg);
	static struct indicator_result r;
	static struct manual_scores m;
	struct source src = { .n = 0 };
	CHECK(s != NULL);
	if (!s)
		return;
	indicator_manual_init(&m, 2024);
	set(&src, "annual_report.published_day", 91);          /* 31 March 2024 */
	indicator_evaluate(s, source_get, &src, &m, &r);
	CHECK_NEAR(r.item[0].score, 2);
	set(&src, "annual_report.published_day", 92);          /* 1 April 2024 */
	indicator_evaluate(s, source_get, &src, &m, &r);
	CHECK_NEAR(r.item[0].score, 0);
	indicator_manual_init(&m, 2025);
	set(&src, "annual_report.published_day", 91);          /* 1 April 2025 */
	indicator_evaluate(s, source_get, &src, &m, &r);
	CHECK_NEAR(r.item[0].score, 0);
	set(&src, "annual_report.published_day", NA_VALUE);    /* not published */
	CHECK_INT(indicator_evaluate(s, source_get, &src, &m, &r), 0);
	CHECK_INT(r.item[0].status, INDICATOR_STATUS_BELOW);
	CHECK_INT(r.item[0].has_value, 0);
	CHECK_NEAR(r.item[0].score, 0);
	CHECK_NEAR(r.item[0].max, 2);
	CHECK_NEAR(r.base_max, 2);
	CHECK_INT(r.nbelow, 1);
	CHECK_INT(r.nna, 0);
	indicator_system_free(s);
}

/* ---- NA: redistribute vs exclude ---- */

/* a printf format: %s is the NA rule */
static const char NA_SYS[] =
	"system na 1 不适用项\n"
	"total 20\n"
	"na_rule %s\n"
	"1   | A | 12\n"
	"1.1 | a1 | 6 | auto | ratio(x.num, x.den) | target >= 100%% linear\n"
	"1.2 | a2 | 4 | auto | ratio(y.num, y.den) | target >= 100%% linear\n"
	"1.3 | a3 | 2 | manual\n"
	"2   | B | 8\n"
	"2.1 | b1 | 8 | auto | ratio(z.num, z.den) | target >= 100%% linear\n";

static struct indicator_system *na_system(const char *rule)
{
	char text[1024];
	struct indicator_diags dg;
	snprintf(text, sizeof text, NA_SYS, rule);
	return parse(text, &dg);
}

static void na_eval(const struct indicator_system *s, double y_den, double z_den, struct indicator_result *r)
{
	static struct manual_scores m;
	struct source src = { .n = 0 };
	struct fz_err e;
	set(&src, "x.num", 1), set(&src, "x.den", 2);
	set(&src, "y.num", 0), set(&src, "y.den", y_den);
	set(&src, "z.num", 1), set(&src, "z.den", z_den);
	indicator_manual_init(&m, 2025);
	CHECK_INT(indicator_manual_set(&m, s, "1.3", 2, &e), 0);
	CHECK_INT(indicator_evaluate(s, source_get, &src, &m, r), 0);
}

static void test_na_rules(void)
{
	static struct indicator_result r;
	struct indicator_system *red = na_system("redistribute"), *exc = na_system("exclude");
	CHECK(red && exc);
	if (!red || !exc)
		goto out;
	/* a2 NA (0/0): redistribute gives its 4 points to a1 and a3 as 6:2 */
	na_eval(red, 0, 1, &r);
	CHECK_INT(item(red, &r, "1.2")->status, INDICATOR_STATUS_NA);
	CHECK_INT(item(red, &r, "1.2")->has_value, 0);
	CHECK_NEAR(item(red, &r, "1.2")->max, 0);
	CHECK_NEAR(item(red, &r, "1.1")->max, 9);
	CHECK_NEAR(item(red, &r, "1.1")->score, 4.5);
	CHECK_NEAR(item(red, &r, "1.3")->max, 3);
	CHECK_NEAR(item(red, &r, "1.3")->score, 3);
	CHECK_NEAR(item(red, &r, "1")->max, 12);
	CHECK_NEAR(item(red, &r, "1")->score, 7.5);
	CHECK_INT(item(red, &r, "1")->status, INDICATOR_STATUS_BELOW);
	CHECK_NEAR(item(red, &r, "2")->score, 8);
	CHECK_INT(item(red, &r, "2")->status, INDICATOR_STATUS_OK);
	CHECK_NEAR(r.base, 15.5);
	CHECK_NEAR(r.base_max, 20);
	CHECK_NEAR(r.total, 15.5);
	CHECK_INT(r.nna, 1);
	CHECK_INT(r.nbelow, 1);
	/* exclude: a2's 4 points leave the score and the maximum */
	na_eval(exc, 0, 1, &r);
	CHECK_NEAR(item(exc, &r, "1.1")->max, 6);
	CHECK_NEAR(item(exc, &r, "1.1")->score, 3);
	CHECK_NEAR(item(exc, &r, "1.3")->max, 2);
	CHECK_NEAR(item(exc, &r, "1")->max, 8);
	CHECK_NEAR(item(exc, &r, "1")->score, 5);
	CHECK_NEAR(r.base, 13);
	CHECK_NEAR(r.base_max, 16);
	/* a whole area NA: its group is NA; redistribute moves its 8 points
	 * to area A (max 20), exclude drops them (max 12) */
	na_eval(red, 1, 0, &r);
	CHECK_INT(item(red, &r, "2")->status, INDICATOR_STATUS_NA);
	CHECK_NEAR(item(red, &r, "1")->max, 20);
	CHECK_NEAR(item(red, &r, "1.1")->max, 10);
	CHECK_NEAR(item(red, &r, "1.1")->score, 5);
	CHECK_NEAR(r.base, 5 + 0 + 20.0 * 2 / 12);
	CHECK_NEAR(r.base_max, 20);
	na_eval(exc, 1, 0, &r);
	CHECK_NEAR(r.base_max, 12);
	CHECK_NEAR(r.base, 3 + 0 + 2);
	/* nothing NA: nominal weights in both */
	na_eval(red, 1, 1, &r);
	CHECK_NEAR(item(red, &r, "1.1")->max, 6);
	CHECK_NEAR(r.base, 3 + 0 + 2 + 8);
out:
	indicator_system_free(red);
	indicator_system_free(exc);
}

/* A manual item marked not applicable is NA like a zero denominator. */
static void test_manual_na(void)
{
	static struct indicator_result r;
	static struct manual_scores m;
	struct fz_err e;
	struct source src = { .n = 0 };
	struct indicator_system *s = na_system("redistribute");
	if (!s)
		return;
	set(&src, "x.num", 1), set(&src, "x.den", 1);
	set(&src, "y.num", 1), set(&src, "y.den", 1);
	set(&src, "z.num", 1), set(&src, "z.den", 1);
	indicator_manual_init(&m, 2025);
	CHECK_INT(indicator_manual_set_na(&m, s, "1.3", &e), 0);
	indicator_evaluate(s, source_get, &src, &m, &r);
	CHECK_INT(item(s, &r, "1.3")->status, INDICATOR_STATUS_NA);
	CHECK_NEAR(item(s, &r, "1.1")->max, 7.2);
	CHECK_NEAR(item(s, &r, "1.2")->max, 4.8);
	CHECK_NEAR(r.total, 20);
	CHECK_INT(item(s, &r, "1")->status, INDICATOR_STATUS_OK);
	/* nothing entered: pending, counts 0, the area is pending */
	indicator_manual_init(&m, 2025);
	indicator_evaluate(s, source_get, &src, &m, &r);
	CHECK_INT(item(s, &r, "1.3")->status, INDICATOR_STATUS_PENDING);
	CHECK_INT(item(s, &r, "1")->status, INDICATOR_STATUS_PENDING);
	CHECK_INT(r.npending, 1);
	CHECK_NEAR(r.total, 18);
	CHECK_INT(indicator_evaluate(s, source_get, &src, NULL, &r), 0);
	CHECK_NEAR(r.total, 18);
	indicator_system_free(s);
}

/* ---- manual, bonus and penalty bounds ---- */

static const char BP_SYS[] =
	"system bp 1 附加项\n"
	"total 10\n"
	"1   | 人工 | 10 | manual\n"
	"B   | 加分 | 5 | bonus\n"
	"B.1 | 示范 | 3 | bonus\n"
	"B.2 | 推广 | 4 | bonus\n"
	"P   | 减分 | 6 | penalty\n"
	"P.1 | 通报 | 4 | penalty\n"
	"P.2 | 败诉 | 3 | penalty | lost.count * 2\n"
	"X   | 单项加分 | 1 | bonus\n";

static void test_bonus_penalty(void)
{
	static struct indicator_result r;
	static struct manual_scores m;
	struct indicator_diags dg;
	struct fz_err e = { 0 };
	struct source src = { .n = 0 };
	struct indicator_system *s = parse(BP_SYS, &dg);
	CHECK(s != NULL);
	if (!s)
		return;
	indicator_manual_init(&m, 2025);
	/* entries are bounded by the item's max */
	CHECK_INT(indicator_manual_set(&m, s, "1", 10.5, &e), -1);
	CHECK_STR(e.code, "invalid");
	CHECK(strstr(e.msg, "0 到 10") != NULL);
	CHECK_INT(indicator_manual_set(&m, s, "1", -1, &e), -1);
	CHECK_INT(indicator_manual_set(&m, s, "1", NAN, &e), -1);
	CHECK_INT(indicator_manual_set(&m, s, "B.1", 3.5, &e), -1);
	CHECK_INT(indicator_manual_set(&m, s, "B", 1, &e), -1);       /* a group */
	CHECK(strstr(e.msg, "分组项") != NULL);
	CHECK_INT(indicator_manual_set(&m, s, "P.2", 1, &e), -1);     /* has a formula */
	CHECK_INT(indicator_manual_set(&m, s, "nope", 1, &e), -1);
	CHECK_INT(e.status, 404);
	CHECK_INT(m.state[indicator_find(s, "1")], INDICATOR_ENTRY_NONE);

	CHECK_INT(indicator_manual_set(&m, s, "1", 8, &e), 0);
	CHECK_INT(indicator_manual_set(&m, s, "B.1", 3, &e), 0);
	CHECK_INT(indicator_manual_set(&m, s, "B.2", 4, &e), 0);
	CHECK_INT(indicator_manual_set(&m, s, "P.1", 4, &e), 0);
	CHECK_INT(indicator_manual_set(&m, s, "X", 1, &e), 0);
	set(&src, "lost.count", 5);                                   /* 10 points, cap 3 */
	CHECK_INT(indicator_evaluate(s, source_get, &src, &m, &r), 0);
	CHECK_NEAR(item(s, &r, "1")->score, 8);
	CHECK_INT(item(s, &r, "1")->status, INDICATOR_STATUS_MANUAL);
	CHECK_NEAR(item(s, &r, "B")->score, 5);                       /* 3 + 4 capped at 5 */
	CHECK_NEAR(item(s, &r, "P.2")->value, 10);
	CHECK_NEAR(item(s, &r, "P.2")->score, 3);
	CHECK_NEAR(item(s, &r, "P")->score, 6);                       /* 4 + 3 capped at 6 */
	CHECK_NEAR(r.bonus, 6);
	CHECK_NEAR(r.penalty, 6);
	CHECK_NEAR(r.base, 8);
	CHECK_NEAR(r.base_max, 10);                                   /* extras are not in the max */
	CHECK_NEAR(r.total, 8);

	/* a direct out-of-range write is clamped at evaluation */
	m.score[indicator_find(s, "1")] = 99;
	indicator_evaluate(s, source_get, &src, &m, &r);
	CHECK_NEAR(item(s, &r, "1")->score, 10);
	CHECK_NEAR(r.total, 10);

	/* the total never goes below zero */
	CHECK_INT(indicator_manual_set(&m, s, "1", 0, &e), 0);
	CHECK_INT(indicator_manual_set(&m, s, "B.1", 0, &e), 0);
	CHECK_INT(indicator_manual_set(&m, s, "B.2", 0, &e), 0);
	CHECK_INT(indicator_manual_set(&m, s, "X", 0, &e), 0);
	indicator_evaluate(s, source_get, &src, &m, &r);
	CHECK_NEAR(r.base + r.bonus - r.penalty, -6);
	CHECK_NEAR(r.total, 0);

	/* an NA formula applies no penalty; nothing entered applies nothing */
	set(&src, "lost.count", NA_VALUE);
	indicator_manual_init(&m, 2025);
	indicator_evaluate(s, source_get, &src, &m, &r);
	CHECK_INT(item(s, &r, "P.2")->status, INDICATOR_STATUS_NA);
	CHECK_NEAR(r.penalty, 0);
	CHECK_NEAR(r.bonus, 0);
	CHECK_INT(r.npending, 1);                                     /* only item 1 */
	indicator_system_free(s);
}

/* An unknown metric at evaluation time: the item scores 0 with status
 * error, the others are still evaluated, and the call reports it. */
static void test_eval_error(void)
{
	static struct indicator_result r;
	struct indicator_diags dg;
	struct source src = { .n = 0 };
	struct indicator_system *s = parse("system e 1 错误\n1 | A | 4\n"
					   "1.1 | a | 2 | auto | ratio(ok.n, gone.d) | target >= 1\n"
					   "1.2 | b | 2 | auto | ok.n | count >= 1\n", &dg);
	if (!s)
		return;
	set(&src, "ok.n", 1);
	CHECK_INT(indicator_evaluate(s, source_get, &src, NULL, &r), -1);
	CHECK_INT(r.nerrors, 1);
	CHECK_INT(item(s, &r, "1.1")->status, INDICATOR_STATUS_ERROR);
	CHECK_INT(item(s, &r, "1")->status, INDICATOR_STATUS_ERROR);
	CHECK_STR(r.err.code, "unknown_metric");
	CHECK(strstr(r.err.msg, "指标 1.1") && strstr(r.err.msg, "gone.d"));
	CHECK_NEAR(r.total, 2);
	indicator_system_free(s);
}

/* ---- the shipped template ---- */

/* The metrics evaluation knows (the registers' and the organisation's):
 * the list eval_metric_names gives, not a copy. */
static const char *KNOWN[256];
static int nknown;

static void load_known(void)
{
	nknown = eval_metric_names(KNOWN, 256);
}

static const char *template_path(void)
{
	static char buf[4096];
	const char *src = getenv("FAZHI_SRC");
	snprintf(buf, sizeof buf, "%s/data/indicators/template-2021.txt", src ? src : "../..");
	return buf;
}

static void template_structure(const struct indicator_system *s)
{
	static const double area[8] = { 14, 12, 12, 20, 6, 14, 12, 10 };
	int level[4] = { 0 }, nareas = 0, nauto = 0;
	double sum = 0;
	for (int i = 0; i < s->n; i++) {
		const struct indicator *it = &s->items[i];
		if (it->kind == INDICATOR_BONUS || it->kind == INDICATOR_PENALTY || it->kind == INDICATOR_VETO)
			continue;
		level[it->level]++;
		nauto += it->kind == INDICATOR_AUTO;
		if (it->level == 1 && nareas < 8) {
			CHECK_NEAR(it->weight, area[nareas]);
			nareas++;
			sum += it->weight;
		}
		if (it->nchildren == 0)
			CHECK_INT(it->level, 3);
	}
	CHECK_INT(level[1], 8);
	CHECK_INT(level[2], 34);
	CHECK(level[3] >= 34);
	CHECK_NEAR(sum, 100);
	CHECK_NEAR(s->total, 100);
	CHECK_INT(nauto, 41);
	CHECK_INT(s->na_rule, INDICATOR_NA_REDISTRIBUTE);
	/* items 27 and 34 are auto over the proposal and rectification metrics */
	for (int i = 0; i < s->n; i++) {
		const struct indicator *it = &s->items[i];
		if (it->parent >= 0 && (!strcmp(s->items[it->parent].id, "7.27") ||
					!strcmp(s->items[it->parent].id, "8.34")))
			CHECK_INT(it->kind, INDICATOR_AUTO);
	}
	CHECK(indicator_find(s, "B") >= 0 && indicator_find(s, "P") >= 0);
	CHECK(indicator_find(s, "V") >= 0 && s->items[indicator_find(s, "V")].kind == INDICATOR_VETO);
}

static void test_template(void)
{
	static struct indicator_result r;
	static struct manual_scores m;
	struct indicator_diags dg;
	struct source src = { .n = 0 };
	struct indicator_system *s = indicator_system_load(template_path(), KNOWN, nknown, &dg);
	for (int i = 0; !s && i < dg.n; i++)
		fprintf(stderr, "template line %d: %s\n", dg.d[i].line, dg.d[i].msg);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_STR(s->id, "fz-template-2021");
	template_structure(s);
	set(&src, "proposal.received", 40), set(&src, "proposal.rated", 38);
	set(&src, "proposal.replied_on_time", 36), set(&src, "proposal.satisfied", 35);
	set(&src, "rectification.supervision_due", 10), set(&src, "rectification.supervision_closed", 8);
	set(&src, "rectification.total", 12), set(&src, "rectification.closed", 8);
	set(&src, "rectification.closed_on_time", 6);
	set(&src, "officer.total", 50), set(&src, "officer.certified", 45), set(&src, "officer.trained", 36);
	/* area 四 from the cases; no case filed: 4.17.1 counts the certificates */
	set(&src, "enforcement_case.closed", 10), set(&src, "enforcement_case.fully_recorded", 9);
	set(&src, "enforcement_case.major_decided", 4), set(&src, "enforcement_case.major_reviewed", 4);
	set(&src, "enforcement_case.decided", 20), set(&src, "enforcement_case.benchmark_applied", 15);
	set(&src, "enforcement_case.lenient_applied", 2), set(&src, "enforcement_case.closed_on_time", 8);
	set(&src, "enforcement_case.filed", 0), set(&src, "enforcement_case.certified_officers", 0);
	set(&src, "case_file_review.reviewed", 20), set(&src, "case_file_review.passed", 18);
	set(&src, "enforcement_case.disclose_required", 16), set(&src, "enforcement_case.disclosed_on_time", 12);
	set(&src, "enforcement_case.by_team", 3);
	/* area 一: 1.3.1–1.3.3 from the inspections */
	set(&src, "inspection.routine", 80), set(&src, "inspection.random_draw", 72);
	set(&src, "inspection.total", 100), set(&src, "inspection.joint", 15);
	set(&src, "inspection.pairs", 40), set(&src, "inspection.pairs_over_cap", 2);
	set(&src, "inspection.random_graded", 54);
	set(&src, "judicial_suggestion.due", 10), set(&src, "judicial_suggestion.answered_on_time", 8);
	set(&src, "litigation.head_notified", 10), set(&src, "litigation.head_appeared", 9);
	set(&src, "litigation.judged", 20), set(&src, "litigation.lost", 1);
	set(&src, "litigation.judgment_due", 1), set(&src, "litigation.judgment_performed", 1);
	set(&src, "info_request.answered", 50), set(&src, "info_request.answered_on_time", 45);
	/* area 二 from the normative documents */
	set(&src, "normdoc.consult_required", 20), set(&src, "normdoc.consulted_in_time", 18);
	set(&src, "normdoc.issued", 22), set(&src, "normdoc.legality_reviewed", 22);
	set(&src, "normdoc.filing_due", 20), set(&src, "normdoc.filed_on_time", 18);
	set(&src, "normdoc.correction_required", 2), set(&src, "normdoc.corrected", 2);
	set(&src, "normdoc.in_force", 20), set(&src, "normdoc.on_portal", 20);
	set(&src, "gov_rule.consult_required", 4), set(&src, "gov_rule.consulted_30d", 3);
	set(&src, "reconsideration.due", 40), set(&src, "reconsideration.decided_on_time", 38);
	set(&src, "reconsideration.opinions", 4), set(&src, "reconsideration.opinions_on_time", 3);
	/* area 三: 3.10.1–3.13.1, each over the decisions that required it */
	set(&src, "decision_catalog.due", 4), set(&src, "decision_catalog.published_on_time", 3);
	set(&src, "major_decision.public_participation_required", 10), set(&src, "major_decision.public_participation_done", 10);
	set(&src, "major_decision.expert_review_required", 4), set(&src, "major_decision.expert_review_done", 3);
	set(&src, "major_decision.risk_assessment_required", 2), set(&src, "major_decision.risk_assessment_done", 1);
	set(&src, "major_decision.legality_review_required", 12), set(&src, "major_decision.legality_review_done", 12);
	set(&src, "major_decision.collective_decision_required", 12), set(&src, "major_decision.collective_decision_done", 11);
	set(&src, "major_decision.decided", 10), set(&src, "major_decision.adviser_opinion", 9);
	set(&src, "major_decision.evaluation_due", 2), set(&src, "major_decision.evaluated_on_time", 1);
	/* 6.25 from the 行政调解、行政裁决 cases */
	set(&src, "mediation.mediated", 40), set(&src, "mediation.succeeded", 30);
	set(&src, "mediation.adjudicated", 10), set(&src, "mediation.adjudicated_on_time", 9);
	indicator_manual_init(&m, 2025);
	CHECK_INT(indicator_evaluate(s, source_get, &src, &m, &r), 0);
	CHECK_NEAR(item(s, &r, "7.27.1")->score, 2 * 0.9);           /* 36/40, target 100% */
	CHECK_NEAR(item(s, &r, "7.27.2")->score, 1.5);               /* 35/38 = 92%: step 90% */
	CHECK_NEAR(item(s, &r, "8.34.1")->score, 2.5 * 0.8);         /* 8/10 法治督察 items due */
	CHECK_NEAR(item(s, &r, "8.34.2")->score, 1.5 * 0.75 / 0.9);  /* 6/8 vs 90% */
	CHECK_NEAR(item(s, &r, "4.17.1")->score, 2 * 0.9);           /* 45 of 50 certificates valid */
	CHECK_NEAR(item(s, &r, "4.15.1")->score, 2 * 0.9);           /* 9 of 10 closed cases fully recorded */
	CHECK_NEAR(item(s, &r, "4.16.1")->score, 3);                 /* every major decision reviewed */
	CHECK_NEAR(item(s, &r, "4.18.1")->score, 2 * 0.75);          /* 15 of 20 decisions by a benchmark */
	CHECK_NEAR(item(s, &r, "4.18.2")->score, 1);                 /* 首违不罚 applied */
	CHECK_NEAR(item(s, &r, "4.20.1")->score, 2 * 0.8);           /* 8 of 10 decided within the limit */
	CHECK_NEAR(item(s, &r, "4.17.2")->score, 1 * 0.8);           /* 36 of the 45 trained 60 学时 */
	CHECK_NEAR(item(s, &r, "4.19.1")->score, 1.5);               /* 18 of 20 files passed: step 90% */
	CHECK_NEAR(item(s, &r, "4.14.1")->score, 3 * 0.75);          /* 12 of 16 published within the period */
	CHECK_NEAR(item(s, &r, "4.21.1")->score, 2);                 /* comprehensive enforcement bodies filed cases */
	CHECK_NEAR(item(s, &r, "1.3.1")->score, 1);                  /* 72 of 80 routine checks 双随机: over 80% */
	CHECK_NEAR(item(s, &r, "1.3.2")->score, 0.5);                /* 15 of 100 joint, target 30% */
	CHECK_NEAR(item(s, &r, "1.3.3")->score, 0.5);                /* 2 of 40 over the cap: 5%, 0% to 10% */
	CHECK_NEAR(item(s, &r, "1.3.4")->score, 0.75 / 0.9);         /* 54 of 72 双随机 drew a graded firm, target 90% */
	CHECK_NEAR(item(s, &r, "7.28.1")->score, 3 * 0.8);           /* 8 of 10 suggestions answered on time */
	CHECK_NEAR(item(s, &r, "6.24.1")->score, 2);                 /* 9 of the 10 notified heads appeared: 90% */
	CHECK_NEAR(item(s, &r, "6.24.2")->score, 1.5);               /* 1 of 20 judged lost: 5%, under 10% */
	CHECK_NEAR(item(s, &r, "6.24.3")->score, 1.5);               /* the lost judgment performed */
	CHECK_NEAR(item(s, &r, "7.29.1")->score, 3 * 0.9);           /* 45 of 50 answered within the period */
	CHECK_NEAR(item(s, &r, "2.6.2")->score, 1.5 * 0.9);          /* 18 of 20 put out for the province's period */
	CHECK_NEAR(item(s, &r, "2.7.1")->score, 3);                  /* every issued document reviewed */
	CHECK_NEAR(item(s, &r, "2.8.1")->score, 2 * 0.9);            /* 18 of 20 due filed in time */
	CHECK_NEAR(item(s, &r, "2.8.2")->score, 1);                  /* both ordered corrections made */
	CHECK_NEAR(item(s, &r, "2.9.2")->score, 1.5);                /* every document in force searchable */
	CHECK_NEAR(item(s, &r, "2.6.1")->score, 1.5 * 0.75);         /* 3 of 4 drafts out for 30 days */
	CHECK_NEAR(item(s, &r, "6.23.1")->score, 2.5 * 0.95);        /* 38 of 40 decided within the period */
	CHECK_NEAR(item(s, &r, "6.23.2")->score, 1.5 * 0.75);        /* 3 of 4 意见书 answered in 60 days */
	CHECK_NEAR(item(s, &r, "3.10.1")->score, 2 * 0.75);          /* 3 of 4 catalogues published by the day */
	CHECK_NEAR(item(s, &r, "3.11.2")->score, 0.75);              /* 3 of the 4 that required 专家论证 */
	CHECK_NEAR(item(s, &r, "3.11.3")->score, 0.5);               /* 1 of the 2 that required 风险评估 */
	CHECK_NEAR(item(s, &r, "3.11.5")->score, 0);                 /* 11 of 12: all or nothing */
	CHECK_NEAR(item(s, &r, "3.12.1")->score, 3 * 0.9);           /* 9 of 10 decided with an adviser's opinion */
	CHECK_NEAR(item(s, &r, "3.13.1")->score, 2 * 0.5);           /* 1 of 2 evaluations due done on time */
	CHECK_NEAR(item(s, &r, "6.25.1")->score, 0.75 / 0.8);        /* 30 of 40 mediations settled, target 80% */
	CHECK_NEAR(item(s, &r, "6.25.2")->score, 0.9);               /* 9 of 10 rulings within the period */
	CHECK_NEAR(r.total, 1.8 + 1.5 + 2.0 + 1.25 + 1.8 + 1.8 + 3 + 1.5 + 1 + 1.6 + 0.8 + 2.25 + 2 + 1.5 + 1 + 0.5 + 0.5 +
				    0.75 / 0.9 + 2.4 + 5 + 2.7 + 1.35 + 3 + 1.8 + 1 + 1.125 + 2.375 + 1.125 + 1.5 +
				    1.5 + 1 + 0.75 + 0.5 + 1 + 0 + 2.7 + 1 + 0.75 / 0.8 + 0.9);
	CHECK_NEAR(r.base_max, 100);
	CHECK_INT(r.npending, 21);
	/* no case filed by such a body: 4.21.1 is below (count, not NA) */
	set(&src, "enforcement_case.by_team", 0);
	indicator_evaluate(s, source_get, &src, &m, &r);
	CHECK_NEAR(item(s, &r, "4.21.1")->score, 0);
	/* once cases are filed, 4.17.1 counts those done by certified officers */
	set(&src, "enforcement_case.filed", 10), set(&src, "enforcement_case.certified_officers", 7);
	indicator_evaluate(s, source_get, &src, &m, &r);
	CHECK_NEAR(item(s, &r, "4.17.1")->score, 2 * 0.7);
	/* no rectification items at all: item 34 is NA, its 4 points go to
	 * items 31–33 and area 8 keeps its 10 */
	set(&src, "rectification.total", 0), set(&src, "rectification.closed", 0);
	set(&src, "rectification.closed_on_time", 0);
	set(&src, "rectification.supervision_due", 0), set(&src, "rectification.supervision_closed", 0);
	indicator_evaluate(s, source_get, &src, &m, &r);
	CHECK_INT(item(s, &r, "8.34")->status, INDICATOR_STATUS_NA);
	CHECK_NEAR(item(s, &r, "8")->max, 10);
	CHECK_NEAR(item(s, &r, "8.31")->max, 10.0 * 2 / 6);
	CHECK_NEAR(r.base_max, 100);
	indicator_system_free(s);
}

/* ---- bad files ---- */

struct bad_file {
	const char *text;
	int line;
	const char *msg;
};

#define HDR "system s 1 测试\n"

static const struct bad_file BAD[] = {
	{ "1 | A | 5 | manual\n", 1, "缺少 system 行" },
	{ "# 注释\n\nsystem s\n", 3, "system 行格式" },
	{ HDR "system s 1 again\n1 | A | 1 | manual\n", 2, "system 行重复" },
	{ HDR "1 | A | 5 | manual\n2.1 | x | 1 | manual\n", 3, "上级指标 2 不存在" },
	{ HDR "1 | A | 5 | manual\n\n1 | B | 5 | manual\n", 4, "指标编号 1 重复（第 2 行已定义）" },
	{ HDR "1 | A | 5\n1.1 | a | 2 | manual\n1.2 | b | 2 | manual\n", 2, "下级分值合计 4，与其分值 5 不符" },
	{ HDR "1 | A | 1\n1.1 | a | 1\n1.1.1 | b | 1\n1.1.1.1 | c | 1 | manual\n", 5, "最多 3 级" },
	{ HDR "1 | A | 1 | auto | ratio(x,) | target >= 1\n", 2, "公式错误（第 28 列）" },
	{ HDR "1 | 中文名 | 1 | auto | (1 | target >= 1\n", 2, "公式错误（第 22 列）：括号不匹配" },
	{ HDR "1 | A | 1 | auto | proposal.closed + nope.x | target >= 1\n", 2, "未知数据项 nope.x（第 38 列）" },
	{ HDR "1 | A | 1 | automatic\n", 2, "未知类型 automatic" },
	{ HDR "1 | A | 1 | auto | x\n", 2, "auto 项须有 6 个字段" },
	{ HDR "1 | A | 1 | manual | x\n", 2, "manual 项只有 4 个字段" },
	{ HDR "1 | A | 1 | manual | x | y | z\n", 2, "字段数应为 3 到 6 个" },
	{ HDR "1 | A\n", 2, "字段数应为 3 到 6 个" },
	{ HDR "1 | A | 0 | manual\n", 2, "分值应为" },
	{ HDR "1 | A | -1 | manual\n", 2, "分值应为" },
	{ HDR "1 | A | 2x | manual\n", 2, "分值应为" },
	{ HDR "1 |  | 2 | manual\n", 2, "名称为空" },
	{ HDR "1..2 | A | 2 | manual\n", 2, "格式错误" },
	{ HDR "1.a/b | A | 2 | manual\n", 2, "只能包含" },
	{ HDR "1 | A | 1 | auto | x | target > 90%\n", 2, "应为 >=" },
	{ HDR "1 | A | 1 | auto | x | target >= 9O%\n", 2, "应为数值" },
	{ HDR "1 | A | 1 | auto | x | target >= 90% linear extra\n", 2, "多余内容" },
	{ HDR "1 | A | 1 | auto | x | target >= 90% curved\n", 2, "计分方式" },
	{ HDR "1 | A | 1 | auto | x | goal >= 90%\n", 2, "未知评分规则" },
	{ HDR "1 | A | 2 | auto | x | target >= 90% stepped [95%:1]\n", 2, "阶梯阈值应低于目标值" },
	{ HDR "1 | A | 2 | auto | x | target >= 90% stepped [80%:3]\n", 2, "阶梯得分超过本项分值" },
	{ HDR "1 | A | 2 | auto | x | target >= 90% stepped [80%:1\n", 2, "']'" },
	{ HDR "1 | A | 2 | auto | x | target >= 90% stepped 80%:1\n", 2, "stepped 后应为" },
	{ HDR "1 | A | 2 | auto | x | lower_is_better <= 0 linear\n", 2, "零分值" },
	{ HDR "1 | A | 2 | auto | x | lower_is_better <= 5% linear to 5%\n", 2, "零分值" },
	{ HDR "1 | A | 2 | auto | x | date_before 02-30\n", 2, "日期无效" },
	{ HDR "1 | A | 2 | auto | x | date_before 4-1\n", 2, "MM-DD" },
	{ HDR "total 10\n1 | A | 5 | manual\n", 2, "一级指标分值合计 5，与 total 10 不符" },
	{ HDR "na_rule maybe\n1 | A | 5 | manual\n", 2, "na_rule 只能是" },
	{ HDR "tolerance lots\n1 | A | 5 | manual\n", 2, "tolerance" },
	{ HDR "weights 1\n1 | A | 5 | manual\n", 2, "无法识别的行" },
	{ HDR "1 | A | 5\n2 | B | 5 | manual\n", 2, "没有下级" },
	{ HDR "1 | A | 5 | manual\n1.1 | a | 5 | manual\n", 3, "是 manual 计分项（第 2 行），不能有下级" },
	{ HDR "1 | A | 5\n1.1 | a | 5 | bonus\n", 3, "bonus 项不能位于 group 项 1 之下" },
	{ HDR "1 | A | 5 | manual\nB | b | 5 | bonus\nB.1 | c | 1 | manual\n", 4, "manual 项不能位于 bonus 项 B 之下" },
	{ HDR "1 | A | 5 | manual\nB | b | 5 | bonus | 1\nB.1 | c | 1 | bonus\n", 4, "不能有下级" },
	{ HDR "1 | A | 5 | manual\nB | b | 5 | bonus | \n", 3, "公式为空" },
	{ HDR "1 | A | 5 | man\xff" "ual\n", 2, "UTF-8" },
	{ HDR "1 | A | 5 | manual\x01\n", 2, "控制字符" },
	{ "# only comments\n", 1, "缺少 system 行" },
	{ HDR "# nothing\n", 0, "没有计分指标" },
	{ HDR "B | b | 5 | bonus\n", 0, "没有计分指标" },
};

static void test_bad_files(void)
{
	static const char *const known[] = { "proposal.closed", "x" };
	for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
		struct indicator_diags dg;
		struct indicator_system *s =
			indicator_system_parse(BAD[i].text, strlen(BAD[i].text), known, 2, &dg);
		int found = 0;
		for (int k = 0; k < dg.n; k++)
			found |= dg.d[k].line == BAD[i].line && strstr(dg.d[k].msg, BAD[i].msg) != NULL;
		if (s || !found) {
			t_fail++;
			fprintf(stderr, "bad file %zu: expected line %d \"%s\", got %d problem(s):\n", i,
				BAD[i].line, BAD[i].msg, dg.n);
			for (int k = 0; k < dg.n; k++)
				fprintf(stderr, "  line %d: %s\n", dg.d[k].line, dg.d[k].msg);
		} else {
			t_pass++;
		}
		indicator_system_free(s);
	}
}

/* Several problems in one file are all reported, in line order. */
static void test_many_problems(void)
{
	struct indicator_diags dg;
	const char *text = HDR "1 | A | 10\n1.1 | a | 3 | manual\n3.1 | x | 1 | manual\n"
			       "1.2 | b | 1 | auto | ratio( | target >= 1\n1.1 | dup | 1 | manual\n";
	CHECK(indicator_system_parse(text, strlen(text), NULL, 0, &dg) == NULL);
	CHECK_INT(dg.n, 3);           /* not "1: weights 3 != 10": its children were refused */
	CHECK_INT(dg.d[0].line, 4);
	CHECK_INT(dg.d[1].line, 5);
	CHECK_INT(dg.d[2].line, 6);
	/* a refused child does not hide a real mismatch elsewhere */
	text = HDR "total 10\n1 | A | 4\n1.1 | a | 4 | bogus\n2 | B | 5\n2.1 | b | 4 | manual\n";
	CHECK(indicator_system_parse(text, strlen(text), NULL, 0, &dg) == NULL);
	CHECK_INT(dg.n, 3);
	CHECK_INT(dg.d[0].line, 2);   /* total: 9 != 10 */
	CHECK_INT(dg.d[1].line, 4);
	CHECK_INT(dg.d[2].line, 5);   /* B: 4 != 5 */
	/* beyond 64 problems only a count is kept */
	char *big = malloc(200 * 40);
	strcpy(big, HDR "1 | A | 1 | manual\n");
	for (int i = 0; i < 100; i++)
		strcat(big, "9.9 | x | 1 | manual\n");
	CHECK(indicator_system_parse(big, strlen(big), NULL, 0, &dg) == NULL);
	CHECK_INT(dg.n, INDICATOR_MAX_DIAGS);
	CHECK_INT(dg.more, 100 - INDICATOR_MAX_DIAGS);
	free(big);
}

static void test_format_details(void)
{
	struct indicator_diags dg;
	/* BOM, CRLF, comments after fields, '#' inside a name, tolerance */
	const char *ok = "\xEF\xBB\xBFsystem s v1.0 测试 # c\r\n"
			 "tolerance 0.01\r\n"
			 "1 | 第#1项 | 10  # comment\r\n"
			 "1.1 | a | 3.33 | manual\r\n"
			 "1.2 | b | 3.33 | manual\r\n"
			 "1.3 | c | 3.33 | manual";
	struct indicator_system *s = parse(ok, &dg);
	CHECK(s != NULL);
	if (s) {
		CHECK_STR(s->version, "v1.0");
		CHECK_STR(s->name, "测试");
		CHECK_STR(s->items[0].name, "第#1项");
		CHECK_INT(s->items[3].line, 6);
		CHECK_INT(s->items[1].level, 2);
		CHECK_INT(s->items[1].parent, 0);
		CHECK_INT(s->items[0].nchildren, 3);
	}
	indicator_system_free(s);
	/* without the tolerance 9.99 != 10 */
	const char *strict = HDR "1 | A | 10\n1.1 | a | 3.33 | manual\n1.2 | b | 3.33 | manual\n"
				 "1.3 | c | 3.33 | manual\n";
	CHECK(indicator_system_parse(strict, strlen(strict), NULL, 0, &dg) == NULL);
	CHECK_INT(dg.n, 1);
	CHECK_INT(dg.d[0].line, 2);

	/* an over-long line */
	char *lng = malloc(3000);
	strcpy(lng, HDR "1 | ");
	memset(lng + strlen(lng), 'x', 1100);
	strcpy(lng + strlen(HDR "1 | ") + 1100, " | 1 | manual\n");
	CHECK(indicator_system_parse(lng, strlen(lng), NULL, 0, &dg) == NULL);
	CHECK(dg.n >= 1 && dg.d[0].line == 2 && strstr(dg.d[0].msg, "行过长"));
	free(lng);

	/* more than INDICATOR_MAX indicators */
	size_t cap = 64 + (INDICATOR_MAX + 1) * 32;
	char *many = malloc(cap), *p = many;
	p += sprintf(p, HDR "1 | A | %d\n", INDICATOR_MAX);
	for (int i = 0; i < INDICATOR_MAX; i++)
		p += sprintf(p, "1.%d | a | 1 | manual\n", i);
	CHECK(indicator_system_parse(many, strlen(many), NULL, 0, &dg) == NULL);
	CHECK(dg.n == 1 && strstr(dg.d[0].msg, "指标过多") && dg.d[0].line == INDICATOR_MAX + 2);
	free(many);
}

/* ---- the CLI ---- */

static int cli_run(const char *a1, const char *a2, const char *err_path)
{
	const struct cli_cmd *cmd = NULL;
	for (int i = 0; i < cli_ncommands; i++)
		if (!strcmp(cli_commands[i]->name, "indicators"))
			cmd = cli_commands[i];
	if (!cmd)
		return -100;
	char name[] = "indicators", arg1[64], arg2[4096];
	char *argv[] = { name, arg1, arg2, NULL };
	snprintf(arg1, sizeof arg1, "%s", a1);
	snprintf(arg2, sizeof arg2, "%s", a2);
	fflush(stdout);
	fflush(stderr);
	int saved_out = dup(1), saved_err = dup(2);
	FILE *o = freopen("/dev/null", "w", stdout);
	FILE *e = freopen(err_path, "w", stderr);
	int rc = cmd->run(3, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	(void)o, (void)e;
	return rc;
}

static void test_cli(void)
{
	char bad[] = "/tmp/fazhi_ind_XXXXXX", err[] = "/tmp/fazhi_err_XXXXXX";
	int fd = mkstemp(bad), fe = mkstemp(err);
	CHECK(fd >= 0 && fe >= 0);
	if (fd < 0 || fe < 0)
		return;
	const char *text = HDR "1 | A | 5\n1.1 | a | 5 | auto | ratio(a | target >= 1\n";
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	close(fe);
	CHECK_INT(cli_run("check", template_path(), err), 0);
	CHECK_INT(cli_run("check", bad, err), 1);
	FILE *f = fopen(err, "r");
	char line[512] = "", want[128];
	if (f) {
		if (!fgets(line, sizeof line, f))
			line[0] = '\0';
		fclose(f);
	}
	snprintf(want, sizeof want, "%s:3: 公式错误", bad);
	CHECK(strncmp(line, want, strlen(want)) == 0);
	CHECK_INT(cli_run("check", "/nonexistent/x.txt", err), 1);
	CHECK_INT(cli_run("verify", bad, err), 2);
	unlink(bad);
	unlink(err);
}

/* ---- robustness: mutations of the template never crash ---- */

static void test_mutations(void)
{
	FILE *f = fopen(template_path(), "rb");
	static char base[64 * 1024], buf[64 * 1024];
	size_t n = f ? fread(base, 1, sizeof base, f) : 0;
	unsigned seed = 42;
	int accepted = 0;
	if (f)
		fclose(f);
	CHECK(n > 1000);
	for (int i = 0; i < 3000 && n; i++) {
		memcpy(buf, base, n);
		for (int k = 0; k < 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % n;
			seed = seed * 1103515245u + 12345u;
			buf[at] = "|.#\n 0123456789()+-,:[]%x\xe4\xff"[(seed >> 16) % 26];
		}
		struct indicator_diags dg;
		struct indicator_system *s = indicator_system_parse(buf, n, KNOWN, nknown, &dg);
		if (s) {
			static struct indicator_result r;
			struct source src = { .n = 0 };
			indicator_evaluate(s, source_get, &src, NULL, &r);
			accepted++;
		} else if (dg.n == 0) {
			t_fail++;
		}
		indicator_system_free(s);
	}
	CHECK(accepted > 0);
}

/* ---- 一票否决 ---- */

static void test_veto(void)
{
	static const char text[] =
		"system v 1 否决测试\ntotal 10\n"
		"1 | 甲 | 10 | manual\n"
		"V1 | 重大事故（总分记 0） | 0 | veto\n"
		"V2 | 被通报（封顶 6 分） | 6 | veto | proposal.closed\n";
	static const char *const known[] = { "proposal.closed" };
	static struct indicator_result r;
	static struct manual_scores m;
	struct indicator_diags dg;
	struct fz_err e;
	struct source src = { .n = 0 };
	struct indicator_system *s = indicator_system_parse(text, strlen(text), known, 1, &dg);
	CHECK(s != NULL);
	if (!s)
		return;
	indicator_manual_init(&m, 2025);
	CHECK_INT(indicator_manual_set(&m, s, "1", 9, &e), 0);
	set(&src, "proposal.closed", 0);
	indicator_evaluate(s, source_get, &src, &m, &r);
	CHECK_NEAR(r.total, 9);
	CHECK_INT(r.veto, -1);
	CHECK_INT(item(s, &r, "V1")->status, INDICATOR_STATUS_NA); /* not entered: does not hold */
	set(&src, "proposal.closed", 2); /* V2 holds: capped at 6 */
	indicator_evaluate(s, source_get, &src, &m, &r);
	CHECK_NEAR(r.total, 6);
	CHECK_INT(r.veto, indicator_find(s, "V2"));
	CHECK_INT(item(s, &r, "V2")->status, INDICATOR_STATUS_BELOW);
	CHECK_NEAR(r.base, 9);
	CHECK_INT(indicator_manual_set(&m, s, "V1", 2, &e), -1); /* 0 or 1 only */
	CHECK_INT(indicator_manual_set(&m, s, "V1", 1, &e), 0); /* both hold: the lowest cap */
	indicator_evaluate(s, source_get, &src, &m, &r);
	CHECK_NEAR(r.total, 0);
	CHECK_INT(r.veto, indicator_find(s, "V1"));
	indicator_system_free(s);
	/* refused: a veto below level 1, with a child, a negative cap */
	static const char *const bad[] = {
		"system v 1 x\n1 | 甲 | 10 | manual\n1.1 | 乙 | 0 | veto\n",
		"system v 1 x\n1 | 甲 | 10 | manual\nV | 否决 | 0 | veto\nV.1 | 子 | 1 | manual\n",
		"system v 1 x\n1 | 甲 | 10 | manual\nV | 否决 | -1 | veto\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		s = indicator_system_parse(bad[i], strlen(bad[i]), known, 1, &dg);
		CHECK(s == NULL && dg.n > 0);
		indicator_system_free(s);
	}
}

int main(void)
{
	load_known();
	CHECK(nknown >= 10);
	test_veto();
	test_rules();
	test_date_rule();
	test_na_rules();
	test_manual_na();
	test_bonus_penalty();
	test_eval_error();
	test_template();
	test_bad_files();
	test_many_problems();
	test_format_details();
	test_cli();
	test_mutations();
	return t_done();
}
