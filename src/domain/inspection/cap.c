/*
 * cap.c — how often one body may check one enterprise: routine checks (not
 * 重点检查 or 投诉举报) per year up to the setting cap_per_year, and none
 * within quiet_days after the last (优化营商环境条例 第五十四条; the numbers
 * are the locality's: rules.c, else the register's settings). Beyond
 * either, 报备 needs the approval of the body's 负责人 (cap_approval,
 * written by the department role).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/inspection/inspection.h"

#include "clock.h"
#include "query.h"

int insp_routine(const char *kind)
{
	return kind && strcmp(kind, "重点检查") != 0 && strcmp(kind, "投诉举报") != 0;
}

/* day - days as YYYY-MM-DD, or "" when day is no date. */
static void days_before(const char *day, int days, char out[DATE_STR])
{
	struct date d;
	out[0] = 0;
	if (date_parse(day, &d) != 0)
		return;
	date_format(date_from_days(date_to_days(d) - days), out);
}

int insp_prior(const struct rec_ctx *c, const struct record *rec, int quiet_days, int *n, char *quiet, struct fz_err *e)
{
	json_int_t who = json_integer_value(json_object_get(rec->data, "enterprise"));
	const char *from = insp_val(rec, "window_from");
	char since[DATE_STR];
	*n = 0;
	quiet[0] = 0;
	if (!from)
		return 0;
	if (quiet_days > 0) /* 0: no quiet period */
		days_before(from, quiet_days, since);
	else
		since[0] = 0;
	db_stmt *st = db_prepare(c->d, "SELECT data FROM records WHERE register = 'inspection' AND body_id = $1 AND id <> $2"
				       " AND state NOT IN ('plan', 'cancelled')");
	if (st) {
		db_bind_int(st, 1, rec->body_id);
		db_bind_int(st, 2, rec->id);
	}
	int rc = st ? db_step(st) : DB_ERR;
	for (; rc == DB_ROW; rc = db_step(st)) {
		json_t *o = json_loads(db_col_text(st, 0), 0, NULL);
		const char *kind = json_string_value(json_object_get(o, "inspection_kind"));
		const char *day = json_string_value(json_object_get(o, "window_from"));
		if (o && json_integer_value(json_object_get(o, "enterprise")) == who && insp_routine(kind) && day) {
			*n += strncmp(day, from, 4) == 0;
			if (*since && strcmp(day, since) >= 0 && strcmp(day, from) <= 0 && strcmp(day, quiet) > 0)
				snprintf(quiet, DATE_STR, "%s", day);
		}
		json_decref(o);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : fz_store(e, c->d);
}

int insp_cap_derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	char quiet[DATE_STR];
	struct insp_limits lim;
	int n;
	if (!insp_routine(insp_val(rec, "inspection_kind")))
		return 0;
	if (insp_limits(c, r, rec, &lim, e) != 0 || insp_prior(c, rec, lim.quiet, &n, quiet, e) != 0)
		return -1;
	json_object_set_new(rec->data, "year_ordinal", json_integer(n + 1));
	json_object_set_new(rec->data, "pair_first", json_string(n == 0 ? "是" : "否"));
	json_object_set_new(rec->data, "pair_over_cap", json_string(n == lim.cap ? "是" : "否"));
	return 0;
}

/* The enterprise's name, for the refusal. */
static void enterprise_name(const struct rec_ctx *c, const struct record *rec, char *out, size_t size)
{
	char id[24], *name = NULL;
	snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(rec->data, "enterprise")));
	db_lookup_text(c->d, "SELECT name FROM subjects WHERE id = CAST($1 AS INTEGER)", &name, 1, id);
	snprintf(out, size, "%s", name ? name : id);
	free(name);
}

int insp_cap_gate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	char quiet[DATE_STR], name[256], src[340];
	struct insp_limits lim;
	int n;
	if (!insp_routine(insp_val(rec, "inspection_kind")) || insp_val(rec, "cap_approval"))
		return 0;
	if (insp_limits(c, r, rec, &lim, e) != 0 || insp_prior(c, rec, lim.quiet, &n, quiet, e) != 0)
		return -1;
	enterprise_name(c, rec, name, sizeof name);
	snprintf(src, sizeof src, "%s", lim.rule ? lim.basis : "本地规定的检查频次上限");
	/* LAW: 优化营商环境条例 第五十四条 — 同一检查对象的多个检查事项尽可能合并（次数上限由本地规定） */
	if (n >= lim.cap)
		return fz_fail(e, 409, "inspection_over_cap", "cap_approval",
			       "%s %.4s 年已接受本机关日常检查 %d 次，达到上限 %d 次（%s）；再次检查须经本机关负责人批准并填写“超出检查频次上限或免检期内检查的批准情况”",
			       name, insp_val(rec, "window_from"), n, lim.cap, src);
	if (*quiet)
		return fz_fail(e, 409, "inspection_quiet_period", "cap_approval",
			       "%s 已于 %s 接受本机关日常检查，%d 日免检期内（%s）再次检查须经本机关负责人批准并填写“超出检查频次上限或免检期内检查的批准情况”",
			       name, quiet, lim.quiet, lim.rule ? lim.basis : "本地规定");
	return 0;
}
