/*
 * test_docx.c — the .docx writer (src/core/docx.h): a document with every
 * part is a ZIP (read back by libzip) whose parts are all there and all
 * well-formed XML (expat), text is escaped and bytes XML does not allow
 * are dropped, every table has its w:tblGrid and merges where asked, the
 * page is A4 with the GB/T 9704 margins; Chinese dates; the offices of
 * regions (office.h). FAZHI_DOCX_OUT=FILE also writes the document.
 */
#include "t.h"

#include <expat.h>
#include <zip.h>

#include "docx.h"
#include "office.h"

static const char *const PARTS[] = {
	"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
	"word/styles.xml", "word/settings.xml", "word/fontTable.xml", "word/footer1.xml", "word/footer2.xml",
	"docProps/core.xml", "docProps/app.xml",
};

/* What the parser saw in document.xml. */
struct seen {
	int tables, grids, depth_tbl, grid_in_tbl, vmerge_restart, vmerge_continue, page_size_a4, margins;
};

static const char *attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (strcmp(atts[i], name) == 0)
			return atts[i + 1];
	return NULL;
}

static void XMLCALL on_start(void *u, const char *el, const char **atts)
{
	struct seen *s = u;
	if (strcmp(el, "w:tbl") == 0) {
		s->tables++;
		s->depth_tbl++;
		s->grid_in_tbl = 0;
	} else if (strcmp(el, "w:tblGrid") == 0 && s->depth_tbl > 0 && !s->grid_in_tbl) {
		s->grids++;
		s->grid_in_tbl = 1;
	} else if (strcmp(el, "w:vMerge") == 0) {
		const char *v = attr(atts, "w:val");
		if (v && strcmp(v, "restart") == 0)
			s->vmerge_restart++;
		else
			s->vmerge_continue++;
	} else if (strcmp(el, "w:pgSz") == 0) {
		s->page_size_a4 = strcmp(attr(atts, "w:w"), "11906") == 0 && strcmp(attr(atts, "w:h"), "16838") == 0;
	} else if (strcmp(el, "w:pgMar") == 0) {
		/* 天头 37 mm, 订口 28 mm; 版心 156 × 225 mm: right 26 mm, bottom 35 mm */
		s->margins = strcmp(attr(atts, "w:top"), "2098") == 0 && strcmp(attr(atts, "w:left"), "1588") == 0 &&
			     strcmp(attr(atts, "w:right"), "1474") == 0 && strcmp(attr(atts, "w:bottom"), "1984") == 0;
	}
}

static void XMLCALL on_end(void *u, const char *el)
{
	struct seen *s = u;
	if (strcmp(el, "w:tbl") == 0)
		s->depth_tbl--;
}

