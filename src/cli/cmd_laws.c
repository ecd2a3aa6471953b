/*
 * cmd_laws.c — `fazhi laws import DIR`: loads a folder of law files into
 * the law library (docs/laws.md), each file all or nothing, and prints
 * what it did: files imported, unchanged, refused (with the reason) and
 * skipped, the library's versions and articles, and the time taken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* The run in the audit log: what was read and what it came to (each file
 * written is its own transaction; the entry follows them). */
static int audit_imported(db *d, const char *source, const struct law_import_stats *st)
{
	json_t *detail = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i}", "source", source, "files", st->files, "imported",
				   st->imported, "unchanged", st->unchanged, "refused", st->refused, "skipped", st->skipped,
				   "reviews", st->reviews);
	int rc = detail ? audit_append(d, &cli_actor, "import", "law", "", "ok", detail) : -1;
	json_decref(detail);
	return rc;
}

int cli_laws_import(const char *uri, const char *dir, int list_refused)
{
	char why[512];
	struct law_import_stats st = { .actor = &cli_actor };
	db *d = cli_open_db(uri, 1);
	if (!d)
		return 1;
	int rc = law_import_dir(d, dir, list_refused ? stdout : NULL, &st, why, sizeof why);
	if (rc == 0 && audit_imported(d, dir, &st) != 0) {
		snprintf(why, sizeof why, "写入审计日志失败：%s", db_errmsg(d));
		rc = -1;
	}
	db_close(d);
	if (rc != 0) {
		fprintf(stderr, "fazhi: 法律法规导入中止 / law import stopped: %s\n", why);
		return 1;
	}
	printf("法律法规：%s — 文件 %d，导入 %d，未变 %d，拒绝 %d，跳过 %d；库中版本 %ld，条文 %ld；用时 %.1f 秒\n"
	       "laws: %d files, %d imported, %d unchanged, %d refused, %d skipped; %ld versions, %ld articles; %.1f s\n",
	       dir, st.files, st.imported, st.unchanged, st.refused, st.skipped, st.versions, st.articles, st.seconds,
	       st.files, st.imported, st.unchanged, st.refused, st.skipped, st.versions, st.articles, st.seconds);
	if (st.reviews)
		printf("引用被修改、废止法律的文件已开启评估任务 %d 件（整改台账，问题来源“上位法立改废”）\n"
		       "review tasks opened for the records citing an amended or repealed law: %d\n", st.reviews, st.reviews);
	return 0;
}

/* Where the full data set is looked for: FAZHI_LAWS_DIR (empty: nowhere),
 * else ../shared/data/laws from the working directory, else the same
 * beside the source tree this binary was built from. NULL when absent. */
static const char *shared_laws(void)
{
	static const char *const places[] = { "../shared/data/laws", FAZHI_SOURCE_DIR "/../shared/data/laws" };
	const char *env = getenv("FAZHI_LAWS_DIR");
	struct stat sb;
	if (env)
		return *env && stat(env, &sb) == 0 && S_ISDIR(sb.st_mode) ? env : NULL;
	for (size_t i = 0; i < sizeof places / sizeof places[0]; i++)
		if (stat(places[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			return places[i];
	return NULL;
}

int cli_laws_demo(const char *uri)
{
	char why[512];
	struct law_import_stats st;
	db *d = cli_open_db(uri, 1);
	int rc = d ? law_import_embedded(d, stdout, &st, why, sizeof why) : -1;
	if (d && rc == 0 && st.imported > 0 && audit_imported(d, "data/laws（内置）", &st) != 0) {
		snprintf(why, sizeof why, "写入审计日志失败：%s", db_errmsg(d));
		rc = -1;
	}
	db_close(d);
	if (d && rc != 0)
		fprintf(stderr, "fazhi: 法律法规导入中止 / law import stopped: %s\n", why);
	if (rc != 0)
		return 1;
	printf("法律法规（内置 data/laws）：导入 %d，未变 %d / built-in laws: %d imported, %d unchanged\n", st.imported,
	       st.unchanged, st.imported, st.unchanged);
	const char *dir = shared_laws();
	if (!dir) {
		printf("未找到完整法律法规库（../shared/data/laws 或 FAZHI_LAWS_DIR），仅载入内置条文；导入方法见 docs/laws.md\n"
		       "full law set not found (../shared/data/laws or FAZHI_LAWS_DIR): built-in articles only\n");
		return 0;
	}
	return cli_laws_import(uri, dir, 0);
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
		return cli_laws_import(uri, w[1], 1);
	fprintf(stderr, "%s\n", laws_cmd.usage);
	return 2;
}
