/*
 * docx_package.c — the parts around a .docx's body and the ZIP that holds
 * them (docx.h): content types, relations, styles (the 公文 faces and
 * sizes of GB/T 9704-2012), settings, the font table, odd and even page
 * footers with "— N —", the section (A4, margins, the 22 × 28 grid), core
 * and app properties. The ZIP is libzip's, built in memory.
 */
#include "docx.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "docx_int.h"

const struct docx_font docx_fonts[FACE_COUNT] = {
	[FACE_FANGSONG] = { "仿宋_GB2312", "FangSong" }, [FACE_HEI] = { "黑体", "SimHei" },
	[FACE_KAI] = { "楷体_GB2312", "KaiTi" },          [FACE_XBS] = { "方正小标宋简体", "FZXiaoBiaoSong-B05S" },
	[FACE_SONG] = { "宋体", "SimSun" },
};

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define CT "application/vnd.openxmlformats-officedocument.wordprocessingml."
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

static const char content_types[] = XML_DECL
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"" CT "document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"" CT "styles+xml\"/>"
	"<Override PartName=\"/word/settings.xml\" ContentType=\"" CT "settings+xml\"/>"
	"<Override PartName=\"/word/fontTable.xml\" ContentType=\"" CT "fontTable+xml\"/>"
	"<Override PartName=\"/word/footer1.xml\" ContentType=\"" CT "footer+xml\"/>"
	"<Override PartName=\"/word/footer2.xml\" ContentType=\"" CT "footer+xml\"/>"
	"<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
	"<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
	"</Types>";

static const char package_rels[] = XML_DECL
	"<Relationships xmlns=\"" NS_PKG_REL "\">"
	"<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"word/document.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\""
	" Target=\"docProps/core.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"" REL "extended-properties\" Target=\"docProps/app.xml\"/>"
	"</Relationships>";

static const char document_rels[] = XML_DECL
	"<Relationships xmlns=\"" NS_PKG_REL "\">"
	"<Relationship Id=\"rId1\" Type=\"" REL "styles\" Target=\"styles.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" REL "settings\" Target=\"settings.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"" REL "fontTable\" Target=\"fontTable.xml\"/>"
	"<Relationship Id=\"rId4\" Type=\"" REL "footer\" Target=\"footer1.xml\"/>"
	"<Relationship Id=\"rId5\" Type=\"" REL "footer\" Target=\"footer2.xml\"/>"
	"</Relationships>";

/* Odd and even pages (evenAndOddHeaders): the number one character in
 * from the outer edge (GB/T 9704-2012 7.5). */
static const char settings[] = XML_DECL
	"<w:settings xmlns:w=\"" NS_W "\"><w:zoom w:percent=\"100\"/><w:evenAndOddHeaders/>"
	"<w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/>"
	"<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\""
	" w:val=\"15\"/></w:compat></w:settings>";

#define PAGE_NUMBER_RUNS                                                                                     \
	"<w:r><w:t xml:space=\"preserve\">— </w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"    \
	"<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"                                  \
	"<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r>"                          \
	"<w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t xml:space=\"preserve\"> —</w:t></w:r>"

static const char footer_odd[] = XML_DECL
	"<w:ftr xmlns:w=\"" NS_W "\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"right\"/>"
	"<w:ind w:right=\"280\"/></w:pPr>" PAGE_NUMBER_RUNS "</w:p></w:ftr>";
static const char footer_even[] = XML_DECL
	"<w:ftr xmlns:w=\"" NS_W "\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"left\"/>"
	"<w:ind w:left=\"280\"/></w:pPr>" PAGE_NUMBER_RUNS "</w:p></w:ftr>";

/* A4 (210 × 297 mm); 天头 37 mm, 订口 28 mm, so the 版心 is 156 × 225 mm;
 * 22 lines of 28 characters of 3号: the line grid's pitch is 225 mm / 22;
 * the 28 characters come from condensing 3号 by 0.25 pt (styles), not
 * from a character grid, which LibreOffice lays out with each character a
 * hair wider than its cell across two cells. */
static const char section[] =
	"<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/><w:footerReference w:type=\"even\" r:id=\"rId5\"/>"
	"<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
	"<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"1247\""
	" w:gutter=\"0\"/><w:cols w:space=\"425\"/>"
	"<w:docGrid w:type=\"lines\" w:linePitch=\"579\"/></w:sectPr>";

static const char app_props[] = XML_DECL
	"<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
	"<Application>fazhi</Application></Properties>";

/* ---- styles --------------------------------------------------------------- */

/* A paragraph style: id, name, based on, paragraph and run properties. */
struct pstyle {
	const char *id, *based, *ppr;
	enum docx_face face;
	int half_points; /* 0: inherited */
	const char *rpr; /* more run properties, or "" */
};

/* Sizes: 2号 22 pt, 3号 16 pt, 4号 14 pt, 小四 12 pt (in half points). Text
 * off the body's line grid (tables, 版头, 版记, footers) does not snap to it. */
