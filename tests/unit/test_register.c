/*
 * test_register.c — the register engine: definitions load and bad ones are
 * refused with the path at fault; records follow their state machine and
 * gates; the live counters equal a full recomputation after a random
 * sequence of creates, updates, transitions and deletes (both backends
 * when FAZHI_TEST_PG_URI is set).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"

#include "audit.h"
#include "crypto.h"
#include "db.h"
#include "metrics.h"
#include "org.h"
#include "record.h"
#include "register.h"

static void test_definitions(void)
{
	char why[512];
	struct reg_def r;
	CHECK_INT(register_load_builtin(why, sizeof why), 0);
	CHECK(register_find("rectification") != NULL);
	CHECK(register_find("proposal") != NULL);
	CHECK(register_load_text("bad.json", "{\"name\":\"x\",\"label\":\"X\",\"fields\":[{\"name\":\"a\",\"label\":\"A\","
					     "\"type\":\"nope\"}]}", &r, why, sizeof why) != 0);
	CHECK(strstr(why, "fields[0].type") != NULL);
	json_decref(r.src);
	CHECK(register_load_text("bad2.json", "{\"name\":\"x\",\"label\":\"X\",\"title_field\":\"a\",\"fields\":[{\"name\":\"a\","
					      "\"label\":\"A\",\"type\":\"string\"}],\"states\":[{\"name\":\"s\",\"label\":\"S\","
					      "\"initial\":true},{\"name\":\"t\",\"label\":\"T\"}],\"transitions\":[{\"name\":\"go\","
					      "\"label\":\"Go\",\"from\":[\"s\"],\"to\":\"zz\"}]}", &r, why, sizeof why) != 0);
	CHECK(strstr(why, "transitions[0].to") != NULL);
	json_decref(r.src);
	CHECK(register_load_text("bad3.json", "{\"name\":\"x\",", &r, why, sizeof why) != 0);
	CHECK(strstr(why, "第 1 行") != NULL);
	json_decref(r.src);
}

static db *fresh(const char *uri)
{
	char err[256];
	db *d = db_open(uri, err, sizeof err);
	if (!d) {
		fprintf(stderr, "%s\n", err);
		return NULL;
	}
	if (db_backend_of(d) == DB_POSTGRES) {
		db_exec(d, "DROP SCHEMA IF EXISTS t_register CASCADE");
		db_exec(d, "CREATE SCHEMA t_register");
		db_exec(d, "SET search_path TO t_register");
	}
	CHECK_INT(db_migrate(d), 0);
	static const unsigned char key[32] = { 1 };
	struct org_ctx oc = { .d = d, .key = key, .now = 1 };
	struct fz_err e;
	int64_t id;
	const char *lines[] = {
		"{\"type\":\"region\",\"code\":\"330200\",\"name\":\"示例市\"}",
		"{\"type\":\"region\",\"code\":\"330282\",\"name\":\"慈溪市\",\"parent\":\"330200\"}",
		"{\"type\":\"body\",\"code\":\"GOV\",\"name\":\"示例市人民政府\",\"kind\":\"government\",\"region\":\"330200\"}",
		"{\"type\":\"body\",\"code\":\"CX\",\"name\":\"慈溪市司法局\",\"kind\":\"department\",\"region\":\"330282\"}",
	};
	for (size_t i = 0; i < 4; i++) {
		json_t *o = json_loads(lines[i], 0, NULL);
		CHECK_INT(org_put(&oc, o, &id, &e), 0);
		json_decref(o);
	}
	return d;
}

static void test_gates(db *d)
{
	const struct reg_def *r = register_find("rectification");
	struct rec_ctx c;
	struct fz_err e = { 0 };
	int64_t id;
	struct user own = { .id = 1, .role = "department", .nbodies = 1 };
	own.bodies[0] = db_query_int(d, "SELECT id FROM bodies WHERE code = 'CX'", 0, 0);
	struct user coord = { .id = 2, .role = "coordinator" };
	rec_ctx_init(&c, d, &own, NULL);
	json_t *data = json_pack("{s:s, s:s, s:s}", "source", "法治督察", "issue", "未按期公示", "deadline", "2099-12-31");
	CHECK_INT(record_create(&c, r, "CX", "2026-01-10", data, &id, &e), 0);
	json_decref(data);
	/* request_close needs measures and result */
	memset(&e, 0, sizeof e);
	CHECK(record_transition(&c, r, id, "request_close", NULL, &e) != 0);
	CHECK_STR(e.field, "measures");
	json_t *p = json_pack("{s:s, s:s}", "measures", "建立公示台账", "result", "已全部公示");
	memset(&e, 0, sizeof e);
	CHECK_INT(record_transition(&c, r, id, "request_close", p, &e), 0);
	json_decref(p);
	/* the owning body cannot close its own item */
	memset(&e, 0, sizeof e);
	strcpy(own.role, "coordinator");
	CHECK(record_transition(&c, r, id, "close", NULL, &e) != 0);
	CHECK_INT(e.status, 403);
	c.user = &coord;
	memset(&e, 0, sizeof e);
	CHECK_INT(record_transition(&c, r, id, "close", NULL, &e), 0);
	memset(&e, 0, sizeof e);
	CHECK(record_update(&c, r, id, NULL, &e) != 0);
	CHECK_INT(e.status, 409);
}

/* A random walk over both registers, then counters == recomputation;
 * batch: the counters gathered in a metrics batch, flushed at commit. */
