/*
 * record_xlsx.c — the first worksheet of an .xlsx workbook as record
 * import objects (record_xlsx.h). libzip reads the archive from memory,
 * expat each part as it inflates: the workbook (the sheets in order, the
 * date system), its relationships (which part each sheet is, where the
 * shared strings are), the shared strings (kept in one bounded buffer),
 * then the worksheet, streamed cell by cell into record_table.c.
 */
#include "record_xlsx.h"

#include <expat.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "record_table.h"

#define XLSX_MAX_SHEETS 64  /* sheets of the workbook considered */
#define XLSX_MAX_RELS 256   /* relationships of the workbook kept */
#define XLSX_NAME 256       /* bytes of a part name */
#define XLSX_MAX_COL 16384  /* Excel's last column, XFD */
#define XLSX_MAX_ROW 1048576

static const char NOT_XLSX[] = "不是有效的 Excel（.xlsx）文件：请在 Excel 或 WPS 中“另存为”“Excel 工作簿（*.xlsx）”后再导入，"
			       "或导入 CSV 文件";
static const char OLD_OR_LOCKED[] = "不是有效的 Excel（.xlsx）文件：这是旧版 Excel（.xls）文件或设置了打开密码的工作簿。"
				    "请在 Excel 中取消密码，“另存为”“Excel 工作簿（*.xlsx）”后再导入";

struct rel {
	char id[64];
	char target[XLSX_NAME]; /* the part name, resolved */
	int worksheet, strings;  /* its type */
};

enum cell_type { CT_NUMBER, CT_SHARED, CT_INLINE, CT_STRING, CT_BOOL, CT_ERROR, CT_DATE };

struct xlsx {
	const struct xlsx_limits *lim;
	zip_t *z;
	XML_Parser p;
	int done;                 /* the part holds nothing more we need */
	struct record_table t;
	/* xl/workbook.xml */
	char sheet_rid[XLSX_MAX_SHEETS][64];
	int nsheets;
	/* xl/_rels/workbook.xml.rels */
	struct rel *rels;
	int nrels;
	/* shared strings: string i is the NUL-terminated text at sst + off[i] */
	char *sst;
	size_t sst_len, sst_cap;
	uint32_t *off;
	size_t nstr, off_cap;
	int in_si, in_text, phonetic; /* where the parser is */
	/* the worksheet */
	int in_data, in_is;
	int64_t last_row;
	int col, last_col;
	enum cell_type type;
	char *cell;               /* the cell's text (IMPORT_MAX_LINE + 1 bytes) */
	size_t cell_len;
};

