/*
 * fuzz_import_line.c — libFuzzer target: one JSON Lines import line
 * (import_line: UTF-8, JSON, the org model's validation and writes) on an
 * in-memory SQLite store holding a few fixed regions, bodies, people and
 * subjects, so references resolve and duplicates collide. Each input runs
 * twice, as the system and as a user scoped to 330200, each time in a
 * transaction that is rolled back: the store never grows.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "db.h"
#include "import.h"
#include "validate.h"

static db *d;
static const unsigned char key[32] = "fuzz-fuzz-fuzz-fuzz-fuzz-fuzz-k";
static struct user scoped;

static const char *const fixtures[] = {
	"{\"type\":\"region\",\"code\":\"330000\",\"name\":\"浙江省\"}",
	"{\"type\":\"region\",\"code\":\"330200\",\"name\":\"宁波市\",\"parent\":\"330000\"}",
	"{\"type\":\"region\",\"code\":\"330282\",\"name\":\"慈溪市\",\"parent\":\"330200\"}",
	"{\"type\":\"region\",\"code\":\"330282001\",\"name\":\"浒山街道\",\"parent\":\"330282\"}",
	"{\"type\":\"region\",\"code\":\"330282001001\",\"name\":\"某社区\",\"parent\":\"330282001\"}",
	"{\"type\":\"region\",\"code\":\"330100\",\"name\":\"杭州市\",\"parent\":\"330000\"}",
	"{\"type\":\"region\",\"code\":\"110000\",\"name\":\"北京市\"}",
	"{\"type\":\"region\",\"code\":\"110100\",\"name\":\"市辖区\",\"parent\":\"110000\"}",
	"{\"type\":\"region\",\"code\":\"110101\",\"name\":\"东城区\",\"parent\":\"110100\"}",
	"{\"type\":\"body\",\"code\":\"gov-330282\",\"name\":\"慈溪市人民政府\",\"kind\":\"government\","
	"\"region\":\"330282\"}",
	"{\"type\":\"body\",\"code\":\"smr-330282\",\"name\":\"慈溪市市场监督管理局\",\"kind\":\"department\","
	"\"region\":\"330282\",\"parent\":\"gov-330282\"}",
	"{\"type\":\"body\",\"code\":\"gov-110101\",\"name\":\"东城区人民政府\",\"kind\":\"government\","
	"\"region\":\"110101\"}",
	"{\"type\":\"person\",\"name\":\"张三\",\"body\":\"smr-330282\",\"title\":\"科员\",\"cert_no\":\"ZJ-0001\","
	"\"cert_issuer\":\"浙江省人民政府\",\"cert_valid_from\":\"2020-01-01\",\"cert_valid_until\":\"2030-01-01\"}",
	"{\"type\":\"subject\",\"kind\":\"enterprise\",\"name\":\"慈溪某某有限公司\",\"uscc\":\"91330282MA2AB1C2DB\","
	"\"region\":\"330282\"}",
	"{\"type\":\"subject\",\"kind\":\"person\",\"name\":\"李四\",\"id_number\":\"330282199001011231\","
	"\"region\":\"330282\"}",
};

static void die(const char *what, const struct fz_err *e)
{
	fprintf(stderr, "fuzz_import_line: %s: %s\n", what, e ? e->msg : db_errmsg(d));
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];
	if (crypto_init() != 0)
		die("crypto_init", NULL);
	d = db_open("sqlite::memory:", err, sizeof err);
	if (!d) {
		fprintf(stderr, "fuzz_import_line: %s\n", err);
		abort();
	}
	if (db_migrate(d) != 0 || db_begin(d) != 0)
		die("migrate", NULL);
	struct org_ctx c = { .d = d, .key = key, .now = 1700000000 };
	for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
		struct fz_err e = { 0 };
		int type;
		if (import_line(&c, fixtures[i], strlen(fixtures[i]), &type, &e) != 0)
			die(fixtures[i], &e);
	}
	if (db_commit(d) != 0)
		die("commit", NULL);
	scoped.id = 1;
	snprintf(scoped.username, sizeof scoped.username, "fuzz");
	snprintf(scoped.role, sizeof scoped.role, "department");
	snprintf(scoped.scope_region, sizeof scoped.scope_region, "330200");
	snprintf(scoped.scope_path, sizeof scoped.scope_path, "/330000/330200/");
	scoped.bodies[0] = 2; /* smr-330282 */
	scoped.nbodies = 1;
	return 0;
}

static void one(const struct user *u, const char *line, size_t n)
{
	struct org_ctx c = { .d = d, .user = u, .actor = NULL, .key = key, .now = 1700000000 };
	struct fz_err e = { 0 };
	int type = 99;
	if (db_begin(d) != 0)
		die("begin", NULL);
	int rc = import_line(&c, line, n, &type, &e);
	if (rc == 0) {
		if (type < 0 || type > 3)
			die("accepted a line of no known type", NULL);
		/* Every import field is text: an accepted line holds nothing
		 * else (no value of the wrong type passed over as absent). */
		json_t *o = json_loadb(line, n, 0, NULL);
		const char *k;
		json_t *v;
		json_object_foreach(o, k, v)
			if (!json_is_string(v) && !json_is_null(v))
				die(k, NULL);
		json_decref(o);
	} else {
		/* The report prints these after import_line has returned (and
		 * freed the parsed line): they must not point into it. */
		if (rc != -1 || !e.code || !e.status || !e.msg[0])
			die("incomplete error", &e);
		if (e.field && validate_utf8(e.field, strlen(e.field)) != 0)
			die("field", &e);
		if (strlen(e.msg) >= sizeof e.msg || validate_utf8(e.msg, strlen(e.msg)) != 0)
			die("msg", &e);
	}
	if (db_rollback(d) != 0)
		die("rollback", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > IMPORT_MAX_LINE)
		return -1;
	/* Exactly the line's bytes, no NUL after them: import_line takes a
	 * length, so ASan reports any read past it. */
	one(NULL, (const char *)data, size);
	one(&scoped, (const char *)data, size);
	return 0;
}
