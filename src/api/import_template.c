/*
 * import_template.c — GET /api/v1/registers/{reg}/import-template.xlsx: the
 * workbook a user fills in to import a register's records (records_import.c).
 * Its first sheet has a header row of the Chinese labels of the columns the
 * caller may give (责任单位, 起算日期, the required fields and those its
 * role may write at creation), each with a comment stating the column's
 * rule, drop-down lists of a choice field's values and of the bodies'
 * names, and date and text formats on the columns; the second sheet,
 * 单位名单, lists the name, code and region of each body within the
 * caller's scope; the third, 填写说明, says the rules in words. Audited as
 * an export.
 */
#include "api.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "record.h"
#include "record_import.h"
#include "register.h"

#define TEMPLATE_ROWS 10000        /* rows the formats and drop-downs cover */
#define TEMPLATE_MAX_BODIES 20000  /* bodies listed on 单位名单 */
#define BODY_SHEET "单位名单"

/* One column of the template: body, start_date or a field. */
struct column {
	const char *name, *label;
	const struct reg_field *f; /* NULL: body or start_date */
};

/* The columns the caller may fill, in the definition's order. */
static int columns_of(const struct rec_ctx *c, const struct reg_def *r, struct column *out)
{
	int n = 0;
	out[n++] = (struct column){ "body", record_column_label(r, "body"), NULL };
	out[n++] = (struct column){ "start_date", record_column_label(r, "start_date"), NULL };
	for (int i = 0; i < r->nfields; i++)
		if (r->fields[i].required || record_may_give(c, &r->fields[i]))
			out[n++] = (struct column){ r->fields[i].name, r->fields[i].label, &r->fields[i] };
	return n;
}

/* The rule of a column in words. */
static void rule_of(const struct column *col, char *out, size_t n)
{
	const struct reg_field *f = col->f;
	if (!f) {
		snprintf(out, n, strcmp(col->name, "body") == 0
					 ? "必填。填写单位名称（与系统中显示的一致，见“" BODY_SHEET "”工作表）或单位编码；"
					   "有同名单位时须填写单位编码。"
					 : "必填。日期，如 2024-03-05（可直接输入 Excel 日期）。");
		return;
	}
	size_t k = (size_t)snprintf(out, n, "%s", f->required ? "必填。" : "选填。");
	switch (f->type) {
	case RF_STRING:
		snprintf(out + k, n - k, "文字，不超过 %d 个字。", f->max);
		break;
	case RF_TEXT:
		snprintf(out + k, n - k, "文字（可换行），不超过 %d 个字。", f->max);
		break;
	case RF_ENUM:
		k += (size_t)snprintf(out + k, n - k, "从下拉列表中选择：");
		for (int i = 0; i < f->nchoices && k < n; i++)
			k += (size_t)snprintf(out + k, n - k, "%s%s", i ? "、" : "", f->choices[i]);
		if (k < n)
			snprintf(out + k, n - k, "。");
		break;
	case RF_DATE:
		snprintf(out + k, n - k, "日期，如 2024-03-05%s。", f->not_after_today ? "，不晚于填写当天" : "");
		break;
	case RF_INT:
		snprintf(out + k, n - k, "整数。");
		break;
	case RF_REF: {
		const struct reg_def *target = register_find(f->ref);
		snprintf(out + k, n - k, "%s的记录编号（正整数）。", target ? target->label : f->ref);
		break;
	}
	case RF_SUBJECT:
		snprintf(out + k, n - k, "主体库中企业或个人的编号（正整数）。");
		break;
	}
}

/* 单位名单: the bodies within the caller's scope; their count, or -1. */
static int64_t body_sheet(struct api *a, lxw_worksheet *ws, lxw_format *bold, lxw_format *text)
{
	static const char *const head[] = { "单位名称", "单位编码", "所属地区" };
	for (int i = 0; i < 3; i++) {
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, i ? 18 : 32, text);
		worksheet_write_string(ws, 0, (lxw_col_t)i, head[i], bold);
	}
	struct query q;
	char limit[48];
	query_init(&q, "SELECT b.name, b.code, g.name FROM bodies b JOIN regions g ON g.code = b.region_code WHERE 1 = 1");
	scope_filter(&q, &a->user, "b.region_path", "b.id");
	snprintf(limit, sizeof limit, " ORDER BY b.region_path, b.code LIMIT %d", TEMPLATE_MAX_BODIES);
	query_raw(&q, limit);
	db_stmt *st = query_prepare(a->db, &q);
	query_free(&q);
	int64_t n = 0;
	int rc = DB_ERR;
	while (st && (rc = db_step(st)) == DB_ROW) {
		n++;
		for (int i = 0; i < 3; i++)
			worksheet_write_string(ws, (lxw_row_t)n, (lxw_col_t)i, db_col_text(st, i), NULL);
	}
	db_done(st);
	return rc == DB_DONE ? n : -1;
}