/* A fault of the file: the row callback hears it, parsing stops. */
static void fail(struct xlsx *x, int status, const char *code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void fail(struct xlsx *x, int status, const char *code, const char *fmt, ...)
{
	char msg[sizeof x->t.e.msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	record_table_fail(&x->t, status, code, "%s", msg);
	if (x->p)
		XML_StopParser(x->p, XML_FALSE);
}

/* The local part of an expat name "namespace|local". */
static const char *local(const char *name)
{
	const char *bar = strrchr(name, '|');
	return bar ? bar + 1 : name;
}

/* The value of the attribute with this local name; ns: 1 for one in a
 * namespace (r:id), 0 for one without (the plain attributes). */
static const char *attr(const XML_Char **atts, const char *name, int ns)
{
	for (int i = 0; atts[i]; i += 2)
		if (strcmp(local(atts[i]), name) == 0 && (strchr(atts[i], '|') != NULL) == ns)
			return atts[i + 1];
	return NULL;
}

/* OOXML never declares a DOCTYPE: one is refused before any entity. */
static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid, int internal)
{
	fail(ud, 422, "bad_xlsx", "Excel 文件已损坏（含有不允许的 DOCTYPE 声明）：请在 Excel 中打开后重新保存");
}

/* Streams one part through a parser with these handlers; -1 when the
 * part is absent (missing: nothing said) or reading failed (said). */
static int parse_part(struct xlsx *x, const char *name, int required, XML_StartElementHandler start,
		      XML_EndElementHandler end, XML_CharacterDataHandler text)
{
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat(x->z, name, 0, &st) != 0) {
		if (required)
			fail(x, 422, "bad_xlsx", "Excel 文件不完整（缺少 %s）：请在 Excel 中打开后重新保存", name);
		return -1;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		fail(x, 422, "bad_xlsx", "%s", OLD_OR_LOCKED);
		return -1;
	}
	if (!(st.valid & ZIP_STAT_SIZE) || st.size > x->lim->part) {
		fail(x, 413, "too_large", "Excel 文件中的 %s 解压后超过 %zu MB 上限：请拆分为多个文件导入", name,
		     x->lim->part >> 20);
		return -1;
	}
	zip_file_t *f = zip_fopen_index(x->z, st.index, 0);
	if (!f) {
		fail(x, 422, "bad_xlsx", "Excel 文件已损坏（无法读取 %s）：请在 Excel 中打开后重新保存", name);
		return -1;
	}
	x->p = XML_ParserCreateNS(NULL, '|');
	if (!x->p) {
		zip_fclose(f);
		fail(x, 500, "internal", "内存不足");
		return -1;
	}
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, start, end);
	XML_SetCharacterDataHandler(x->p, text);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	x->done = 0;
	char buf[65536];
	size_t total = 0;
	int rc = 0;
	for (;;) {
		zip_int64_t n = zip_fread(f, buf, sizeof buf);
		if (n < 0) {
			fail(x, 422, "bad_xlsx", "Excel 文件已损坏（%s 无法解压）：请在 Excel 中打开后重新保存", name);
			rc = -1;
			break;
		}
		total += (size_t)n;
		if (total > x->lim->part) { /* more than its header declared */
			fail(x, 413, "too_large", "Excel 文件中的 %s 解压后超过 %zu MB 上限：请拆分为多个文件导入", name,
			     x->lim->part >> 20);
			rc = -1;
			break;
		}
		if (XML_Parse(x->p, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
			if (!x->t.stop && !x->done)
				fail(x, 422, "bad_xlsx", "Excel 文件已损坏（%s 第 %lu 行：%s）：请在 Excel 中打开后重新保存", name,
				     (unsigned long)XML_GetCurrentLineNumber(x->p), XML_ErrorString(XML_GetErrorCode(x->p)));
			rc = x->done && !x->t.stop ? 0 : -1;
			break;
		}
		if (n == 0)
			break;
	}
	XML_ParserFree(x->p);
	x->p = NULL;
	zip_fclose(f);
	return rc;
}

/* ---- xl/workbook.xml: the sheets in order, the date system ---------- */

static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	const char *el = local(name), *v;
	if (strcmp(el, "workbookPr") == 0 && (v = attr(atts, "date1904", 0)))
		x->t.date1904 = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
	if (strcmp(el, "sheet") == 0 && x->nsheets < XLSX_MAX_SHEETS && (v = attr(atts, "id", 1)))
		snprintf(x->sheet_rid[x->nsheets++], sizeof x->sheet_rid[0], "%s", v);
}

static void no_end(void *ud, const XML_Char *name) {}
static void no_text(void *ud, const XML_Char *s, int len) {}

/* ---- xl/_rels/workbook.xml.rels: which part each relationship names -- */

/* A target relative to xl/ (or absolute: /xl/…) as a part name, "." and
 * ".." resolved; -1 when it leaves the archive or is too long. */
static int resolve(const char *target, char *out, size_t n)
{
	char path[XLSX_NAME * 2];
	snprintf(path, sizeof path, "%s%s", target[0] == '/' ? "" : "xl/", target + (target[0] == '/'));
	size_t len = 0;
	out[0] = 0;
	for (char *save = NULL, *seg = strtok_r(path, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			if (len == 0)
				return -1;
			char *slash = strrchr(out, '/');
			len = slash ? (size_t)(slash - out) : 0;
			out[len] = 0;
			continue;
		}
		size_t k = strlen(seg);
		if (len + k + 2 > n)
			return -1;
		if (len)
			out[len++] = '/';
		memcpy(out + len, seg, k + 1);
		len += k;
	}
	return len ? 0 : -1;
}

/* Whether a relationship type URI names this kind (…/worksheet). */
static int type_is(const char *type, const char *kind)
{
	const char *slash = type ? strrchr(type, '/') : NULL;
	return slash && strcmp(slash + 1, kind) == 0;
}

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	if (strcmp(local(name), "Relationship") != 0 || x->nrels == XLSX_MAX_RELS)
		return;
	const char *id = attr(atts, "Id", 0), *target = attr(atts, "Target", 0), *type = attr(atts, "Type", 0);
	const char *mode = attr(atts, "TargetMode", 0);
	struct rel *r = &x->rels[x->nrels];
	if (!id || !target || (mode && strcmp(mode, "External") == 0) || strlen(id) >= sizeof r->id ||
	    resolve(target, r->target, sizeof r->target) != 0)
		return;
	snprintf(r->id, sizeof r->id, "%s", id);
	r->worksheet = type_is(type, "worksheet");
	r->strings = type_is(type, "sharedStrings");
	x->nrels++;
}

