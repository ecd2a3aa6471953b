/*
 * cmd_indicators.c — `fazhi indicators check FILE [--metrics LIST]`: loads
 * an indicator system file, prints a one-line summary, or every problem
 * as FILE:LINE: message (exit 1). No database needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine/indicator.h"

#define MAX_KNOWN 1024

static int run(int argc, char **argv);

CLI_COMMAND(indicators, "indicators", "检查指标体系文件 / check an indicator system file",
	    "用法 / Usage: fazhi indicators check FILE [--metrics LIST]\n"
	    "  检查指标体系文件（格式见 docs/indicators.md），成功时输出一行汇总，\n"
	    "  否则逐条输出 FILE:LINE: 错误 并以非零状态退出。\n"
	    "  --metrics LIST  已有数据项清单（每行一个名称），公式只能引用其中的数据项\n"
	    "  Checks an indicator system file; prints a summary, or FILE:LINE: message\n"
	    "  for each problem. --metrics: a file of known metric names, one a line.",
	    run)

/* Reads one metric name a line ('#' comments) into names; -1 on failure. */
static int known_load(const char *path, char *buf, size_t bufn, const char **names, int *n)
{
	FILE *f = fopen(path, "r");
	size_t used = 0;
	char line[256];
	*n = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f) && *n < MAX_KNOWN) {
		line[strcspn(line, "\r\n# \t")] = '\0';
		size_t len = strlen(line);
		if (!len || used + len + 1 > bufn)
			continue;
		memcpy(buf + used, line, len + 1);
		names[(*n)++] = buf + used;
		used += len + 1;
	}
	fclose(f);
	return 0;
}

static void summary(const char *path, const struct indicator_system *s)
{
	int level[INDICATOR_MAX_LEVEL + 1] = { 0 }, kind[INDICATOR_KIND_COUNT] = { 0 };
	double top = 0;
	for (int i = 0; i < s->n; i++) {
		const struct indicator *it = &s->items[i];
		if (it->kind != INDICATOR_BONUS && it->kind != INDICATOR_PENALTY && it->kind != INDICATOR_VETO) {
			level[it->level]++;
			top += it->parent < 0 ? it->weight : 0;
		}
		kind[it->kind] += it->nchildren == 0;
	}
	printf("%s: %s %s「%s」：一级 %d 项，二级 %d 项，三级 %d 项；计算 %d 项，人工评分 %d 项，"
	       "加分 %d 项，减分 %d 项，一票否决 %d 项；满分 %g，不适用项 %s\n",
	       path, s->id, s->version, s->name, level[1], level[2], level[3], kind[INDICATOR_AUTO],
	       kind[INDICATOR_MANUAL], kind[INDICATOR_BONUS], kind[INDICATOR_PENALTY], kind[INDICATOR_VETO], top,
	       s->na_rule == INDICATOR_NA_EXCLUDE ? "不计入 (exclude)" : "分值按比例分配 (redistribute)");
}

static int check(const char *path, const char *metrics_path)
{
	static char buf[64 * 1024];
	static const char *names[MAX_KNOWN];
	static struct indicator_diags dg;
	int nknown = 0;
	if (metrics_path && known_load(metrics_path, buf, sizeof buf, names, &nknown) != 0) {
		fprintf(stderr, "%s: 无法读取数据项清单\n", metrics_path);
		return 2;
	}
	struct indicator_system *s = indicator_system_load(path, metrics_path ? names : NULL, nknown, &dg);
	if (!s) {
		for (int i = 0; i < dg.n; i++) {
			if (dg.d[i].line > 0)
				fprintf(stderr, "%s:%d: %s\n", path, dg.d[i].line, dg.d[i].msg);
			else
				fprintf(stderr, "%s: %s\n", path, dg.d[i].msg);
		}
		if (dg.more)
			fprintf(stderr, "%s: 另有 %d 个错误未列出\n", path, dg.more);
		return 1;
	}
	summary(path, s);
	indicator_system_free(s);
	return 0;
}

static int run(int argc, char **argv)
{
	const char *file = NULL, *metrics = NULL;
	if (cli_wants_help(&indicators_cmd, argc, argv))
		return 0;
	if (argc < 2 || strcmp(argv[1], "check") != 0) {
		fprintf(stderr, "%s\n", indicators_cmd.usage);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--metrics") == 0 && i + 1 < argc)
			metrics = argv[++i];
		else if (!file && argv[i][0] != '-')
			file = argv[i];
		else {
			fprintf(stderr, "fazhi: 无法识别的参数 / unknown argument: %s\n", argv[i]);
			return 2;
		}
	}
	if (!file) {
		fprintf(stderr, "%s\n", indicators_cmd.usage);
		return 2;
	}
	return check(file, metrics);
}
