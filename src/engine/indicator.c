/*
 * indicator.c — evaluates an indicator system (indicator.h): each leaf's
 * value and scoring rule, the system's NA rule over the tree, manual,
 * bonus and penalty items within their bounds, and the totals. Loading
 * and validation live in indicator_load.c.
 *
 * Scoring, as a fraction f of an item's effective max (v = formula value):
 *   target >= X linear        f = 1 if v >= X, else max(0, v / X)
 *   target >= X stepped [..]  f = 1 if v >= X, else the best step score
 *                             whose threshold v reaches, / weight; else 0
 *   target >= X all_or_nothing f = v >= X ? 1 : 0
 *   count >= N [mode]         as target (default linear: v / N)
 *   lower_is_better <= X linear [to Z]
 *                             f = 1 if v <= X, 0 if v >= Z (default 2X),
 *                             else (Z - v) / (Z - X)
 *   lower_is_better <= X all_or_nothing   f = v <= X ? 1 : 0
 *   date_before MM-DD         v = day number of the event counted from
 *                             1 January of the due year (1 = 1 Jan); NA =
 *                             not done yet. f = v < day(MM-DD) ? 1 : 0.
 * Effective max: redistribute gives an NA item's share to its non-NA
 * siblings in proportion to their weights (so the total max stays);
 * exclude drops it (max shrinks). A group whose children are all NA is NA.
 */
#include "indicator.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define ROOT INDICATOR_MAX  /* index of the virtual parent of level-1 items */
#define EPS 1e-9

enum { FLAG_ERROR = 1, FLAG_PENDING = 2, FLAG_BELOW = 4 };

struct scratch {
	double frac[INDICATOR_MAX];          /* regular leaves: f; bonus leaves: points */
	double share[INDICATOR_MAX + 1];     /* effective max (top-down) */
	double sum_all[INDICATOR_MAX + 1];   /* children's weights */
	double sum_ok[INDICATOR_MAX + 1];    /* children's weights, non-NA */
	int nna[INDICATOR_MAX + 1];          /* NA children */
	int flags[INDICATOR_MAX + 1];        /* FLAG_* from children */
};

struct evalin {
	formula_metric_fn metric;
	void *ctx;
	const struct manual_scores *m;
};

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Outside the areas' scores: bonus, penalty and veto items. */
static int is_extra(const struct indicator *it)
{
	return it->kind == INDICATOR_BONUS || it->kind == INDICATOR_PENALTY || it->kind == INDICATOR_VETO;
}

static int day_of_year(int year, int month, int day)
{
	static const int before[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	int leap = year > 0 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0);
	return before[month - 1] + day + (leap && month > 2);
}

static double rule_stepped(const struct indicator_rule *r, double v, double weight)
{
	double best = 0;
	for (int k = 0; k < r->nsteps; k++)
		if (v >= r->steps[k].at && r->steps[k].score > best)
			best = r->steps[k].score;
	return clamp(best / weight, 0, 1);
}

/* Fraction (0..1) of the item's max that value v earns under rule r. */
static double rule_fraction(const struct indicator_rule *r, double v, double weight, int year)
{
	switch (r->type) {
	case INDICATOR_RULE_TARGET:
	case INDICATOR_RULE_COUNT:
		if (v >= r->target)
			return 1;
		if (r->mode == INDICATOR_LINEAR)
			return r->target > 0 ? clamp(v / r->target, 0, 1) : 0;
		return r->mode == INDICATOR_STEPPED ? rule_stepped(r, v, weight) : 0;
	case INDICATOR_RULE_LOWER:
		if (v <= r->target)
			return 1;
		if (r->mode == INDICATOR_LINEAR)
			return clamp((r->zero_at - v) / (r->zero_at - r->target), 0, 1);
		return 0;
	case INDICATOR_RULE_DATE_BEFORE:
		return v < day_of_year(year, r->month, r->day) ? 1 : 0;
	default:
		return 0;
	}
}

