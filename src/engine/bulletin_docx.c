/*
 * bulletin_docx.c — the 通报 (bulletin_compose's JSON) as a 公文 .docx:
 * 版头 with the issuing office and the 发文字号, the title, 主送机关, the
 * 按语, 一、the ranking, 二、overdue tasks, 三、overdue items (tables, one
 * merged cell per responsible body), 四、工作要求, 落款 and 版记.
 */
#include "bulletin.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "docx.h"

#define S(o, k) json_string_value(json_object_get((o), (k)))
#define I(o, k) ((long long)json_integer_value(json_object_get((o), (k))))

/* The issuer's text for field f, or the default. */
static const char *text_of(const json_t *b, const char *const texts[BT_COUNT], int f)
{
	return texts[f] ? texts[f] : S(json_object_get(b, "defaults"), bulletin_texts[f].key);
}

static void ranking(struct docx *d, const json_t *b)
{
	static const struct docx_col cols[] = {
		{ "名次", 20, 1 }, { "地区", 56, 0 }, { "测评总分", 40, 1 }, { "短板弱项（项）", 40, 1 },
	};
	const json_t *rows = json_object_get(b, "ranking"), *r;
	char text[512], max[32], rank[16], total[32], below[16];
	size_t i;
	docx_heading(d, 1, "一、各地区测评得分排名", NULL);
	if (json_array_size(rows) == 0) {
		snprintf(text, sizeof text, "%s没有下级地区参与排名。", S(b, "region_name"));
		docx_text(d, text);
		return;
	}
	bulletin_score(json_number_value(json_object_get(b, "score_max")), max, sizeof max);
	snprintf(text, sizeof text, "按照%s（满分%s分），%lld年度%s所辖%zu个地区的测评得分排名如下：", S(b, "system_name"), max,
		 I(b, "period"), S(b, "region_name"), json_array_size(rows));
	docx_text(d, text);
	docx_table_begin(d, cols, 4);
	json_array_foreach(rows, i, r) {
		snprintf(rank, sizeof rank, "%lld", I(r, "rank"));
		bulletin_score(json_number_value(json_object_get(r, "total")), total, sizeof total);
		snprintf(below, sizeof below, "%lld", I(r, "below"));
		docx_table_row(d, (const char *const[]){ rank, S(r, "region_name"), total, below });
	}
	docx_table_end(d);
}

/* The sentence before a table of overdue rows, or the one saying there
 * are none. */
static void overdue_intro(struct docx *d, const json_t *b, const json_t *part, const char *what, const char *state)
{
	char text[512], date[32], cut[64] = "";
	docx_date_cn(S(b, "date"), date, sizeof date);
	if (json_is_true(json_object_get(part, "truncated")))
		snprintf(cut, sizeof cut, "（下表列出其中前%d项）", BULLETIN_MAX_ROWS);
	if (I(part, "total") == 0)
		snprintf(text, sizeof text, "截至%s，%lld年度到期的%s没有%s的。", date, I(b, "period"), what, state);
	else
		snprintf(text, sizeof text, "截至%s，%lld年度到期的%s中，共有%lld个单位的%lld项%s%s：", date, I(b, "period"),
			 what, I(part, "bodies"), I(part, "total"), state, cut);
	docx_text(d, text);
}

/* The body's name and its count in the first row of its group. */
static void body_cell(const json_t *g, size_t i, const char *unit, char *out, size_t n)
{
	if (i == 0)
		snprintf(out, n, "%s\n（%lld项%s）", S(g, "body_name"), I(g, "count"), unit);
}

