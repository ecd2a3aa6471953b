/* common.c — helpers shared by the commands (see cli.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "attach_store.h"
#include "audit_anchor.h"
#include "cli.h"
#include "crypto.h"
#include "qr_token.h"
#include "register.h"
#include "settings.h"

const struct audit_actor cli_actor = { 0, "cli", "local" };

const struct cli_cmd *cli_commands[CLI_MAX_COMMANDS];
int cli_ncommands;

void cli_register(const struct cli_cmd *c)
{
	if (cli_ncommands < CLI_MAX_COMMANDS)
		cli_commands[cli_ncommands++] = c;
}

/* A SQLite database and its -wal/-shm are the owner's alone (SQLite gives
 * -wal/-shm the database file's mode); umask(077) covers new files. */
static void private_files(const char *uri)
{
	static const char *const ext[] = { "", "-wal", "-shm" };
	char path[4200];
	if (strstr(uri, "://"))
		return;
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s%s", strncmp(uri, "sqlite:", 7) == 0 ? uri + 7 : uri, ext[i]);
		chmod(path, 0600);
	}
}

/* The trust files of the audit log (audit_anchor.h), created with migrate,
 * and beside them the 入企码's signing key (qr_token.h), made on first use. */
static int open_audit(db *d, const char *uri, int create)
{
	char prefix[4096], err[512];
	cli_audit_prefix(uri, prefix, sizeof prefix);
	if (create && audit_guard_install(d) != 0) {
		fprintf(stderr, "fazhi: 无法建立审计日志保护触发器 / audit guard failed: %s\n", db_errmsg(d));
		return -1;
	}
	if (audit_trust_open(d, prefix, create, err, sizeof err) != 0) {
		fprintf(stderr, "fazhi: 审计密钥 / audit keys (%s…): %s%s\n", prefix, err,
			create ? "" : "（升级后请先运行 fazhi init / run fazhi init after an upgrade）");
		return -1;
	}
	if (qr_key_open(prefix, 1, err, sizeof err) != 0) {
		fprintf(stderr, "fazhi: 入企码签名密钥 / QR token key (%s%s): %s\n", prefix, QR_SIGN_FILE, err);
		return -1;
	}
	return 0;
}

db *cli_open_db(const char *uri, int migrate)
{
	char err[512];
	db *d = db_open(uri ? uri : DB_DEFAULT_URI, err, sizeof err);
	if (!d) {
		fprintf(stderr, "fazhi: %s\n", err);
		return NULL;
	}
	if (migrate && db_migrate(d) != 0) {
		fprintf(stderr, "fazhi: 数据库迁移失败 / migration failed: %s\n", db_errmsg(d));
		db_close(d);
		return NULL;
	}
	if (!migrate && db_schema_version(d) == 0) {
		fprintf(stderr, "fazhi: 数据库尚未初始化，请先运行 fazhi init --db %s\n", uri ? uri : DB_DEFAULT_URI);
		db_close(d);
		return NULL;
	}
	private_files(uri ? uri : DB_DEFAULT_URI);
	if (open_audit(d, uri ? uri : DB_DEFAULT_URI, migrate) != 0) {
		db_close(d);
		return NULL;
	}
	return d;
}

void cli_key_path(const char *uri, char *out, size_t n)
{
	const char *env = getenv("FAZHI_KEY_FILE");
	if (!uri)
		uri = DB_DEFAULT_URI;
	if (env && *env)
		snprintf(out, n, "%s", env);
	else if (strncmp(uri, "sqlite:", 7) == 0)
		snprintf(out, n, "%s.key", uri + 7);
	else if (!strstr(uri, "://"))
		snprintf(out, n, "%s.key", uri);
	else
		snprintf(out, n, "./fazhi.key");
}

/* In the directory env_var names (plus in_dir), else beside the store,
 * named after it plus suffix: after a SQLite database's path, or (for
 * PostgreSQL) the personal-data key's path without ".key". */
static void beside_store(const char *uri, const char *env_var, const char *in_dir, const char *suffix, char *out,
			 size_t n)
{
	const char *dir = getenv(env_var);
	char key[4096];
	size_t len;
	if (!uri)
		uri = DB_DEFAULT_URI;
	if (dir && *dir) {
		snprintf(out, n, "%s%s", dir, in_dir);
	} else if (strncmp(uri, "sqlite:", 7) == 0 || !strstr(uri, "://")) {
		snprintf(out, n, "%s%s", strncmp(uri, "sqlite:", 7) == 0 ? uri + 7 : uri, suffix);
	} else {
		cli_key_path(uri, key, sizeof key);
		len = strlen(key);
		if (len > 4 && strcmp(key + len - 4, ".key") == 0)
			key[len - 4] = 0;
		snprintf(out, n, "%s%s", key, suffix);
	}
}

