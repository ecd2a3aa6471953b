/* cmd_import.c — `fazhi import`: JSON Lines into the org model, all or nothing. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "import.h"

static int run(int argc, char **argv);

CLI_COMMAND(import, "import", "批量导入区划、机关、人员、相对人 / bulk import (JSON Lines)",
	    "用法 / Usage: fazhi import [--db URI] FILE   (FILE 为 - 时读标准输入 / - reads stdin)\n\n"
	    "每行一个 JSON 对象，\"type\" 为 region、body、person 或 subject（格式见 docs/import.md）。\n"
	    "全部校验通过才写入（一个事务）；任何一行有错则逐行报告错误，不导入任何记录，退出码非零。\n"
	    "One JSON object per line with \"type\" region|body|person|subject (docs/import.md). All or\n"
	    "nothing: any bad line is reported with its rule, nothing is imported, the exit code is non-zero.",
	    run)

static int run(int argc, char **argv)
{
	const char *uri = DB_DEFAULT_URI;
	const struct cli_opt opts[] = { CLI_OPT_STR("db", &uri), CLI_OPT_END };
	char *path;
	if (cli_wants_help(&import_cmd, argc, argv))
		return 0;
	int n = cli_parse(argc, argv, 1, opts, &path, 1);
	if (n != 1) {
		if (n == 0)
			fprintf(stderr, "fazhi: 需要一个导入文件 / one input FILE is required\n");
		return 2;
	}
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!in) {
		fprintf(stderr, "fazhi: 无法打开 %s\n", path);
		return 1;
	}
	unsigned char key[32];
	db *d = cli_open_db(uri, 1);
	if (!d || cli_load_key(uri, key, 1) != 0)
		return 1;
	struct org_ctx ctx = { .d = d, .actor = &cli_actor, .key = key, .now = (int64_t)time(NULL) };
	struct import_report r = { .errors = stderr };
	int rc = import_stream(&ctx, in, &r);
	if (in != stdin)
		fclose(in);
	if (rc == 0)
		printf("导入完成 / imported: %" PRId64 " 行 lines — 区划 regions %" PRId64 ", 机关 bodies %" PRId64
		       ", 人员 people %" PRId64 ", 相对人 subjects %" PRId64 "\n",
		       r.lines, r.counts[0], r.counts[1], r.counts[2], r.counts[3]);
	else if (rc < 0)
		fprintf(stderr, "fazhi: 导入失败，未写入任何记录 / import failed: %s\n", db_errmsg(d));
	db_close(d);
	return rc == 0 ? 0 : 1;
}
