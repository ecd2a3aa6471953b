/*
 * scan_act.c — the acts an enterprise takes from its 入企码 page, the token
 * being the authority (POST /c/{token}/{action}, a small JSON object):
 * confirm the arrival at 已报备 (its time kept, then 入企检查 performed by the
 * system on its behalf: the officers' certificates checked by the gate),
 * rate 1–5 after 已记录结果, complain (a supervision item of the register
 * receiving gaps, source 企业投诉, for the inspecting body, made in the same
 * transaction and referred to the 司法局's coordinators). Each once; each
 * act and each refusal audited as the enterprise via its 入企码.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "domain/inspection/inspection.h"
#include "domain/inspection/scan.h"

#include "cntime.h"
#include "due.h"
#include "validate.h"

#define COMPLAINT_SOURCE "企业投诉" /* the supervision item's source (a choice of its register) */
#define ISSUE_MAX 500            /* characters: the item's issue field's "max" */
#define COMMENT_MAX 500
#define COMPLAINT_MAX 2000

/* Characters (UTF-8 code points) in s. */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* A text the enterprise wrote: a string of 1..max characters after
 * trimming (0..max when optional); *out NULL when absent and optional. */
static int text_in(json_t *body, const char *key, const char *label, int required, size_t max, const char **out,
		   struct fz_err *e)
{
	json_t *v = json_object_get(body, key);
	const char *s = json_string_value(v);
	*out = NULL;
	if (!v || json_is_null(v))
		return required ? fz_invalid(e, key, "请填写%s", label) : 0;
	if (!s)
		return fz_invalid(e, key, "%s应为文字", label);
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	if (required && !*s)
		return fz_invalid(e, key, "请填写%s", label);
	if (chars(s) > max)
		return fz_invalid(e, key, "%s不能超过 %zu 个字", label, max);
	*out = *s ? s : NULL;
	return 0;
}

static const char *state_label(const struct insp_scan *s)
{
	return s->r->states[s->rec.state].label;
}

static int before_result(const char *st)
{
	return strcmp(st, "plan") == 0 || strcmp(st, "registered") == 0 || strcmp(st, "checked_in") == 0;
}

static int confirm(struct api *a, struct insp_scan *s, struct fz_err *e)
{
	const char *st = insp_state(s), *at = insp_val(&s->rec, "confirmed_at");
	char now[20];
	(void)a;
	if (strcmp(st, "plan") == 0)
		return fz_fail(e, 409, "not_registered", NULL, "本次检查尚未报备，不能确认入企");
	if (at)
		return fz_fail(e, 409, "already_confirmed", NULL, "本企业已于 %s 确认入企，不能重复确认", at);
	if (strcmp(st, "registered") != 0)
		return fz_fail(e, 409, "wrong_state", NULL, "本次检查当前为“%s”，不能再确认入企", state_label(s));
	cn_format_time((int64_t)time(NULL), now);
	json_t *patch = json_pack("{s:s}", "confirmed_at", now);
	int rc = record_transition(&s->ctx, s->r, s->rec.id, "check_in", patch, e);
	json_decref(patch);
	return rc;
}

static int rate(struct api *a, struct insp_scan *s, struct fz_err *e)
{
	json_t *v = json_object_get(a->body, "rating"), *given = json_object_get(s->rec.data, "rating");
	const char *st = insp_state(s), *comment;
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 5)
		return fz_invalid(e, "rating", "评分应为 1 到 5 的整数");
	if (text_in(a->body, "comment", "评价意见", 0, COMMENT_MAX, &comment, e) != 0)
		return -1;
	if (before_result(st))
		return fz_fail(e, 409, "no_result_yet", NULL, "检查结果记录后才能评价（本次检查当前为“%s”）", state_label(s));
	if (given)
		return fz_fail(e, 409, "already_rated", NULL, "本企业已评价本次检查（%lld 分），不能重复评价",
			       (long long)json_integer_value(given));
	if (strcmp(st, "result_recorded") != 0)
		return fz_fail(e, 409, "wrong_state", NULL, "本次检查当前为“%s”，不能评价", state_label(s));
	json_t *patch = json_pack("{s:O, s:s?}", "rating", v, "rating_comment", comment);
	int rc = record_transition(&s->ctx, s->r, s->rec.id, "rate", patch, e);
	json_decref(patch);
	return rc;
}

/* The supervision item's issue: who complained of which visit, and what. */
static void issue_text(const struct insp_scan *s, const char *text, char *out, size_t n)
{
	const char *day = insp_val(&s->rec, "checked_in_on");
	const char *matter = insp_val(&s->rec, "matter_name");
	snprintf(out, n, "企业投诉：%s 对 %s %s 实施的涉企行政检查（%s）提出投诉：%s", s->enterprise, s->body,
		 day ? day : insp_val(&s->rec, "window_from"), matter ? matter : "检查事项未载明", text);
	size_t k = 0;
	for (size_t i = 0; out[i]; i++) /* at most ISSUE_MAX characters, cut at a character's start */
		if (((unsigned char)out[i] & 0xC0) != 0x80 && ++k > ISSUE_MAX) {
			out[i] = 0;
			break;
		}
	utf8_scrub(out);
}