/* The first sheet: the header with its comments, formats, drop-downs. */
static void data_sheet(lxw_worksheet *ws, const struct column *cols, int ncols, int64_t bodies, lxw_format *bold,
		       lxw_format *text, lxw_format *date)
{
	lxw_comment_options note = { .author = "fazhi", .width = 320, .height = 140 };
	char rule[1024], range[64];
	worksheet_freeze_panes(ws, 1, 0);
	for (int i = 0; i < ncols; i++) {
		const struct reg_field *f = cols[i].f;
		int is_date = f ? f->type == RF_DATE : strcmp(cols[i].name, "start_date") == 0;
		int wide = f && f->type == RF_TEXT;
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, wide ? 40 : 20,
				     is_date ? date : f && (f->type == RF_INT || f->type == RF_REF || f->type == RF_SUBJECT) ? NULL : text);
		worksheet_write_string(ws, 0, (lxw_col_t)i, cols[i].label, bold);
		rule_of(&cols[i], rule, sizeof rule);
		worksheet_write_comment_opt(ws, 0, (lxw_col_t)i, rule, &note);
		lxw_data_validation dv = { .validate = LXW_VALIDATION_TYPE_LIST, .show_error = LXW_VALIDATION_OFF };
		const char *choices[REG_MAX_LIST + 1] = { 0 };
		if (f && f->type == RF_ENUM) {
			memcpy(choices, f->choices, sizeof(char *) * (size_t)f->nchoices);
			dv.value_list = (char **)(uintptr_t)choices;
			dv.show_error = LXW_VALIDATION_ON;
		} else if (!f && strcmp(cols[i].name, "body") == 0 && bodies > 0) {
			snprintf(range, sizeof range, "='%s'!$A$2:$A$%lld", BODY_SHEET, (long long)bodies + 1);
			dv.value_formula = range; /* codes may still be typed: no error alert */
		} else {
			continue;
		}
		/* A list longer than Excel takes (255 characters) stays in the comment only. */
		worksheet_data_validation_range(ws, 1, (lxw_col_t)i, TEMPLATE_ROWS, (lxw_col_t)i, &dv);
	}
}

/* 填写说明: each column's rule, and how the import treats the file. */
static void help_sheet(lxw_worksheet *ws, const struct reg_def *r, const struct column *cols, int ncols,
		       lxw_format *bold, lxw_format *wrap)
{
	char rule[1024];
	worksheet_set_column(ws, 0, 0, 18, NULL);
	worksheet_set_column(ws, 1, 1, 80, wrap);
	worksheet_write_string(ws, 0, 0, "列", bold);
	worksheet_write_string(ws, 0, 1, "填写要求", bold);
	for (int i = 0; i < ncols; i++) {
		rule_of(&cols[i], rule, sizeof rule);
		worksheet_write_string(ws, (lxw_row_t)(i + 1), 0, cols[i].label, NULL);
		worksheet_write_string(ws, (lxw_row_t)(i + 1), 1, rule, NULL);
	}
	snprintf(rule, sizeof rule, "在第一个工作表中每行填写一条%s记录，第 1 行表头请勿修改。导入时逐行校验：全部通过才导入，"
		 "否则按 Excel 行号列出每一行的全部问题，不导入任何记录。", r->label);
	worksheet_write_string(ws, (lxw_row_t)(ncols + 2), 0, "说明", bold);
	worksheet_write_string(ws, (lxw_row_t)(ncols + 2), 1, rule, NULL);
}

/* The sheet name for the data: the register's label when Excel takes it. */
static const char *data_sheet_name(lxw_workbook *wb, const struct reg_def *r)
{
	return workbook_validate_sheet_name(wb, r->label) == LXW_NO_ERROR ? r->label : "导入数据";
}

static void template(struct api *a)
{
	const struct reg_def *r = register_find(a->param[0]);
	if (!r) {
		api_error(a, 404, "not_found", NULL, "登记簿 %s 不存在", a->param[0]);
		return;
	}
	if (api_export_begin(a) != 0)
		return;
	struct rec_ctx c;
	struct column cols[REG_MAX_FIELDS + 2];
	api_rec_ctx(a, &c);
	int ncols = columns_of(&c, r, cols);
	char path[API_TMP_PATH] = "";
	lxw_workbook *wb = api_xlsx_tmp(path) == 0 ? workbook_new(path) : NULL;
	lxw_format *bold = wb ? workbook_add_format(wb) : NULL, *text = wb ? workbook_add_format(wb) : NULL;
	lxw_format *date = wb ? workbook_add_format(wb) : NULL, *wrap = wb ? workbook_add_format(wb) : NULL;
	lxw_worksheet *data = bold && text && date && wrap ? workbook_add_worksheet(wb, data_sheet_name(wb, r)) : NULL;
	lxw_worksheet *list = data ? workbook_add_worksheet(wb, BODY_SHEET) : NULL;
	lxw_worksheet *help = list ? workbook_add_worksheet(wb, "填写说明") : NULL;
	int64_t bodies = -1;
	if (help) {
		format_set_bold(bold);
		format_set_bg_color(bold, 0xDDEBF7);
		format_set_num_format(text, "@");
		format_set_num_format(date, "yyyy-mm-dd");
		format_set_text_wrap(wrap);
		bodies = body_sheet(a, list, bold, text);
		data_sheet(data, cols, ncols, bodies, bold, text, date);
		help_sheet(help, r, cols, ncols, bold, wrap);
	}
	int closed = wb && workbook_close(wb) == LXW_NO_ERROR;
	if (!closed || !help || bodies < 0) {
		if (*path)
			unlink(path);
		if (bodies < 0 && help)
			api_error(a, 500, "store_error", NULL, "生成导入模板失败: %s", db_errmsg(a->db));
		else
			api_error(a, 500, "internal", NULL, "生成导入模板失败");
		return;
	}
	char filename[96];
	snprintf(filename, sizeof filename, "%s-import-template.xlsx", r->name);
	api_xlsx_send_file(a, path, r->name, json_pack("{s:s, s:I, s:i}", "template", "import", "bodies",
							(json_int_t)bodies, "columns", ncols), filename);
}

API_ROUTES(import_template,
	{ "GET", "/api/v1/registers/{reg}/import-template.xlsx", template, PERM_RECORD_WRITE, 0 })
