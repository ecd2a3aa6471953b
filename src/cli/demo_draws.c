/* demo_draws.c — the demo's 双随机 draw (demo_draws.h). */
#include "demo_draws.h"

#include <stdio.h>

#include "draw_store.h"
#include "record.h"
#include "settings.h"

/* Grades by id: D 2 %, C 6 %, B about 36 %, A the rest; industries round
 * a short list. The same on both backends (integer arithmetic only). */
static const char *const grades_sql =
	"UPDATE subjects SET credit_grade = CASE WHEN id % 50 = 0 THEN 'D' WHEN id % 50 IN (1, 2, 3) THEN 'C'"
	" WHEN id % 5 IN (1, 2) THEN 'B' ELSE 'A' END,"
	" industry = CASE id % 6 WHEN 0 THEN '制造业' WHEN 1 THEN '批发和零售业' WHEN 2 THEN '住宿和餐饮业'"
	" WHEN 3 THEN '建筑业' WHEN 4 THEN '交通运输、仓储和邮政业' ELSE '租赁和商务服务业' END"
	" WHERE kind = 'enterprise'";

int demo_grades(db *d, struct fz_err *e)
{
	return db_exec(d, grades_sql) == 0 ? 0 : fz_store(e, d);
}

int demo_draw(db *d, const char *city, const char *today, struct fz_err *e)
{
	char code[64], zd[64], path[160] = "", hash[65], seed[32];
	int64_t body = 0, team = 0, id = 0;
	int n = 0;
	snprintf(code, sizeof code, "B%s-SCJG", city);
	snprintf(zd, sizeof zd, "B%s-SCJG-ZD", city);
	if (db_lookup_int(d, "SELECT id FROM bodies WHERE code = $1", &body, 1, code) != DB_ROW ||
	    db_lookup_int(d, "SELECT id FROM bodies WHERE code = $1", &team, 1, zd) != DB_ROW)
		return 0; /* a demo without the bureau: no draw */
	db_stmt *st = db_prepare(d, "SELECT region_path FROM bodies WHERE id = $1");
	db_bind_int(st, 1, body);
	if (db_step(st) == DB_ROW)
		snprintf(path, sizeof path, "%s", db_col_text(st, 0));
	db_done(st);
	/* a small demo may lack the officers or enterprises: no draw then */
	int64_t inspectors = -1, enterprises = -1;
	st = db_prepare(d, "SELECT (SELECT COUNT(*) FROM people WHERE body_id IN ($1, $2) AND cert_status = 'active'"
			   " AND cert_no IS NOT NULL), (SELECT COUNT(*) FROM subjects WHERE kind = 'enterprise')");
	db_bind_int(st, 1, body);
	db_bind_int(st, 2, team);
	if (db_step(st) == DB_ROW) {
		inspectors = db_col_int(st, 0);
		enterprises = db_col_int(st, 1);
	}
	db_done(st);
	if (inspectors < 0)
		return fz_store(e, d);
	if (inspectors < 2 * DRAW_PER_TARGET || enterprises < 10)
		return 0;
	struct settings s;
	settings_defaults(&s);
	json_t *spec = json_pack("{s:i, s:[I, I], s:b}", "sample", enterprises >= 200 ? 20 : (int)enterprises / 10, "bodies", (json_int_t)body, (json_int_t)team,
				 "avoid_same_region", 0);
	snprintf(seed, sizeof seed, "demo-%.4s-1", today);
	struct draw_new in = { body, city, path, "市场监管领域“双随机、一公开”抽查（演示）", spec, 0, s.draw_weight, seed };
	int rc = draw_create(d, &in, &id, hash, e);
	json_decref(spec);
	if (rc == 0) {
		struct rec_ctx c;
		rec_ctx_init(&c, d, NULL, NULL);
		rc = draw_execute(&c, id, today, &n, e);
	}
	return rc;
}
