/*
 * test_law.c — the law library: the bigram tokenizer (documents and
 * queries, one-character prefix, ASCII words, invalid UTF-8), the tsquery
 * and FTS5 expressions, snippets escaped before they are marked, the file
 * parser (title, dated events, chapters, 第N条之一, refusals with their
 * reasons), statuses from dates and later versions, and a store round trip:
 * two versions of one law imported, searched by a two-character word,
 * re-import unchanged, the full data set when ../shared is there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"

#include "bigram.h"
#include "db.h"
#include "law_file.h"
#include "law_import.h"
#include "law_store.h"

struct toks {
	char buf[1024];
	size_t len;
};

static int collect(void *ctx, const char *tok, int len, int start, int end)
{
	struct toks *t = ctx;
	t->len += (size_t)snprintf(t->buf + t->len, sizeof t->buf - t->len, "%s%.*s@%d", t->len ? " " : "", len, tok, start);
	(void)end;
	return 0;
}

static const char *tokens(const char *text, int query)
{
	static struct toks t;
	t.len = 0;
	t.buf[0] = 0;
	bigram_tokens(text, strlen(text), query, collect, &t);
	return t.buf;
}

static void test_tokens(void)
{
	/* document: overlapping bigrams, then the run's last character */
	CHECK_STR(tokens("行政复议", 0), "行政@0 政复@3 复议@6 议@9");
	CHECK_STR(tokens("复", 0), "复@0");
	/* query: bigrams only; one character alone (searched as a prefix) */
	CHECK_STR(tokens("行政复议", 1), "行政@0 政复@3 复议@6");
	CHECK_STR(tokens("复", 1), "复@0");
	/* ASCII words lower-cased; punctuation separates runs */
	CHECK_STR(tokens("GB/T 7714标准，第3条", 0), "gb@0 t@3 7714@5 标准@9 准@12 第@18 3@21 条@22");
	CHECK_STR(tokens("a\xff\xfe b", 0), "a@0 b@4"); /* invalid bytes separate */
	CHECK_STR(tokens("", 0), "");
}

static void test_queries(void)
{
	char *s = bigram_tsquery("行政复议 复");
	CHECK_STR(s, "('行政' <-> '政复' <-> '复议') & '复':*");
	free(s);
	s = bigram_tsquery("。，");
	CHECK_STR(s, "");
	free(s);
	s = bigram_fts5_query("复议 \"x 复");
	CHECK_STR(s, "\"复议\" \"\"\"x\" \"复\"*");
	free(s);
	s = bigram_tsvector("复议a");
	CHECK_STR(s, "'复议':1 '议':2 'a':3");
	free(s);
}

static void test_snippet(void)
{
	char *s = bigram_snippet("<b>行政复议</b>机关 & 复议", "复议", 60);
	CHECK_STR(s, "&lt;b&gt;行政<mark>复议</mark>&lt;/b&gt;机关 &amp; <mark>复议</mark>");
	free(s);
	s = bigram_snippet("Ab ab AB", "ab", 60);
	CHECK_STR(s, "<mark>Ab</mark> <mark>ab</mark> <mark>AB</mark>");
	free(s);
	/* cut around the first match, marked where cut */
	s = bigram_snippet("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十复议一二三四五六七八九十", "复议", 12);
	CHECK(s && strncmp(s, "…", 3) == 0 && strstr(s, "<mark>复议</mark>") && strstr(s, "…") != s + strlen(s));
	free(s);
}

static const char sample[] =
	"---\nbookHidden: true\n---\n"
	"# 中华人民共和国示例法 <!-- 标题 -->\n\n"
	"2001年3月4日 第九届全国人民代表大会常务委员会第二十次会议通过\n\n"
	"2010年10月1日 第十一届全国人民代表大会常务委员会第十七次会议修正\n\n"
	"2011年1月1日 施行\n\n"
	"<!-- INFO END -->\n\n"
	"## 第一章 总则\n\n"
	"第一条 为了示例，制定本法。\n\n"
	"\xE2\x80\x8B第二条　行政复议机关依法办理。\n\n前款所称机关，包括授权组织。\n\n"
	"## 第二章 附则\n### 第一节 其他\n\n"
	"第一百零一条 第二条所称“第三条 引文”不另起条。\n"
	"第三条 引文不是新条文。\n\n"
	"第一百零一条之一 本法自公布之日起施行。\n";