static void leaf_formula(const struct indicator *it, const struct evalin *in, struct indicator_score *r,
			 double *frac, struct indicator_result *out)
{
	struct fz_err e = { 0 };
	double v;
	int rc = formula_eval(it->formula, in->metric, in->ctx, &v, &e);
	if (rc == FORMULA_ERROR) {
		r->status = INDICATOR_STATUS_ERROR;
		if (!out->err.code)
			fz_fail(&out->err, e.status, e.code, "indicator", "指标 %s：%s", it->id, e.msg);
	} else if (rc == FORMULA_NA) {
		/* date_before: no date yet means not done, not "not applicable" */
		r->status = it->rule.type == INDICATOR_RULE_DATE_BEFORE ? INDICATOR_STATUS_BELOW : INDICATOR_STATUS_NA;
	} else if (it->kind == INDICATOR_VETO) { /* holds: a gap that caps the total */
		r->has_value = 1;
		r->value = v > 0;
		r->status = v > 0 ? INDICATOR_STATUS_BELOW : INDICATOR_STATUS_OK;
	} else if (is_extra(it)) {
		r->has_value = 1;
		r->value = v;
		*frac = clamp(v, 0, it->weight);
		r->status = INDICATOR_STATUS_OK;
	} else {
		r->has_value = 1;
		r->value = v;
		*frac = rule_fraction(&it->rule, v, it->weight, in->m ? in->m->year : 0);
		r->status = *frac >= 1 - EPS ? INDICATOR_STATUS_OK : INDICATOR_STATUS_BELOW;
	}
}

/* A leaf's status and its fraction (regular) or points (bonus/penalty). */
static void leaf_eval(const struct indicator_system *s, int i, const struct evalin *in,
		      struct indicator_result *out, double *frac)
{
	const struct indicator *it = &s->items[i];
	struct indicator_score *r = &out->item[i];
	int state = in->m ? in->m->state[i] : INDICATOR_ENTRY_NONE;
	*frac = 0;
	if (it->formula) {
		leaf_formula(it, in, r, frac, out);
		return;
	}
	if (state == INDICATOR_ENTRY_NA) {
		r->status = INDICATOR_STATUS_NA;
	} else if (state == INDICATOR_ENTRY_SCORE && it->kind == INDICATOR_VETO) {
		r->has_value = 1;
		r->value = in->m->score[i] > 0;
		r->status = r->value ? INDICATOR_STATUS_BELOW : INDICATOR_STATUS_MANUAL;
	} else if (state == INDICATOR_ENTRY_SCORE) {
		double pts = clamp(in->m->score[i], 0, it->weight);
		r->has_value = 1;
		r->value = pts;
		*frac = is_extra(it) ? pts : pts / it->weight;
		r->status = INDICATOR_STATUS_MANUAL;
	} else {
		r->status = is_extra(it) ? INDICATOR_STATUS_NA : INDICATOR_STATUS_PENDING;
	}
}

/* Bottom-up: a regular group is NA when all its children are; sums of
 * the children's weights per parent, all and non-NA. */
static void pass_na(const struct indicator_system *s, struct indicator_result *out, struct scratch *w)
{
	for (int i = s->n - 1; i >= 0; i--) {
		const struct indicator *it = &s->items[i];
		if (is_extra(it))
			continue;
		if (it->nchildren > 0 && w->nna[i] == it->nchildren)
			out->item[i].status = INDICATOR_STATUS_NA;
		int p = it->parent >= 0 ? it->parent : ROOT;
		w->sum_all[p] += it->weight;
		if (out->item[i].status == INDICATOR_STATUS_NA)
			w->nna[p]++;
		else
			w->sum_ok[p] += it->weight;
	}
}

/* Top-down: each regular item's effective max under the system's NA rule. */
static void pass_share(const struct indicator_system *s, const struct indicator_result *out, struct scratch *w)
{
	w->share[ROOT] = w->sum_all[ROOT];
	for (int i = 0; i < s->n; i++) {
		const struct indicator *it = &s->items[i];
		int p = it->parent >= 0 ? it->parent : ROOT;
		double denom = s->na_rule == INDICATOR_NA_REDISTRIBUTE ? w->sum_ok[p] : w->sum_all[p];
		if (is_extra(it) || out->item[i].status == INDICATOR_STATUS_NA || denom <= 0)
			w->share[i] = 0;
		else
			w->share[i] = w->share[p] * it->weight / denom;
	}
}

