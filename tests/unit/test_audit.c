/*
 * test_audit.c — the keyed audit chain and its signed checkpoints: entries
 * verify; a changed detail, field or deleted entry is named; entries cut
 * off the end, a log recomputed without the key (as legacy entries or
 * under another key) and a forged checkpoint each fail and name their
 * check; an upgraded log's legacy prefix is accepted only up to the anchor;
 * key rotation keeps the chain verifiable; the triggers refuse UPDATE and
 * DELETE; a change whose audit entry cannot be written is refused with it
 * (fail closed). Both backends when FAZHI_TEST_PG_URI is set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"

#include "audit.h"
#include "audit_anchor.h"
#include "crypto.h"
#include "db.h"
#include "org.h"

static const struct audit_actor who = { 7, "tester", "127.0.0.1" };
static const char *pg_uri;
static char files[8][64];
static int nfiles;

/* A fresh store: a new SQLite file, or the schema t_audit re-created. */
static db *fresh(int pg)
{
	char err[256], uri[128];
	if (!pg) {
		snprintf(files[nfiles], sizeof files[0], "/tmp/fazhi-audit-XXXXXX");
		close(mkstemp(files[nfiles]));
		snprintf(uri, sizeof uri, "sqlite:%s", files[nfiles++]);
	}
	db *d = db_open(pg ? pg_uri : uri, err, sizeof err);
	if (!d)
		return NULL;
	if (pg) {
		db_exec(d, "DROP SCHEMA IF EXISTS t_audit CASCADE");
		db_exec(d, "CREATE SCHEMA t_audit");
		db_exec(d, "SET search_path TO t_audit");
	}
	CHECK_INT(db_migrate(d), 0);
	return d;
}

/* The trust files in a new directory (prefix returned in dir). */
static void trust(db *d, char dir[64])
{
	char err[512], prefix[80];
	snprintf(dir, 64, "/tmp/fazhi-audit-keys-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(prefix, sizeof prefix, "%s/", dir);
	int rc = audit_trust_open(d, prefix, 1, err, sizeof err);
	if (rc != 0)
		fprintf(stderr, "trust: %s\n", err);
	CHECK_INT(rc, 0);
}

static void cleanup_dir(const char *dir)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
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

static void checkpoint(db *d)
{
	char err[256];
	CHECK_INT(audit_checkpoint(d, "manual", NULL, err, sizeof err), 0);
}

/* Verifies and expects check (NULL: intact) at entry first_bad. */
static void expect(db *d, const char *check, int64_t first_bad)
{
	struct audit_check c;
	int rc = audit_verify(d, &c);
	CHECK_INT(rc, check ? 1 : 0);
	if (check) {
		CHECK_STR(c.check, check);
		CHECK(strstr(c.reason, check) != NULL); /* the message names the check */
		CHECK(strstr(c.reason, "未通过") != NULL);
	}
	if (first_bad >= 0)
		CHECK_INT(c.first_bad, first_bad);
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
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM audit_log WHERE alg LIKE 'hmac-sha256:%'", 0, 0), 2);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM audit_log WHERE alg LIKE 'hmac-sm3:%'", 0, 0), 5);

	/* A changed detail is caught by its digest. */
	db_exec(d, "UPDATE audit_log SET detail = '{\"n\":99}' WHERE id = 3");
	expect(d, AUDIT_CHECK_DIGEST, 3);
	CHECK_INT(audit_verify(d, &c), 1);
	CHECK_INT(c.checked, 2);
	db_exec(d, "UPDATE audit_log SET detail = '{\"n\":2,\"note\":\"变更内容\"}' WHERE id = 3");
	expect(d, NULL, 0);

	/* A changed field is caught by the keyed hash. */
	db_exec(d, "UPDATE audit_log SET actor = 'intruder' WHERE id = 4");
	expect(d, AUDIT_CHECK_HMAC, 4);
	db_exec(d, "UPDATE audit_log SET actor = 'tester' WHERE id = 4");

	/* A deleted entry is named by its position. */
	db_exec(d, "DELETE FROM audit_log WHERE id = 5");
	expect(d, AUDIT_CHECK_SEQUENCE, 5);
}

/* Deleting the last entries: the chain alone is whole, the checkpoint's
 * count is not there. */
