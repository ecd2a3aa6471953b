/*
 * inspection.c — 涉企行政检查: the hooks of the register (domain.h).
 * derive takes the item's name and legal basis from the 执法事项清单 and
 * the year's ordinal at 报备 (cap.c); validate keeps the item a 行政检查,
 * the window ordered, the rating 1–5 and a case only behind 立案查处; gate
 * checks the officers at 报备 and 入企 (行政处罚法 第四十二条, 第五十五条),
 * the cap and quiet period at 报备, and the case at 记录检查结果;
 * after_write offers and follows joint visits (joint.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/inspection/inspection.h"
#include "domain/inspection/joint.h"

#include "officers.h"
#include "query.h"

const char *insp_val(const struct record *rec, const char *field)
{
	return record_text(rec, field);
}

/* The matter's data (new reference), or NULL when it names none. */
static json_t *matter(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e,
		      int *failed)
{
	json_t *v = json_object_get(rec->data, "matter");
	char id[24], *text = NULL;
	*failed = 0;
	if (!json_is_integer(v))
		return NULL;
	snprintf(id, sizeof id, "%lld", (long long)json_integer_value(v));
	int rc = db_lookup_text(c->d, "SELECT data FROM records WHERE id = CAST($1 AS INTEGER) AND register = $2", &text, 2, id,
				r->fields[register_field(r, "matter")].ref);
	if (rc < 0) {
		*failed = 1;
		fz_store(e, c->d);
		return NULL;
	}
	json_t *data = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	return data;
}

/* At 报备: the enterprise's credit grade then (信用风险分类, 国市监信发〔2022〕
 * 6号), and whether a 双随机 check drew a graded enterprise (item 1.3.4). */
static int grade(const struct rec_ctx *c, struct record *rec, struct fz_err *e)
{
	char id[24], *g = NULL;
	snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(rec->data, "enterprise")));
	if (db_lookup_text(c->d, "SELECT credit_grade FROM subjects WHERE id = CAST($1 AS INTEGER)", &g, 1, id) < 0)
		return fz_store(e, c->d);
	const char *kind = insp_val(rec, "inspection_kind");
	record_set_text(rec, "credit_grade", g ? g : "未分类");
	record_set_text(rec, "random_graded", kind && strcmp(kind, "随机抽查") == 0 ? (g ? "是" : "否") : NULL);
	free(g);
	return 0;
}

static int derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec,
		  const struct reg_transition *t, struct fz_err *e)
{
	int failed;
	json_t *m = matter(c, r, rec, e, &failed);
	if (failed)
		return -1;
	record_set_text(rec, "matter_name", json_string_value(json_object_get(m, "name")));
	record_set_text(rec, "basis", json_string_value(json_object_get(m, "basis")));
	json_decref(m);
	record_set_text(rec, "rating_given", json_object_get(rec->data, "rating") ? "是" : NULL);
	record_set_text(rec, "complained", insp_val(rec, "complaint") ? "是" : NULL);
	if (t && strcmp(t->name, "register") == 0)
		return grade(c, rec, e) || insp_cap_derive(c, r, rec, e) ? -1 : 0;
	return 0;
}

static int validate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	int failed;
	json_t *m = matter(c, r, rec, e, &failed);
	if (failed)
		return -1;
	const char *kind = json_string_value(json_object_get(m, "kind"));
	int ok = !m || (kind && strcmp(kind, "行政检查") == 0);
	json_decref(m);
	if (!ok)
		return fz_invalid(e, "matter", "检查事项应为执法事项清单中类别为“行政检查”的事项");
	const char *from = insp_val(rec, "window_from"), *to = insp_val(rec, "window_to"), *result = insp_val(rec, "result");
	if (from && to && strcmp(to, from) < 0)
		return fz_invalid(e, "window_to", "计划检查截止日期不能早于计划检查起始日期 %s", from);
	json_t *rating = json_object_get(rec->data, "rating");
	if (rating && (json_integer_value(rating) < 1 || json_integer_value(rating) > 5))
		return fz_invalid(e, "rating", "企业评价应为 1 到 5 分");
	if (json_object_get(rec->data, "case") && (!result || strcmp(result, "立案查处") != 0))
		return fz_invalid(e, "case", "检查结果为“立案查处”时才关联行政处罚案件");
	return 0;
}

static int gate(const struct rec_ctx *c, const struct reg_def *r, const struct reg_transition *t,
		const struct record *rec, struct fz_err *e)
{
	static const struct officers_rule rule = { "officers", "检查人员执法证号", "实施行政检查",
						   "行政处罚法第四十二条、第五十五条", "本次检查的实施机关" };
	int reg = strcmp(t->name, "register") == 0;
	if ((reg || strcmp(t->name, "check_in") == 0) &&
	    officers_check(c->d, rec->body_id, insp_val(rec, "officers"), c->today, &rule, e) != 0)
		return -1;
	if (reg)
		return insp_cap_gate(c, r, rec, e);
	const char *result = insp_val(rec, "result");
	if (strcmp(t->name, "record_result") == 0 && result && strcmp(result, "立案查处") == 0 &&
	    !json_object_get(rec->data, "case"))
		return fz_fail(e, 409, "case_required", "case",
			       "检查结果为“立案查处”的，须关联立案查处的行政处罚案件（立案查处的行政处罚案件）");
	return 0;
}

DOMAIN_HOOKS(inspection, .derive = derive, .validate = validate, .gate = gate, .after_write = joint_after_write,
	     .demo = inspection_demo)
