/*
 * officers.c — the certified-officers check (officers.h): the 执法证号 an
 * act names split and checked against people — registered, of the
 * acting body, certificate active (not 暂扣, 吊销 or 注销) and within its
 * dates on the day. The refusal names the officer, the reason and the law
 * the register cites.
 */
#include <stdio.h>
#include <string.h>

#include "officers.h"

#include "query.h"
#include "vocab.h"

/* Splits "A、B，C" (、 ， , ; or spaces) into at most max numbers; -1 when
 * there are more or one is too long. */
static int split(const char *s, char out[][32], int max)
{
	int n = 0;
	size_t len = 0;
	for (const char *p = s;; p++) {
		int sep = !*p || *p == ',' || *p == ';' || *p == ' ' || strncmp(p, "、", 3) == 0 || strncmp(p, "，", 3) == 0;
		if (!sep) {
			if (len + 1 >= sizeof out[0] || (len == 0 && n == max))
				return -1;
			out[n][len++] = *p;
			continue;
		}
		if (len) {
			out[n++][len] = 0;
			len = 0;
		}
		if (!*p)
			return n;
		if ((unsigned char)*p >= 0x80)
			p += 2;
	}
}

/* An officer's certificate as people holds it. */
struct cert {
	int found;
	int64_t body;
	char name[64], status[16], from[16], until[16];
};

/* Loads the officer numbered no into *c (found 0 when none); 0, or -1 on a
 * store error. */
static int cert_load(db *d, const char *no, struct cert *c)
{
	db_stmt *st = db_prepare(d, "SELECT name, body_id, cert_status, cert_valid_from, cert_valid_until"
				    " FROM people WHERE cert_no = $1");
	if (st)
		db_bind_text(st, 1, no);
	int rc = st ? db_step(st) : DB_ERR;
	memset(c, 0, sizeof *c);
	if (rc == DB_ROW) {
		c->found = 1;
		snprintf(c->name, sizeof c->name, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
		c->body = db_col_int(st, 1);
		snprintf(c->status, sizeof c->status, "%s", db_col_text(st, 2) ? db_col_text(st, 2) : "");
		snprintf(c->from, sizeof c->from, "%s", db_col_text(st, 3) ? db_col_text(st, 3) : "");
		snprintf(c->until, sizeof c->until, "%s", db_col_text(st, 4) ? db_col_text(st, 4) : "");
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* One officer's certificate on day: 0, or a refusal naming them. */
static int cert_judge(const struct cert *c, int64_t body_id, const char *no, const char *day,
		      const struct officers_rule *r, struct fz_err *e)
{
	const char *name = c->name;
	/* LAW: 行政处罚法 第四十二条 — 具有行政执法资格的执法人员 */
	if (!c->found)
		return fz_fail(e, 422, "officer_not_certified", r->field, "执法证号 %s 不是登记在册的执法人员，不能%s（%s）", no,
			       r->act, r->law);
	if (c->body != body_id)
		return fz_fail(e, 422, "officer_not_certified", r->field, "%s（执法证号 %s）不是%s的执法人员（%s）", name, no,
			       r->body, r->law);
	if (strcmp(c->status, "active") != 0 && vocab_label(VOCAB_CERT_STATUS, c->status))
		return fz_fail(e, 422, "officer_not_certified", r->field, "%s（执法证号 %s）的执法证已%s，不能%s（%s）", name, no,
			       vocab_label(VOCAB_CERT_STATUS, c->status), r->act, r->law);
	if (strcmp(c->status, "active") != 0 || !*c->from || !*c->until)
		return fz_fail(e, 422, "officer_not_certified", r->field, "%s（执法证号 %s）的执法证不在有效状态（%s）", name, no,
			       r->law);
	if (strcmp(day, c->until) > 0)
		return fz_fail(e, 422, "officer_not_certified", r->field, "%s（执法证号 %s）的执法证已于 %s 过期，不能%s（%s）", name,
			       no, c->until, r->act, r->law);
	if (strcmp(day, c->from) < 0)
		return fz_fail(e, 422, "officer_not_certified", r->field, "%s（执法证号 %s）的执法证自 %s 起有效，%s 尚未生效（%s）",
			       name, no, c->from, day, r->law);
	return 0;
}

static int check_one(db *d, int64_t body_id, const char *no, const char *day, const struct officers_rule *r,
		     struct fz_err *e)
{
	struct cert c;
	if (cert_load(d, no, &c) != 0)
		return fz_store(e, d);
	return cert_judge(&c, body_id, no, day, r, e);
}

/* The certificate's state on day in a few words, as cert_judge decides. */
static void cert_text(const struct cert *c, int64_t body_id, const char *day, char *out, size_t n)
{
	const char *label = vocab_label(VOCAB_CERT_STATUS, c->status);
	if (!c->found)
		snprintf(out, n, "未登记在册");
	else if (c->body != body_id)
		snprintf(out, n, "不是本次检查机关的执法人员");
	else if (strcmp(c->status, "active") != 0)
		snprintf(out, n, "执法证%s%s", label ? "已" : "不在有效状态", label ? label : "");
	else if (!*c->from || !*c->until)
		snprintf(out, n, "执法证不在有效状态");
	else if (strcmp(day, c->until) > 0)
		snprintf(out, n, "执法证已于 %s 过期", c->until);
	else if (strcmp(day, c->from) < 0)
		snprintf(out, n, "执法证自 %s 起有效，尚未生效", c->from);
	else
		snprintf(out, n, "有效（至 %s）", c->until);
}

int officers_describe(db *d, int64_t body, const char *list, const char *day, struct officer_view *out, int max)
{
	static const struct officers_rule rule = { "officers", "", "", "", "" };
	char nos[OFFICERS_MAX][32];
	int n = list ? split(list, nos, OFFICERS_MAX) : 0;
	if (n < 0)
		n = 0;
	if (n > max)
		n = max;
	for (int i = 0; i < n; i++) {
		struct cert c;
		struct fz_err e = { 0 };
		if (cert_load(d, nos[i], &c) != 0)
			return -1;
		memcpy(out[i].no, nos[i], sizeof out[i].no);
		snprintf(out[i].name, sizeof out[i].name, "%s", c.name);
		out[i].valid = cert_judge(&c, body, nos[i], day, &rule, &e) == 0;
		cert_text(&c, body, day, out[i].status, sizeof out[i].status);
	}
	return n;
}

int officers_check(db *d, int64_t body, const char *list, const char *day, const struct officers_rule *rule,
		   struct fz_err *e)
{
	char nos[OFFICERS_MAX][32];
	int n = list ? split(list, nos, OFFICERS_MAX) : 0;
	if (n < 0)
		return fz_invalid(e, rule->field, "%s应以顿号分隔，至多 %d 人，每个证号不超过 30 个字符", rule->label, OFFICERS_MAX);
	for (int i = 0; i < n; i++)
		for (int k = 0; k < i; k++)
			if (strcmp(nos[i], nos[k]) == 0)
				return fz_invalid(e, rule->field, "%s %s 重复填写", rule->label, nos[i]);
	/* LAW: 行政处罚法 第四十二条 — 执法人员不得少于两人 */
	if (n < 2)
		return fz_fail(e, 422, "too_few_officers", rule->field, "执法人员不得少于两人（%s），%s只填了 %d 人", rule->law,
			       rule->label, n);
	for (int i = 0; i < n; i++)
		if (check_one(d, body, nos[i], day, rule, e) != 0)
			return -1;
	return 0;
}
