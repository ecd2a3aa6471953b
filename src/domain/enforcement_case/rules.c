/*
 * rules.c — what 行政处罚法 says a decision needs before it is made: the
 * hearing (第六十三条, 第六十四条 with 第八十五条's working days), the
 * 法制审核 (第五十八条), 首违不罚 (第三十三条), the limits of the simple
 * procedure (第五十一条), and the discretion benchmark (裁量基准: the
 * version the case names, or the newest listing its violation code).
 */
#include <string.h>

#include "domain/enforcement_case/enforcement_case.h"

#include "clock.h"
#include "discretion_store.h"

/* 第五十一条: on-the-spot decisions — 警告, or fines up to 200 元 for a
 * citizen and 3,000 元 for a unit (in fen). */
#define SIMPLE_PERSON_FEN 20000
#define SIMPLE_UNIT_FEN 300000
/* 第六十四条 with 第八十五条: request within 5 working days of the notice;
 * the hearing notified 7 working days before. */
#define HEARING_REQUEST_DAYS 5
#define HEARING_NOTICE_DAYS 7

static int64_t amount(const struct record *rec)
{
	return json_integer_value(json_object_get(rec->data, "amount_fen"));
}

static int kind_is(const struct record *rec, const char *const *kinds)
{
	const char *k = record_text(rec, "penalty_kind");
	for (; k && *kinds; kinds++)
		if (strcmp(k, *kinds) == 0)
			return 1;
	return 0;
}

int ec_hearing_required(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec)
{
	/* LAW: 行政处罚法 第六十三条第一款 — （三）（四）（五） */
	static const char *const heavy[] = { "降低资质等级", "吊销许可证件", "责令停产停业", "责令关闭", "限制从业",
					     "其他较重的行政处罚", NULL };
	static const char *const money[] = { "罚款", "没收违法所得、没收非法财物", NULL };
	if (kind_is(rec, heavy))
		return 1;
	/* LAW: 行政处罚法 第六十三条第一款 — （一）较大数额罚款（二）没收较大数额 */
	const char *who = record_text(rec, "party_kind");
	int64_t limit = domain_setting(c, r, who && strcmp(who, "个人") == 0 ? "person_hearing_fen" : "unit_hearing_fen");
	return kind_is(rec, money) && amount(rec) >= limit;
}

int ec_review_required(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec)
{
	/* LAW: 行政处罚法 第五十八条第一款 — （一）重大公共利益（二）经过听证（三）疑难复杂（四）其他 */
	return record_is(rec, "review_public_interest", "是") || record_is(rec, "review_complex", "是") || record_is(rec, "review_other", "是") ||
	       record_text(rec, "hearing_date") || amount(rec) >= domain_setting(c, r, "major_review_fen");
}

int ec_notify_gate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	/* LAW: 行政处罚法 第六十三条 — 应当告知当事人有要求听证的权利 */
	if (ec_hearing_required(c, r, rec) && !record_is(rec, "hearing_right_told", "是"))
		return fz_fail(e, 409, "hearing_right_not_told", "hearing_right_told",
			       "拟作出的处罚属于行政处罚法第六十三条规定的情形，告知时应当告知当事人有要求听证的权利（已告知听证权利应为“是”）");
	return 0;
}

int ec_hear_gate(const struct record *rec, struct fz_err *e)
{
	const char *told = record_text(rec, "notified_on"), *asked = record_text(rec, "hearing_request_date");
	const char *notice = record_text(rec, "hearing_notice_date"), *held = record_text(rec, "hearing_date");
	char last[DATE_STR], earliest[DATE_STR];
	if (!record_is(rec, "hearing_requested", "是"))
		return 0;
	if (!asked)
		return fz_invalid(e, "hearing_request_date", "当事人要求听证的，须填写提出听证申请日期");
	if (told && strcmp(asked, told) < 0)
		return fz_invalid(e, "hearing_request_date", "提出听证申请日期不能早于告知日期 %s", told);
	/* LAW: 行政处罚法 第六十四条第（一）项、第八十五条 — 告知后五个工作日内提出 */
	if (!told || deadline_after(told, DL_WORKING_DAYS, HEARING_REQUEST_DAYS, last) != 0 || strcmp(asked, last) > 0)
		return 0; /* a late request: the body need not hold a hearing */
	/* LAW: 行政处罚法 第六十三条 — 当事人要求听证的，行政机关应当组织听证 */
	if (!held || !notice)
		return fz_fail(e, 409, "hearing_not_held", held ? "hearing_notice_date" : "hearing_date",
			       "当事人在告知后五个工作日内（%s 前）要求听证的，应当组织听证并填写听证通知日期和举行听证日期（行政处罚法第六十三条、第六十四条）",
			       last);
	/* LAW: 行政处罚法 第六十四条第（二）项、第八十五条 — 举行听证的七日前通知 */
	if (deadline_after(notice, DL_WORKING_DAYS, HEARING_NOTICE_DAYS, earliest) != 0 || strcmp(held, earliest) < 0)
		return fz_fail(e, 409, "hearing_notice_late", "hearing_date",
			       "听证应在通知后至少七个工作日举行（行政处罚法第六十四条第二项、第八十五条）：%s 通知的，最早 %s 举行",
			       notice, earliest);
	return 0;
}