/* The supervision item for the complaint; *id its id. */
static int refer(struct api *a, struct insp_scan *s, const char *text, int64_t *id, struct fz_err *e)
{
	const struct reg_def *g = register_gap_receiver();
	char issue[8192], due[11];
	if (!g)
		return fz_fail(e, 409, "no_gap_register", NULL, "没有登记簿接收监督事项（登记簿定义中未声明 receives_gaps）");
	issue_text(s, text, issue, sizeof issue);
	due_soon_until(s->ctx.today, domain_setting(&s->ctx, s->r, "complaint_working_days"), due);
	json_t *data = json_pack("{s:s, s:s, s:s}", g->fields[g->gaps.source_field].name, COMPLAINT_SOURCE,
				 g->fields[g->gaps.issue_field].name, issue, g->fields[g->deadline.field].name, due);
	int rc = record_create(&s->ctx, g, s->body_code, NULL, data, id, e);
	json_decref(data);
	if (rc == 0 && api_audit(a, "refer", g->name, *id, "ok",
				 json_pack("{s:s, s:s, s:I}", "source", COMPLAINT_SOURCE, "origin", "inspection",
					   "origin_id", (json_int_t)s->rec.id)) != 0)
		rc = fz_store(e, a->db);
	return rc;
}

static int complain(struct api *a, struct insp_scan *s, struct fz_err *e)
{
	const char *st = insp_state(s), *text;
	int64_t item = 0;
	if (text_in(a->body, "text", "投诉内容", 1, COMPLAINT_MAX, &text, e) != 0)
		return -1;
	if (before_result(st))
		return fz_fail(e, 409, "no_result_yet", NULL,
			       "检查结果记录后才能在此投诉（本次检查当前为“%s”）；对检查有异议的，可拨打 12345 政务服务便民热线",
			       state_label(s));
	if (insp_val(&s->rec, "complaint"))
		return fz_fail(e, 409, "already_complained", NULL, "本企业已就本次检查投诉，不能重复投诉");
	if (strcmp(st, "result_recorded") != 0 && strcmp(st, "rated") != 0)
		return fz_fail(e, 409, "wrong_state", NULL, "本次检查当前为“%s”，不能投诉", state_label(s));
	if (refer(a, s, text, &item, e) != 0)
		return -1;
	json_t *patch = json_pack("{s:s, s:I}", "complaint", text, "complaint_item", (json_int_t)item);
	int rc = record_transition(&s->ctx, s->r, s->rec.id, "complain", patch, e);
	json_decref(patch);
	return rc;
}

/* An act: its name, the keys its body may hold, what it does, its pages. */
static const struct act {
	const char *name;
	const char *keys[3];
	int (*fn)(struct api *a, struct insp_scan *s, struct fz_err *e);
	const char *done, *done_text, *failed;
} acts[] = {
	{ "confirm", { NULL }, confirm, "已确认入企", "您已确认检查人员到达本企业，确认时间已记录。", "未能确认入企" },
	{ "rate", { "rating", "comment", NULL }, rate, "评价已提交", "感谢您对本次检查的评价。", "未能提交评价" },
	{ "complain", { "text", NULL }, complain, "投诉已提交",
	  "您的投诉已转交司法行政部门（行政执法监督机构）督办，办理情况将由检查机关反馈。", "未能提交投诉" },
};

/* Every key of body is one of keys: 0, or -1 naming the first other. */
static int keys_known(json_t *body, const char *const *keys, struct fz_err *e)
{
	const char *k;
	json_t *v;
	json_object_foreach(body, k, v) {
		int known = 0;
		for (int i = 0; keys[i]; i++)
			known |= strcmp(keys[i], k) == 0;
		if (!known)
			return fz_fail(e, 400, "unknown_field", NULL, "提交的内容含有无法识别的项");
	}
	return 0;
}

/* The refusal's page: its message escaped, the refusal audited. */
static void refused(struct api *a, const struct insp_scan *s, const struct act *x, const char *action,
		    struct fz_err *e)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	if (!e->code)
		fz_store(e, a->db);
	if (e->status >= 500) /* the store: nothing said about the inspection */
		fz_fail(e, 409, "unavailable", NULL, "系统暂时无法处理，请稍后重试");
	else
		insp_scan_refused(a, action, s->rec.id, e->code, e->msg);
	if (!f)
		return;
	insp_esc(f, e->msg);
	if (fclose(f) == 0)
		scan_page(a->w, e->status, x ? x->failed : "无法识别的操作", text);
	free(text);
}

void insp_scan_act(struct api *a, struct insp_scan *s, const char *action)
{
	struct fz_err e = { 0 };
	const struct act *x = NULL;
	for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++)
		if (strcmp(acts[i].name, action) == 0)
			x = &acts[i];
	if (!x) {
		scan_page(a->w, 404, "无法识别的操作", "此入企码页面没有这项操作。请重新扫描检查人员出示的二维码。");
		return;
	}
	if (!a->body)
		fz_fail(&e, 400, "bad_json", NULL, "提交的内容应为 JSON 对象。请在入企码页面上重新操作。");
	if (e.code || keys_known(a->body, x->keys, &e) != 0) {
		refused(a, s, x, action, &e);
		return;
	}
	int rc = db_begin(a->db);
	if (rc == 0)
		rc = x->fn(a, s, &e);
	if (rc == 0 && db_commit(a->db) == 0) {
		scan_page(a->w, 200, x->done, x->done_text);
		return;
	}
	db_rollback(a->db);
	refused(a, s, x, action, &e);
}