static void test_parse(void)
{
	struct law_file f;
	char why[128] = "";
	CHECK_INT(law_file_parse("法律/示例法(2010-10-01).md", sample, strlen(sample), &f, why, sizeof why), 0);
	CHECK_STR(f.title, "中华人民共和国示例法");
	CHECK_STR(f.body, "全国人民代表大会常务委员会");
	CHECK_STR(f.date, "2010-10-01");
	CHECK_STR(f.adopted, "2001-03-04");
	CHECK_STR(f.amended, "2010-10-01");
	CHECK_STR(f.effective, "2011-01-01");
	CHECK_STR(f.repealed, "");
	CHECK_INT(f.narticles, 4);
	if (f.narticles == 4) {
		CHECK_INT(f.articles[1].number, 2);
		CHECK_STR(f.articles[1].text, "行政复议机关依法办理。\n前款所称机关，包括授权组织。");
		CHECK_STR(f.articles[1].chapter, "第一章 总则");
		CHECK_INT(f.articles[2].number, 101);
		CHECK_STR(f.articles[2].chapter, "第二章 附则 / 第一节 其他");
		CHECK(strstr(f.articles[2].text, "第三条 引文不是新条文") != NULL); /* not after 101: stays text */
		CHECK_INT(f.articles[3].number, 101);
		CHECK_INT(f.articles[3].sub, 1);
	}
	law_file_free(&f);
	/* no date in the name: the latest event's */
	CHECK_INT(law_file_parse("示例法.md", sample, strlen(sample), &f, why, sizeof why), 0);
	CHECK_STR(f.date, "2011-01-01");
	law_file_free(&f);

	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "2001年1月1日 通过\n<!-- INFO END -->\n第一条 x\n", "没有标题" },
		{ "# 法\n2001年1月1日 通过\n第一条 x\n", "缺少 <!-- INFO END -->" },
		{ "# 法\n<!-- INFO END -->\n第一条 x\n", "没有日期" },
		{ "# 法\n2001年1月1日 通过\n<!-- INFO END -->\n一、没有条文\n", "没有条文" },
		{ "# 法\n2001年1月1日 通过\n<!-- INFO END -->\n第一条 \xC3\x28\n", "不是有效的 UTF-8" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why[0] = 0;
		CHECK_INT(law_file_parse("x.md", bad[i].text, strlen(bad[i].text), &f, why, sizeof why), -1);
		CHECK(strncmp(why, bad[i].why, strlen(bad[i].why)) == 0);
	}
	CHECK_INT(law_file_parse("x.md", sample, LAW_FILE_MAX + 1, &f, why, sizeof why), -1);
	CHECK(strstr(why, "文件过大") != NULL);
}

static void test_numbers(void)
{
	char label[64];
	static const struct {
		const char *cn;
		int n;
	} nums[] = { { "一", 1 }, { "十", 10 }, { "十一", 11 }, { "二十", 20 }, { "一百零一", 101 }, { "一百一十", 110 },
		     { "一千二百六十", 1260 }, { "12", 12 } };
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		CHECK_INT(law_numeral(nums[i].cn, strlen(nums[i].cn)), nums[i].n);
		if (nums[i].cn[0] & 0x80) {
			law_article_label(nums[i].n, 0, label, sizeof label);
			char want[64];
			snprintf(want, sizeof want, "第%s条", nums[i].cn);
			CHECK_STR(label, want);
		}
	}
	CHECK_INT(law_numeral("条", 3), -1);
	law_article_label(10, 1, label, sizeof label);
	CHECK_STR(label, "第十条之一");
}

static void test_status(void)
{
	CHECK_STR(law_status("2020-01-01", "", "", "2026-01-01", 0), "现行有效");
	CHECK_STR(law_status("2020-01-01", "", "", "2026-01-01", 1), "已修改");
	CHECK_STR(law_status("2020-01-01", "2027-01-01", "", "2026-01-01", 0), "尚未生效");
	CHECK_STR(law_status("2020-01-01", "", "2025-06-30", "2026-01-01", 0), "已废止");
	CHECK_STR(law_status("2020-01-01", "", "2027-06-30", "2026-01-01", 0), "现行有效");
}

