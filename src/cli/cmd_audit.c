/* cmd_audit.c — `fazhi audit verify`: recompute the audit chain. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int run(int argc, char **argv);

CLI_COMMAND(audit, "audit", "审计日志校验（verify） / verify the audit log's hash chain",
	    "用法 / Usage: fazhi audit verify [--db URI]\n\n"
	    "重新计算审计日志哈希链；完整时退出码为 0，否则指出第一条不符的条目并以非零退出。\n"
	    "Recomputes the hash chain; exit 0 when intact, otherwise names the first entry that does not\n"
	    "match and exits non-zero.",
	    run)

static int run(int argc, char **argv)
{
	static const struct option opts[] = { { "db", required_argument, 0, 'd' }, { 0, 0, 0, 0 } };
	const char *uri = DB_DEFAULT_URI;
	int c;
	if (cli_wants_help(&audit_cmd, argc, argv))
		return 0;
	if (argc < 2 || strcmp(argv[1], "verify") != 0) {
		printf("%s\n", audit_cmd.usage);
		return 2;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'd')
			return 2;
		uri = optarg;
	}
	db *d = cli_open_db(uri, 0);
	if (!d)
		return 1;
	struct audit_check chk;
	int rc = audit_verify(d, &chk);
	if (rc == 0)
		printf("审计日志完整 / audit chain intact: %" PRId64 " 条 entries\n", chk.checked);
	else if (rc > 0)
		fprintf(stderr, "审计日志被篡改 / audit chain broken at entry %" PRId64 ": %s（此前 %" PRId64
				" 条完好 / entries before it intact）\n", chk.first_bad, chk.reason, chk.checked);
	else
		fprintf(stderr, "fazhi: 校验失败 / verify failed: %s\n", db_errmsg(d));
	db_close(d);
	return rc == 0 ? 0 : 1;
}
