/*
 * test_record_csv.c — CSV import of register records: a file with a BOM,
 * Chinese headers, quoted commas, quotes and line breaks imports every row
 * with the right values; bad rows are all reported by the row number Excel
 * shows and nothing is written; unknown and duplicate columns, GBK text,
 * broken quoting and oversized rows are refused; cells convert to their
 * field's type; the caller's scope applies; JSON Lines still imports
 * through the same path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "t_org.h"

#include "crypto.h"
#include "db.h"
#include "org.h"
#include "record_import.h"
#include "register.h"

static db *d;

static void fresh(void)
{
	char err[256];
	static const char *const lines[] = {
		"{\"type\":\"region\",\"code\":\"330200\",\"name\":\"示例市\"}",
		"{\"type\":\"region\",\"code\":\"330282\",\"name\":\"慈溪市\",\"parent\":\"330200\"}",
		"{\"type\":\"body\",\"code\":\"GOV\",\"name\":\"示例市人民政府\",\"kind\":\"government\",\"region\":\"330200\"}",
		"{\"type\":\"body\",\"code\":\"CX\",\"name\":\"慈溪市司法局\",\"kind\":\"department\",\"region\":\"330282\"}",
	};
	d = db_open("sqlite::memory:", err, sizeof err);
	CHECK(d != NULL);
	if (!d) /* no memory (tests/unit/failalloc.c) */
		exit(t_done() | 1);
	CHECK_INT(db_migrate(d), 0);
	t_org_load(d, lines, sizeof lines / sizeof lines[0]);
}

/* An import of text as the system (or as u); the text report in out. */
static int import(const struct reg_def *r, enum record_format f, const char *text, const struct user *u,
		  struct record_report *rep, char **out)
{
	static const struct audit_actor actor = { .id = 0, .name = "test", .ip = "" };
	size_t n;
	FILE *in = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
	*out = NULL; /* never left pointing at a freed buffer when open_memstream fails */
	memset(rep, 0, sizeof *rep);
	rep->errors = open_memstream(out, &n);
	rep->items = json_array();
	if (!in || !rep->errors) { /* no memory (tests/unit/failalloc.c) */
		if (in)
			fclose(in);
		if (rep->errors)
			fclose(rep->errors);
		rep->errors = NULL;
		return -1;
	}
	struct rec_ctx c;
	rec_ctx_init(&c, d, u, &actor);
	struct record_import_opts o = { .source = "test", .sm3 = "" };
	int rc = record_import_stream(&c, r, f, in, &o, rep);
	fclose(in);
	fclose(rep->errors);
	rep->errors = NULL;
	return rc;
}

static int64_t count(void)
{
	return db_query_int(d, "SELECT COUNT(*) FROM records", -1, 0);
}

/* The data of the record whose title is title, as compact sorted JSON. */
static char *data_of(const char *title)
{
	db_stmt *st = db_prepare(d, "SELECT data, start_date, due_date FROM records WHERE title = $1");
	char *s = NULL;
	db_bind_text(st, 1, title);
	if (db_step(st) == DB_ROW)
		s = strdup(db_col_text(st, 0));
	db_done(st);
	return s;
}

