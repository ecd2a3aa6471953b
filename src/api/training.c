/*
 * training.c — /api/v1/people/{id}/training: an officer's training courses
 * (执法人员培训) and the year's hours against the setting
 * training_min_hours (training.h): read with the people, recorded by
 * those who keep the people list, in scope, audited.
 */
#include "api.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cntime.h"
#include "fields.h"
#include "training.h"
#include "validate.h"

/* The person within the caller's scope: 1, 0 (404 answered), -1 (500 answered). */
static int person_in_scope(struct api *a, int64_t id)
{
	struct query q;
	query_init(&q, "SELECT p.id FROM people p WHERE 1 = 1");
	scope_filter(&q, &a->user, "p.region_path", "p.body_id");
	query_add(&q, " AND p.id = ?", "i", id);
	db_stmt *st = query_prepare(a->db, &q);
	int rc = db_step(st);
	db_done(st);
	query_free(&q);
	if (rc == DB_DONE)
		api_not_found(a);
	else if (rc != DB_ROW)
		api_error(a, 500, "store_error", NULL, "查询失败: %s", db_errmsg(a->db));
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static void list(struct api *a)
{
	int64_t id = api_param_id(a, 0);
	char today[11], year[8];
	const char *y = http_query(a->r, "year");
	cn_today(today);
	if (y && (strlen(y) != 4 || strspn(y, "0123456789") != 4)) {
		api_error(a, 400, "bad_param", "year", "参数 year 应为四位年份");
		return;
	}
	snprintf(year, sizeof year, "%.4s", y ? y : today);
	if (id <= 0 || person_in_scope(a, id) <= 0)
		return;
	db_stmt *st = db_prepare(a->db, "SELECT t.id, t.day, t.hours, t.course, t.organizer,"
					" COALESCE(NULLIF(u.display_name, ''), u.username, '') FROM officer_training t"
					" LEFT JOIN users u ON u.id = t.recorded_by WHERE t.person_id = $1"
					" AND substr(t.day, 1, 4) = $2 ORDER BY t.day, t.id");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, year);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I, s:s, s:I, s:s, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0),
						       "day", db_col_text(st, 1), "hours", (json_int_t)db_col_int(st, 2),
						       "course", db_col_text(st, 3), "organizer", db_col_text(st, 4),
						       "recorded_by", db_col_text(st, 5)));
	db_done(st);
	int64_t hours = training_hours(a->db, id, year);
	if (hours < 0 || db_failures(a->db)) {
		json_decref(items);
		api_error(a, 500, "store_error", NULL, "查询失败: %s", db_errmsg(a->db));
		return;
	}
	int min = a->app->cfg.training_min_hours;
	api_json(a, 200, json_pack("{s:o, s:s, s:I, s:i, s:b}", "items", items, "year", year, "hours", (json_int_t)hours,
				   "min_hours", min, "met", hours >= min));
}

static int read_course(struct api *a, const char **day, int64_t *hours, const char **course, const char **organizer,
		       struct fz_err *e)
{
	char today[11], why[128];
	json_t *h = json_object_get(a->body, "hours");
	cn_today(today);
	if (field_str(a->body, "day", "培训日期", 1, 10, day, e) || field_str(a->body, "course", "培训内容", 1, 100, course, e) ||
	    field_str(a->body, "organizer", "组织单位", 0, 100, organizer, e))
		return -1;
	if (validate_date(*day, why, sizeof why) != 0 || strcmp(*day, today) > 0 || strcmp(*day, "2000-01-01") < 0)
		return fz_invalid(e, "day", "培训日期应为 2000 年以后、不晚于今天的日期（YYYY-MM-DD）");
	if (!json_is_integer(h) || json_integer_value(h) < 1 || json_integer_value(h) > TRAINING_MAX_HOURS)
		return fz_invalid(e, "hours", "学时应为 1 到 %d 的整数", TRAINING_MAX_HOURS);
	*hours = json_integer_value(h);
	return 0;
}

static void create(struct api *a)
{
	int64_t id = api_param_id(a, 0), tid = 0;
	struct fz_err e = { 0 };
	const char *day, *course, *organizer = NULL;
	int64_t hours = 0;
	if (id <= 0 || person_in_scope(a, id) <= 0)
		return;
	if (read_course(a, &day, &hours, &course, &organizer, &e) != 0) {
		api_fail(a, &e);
		return;
	}
	db_stmt *st = db_begin(a->db) != 0 ? NULL
			: db_prepare(a->db, "INSERT INTO officer_training(person_id, day, hours, course, organizer, recorded_by,"
					    " recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, day);
	db_bind_int(st, 3, hours);
	db_bind_text(st, 4, course);
	db_bind_text(st, 5, organizer ? organizer : "");
	db_bind_int(st, 6, a->user.id);
	db_bind_int(st, 7, (int64_t)time(NULL));
	if (db_step(st) == DB_ROW)
		tid = db_col_int(st, 0);
	db_done(st);
	int rc = tid ? api_audit(a, "create", "training", tid, "ok",
				 json_pack("{s:I, s:s, s:I, s:s}", "person", (json_int_t)id, "day", day, "hours",
					   (json_int_t)hours, "course", course)) : -1;
	if (api_commit_or_fail(a, rc, &e) == 0)
		api_json(a, 201, json_pack("{s:I, s:I, s:s, s:I, s:s}", "id", (json_int_t)tid, "person_id", (json_int_t)id,
					   "day", day, "hours", (json_int_t)hours, "course", course));
}

API_ROUTES(training,
	   { "GET", "/api/v1/people/{id}/training", list, PERM_ORG_READ, 0 },
	   { "POST", "/api/v1/people/{id}/training", create, PERM_PEOPLE_WRITE, 0, 0,
	     FIELDS("day", "hours", "course", "organizer") })
