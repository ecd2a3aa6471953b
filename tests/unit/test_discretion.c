/*
 * test_discretion.c — 裁量基准 files and the decision check: the shipped
 * example loads and every article it cites exists in the statute texts
 * (../shared, skipped when absent), amounts in 元/万元/倍/% become exact
 * fen, bad files are refused at the right line in Chinese, and each rule of
 * discretion_check (within, outside with and without a reason, category
 * without ground, unknown codes, multiple ranges needing a base).
 */
#include "t.h"
#include "core/embedded.h"
#include "engine/discretion.h"
#include "t_law.h"

#include <glob.h>
#include <stdlib.h>
#include <unistd.h>

static struct discretion_benchmark *parse(const char *text, struct discretion_diags *dg)
{
	struct discretion_benchmark *b = discretion_parse(text, strlen(text), dg);
	for (int i = 0; !b && i < dg->n; i++)
		fprintf(stderr, "  line %d: %s\n", dg->d[i].line, dg->d[i].msg);
	return b;
}

static struct discretion_benchmark *shipped(void)
{
	struct discretion_diags dg;
	CHECK(benchmark_files_count >= 1);
	return benchmark_files_count ? parse(benchmark_files[0].text, &dg) : NULL;
}

/* ---- the shipped example ---- */

/* Checks each "法名 第…条…" citation in basis (parts split by "；"):
 * every 第…条 of the part must exist in that law. */
static void check_citations(const char *code, const char *basis)
{
	char buf[DISCRETION_MAX_TEXT];
	snprintf(buf, sizeof buf, "%s", basis);
	for (char *part = buf, *next; part; part = next) {
		char *semi = strstr(part, "；");
		next = semi ? semi + strlen("；") : NULL;
		if (semi)
			*semi = 0;
		char *sp = strchr(part, ' ');
		CHECK(sp != NULL);
		if (!sp)
			continue;
		*sp = 0;
		for (char *a = strstr(sp + 1, "第"); a; a = strstr(a, "第")) {
			char *end = strstr(a, "条");
			if (!end)
				break;
			char art[128];
			size_t n = (size_t)(end - a) + strlen("条");
			snprintf(art, sizeof art, "%.*s", (int)n, a);
			int ok = strstr(art, "项") == NULL && t_article_exists(part, art);
			if (!ok)
				fprintf(stderr, "%s: %s %s not found\n", code, part, art);
			CHECK(ok);
			a = end;
			/* skip the 款/项 after the article (第一款第（五）项) up to a 、 */
			char *sep = strstr(a, "、");
			if (!sep)
				break;
			a = sep;
		}
	}
}

static void test_shipped(void)
{
	struct discretion_benchmark *b = shipped();
	CHECK(b != NULL);
	if (!b)
		return;
	CHECK_STR(b->id, "fz-example");
	CHECK(b->n >= 10);
	int market = 0, city = 0, lenient = 0;
	for (int i = 0; i < b->n; i++) {
		market += strcmp(b->v[i].sector, "市场监管") == 0;
		city += strcmp(b->v[i].sector, "城市管理") == 0;
		lenient += b->v[i].nlenient;
	}
	CHECK(market >= 5);
	CHECK(city >= 3);
	CHECK(lenient >= 8);
	const struct discretion_violation *v = discretion_find(b, "SP-124-05");
	CHECK(v && strstr(v->penalty, "第一百二十四条"));
	const struct discretion_circumstance *c = discretion_circumstance(v, "A");
	/* 罚款 5-6.5 万元 */
	CHECK(c && c->range.kind == RANGE_FIXED && c->range.lo == 5000000 && c->range.hi == 6500000);
	c = discretion_circumstance(discretion_find(b, "GH-64"), "A");
	/* 建设工程造价 5%-6.5%: parts per 10000 */
	CHECK(c && c->range.kind == RANGE_MULTIPLE && c->range.lo == 500 && c->range.hi == 650);
	CHECK(c && strcmp(c->range.base, "建设工程造价") == 0);
	char txt[128];
	CHECK_STR(discretion_range_text(&discretion_circumstance(v, "A")->range, txt, sizeof txt), "罚款 5 万元至 6.5 万元");
	CHECK_STR(discretion_range_text(&discretion_circumstance(discretion_find(b, "SP-125-02"), "A")->range, txt,
					sizeof txt), "罚款 5000 元至 18500 元");
	CHECK_STR(discretion_range_text(&c->range, txt, sizeof txt), "建设工程造价 0.05 倍至 0.065 倍");
	if (access(t_shared("data/laws"), R_OK) != 0) {
		printf("note: ../shared/data/laws absent: the cited articles are not checked\n");
	} else {
		for (int i = 0; i < b->n; i++) {
			check_citations(b->v[i].code, b->v[i].prohibition);
			check_citations(b->v[i].code, b->v[i].penalty);
		}
	}
	discretion_free(b);
}