static const struct pstyle pstyles[] = {
	{ "Body", "Normal", "<w:ind w:firstLine=\"640\"/>", FACE_FANGSONG, 0, "" },
	{ "Heading1", "Body", "<w:keepNext/><w:outlineLvl w:val=\"0\"/>", FACE_HEI, 0, "" },
	{ "Heading2", "Body", "<w:keepNext/><w:outlineLvl w:val=\"1\"/>", FACE_KAI, 0, "" },
	{ "Heading3", "Body", "<w:keepNext/><w:outlineLvl w:val=\"2\"/>", FACE_FANGSONG, 0, "<w:b/>" },
	/* 发文机关标志: its top 35 mm below the 版心's (7.2.3); size set per run */
	{ "Masthead", "Normal", "<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"1800\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/>",
	  FACE_XBS, 72, "<w:color w:val=\"FF0000\"/>" },
	/* 发文字号 two lines below, the red line 4 mm under it (7.2.4, 7.2.6) */
	{ "DocNumber", "Normal", "<w:spacing w:before=\"1158\" w:after=\"0\"/><w:jc w:val=\"center\"/>"
	  "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"12\" w:space=\"11\" w:color=\"FF0000\"/></w:pBdr>", FACE_FANGSONG, 0, "" },
	/* 标题 two lines below the red line (7.3.1) */
	{ "Title", "Normal", "<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"1158\" w:after=\"0\" w:line=\"700\" w:lineRule=\"exact\"/><w:jc w:val=\"center\"/>",
	  FACE_XBS, 44, "" },
	/* 主送机关 one line below the title, flush left (7.3.2) */
	{ "Recipients", "Normal", "<w:spacing w:before=\"579\"/>", FACE_FANGSONG, 0, "" },
	{ "Signature", "Normal", "<w:keepNext/><w:spacing w:before=\"579\"/><w:jc w:val=\"right\"/>", FACE_FANGSONG, 0, "" },
	{ "SignatureDate", "Normal", "<w:jc w:val=\"right\"/>", FACE_FANGSONG, 0, "" },
	{ "TableText", "Normal", "<w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"360\" w:lineRule=\"auto\"/><w:jc w:val=\"left\"/>", FACE_FANGSONG, 24, "" },
	/* 版记: 4号, one character in from each side (7.4) */
	{ "Record", "Normal", "<w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"440\" w:lineRule=\"exact\"/><w:ind w:left=\"280\" w:right=\"280\"/>"
	  "<w:jc w:val=\"left\"/>", FACE_FANGSONG, 28, "" },
	/* page numbers: 4号 半角宋体 (7.5) */
	{ "Footer", "Normal", "<w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/>", FACE_SONG, 28, "" },
};