static void test_counters(db *d, int batch)
{
	const char *regs[] = { "rectification", "proposal" };
	const char *bodies[] = { "GOV", "CX" };
	int64_t ids[400];
	int nids = 0;
	struct rec_ctx c;
	rec_ctx_init(&c, d, NULL, NULL);
	if (batch)
		CHECK((c.batch = metrics_batch_new()) != NULL);
	srand(batch ? 11 : 7);
	CHECK_INT(db_begin(d), 0);
	for (int step = 0; step < 600; step++) {
		const struct reg_def *r = register_find(regs[step % 2]);
		struct fz_err e = { 0 };
		int op = rand() % 4;
		if (op == 0 || nids < 4) {
			char start[16];
			snprintf(start, sizeof start, "2025-%02u-%02u", 1 + (unsigned)rand() % 12, 1 + (unsigned)rand() % 28);
			json_t *data = r == register_find("proposal")
				? json_pack("{s:s, s:s, s:s, s:s}", "kind", "政协提案", "number", "T1", "title", "关于…的提案", "proposer", "李委员")
				: json_pack("{s:s, s:s, s:s}", "source", "其他", "issue", "问题", "deadline", "2025-12-31");
			int64_t id;
			if (record_create(&c, r, bodies[rand() % 2], start, data, &id, &e) == 0 && nids < 400)
				ids[nids++] = id;
			json_decref(data);
			continue;
		}
		int64_t id = ids[rand() % nids];
		/* Whichever register the id belongs to; a mismatch is just a 404. */
		if (op == 3) {
			record_delete(&c, r, id, &e);
		} else {
			const char *t = r->transitions[rand() % r->ntransitions].name;
			json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:s}", "measures", "措施", "result", "成效",
					      "reply", "答复", "satisfaction", rand() % 3 ? "满意" : "不满意",
					      "return_reason", "材料不全");
			json_t *patch = json_object();
			const char *key;
			json_t *v;
			json_object_foreach(p, key, v) if (register_field(r, key) >= 0) json_object_set(patch, key, v);
			record_transition(&c, r, id, t, patch, &e);
			json_decref(p);
			json_decref(patch);
		}
	}
	if (batch) { /* nothing written yet; a rolled-back batch is forgotten */
		CHECK_INT(metrics_rebuild(d, 1) > 0, 1);
		CHECK_INT(metrics_batch_flush(d, c.batch), 0);
		CHECK_INT(metrics_batch_flush(d, c.batch), 0);
		metrics_batch_free(c.batch);
	}
	CHECK_INT(db_commit(d), 0);
	if (batch)
		return;
	CHECK(db_query_int(d, "SELECT COUNT(*) FROM records", 0, 0) > 50);
	CHECK(db_query_int(d, "SELECT COUNT(*) FROM records WHERE closed_date IS NOT NULL", 0, 0) > 5);
	CHECK_INT(metrics_rebuild(d, 1), 0);
	/* Break a counter behind the engine's back: the check finds it. */
	db_exec(d, "UPDATE metric_counts SET n = n + 1 WHERE metric = 'proposal.received'"
		   " AND day = (SELECT MIN(day) FROM metric_counts WHERE metric = 'proposal.received')");
	CHECK(metrics_rebuild(d, 1) >= 1);
	CHECK(metrics_rebuild(d, 0) >= 1);
	CHECK_INT(metrics_rebuild(d, 1), 0);
	int64_t v = -1;
	CHECK_INT(metrics_value(d, "proposal.received", "", "2025-01-01", "2025-12-31", &v), 0);
	CHECK_INT(v, db_query_int(d, "SELECT COUNT(*) FROM records WHERE register = 'proposal'", 0, 0));
	CHECK_INT(metrics_value(d, "proposal.closed", "/330200/330282/", "2025-01-01", "2025-12-31", &v), 0);
	CHECK_INT(v, db_query_int(d, "SELECT COUNT(*) FROM records WHERE register = 'proposal' AND state = 'closed'"
				     " AND region_path LIKE '/330200/330282/%'", 0, 0));
	CHECK(metrics_value(d, "nope.metric", "", "2025-01-01", "2025-12-31", &v) != 0);
	/* Periods read whole months from metric_months, other days from
	 * metric_counts: partial first and last months, one month, whole
	 * months only, a subtree, an empty period. */
	static const char *const periods[][3] = {
		{ "", "2025-02-10", "2025-11-20" }, { "", "2025-03-05", "2025-03-25" },
		{ "", "2025-04-01", "2025-06-30" }, { "/330200/330282/", "2025-01-15", "2025-12-31" },
		{ "/330200/", "2025-01-01", "2025-05-17" }, { "", "2025-06-01", "2025-05-31" },
	};
	for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
		char pat[32];
		snprintf(pat, sizeof pat, "%s%%", periods[i][0]);
		CHECK_INT(metrics_value(d, "proposal.received", periods[i][0], periods[i][1], periods[i][2], &v), 0);
		CHECK_INT(v, db_query_int(d, "SELECT COUNT(*) FROM records WHERE register = 'proposal' AND region_path LIKE $1"
					     " AND start_date >= $2 AND start_date <= $3", -1, 3, pat, periods[i][1],
					  periods[i][2]));
	}
}

static void run_backend(const char *uri)
{
	db *d = fresh(uri);
	CHECK(d != NULL);
	if (!d)
		return;
	test_gates(d);
	test_counters(d, 1);
	CHECK_INT(metrics_rebuild(d, 1), 0);
	test_counters(d, 0);
	if (db_backend_of(d) == DB_POSTGRES)
		db_exec(d, "DROP SCHEMA t_register CASCADE");
	db_close(d);
}

int main(void)
{
	crypto_init();
	test_definitions();
	char path[] = "/tmp/fazhi-register-XXXXXX";
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