/* ---- bad files: the line and the words of the message ---- */

#define HEAD "benchmark t 1 测试\n"
#define V1 "violation V1 | 行为 | 市场监管\nprohibition 某法 第一条\npenalty 某法 第二条\n"

static void test_bad_files(void)
{
	static const struct {
		const char *text;
		int line;
		const char *words;
	} cases[] = {
		{ "violation V1 | 行为 | 市场监管\n", 1, "benchmark" },
		{ "# c\n\n" HEAD "benchmark t 2 again\n", 4, "重复" },
		{ HEAD, 0, "没有任何违法行为" },
		{ HEAD "violation V1 | 行为 | 火星\n", 2, "领域" },
		{ HEAD "violation V1 行为 市场监管\n", 2, "violation 行格式" },
		{ HEAD "violation V/1 | 行为 | 市场监管\n", 2, "违法行为编码" },
		{ HEAD V1 "circ A | 情形 | 稍轻 | 罚款 1-2 元\n", 5, "裁量阶次" },
		{ HEAD V1 "circ A | 情形 | 从轻 | 罚款 2-1 元\n", 5, "下限大于上限" },
		{ HEAD V1 "circ A | 情形 | 从轻 | 罚款 1-2 美元\n", 5, "单位" },
		{ HEAD V1 "circ A | 情形 | 从轻 | 罚款 0.001-2 元\n", 5, "精确到分" },
		{ HEAD V1 "circ A | 情形 | 从轻 | 罚款 1-200000 万元\n", 5, "10 亿元" },
		{ HEAD V1 "circ A | 情形 | 从轻 | 很多\n", 5, "裁量幅度应写作" },
		{ HEAD V1 "circ A | 情形 | 从轻 | 货值金额 1-200 倍\n", 5, "100 倍" },
		{ HEAD V1 "circ A | 情形 | 不予处罚 | 罚款 1-2 元\n", 5, "不罚款" },
		{ HEAD V1 "circ A | 情形 | 从轻 | 不罚款\ncirc A | 情形 | 一般 | 不罚款\n", 6, "情形编码 A 重复" },
		{ HEAD V1 "circ A | 情形 | 从轻 | 不罚款\nlenient 全免 | 条件 | 依据\n", 6, "清单种类" },
		{ HEAD "circ A | 情形 | 从轻 | 不罚款\n", 2, "violation 行之后" },
		{ HEAD "violation V1 | 行为 | 市场监管\ncirc A | 情形 | 从轻 | 不罚款\n", 2, "缺少违法依据" },
		{ HEAD V1 "circ A | 情形 | 从轻 | 不罚款\n" V1, 6, "V1 重复" },
		{ HEAD V1, 2, "没有裁量情形" },
		{ HEAD V1 "frobnicate\n", 5, "无法识别" },
		{ HEAD V1 "circ A | 情形 | 从轻 | 不罚款 | | x\n", 5, "circ 行格式" },
		{ "\xff\xfe", 0, "UTF-8" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct discretion_diags dg;
		struct discretion_benchmark *b = discretion_parse(cases[i].text, strlen(cases[i].text), &dg);
		int ok = !b && dg.n >= 1 && dg.d[0].line == cases[i].line && strstr(dg.d[0].msg, cases[i].words);
		if (!ok)
			fprintf(stderr, "case %zu: %s\n", i, dg.n ? dg.d[0].msg : "(accepted)");
		CHECK(ok);
		discretion_free(b);
	}
	/* every problem is reported, each at its line */
	struct discretion_diags dg;
	const char *two = HEAD V1 "circ A | 情形 | 稍轻 | 不罚款\ncirc B | 情形 | 从轻 | 罚款 9-1 元\n";
	CHECK(discretion_parse(two, strlen(two), &dg) == NULL);
	CHECK(dg.n >= 2 && dg.d[0].line == 5 && dg.d[1].line == 6);
	/* a minimal good file, with CRLF line ends and comments */
	const char *good = "\xEF\xBB\xBF" "benchmark t 1 测试 # 注释\r\n" V1 "circ A | 情形 | 从轻 | 罚款 0.5-1 元\r\n";
	struct discretion_benchmark *b = parse(good, &dg);
	CHECK(b && b->n == 1 && b->v[0].circ[0].range.lo == 50 && b->v[0].circ[0].range.hi == 100);
	discretion_free(b);
}

/* ---- the check ---- */

static int check(const struct discretion_benchmark *b, const char *viol, const char *circ, int cat, int64_t amount,
		 int64_t base, const char *reason, struct discretion_result *r, struct fz_err *e)
{
	struct discretion_decision d = { viol, circ, cat, amount, base, reason };
	memset(e, 0, sizeof *e);
	return discretion_check(b, &d, r, e);
}

static void test_check(void)
{
	struct discretion_benchmark *b = shipped();
	struct discretion_result r;
	struct fz_err e;
	if (!b)
		return;
	/* within: 6 万元 in 5–6.5 万元 */
	CHECK_INT(check(b, "SP-124-05", "A", DISCRETION_LIGHTER, 6000000, -1, NULL, &r, &e), 0);
	CHECK_INT(r.verdict, DISCRETION_WITHIN);
	CHECK(r.has_range && r.proposed_lo == 5000000 && r.proposed_hi == 6500000);
	/* the bounds are inside */
	CHECK_INT(check(b, "SP-124-05", "A", DISCRETION_LIGHTER, 6500000, -1, NULL, &r, &e), 0);
	/* outside without a reason: refused */
	CHECK_INT(check(b, "SP-124-05", "A", DISCRETION_LIGHTER, 6500001, -1, NULL, &r, &e), -1);
	CHECK_STR(e.code, "benchmark_reason_required");
	CHECK_STR(e.field, "reason");
	CHECK(strstr(e.msg, "裁量理由") != NULL);
	CHECK_INT(check(b, "SP-124-05", "A", DISCRETION_LIGHTER, 6500001, -1, "  ", &r, &e), -1);
	/* ... with a reason: accepted as outside */
	CHECK_INT(check(b, "SP-124-05", "A", DISCRETION_LIGHTER, 7000000, -1, "涉案食品已流入学校", &r, &e), 0);
	CHECK_INT(r.verdict, DISCRETION_OUTSIDE);
	/* another category than the circumstance's is outside */
	CHECK_INT(check(b, "SP-124-05", "A", DISCRETION_ORDINARY, 6000000, -1, NULL, &r, &e), -1);
	CHECK_STR(e.code, "benchmark_reason_required");
	CHECK_INT(r.proposed_category, DISCRETION_LIGHTER);
	/* LAW: 行政处罚法 第五条 — no ground for 不予处罚 in SP-124-05 */
	CHECK_INT(check(b, "SP-124-05", NULL, DISCRETION_NONE, 0, -1, "理由", &r, &e), -1);
	CHECK_STR(e.code, "benchmark_category_not_allowed");
	/* LAW: 行政处罚法 第三十三条 — the lenient list grounds 不予处罚 */
	CHECK_INT(check(b, "SP-126-02", NULL, DISCRETION_NONE, 0, -1, NULL, &r, &e), 0);
	CHECK_INT(r.verdict, DISCRETION_WITHIN);
	CHECK_INT(check(b, "SP-125-02", "N", DISCRETION_NONE, 100, -1, NULL, &r, &e), -1);
	CHECK_STR(e.field, "amount_fen");
	/* multiples need the base: 货值金额 2 万元 × 13–17 倍 */
	CHECK_INT(check(b, "SP-124-05", "D", DISCRETION_ORDINARY, 300000 * 100, -1, NULL, &r, &e), -1);
	CHECK_STR(e.code, "benchmark_base_required");
	CHECK_INT(check(b, "SP-124-05", "D", DISCRETION_ORDINARY, 300000 * 100, 2000000, NULL, &r, &e), 0);
	CHECK(r.proposed_lo == 26000000 && r.proposed_hi == 34000000);
	/* 建设工程造价 100 万元 × 5%–6.5% */
	CHECK_INT(check(b, "GH-64", "A", DISCRETION_LIGHTER, 6000000, 100000000, NULL, &r, &e), 0);
	CHECK(r.proposed_lo == 5000000 && r.proposed_hi == 6500000);
	/* without a circumstance: any circumstance of the category */
	CHECK_INT(check(b, "JG-42", NULL, DISCRETION_ORDINARY, 200000, -1, NULL, &r, &e), 0);
	CHECK_INT(check(b, "JG-42", NULL, DISCRETION_ORDINARY, 600000, -1, NULL, &r, &e), -1);
	CHECK_STR(e.code, "benchmark_reason_required");
	/* unknown codes and bad input */
	CHECK_INT(check(b, "NOPE", NULL, DISCRETION_ORDINARY, 0, -1, NULL, &r, &e), -1);
	CHECK_STR(e.code, "benchmark_unknown");
	CHECK_INT(check(b, "JG-42", "Z", DISCRETION_ORDINARY, 0, -1, NULL, &r, &e), -1);
	CHECK_STR(e.field, "circumstance");
	CHECK_INT(check(b, "JG-42", NULL, 9, 0, -1, NULL, &r, &e), -1);
	CHECK_STR(e.field, "category");
	CHECK_INT(check(b, "JG-42", NULL, DISCRETION_ORDINARY, -5, -1, NULL, &r, &e), -1);
	discretion_free(b);
}

static void test_vocab(void)
{
	for (int i = 0; i < DISCRETION_CATEGORY_COUNT; i++)
		CHECK_INT(discretion_category_parse(discretion_category_label(i)), i);
	for (int i = 0; i < LENIENT_KIND_COUNT; i++)
		CHECK_INT(discretion_lenient_parse(discretion_lenient_label(i)), i);
	CHECK_INT(discretion_category_parse("稍轻"), -1);
	CHECK(discretion_category_label(DISCRETION_CATEGORY_COUNT) == NULL);
}

/* A benchmark of many violations: the list grows as it is read (the
 * limit, DISCRETION_MAX_VIOLATIONS, still holds), each kept in order. */
static void test_many(void)
{
	size_t cap = 200 * (size_t)(DISCRETION_MAX_VIOLATIONS + 2), len = 0;
	char *text = malloc(cap);
	struct discretion_diags dg;
	CHECK(text != NULL);
	if (!text)
		return;
	len += (size_t)snprintf(text + len, cap - len, "benchmark fz-many 1 多项违法行为\n");
	for (int i = 0; i < 300; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"violation V-%03d | 违法行为 %d | 市场监管\nprohibition 价格法 第十三条\npenalty 价格法 第四十二条\n"
					"circ A | 一般情形 | 一般 | 罚款 %d-%d 元\n", i, i, 100 + i, 200 + i);
	struct discretion_benchmark *b = parse(text, &dg);
	CHECK(b != NULL);
	if (b) {
		CHECK_INT(b->n, 300);
		CHECK_STR(b->v[0].code, "V-000");
		CHECK_STR(discretion_find(b, "V-299")->name, "违法行为 299");
		CHECK(discretion_find(b, "V-170")->circ[0].range.lo == 27000);
	}
	discretion_free(b);
	len = (size_t)snprintf(text, cap, "benchmark fz-many 2 过多违法行为\n");
	for (int i = 0; i <= DISCRETION_MAX_VIOLATIONS; i++)
		len += (size_t)snprintf(text + len, cap - len, "violation W-%04d | 违法行为 | 市场监管\n", i);
	b = discretion_parse(text, len, &dg);
	CHECK(b == NULL);
	CHECK(dg.n >= 1 && strstr(dg.d[0].msg, "违法行为超过") != NULL);
	discretion_free(b);
	free(text);
}

int main(void)
{
	test_shipped();
	test_many();
	test_bad_files();
	test_check();
	test_vocab();
	return t_done();
}