static void test_good_file(void)
{
	const struct reg_def *r = register_find("rectification");
	struct record_report rep;
	char *out = NULL;
	/* BOM; labels and names mixed; CRLF line ends; a blank line; a quoted
	 * comma, doubled quotes and a line break in a text cell; Excel's
	 * 2024/3/5 dates; an empty optional cell. */
	const char *csv = "\xEF\xBB\xBF"
			  "责任单位,起算日期,问题来源,问题描述,整改期限,measures\r\n"
			  "CX,2024/3/5,法治督察,\"程序瑕疵, 含逗号\",2024-06-30,\"第一步\r\n第二步 \"\"引号\"\"\"\r\n"
			  "\r\n"
			  "GOV,2024-03-06,案卷评查,说明理由不充分,2024/7/1,\r\n"
			  "CX,2024-03-07,其他,第三条,2024-12-31,\"\"\r\n";
	int64_t before = count();
	CHECK_INT(import(r, RECORD_CSV, csv, NULL, &rep, &out), 0);
	CHECK_INT(rep.rows, 3);
	CHECK_INT(rep.bad, 0);
	CHECK_INT(count() - before, 3);
	char *a = data_of("程序瑕疵, 含逗号"), *b = data_of("说明理由不充分"), *c = data_of("第三条");
	CHECK_STR(a, "{\"deadline\":\"2024-06-30\",\"issue\":\"程序瑕疵, 含逗号\",\"measures\":\"第一步\\n第二步 \\\"引号\\\"\","
		     "\"source\":\"法治督察\"}");
	CHECK_STR(b, "{\"deadline\":\"2024-07-01\",\"issue\":\"说明理由不充分\",\"source\":\"案卷评查\"}");
	CHECK_STR(c, "{\"deadline\":\"2024-12-31\",\"issue\":\"第三条\",\"source\":\"其他\"}");
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM records WHERE start_date = '2024-03-05' AND due_date = '2024-06-30'"
				  " AND state = 'pending'", -1, 0), 1);
	/* One audit entry for the import, none per record. */
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND entity = 'rectification'",
			       -1, 0), 1);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM audit_log WHERE action = 'create'", -1, 0), 0);
	free(a);
	free(b);
	free(c);
	free(out);
	json_decref(rep.items);
}

static void test_bad_rows(void)
{
	const struct reg_def *r = register_find("rectification");
	struct record_report rep;
	char *out = NULL;
	/* Rows 3 and 5 are bad (row 2 spans two lines in the file). */
	const char *csv = "body,start_date,source,issue,deadline\n"
			  "CX,2024-03-05,法治督察,\"两行\n的描述\",2024-06-30\n"
			  "CX,2024-03-05,乱填,问题,2024-06-30\n"
			  "CX,2024-03-05,其他,问题,2024-06-30\n"
			  "NOPE,2024-03-05,其他,问题,2024-02-30\n";
	int64_t before = count();
	CHECK_INT(import(r, RECORD_CSV, csv, NULL, &rep, &out), 1);
	CHECK_INT(rep.bad, 2);
	CHECK_INT(count(), before);
	CHECK(strstr(out ? out : "", "第 3 行（问题来源）: 问题来源的取值“乱填”不在可选范围内") != NULL);
	CHECK(strstr(out ? out : "", "第 5 行（责任单位）: 责任单位“NOPE”不存在") != NULL);
	CHECK(strstr(out ? out : "", "第 2 行") == NULL && strstr(out ? out : "", "第 4 行") == NULL);
	CHECK(strstr(out ? out : "", "未导入任何记录") != NULL);
	/* Row 5: every error of it, each naming its column by label. */
	CHECK(strstr(out ? out : "", "第 5 行（整改期限）: 整改期限应为 YYYY-MM-DD 格式的日期") != NULL);
	CHECK_INT(json_array_size(rep.items), 3);
	json_t *row = json_array_get(rep.items, 1);
	CHECK_INT(json_integer_value(json_object_get(row, "line")), 5);
	CHECK_STR(json_string_value(json_object_get(row, "field")), "body");
	CHECK_STR(json_string_value(json_object_get(row, "label")), "责任单位");
	row = json_array_get(rep.items, 2);
	CHECK_INT(json_integer_value(json_object_get(row, "line")), 5);
	CHECK_STR(json_string_value(json_object_get(row, "field")), "deadline");
	CHECK_STR(json_string_value(json_object_get(row, "label")), "整改期限");
	CHECK_INT(rep.bad, 2);
	json_decref(rep.items);
	free(out);
}

/* A file refused as a whole: rc 1, nothing written, the message has want. */
static void refused(const char *name, const char *csv, const char *want, const char *field)
{
	const struct reg_def *r = register_find("rectification");
	struct record_report rep;
	char *out = NULL;
	int64_t before = count();
	CHECK_INT(import(r, RECORD_CSV, csv, NULL, &rep, &out), 1);
	CHECK_INT(count(), before);
	json_t *row = json_array_get(rep.items, 0);
	const char *msg = json_string_value(json_object_get(row, "message"));
	if (!msg || !strstr(msg, want)) {
		t_fail++;
		fprintf(stderr, "%s: \"%s\" lacks \"%s\"\n", name, msg ? msg : "(none)", want);
	} else {
		t_pass++;
	}
	if (field)
		CHECK_STR(json_string_value(json_object_get(row, "field")), field);
	json_decref(rep.items);
	free(out);
}

