/*
 * board.c — GET /api/v1/board: the progress board by body in scope under a
 * region — its assignments (牵头/配合, done, overdue, average progress) and
 * the open and overdue items of the register that receives gaps, overdue
 * judged by today; JSON or .xlsx (the 通报 is built from it).
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/eval_args.h"
#include "cntime.h"
#include "eval.h"
#include "register.h"

/* Per body in scope under region: assignments and the open and overdue
 * items of the register that receives gaps (items_open, items_overdue). */
static json_t *board_rows(struct api *a, const char *path, const char *sys)
{
	char today[11];
	const struct reg_def *gaps = register_gap_receiver();
	cn_today(today);
	struct query q;
	query_init(&q, "SELECT b.id, b.code, b.name,"
		       " (SELECT COUNT(*) FROM assignments x WHERE x.body_id = b.id AND x.system_id = ?1 AND x.role = 'lead'),"
		       " (SELECT COUNT(*) FROM assignments x WHERE x.body_id = b.id AND x.system_id = ?1 AND x.role = 'cooperate'),"
		       " (SELECT COUNT(*) FROM assignments x WHERE x.body_id = b.id AND x.system_id = ?1 AND x.done_date IS NOT NULL),"
		       " (SELECT COUNT(*) FROM assignments x WHERE x.body_id = b.id AND x.system_id = ?1 AND x.done_date IS NULL AND x.due_date < ?2),"
		       " (SELECT COALESCE(AVG(x.progress), 0) FROM assignments x WHERE x.body_id = b.id AND x.system_id = ?1),"
		       " (SELECT COUNT(*) FROM records r WHERE r.body_id = b.id AND r.register = ?3 AND r.closed_date IS NULL),"
		       " (SELECT COUNT(*) FROM records r WHERE r.body_id = b.id AND r.register = ?3 AND r.met_date IS NULL AND r.due_date < ?2)"
		       " FROM bodies b WHERE 1 = 1");
	/* ?1…?3 repeat: bind them once as $1…$3. */
	for (char *p = q.sql; (p = strchr(p, '?')); p++)
		*p = '$';
	q.len = (int)strlen(q.sql);
	q.n = 3;
	q.p[0].s = strdup(sys);
	q.p[1].s = strdup(today);
	q.p[2].s = strdup(gaps ? gaps->name : "");
	scope_subtree(&q, "b.region_path", path);
	q.failed |= !q.p[0].s || !q.p[1].s || !q.p[2].s; /* no memory: never prepared */
	scope_filter(&q, &a->user, "b.region_path", "b.id");
	query_raw(&q, " ORDER BY b.region_path, b.id");
	db_stmt *st = query_prepare(a->db, &q);
	json_t *rows = json_array();
	while (st && db_step(st) == DB_ROW) {
		int64_t lead = db_col_int(st, 3), coop = db_col_int(st, 4), open = db_col_int(st, 8);
		if (lead + coop + open == 0)
			continue;
		json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			"body_id", (json_int_t)db_col_int(st, 0), "body_code", db_col_text(st, 1), "body_name", db_col_text(st, 2),
			"lead", (json_int_t)lead, "cooperate", (json_int_t)coop, "done", (json_int_t)db_col_int(st, 5),
			"overdue", (json_int_t)db_col_int(st, 6), "avg_progress", (json_int_t)db_col_int(st, 7),
			"items_open", (json_int_t)open, "items_overdue", (json_int_t)db_col_int(st, 9)));
	}
	db_done(st);
	query_free(&q);
	return rows;
}

static void board(struct api *a)
{
	struct eval_args x;
	const char *sys = http_query(a->r, "system");
	struct fz_err e = { 0 };
	if (api_eval_region(a, http_query(a->r, "region"), &x) != 0)
		return;
	struct indicator_system *s = eval_system(a->db, sys && *sys ? sys : NULL, &e);
	if (!s) {
		api_fail(a, &e);
		return;
	}
	int year;
	if (api_query_year(a, &year, &e) != 0) {
		api_fail(a, &e);
		indicator_system_free(s);
		return;
	}
	json_t *rows = board_rows(a, x.path, s->id);
	const char *format = http_query(a->r, "format");
	if (format && strcmp(format, "xlsx") == 0) {
		const struct reg_def *g = register_gap_receiver();
		const struct list_col bcols[] = {
			{ "body_name", "责任单位", 0 }, { "lead", "牵头指标", 1 }, { "cooperate", "配合指标", 1 },
			{ "done", "已完成", 1 }, { "overdue", "逾期未完成", 1 }, { "avg_progress", "平均进度(%)", 1 },
			{ "items_open", g ? g->gaps.open_label : "未办结事项", 1 },
			{ "items_overdue", g ? g->gaps.overdue_label : "逾期事项", 1 },
			{ NULL, NULL, 0 },
		};
		api_send_xlsx(a, bcols, rows, "进度通报");
		json_decref(rows);
		indicator_system_free(s);
		return;
	}
	const struct reg_def *g = register_gap_receiver();
	json_t *rankings = board_rankings(a, x.path, year);
	if (!rankings) {
		json_decref(rows);
		indicator_system_free(s);
		fz_store(&e, a->db);
		api_fail(a, &e);
		return;
	}
	api_json(a, 200, json_pack("{s:s, s:s, s:s, s:o, s:I, s:{s:s?, s:s?, s:s?}, s:i, s:o}", "system", s->id, "region",
				   x.region, "region_name", x.name, "items", rows, "total", (json_int_t)json_array_size(rows),
				   "items_register", "name", g ? g->name : NULL, "open_label", g ? g->gaps.open_label : NULL,
				   "overdue_label", g ? g->gaps.overdue_label : NULL, "year", year, "rankings", rankings));
	indicator_system_free(s);
}

API_ROUTES(board, { "GET", "/api/v1/board", board, PERM_EVAL_READ, 0 })
