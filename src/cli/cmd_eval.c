/* cmd_eval.c — `fazhi eval`: evaluate an indicator system for a region and year. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "eval.h"

static int run(int argc, char **argv);

CLI_COMMAND(eval, "eval", "按指标体系测评某地区某年度 / evaluate an indicator system",
	    "用法 / Usage: fazhi eval [--db URI] [--region CODE] --period YYYY [--system ID] [--json]\n\n"
	    "  --region CODE  行政区划（默认为最上级区划） / region (default: the top of the hierarchy)\n"
	    "  --period YYYY  测评年度 / the year evaluated\n"
	    "  --system ID    指标体系编号（默认为内置模板） / indicator system (default: the shipped template)\n"
	    "  --json         输出 JSON / print JSON\n\n"
	    "计算型指标取自登记簿的实时计数，人工指标取评估专家的评分；未评分的人工指标计 0 分。\n"
	    "Computed indicators come from the live counters, manual ones from the evaluators' scores.",
	    run)

static void print_text(json_t *o)
{
	size_t i;
	json_t *it;
	printf("%s %s（%s）%s年度  总分 %.2f / %.2f\n", json_string_value(json_object_get(o, "region_name")),
	       json_string_value(json_object_get(o, "region")), json_string_value(json_object_get(o, "system_name")),
	       json_string_value(json_object_get(o, "period")), json_number_value(json_object_get(o, "total")),
	       json_number_value(json_object_get(o, "max")));
	json_array_foreach(json_object_get(o, "indicators"), i, it) {
		int level = (int)json_integer_value(json_object_get(it, "level"));
		json_t *v = json_object_get(it, "value");
		printf("%*s%-8s %-36s %7.2f/%-6.2f %-6s %s\n", (level - 1) * 2, "",
		       json_string_value(json_object_get(it, "id")), json_string_value(json_object_get(it, "name")),
		       json_number_value(json_object_get(it, "score")), json_number_value(json_object_get(it, "max")),
		       json_string_value(json_object_get(it, "status")),
		       json_is_number(v) ? "" : "");
	}
}

static int run(int argc, char **argv)
{
	const char *uri = DB_DEFAULT_URI, *region = NULL, *system = NULL;
	int json = 0, year = 0;
	const struct cli_opt opts[] = {
		CLI_OPT_STR("db", &uri),       CLI_OPT_STR("region", &region), CLI_OPT_INT("period", &year, 2000, 2100),
		CLI_OPT_STR("system", &system), CLI_OPT_FLAG("json", &json),   CLI_OPT_END,
	};
	if (cli_wants_help(&eval_cmd, argc, argv))
		return 0;
	if (cli_parse(argc, argv, 1, opts, NULL, 0) < 0)
		return 2;
	if (!year) {
		fprintf(stderr, "fazhi: --period 应为年份，如 2025 / --period YYYY is required\n");
		return 2;
	}
	db *d = cli_open_db(uri, 0);
	if (!d)
		return 1;
	char code[16];
	eval_default_region(d, region, NULL, code);
	region = code;
	struct fz_err e = { 0 };
	json_t *out = NULL;
	struct indicator_system *s = eval_system(d, system, &e);
	int rc = s ? eval_run(d, s, region, (int)year, &out, &e) : -1;
	if (rc == 0 && json) {
		char *text = json_dumps(out, JSON_INDENT(1) | JSON_REAL_PRECISION(12));
		printf("%s\n", text);
		free(text);
	} else if (rc == 0) {
		print_text(out);
	} else {
		fprintf(stderr, "fazhi: %s\n", e.msg);
	}
	json_decref(out);
	indicator_system_free(s);
	db_close(d);
	return rc == 0 ? 0 : 1;
}
