/*
 * cmd_demo.c — `fazhi demo`: demo data on 宁波市's real region codes and
 * names (bodies, people, enterprises and records made up, marked 演示数据) with realistic volumes
 * (regions, 60+ bodies, 500 officers, 20,000 enterprises, 2,000 persons)
 * written through the same validated path as an import, and one account
 * per role with a printed initial password (and, for the administrators,
 * the TOTP enrolment URI they log in with). --jsonl writes the data set as
 * an import file instead (for benchmarks and trials).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cntime.h"
#include "demo_data.h"
#include "demo_records.h"
#include "law_store.h"
#include "due.h"
#include "crypto.h"
#include "import.h"
#include "roles.h"
#include "settings.h"
#include "totp.h"
#include "users.h"

static int run(int argc, char **argv);

CLI_COMMAND(demo, "demo", "生成演示数据（宁波市区划，标示“演示数据”）和各角色账号 / create the demo data and accounts",
	    "用法 / Usage: fazhi demo [--db URI] [--enterprises N] [--persons N] [--officers N] [--cases N] [--seed N]\n"
	    "       fazhi demo --jsonl FILE [同上 / same sizes]\n\n"
	    "在空数据库中生成演示数据：宁波市的真实区划代码和名称（10 个县区、60 余个机关、500 名执法人员、20000 家企业、2000 名自然人），\n"
	    "机关、人员、企业和登记簿记录均为虚构，库中标记为演示数据（设置 demo_data，控制台顶部标示）；\n"
	    "并为每个角色建立账号、打印初始密码（首次登录须修改）。--jsonl 只把数据写成导入文件。\n"
	    "--cases N：各执法机关合计每年约 N 件行政处罚案件（默认每个机关每年 50 至 75 件，约 2500 件）。\n"
	    "Fills an empty database with the demo city and one account per role (initial passwords printed,\n"
	    "to be changed at first login). --jsonl writes the data as an import file instead.\n"
	    "--cases N: about N enforcement cases a year over all enforcement bodies (default 50 to 75 a body).",
	    run)

struct sink {
	struct org_ctx *c;
	FILE *out;
	long n;
	struct fz_err e;
};

static int emit(json_t *o, void *arg)
{
	struct sink *s = arg;
	int64_t id;
	s->n++;
	if (s->out) {
		char *line = json_dumps(o, JSON_COMPACT);
		fprintf(s->out, "%s\n", line);
		free(line);
		return 0;
	}
	return org_put(s->c, o, &id, &s->e) == 0 ? 0 : 1;
}

static const struct {
	const char *role, *username, *name;
	int county;
} accounts[] = {
	{ "coordinator", "coordinator", "宁波市依法治市办", 0 },
	{ "department", "department", "慈溪市市场监管局", 1 },
	{ "officer", "officer", "慈溪市执法队员", 1 },
	{ "legal_reviewer", "reviewer", "宁波市司法局法制审核", 0 },
	{ "evaluator", "evaluator", "第三方评估专家", 0 },
	{ "sysadmin", "sysadmin", "系统管理员", -1 },
	{ "secadmin", "secadmin", "安全管理员", -1 },
	{ "auditor", "auditor", "审计管理员", -1 },
};

/* The administrators' TOTP secrets, active at once: they log in with a code. */
static int enrol_admin(db *d, const unsigned char *key, int64_t id, const struct user_spec *s, char *otpauth,
		       struct fz_err *e)
{
	const struct role *r = role_find(s->role);
	otpauth[0] = 0;
	return r && r->admin ? totp_enrol(d, key, id, s->username, 1, otpauth, e) : 0;
}

static int create_accounts(db *d, const unsigned char *key, char initial[][17], char otpauth[][TOTP_URI_LEN])
{
	struct settings cfg;
	struct fz_err e = { 0 };
	if (cli_load_settings(d, &cfg) != 0)
		return -1;
	for (size_t i = 0; i < sizeof accounts / sizeof accounts[0]; i++) {
		json_t *bodies = json_array();
		const char *body = demo_body_code(accounts[i].role);
		if (body && accounts[i].county)
			json_array_append_new(bodies, json_string(body));
		struct user_spec s = {
			.username = accounts[i].username, .display_name = accounts[i].name, .role = accounts[i].role,
			.scope_region = accounts[i].county < 0 ? NULL : accounts[i].county ? "330282" : demo_city_code(),
			.bodies = bodies,
		};
		int64_t id;
		int rc = users_create(d, &cfg, &cli_actor, &s, NULL, initial[i], &id, &e);
		if (rc == 0)
			rc = enrol_admin(d, key, id, &s, otpauth[i], &e);
		json_decref(bodies);
		if (rc != 0) {
			fprintf(stderr, "fazhi: 账号 %s: %s\n", s.username, e.msg);
			return -1;
		}
	}
	return 0;
}

static int parse_sizes(int argc, char **argv, const char **uri, const char **jsonl, struct demo_size *z,
		       int *cases, uint64_t *seed)
{
	const char *s = NULL;
	const struct cli_opt opts[] = {
		CLI_OPT_STR("db", uri),
		CLI_OPT_STR("jsonl", jsonl),
		CLI_OPT_INT("enterprises", &z->enterprises, 0, DEMO_MAX_ENTERPRISES),
		CLI_OPT_INT("persons", &z->persons, 0, DEMO_MAX_PERSONS),
		CLI_OPT_INT("officers", &z->officers, 0, DEMO_MAX_OFFICERS),
		CLI_OPT_INT("cases", cases, 0, DEMO_MAX_CASES),
		CLI_OPT_STR("seed", &s),
		CLI_OPT_END,
	};
	if (cli_parse(argc, argv, 1, opts, NULL, 0) < 0)
		return -1;
	char *end;
	if (s && (!*s || (*seed = strtoull(s, &end, 10), *end))) {
		fprintf(stderr, "fazhi demo: --seed 应为非负整数：%s / a whole number\n", s);
		return -1;
	}
	return 0;
}

