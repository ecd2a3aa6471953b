/*
 * draw_plans.c — a 双随机 draw's picks become plans of this register
 * (draw_store.h's planner): each drawn enterprise a record in state 计划
 * of the drawing body, inspection_kind 随机抽查, the draw's matter and
 * window, the two drawn inspectors' 执法证号 and the draw's id. Created
 * through record_create, so every hook and counter applies; the cap and
 * the quiet period are checked at 报备 as for every plan (cap.c): an
 * enterprise over its cap needs the head's approval there, or the plan is
 * cancelled with its reason (docs/draws.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/inspection/inspection.h"

#include "draw_store.h"

static const struct reg_def *self(void)
{
	return register_find("inspection");
}

/* The matter is a record of the register the matter field refers to, of
 * kind 行政检查 (validate refuses the rest too; this names it before the
 * draw is stored). */
static int check(db *d, int64_t matter, struct fz_err *e)
{
	const struct reg_def *r = self();
	char id[24], *text = NULL;
	if (!r)
		return fz_fail(e, 409, "draw_no_planner", "matter", "没有登记簿接收抽查结果生成的检查计划");
	snprintf(id, sizeof id, "%lld", (long long)matter);
	int rc = db_lookup_text(d, "SELECT data FROM records WHERE id = CAST($1 AS INTEGER) AND register = $2", &text, 2,
				id, r->fields[register_field(r, "matter")].ref);
	if (rc < 0)
		return fz_store(e, d);
	json_t *data = text ? json_loads(text, 0, NULL) : NULL;
	const char *kind = json_string_value(json_object_get(data, "kind"));
	int ok = kind && strcmp(kind, "行政检查") == 0;
	free(text);
	json_decref(data);
	if (rc == DB_DONE)
		return fz_invalid(e, "matter", "「检查事项」不存在：编号 %s", id);
	return ok ? 0 : fz_invalid(e, "matter", "「检查事项」应为执法事项清单中类别为“行政检查”的事项");
}

static int make(struct rec_ctx *c, const struct draw_plan *p, int64_t subject, const char *officers, int64_t *plan,
		struct fz_err *e)
{
	const struct reg_def *r = self();
	char *code = NULL, id[24];
	snprintf(id, sizeof id, "%lld", (long long)p->body_id);
	if (db_lookup_text(c->d, "SELECT code FROM bodies WHERE id = CAST($1 AS INTEGER)", &code, 1, id) != DB_ROW)
		return fz_store(e, c->d);
	json_t *data = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I}", "enterprise", (json_int_t)subject, "matter",
				 (json_int_t)p->matter, "inspection_kind", "随机抽查", "window_from", p->from, "window_to",
				 p->to, "officers", officers, "draw", (json_int_t)p->draw_id);
	int rc = record_create(c, r, code, c->today, data, plan, e);
	json_decref(data);
	free(code);
	return rc;
}

static const struct draw_planner planner = { check, make };

__attribute__((constructor)) static void inspection_draw_plans(void)
{
	draw_planner_set(&planner);
}