void cli_audit_prefix(const char *uri, char *out, size_t n)
{
	beside_store(uri, "FAZHI_AUDIT_DIR", "/", ".", out, n);
}

void cli_files_dir(const char *uri, char *out, size_t n)
{
	beside_store(uri, "FAZHI_FILES_DIR", "", ".files", out, n);
}

struct attach_store *cli_open_files(const char *uri, int create)
{
	char dir[4200], err[512];
	struct attach_store *s;
	cli_files_dir(uri, dir, sizeof dir);
	if (attach_store_open(dir, create, &s, err, sizeof err) != 0) {
		fprintf(stderr, "fazhi: 附件目录 / attachment store: %s（可用 FAZHI_FILES_DIR 指定 / set FAZHI_FILES_DIR）\n",
			err);
		return NULL;
	}
	return s;
}

int cli_load_key(const char *uri, unsigned char key[32], int create)
{
	char path[4096], err[512];
	cli_key_path(uri, path, sizeof path);
	if (crypto_key_load(path, key, create, err, sizeof err) != 0) {
		fprintf(stderr, "fazhi: 个人信息加密密钥 %s: %s\n", path, err);
		return -1;
	}
	return 0;
}

int cli_wants_help(const struct cli_cmd *c, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("%s\n", c->usage);
			return 1;
		}
	return 0;
}

int cli_load_registers(void)
{
	char why[512];
	if (register_load_builtin(why, sizeof why) == 0)
		return 0;
	fprintf(stderr, "fazhi: %s\n", why);
	return -1;
}

int cli_load_settings(db *d, struct settings *s)
{
	if (cli_load_registers() != 0)
		return -1;
	if (settings_load(d, s) == 0)
		return 0;
	fprintf(stderr, "fazhi: 无法读取设置（存储错误，或设置值超出范围：请用 fazhi settings set 修正）\n");
	return -1;
}

int cli_print_json(json_t *v)
{
	char *text = v ? json_dumps(v, JSON_INDENT(1) | JSON_ENSURE_ASCII) : NULL;
	json_decref(v);
	if (!text) {
		fprintf(stderr, "fazhi: 内存不足 / out of memory\n");
		return 1;
	}
	puts(text);
	free(text);
	return 0;
}

static const struct cli_opt *opt_find(const struct cli_opt *opts, const char *name, size_t len)
{
	for (; opts->name; opts++)
		if (strlen(opts->name) == len && strncmp(opts->name, name, len) == 0)
			return opts;
	return NULL;
}

/* Stores one option's value (a later one replaces an earlier, as with
 * getopt); -1 with why printed (cmd: the command). */
static int opt_store(const char *cmd, const struct cli_opt *o, const char *v)
{
	char *end;
	long n;
	switch (o->kind) {
	case CLI_STR:
		*(const char **)o->out = v;
		return 0;
	case CLI_LIST:
		return json_array_append_new(o->out, json_string(v)) == 0 ? 0 : -1;
	case CLI_FLAG:
		*(int *)o->out = 1;
		return 0;
	case CLI_INT:
		n = strtol(v, &end, 10);
		if (*v && !*end && n >= o->min && n <= o->max) {
			*(int *)o->out = (int)n;
			return 0;
		}
		fprintf(stderr, "fazhi %s: --%s 应为 %ld 至 %ld 之间的整数：%s / a whole number %ld..%ld\n", cmd, o->name,
			o->min, o->max, v, o->min, o->max);
		return -1;
	}
	return -1;
}

int cli_parse(int argc, char **argv, int first, const struct cli_opt *opts, char **pos, int maxpos)
{
	int npos = 0, words_only = 0;
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		if (words_only || strncmp(a, "--", 2) != 0 || !a[2]) {
			if (!words_only && strcmp(a, "--") == 0) {
				words_only = 1;
				continue;
			}
			if (npos == maxpos) {
				fprintf(stderr, "fazhi %s: 多余的参数 / unexpected argument: %s\n", argv[0], a);
				return -1;
			}
			pos[npos++] = argv[i];
			continue;
		}
		const char *eq = strchr(a + 2, '=');
		const struct cli_opt *o = opt_find(opts, a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
		if (!o) {
			fprintf(stderr, "fazhi %s: 未知选项 / unknown option: %s\n", argv[0], a);
			return -1;
		}
		const char *v = eq ? eq + 1 : NULL;
		if (o->kind == CLI_FLAG && v) {
			fprintf(stderr, "fazhi %s: --%s 不带参数 / takes no value\n", argv[0], o->name);
			return -1;
		}
		if (o->kind != CLI_FLAG && !v && (i + 1 == argc || !(v = argv[++i]))) {
			fprintf(stderr, "fazhi %s: --%s 缺少参数 / needs a value\n", argv[0], o->name);
			return -1;
		}
		if (opt_store(argv[0], o, v) != 0)
			return -1;
	}
	return npos;
}
