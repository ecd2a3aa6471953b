/* cmd_audit.c — `fazhi audit verify|checkpoint|rotate-key|labels`: check the keyed
 * audit chain against its signed checkpoints, write a checkpoint on demand,
 * rotate the chain key. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/audit_text.h"
#include "audit_anchor.h"
#include "cli.h"

static int run(int argc, char **argv);

CLI_COMMAND(audit, "audit", "审计日志校验、检查点与密钥轮换 / verify the audit log, checkpoints, key rotation",
	    "用法 / Usage: fazhi audit verify|checkpoint|rotate-key [--db URI]\n"
	    "       fazhi audit labels\n\n"
	    "  verify      校验每条的密钥哈希（HMAC-SM3）、链接及每个签名检查点（签名、该位置的哈希、条数）；\n"
	    "              完整时退出码为 0，否则指出未通过的检查项并以非零退出。\n"
	    "  checkpoint  立即写一个签名检查点（检查点文件与系统日志）。\n"
	    "  rotate-key  轮换链密钥：旧密钥存档为 …audit-key.<编号>，写轮换条目与检查点。\n"
	    "  labels      列出审计详情各字段的中文名称（JSON），审计查看页据此显示详情。\n\n"
	    "密钥与检查点文件：SQLite 为数据库旁的 PATH.audit-key、PATH.audit-sign.pem、PATH.audit-checkpoints；\n"
	    "环境变量 FAZHI_AUDIT_DIR 指定目录时为 DIR/audit-key 等（PostgreSQL 默认在个人信息密钥文件旁）。\n\n"
	    "verify: checks every entry's keyed hash, the links and every signed checkpoint (signature, the hash\n"
	    "at its id, the count); exit 0 when intact, else names the failed check and exits non-zero.\n"
	    "checkpoint: writes a signed checkpoint now. rotate-key: a new chain key, the old one kept.\n"
	    "labels: the Chinese label of each audit detail key (JSON), as the audit viewer reads them.\n"
	    "Files: beside a SQLite database, or in FAZHI_AUDIT_DIR (see docs/operations.md).",
	    run)

static int verify(db *d)
{
	struct audit_check chk;
	int rc = audit_verify(d, &chk);
	if (rc == 0)
		printf("审计日志完整 / audit chain intact: %" PRId64 " 条 entries\n", chk.checked);
	else if (rc > 0 && chk.first_bad > 0)
		fprintf(stderr, "审计日志被篡改 / audit chain broken at entry %" PRId64 " [%s]: %s（此前 %" PRId64
				" 条完好 / entries before it intact）\n", chk.first_bad, chk.check, chk.reason, chk.checked);
	else if (rc > 0)
		fprintf(stderr, "审计日志检查点未通过 / audit checkpoints broken [%s]: %s\n", chk.check, chk.reason);
	else
		fprintf(stderr, "fazhi: 校验失败 / verify failed: %s %s\n", chk.reason, db_errmsg(d));
	return rc == 0 ? 0 : 1;
}

static int checkpoint(db *d)
{
	struct audit_cp p;
	char err[512];
	if (audit_checkpoint(d, "manual", &p, err, sizeof err) != 0) {
		fprintf(stderr, "fazhi: 检查点写入失败 / checkpoint failed: %s\n", err);
		return 1;
	}
	printf("检查点已写入 / checkpoint written: 第 %" PRId64 " 条 id, %" PRId64 " 条 entries, %s\n", p.id, p.count,
	       p.hash);
	return 0;
}

static int rotate(db *d)
{
	char err[512];
	if (audit_rotate_key(d, &cli_actor, err, sizeof err) != 0) {
		fprintf(stderr, "fazhi: 密钥轮换失败 / key rotation failed: %s\n", err);
		return 1;
	}
	printf("链密钥已轮换，旧密钥已存档；请备份新密钥文件 / chain key rotated, old key kept\n");
	return 0;
}

/* The Chinese labels the audit viewer reads detail keys by, as JSON (the
 * integration suite checks every key the tests wrote has one). */
static int labels(void)
{
	json_t *o = json_object();
	for (int i = 0; audit_key_at(i); i++)
		json_object_set_new(o, audit_key_at(i), json_string(audit_key_label(audit_key_at(i))));
	char *text = json_dumps(o, JSON_SORT_KEYS | JSON_INDENT(1));
	json_decref(o);
	if (!text)
		return 1;
	printf("%s\n", text);
	free(text);
	return 0;
}

static int run(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(db *);
	} subs[] = { { "verify", verify }, { "checkpoint", checkpoint }, { "rotate-key", rotate } };
	const char *uri = DB_DEFAULT_URI;
	const struct cli_opt opts[] = { CLI_OPT_STR("db", &uri), CLI_OPT_END };
	int sub = -1;
	if (cli_wants_help(&audit_cmd, argc, argv))
		return 0;
	if (argc == 2 && strcmp(argv[1], "labels") == 0)
		return labels();
	for (int i = 0; argc >= 2 && i < 3; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			sub = i;
	if (sub < 0) {
		printf("%s\n", audit_cmd.usage);
		return 2;
	}
	if (cli_parse(argc, argv, 2, opts, NULL, 0) < 0)
		return 2;
	db *d = cli_open_db(uri, 0);
	if (!d)
		return 1;
	int rc = subs[sub].fn(d);
	db_close(d);
	return rc;
}
