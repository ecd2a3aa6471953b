/*
 * cmd_calendar.c — `fazhi calendar import FILE` and `fazhi calendar list`:
 * an operator loads next year's holiday notice (or corrects a year) without
 * waiting for a release; every open record's deadline is recomputed in the
 * same transaction and the change shown on its timeline (calendar_store.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar_store.h"
#include "cli.h"
#include "cntime.h"

static int run(int argc, char **argv);

CLI_COMMAND(calendar, "calendar", "导入、查看节假日日历 / import and list the holiday calendar",
	    "用法 / Usage: fazhi calendar import FILE [--db URI]\n"
	    "       fazhi calendar list [--db URI]\n\n"
	    "import  校验并导入节假日日历文件（格式同 data/calendar/cn-holidays.txt，上限 1 MB）：\n"
	    "        文件中的年份取代此前的同一年份（用于载入国务院办公厅每年 12 月公布的下一年安排，\n"
	    "        或更正某一年）；同一事务中重新计算全部未办结记录的办理期限，变更记入各记录的\n"
	    "        办理过程并写入审计日志。文件有误时指出行号，不作任何修改。运行中的服务器一分钟内\n"
	    "        自动采用新日历。\n"
	    "list    列出已载入的年份及其来源（内置或导入）。\n\n"
	    "import  validates and imports a holiday calendar file (the cn-holidays.txt format, ≤ 1 MB);\n"
	    "        its years replace the same years before; every open record's deadline is recomputed\n"
	    "        in the same transaction (each change on the record's timeline, audited). A bad file\n"
	    "        is refused with its line number and nothing changes. A running server uses the new\n"
	    "        calendar within a minute.\n"
	    "list    the years loaded and where each comes from.",
	    run)

/* The whole file as text; NULL with the reason printed. */
static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fazhi: 无法打开 %s\n", path);
		return NULL;
	}
	size_t cap = (1 << 20) + 2, n;
	char *text = malloc(cap);
	n = text ? fread(text, 1, cap - 1, f) : 0;
	int bad = !text || ferror(f) || n == cap - 1 || memchr(text, 0, n);
	fclose(f);
	if (bad) {
		fprintf(stderr, "fazhi: %s：%s\n", path, !text ? "内存不足" : n == cap - 1 ? "文件过大（上限 1 MB）" : "无法读取或不是文本文件");
		free(text);
		return NULL;
	}
	text[n] = 0;
	return text;
}

static int import(const char *uri, const char *path)
{
	char why[512];
	struct calendar_import_result res;
	char *text = read_text(path);
	if (!text)
		return 1;
	db *d = cli_open_db(uri, 0);
	int rc = d ? calendar_store_refresh(d, why, sizeof why) : -1;
	if (rc == 0)
		rc = calendar_store_import(d, &cli_actor, text, &res, why, sizeof why);
	if (d && rc != 0)
		fprintf(stderr, "fazhi: 日历未导入 / calendar not imported: %s\n", why);
	else if (d)
		printf("已导入 %s 年的放假安排；%d 条未办结记录的办理期限已重新计算 / imported %s; %d open records' deadlines moved\n",
		       res.years, res.records_changed, res.years, res.records_changed);
	free(text);
	db_close(d);
	return rc == 0 ? 0 : 1;
}

static int list(const char *uri)
{
	char why[512], today[11];
	db *d = cli_open_db(uri, 0);
	if (!d || calendar_store_refresh(d, why, sizeof why) != 0) {
		if (d)
			fprintf(stderr, "fazhi: %s\n", why);
		db_close(d);
		return 1;
	}
	const struct calendar *c = calendar_current();
	for (int i = 0; i < c->ny; i++)
		printf("%d  %s\n", c->y[i].year, c->y[i].source);
	cn_today(today);
	int next = atoi(today) + 1;
	if (!calendar_covers_year(c, next))
		printf("未载入 %d 年的放假安排：截止日期在 %d 年的期限暂按周末推算（临时） / %d not loaded\n", next, next, next);
	db_close(d);
	return 0;
}

static int run(int argc, char **argv)
{
	const char *uri = DB_DEFAULT_URI;
	const struct cli_opt opts[] = { CLI_OPT_STR("db", &uri), CLI_OPT_END };
	char *w[2];
	if (cli_wants_help(&calendar_cmd, argc, argv))
		return 0;
	int nw = cli_parse(argc, argv, 1, opts, w, 2);
	if (nw == 2 && strcmp(w[0], "import") == 0)
		return import(uri, w[1]);
	if (nw == 1 && strcmp(w[0], "list") == 0)
		return list(uri);
	fprintf(stderr, "%s\n", calendar_cmd.usage);
	return 2;
}