static int status_flag(int status)
{
	return status == INDICATOR_STATUS_ERROR     ? FLAG_ERROR
	       : status == INDICATOR_STATUS_PENDING ? FLAG_PENDING
	       : status == INDICATOR_STATUS_BELOW   ? FLAG_BELOW
					     : 0;
}

static int group_status(const struct indicator_score *r, int flags)
{
	if (r->status == INDICATOR_STATUS_NA)
		return INDICATOR_STATUS_NA;
	if (flags & FLAG_ERROR)
		return INDICATOR_STATUS_ERROR;
	if (flags & FLAG_PENDING)
		return INDICATOR_STATUS_PENDING;
	return (flags & FLAG_BELOW) || r->score < r->max - EPS ? INDICATOR_STATUS_BELOW : INDICATOR_STATUS_OK;
}

/* Bottom-up: leaves' scores, groups' sums (bonus/penalty groups capped). */
static void pass_score(const struct indicator_system *s, struct indicator_result *out, struct scratch *w)
{
	for (int i = s->n - 1; i >= 0; i--) {
		const struct indicator *it = &s->items[i];
		struct indicator_score *r = &out->item[i];
		int leaf = it->nchildren == 0;
		if (it->kind == INDICATOR_VETO) {
			r->max = r->score = 0; /* it caps the total (totals), it scores nothing */
		} else if (is_extra(it)) {
			r->max = it->weight;
			r->score = leaf ? w->frac[i] : fmin(r->score, it->weight);
			if (!leaf)
				r->status = r->score > 0 ? INDICATOR_STATUS_OK : INDICATOR_STATUS_NA;
		} else if (leaf) {
			r->max = w->share[i];
			r->score = w->frac[i] * w->share[i];
		} else {
			r->status = group_status(r, w->flags[i]);
		}
		if (it->parent >= 0) {
			out->item[it->parent].score += r->score;
			out->item[it->parent].max += r->max;
			w->flags[it->parent] |= status_flag(r->status);
		}
	}
}

static void totals(const struct indicator_system *s, struct indicator_result *out)
{
	for (int i = 0; i < s->n; i++) {
		const struct indicator *it = &s->items[i];
		const struct indicator_score *r = &out->item[i];
		if (it->nchildren == 0) {
			out->nbelow += r->status == INDICATOR_STATUS_BELOW;
			out->nna += r->status == INDICATOR_STATUS_NA && !is_extra(it);
			out->npending += r->status == INDICATOR_STATUS_PENDING;
			out->nerrors += r->status == INDICATOR_STATUS_ERROR;
		}
		if (it->parent >= 0)
			continue;
		if (it->kind == INDICATOR_BONUS)
			out->bonus += r->score;
		else if (it->kind == INDICATOR_PENALTY)
			out->penalty += r->score;
		else if (it->kind != INDICATOR_VETO)
			out->base += r->score, out->base_max += r->max;
	}
	out->total = fmax(0, out->base + out->bonus - out->penalty);
	out->veto = -1;
	for (int i = 0; i < s->n; i++) /* the lowest cap of the vetoes that hold */
		if (s->items[i].kind == INDICATOR_VETO && out->item[i].value > 0 &&
		    (out->veto < 0 || s->items[i].weight < s->items[out->veto].weight)) {
			out->veto = i;
		}
	if (out->veto >= 0)
		out->total = fmin(out->total, s->items[out->veto].weight);
}

int indicator_evaluate(const struct indicator_system *s, formula_metric_fn metric, void *ctx,
		       const struct manual_scores *m, struct indicator_result *out)
{
	struct scratch w;
	struct evalin in = { .metric = metric, .ctx = ctx, .m = m };
	memset(&w, 0, sizeof w);
	memset(out, 0, sizeof *out);
	out->n = s->n;
	for (int i = 0; i < s->n; i++)
		if (s->items[i].nchildren == 0 && s->items[i].kind != INDICATOR_GROUP)
			leaf_eval(s, i, &in, out, &w.frac[i]);
	pass_na(s, out, &w);
	pass_share(s, out, &w);
	pass_score(s, out, &w);
	totals(s, out);
	return out->nerrors ? -1 : 0;
}

