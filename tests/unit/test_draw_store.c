/*
 * test_draw_store.c — 双随机 draws in the store (migration 031): creating
 * publishes SM3 of the seed and keeps the seed for the run; running stores
 * the picks once (a second run is refused); verify reproduces them, and
 * fails naming the difference when a stored pick or the seed was changed
 * (the tamper test `fazhi draw verify` rests on); a refused spec is named.
 */
#include "t.h"
#include "core/crypto.h"
#include "engine/draw_store.h"
#include "engine/record.h"

static const int weights[DRAW_GRADES] = { 1, 2, 4, 8, 2 };

static void exec(db *d, const char *sql)
{
	if (db_exec(d, sql) != 0)
		fprintf(stderr, "%s: %s\n", sql, db_errmsg(d));
}

static void fixtures(db *d)
{
	char sql[512];
	exec(d, "INSERT INTO regions(code, name, level, path, created_at, updated_at) VALUES ('330100', '市', 2, '/330100/', 1, 1)");
	exec(d, "INSERT INTO regions(code, name, level, parent_code, path, created_at, updated_at)"
		" VALUES ('330102', '甲区', 3, '330100', '/330100/330102/', 1, 1), ('330105', '乙区', 3, '330100', '/330100/330105/', 1, 1)");
	exec(d, "INSERT INTO bodies(id, code, name, kind, region_code, region_path, created_at, updated_at)"
		" VALUES (1, 'scjg', '市场监管局', 'department', '330100', '/330100/', 1, 1)");
	for (int i = 0; i < 6; i++) {
		snprintf(sql, sizeof sql, "INSERT INTO people(id, name, body_id, region_path, cert_no, cert_status,"
			 " cert_valid_until, created_at, updated_at) VALUES (%d, '检查员%d', 1, '/330100/', 'Z%d', '%s', '%s', 1, 1)",
			 100 + i, i, i, i == 5 ? "suspended" : "active", i == 4 ? "2020-01-01" : "2099-12-31");
		exec(d, sql);
	}
	for (int i = 0; i < 60; i++) {
		snprintf(sql, sizeof sql, "INSERT INTO subjects(id, kind, name, uscc, region_code, region_path, created_at,"
			 " updated_at, industry, credit_grade) VALUES (%d, 'enterprise', '企业%d', 'U%d', '%s', '%s', 1, 1, '制造业', %s)",
			 1000 + i, i, i, i % 2 ? "330102" : "330105", i % 2 ? "/330100/330102/" : "/330100/330105/",
			 i % 5 == 4 ? "NULL" : (const char *[]){ "'A'", "'B'", "'C'", "'D'" }[i % 4]);
		exec(d, sql);
	}
}

/* A planner standing for the register's: matter 7 only; counts the plans,
 * keeps the last officers, fails the plan numbered fail_at. */
static int plans, fail_at;
static char last_officers[200];

static int fake_check(db *d, int64_t matter, struct fz_err *e)
{
	(void)d;
	return matter == 7 ? 0 : fz_invalid(e, "matter", "检查事项不是行政检查");
}

static int fake_make(struct rec_ctx *c, const struct draw_plan *p, int64_t subject, const char *officers,
		     int64_t *plan, struct fz_err *e)
{
	(void)c;
	(void)subject;
	if (++plans == fail_at)
		return fz_fail(e, 409, "plan_refused", NULL, "计划被拒绝");
	snprintf(last_officers, sizeof last_officers, "%s", officers);
	*plan = 0;
	return p->matter == 7 && p->body_id == 1 && strcmp(p->from, "2027-01-04") == 0 ? 0 : -1;
}

static const struct draw_planner fake = { fake_check, fake_make };

static int64_t create(db *d, const char *spec, const char *seed, char hash[65], struct fz_err *e)
{
	json_t *s = json_loads(spec, 0, NULL);
	struct draw_new in = { 1, "330100", "/330100/", "2026 年第一次双随机抽查", s, 0, weights, seed };
	int64_t id = 0;
	if (draw_create(d, &in, &id, hash, e) != 0)
		id = -1;
	json_decref(s);
	return id;
}

