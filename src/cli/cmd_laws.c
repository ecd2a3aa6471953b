/*
 * cmd_laws.c — `fazhi laws import DIR`: loads a folder of law files into
 * the law library (docs/laws.md), each file all or nothing, and prints
 * what it did: files imported, unchanged, refused (with the reason) and
 * skipped, the library's versions and articles, and the time taken.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "law_import.h"

static int run(int argc, char **argv);

CLI_COMMAND(laws, "laws", "导入法律法规库 / import the law library",
	    "用法 / Usage: fazhi laws import DIR [--db URI]\n\n"
	    "import  读取 DIR 下（含子目录）全部 .md 法律法规文件（格式见 data/laws 与 docs/laws.md），\n"
	    "        每个文件一个事务：全部写入或不写入。效力级别取自所在目录（宪法、法律、行政法规、\n"
	    "        部门规章、地方性法规、司法解释、其他；案例目录不是法律法规，跳过）；同一标题的\n"
	    "        不同日期文件为同一法律的不同版本，时效性按各版本日期重新计算。内容未变的文件不\n"
	    "        重复写入。被拒绝的文件逐一列出原因（没有标题、缺少 INFO END、没有日期、没有条文、\n"
	    "        不是有效的 UTF-8、文件过大）。\n\n"
	    "import  reads every .md law file under DIR, each in one transaction; the level comes from\n"
	    "        the folder (案例 is skipped), files of one title are versions of one law, an unchanged\n"
	    "        file is not written again, and each refused file is listed with its reason.",
	    run)

int cli_laws_import(const char *uri, const char *dir)
{
	char why[512];
	struct law_import_stats st;
	db *d = cli_open_db(uri, 1);
	if (!d)
		return 1;
	int rc = law_import_dir(d, dir, stdout, &st, why, sizeof why);
	db_close(d);
	if (rc != 0) {
		fprintf(stderr, "fazhi: 法律法规导入中止 / law import stopped: %s\n", why);
		return 1;
	}
	printf("法律法规：%s — 文件 %d，导入 %d，未变 %d，拒绝 %d，跳过 %d；库中版本 %ld，条文 %ld；用时 %.1f 秒\n"
	       "laws: %d files, %d imported, %d unchanged, %d refused, %d skipped; %ld versions, %ld articles; %.1f s\n",
	       dir, st.files, st.imported, st.unchanged, st.refused, st.skipped, st.versions, st.articles, st.seconds,
	       st.files, st.imported, st.unchanged, st.refused, st.skipped, st.versions, st.articles, st.seconds);
	return 0;
}

static int run(int argc, char **argv)
{
	const char *uri = DB_DEFAULT_URI;
	const struct cli_opt opts[] = { CLI_OPT_STR("db", &uri), CLI_OPT_END };
	char *w[2];
	if (cli_wants_help(&laws_cmd, argc, argv))
		return 0;
	int nw = cli_parse(argc, argv, 1, opts, w, 2);
	if (nw == 2 && strcmp(w[0], "import") == 0)
		return cli_laws_import(uri, w[1]);
	fprintf(stderr, "%s\n", laws_cmd.usage);
	return 2;
}