static int write_jsonl(const char *path, const struct demo_size *z, uint64_t seed)
{
	struct sink s = { .out = strcmp(path, "-") == 0 ? stdout : fopen(path, "w") };
	if (!s.out) {
		fprintf(stderr, "fazhi: 无法写入 %s\n", path);
		return 1;
	}
	int rc = demo_generate(z, seed, emit, &s);
	if (s.out != stdout)
		fclose(s.out);
	if (rc != 0)
		fprintf(stderr, "fazhi: 规模参数超出范围 / sizes out of range\n");
	return rc == 0 ? 0 : 1;
}

static int run(int argc, char **argv)
{
	const char *uri = DB_DEFAULT_URI, *jsonl = NULL;
	struct demo_size z = { DEMO_DEFAULT_ENTERPRISES, DEMO_DEFAULT_PERSONS, DEMO_DEFAULT_OFFICERS };
	uint64_t seed = 20261122;
	int cases = 0;
	unsigned char key[32];
	if (cli_wants_help(&demo_cmd, argc, argv))
		return 0;
	if (parse_sizes(argc, argv, &uri, &jsonl, &z, &cases, &seed) != 0)
		return 2;
	if (jsonl)
		return write_jsonl(jsonl, &z, seed);
	db *d = cli_open_db(uri, 1);
	if (!d || cli_load_key(uri, key, 1) != 0)
		return 1;
	if (cli_laws_demo(uri) != 0) { /* idempotent: on every run (docs/laws.md) */
		db_close(d);
		return 1;
	}
	int64_t have = 0;
	if (db_lookup_int(d, "SELECT COUNT(*) FROM regions WHERE code = $1", &have, 1, demo_city_code()) < 0) {
		fprintf(stderr, "fazhi: %s\n", db_errmsg(d));
		db_close(d);
		return 1;
	}
	if (have > 0) {
		printf("示例数据已存在，未做改动 / demo data already present, nothing changed: %s\n", uri);
		db_close(d);
		return 0;
	}
	struct org_ctx c = { .d = d, .key = key, .now = (int64_t)time(NULL) };
	struct sink s = { .c = &c };
	char initial[sizeof accounts / sizeof accounts[0]][17];
	char otpauth[sizeof accounts / sizeof accounts[0]][TOTP_URI_LEN];
	int rc = db_begin(d);
	if (rc == 0)
		rc = demo_generate(&z, seed, emit, &s);
	if (rc == 0)
		rc = create_accounts(d, key, initial, otpauth);
	long nrec = 0;
	char today[11];
	cn_today(today);
	struct attach_store *files = rc == 0 ? cli_open_files(uri, 1) : NULL;
	if (rc == 0 && !files)
		rc = -1, s.e.code = NULL;
	if (rc == 0 && (rc = demo_records(d, seed, today, cases, files, &nrec, &s.e)) != 0)
		fprintf(stderr, "fazhi: 登记簿示例数据: %s\n", s.e.msg);
	char why[256] = "";
	if (rc == 0 && (rc = settings_set(d, "demo_data", "1", why, sizeof why)) != 0)
		fprintf(stderr, "fazhi: %s\n", why);
	if (rc == 0) {
		json_t *det = json_pack("{s:i, s:i, s:i}", "enterprises", z.enterprises, "persons", z.persons,
					"officers", z.officers);
		rc = audit_append(d, &cli_actor, "demo", "org", "", "ok", det) || db_commit(d);
		json_decref(det);
	}
	if (files)
		attach_store_close(files);
	if (rc != 0) {
		db_rollback(d);
		fprintf(stderr, "fazhi: 生成示例数据失败（第 %ld 条）: %s\n", s.n, s.e.code ? s.e.msg : db_errmsg(d));
		db_close(d);
		return 1;
	}
	if (law_store_restatus_all(d, today) != 0) /* the documents published in the demo's past are in force now */
		fprintf(stderr, "fazhi: 法律法规效力状态未更新 / law statuses not updated: %s\n", db_errmsg(d));
	db_close(d);
	printf("演示数据已生成 / demo data created: %ld 条组织数据、%ld 条登记簿记录 records in %s\n\n", s.n, nrec, uri);
	printf("演示账号（首次登录须修改密码） / demo accounts (change the password at first login):\n");
	for (size_t i = 0; i < sizeof accounts / sizeof accounts[0]; i++)
		printf("  %-12s %-16s %s\n", accounts[i].username, initial[i], accounts[i].name);
	printf("\n管理员账号须用动态验证码登录：把下列地址导入身份验证器（扫描或手工输入密钥）\n"
	       "Administrators log in with a TOTP code: add these to an authenticator app:\n");
	for (size_t i = 0; i < sizeof accounts / sizeof accounts[0]; i++)
		if (otpauth[i][0])
			printf("%s\n", otpauth[i]);
	crypto_wipe(otpauth, sizeof otpauth);
	crypto_wipe(key, sizeof key);
	return 0;
}