/* ---- xl/sharedStrings.xml: each <si>, its <t> and rich-text runs' <t>,
 * phonetic guides (<rPh>) left out -------------------------------------- */

static int sst_put(struct xlsx *x, const char *s, size_t len)
{
	if (x->sst_len + len + 1 > x->lim->strings) {
		fail(x, 413, "too_large", "Excel 文件中的文字超过 %zu MB 上限：请拆分为多个文件导入", x->lim->strings >> 20);
		return -1;
	}
	if (x->sst_len + len + 1 > x->sst_cap) {
		size_t cap = x->sst_cap ? x->sst_cap : 65536;
		while (cap < x->sst_len + len + 1)
			cap *= 2;
		char *p = realloc(x->sst, cap);
		if (!p) {
			fail(x, 500, "internal", "内存不足");
			return -1;
		}
		x->sst = p;
		x->sst_cap = cap;
	}
	memcpy(x->sst + x->sst_len, s, len);
	x->sst_len += len;
	return 0;
}

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	const char *el = local(name);
	if (strcmp(el, "si") == 0) {
		if (x->nstr == x->off_cap) {
			size_t cap = x->off_cap ? x->off_cap * 2 : 1024;
			uint32_t *p = realloc(x->off, cap * sizeof *p);
			if (!p)
				return fail(x, 500, "internal", "内存不足");
			x->off = p;
			x->off_cap = cap;
		}
		x->off[x->nstr] = (uint32_t)x->sst_len;
		x->in_si = 1;
	} else if (strcmp(el, "rPh") == 0) {
		x->phonetic++;
	} else if (strcmp(el, "t") == 0 && x->in_si && !x->phonetic) {
		x->in_text = 1;
	}
}

static void sst_end(void *ud, const XML_Char *name)
{
	struct xlsx *x = ud;
	const char *el = local(name);
	if (strcmp(el, "si") == 0 && x->in_si) {
		x->in_si = 0;
		if (sst_put(x, "", 1) == 0)
			x->nstr++;
	} else if (strcmp(el, "rPh") == 0 && x->phonetic) {
		x->phonetic--;
	} else if (strcmp(el, "t") == 0) {
		x->in_text = 0;
	}
}

static void sst_text(void *ud, const XML_Char *s, int len)
{
	struct xlsx *x = ud;
	if (x->in_text)
		sst_put(x, s, (size_t)len);
}

/* ---- the worksheet: <row r>, <c r t>, <v>, <is><t> -------------------- */

/* A cell reference "C5" as column 2; -1 when it is not one of row. */
static int column_of_ref(const char *ref, int64_t row)
{
	int col = 0, k = 0;
	for (; ref[k] >= 'A' && ref[k] <= 'Z' && k < 3; k++)
		col = col * 26 + (ref[k] - 'A' + 1);
	if (k == 0 || col > XLSX_MAX_COL)
		return -1;
	char *end;
	long long r = strtoll(ref + k, &end, 10);
	return ref[k] >= '1' && ref[k] <= '9' && !*end && r == row ? col - 1 : -1;
}

/* A positive decimal within max, else -1. */
static int64_t number_in(const char *s, int64_t max)
{
	int64_t v = 0;
	if (!s || !*s || strlen(s) > 10 || strspn(s, "0123456789") != strlen(s))
		return -1;
	v = strtoll(s, NULL, 10);
	return v >= 1 && v <= max ? v : -1;
}

static enum cell_type type_of(const char *t)
{
	static const struct { const char *name; enum cell_type type; } types[] = {
		{ "s", CT_SHARED }, { "inlineStr", CT_INLINE }, { "str", CT_STRING }, { "b", CT_BOOL },
		{ "e", CT_ERROR }, { "d", CT_DATE }, { "n", CT_NUMBER },
	};
	for (size_t i = 0; t && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(t, types[i].name) == 0)
			return types[i].type;
	return CT_NUMBER;
}

static void row_start(struct xlsx *x, const XML_Char **atts)
{
	const char *r = attr(atts, "r", 0);
	int64_t n = r ? number_in(r, XLSX_MAX_ROW) : x->last_row + 1;
	if (n <= x->last_row || n > XLSX_MAX_ROW)
		return fail(x, 422, "bad_xlsx", "Excel 文件已损坏（第 %" PRId64 " 行之后的行号重复或无效）：请在 Excel 中打开后重新保存",
			    x->last_row);
	x->t.line = x->last_row = n;
	x->last_col = -1;
}