static void tasks(struct docx *d, const json_t *b)
{
	static const struct docx_col cols[] = {
		{ "责任单位", 33, 0 }, { "指标", 44, 0 }, { "职责", 14, 1 }, { "完成期限", 28, 1 }, { "逾期天数", 22, 1 },
		{ "进度", 15, 1 },
	};
	const json_t *part = json_object_get(b, "tasks"), *g, *t;
	size_t i, k;
	docx_heading(d, 1, "二、任务逾期情况", NULL);
	overdue_intro(d, b, part, "分解任务", "逾期未完成");
	if (I(part, "total") == 0)
		return;
	docx_table_begin(d, cols, 6);
	json_array_foreach(json_object_get(part, "groups"), i, g)
		json_array_foreach(json_object_get(g, "items"), k, t) {
			char body[256], ind[320], days[16], progress[16];
			body_cell(g, k, "逾期", body, sizeof body);
			snprintf(ind, sizeof ind, "%s %s", S(t, "indicator"), S(t, "indicator_name"));
			snprintf(days, sizeof days, "%lld", I(t, "days_late"));
			snprintf(progress, sizeof progress, "%lld%%", I(t, "progress"));
			docx_table_row(d, (const char *const[]){ k ? NULL : body, ind, S(t, "role_label"), S(t, "due_date"), days,
								  progress });
		}
	docx_table_end(d);
}

static void items(struct docx *d, const json_t *b)
{
	static const struct docx_col cols[] = {
		{ "责任单位", 33, 0 }, { "整改事项", 51, 0 }, { "状态", 22, 1 }, { "整改期限", 28, 1 }, { "逾期天数", 22, 1 },
	};
	const json_t *part = json_object_get(b, "items"), *g, *t;
	size_t i, k;
	docx_heading(d, 1, "三、整改事项逾期情况", NULL);
	overdue_intro(d, b, part, "整改事项", "逾期未销号");
	if (I(part, "total") == 0)
		return;
	docx_table_begin(d, cols, 5);
	json_array_foreach(json_object_get(part, "groups"), i, g)
		json_array_foreach(json_object_get(g, "items"), k, t) {
			char body[256], days[16];
			body_cell(g, k, "逾期", body, sizeof body);
			snprintf(days, sizeof days, "%lld", I(t, "days_late"));
			docx_table_row(d, (const char *const[]){ k ? NULL : body, S(t, "title"), S(t, "state_label"),
								  S(t, "due_date"), days });
		}
	docx_table_end(d);
}

/* 工作要求: a line opening with "（一）" is a level-2 heading up to its
 * first "。", the rest of the line following in the body face. */
static void requirements(struct docx *d, const char *text)
{
	docx_heading(d, 1, "四、工作要求", NULL);
	for (const char *line = text; line && *line; ) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[4096 * 4];
		snprintf(buf, sizeof buf, "%.*s", (int)len, line);
		char *stop = strstr(buf, "。");
		if (strncmp(buf, "（", 3) == 0 && stop && strstr(buf, "）") && strstr(buf, "）") < stop) {
			char rest[sizeof buf];
			snprintf(rest, sizeof rest, "%s", stop + 3);
			stop[3] = 0;
			docx_heading(d, 2, buf, rest);
		} else {
			docx_text(d, buf);
		}
		line = nl ? nl + 1 : NULL;
	}
}

int bulletin_docx(const json_t *b, const char *const texts[BT_COUNT], char **out, size_t *len)
{
	char mark[256];
	const char *issuer = S(b, "issuer"), *date = S(b, "date");
	struct docx_meta meta = { S(b, "title"), issuer, (int64_t)time(NULL) };
	struct docx *d = docx_new(&meta);
	if (!d)
		return -1;
	snprintf(mark, sizeof mark, "%s文件", issuer);
	docx_masthead(d, mark, text_of(b, texts, BT_DOC_NUMBER));
	const json_t *lines = json_object_get(b, "title_lines");
	char title[512];
	snprintf(title, sizeof title, "%s\n%s", json_string_value(json_array_get(lines, 0)),
		 json_string_value(json_array_get(lines, 1)));
	docx_title(d, title);
	docx_recipients(d, text_of(b, texts, BT_RECIPIENTS));
	docx_text(d, text_of(b, texts, BT_REMARKS));
	ranking(d, b);
	tasks(d, b);
	items(d, b);
	requirements(d, text_of(b, texts, BT_REQUIREMENTS));
	docx_signature(d, issuer, date);
	docx_record(d, text_of(b, texts, BT_COPY_TO), issuer, date);
	int rc = docx_finish(d, out, len);
	docx_free(d);
	return rc;
}