static void test_truncation(db *d)
{
	append_some(d, 6);
	checkpoint(d);
	append_some(d, 1);
	expect(d, NULL, 0);
	db_exec(d, "DELETE FROM audit_log WHERE id >= 5");
	expect(d, AUDIT_CHECK_CP_COUNT, 5);
}

/* What an attacker's script does: delete entry 3 and recompute every hash,
 * as unkeyed (legacy) entries, or under a key of its own. */
static void test_recompute_without_key(db *d, const char *dir)
{
	unsigned char mine[32];
	append_some(d, 6);
	checkpoint(d);
	db_exec(d, "DELETE FROM audit_log");
	audit_set_key(NULL); /* no key: the legacy form */
	append_some(d, 5);
	expect(d, AUDIT_CHECK_LEGACY, 1);

	db_exec(d, "DELETE FROM audit_log");
	crypto_random(mine, sizeof mine);
	audit_set_key(mine); /* a key of its own */
	append_some(d, 5);
	expect(d, AUDIT_CHECK_HMAC, 1);

	/* With the real key id in alg but its own key: the HMAC fails. */
	db_exec(d, "DELETE FROM audit_log");
	char err[256], prefix[80];
	snprintf(prefix, sizeof prefix, "%s/", dir);
	CHECK_INT(audit_trust_open(d, prefix, 0, err, sizeof err), 0); /* the real key again */
	append_some(d, 6);
	db_exec(d, "UPDATE audit_log SET actor = 'intruder' WHERE id = 2");
	expect(d, AUDIT_CHECK_HMAC, 2);
}

/* A checkpoint line changed or added without the signing key. */
static void test_forged_checkpoint(db *d, const char *dir)
{
	char path[128], line[512];
	append_some(d, 3);
	checkpoint(d);
	expect(d, NULL, 0);
	snprintf(path, sizeof path, "%s/%s", dir, AUDIT_CP_FILE);
	FILE *f = fopen(path, "a");
	CHECK(f != NULL);
	/* Claims 2 entries where there are 3, signed with some other value. */
	snprintf(line, sizeof line, "{\"kind\":\"manual\",\"id\":2,\"hash\":\"%064d\",\"count\":2,\"ts\":1,\"sig\":\"%0128d\"}\n",
		 0, 0);
	fputs(line, f);
	fclose(f);
	expect(d, AUDIT_CHECK_CP_SIG, 0);

	/* A valid checkpoint whose hash the log no longer has. */
	FILE *g = fopen(path, "r+");
	CHECK(g != NULL);
	char buf[8192];
	size_t n = fread(buf, 1, sizeof buf - 1, g);
	buf[n] = 0;
	*strrchr(buf, '{') = 0; /* drop the forged line */
	fclose(g);
	g = fopen(path, "w");
	fputs(buf, g);
	fclose(g);
	expect(d, NULL, 0);
	/* a different first byte, always (a hash starting "aa" would stay as it was: 1 run in 256) */
	db_exec(d, "UPDATE audit_log SET hash = CASE WHEN substr(hash, 1, 2) = 'aa' THEN 'bb' ELSE 'aa' END"
		   " || substr(hash, 3) WHERE id = 3");
	expect(d, AUDIT_CHECK_HMAC, 3);
	/* Rewritten with the chain key but not the signing key: the entry at
	 * the checkpoint's id no longer has the signed hash. */
	db_exec(d, "DELETE FROM audit_log");
	for (int i = 0; i < 3; i++)
		CHECK_INT(audit_append(d, &who, "login", "session", "", "ok", NULL), 0);
	expect(d, AUDIT_CHECK_CP_HASH, 3);
	unlink(path);
	expect(d, AUDIT_CHECK_CP_FILE, 0);
}