static void rfonts(struct dbuf *b, enum docx_face f)
{
	dbuf_lit(b, "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"");
	dbuf_esc(b, docx_fonts[f].name);
	dbuf_lit(b, "\" w:cs=\"Times New Roman\" w:hint=\"eastAsia\"/>");
}

static void pstyle(struct dbuf *b, const struct pstyle *s)
{
	dbuf_printf(b, "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"%s\"><w:name w:val=\"%s\"/>"
		       "<w:basedOn w:val=\"%s\"/><w:qFormat/><w:pPr>%s</w:pPr><w:rPr>", s->id, s->id, s->based, s->ppr);
	rfonts(b, s->face);
	dbuf_str(b, s->rpr);
	if (s->half_points)
		dbuf_printf(b, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", s->half_points, s->half_points);
	dbuf_lit(b, "</w:rPr></w:style>");
}

/* Defaults: 3号仿宋 condensed to 28 characters a line (16 pt - 0.25 pt:
 * 28 × 15.75 pt fill the 156 mm of the 版心), black, lines exactly on the
 * grid, justified. */
static void styles(struct dbuf *b)
{
	dbuf_lit(b, XML_DECL "<w:styles xmlns:w=\"" NS_W "\"><w:docDefaults><w:rPrDefault><w:rPr>");
	rfonts(b, FACE_FANGSONG);
	dbuf_lit(b, "<w:color w:val=\"000000\"/><w:spacing w:val=\"-5\"/><w:kern w:val=\"2\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>"
		    "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
		    "<w:widowControl w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"579\" w:lineRule=\"exact\"/>"
		    "<w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>"
		    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>");
	for (size_t i = 0; i < sizeof pstyles / sizeof pstyles[0]; i++)
		pstyle(b, &pstyles[i]);
	dbuf_lit(b, "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>"
		    "<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>"
		    "<w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>"
		    "</w:tblCellMar></w:tblPr></w:style>"
		    "<w:style w:type=\"table\" w:styleId=\"Grid\"><w:name w:val=\"Table Grid\"/><w:basedOn w:val=\"TableNormal\"/>"
		    "<w:tblPr><w:tblBorders>");
	static const char *const edges[] = { "top", "left", "bottom", "right", "insideH", "insideV" };
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
		dbuf_printf(b, "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>", edges[i]);
	dbuf_lit(b, "</w:tblBorders><w:tblCellMar><w:top w:w=\"40\" w:type=\"dxa\"/><w:bottom w:w=\"40\" w:type=\"dxa\"/>"
		    "</w:tblCellMar></w:tblPr></w:style></w:styles>");
}

static void font_table(struct dbuf *b)
{
	dbuf_lit(b, XML_DECL "<w:fonts xmlns:w=\"" NS_W "\">");
	for (int i = 0; i < FACE_COUNT; i++) {
		dbuf_lit(b, "<w:font w:name=\"");
		dbuf_esc(b, docx_fonts[i].name);
		dbuf_lit(b, "\"><w:altName w:val=\"");
		dbuf_esc(b, docx_fonts[i].alt);
		dbuf_lit(b, "\"/><w:charset w:val=\"86\"/><w:family w:val=\"auto\"/></w:font>");
	}
	dbuf_lit(b, "<w:font w:name=\"Times New Roman\"><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/></w:font></w:fonts>");
}

static void document(struct dbuf *b, const char *body, size_t len)
{
	dbuf_lit(b, XML_DECL "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:body>");
	dbuf_put(b, body, len);
	dbuf_str(b, section);
	dbuf_lit(b, "</w:body></w:document>");
}

static void core_props(struct dbuf *b, const struct docx_meta *m)
{
	char when[32] = "1970-01-01T00:00:00Z";
	time_t t = (time_t)m->created;
	struct tm tm;
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	dbuf_lit(b, XML_DECL "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
		    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\""
		    " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
	dbuf_esc(b, m->title ? m->title : "");
	dbuf_lit(b, "</dc:title><dc:creator>");
	dbuf_esc(b, m->creator ? m->creator : "");
	dbuf_printf(b, "</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created>"
		       "</cp:coreProperties>", when);
}

/* ---- the ZIP -------------------------------------------------------------- */

struct part {
	const char *name;
	const char *data;
	size_t len;
};

/* Adds the parts to z; their data must outlive zip_close. */
static int add_parts(zip_t *z, const struct part *parts, int n)
{
	for (int i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(z, parts[i].data, parts[i].len, 0);
		if (!s)
			return -1;
		if (zip_file_add(z, parts[i].name, s, ZIP_FL_ENC_UTF_8) < 0) {
			zip_source_free(s);
			return -1;
		}
	}
	return 0;
}

/* The archive written into a memory source, read back as one buffer. */
static int zip_parts(const struct part *parts, int n, char **out, size_t *outlen)
{
	zip_error_t ze;
	zip_stat_t st;
	int rc = -1;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	if (!z)
		goto out;
	zip_source_keep(src); /* zip_close would free it: the bytes are read from it after */
	if (add_parts(z, parts, n) != 0) {
		zip_discard(z);
		goto out;
	}
	if (zip_close(z) != 0) {
		zip_discard(z);
		goto out;
	}
	if (zip_source_stat(src, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || zip_source_open(src) != 0)
		goto out;
	*out = malloc(st.size ? st.size : 1);
	if (*out && zip_source_read(src, *out, st.size) == (zip_int64_t)st.size) {
		*outlen = st.size;
		rc = 0;
	} else {
		free(*out);
		*out = NULL;
	}
	zip_source_close(src);
out:
	zip_source_free(src);
	zip_error_fini(&ze);
	return rc;
}

int docx_package(const char *body, size_t len, const struct docx_meta *meta, char **out, size_t *outlen)
{
	struct dbuf doc = { 0 }, sty = { 0 }, fonts = { 0 }, core = { 0 };
	int rc = -1;
	*out = NULL;
	*outlen = 0;
	document(&doc, body, len);
	styles(&sty);
	font_table(&fonts);
	core_props(&core, meta);
	if (!doc.failed && !sty.failed && !fonts.failed && !core.failed) {
		const struct part parts[] = {
			{ "[Content_Types].xml", content_types, sizeof content_types - 1 },
			{ "_rels/.rels", package_rels, sizeof package_rels - 1 },
			{ "word/document.xml", doc.p, doc.len },
			{ "word/_rels/document.xml.rels", document_rels, sizeof document_rels - 1 },
			{ "word/styles.xml", sty.p, sty.len },
			{ "word/settings.xml", settings, sizeof settings - 1 },
			{ "word/fontTable.xml", fonts.p, fonts.len },
			{ "word/footer1.xml", footer_odd, sizeof footer_odd - 1 },
			{ "word/footer2.xml", footer_even, sizeof footer_even - 1 },
			{ "docProps/core.xml", core.p, core.len },
			{ "docProps/app.xml", app_props, sizeof app_props - 1 },
		};
		rc = zip_parts(parts, (int)(sizeof parts / sizeof parts[0]), out, outlen);
	}
	dbuf_free(&doc);
	dbuf_free(&sty);
	dbuf_free(&fonts);
	dbuf_free(&core);
	return rc;
}
