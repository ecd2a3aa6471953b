/* cmd_init.c — `fazhi init`: create or migrate the store and its key. */
#include <stdio.h>

#include "cli.h"
#include "qr_token.h"

static int run(int argc, char **argv);

CLI_COMMAND(init, "init", "初始化数据库（建表、迁移、生成密钥） / create or migrate the database",
	    "用法 / Usage: fazhi init [--db URI]\n\n"
	    "  --db URI   数据库地址 / database: sqlite:PATH (默认 default sqlite:./fazhi.db) 或 postgresql://…\n\n"
	    "建立或升级数据库结构，并在 SQLite 数据库旁生成个人信息加密密钥文件（PATH.key），以及审计日志的\n"
	    "链密钥、检查点签名密钥与检查点文件（PATH.audit-key、PATH.audit-sign.pem、PATH.audit-checkpoints，\n"
	    "均为 0600；PostgreSQL 在个人信息密钥文件旁，或由 FAZHI_AUDIT_DIR 指定目录），及其旁的入企码签名密钥\n"
	    "（PATH.qr-sign.pem，0600）。\n"
	    "Creates or upgrades the schema, the personal-data key file (PATH.key beside a SQLite database),\n"
	    "the audit log's chain key, signing key and checkpoint file (PATH.audit-*, or FAZHI_AUDIT_DIR) and\n"
	    "beside them the QR token signing key (PATH.qr-sign.pem).",
	    run)

static int run(int argc, char **argv)
{
	const char *uri = DB_DEFAULT_URI;
	const struct cli_opt opts[] = { CLI_OPT_STR("db", &uri), CLI_OPT_END };
	unsigned char key[32];
	if (cli_wants_help(&init_cmd, argc, argv))
		return 0;
	if (cli_parse(argc, argv, 1, opts, NULL, 0) < 0)
		return 2;
	db *d = cli_open_db(uri, 1);
	if (!d || cli_load_key(uri, key, 1) != 0)
		return 1;
	char prefix[4096];
	cli_audit_prefix(uri, prefix, sizeof prefix);
	printf("数据库已就绪 / database ready: %s (schema %d)\n", uri, db_schema_version(d));
	printf("审计密钥与检查点 / audit keys and checkpoints: %saudit-*\n", prefix);
	printf("入企码签名密钥 / QR token key: %s%s\n", prefix, QR_SIGN_FILE);
	db_close(d);
	return 0;
}