/* A log written before the key: accepted up to the anchor, not beyond. */
static void test_legacy_upgrade(db *d, char dir[64])
{
	audit_trust_close();
	append_some(d, 3); /* legacy, unkeyed */
	trust(d, dir);     /* the key is created: anchor at entry 3 */
	append_some(d, 2);
	expect(d, NULL, 0);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM audit_log WHERE alg = 'sm3'", 0, 0), 3);
	/* The keyed entries after the anchor rewritten as legacy ones (the
	 * legacy prefix kept, so the anchor's own hash still matches). */
	db_exec(d, "DELETE FROM audit_log WHERE id > 3");
	audit_set_key(NULL);
	append_some(d, 2);
	expect(d, AUDIT_CHECK_LEGACY, 4);
	/* The whole log rewritten: the anchor's entry changes (another
	 * detail), and the signed checkpoint no longer matches it. */
	db_exec(d, "DELETE FROM audit_log");
	CHECK_INT(audit_append(d, NULL, "rewritten", "x", "", "ok", NULL), 0);
	append_some(d, 4);
	expect(d, AUDIT_CHECK_CP_HASH, 3);
	/* A lost key is not replaced for a log with keyed entries. */
	char err[512], prefix[80], path[128];
	db_exec(d, "DELETE FROM audit_log");
	append_some(d, 1);
	db_exec(d, "UPDATE audit_log SET alg = 'hmac-sm3:0123456789abcdef'");
	snprintf(path, sizeof path, "%s/%s", dir, AUDIT_KEY_FILE);
	unlink(path);
	snprintf(prefix, sizeof prefix, "%s/", dir);
	CHECK_INT(audit_trust_open(d, prefix, 1, err, sizeof err), -1);
	CHECK(strstr(err, "恢复") != NULL);
	/* Nor a signing key for a checkpoint file that has checkpoints. */
	snprintf(path, sizeof path, "%s/%s", dir, AUDIT_SIGN_FILE);
	unlink(path);
	CHECK_INT(audit_trust_open(d, prefix, 1, err, sizeof err), -1);
	CHECK(strstr(err, "签名密钥") != NULL);
}

static void test_rotation(db *d)
{
	char err[256];
	append_some(d, 3);
	CHECK_INT(audit_rotate_key(d, &who, err, sizeof err), 0);
	append_some(d, 2);
	expect(d, NULL, 0);
	CHECK_INT(db_query_int(d, "SELECT COUNT(DISTINCT alg) FROM audit_log", 0, 0), 2);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM audit_log WHERE action = 'rotate_key'", 0, 0), 1);
}

/* The triggers refuse UPDATE and DELETE. */
static void test_guard(db *d)
{
	append_some(d, 2);
	CHECK_INT(audit_guard_install(d), 0);
	CHECK_INT(audit_guard_install(d), 0); /* idempotent */
	CHECK(db_exec(d, "UPDATE audit_log SET actor = 'x' WHERE id = 1") != 0);
	CHECK(db_exec(d, "DELETE FROM audit_log WHERE id = 2") != 0);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM audit_log WHERE actor = 'tester'", 0, 0), 2);
	append_some(d, 1); /* appending still works */
	expect(d, NULL, 0);
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
}

typedef void (*scenario)(db *d, char dir[64]);

static void s_chain(db *d, char dir[64]) { test_chain(d); }
static void s_trunc(db *d, char dir[64]) { test_truncation(d); }
static void s_recompute(db *d, char dir[64]) { test_recompute_without_key(d, dir); }
static void s_forged(db *d, char dir[64]) { test_forged_checkpoint(d, dir); }
static void s_rotation(db *d, char dir[64]) { test_rotation(d); }
static void s_guard(db *d, char dir[64]) { test_guard(d); }
static void s_fail_closed(db *d, char dir[64]) { test_fail_closed(d); }

static void run_one(int pg, scenario fn, int legacy)
{
	char dir[64] = "", dir2[64] = "";
	db *d = fresh(pg);
	CHECK(d != NULL);
	if (!d)
		return;
	if (legacy) {
		test_legacy_upgrade(d, dir2);
	} else {
		trust(d, dir);
		fn(d, dir);
	}
	audit_trust_close();
	if (pg)
		db_exec(d, "DROP SCHEMA t_audit CASCADE");
	db_close(d);
	if (dir[0])
		cleanup_dir(dir);
	if (dir2[0])
		cleanup_dir(dir2);
}

static void run_backend(int pg)
{
	static const scenario all[] = { s_chain, s_trunc, s_recompute, s_forged, s_rotation, s_guard, s_fail_closed };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		run_one(pg, all[i], 0);
	run_one(pg, NULL, 1);
}

int main(void)
{
	crypto_init();
	run_backend(0);
	for (int i = 0; i < nfiles; i++)
		unlink(files[i]);
	pg_uri = getenv("FAZHI_TEST_PG_URI");
	if (pg_uri && *pg_uri)
		run_backend(1);
	return t_done();
}
