/*
 * annual.c — the request tables of the 政府信息公开工作年度报告 (政府信息公开
 * 条例 第四十九条、第五十条; the national format's table 三 "收到和处理
 * 政府信息公开申请情况"), counted from the records:
 *   GET /api/v1/registers/info_request/annual-report?year=&region=[&format=xlsx]
 * rows: received in the year, carried over from the year before, each
 * result of the requests concluded in the year (answered or abandoned),
 * carried into the next; columns by requester: 自然人, the five kinds of
 * 法人或者其他组织, 总计; and table 四, the 复议 and 诉讼 cases over the
 * requests by result (from the registers whose domains class disputes). Owns the map from an answer's type and detail to
 * the table's rows (ir_detail_check holds a record's answer to it).
 */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/eval_args.h"
#include "domain.h"
#include "domain/info_request/info_request.h"
#include "scope.h"

#define NCOLS 7
static const char *const columns[NCOLS] = { "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计" };

/* The table's rows. A result row names the answer_type and, below a
 * group, the answer_detail it counts; a group row sums the rows under it. */
enum kind { R_RECEIVED, R_CARRIED_IN, R_HEAD, R_RESULT, R_GROUP, R_TOTAL, R_CARRIED_OUT };
struct row_def {
	enum kind kind;
	const char *label, *type, *detail;
};
static const struct row_def rows[] = {
	{ R_RECEIVED, "一、本年新收政府信息公开申请数量", NULL, NULL },
	{ R_CARRIED_IN, "二、上年结转政府信息公开申请数量", NULL, NULL },
	{ R_HEAD, "三、本年度办理结果", NULL, NULL },
	{ R_RESULT, "（一）予以公开", "予以公开", NULL },
	{ R_RESULT, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开", NULL },
	{ R_GROUP, "（三）不予公开", "不予公开", NULL },
	{ R_RESULT, "1.属于国家秘密", "不予公开", "属于国家秘密" },
	{ R_RESULT, "2.其他法律行政法规禁止公开", "不予公开", "其他法律行政法规禁止公开" },
	{ R_RESULT, "3.危及“三安全一稳定”", "不予公开", "危及“三安全一稳定”" },
	{ R_RESULT, "4.保护第三方合法权益", "不予公开", "保护第三方合法权益" },
	{ R_RESULT, "5.属于三类内部事务信息", "不予公开", "属于三类内部事务信息" },
	{ R_RESULT, "6.属于四类过程性信息", "不予公开", "属于四类过程性信息" },
	{ R_RESULT, "7.属于行政执法案卷", "不予公开", "属于行政执法案卷" },
	{ R_RESULT, "8.属于行政查询事项", "不予公开", "属于行政查询事项" },
	{ R_GROUP, "（四）无法提供", "无法提供", NULL },
	{ R_RESULT, "1.本机关不掌握相关政府信息", "无法提供", "本机关不掌握相关政府信息" },
	{ R_RESULT, "2.没有现成信息需要另行制作", "无法提供", "没有现成信息需要另行制作" },
	{ R_RESULT, "3.补正后申请内容仍不明确", "无法提供", "补正后申请内容仍不明确" },
	{ R_GROUP, "（五）不予处理", "不予处理", NULL },
	{ R_RESULT, "1.信访举报投诉类申请", "不予处理", "信访举报投诉类申请" },
	{ R_RESULT, "2.重复申请", "不予处理", "重复申请" },
	{ R_RESULT, "3.要求提供公开出版物", "不予处理", "要求提供公开出版物" },
	{ R_RESULT, "4.无正当理由大量反复申请", "不予处理", "无正当理由大量反复申请" },
	{ R_RESULT, "5.要求行政机关确认或重新出具已获取信息", "不予处理", "要求行政机关确认或重新出具已获取信息" },
	{ R_GROUP, "（六）其他处理", "其他处理", NULL },
	{ R_RESULT, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "其他处理", "逾期不补正" },
	{ R_RESULT, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他处理",
	  "申请人逾期未按收费通知要求缴纳费用" },
	{ R_RESULT, "3.其他", "其他处理", "其他" },
	{ R_TOTAL, "（七）总计", NULL, NULL },
	{ R_CARRIED_OUT, "四、结转下年度继续办理", NULL, NULL },
};
#define NROWS (sizeof rows / sizeof rows[0])

/* The register's answer types as the table groups them: 本机关不掌握 and
 * 非本机关负责公开 (第三十六条第四项、第五项) are both 无法提供. */
static const char *group_of(const char *answer_type)
{
	if (answer_type && (!strcmp(answer_type, "本机关不掌握相关信息") || !strcmp(answer_type, "非本机关负责公开")))
		return "无法提供";
	return answer_type;
}

int ir_detail_check(const char *answer_type, const char *detail)
{
	const char *g = group_of(answer_type);
	int needed = g && (!strcmp(g, "不予公开") || !strcmp(g, "不予处理") || !strcmp(g, "其他处理"));
	if (!detail)
		return needed ? IR_DETAIL_MISSING : 0;
	for (size_t i = 0; i < NROWS; i++)
		if (rows[i].kind == R_RESULT && rows[i].detail && !strcmp(rows[i].detail, detail))
			return g && !strcmp(rows[i].type, g) ? 0 : IR_DETAIL_MISMATCH;
	return IR_DETAIL_MISMATCH;
}

/* The result row of a concluded request; -1 when none fits. */
static int result_row(const char *state, const char *type, const char *detail)
{
	const char *g = group_of(type);
	if (!strcmp(state, "abandoned")) /* 第三十条: 视为放弃 */
		g = "其他处理", detail = "逾期不补正";
	if (g && !strcmp(g, "无法提供") && !detail)
		detail = "本机关不掌握相关政府信息";
	for (size_t i = 0; g && i < NROWS; i++)
		if (rows[i].kind == R_RESULT && !strcmp(rows[i].type, g) && (!rows[i].detail || (detail && !strcmp(rows[i].detail, detail))))
			return (int)i;
	return -1;
}

/* The requester's column. */
static int column(const char *kind, const char *org)
{
	if (!kind || !strcmp(kind, "自然人"))
		return 0;
	for (int c = 1; org && c < NCOLS - 1; c++)
		if (!strcmp(columns[c], org))
			return c;
	return NCOLS - 2; /* 其他 */
}

static void add(int64_t t[NROWS][NCOLS], size_t r, int c)
{
	t[r][c]++;
	t[r][NCOLS - 1]++;
}

/* Counts the requests of the caller's scope under path that were open at
 * some time in the year into t; those concluded without the detail their
 * answer's group needs (written before the field existed) into loose: in
 * the total, in no row of their group. -1 on a store error. */
static int count(struct api *a, const char *path, int year, int64_t t[NROWS][NCOLS], int64_t loose[NCOLS])
{
	char from[11], to[11];
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	struct query q;
	query_init(&q, "SELECT r.state, r.start_date, r.closed_date, r.data FROM records r WHERE r.register = 'info_request'");
	query_add(&q, " AND r.start_date <= ? AND (r.closed_date IS NULL OR r.closed_date >= ?)", "ss", to, from);
	scope_subtree(&q, "r.region_path", path);
	scope_filter(&q, &a->user, "r.region_path", "r.body_id");
	db_stmt *st = query_prepare(a->db, &q);
	query_free(&q);
	int rc = st ? db_step(st) : DB_ERR;
	for (; rc == DB_ROW; rc = db_step(st)) {
		const char *state = db_col_text(st, 0), *start = db_col_text(st, 1), *closed = db_col_text(st, 2);
		json_t *o = json_loads(db_col_text(st, 3), 0, NULL);
		const char *type = json_string_value(json_object_get(o, "answer_type"));
		int c = column(json_string_value(json_object_get(o, "requester_kind")),
			       json_string_value(json_object_get(o, "org_kind")));
		add(t, strcmp(start, from) >= 0 ? 0 : 1, c); /* received this year, or carried in */
		int r = closed && strcmp(closed, to) <= 0
				? result_row(state, type, json_string_value(json_object_get(o, "answer_detail"))) : -1;
		if (r >= 0)
			add(t, (size_t)r, c);
		else if (!closed || strcmp(closed, to) > 0)
			add(t, NROWS - 1, c);
		else
			loose[c]++, loose[NCOLS - 1]++;
		json_decref(o);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Group rows and the total from the result rows and the loose ones. */
static void sum_up(int64_t t[NROWS][NCOLS], const int64_t loose[NCOLS])
{
	for (int c = 0; c < NCOLS; c++)
		t[NROWS - 2][c] += loose[c];
	for (size_t i = 0; i < NROWS; i++)
		for (size_t k = 0; k < NROWS && (rows[i].kind == R_GROUP || rows[i].kind == R_TOTAL); k++)
			if (rows[k].kind == R_RESULT && (rows[i].kind == R_TOTAL || !strcmp(rows[k].type, rows[i].type)))
				for (int c = 0; c < NCOLS; c++)
					t[i][c] += t[k][c];
}

static json_t *table_json(int64_t t[NROWS][NCOLS])
{
	json_t *out = json_array();
	for (size_t i = 0; i < NROWS; i++) {
		json_t *row = json_pack("{s:s}", "item", rows[i].label);
		for (int c = 0; c < NCOLS; c++) {
			char key[4];
			snprintf(key, sizeof key, "c%d", c);
			if (rows[i].kind == R_HEAD)
				json_object_set_new(row, key, json_null());
			else
				json_object_set_new(row, key, json_integer(t[i][c]));
		}
		json_array_append_new(out, row);
	}
	return out;
}

/* Table 四 (因政府信息公开工作被申请行政复议、提起行政诉讼情况): the cases of
 * the year in scope, of every register whose domain classes disputes
 * (the dispute hook), that refer to a request; by group and result. */
static const char *const groups[] = { "行政复议", "未经复议直接起诉", "复议后起诉" };
static const char *const results[] = { "结果维持", "结果纠正", "其他结果", "尚未审结", "总计" };
#define NGROUPS (sizeof groups / sizeof groups[0])
#define NRESULTS (sizeof results / sizeof results[0])

static int index_of(const char *const *list, size_t n, const char *v)
{
	for (size_t i = 0; v && i < n; i++)
		if (!strcmp(list[i], v))
			return (int)i;
	return -1;
}

static int count_disputes(struct api *a, const char *path, int year, int64_t t[NGROUPS][NRESULTS])
{
	char from[11], to[11];
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	for (int i = 0; i < domain_count(); i++) {
		const struct domain_ops *ops = domain_at(i);
		const struct reg_def *r = register_find(ops->name);
		int f = -1;
		for (int k = 0; r && ops->dispute && k < r->nfields; k++)
			if (r->fields[k].type == RF_REF && !strcmp(r->fields[k].ref, "info_request"))
				f = k;
		if (f < 0)
			continue;
		struct query q;
		query_init(&q, "SELECT r.data FROM records r WHERE 1 = 1");
		query_add(&q, " AND r.register = ? AND r.start_date >= ? AND r.start_date <= ?", "sss", r->name, from, to);
		scope_subtree(&q, "r.region_path", path);
		scope_filter(&q, &a->user, "r.region_path", "r.body_id");
		db_stmt *st = query_prepare(a->db, &q);
		query_free(&q);
		int rc = st ? db_step(st) : DB_ERR;
		for (; rc == DB_ROW; rc = db_step(st)) {
			struct record rec = { .data = json_loads(db_col_text(st, 0), 0, NULL) };
			const char *result = NULL, *group = NULL;
			if (json_integer_value(json_object_get(rec.data, r->fields[f].name)) > 0)
				group = ops->dispute(&rec, &result);
			int g = index_of(groups, NGROUPS, group), k = index_of(results, NRESULTS, result);
			if (g >= 0 && k >= 0)
				t[g][k]++, t[g][NRESULTS - 1]++;
			json_decref(rec.data);
		}
		db_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	return 0;
}

static json_t *disputes_json(int64_t t[NGROUPS][NRESULTS])
{
	json_t *out = json_array();
	for (size_t g = 0; g < NGROUPS; g++) {
		json_t *counts = json_object();
		for (size_t k = 0; k < NRESULTS; k++)
			json_object_set_new(counts, results[k], json_integer(t[g][k]));
		json_array_append_new(out, json_pack("{s:s, s:s, s:o}", "kind", g ? "行政诉讼" : "行政复议", "label", groups[g], "counts", counts));
	}
	return out;
}

static void annual_report(struct api *a)
{
	struct eval_args x;
	struct fz_err e = { 0 };
	int year;
	if (api_eval_region(a, http_query(a->r, "region"), &x) != 0)
		return;
	if (api_query_year(a, &year, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	int64_t (*t)[NCOLS] = calloc(NROWS, sizeof *t), loose[NCOLS] = { 0 };
	if (!t || count(a, x.path, year, t, loose) != 0) {
		free(t);
		fz_store(&e, a->db);
		api_fail(a, &e);
		return;
	}
	sum_up(t, loose);
	json_t *table = table_json(t);
	free(t);
	int64_t d[NGROUPS][NRESULTS] = { { 0 } };
	if (count_disputes(a, x.path, year, d) != 0) {
		json_decref(table);
		fz_store(&e, a->db);
		api_fail(a, &e);
		return;
	}
	const char *format = http_query(a->r, "format");
	if (format && !strcmp(format, "xlsx")) {
		const struct list_col cols[] = {
			{ "item", "项目", 0 }, { "c0", columns[0], 1 }, { "c1", columns[1], 1 }, { "c2", columns[2], 1 },
			{ "c3", columns[3], 1 }, { "c4", columns[4], 1 }, { "c5", columns[5], 1 }, { "c6", columns[6], 1 },
			{ NULL, NULL, 0 },
		};
		api_send_xlsx(a, cols, table, "收到和处理政府信息公开申请情况");
		json_decref(table);
		return;
	}
	json_t *cols = json_array();
	for (int c = 0; c < NCOLS; c++) {
		char key[4];
		snprintf(key, sizeof key, "c%d", c);
		json_array_append_new(cols, json_pack("{s:s, s:s}", "key", key, "label", columns[c]));
	}
	api_json(a, 200, json_pack("{s:i, s:s, s:s, s:s, s:o, s:o, s:I, s:s, s:o}", "year", year, "region", x.region,
				   "region_name", x.name, "title", "收到和处理政府信息公开申请情况", "columns", cols, "rows", table,
				   "unclassified", (json_int_t)loose[NCOLS - 1], "disputes_title",
				   "因政府信息公开工作被申请行政复议、提起行政诉讼情况", "disputes", disputes_json(d)));
}

API_ROUTES(info_request_annual,
	{ "GET", "/api/v1/registers/info_request/annual-report", annual_report, PERM_RECORD_READ, 0 })