/* 第五十一条: may this case be decided on the spot? */
static int simple_gate(const struct record *rec, struct fz_err *e)
{
	static const char *const warning[] = { "警告", "不予处罚", NULL }, *const fine[] = { "罚款", NULL };
	const char *who = record_text(rec, "party_kind");
	int64_t cap = who && strcmp(who, "个人") == 0 ? SIMPLE_PERSON_FEN : SIMPLE_UNIT_FEN;
	if (!record_text(rec, "procedure") || strcmp(record_text(rec, "procedure"), "简易程序") != 0)
		return fz_fail(e, 409, "steps_missing", "transition",
			       "普通程序案件须经调查取证、告知和陈述申辩（听证）后作出决定（行政处罚法第五十四条至第五十七条、第六十二条）");
	/* LAW: 行政处罚法 第五十一条 — 公民二百元以下、单位三千元以下罚款或者警告 */
	if (!kind_is(rec, warning) && !(kind_is(rec, fine) && amount(rec) <= cap))
		return fz_fail(e, 409, "simple_procedure_exceeded", "penalty_kind",
			       "简易程序只适用于警告或对%s处以 %d 元以下罚款（行政处罚法第五十一条），本案应适用普通程序",
			       cap == SIMPLE_PERSON_FEN ? "公民" : "单位", (int)(cap / 100));
	return 0;
}

/* 第三十三条: 首违不罚 and no penalty for a minor violation corrected in time. */
static int lenient_gate(const struct record *rec, struct fz_err *e)
{
	const char *cat = record_text(rec, "decision_category");
	int spared = cat && strcmp(cat, "不予处罚") == 0;
	/* LAW: 行政处罚法 第三十三条第一款 — 轻微并及时改正，没有造成危害后果的，不予行政处罚 */
	if (record_is(rec, "minor", "是") && record_is(rec, "corrected", "是") && record_is(rec, "no_harm", "是") && !spared)
		return fz_fail(e, 409, "must_not_punish", "decision_category",
			       "违法行为轻微并及时改正、没有造成危害后果的，不予行政处罚（行政处罚法第三十三条第一款），裁量类别应为“不予处罚”");
	/* LAW: 行政处罚法 第三十三条第一款 — 初次违法且危害后果轻微并及时改正的，可以不予行政处罚 */
	if (record_is(rec, "first_violation", "是") && record_is(rec, "minor", "是") && record_is(rec, "corrected", "是") && !record_text(rec, "lenient_reason"))
		return fz_invalid(e, "lenient_reason",
				  "初次违法且危害后果轻微并及时改正的，可以不予行政处罚（行政处罚法第三十三条第一款）：须填写首违不罚裁量理由，说明%s",
				  spared ? "不予处罚的理由" : "未适用首违不罚的理由");
	return 0;
}

/* The case's 裁量类别 as the benchmark names it: 从轻处罚 → 从轻. */
static int category_of(const char *label)
{
	char text[32];
	size_t n = label ? strlen(label) : 0;
	int k = discretion_category_parse(label);
	if (k >= 0 || n <= 6 || n >= sizeof text || strcmp(label + n - 6, "处罚") != 0)
		return k;
	memcpy(text, label, n - 6);
	text[n - 6] = 0;
	return discretion_category_parse(text);
}

/* The benchmark's ranges for the decision, in 元: the circumstance's, or
 * every circumstance's of the decided category. */
static void ranges_text(const struct discretion_benchmark *b, const struct discretion_decision *d,
			const struct discretion_result *res, char *out, size_t n)
{
	const struct discretion_violation *v = discretion_find(b, d->violation);
	const struct discretion_circumstance *only = discretion_circumstance(v, d->circumstance);
	size_t len = 0;
	out[0] = 0;
	for (int i = 0; v && i < v->ncirc && len < n; i++) {
		const struct discretion_circumstance *c = &v->circ[i];
		char range[96], lo[48], hi[48];
		if (only ? c != only : c->category != d->category)
			continue;
		discretion_range_text(&c->range, range, sizeof range);
		len += snprintf(out + len, n - len, "%s情形 %s：%s", len ? "；" : "", c->code, range);
		if (only && c->range.kind == RANGE_MULTIPLE && res->has_range && len < n) {
			discretion_yuan_text(res->proposed_lo, lo, sizeof lo);
			discretion_yuan_text(res->proposed_hi, hi, sizeof hi);
			len += snprintf(out + len, n - len, "（即 %s至 %s）", lo, hi);
		}
	}
	if (!out[0])
		snprintf(out, n, "无“%s”情形", discretion_category_label(d->category));
}

