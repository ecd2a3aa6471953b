/* cmd_user.c — `fazhi user add|passwd|lock|unlock|totp`: operator account
 * work at the host, the only place administrator accounts (三员) are
 * managed. An administrator gets a TOTP secret at creation: its otpauth
 * URI is printed on a line of its own. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "crypto.h"
#include "roles.h"
#include "settings.h"
#include "totp.h"
#include "users.h"

static int run(int argc, char **argv);

CLI_COMMAND(user, "user", "用户管理（add、passwd、lock、unlock、totp） / manage accounts",
	    "用法 / Usage:\n"
	    "  fazhi user add    --db URI --username NAME --role ROLE [--scope REGION_CODE] [--body BODY_CODE]…\n"
	    "                    [--name 显示名] [--password-stdin]\n"
	    "  fazhi user passwd --db URI --username NAME [--password-stdin]\n"
	    "  fazhi user lock   --db URI --username NAME\n"
	    "  fazhi user unlock --db URI --username NAME\n"
	    "  fazhi user totp   --db URI --username NAME\n\n"
	    "角色 / roles: coordinator department officer legal_reviewer evaluator sysadmin secadmin auditor\n"
	    "管理员（sysadmin、secadmin、auditor）只能在此管理，须用动态验证码登录：add 时打印绑定地址\n"
	    "otpauth://totp/…（单独一行，可用身份验证器扫描或输入）；totp 重新生成密钥并打印新地址（旧密钥和恢复码作废）。\n"
	    "管理员密码至少 12 个字符（设置项 pw_admin_min_len）。\n"
	    "Administrators can only be managed here and log in with a TOTP code: add prints the enrolment\n"
	    "URI otpauth://totp/… on a line of its own; totp issues a new secret (the old one and the recovery\n"
	    "codes stop working). Administrator passwords have at least 12 characters.\n"
	    "不带 --password-stdin 时生成初始密码并打印，首次登录须修改；\n"
	    "由 --password-stdin 读入的密码由操作员选定，无须修改（仍须符合密码策略）。\n"
	    "Without --password-stdin an initial password is generated, printed, and must be changed at first\n"
	    "login; a password read with --password-stdin is the operator's own and must only meet the policy.",
	    run)

static int read_password(char *buf, size_t n)
{
	if (!fgets(buf, (int)n, stdin))
		return -1;
	buf[strcspn(buf, "\r\n")] = 0;
	return 0;
}

/* A new TOTP secret, active at once, audited; its URI into otpauth. */
static int enrol(db *d, const unsigned char *key, int64_t id, const char *username, char *otpauth, struct fz_err *e)
{
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	if (totp_enrol(d, key, id, username, 1, otpauth, e) != 0)
		return -1;
	return audit_append(d, &cli_actor, "totp_enrol", "user", sid, "ok", NULL) == 0 ? 0 : fz_store(e, d);
}

static int done(db *d, int rc, const struct fz_err *e)
{
	if (rc != 0 || db_commit(d) != 0) {
		db_rollback(d);
		fprintf(stderr, "fazhi: %s\n", e->code ? e->msg : db_errmsg(d));
		db_close(d);
		return 1;
	}
	db_close(d);
	return 0;
}

static int run(int argc, char **argv)
{
	struct user_spec spec = { 0 };
	const char *uri = DB_DEFAULT_URI;
	int from_stdin = 0;
	if (argc < 2 || cli_wants_help(&user_cmd, argc, argv))
		return argc < 2 ? (printf("%s\n", user_cmd.usage), 2) : 0;
	const char *sub = argv[1];
	json_t *bodies = json_array();
	const struct cli_opt opts[] = {
		CLI_OPT_STR("db", &uri),	       CLI_OPT_STR("username", &spec.username),
		CLI_OPT_STR("role", &spec.role),       CLI_OPT_STR("scope", &spec.scope_region),
		CLI_OPT_LIST("body", bodies),	       CLI_OPT_STR("name", &spec.display_name),
		CLI_OPT_FLAG("password-stdin", &from_stdin), CLI_OPT_END,
	};
	if (cli_parse(argc, argv, 2, opts, NULL, 0) < 0) {
		json_decref(bodies);
		return 2;
	}
	spec.bodies = json_array_size(bodies) ? bodies : NULL;
	if (!spec.username) {
		fprintf(stderr, "fazhi: 需要 --username / --username is required\n");
		json_decref(bodies);
		return 2;
	}
	char pw[256] = "", initial[17] = "";
	if (from_stdin && read_password(pw, sizeof pw) != 0) {
		fprintf(stderr, "fazhi: 未从标准输入读到密码 / no password on stdin\n");
		json_decref(bodies);
		return 2;
	}
	db *d = cli_open_db(uri, 0);
	if (!d) {
		json_decref(bodies);
		return 1;
	}
	struct settings cfg;
	struct fz_err e = { 0 };
	unsigned char key[CRYPTO_KEY_LEN];
	char otpauth[TOTP_URI_LEN] = "";
	int add = strcmp(sub, "add") == 0, totp = strcmp(sub, "totp") == 0;
	const struct role *role = add ? role_find(spec.role) : NULL;
	int64_t id = add ? 0 : users_id_by_name(d, spec.username);
	int rc = cli_load_settings(d, &cfg);
	if (rc == 0 && ((add && role && role->admin) || totp) && cli_load_key(uri, key, 1) != 0)
		rc = fz_fail(&e, 500, "key_error", NULL, "无法读取个人信息密钥 / cannot load the key");
	if (rc == 0 && id < 0)
		rc = fz_store(&e, d);
	if (rc == 0)
		rc = db_begin(d);
	if (rc == 0 && add) {
		rc = users_create(d, &cfg, &cli_actor, &spec, from_stdin ? pw : NULL, initial, &id, &e);
		if (rc == 0 && role && role->admin)
			rc = enrol(d, key, id, spec.username, otpauth, &e);
	} else if (rc == 0 && !id)
		rc = fz_fail(&e, 404, "not_found", NULL, "用户 %s 不存在 / no such user", spec.username);
	else if (rc == 0 && strcmp(sub, "passwd") == 0)
		rc = users_set_password(d, &cfg, &cli_actor, id, from_stdin ? pw : NULL, initial, &e);
	else if (rc == 0 && strcmp(sub, "lock") == 0)
		rc = users_lock(d, &cli_actor, id, &e);
	else if (rc == 0 && strcmp(sub, "unlock") == 0)
		rc = users_unlock(d, &cli_actor, id, &e);
	else if (rc == 0 && totp)
		rc = enrol(d, key, id, spec.username, otpauth, &e);
	else if (rc == 0)
		rc = fz_fail(&e, 400, "bad_param", NULL, "未知的子命令 %s（add、passwd、lock、unlock、totp）", sub);
	crypto_wipe(pw, sizeof pw);
	crypto_wipe(key, sizeof key);
	json_decref(bodies);
	if (done(d, rc, &e) != 0)
		return 1;
	if (initial[0])
		printf("用户 %s 的初始密码 / initial password: %s（首次登录须修改 / must be changed at first login）\n",
		       spec.username, initial);
	else
		printf("完成 / done: %s %s\n", sub, spec.username);
	if (otpauth[0]) {
		printf("动态验证码绑定地址（用身份验证器扫描或输入，仅显示一次） / TOTP enrolment URI (shown once):\n");
		printf("%s\n", otpauth);
		crypto_wipe(otpauth, sizeof otpauth);
	}
	return 0;
}