/* Two versions imported through the store, searched, re-imported. */
static void test_store(void)
{
	char err[256], why[256];
	db *d = db_open("sqlite::memory:", err, sizeof err);
	CHECK(d && db_migrate(d) == 0);
	if (!d)
		return;
	const char *v2 = "# 中华人民共和国示例法\n2001年3月4日 全国人民代表大会常务委员会通过\n2020年5月1日 修订\n"
			 "<!-- INFO END -->\n第一条 申请行政复议的期限为六十日。\n";
	struct law_file f;
	CHECK_INT(law_file_parse("法律/示例法(2010-10-01).md", sample, strlen(sample), &f, why, sizeof why), 0);
	CHECK_INT(law_store_put(d, &f, "法律", "法律/示例法(2010-10-01).md", "d1", "2026-01-01", why, sizeof why), LAW_IMPORTED);
	CHECK_INT(law_store_put(d, &f, "法律", "法律/示例法(2010-10-01).md", "d1", "2026-01-01", why, sizeof why), LAW_UNCHANGED);
	CHECK_INT(law_store_put(d, &f, "法律", "其他/示例法(2010-10-01).md", "d9", "2026-01-01", why, sizeof why), LAW_REFUSED);
	/* a built-in excerpt never replaces a full text; a full text replaces an excerpt */
	CHECK_INT(law_store_put(d, &f, "法律", LAW_BUILTIN "法律/示例法(2010-10-01).md", "d0", "2026-01-01", why, sizeof why),
		  LAW_UNCHANGED);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM law_versions WHERE digest = 'd1'", -1, 0), 1);
	law_file_free(&f);
	CHECK_INT(law_file_parse("法律/示例法(2020-05-01).md", v2, strlen(v2), &f, why, sizeof why), 0);
	CHECK_INT(law_store_put(d, &f, "法律", "法律/示例法(2020-05-01).md", "d2", "2026-01-01", why, sizeof why), LAW_IMPORTED);
	law_file_free(&f);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM laws", -1, 0), 1);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM law_versions WHERE status = '已修改'", -1, 0), 1);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM law_versions WHERE status = '现行有效'", -1, 0), 1);

	struct law_query q = { .q = "复议", .page = 1 };
	json_t *o = law_store_search(d, &q);
	CHECK(o != NULL);
	CHECK_INT(json_integer_value(json_object_get(o, "total")), 2); /* 第二条 of 2010, 第一条 of 2020 */
	json_decref(o);
	q = (struct law_query){ .q = "复议", .status = "现行有效", .page = 1 };
	o = law_store_search(d, &q);
	CHECK_INT(json_integer_value(json_object_get(o, "total")), 1);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(json_object_get(o, "facets"), "status"), "已修改")), 1);
	json_t *hit = json_array_get(json_object_get(o, "items"), 0);
	CHECK(hit && strstr(json_string_value(json_object_get(hit, "snippet")), "行政<mark>复议</mark>") != NULL);
	json_decref(o);
	q = (struct law_query){ .q = "复", .page = 1 }; /* one character: a prefix, and a run's last character */
	o = law_store_search(d, &q);
	CHECK_INT(json_integer_value(json_object_get(o, "total")), 2);
	json_decref(o);
	q = (struct law_query){ .q = "议", .page = 1 }; /* …复议 ending a run; 会议 in the 2010 header */
	o = law_store_search(d, &q);
	CHECK_INT(json_integer_value(json_object_get(o, "total")), 3);
	json_decref(o);
	db_close(d);
}

/* The full data set, when ../shared is there: imported, then unchanged. */
static void test_shared(void)
{
	char err[256], why[256];
	struct law_import_stats st;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", t_shared("data/laws"));
	FILE *probe = fopen(t_shared("data/laws/README.md"), "r");
	if (!probe) {
		printf("../shared/data/laws absent: full import skipped\n");
		return;
	}
	fclose(probe);
	db *d = db_open("sqlite::memory:", err, sizeof err);
	CHECK(d && db_migrate(d) == 0);
	CHECK_INT(law_import_dir(d, dir, NULL, &st, why, sizeof why), 0);
	CHECK(st.imported > 3000 && st.articles > 100000);
	CHECK_INT(law_import_dir(d, dir, NULL, &st, why, sizeof why), 0);
	CHECK_INT(st.imported, 0);
	db_close(d);
}

int main(void)
{
	test_tokens();
	test_queries();
	test_snippet();
	test_parse();
	test_numbers();
	test_status();
	test_store();
	test_shared();
	return t_done();
}