/* Whether text is well-formed XML; s (may be NULL) collects document facts. */
static int well_formed(const char *text, size_t len, struct seen *s)
{
	XML_Parser p = XML_ParserCreate("UTF-8");
	struct seen ignore = { 0 };
	XML_SetUserData(p, s ? s : &ignore);
	XML_SetElementHandler(p, on_start, on_end);
	int ok = XML_Parse(p, text, (int)len, 1) == XML_STATUS_OK;
	if (!ok)
		fprintf(stderr, "XML error at line %lu: %s\n", (unsigned long)XML_GetCurrentLineNumber(p),
			XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	return ok;
}

/* The part name of archive z, malloc'd and NUL-terminated, or NULL. */
static char *read_part(zip_t *z, const char *name, size_t *len)
{
	zip_stat_t st;
	if (zip_stat(z, name, 0, &st) != 0)
		return NULL;
	zip_file_t *f = zip_fopen(z, name, 0);
	char *buf = f ? malloc(st.size + 1) : NULL;
	if (buf && zip_fread(f, buf, st.size) == (zip_int64_t)st.size) {
		buf[st.size] = 0;
		*len = st.size;
	} else {
		free(buf);
		buf = NULL;
	}
	if (f)
		zip_fclose(f);
	return buf;
}

static struct docx *sample(void)
{
	struct docx_meta meta = { "关于<测试>&“通报”的通报", "测试市依法治市办", 1796356800 };
	struct docx *d = docx_new(&meta);
	if (!d)
		return NULL;
	docx_masthead(d, "测试市依法治市办文件", "测法治办〔2026〕3号");
	docx_title(d, "关于2025年度A&B<工作>情况的通报");
	docx_recipients(d, "各区（县、市）依法治区（县、市）办");
	docx_text(d, "第一段 \"引号\" 'apos' & <尖括号>\n\n　　第二段（首行全角空格被去掉）\n\x01控制字符\xff无效字节");
	docx_heading(d, 1, "一、各地区测评得分排名", NULL);
	static const struct docx_col cols[] = { { "名次", 1, 1 }, { "地区", 3, 0 }, { "总分", 2, 1 } };
	docx_table_begin(d, cols, 3);
	docx_table_row(d, (const char *const[]){ "1", "甲区", "90.5" });
	docx_table_row(d, (const char *const[]){ NULL, "乙区", "80" }); /* merges the 名次 cell above */
	docx_table_end(d);
	docx_heading(d, 2, "（一）压实责任。", "各单位要对照问题逐项整改。");
	docx_signature(d, "测试市依法治市办", "2026-12-04");
	docx_record(d, "市委办公室", "测试市依法治市办", "2026-12-04");
	return d;
}

static void test_package(void)
{
	struct docx *d = sample();
	char *bytes = NULL;
	size_t len = 0;
	CHECK(d != NULL);
	if (!d)
		return;
	CHECK_INT(docx_finish(d, &bytes, &len), 0);
	docx_free(d);
	CHECK(bytes && len > 1000 && memcmp(bytes, "PK", 2) == 0);
	if (!bytes)
		return;
	const char *out = getenv("FAZHI_DOCX_OUT");
	FILE *f = out ? fopen(out, "wb") : NULL;
	if (f) {
		fwrite(bytes, 1, len, f);
		fclose(f);
	}
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(bytes, len, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
	CHECK(z != NULL);
	if (!z) {
		zip_source_free(src);
		free(bytes);
		return;
	}
	CHECK_INT(zip_get_num_entries(z, 0), (long long)(sizeof PARTS / sizeof PARTS[0]));
	CHECK_STR(zip_get_name(z, 0, 0), "[Content_Types].xml");
	for (size_t i = 0; i < sizeof PARTS / sizeof PARTS[0]; i++) {
		size_t n = 0;
		char *text = read_part(z, PARTS[i], &n);
		struct seen s = { 0 };
		int doc = strcmp(PARTS[i], "word/document.xml") == 0;
		CHECK(text != NULL);
		if (!text) {
			fprintf(stderr, "missing part %s\n", PARTS[i]);
			continue;
		}
		CHECK(well_formed(text, n, &s));
		if (doc) {
			CHECK_INT(s.tables, 2); /* the ranking and the 版记 */
			CHECK_INT(s.grids, s.tables);
			CHECK_INT(s.vmerge_restart, 1);
			CHECK_INT(s.vmerge_continue, 1);
			CHECK(s.page_size_a4);
			CHECK(s.margins);
			CHECK(strstr(text, "&quot;引号&quot; &apos;apos&apos; &amp; &lt;尖括号&gt;") != NULL);
			CHECK(strstr(text, ">第二段（首行全角空格被去掉）<") != NULL); /* its own paragraph, spaces gone */
			CHECK(strstr(text, ">控制字符无效字节<") != NULL);
			CHECK(strstr(text, "2026年12月4日印发") != NULL);
			CHECK(strstr(text, "抄送：市委办公室。") != NULL);
			CHECK(strstr(text, "依法治区（县、市）办：") != NULL); /* the colon added */
			CHECK(strstr(text, "w:eastAsia=\"仿宋_GB2312\"") != NULL);
		}
		if (strcmp(PARTS[i], "word/footer1.xml") == 0)
			CHECK(strstr(text, "PAGE") && strstr(text, "— "));
		if (strcmp(PARTS[i], "docProps/core.xml") == 0)
			CHECK(strstr(text, "关于&lt;测试&gt;&amp;“通报”的通报") && strstr(text, "2026-12-04T"));
		if (strcmp(PARTS[i], "word/settings.xml") == 0)
			CHECK(strstr(text, "<w:evenAndOddHeaders/>") != NULL);
		free(text);
	}
	zip_close(z);
	free(bytes);
}

/* Limits fail the document, never cut it silently. */
static void test_limits(void)
{
	struct docx_meta meta = { "t", "c", 0 };
	struct docx *d = docx_new(&meta);
	char *bytes = NULL;
	size_t len = 0;
	struct docx_col cols[DOCX_MAX_COLS + 1];
	if (!d)
		return; /* out of memory (the allocation-failure runs) */
	for (int i = 0; i <= DOCX_MAX_COLS; i++)
		cols[i] = (struct docx_col){ "列", 1, 0 };
	docx_table_begin(d, cols, DOCX_MAX_COLS + 1);
	docx_table_end(d);
	CHECK_INT(docx_finish(d, &bytes, &len), -1);
	CHECK(bytes == NULL && len == 0);
	docx_free(d);
}

static void test_dates_and_offices(void)
{
	char buf[128];
	docx_date_cn("2026-12-04", buf, sizeof buf);
	CHECK_STR(buf, "2026年12月4日");
	docx_date_cn("2026-01-20", buf, sizeof buf);
	CHECK_STR(buf, "2026年1月20日");
	docx_date_cn("明天", buf, sizeof buf);
	CHECK_STR(buf, "明天");
	office_of_region("宁波市", 2, buf, sizeof buf);
	CHECK_STR(buf, "宁波市依法治市办");
	office_of_region("象山县", 3, buf, sizeof buf);
	CHECK_STR(buf, "象山县依法治县办");
	office_of_region("海曙区", 3, buf, sizeof buf);
	CHECK_STR(buf, "海曙区依法治区办");
	office_of_region("慈溪市", 3, buf, sizeof buf);
	CHECK_STR(buf, "慈溪市依法治市办");
	office_of_region("浒山街道", 4, buf, sizeof buf);
	CHECK_STR(buf, "浒山街道法治办");
	office_recipients("宁波市", 2, buf, sizeof buf);
	CHECK_STR(buf, "各区（县、市）依法治区（县、市）办，市直各有关单位：");
	office_recipients("象山县", 3, buf, sizeof buf);
	CHECK_STR(buf, "各乡镇（街道）法治办，县直各有关单位：");
	CHECK_STR(office_level_name(3), OFFICE_LEVEL3);
	CHECK(office_level_name(5) == NULL);
}

int main(void)
{
	test_package();
	test_limits();
	test_dates_and_offices();
	return t_done();
}
