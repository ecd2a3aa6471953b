/*
 * test_import.c — the JSON Lines import on SQLite (a temporary file) and,
 * when FAZHI_TEST_PG_URI is set, PostgreSQL (a schema of its own, dropped
 * at the end): all or nothing, duplicates answered as the field's conflict
 * (the UNIQUE constraints do the checking; no SELECT beforehand), bad lines
 * after a duplicate still reported where the store allows it, the region
 * lookups of a bulk import, and the same conflicts on an update.
 */
#include "t.h"

#include <stdint.h>
#include <unistd.h>

#include "import.h"

static int is_pg;
static const unsigned char key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
static const struct audit_actor actor = { 0, "test", "local" };

#define REGIONS                                                                  \
	"{\"type\":\"region\",\"code\":\"330200\",\"name\":\"示例市\"}\n"          \
	"{\"type\":\"region\",\"code\":\"330206\",\"name\":\"北仑区\",\"parent\":\"330200\"}\n" \
	"{\"type\":\"region\",\"code\":\"330282\",\"name\":\"慈溪市\",\"parent\":\"330200\"}\n"
#define ENT(uscc, name, region)                                                                  \
	"{\"type\":\"subject\",\"kind\":\"enterprise\",\"uscc\":\"" uscc "\",\"name\":\"" name \
	"\",\"region\":\"" region "\"}\n"
#define PERSON(idn, name, region)                                                              \
	"{\"type\":\"subject\",\"kind\":\"person\",\"id_number\":\"" idn "\",\"name\":\"" name \
	"\",\"region\":\"" region "\"}\n"
#define U1 "923302061130417490"
#define U2 "91330282MA23D43UXN"
#define ID1 "330206198101190360"

/* Runs one import; the report's text goes into out. */
static int run(db *d, const char *text, struct import_report *r, char *out, size_t n)
{
	char *copy = strdup(text);
	FILE *in = copy ? fmemopen(copy, strlen(copy), "r") : NULL;
	FILE *err = fmemopen(out, n, "w");
	if (!in || !err) { /* no memory (the fault-injection run) */
		if (in)
			fclose(in);
		if (err)
			fclose(err);
		free(copy);
		return -1;
	}
	struct org_ctx c = { .d = d, .actor = &actor, .key = key, .now = 1700000000 };
	memset(r, 0, sizeof *r);
	r->errors = err;
	int rc = import_stream(&c, in, r);
	fclose(in);
	fclose(err);
	free(copy);
	return rc;
}

static int64_t count(db *d, const char *table)
{
	char sql[64];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	return db_query_int(d, sql, -1, 0);
}