static void cell_start(struct xlsx *x, const XML_Char **atts)
{
	const char *r = attr(atts, "r", 0);
	int col = r ? column_of_ref(r, x->last_row) : x->last_col + 1;
	if (col <= x->last_col || col >= XLSX_MAX_COL)
		return fail(x, 422, "bad_xlsx", "Excel 文件已损坏（第 %" PRId64 " 行的单元格引用 %.16s 重复或无效）：请在 Excel 中打开后重新保存",
			    x->last_row, r ? r : "");
	x->col = x->last_col = col;
	x->type = type_of(attr(atts, "t", 0));
	x->cell_len = 0;
	x->in_is = 0;
}

static void sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	const char *el = local(name);
	if (strcmp(el, "sheetData") == 0)
		x->in_data = 1;
	else if (!x->in_data)
		return;
	else if (strcmp(el, "row") == 0)
		row_start(x, atts);
	else if (strcmp(el, "c") == 0)
		cell_start(x, atts);
	else if (strcmp(el, "v") == 0)
		x->in_text = !x->in_is;
	else if (strcmp(el, "is") == 0)
		x->in_is = 1;
	else if (strcmp(el, "rPh") == 0)
		x->phonetic++;
	else if (strcmp(el, "t") == 0)
		x->in_text = x->in_is && !x->phonetic;
}

/* A finished cell to the table, by its type. */
static void cell_end(struct xlsx *x)
{
	const char *text = x->cell;
	size_t len = x->cell_len;
	x->cell[len] = 0;
	switch (x->type) {
	case CT_SHARED: {
		int64_t i = strcmp(text, "0") == 0 ? 0 : number_in(text, INT32_MAX); /* 0-based */
		if (i < 0 || (size_t)i >= x->nstr)
			return fail(x, 422, "bad_xlsx", "Excel 文件已损坏（第 %" PRId64 " 行引用了不存在的共享字符串）：请在 Excel 中打开后重新保存",
				    x->last_row);
		text = x->sst + x->off[i];
		len = strlen(text);
		break;
	}
	case CT_BOOL:
		text = strcmp(text, "1") == 0 ? "TRUE" : strcmp(text, "0") == 0 ? "FALSE" : text;
		len = strlen(text);
		break;
	case CT_ERROR:
		if (len)
			return record_table_bad_cell(&x->t, x->col, text);
		break;
	case CT_DATE: /* ISO 8601: the date part */
		len = len > 10 && text[10] == 'T' ? 10 : len;
		break;
	default:
		break;
	}
	record_table_cell(&x->t, x->col, text, len, x->type == CT_NUMBER);
}

static void sheet_end(void *ud, const XML_Char *name)
{
	struct xlsx *x = ud;
	const char *el = local(name);
	if (!x->in_data)
		return;
	if (strcmp(el, "v") == 0 || strcmp(el, "t") == 0)
		x->in_text = 0;
	else if (strcmp(el, "rPh") == 0 && x->phonetic)
		x->phonetic--;
	else if (strcmp(el, "is") == 0)
		x->in_is = 0;
	else if (strcmp(el, "c") == 0)
		cell_end(x);
	else if (strcmp(el, "row") == 0)
		record_table_row_end(&x->t);
	else if (strcmp(el, "sheetData") == 0) {
		x->in_data = 0;
		x->done = 1; /* the rest (merged cells, validations…) is not read */
		XML_StopParser(x->p, XML_FALSE);
	}
	if (x->t.stop && !x->done)
		XML_StopParser(x->p, XML_FALSE);
}

static void sheet_text(void *ud, const XML_Char *s, int len)
{
	struct xlsx *x = ud;
	if (!x->in_text || x->t.stop)
		return;
	if (x->cell_len + (size_t)len > IMPORT_MAX_LINE)
		return fail(x, 413, "too_large", "第 %" PRId64 " 行过长（上限 %d 字节），其后各行未检查", x->last_row,
			    IMPORT_MAX_LINE);
	memcpy(x->cell + x->cell_len, s, (size_t)len);
	x->cell_len += (size_t)len;
}

/* ---- the workbook ----------------------------------------------------- */

/* The whole file in memory (libzip reads the archive from its end), within
 * the file bound. NULL with the fault said. */
