/* cmd_review.c — `fazhi review verify ID`: re-draws a 案卷评查 campaign's
 * sample from its recorded seed and the closed cases in the store and
 * compares it with the recorded sample (case_review_verify), offline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_review.h"
#include "cli.h"

static int run(int argc, char **argv);

CLI_COMMAND(review, "review", "案卷评查抽样核验（verify） / verify a case-file review's sample",
	    "用法 / Usage: fazhi review verify [--db URI] [--json] ID\n\n"
	    "按评查活动 ID 记录的随机种子，对库中同一年度、同一区域的已结案案件重新抽样，并与记录的样本比对：\n"
	    "一致时退出码为 0，否则列出缺少和多出的案件编号并以 1 退出。--json 输出比对结果。\n"
	    "Re-draws the sample of review ID from its recorded seed and the closed cases in the store and\n"
	    "compares it with the recorded one: exit 0 when they agree, 1 with the missing and extra case ids\n"
	    "when not. --json prints the comparison.",
	    run)

static int run(int argc, char **argv)
{
	const char *uri = DB_DEFAULT_URI;
	int as_json = 0;
	char *pos[1] = { NULL };
	const struct cli_opt opts[] = { CLI_OPT_STR("db", &uri), CLI_OPT_FLAG("json", &as_json), CLI_OPT_END };
	if (cli_wants_help(&review_cmd, argc, argv))
		return 0;
	if (argc < 2 || strcmp(argv[1], "verify") != 0) {
		printf("%s\n", review_cmd.usage);
		return 2;
	}
	if (cli_parse(argc, argv, 2, opts, pos, 1) != 1) {
		fprintf(stderr, "fazhi review verify: 需要评查活动编号 / a review id is needed\n");
		return 2;
	}
	char *end;
	long long id = strtoll(pos[0], &end, 10);
	if (*end || id <= 0) {
		fprintf(stderr, "fazhi review verify: 评查活动编号应为正整数：%s / a positive id\n", pos[0]);
		return 2;
	}
	db *d = cli_open_db(uri, 0);
	if (!d)
		return 1;
	struct fz_err e = { 0 };
	json_t *out = NULL;
	int rc = case_review_verify(d, id, &out, &e);
	db_close(d);
	if (rc != 0) {
		fprintf(stderr, "fazhi: %s\n", e.msg);
		return 1;
	}
	int same = json_is_true(json_object_get(out, "same"));
	if (as_json)
		return cli_print_json(out) != 0 ? 1 : !same;
	if (same) {
		printf("样本一致 / the sample agrees: 种子 seed %s，重新抽取 %lld 件 drawn，与记录的 %lld 件一致\n",
		       json_string_value(json_object_get(out, "seed")), (long long)json_integer_value(json_object_get(out, "drawn")),
		       (long long)json_integer_value(json_object_get(out, "recorded")));
	} else {
		char *missing = json_dumps(json_object_get(out, "missing"), JSON_COMPACT),
		     *extra = json_dumps(json_object_get(out, "extra"), JSON_COMPACT);
		printf("样本不一致 / the sample differs: 记录中有而重新抽取没有 missing %s；重新抽取多出 extra %s\n",
		       missing ? missing : "[]", extra ? extra : "[]");
		free(missing);
		free(extra);
	}
	json_decref(out);
	return same ? 0 : 1;
}