static void test_refused_files(void)
{
	refused("unknown column", "body,start_date,source,issue,deadline,备注\nCX,2024-03-05,其他,问题,2024-06-30,x\n",
		"未知的列“备注”", "备注");
	refused("duplicate column", "body,start_date,source,issue,问题描述,deadline\n", "重复", "问题描述");
	refused("missing column", "body,start_date,source,deadline\n", "缺少必填字段“问题描述”的列", "issue");
	/* 问题 in GBK (Excel's default on Chinese Windows). */
	refused("GBK", "body,start_date,source,issue,deadline\nCX,2024-03-05,其他,\xCE\xCA\xCC\xE2,2024-06-30\n",
		"另存为", NULL);
	refused("UTF-16", "\xFF\xFE" "b", "UTF-8", NULL);
	refused("stray quote", "body,start_date,source,issue,deadline\nCX,2024-03-05,其他,a\"b,2024-06-30\n", "引号", NULL);
	refused("open quote", "body,start_date,source,issue,deadline\nCX,2024-03-05,其他,\"ab,2024-06-30\n", "引号", NULL);
	refused("empty", "", "表头", NULL);
	refused("cell without header", "body,start_date,source,issue,deadline\nCX,2024-03-05,其他,a,2024-06-30,extra\n",
		"没有表头", NULL);
	refused("newline in a one-line field",
		"body,start_date,source,issue,deadline,indicator\nCX,2024-03-05,其他,a,2024-06-30,\"x\ny\"\n", "控制字符",
		"indicator");
	static const char head[] = "body,start_date,source,issue,deadline\nCX,2024-03-05,其他,\"", tail[] = "\",2024-06-30\n";
	size_t big = IMPORT_MAX_LINE + 100, nh = sizeof head - 1;
	char *csv = malloc(nh + big + sizeof tail);
	if (!csv)
		return;
	memcpy(csv, head, nh);
	memset(csv + nh, 'x', big);
	memcpy(csv + nh + big, tail, sizeof tail);
	refused("row too large", csv, "行过长", NULL);
	free(csv);
}

static const char TYPES[] =
	"{\"name\":\"t_csv\",\"label\":\"测试\",\"title_field\":\"title\",\"fields\":["
	"{\"name\":\"title\",\"label\":\"标题\",\"type\":\"string\",\"required\":true},"
	"{\"name\":\"count\",\"label\":\"件数\",\"type\":\"int\"},"
	"{\"name\":\"on\",\"label\":\"日期\",\"type\":\"date\"},"
	"{\"name\":\"kind\",\"label\":\"类别\",\"type\":\"enum\",\"choices\":[\"甲\",\"乙\"]}],"
	"\"states\":[{\"name\":\"open\",\"label\":\"开\",\"initial\":true},{\"name\":\"done\",\"label\":\"结\",\"final\":true}],"
	"\"transitions\":[]}";

static void test_types(void)
{
	struct reg_def r;
	struct record_report rep;
	char why[256], *out = NULL;
	CHECK_INT(register_load_text("t_csv.json", TYPES, &r, why, sizeof why), 0);
	CHECK_INT(import(&r, RECORD_CSV, "body,start_date,标题,件数,日期,类别\nCX,2024-01-02,甲一,-12,2024/2/9,甲\n", NULL, &rep, &out), 0);
	char *a = data_of("甲一");
	CHECK_STR(a, "{\"count\":-12,\"kind\":\"甲\",\"on\":\"2024-02-09\",\"title\":\"甲一\"}");
	free(a);
	free(out);
	json_decref(rep.items);
	CHECK_INT(import(&r, RECORD_CSV, "body,start_date,标题,件数,日期,类别\n"
					 "CX,2024-01-02,乙一,12件,,\n"
					 "CX,2024-01-02,乙二,,2024/2/30,\n"
					 "CX,2024-01-02,乙三,,,丙\n"
					 "CX,2024-1-2x,乙四,,,\n", NULL, &rep, &out), 1);
	CHECK(strstr(out ? out : "", "第 2 行（件数）: 件数应为整数") != NULL);
	CHECK(strstr(out ? out : "", "第 3 行（日期）: 日期应为 YYYY-MM-DD") != NULL);
	CHECK(strstr(out ? out : "", "第 4 行（类别）: 类别的取值“丙”不在可选范围内（可选：甲、乙）") != NULL);
	CHECK(strstr(out ? out : "", "第 5 行（起算日期）: 起算日期应为 YYYY-MM-DD") != NULL);
	CHECK_INT(rep.bad, 4);
	json_decref(rep.items);
	free(out);
	json_decref(r.src);
}