static char *slurp(struct xlsx *x, FILE *in, size_t *len)
{
	size_t cap = 65536, n = 0, got;
	char *buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n, in)) > 0) {
		n += got;
		if (n > x->lim->file) {
			free(buf);
			fail(x, 413, "too_large", "Excel 文件超过 %zu MB 上限：请拆分为多个文件导入", x->lim->file >> 20);
			return NULL;
		}
		if (n == cap) {
			char *p = realloc(buf, cap * 2);
			if (!p)
				free(buf);
			buf = p;
			cap *= 2;
		}
	}
	if (!buf || ferror(in)) {
		const char *why = buf ? "读取文件失败" : "内存不足";
		free(buf);
		fail(x, 500, "internal", "%s", why);
		return NULL;
	}
	*len = n;
	return buf;
}

/* The archive opened from buf, its kind and entry count checked. */
static int open_zip(struct xlsx *x, const char *buf, size_t len)
{
	static const unsigned char ole[4] = { 0xD0, 0xCF, 0x11, 0xE0 };
	if (len >= 4 && memcmp(buf, ole, 4) == 0) {
		fail(x, 422, "bad_xlsx", "%s", OLD_OR_LOCKED);
		return -1;
	}
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = len >= 4 && memcmp(buf, "PK", 2) == 0 ? zip_source_buffer_create(buf, len, 0, &err) : NULL;
	x->z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err) : NULL;
	zip_error_fini(&err);
	if (!x->z) {
		zip_source_free(src);
		fail(x, 422, "bad_xlsx", "%s", NOT_XLSX);
		return -1;
	}
	if (zip_get_num_entries(x->z, 0) > x->lim->entries) {
		fail(x, 422, "bad_xlsx", "不是有效的 Excel（.xlsx）文件：压缩包内的文件过多（上限 %ld 个）", x->lim->entries);
		return -1;
	}
	return 0;
}

static const struct rel *rel_by_id(const struct xlsx *x, const char *id)
{
	for (int i = 0; i < x->nrels; i++)
		if (strcmp(x->rels[i].id, id) == 0)
			return &x->rels[i];
	return NULL;
}

/* The workbook's first worksheet (not a chart sheet) and shared strings. */
static const char *first_sheet(struct xlsx *x, const char **strings)
{
	if (parse_part(x, "xl/workbook.xml", 1, wb_start, no_end, no_text) != 0 ||
	    parse_part(x, "xl/_rels/workbook.xml.rels", 1, rels_start, no_end, no_text) != 0)
		return NULL;
	*strings = NULL;
	for (int i = 0; i < x->nrels; i++)
		if (x->rels[i].strings && !*strings)
			*strings = x->rels[i].target;
	for (int i = 0; i < x->nsheets; i++) {
		const struct rel *r = rel_by_id(x, x->sheet_rid[i]);
		if (r && r->worksheet)
			return r->target;
	}
	fail(x, 422, "bad_xlsx", "Excel 文件中没有工作表：请把要导入的数据放在第一个工作表中");
	return NULL;
}

int record_xlsx_read_limited(const struct reg_def *r, FILE *in, const struct xlsx_limits *lim, record_row_fn row,
			     void *arg)
{
	struct xlsx x = { .lim = lim };
	size_t len = 0;
	record_table_init(&x.t, r, row, arg);
	char *buf = x.t.stop ? NULL : slurp(&x, in, &len);
	x.rels = calloc(XLSX_MAX_RELS, sizeof *x.rels);
	x.cell = malloc(IMPORT_MAX_LINE + 1);
	if (buf && (!x.rels || !x.cell))
		fail(&x, 500, "internal", "内存不足");
	const char *sheet = NULL, *strings = NULL;
	if (buf && !x.t.stop && open_zip(&x, buf, len) == 0 && (sheet = first_sheet(&x, &strings)) != NULL &&
	    (!strings || parse_part(&x, strings, 1, sst_start, sst_end, sst_text) == 0)) {
		x.in_text = x.phonetic = 0;
		parse_part(&x, sheet, 1, sheet_start, sheet_end, sheet_text);
	}
	if (x.z)
		zip_discard(x.z);
	free(buf);
	free(x.rels);
	free(x.cell);
	free(x.sst);
	free(x.off);
	int rc = record_table_end(&x.t);
	record_table_free(&x.t);
	return rc;
}

int record_xlsx_read(const struct reg_def *r, FILE *in, record_row_fn row, void *arg)
{
	static const struct xlsx_limits lim = XLSX_LIMITS;
	return record_xlsx_read_limited(r, in, &lim, row, arg);
}