int main(void)
{
	char err[256], hash[65], why[600];
	struct fz_err e;
	int n = 0, same = 0;
	CHECK_INT(crypto_init(), 0);
	db *d = db_open("sqlite::memory:", err, sizeof err);
	CHECK(d != NULL);
	if (!d)
		return t_done();
	CHECK_INT(db_migrate(d), 0);
	fixtures(d);

	int64_t id = create(d, "{\"sample\":10,\"bodies\":[1],\"quiet\":[1000,1001]}", "seed-x", hash, &e);
	CHECK(id > 0);
	char want[65];
	draw_seed_hash("seed-x", want);
	CHECK_STR(hash, want);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM draws WHERE revealed_at IS NULL", -1, 0), 1);
	CHECK_INT(draw_verify(d, id, &same, why, sizeof why, &e), 0); /* not run: nothing to compare */
	CHECK(same && strstr(why, "尚未抽取") != NULL);

	struct rec_ctx c;
	rec_ctx_init(&c, d, NULL, NULL);
	CHECK_INT(draw_execute(&c, id, "2026-12-04", &n, &e), 0);
	if (n != 10)
		fprintf(stderr, "run: %s\n", e.msg);
	CHECK_INT(n, 10);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM draw_picks WHERE draw_id = 1", -1, 0), 10);
	CHECK_INT(db_query_int(d, "SELECT population FROM draws WHERE id = 1", -1, 0), 58);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM draw_picks WHERE subject_id IN (1000, 1001)", -1, 0), 0);
	/* only valid certificates: 104 expired, 105 suspended */
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM draw_picks WHERE inspector1 >= 104 OR inspector2 >= 104", -1, 0), 0);
	CHECK_INT(draw_execute(&c, id, "2026-12-04", &n, &e), -1);
	CHECK_STR(e.code, "draw_already_run");

	CHECK_INT(draw_verify(d, id, &same, why, sizeof why, &e), 0);
	CHECK_INT(same, 1);
	CHECK(strstr(why, "与记录一致") != NULL);

	/* tamper with a stored pick: verify names the difference */
	exec(d, "UPDATE draw_picks SET inspector1 = inspector2, inspector2 = inspector1"
		" WHERE subject_id = (SELECT MIN(subject_id) FROM draw_picks)");
	CHECK_INT(draw_verify(d, id, &same, why, sizeof why, &e), 0);
	CHECK_INT(same, 0);
	CHECK(strstr(why, "执法检查人员与重新抽取的结果不同") != NULL);
	exec(d, "UPDATE draw_picks SET inspector1 = inspector2, inspector2 = inspector1"
		" WHERE subject_id = (SELECT MIN(subject_id) FROM draw_picks)");
	CHECK_INT(draw_verify(d, id, &same, why, sizeof why, &e), 0);
	CHECK_INT(same, 1);
	/* a revealed seed that is not the committed one */
	exec(d, "UPDATE draws SET seed = 'seed-y'");
	CHECK_INT(draw_verify(d, id, &same, why, sizeof why, &e), 0);
	CHECK_INT(same, 0);
	CHECK(strstr(why, "种子哈希不符") != NULL);

	/* refusals */
	CHECK_INT(create(d, "{\"sample\":10}", NULL, hash, &e), -1);
	CHECK_STR(e.field, "bodies");
	CHECK(strstr(e.msg, "执法检查人员所属单位") != NULL);
	CHECK_INT(create(d, "{\"sample\":10,\"rate\":5,\"bodies\":[1]}", NULL, hash, &e), -1);
	CHECK(strstr(e.msg, "应填且只填一项") != NULL);
	id = create(d, "{\"sample\":59,\"bodies\":[1],\"region\":\"330102\"}", NULL, hash, &e);
	CHECK(id > 0);
	CHECK_INT(draw_execute(&c, id, "2026-12-04", &n, &e), -1);
	CHECK_STR(e.code, "draw_sample_too_large");
	CHECK(strstr(e.msg, "符合条件的企业数 30") != NULL);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM draw_picks WHERE draw_id = 2", -1, 0), 0);

	/* plans: a matter without a planner is refused; with one, each pick
	 * becomes a plan in the run's transaction, and one refused plan
	 * leaves nothing written (the draw stays unrun) */
	const char *planned = "{\"sample\":5,\"bodies\":[1],\"matter\":7,\"window_from\":\"2027-01-04\","
			      "\"window_to\":\"2027-01-29\"}";
	draw_planner_set(NULL);
	CHECK_INT(create(d, planned, NULL, hash, &e), -1);
	CHECK_STR(e.code, "draw_no_planner");
	draw_planner_set(&fake);
	CHECK_INT(create(d, "{\"sample\":5,\"bodies\":[1],\"matter\":8,\"window_from\":\"2027-01-04\","
			    "\"window_to\":\"2027-01-29\"}", NULL, hash, &e), -1);
	CHECK_STR(e.field, "matter");
	CHECK_INT(create(d, "{\"sample\":5,\"bodies\":[1],\"matter\":7,\"window_from\":\"2027-01-04\","
			    "\"window_to\":\"2027-01-03\"}", NULL, hash, &e), -1);
	CHECK_STR(e.field, "window_to");
	CHECK_INT(create(d, "{\"sample\":5,\"bodies\":[1],\"matter\":7}", NULL, hash, &e), -1);
	CHECK_STR(e.field, "window_from");
	id = create(d, planned, "seed-p", hash, &e);
	CHECK(id > 0);
	fail_at = 3;
	CHECK_INT(draw_execute(&c, id, "2026-12-04", &n, &e), -1);
	CHECK_STR(e.code, "plan_refused");
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM draw_picks WHERE draw_id = 3", -1, 0), 0);
	CHECK_INT(db_query_int(d, "SELECT COUNT(*) FROM draws WHERE id = 3 AND revealed_at IS NULL", -1, 0), 1);
	plans = 0;
	fail_at = 0;
	CHECK_INT(draw_execute(&c, id, "2026-12-04", &n, &e), 0);
	CHECK_INT(plans, 5);
	CHECK(strncmp(last_officers, "Z", 1) == 0 && strstr(last_officers, "、Z") != NULL);
	CHECK_INT(draw_verify(d, id, &same, why, sizeof why, &e), 0);
	CHECK_INT(same, 1);
	draw_planner_set(NULL);
	db_close(d);
	return t_done();
}
