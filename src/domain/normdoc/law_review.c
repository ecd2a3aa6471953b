/*
 * law_review.c — when a law the library holds is amended or repealed, each
 * 行政规范性文件 in force that cites it (its 制定依据 names the law) gets a
 * review task: a 整改 item of its body, source 上位法立改废, due the
 * setting law_review_days after the change (国办发〔2018〕37号: 上位法修改、废止的
 * 及时评估清理), linked from the document.
 */
#include <stdio.h>
#include <string.h>

#include "domain/normdoc/normdoc.h"

#include "clock.h"
#include "law_file.h"
#include "settings.h"

#define SOURCE "上位法立改废"

static int open_task(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, const char *law,
		     const char *change, const char *day, struct fz_err *e)
{
	char issue[600], due[DATE_STR];
	struct settings defaults;
	if (!c->cfg)
		settings_defaults(&defaults);
	if (deadline_after(day, DL_CALENDAR_DAYS, (c->cfg ? c->cfg : &defaults)->law_review_days, due) != 0)
		return fz_invalid(e, "day", "无法计算评估期限");
	snprintf(issue, sizeof issue, "《%s》已%s（%s 起），请评估《%.200s》（%s）是否需要修改或者废止", law, change, day,
		 record_text(rec, "title") ? record_text(rec, "title") : "", record_text(rec, "doc_number") ? record_text(rec, "doc_number") : "未编号");
	json_object_del(rec->data, "remedy"); /* a new task for each change */
	return domain_remedy(c, r, rec, SOURCE, issue, due, day, e);
}

int normdoc_law_changed(const struct rec_ctx *c, const struct reg_def *r, const char *law_title, const char *change,
			const char *day, int *opened, struct fz_err *e)
{
	const char *law = law_short_title(law_title);
	db_stmt *st = db_prepare(c->d, "SELECT id, body_id, data FROM records WHERE register = 'normdoc'"
				       " AND state IN ('issued', 'published', 'filed', 'correcting', 'corrected', 'in_force') ORDER BY id");
	json_t *hits = json_array(); /* [[id, body, data]] of the citing documents */
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *o = json_loads(db_col_text(st, 2), 0, NULL);
		const char *cited = json_string_value(json_object_get(o, "cited_laws"));
		if (cited && *law && strstr(cited, law))
			json_array_append_new(hits, json_pack("[I, I, o]", (json_int_t)db_col_int(st, 0), (json_int_t)db_col_int(st, 1), o));
		else
			json_decref(o);
	}
	db_done(st);
	int bad = rc != DB_DONE ? fz_store(e, c->d) : 0;
	size_t i;
	json_t *h;
	json_array_foreach(hits, i, h) {
		struct record rec = { .id = json_integer_value(json_array_get(h, 0)), .body_id = json_integer_value(json_array_get(h, 1)),
				      .data = json_array_get(h, 2) };
		if (bad || open_task(c, r, &rec, law, change, day, e) != 0) {
			bad = -1;
			break;
		}
		(*opened)++;
	}
	json_decref(hits);
	return bad ? -1 : 0;
}