static void test_scope(void)
{
	const struct reg_def *r = register_find("rectification");
	struct record_report rep;
	char *out = NULL;
	/* A county coordinator: the field rules let it give every value
	 * (test_register.c covers who may write what). */
	struct user u = { .id = 7, .username = "coord_a", .role = "coordinator", .scope_region = "330282",
			  .scope_path = "/330200/330282/" };
	int64_t before = count();
	CHECK_INT(import(r, RECORD_CSV, "body,start_date,source,issue,deadline\n"
					"CX,2024-03-05,其他,县内,2024-06-30\n"
					"GOV,2024-03-05,其他,市级,2024-06-30\n", &u, &rep, &out), 1);
	CHECK(out && strstr(out ? out : "", "第 3 行（责任单位）: 单位 GOV 不在您的管辖范围内") != NULL);
	CHECK_INT(rep.refused, 1);
	CHECK_INT(count(), before);
	json_decref(rep.items);
	free(out);
	CHECK_INT(import(r, RECORD_CSV, "body,start_date,source,issue,deadline\nCX,2024-03-05,其他,县内,2024-06-30\n", &u,
			 &rep, &out), 0);
	CHECK_INT(count(), before + 1);
	json_decref(rep.items);
	free(out);
}

static void test_jsonl_and_format(void)
{
	const struct reg_def *r = register_find("rectification");
	struct record_report rep;
	char *out = NULL;
	CHECK_INT(record_format_of("a.CSV", "x", 1, RECORD_JSONL), RECORD_CSV);
	CHECK_INT(record_format_of("a.jsonl", "{", 1, RECORD_CSV), RECORD_JSONL);
	CHECK_INT(record_format_of("-", "{", 1, RECORD_JSONL), RECORD_JSONL);
	CHECK_INT(record_format_of("a.XLSX", "a,b", 3, RECORD_JSONL), RECORD_XLSX); /* named: the reader says it is not one */
	CHECK_INT(record_format_of("a.csv", "PK\3\4", 4, RECORD_CSV), RECORD_XLSX);    /* a workbook by its content */
	CHECK_INT(record_format_of(NULL, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, RECORD_NONE), RECORD_XLSX);
	CHECK_INT(record_format_of("a.txt", "x", 1, RECORD_NONE), RECORD_NONE);
	int64_t before = count();
	CHECK_INT(import(r, RECORD_JSONL, "{\"body\":\"CX\",\"start_date\":\"2024-03-05\",\"data\":{\"source\":\"其他\","
					  "\"issue\":\"JSON 行\",\"deadline\":\"2024-06-30\",\"measures\":\"一\\n二\"}}\n\n"
					  "{\"body\":\"CX\"}\n", NULL, &rep, &out), 1);
	CHECK(strstr(out ? out : "", "第 3 行（起算日期）: 起算日期为必填项") != NULL);
	CHECK_INT(count(), before);
	json_decref(rep.items);
	free(out);
	CHECK_INT(import(r, RECORD_JSONL, "{\"body\":\"CX\",\"start_date\":\"2024-03-05\",\"data\":{\"source\":\"其他\","
					  "\"issue\":\"JSON 行\",\"deadline\":\"2024-06-30\",\"measures\":\"一\\n二\"}}\n",
			 NULL, &rep, &out), 0);
	CHECK_INT(count(), before + 1);
	json_decref(rep.items);
	free(out);
}

int main(void)
{
	char why[256];
	crypto_init();
	CHECK_INT(register_load_builtin(why, sizeof why), 0);
	if (t_fail) /* no registers (no memory: tests/unit/failalloc.c) */
		return t_done();
	fresh();
	test_good_file();
	test_bad_rows();
	test_refused_files();
	test_types();
	test_scope();
	test_jsonl_and_format();
	db_close(d);
	return t_done();
}