void indicator_manual_init(struct manual_scores *m, int year)
{
	memset(m, 0, sizeof *m);
	m->year = year;
}

/* The index of id if an evaluator may score it, else -1 with e filled. */
static int manual_target(const struct indicator_system *s, const char *id, struct fz_err *e)
{
	int i = indicator_find(s, id);
	if (i < 0)
		return fz_fail(e, 404, "not_found", "indicator", "指标 %s 不存在", id);
	const struct indicator *it = &s->items[i];
	if (it->kind == INDICATOR_MANUAL || (is_extra(it) && !it->formula && it->nchildren == 0))
		return i;
	return fz_invalid(e, "indicator", "指标 %s 是%s，不能人工评分", id,
			  it->kind == INDICATOR_AUTO ? "计算项" : it->nchildren ? "分组项" : "按公式计算的附加项");
}

int indicator_manual_set(struct manual_scores *m, const struct indicator_system *s, const char *id,
			 double score, struct fz_err *e)
{
	int i = manual_target(s, id, e);
	if (i < 0)
		return -1;
	double max = s->items[i].weight;
	if (s->items[i].kind == INDICATOR_VETO && score != 0 && score != 1)
		return fz_invalid(e, "score", "指标 %s 为一票否决项：1 表示否决情形成立，0 表示不成立", id);
	if (s->items[i].kind != INDICATOR_VETO && (!isfinite(score) || score < 0 || score > max))
		return fz_invalid(e, "score", "指标 %s 的评分须在 0 到 %g 分之间", id, max);
	m->state[i] = INDICATOR_ENTRY_SCORE;
	m->score[i] = score;
	return 0;
}

int indicator_manual_set_na(struct manual_scores *m, const struct indicator_system *s, const char *id,
			    struct fz_err *e)
{
	int i = manual_target(s, id, e);
	if (i < 0)
		return -1;
	m->state[i] = INDICATOR_ENTRY_NA;
	m->score[i] = 0;
	return 0;
}

char *indicator_rule_text(const struct indicator_rule *r, char *out, size_t n)
{
	static const char *const mode[] = { [INDICATOR_LINEAR] = "未达目标按比例得分",
					     [INDICATOR_STEPPED] = "未达目标按档次得分",
					     [INDICATOR_ALL_OR_NOTHING] = "达到目标得满分，否则不得分" };
	const char *m = r->mode >= 0 && r->mode <= INDICATOR_ALL_OR_NOTHING ? mode[r->mode] : "";
	switch (r->type) {
	case INDICATOR_RULE_TARGET:
		snprintf(out, n, "目标 ≥ %g%%，%s", r->target * 100, m);
		break;
	case INDICATOR_RULE_COUNT:
		snprintf(out, n, "目标 ≥ %g，%s", r->target, m);
		break;
	case INDICATOR_RULE_LOWER:
		snprintf(out, n, "目标 ≤ %g%%（越低越好），%s", r->target * 100,
			 r->mode == INDICATOR_LINEAR ? "超出按比例扣减" : "超出不得分");
		break;
	case INDICATOR_RULE_DATE_BEFORE:
		snprintf(out, n, "%d月%d日前完成得满分，否则不得分", r->month, r->day);
		break;
	default:
		snprintf(out, n, "%s", "");
	}
	return out;
}

const char *indicator_status_name(int status)
{
	static const char *const names[] = { "ok", "below", "na", "manual", "pending", "error" };
	return status >= 0 && status <= INDICATOR_STATUS_ERROR ? names[status] : "?";
}

const char *indicator_kind_name(int kind)
{
	static const char *const names[] = { "group", "auto", "manual", "bonus", "penalty", "veto" };
	return kind >= 0 && kind <= INDICATOR_VETO ? names[kind] : "?";
}