static void test_conflicts(db *d)
{
	struct import_report r;
	char out[4096];
	/* Line 5 repeats line 4's USCC; line 6 breaks a rule; line 8 repeats
	 * line 7's ID number. */
	const char *bad = REGIONS ENT(U1, "甲公司", "330206") ENT(U1, "乙公司", "330282")
		ENT("91330282MA23D43UX0", "丙公司", "330282") PERSON(ID1, "张三", "330206")
			PERSON(ID1, "李四", "330282");
	CHECK_INT(run(d, bad, &r, out, sizeof out), 1);
	CHECK(strstr(out, "第 5 行: 统一社会信用代码 " U1 " 已登记（字段 uscc）") != NULL);
	if (is_pg) {
		/* The violation aborted the transaction: the rest is not checked. */
		CHECK(strstr(out, "第 5 行之后的行未检查") != NULL);
		CHECK_INT(r.bad, 1);
	} else {
		CHECK(strstr(out, "第 6 行: ") != NULL && strstr(out, "（字段 uscc）") != NULL);
		CHECK(strstr(out, "第 8 行: 身份证号 330206********0360 已登记（字段 id_number）") != NULL);
		CHECK_INT(r.bad, 3);
	}
	CHECK(strstr(out, "未导入任何记录") != NULL);
	CHECK_INT(count(d, "regions"), 0);
	CHECK_INT(count(d, "subjects"), 0);
	CHECK_INT(count(d, "audit_log"), 0);

	/* A good file: regions first, then subjects using them (looked up once
	 * each through the cache), a person. */
	const char *good = REGIONS ENT(U1, "甲公司", "330206") ENT(U2, "乙公司", "330282")
		PERSON(ID1, "张三", "330206") ENT("91330225167793436J", "丁公司", "330206");
	CHECK_INT(run(d, good, &r, out, sizeof out), 0);
	CHECK_INT(r.counts[0], 3);
	CHECK_INT(r.counts[3], 4);
	CHECK_INT(count(d, "subjects"), 4);
	CHECK_INT(count(d, "audit_log"), 1);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM subjects WHERE region_path = '/330200/330206/'", -1, 0), 3);

	/* The file again: every subject is now a duplicate of a stored one. */
	const char *again = ENT(U2, "乙公司", "330282") "not json\n";
	CHECK_INT(run(d, again, &r, out, sizeof out), 1);
	CHECK(strstr(out, "第 1 行: 统一社会信用代码 " U2 " 已登记（字段 uscc）") != NULL);
	CHECK((strstr(out, "第 2 行: JSON 格式错误") != NULL) == !is_pg);
	CHECK_INT(count(d, "subjects"), 4);

	/* The same conflict on an update (the API's PATCH), and none for the
	 * record's own values. */
	int64_t id1 = db_query_int(d, "SELECT id FROM subjects WHERE uscc = $1", 0, 1, U1);
	struct org_ctx c = { .d = d, .key = key, .now = 1700000001 };
	struct fz_err e = { 0 };
	int64_t out_id = 0;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "kind", "enterprise", "uscc", U2, "name", "甲公司", "region",
			      "330206");
	CHECK_INT(db_begin(d), 0);
	CHECK_INT(org_subject_put(&c, o, id1, &out_id, &e), -1);
	CHECK_INT(e.status, 409);
	CHECK_STR(e.field, "uscc");
	CHECK_STR(e.msg, "统一社会信用代码 " U2 " 已登记");
	db_rollback(d);
	json_object_set_new(o, "uscc", json_string(U1));
	json_object_set_new(o, "name", json_string("甲公司（更名）"));
	CHECK_INT(db_begin(d), 0);
	CHECK_INT(org_subject_put(&c, o, id1, &out_id, &e), 0);
	CHECK_INT(out_id, id1);
	CHECK_INT(db_commit(d), 0);
	json_decref(o);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM subjects WHERE name = '甲公司（更名）'", -1, 0), 1);

	/* A region and a subject in it, in one import (the region lookup
	 * misses, then finds the new region). */
	const char *moved = "{\"type\":\"region\",\"code\":\"330212\",\"name\":\"鄞州区\",\"parent\":\"330200\"}\n"
		ENT("91330212MA22DK8U43", "戊公司", "330212");
	int rc = run(d, moved, &r, out, sizeof out);
	if (rc != 0)
		fprintf(stderr, "%s", out);
	CHECK_INT(rc, 0);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM subjects WHERE region_path = '/330200/330212/'", -1, 0), 1);
}

static void test_backend(const char *uri)
{
	char err[512] = "";
	db *d = db_open(uri, err, sizeof err);
	CHECK(d != NULL);
	if (!d) {
		fprintf(stderr, "%s\n", err);
		return;
	}
	is_pg = db_backend_of(d) == DB_POSTGRES;
	char schema[32], sql[160];
	snprintf(schema, sizeof schema, "fazhi_i%d", (int)getpid());
	if (is_pg) {
		snprintf(sql, sizeof sql, "CREATE SCHEMA %s; SET search_path TO %s", schema, schema);
		CHECK_INT(db_exec(d, sql), 0);
	}
	CHECK_INT(db_migrate(d), 0);
	test_conflicts(d);
	if (is_pg) {
		snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", schema);
		CHECK_INT(db_exec(d, sql), 0);
	}
	db_close(d);
}

int main(void)
{
	char path[64], uri[80], side[80];
	snprintf(path, sizeof path, "/tmp/fazhi_test_import_%d.db", (int)getpid());
	snprintf(uri, sizeof uri, "sqlite:%s", path);
	test_backend(uri);
	remove(path);
	snprintf(side, sizeof side, "%s-wal", path);
	remove(side);
	snprintf(side, sizeof side, "%s-shm", path);
	remove(side);

	const char *pg = getenv("FAZHI_TEST_PG_URI");
	if (pg && *pg)
		test_backend(pg);
	else
		printf("FAZHI_TEST_PG_URI not set: PostgreSQL skipped\n");
	return t_done();
}