/* discretion_check's refusal in the case's own fields and statuses. */
static int benchmark_refusal(const struct discretion_benchmark *b, const struct discretion_decision *d,
			     const struct discretion_result *res, const struct fz_err *why, struct fz_err *e)
{
	char ranges[280], amount[48];
	if (strcmp(why->code, "benchmark_unknown") == 0)
		return fz_fail(e, 400, "benchmark_unknown", "benchmark_circumstance", "裁量情形：%s", why->msg);
	if (strcmp(why->code, "benchmark_base_required") == 0)
		return fz_invalid(e, "benchmark_base_fen", "罚款计算基数（分）：%s", why->msg);
	if (strcmp(why->code, "benchmark_category_not_allowed") == 0)
		return fz_fail(e, 409, "benchmark_category_not_allowed", "decision_category", "裁量类别：%s（行政处罚法第五条）",
			       why->msg);
	if (strcmp(why->code, "benchmark_reason_required") == 0) {
		ranges_text(b, d, res, ranges, sizeof ranges);
		discretion_yuan_text(d->amount_fen, amount, sizeof amount);
		/* LAW: 国办发〔2022〕27号 — 超出裁量基准的，应当在决定书中说明理由 */
		return fz_fail(e, 409, "benchmark_reason_required", "benchmark_reason",
			       "裁量类别“%s”、罚没金额 %s：%s（裁量基准 %s（%s）%s），超出裁量基准的须填写超出裁量基准的理由",
			       discretion_category_label(d->category), amount, res->why, b->id, b->version, ranges);
	}
	return fz_fail(e, why->status, why->code, why->code && strcmp(why->code, "invalid") == 0 ? "amount_fen" : NULL,
		       "%s", why->msg);
}

struct discretion_benchmark *ec_benchmark(const struct rec_ctx *c, const struct record *rec, struct fz_err *e)
{
	const char *code = record_text(rec, "benchmark_code"), *version = record_text(rec, "benchmark_version");
	struct discretion_benchmark *b = discretion_for_violation(c->d, code, version, e), *any;
	if (b || e->status != 404)
		return b;
	/* which of the two names nothing: the version, or the code in it */
	if (version && (any = discretion_for_violation(c->d, code, NULL, e)) != NULL) {
		discretion_free(any);
		fz_fail(e, 400, "benchmark_unknown", "benchmark_version", "裁量基准版本 %s 不存在或未列违法行为编码 %s", version,
			code);
	} else if (e->status == 404) {
		fz_fail(e, 400, "benchmark_unknown", "benchmark_code", "适用的裁量基准：没有裁量基准列有违法行为编码 %s", code);
	}
	return NULL;
}

int ec_benchmark_check(const struct rec_ctx *c, const struct record *rec, struct fz_err *e)
{
	if (!record_text(rec, "benchmark_code")) {
		if (record_text(rec, "benchmark_version") || record_text(rec, "benchmark_circumstance"))
			return fz_invalid(e, "benchmark_code", "填写了裁量基准版本或裁量情形的，须同时填写适用的裁量基准（违法行为编码）");
		return 0;
	}
	struct discretion_benchmark *b = ec_benchmark(c, rec, e);
	if (!b)
		return -1;
	json_t *base = json_object_get(rec->data, "benchmark_base_fen");
	struct discretion_decision d = {
		.violation = record_text(rec, "benchmark_code"), .circumstance = record_text(rec, "benchmark_circumstance"),
		.category = category_of(record_text(rec, "decision_category")), .amount_fen = amount(rec),
		.base_fen = json_is_integer(base) ? json_integer_value(base) : -1, .reason = record_text(rec, "benchmark_reason")
	};
	struct discretion_result res;
	struct fz_err why = { 0 };
	int rc = discretion_check(b, &d, &res, &why) == 0 ? 0 : benchmark_refusal(b, &d, &res, &why, e);
	discretion_free(b);
	return rc;
}

int ec_decide_gate(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, struct fz_err *e)
{
	const char *cat = record_text(rec, "decision_category"), *kind = record_text(rec, "penalty_kind");
	int spared = strcmp(cat, "不予处罚") == 0;
	if (rec->state == register_state(r, "filed") && simple_gate(rec, e) != 0)
		return -1;
	if (spared != (strcmp(kind, "不予处罚") == 0))
		return fz_invalid(e, "penalty_kind", "裁量类别为“不予处罚”的，处罚种类应为“不予处罚”，反之亦然");
	if (strcmp(kind, "罚款") == 0 && amount(rec) <= 0)
		return fz_invalid(e, "amount_fen", "处罚种类为罚款的，须填写罚没金额（分，正整数）");
	/* LAW: 行政处罚法 第五十八条 — 未经法制审核或者审核未通过的，不得作出决定 */
	if (ec_review_required(c, r, rec) && !record_text(rec, "reviewed_on"))
		return fz_fail(e, 409, "review_required", "review_opinion",
			       "本案属于行政处罚法第五十八条规定的情形，作出决定前须经法制审核并录入法制审核意见");
	if (lenient_gate(rec, e) != 0)
		return -1;
	return ec_benchmark_check(c, rec, e);
}
