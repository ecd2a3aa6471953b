/*
 * test_audit.c — the audit chain: entries verify; an UPDATE or DELETE made
 * behind the platform's back is named at the first entry it breaks; SM3
 * and SHA-256 entries verify side by side; a change whose audit entry
 * cannot be written is refused with it (fail closed). Both backends when
 * FAZHI_TEST_PG_URI is set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"

#include "audit.h"
#include "crypto.h"
#include "db.h"
#include "org.h"

static const struct audit_actor who = { 7, "tester", "127.0.0.1" };

static db *fresh(const char *uri)
{
	char err[256];
	db *d = db_open(uri, err, sizeof err);
	if (!d)
		return NULL;
	if (db_backend_of(d) == DB_POSTGRES) {
		db_exec(d, "DROP SCHEMA IF EXISTS t_audit CASCADE");
		db_exec(d, "CREATE SCHEMA t_audit");
		db_exec(d, "SET search_path TO t_audit");
	}
	CHECK_INT(db_migrate(d), 0);
	return d;
}

static void append_some(db *d, int n)
{
	for (int i = 0; i < n; i++) {
		char id[16];
		snprintf(id, sizeof id, "%d", i);
		json_t *detail = json_pack("{s:i, s:s}", "n", i, "note", "变更内容");
		CHECK_INT(audit_append(d, &who, "update", "body", id, "ok", detail), 0);
		json_decref(detail);
	}
}

static void test_chain(db *d)
{
	struct audit_check c;
	append_some(d, 5);
	audit_set_alg(HASH_SHA256);
	append_some(d, 2);
	audit_set_alg(HASH_SM3);
	CHECK_INT(audit_verify(d, &c), 0);
	CHECK_INT(c.checked, 7);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM audit_log WHERE alg = 'sha256'", 0, 0), 2);

	/* A changed detail is caught by its digest. */
	db_exec(d, "UPDATE audit_log SET detail = '{\"n\":99}' WHERE id = 3");
	CHECK_INT(audit_verify(d, &c), 1);
	CHECK_INT(c.first_bad, 3);
	CHECK_INT(c.checked, 2);
	db_exec(d, "UPDATE audit_log SET detail = '{\"n\":2,\"note\":\"变更内容\"}' WHERE id = 3");
	CHECK_INT(audit_verify(d, &c), 0);

	/* A changed field with a recomputed digest is caught by the hash. */
	db_exec(d, "UPDATE audit_log SET actor = 'intruder' WHERE id = 4");
	CHECK_INT(audit_verify(d, &c), 1);
	CHECK_INT(c.first_bad, 4);
	db_exec(d, "UPDATE audit_log SET actor = 'tester' WHERE id = 4");

	/* A deleted entry is named by its position. */
	db_exec(d, "DELETE FROM audit_log WHERE id = 5");
	CHECK_INT(audit_verify(d, &c), 1);
	CHECK_INT(c.first_bad, 5);
}

/* If the audit entry cannot be written, the change it records is refused. */
static void test_fail_closed(db *d)
{
	static const unsigned char key[32] = { 3 };
	struct org_ctx oc = { .d = d, .actor = &who, .key = key, .now = 1 };
	struct fz_err e = { 0 };
	int64_t id;
	if (db_backend_of(d) == DB_POSTGRES) {
		db_exec(d, "CREATE FUNCTION t_audit.no_audit() RETURNS trigger LANGUAGE plpgsql AS"
			   " $$BEGIN RAISE EXCEPTION 'audit store unavailable'; END$$");
		db_exec(d, "CREATE TRIGGER no_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION t_audit.no_audit()");
	} else {
		db_exec(d, "CREATE TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN"
			   " SELECT RAISE(ABORT, 'audit store unavailable'); END");
	}
	json_t *o = json_pack("{s:s, s:s, s:s}", "type", "region", "code", "330200", "name", "示例市");
	CHECK_INT(db_begin(d), 0);
	CHECK(org_put(&oc, o, &id, &e) != 0);
	db_rollback(d);
	json_decref(o);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM regions", -1, 0), 0);
	if (db_backend_of(d) == DB_SQLITE)
		db_exec(d, "DROP TRIGGER no_audit");
	if (db_backend_of(d) == DB_POSTGRES)
		db_exec(d, "DROP TRIGGER IF EXISTS no_audit ON audit_log");
}

static void run_backend(const char *uri)
{
	db *d = fresh(uri);
	CHECK(d != NULL);
	if (!d)
		return;
	test_chain(d);
	test_fail_closed(d);
	if (db_backend_of(d) == DB_POSTGRES)
		db_exec(d, "DROP SCHEMA t_audit CASCADE");
	db_close(d);
}

int main(void)
{
	crypto_init();
	char path[] = "/tmp/fazhi-audit-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	char uri[128];
	snprintf(uri, sizeof uri, "sqlite:%s", path);
	run_backend(uri);
	unlink(path);
	const char *pg = getenv("FAZHI_TEST_PG_URI");
	if (pg && *pg)
		run_backend(pg);
	return t_done();
}
