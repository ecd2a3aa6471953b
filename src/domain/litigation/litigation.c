/*
 * litigation.c — 行政应诉案件, where the declaration cannot:
 *   - the defence and its evidence due fifteen days after the copy of the
 *     complaint was received (the record's start date; 行政诉讼法 第六十七条);
 *   - the appeal window from the day the ruling was served: fifteen days for
 *     a judgment, ten for a ruling (第八十五条); a 调解书 takes effect when
 *     served; the ruling takes effect only once its window has passed;
 *   - 出庭率's numerator (the court notified the head and the head appeared,
 *     最高人民法院关于行政机关负责人出庭应诉若干问题的规定 第四条、第五条);
 *     an absent head's reason recorded (行政诉讼法 第三条第三款; 规定 第十二条);
 *   - a judgment lost must be performed before the case closes (第九十四条).
 * Periods are counted by the statutory clock, the last day moved off rest
 * days (recomputed when a calendar is loaded: redate).
 */
#include <stdio.h>
#include <string.h>

#include "domain/litigation/litigation.h"

#include "clock.h"
#include "due.h"

/* field = from + days, or removed when from is unset. */
static int set_days(struct record *rec, const char *field, const char *from, int days, struct fz_err *e)
{
	char day[DATE_STR];
	if (!from) {
		json_object_del(rec->data, field);
		return 0;
	}
	if (days == 0)
		snprintf(day, sizeof day, "%s", from);
	else if (deadline_after(from, DL_CALENDAR_DAYS, days, day) != 0)
		return fz_invalid(e, field, "无法从 %s 计算 %d 日的期限", from, days);
	json_object_set_new(rec->data, field, json_string(day));
	return 0;
}

static void set_flag(struct record *rec, const char *field, int known, int yes)
{
	record_set_text(rec, field, known ? (yes ? "是" : "否") : NULL);
}

static int dates(struct record *rec, struct fz_err *e)
{
	const char *kind = record_text(rec, "ruling_kind");
	/* LAW: 行政诉讼法 第六十七条 (15 日), 第八十五条 (判决 15 日, 裁定 10 日) */
	int appeal = !kind ? 15 : strcmp(kind, "裁定") == 0 ? 10 : strcmp(kind, "调解书") == 0 ? 0 : 15;
	return set_days(rec, "defence_due", rec->start_date, 15, e) ||
	       set_days(rec, "appeal_due", record_text(rec, "ruled_on"), appeal, e) ? -1 : 0;
}

static int derive(const struct rec_ctx *c, const struct reg_def *r, struct record *rec,
		  const struct reg_transition *t, struct fz_err *e)
{
	(void)c, (void)r, (void)t;
	int notified = record_is(rec, "head_notified", "是");
	set_flag(rec, "head_appeared_notified", notified && record_text(rec, "head_appeared"),
		 record_is(rec, "head_appeared", "是"));
	set_flag(rec, "must_perform", record_text(rec, "outcome") != NULL, record_is(rec, "outcome", "败诉"));
	return dates(rec, e);
}

static int redate(const struct rec_ctx *c, const struct reg_def *r, struct record *rec, struct fz_err *e)
{
	(void)c, (void)r;
	return dates(rec, e);
}

static int validate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	(void)c, (void)r;
	static const char *const after_start[] = { "defended_on", "hearing_date", "ruled_on", "performed_on" };
	for (size_t i = 0; i < sizeof after_start / sizeof after_start[0]; i++) {
		const char *v = record_text(rec, after_start[i]);
		if (v && strcmp(v, rec->start_date) < 0)
			return fz_invalid(e, after_start[i], "日期不能早于收到起诉状副本的日期 %s", rec->start_date);
	}
	const char *heard = record_text(rec, "hearing_date"), *ruled = record_text(rec, "ruled_on");
	if (heard && ruled && strcmp(ruled, heard) < 0)
		return fz_invalid(e, "ruled_on", "裁判文书送达日期不能早于开庭日期 %s", heard);
	if (record_is(rec, "head_appeared", "否") && !record_text(rec, "absence_reason"))
		return fz_invalid(e, "absence_reason", "负责人未出庭的，须写明理由并由相应的工作人员出庭（行政诉讼法第三条第三款；"
						      "最高人民法院关于行政机关负责人出庭应诉若干问题的规定第十二条）");
	return 0;
}

static int gate(const struct rec_ctx *c, const struct reg_def *r, const struct reg_transition *t,
		const struct record *rec, struct fz_err *e)
{
	(void)r;
	const char *due = record_text(rec, "appeal_due");
	if (strcmp(t->name, "take_effect") == 0 && due && strcmp(c->today, due) <= 0 && !record_is(rec, "ruling_kind", "调解书"))
		return fz_fail(e, 409, "appeal_window_open", "transition",
			       "上诉期限至 %s 届满，届满前未提起上诉的裁判才发生法律效力（行政诉讼法第八十五条）", due);
	if (strcmp(t->name, "close") == 0 && record_is(rec, "must_perform", "是"))
		return fz_fail(e, 409, "must_perform", "transition", "败诉的生效裁判须先履行，再结案（行政诉讼法第九十四条）");
	if (strcmp(t->name, "perform") == 0 && !record_is(rec, "must_perform", "是"))
		return fz_fail(e, 409, "nothing_to_perform", "transition", "只有败诉的生效裁判需要登记履行情况，其他案件直接结案");
	return 0;
}

/* Table 四 of the 政府信息公开 annual report: direct or after 复议; 胜诉 and
 * 驳回起诉 keep the act, 败诉 corrects it, 撤诉 and 调解 are other. */
static const char *dispute(const struct record *rec, const char **result)
{
	const char *o = record_text(rec, "outcome");
	*result = !o ? "尚未审结" : !strcmp(o, "败诉") ? "结果纠正" : !strcmp(o, "胜诉") || !strcmp(o, "驳回起诉") ? "结果维持" : "其他结果";
	return json_integer_value(json_object_get(rec->data, "prior_review")) > 0 ? "复议后起诉" : "未经复议直接起诉";
}

/* The 期限说明: the defence's period and the appeal window, explained. */
static int deadlines(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, json_t *list,
		     struct fz_err *e)
{
	(void)c, (void)r;
	const char *kind = record_text(rec, "ruling_kind"), *ruled = record_text(rec, "ruled_on");
	struct deadline_rule defence = { .kind = DL_CALENDAR_DAYS, .days = 15, .basis = "行政诉讼法 第六十七条" };
	struct deadline_rule appeal = { .kind = DL_CALENDAR_DAYS, .days = kind && !strcmp(kind, "裁定") ? 10 : 15,
					.basis = "行政诉讼法 第八十五条" };
	char day[DATE_STR];
	if (due_line(list, "defence_due", "提交答辩状和证据的期限", rec->start_date, &defence, NULL, 0, day) != 0 ||
	    (ruled && !record_is(rec, "ruling_kind", "调解书") &&
	     due_line(list, "appeal_due", "上诉期限届满日", ruled, &appeal, NULL, 0, day) != 0))
		return fz_invalid(e, "start_date", "无法计算期限");
	return 0;
}

DOMAIN_HOOKS(litigation, .derive = derive, .redate = redate, .validate = validate, .gate = gate, .dispute = dispute,
	     .deadlines = deadlines, .demo = litigation_demo)
