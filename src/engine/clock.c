/*
 * clock.c — deadline computation over the working-day calendar: periods in
 * calendar or working days, fixed dates, extensions and suspensions, each
 * explained line by line in Chinese; and the status of a deadline.
 *
 * Counting rules (see ../shared/domain/DEADLINES.md):
 *  - the day of the event is not counted; calendar-day periods whose last
 *    day is a rest day or holiday end on the next working day;
 *  - "N working days" ends on the Nth working day after the event;
 *  - an extension runs from the day after the due date it extends (that due
 *    date already moved off a rest day), in calendar or working days;
 *  - a suspension stops the clock: its days are not counted (for calendar-day
 *    periods this adds the paused calendar days; for working-day periods the
 *    working days inside it), wherever it falls between the event and the
 *    due date; a suspension after the due date changes nothing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/clock.h"

#define DL_MAX_DAYS 36600     /* no period or extension beyond ~100 years */
#define DL_MAX_EXT 32
#define WALK_MAX_STEPS 400000 /* guards the day-by-day walk */

/* ---- explanation text --------------------------------------------------- */

struct sb {
	char *buf;
	size_t n, len;
};

/* Appends; on overflow keeps only whole lines. */
__attribute__((format(printf, 2, 3)))
static void sb_add(struct sb *s, const char *fmt, ...)
{
	va_list ap;
	if (!s->buf || s->n == 0 || s->len + 1 >= s->n)
		return;
	va_start(ap, fmt);
	int w = vsnprintf(s->buf + s->len, s->n - s->len, fmt, ap);
	va_end(ap);
	if (w < 0)
		return;
	if ((size_t)w < s->n - s->len) {
		s->len += (size_t)w;
		return;
	}
	char *nl = memrchr(s->buf, '\n', s->n - 1);
	s->len = nl ? (size_t)(nl - s->buf) + 1 : 0;
	s->buf[s->len] = '\0';
	s->n = s->len + 1; /* full: nothing more is appended */
}

static void sb_reset(struct sb *s)
{
	s->len = 0;
	if (s->buf && s->n)
		s->buf[0] = '\0';
}

/* "10-01至10-08" (year left out when it is ref_year), or one date. */
static char *span_text(int from, int to, int ref_year, char *out, size_t n)
{
	struct date a = date_from_days(from), b = date_from_days(to);
	char x[DATE_STR], y[DATE_STR];
	date_format(a, x);
	date_format(b, y);
	const char *xs = a.year == ref_year ? x + 5 : x, *ys = b.year == ref_year ? y + 5 : y;
	if (from == to)
		snprintf(out, n, "%s", xs);
	else
		snprintf(out, n, "%s至%s", xs, ys);
	return out;
}

static char *day_text(int day, char *out)
{
	return date_format(date_from_days(day), out);
}

/* ---- the walk ------------------------------------------------------------- */

struct walk {
	const struct calendar *c;
	const struct extension *ext;
	int next;
	int hits[DL_MAX_EXT];  /* days each pause took out of the count */
	int missing[256];      /* notice years the walk needed but lacks */
	int nmissing, more_missing;
	int steps;
	const char *roll_law; /* the article that moves a last day off a rest day */
	struct sb sb;
};

/* Days skipped since the last counted day, for the explanation. */
struct skipped {
	const struct cal_period *hol[4];
	int nhol;
	int pause[4];
	int npause;
};

static void walk_note_cover(struct walk *w, int day)
{
	struct date d = date_from_days(day);
	int y = !calendar_covers_year(w->c, d.year) ? d.year
		: !calendar_covers(w->c, d)         ? d.year + 1
						    : 0;
	for (int i = 0; y && i < w->nmissing; i++)
		if (w->missing[i] == y)
			return;
	if (y && w->nmissing < (int)(sizeof w->missing / sizeof *w->missing))
		w->missing[w->nmissing++] = y;
	else if (y)
		w->more_missing = 1;
}

static int walk_workday(struct walk *w, int day)
{
	walk_note_cover(w, day);
	return calendar_is_workday_days(w->c, day);
}

/* Index of a suspension covering day, or -1. */
static int walk_paused(const struct walk *w, int day)
{
	for (int i = 0; i < w->next; i++)
		if (w->ext[i].kind == EXT_PAUSE && day >= date_to_days(w->ext[i].from) &&
		    day <= date_to_days(w->ext[i].to))
			return i;
	return -1;
}

static void skip_note(struct walk *w, struct skipped *sk, int day, int pause)
{
	if (pause >= 0) {
		w->hits[pause]++;
		for (int i = 0; i < sk->npause; i++)
			if (sk->pause[i] == pause)
				return;
		if (sk->npause < 4)
			sk->pause[sk->npause++] = pause;
		return;
	}
	const struct cal_period *p = calendar_period_at(w->c, day);
	if (!p || !p->off || (sk->nhol && sk->hol[sk->nhol - 1] == p))
		return;
	if (sk->nhol < 4)
		sk->hol[sk->nhol++] = p;
}

/* "10-01至10-08 国庆节、中秋节放假；星期六，国庆节、中秋节调休上班" */
static void day_notes(const struct walk *w, const struct skipped *sk, int day, int work_note,
		      char *out, size_t n)
{
	int ref = date_from_days(day).year;
	size_t len = 0;
	char span[64];
	out[0] = '\0';
	for (int i = 0; i < sk->nhol && len < n; i++)
		len += (size_t)snprintf(out + len, n - len, "%s%s %s放假", len ? "；" : "",
					span_text(sk->hol[i]->from, sk->hol[i]->to, ref, span, sizeof span),
					sk->hol[i]->name);
	for (int i = 0; i < sk->npause && len < n; i++) {
		const struct extension *e = &w->ext[sk->pause[i]];
		len += (size_t)snprintf(out + len, n - len, "%s%s 中止，不计入", len ? "；" : "",
					span_text(date_to_days(e->from), date_to_days(e->to), ref, span,
						  sizeof span));
	}
	const struct cal_period *p = calendar_period_at(w->c, day);
	if (work_note && p && !p->off && len < n)
		snprintf(out + len, n - len, "%s%s，%s", len ? "；" : "",
			 date_weekday_label(date_from_days(day)), p->name);
}

static void walk_explain_day(struct walk *w, const struct skipped *sk, int day, int k, int count,
			     int working)
{
	char notes[512], s[DATE_STR];
	day_notes(w, sk, day, working || k == count, notes, sizeof notes);
	if (!*notes && k != count && !(working && k == 1))
		return;
	sb_add(&w->sb, "第%d%s %s%s%s%s\n", k, working ? "个工作日" : "日", day_text(day, s),
	       *notes ? "（" : "", notes, *notes ? "）" : "");
}

/*
 * Counts count days after day (not counted itself) — working days only when
 * working — skipping suspended days. Returns the last counted day, -1 when
 * the walk runs away.
 */
static int walk_count(struct walk *w, int day, int count, int working)
{
	struct skipped sk;
	memset(&sk, 0, sizeof sk);
	for (int k = 0; k < count;) {
		if (++w->steps > WALK_MAX_STEPS)
			return -1;
		day++;
		int pause = walk_paused(w, day);
		if (pause >= 0 || (working && !walk_workday(w, day))) {
			skip_note(w, &sk, day, pause);
			continue;
		}
		k++;
		walk_explain_day(w, &sk, day, k, count, working);
		memset(&sk, 0, sizeof sk);
	}
	return day;
}

static void rest_reason(const struct walk *w, int day, char *out, size_t n)
{
	const struct cal_period *p = calendar_period_at(w->c, day);
	char span[64];
	if (p && p->off)
		snprintf(out, n, "%s放假日（%s）", p->name,
			 span_text(p->from, p->to, date_from_days(day).year, span, sizeof span));
	else
		snprintf(out, n, "%s（休息日）", date_weekday_label(date_from_days(day)));
}

/*
 * LAW: 民事诉讼法 第85条（2023），经 行政诉讼法 第101条、行政复议法 第88条 适用;
 * 民法典 第203条 for periods of months and years (w->roll_law) — a period
 * whose last day is a rest day or holiday ends on the next working day (a
 * 调休 working weekend day is a working day: no move).
 */
static int walk_move(struct walk *w, int day)
{
	char reason[256], a[DATE_STR], b[DATE_STR];
	int d = day;
	if (walk_workday(w, day))
		return day;
	do {
		if (++w->steps > WALK_MAX_STEPS)
			return -1;
		d++;
	} while (walk_paused(w, d) >= 0 || !walk_workday(w, d));
	rest_reason(w, day, reason, sizeof reason);
	sb_add(&w->sb, "%s 为%s，依%s顺延至其后第一个工作日 %s\n", day_text(day, a), reason, w->roll_law,
	       day_text(d, b));
	return d;
}

/* ---- rules ------------------------------------------------------------------ */

static void explain_start(struct walk *w, struct date start, const struct deadline_rule *r)
{
	char s[DATE_STR], basis[300] = "";
	if (r->basis && *r->basis)
		snprintf(basis, sizeof basis, "（依据：%s）", r->basis);
	date_format(start, s);
	if (r->kind == DL_WORKING_DAYS)
		sb_add(&w->sb, "自 %s 起算（当日不计），期限 %d 个工作日，节假日和休息日不计、调休上班日计入%s\n",
		       s, r->days, basis);
	else if (r->kind == DL_CALENDAR_DAYS)
		sb_add(&w->sb, "自 %s 起算（当日不计），期限 %d 日，最后一日为休息日或节假日的顺延%s\n",
		       s, r->days, basis);
	else if (r->kind == DL_MONTHS || r->kind == DL_YEARS)
		sb_add(&w->sb, "自 %s 起算（当日不计，民法典第二百零一条），期限 %d %s，到期%s的对应日为最后一日、"
			       "没有对应日的为月末日（第二百零二条），最后一日为休息日或节假日的顺延（第二百零三条）%s\n",
		       s, r->count, r->kind == DL_MONTHS ? "个月" : "年", r->kind == DL_MONTHS ? "月" : "年", basis);
	else
		sb_add(&w->sb, "自 %s 起，限于 %s 前（含当日），固定日期不因节假日顺延%s\n", s,
		       date_format(r->fixed, s), basis);
}

/* LAW: 行政复议法 第39条 — suspension; the clock stops while it lasts. */
static void explain_pauses(struct walk *w)
{
	char a[DATE_STR], b[DATE_STR];
	for (int i = 0; i < w->next; i++) {
		const struct extension *e = &w->ext[i];
		if (e->kind != EXT_PAUSE)
			continue;
		sb_add(&w->sb, "中止 %s至%s（%d 日）%s%s，中止期间不计入期限（行政复议法第三十九条）\n",
		       date_format(e->from, a), date_format(e->to, b),
		       date_to_days(e->to) - date_to_days(e->from) + 1,
		       e->reason && *e->reason ? "：" : "", e->reason ? e->reason : "");
	}
}

/* A fixed date moves only by suspended days between the event and it. */
static int dl_fixed(struct walk *w, int start, struct date fixed)
{
	int due = date_to_days(fixed), paused = 0;
	for (int d = start + 1; d <= due; d++) {
		int i = walk_paused(w, d);
		if (i >= 0) {
			w->hits[i]++;
			paused++;
		}
	}
	if (!paused)
		return due;
	sb_add(&w->sb, "其间中止 %d 日不计入，期限相应后延\n", paused);
	int d = walk_count(w, due, paused, 0);
	return d < 0 ? d : walk_move(w, d);
}

/*
 * LAW: 民法典 第二百零一条至第二百零三条 — a period of months or years
 * starts the day after the event and ends on the corresponding day of the
 * last month (the month's last day when it has none); suspended days
 * extend it as for a fixed date, and a last day on a rest day moves on.
 */
static int dl_months(struct walk *w, int start, int months)
{
	char a[DATE_STR];
	struct date s = date_from_days(start), e = s;
	int m = s.month - 1 + months;
	e.year = s.year + m / 12;
	e.month = m % 12 + 1;
	while (e.day > 28 && !date_valid(e))
		e.day--;
	if (!date_valid(e))
		return -1;
	if (e.day != s.day)
		sb_add(&w->sb, "%d 年 %d 月没有 %d 日，以月末日 %s 为最后一日\n", e.year, e.month, s.day, date_format(e, a));
	else
		sb_add(&w->sb, "到期月的对应日为 %s\n", date_format(e, a));
	int d = dl_fixed(w, start, e);
	return d < 0 ? d : walk_move(w, d);
}

static int dl_base(struct walk *w, int start, const struct deadline_rule *r)
{
	int d;
	switch (r->kind) {
	case DL_WORKING_DAYS:
		return walk_count(w, start, r->days, 1);
	case DL_CALENDAR_DAYS:
		d = walk_count(w, start, r->days, 0);
		return d < 0 ? d : walk_move(w, d);
	case DL_FIXED_DATE:
		return dl_fixed(w, start, r->fixed);
	case DL_MONTHS:
		return dl_months(w, start, r->count);
	case DL_YEARS:
		return dl_months(w, start, r->count * 12);
	}
	return -1;
}

/*
 * LAW: 行政复议法 第62条（延长最多不超过三十日）、政府信息公开条例 第33条
 * （延长最长不超过20个工作日） — the extension is counted from the day after
 * the due date it extends.
 */
static int dl_extend(struct walk *w, int due, const struct extension *e)
{
	char s[DATE_STR];
	int working = e->kind == EXT_WORKING_DAYS;
	sb_add(&w->sb, "原届满日 %s（%s），延长 %d %s，自其次日起算%s%s\n", day_text(due, s),
	       date_weekday_label(date_from_days(due)), e->days, working ? "个工作日" : "日",
	       e->reason && *e->reason ? "：" : "", e->reason ? e->reason : "");
	int d = walk_count(w, due, e->days, working);
	return d < 0 || working ? d : walk_move(w, d);
}

/* ---- checks, warnings, entry point ------------------------------------------ */

static const char *dl_check_ext(const struct extension *e)
{
	if (e->kind == EXT_PAUSE)
		return date_valid(e->from) && date_valid(e->to) &&
				       date_to_days(e->from) <= date_to_days(e->to)
			       ? NULL
			       : "中止的起止日期无效";
	if (e->kind != EXT_CALENDAR_DAYS && e->kind != EXT_WORKING_DAYS)
		return "未知的延长类型";
	return e->days >= 1 && e->days <= DL_MAX_DAYS ? NULL : "延长天数应为 1 至 36600 之间的整数";
}

static const char *dl_check(struct date start, const struct deadline_rule *r,
			    const struct extension *ext, int next)
{
	if (!date_valid(start))
		return "起算日期无效";
	if (!r)
		return "缺少期限规则";
	if (r->kind == DL_FIXED_DATE && !date_valid(r->fixed))
		return "固定期限的日期无效";
	if (r->kind == DL_MONTHS && (r->count < 1 || r->count > DL_MAX_DAYS / 30))
		return "期限月数应为 1 至 1220 之间的整数";
	if (r->kind == DL_YEARS && (r->count < 1 || r->count > DL_MAX_DAYS / 366))
		return "期限年数应为 1 至 100 之间的整数";
	if ((r->kind == DL_CALENDAR_DAYS || r->kind == DL_WORKING_DAYS) && (r->days < 1 || r->days > DL_MAX_DAYS))
		return "期限天数应为 1 至 36600 之间的整数";
	if (r->kind != DL_FIXED_DATE && r->kind != DL_CALENDAR_DAYS && r->kind != DL_WORKING_DAYS &&
	    r->kind != DL_MONTHS && r->kind != DL_YEARS)
		return "未知的期限类型";
	if (next < 0 || next > DL_MAX_EXT || (next > 0 && !ext))
		return "延长、中止记录无效";
	for (int i = 0; i < next; i++) {
		const char *why = dl_check_ext(&ext[i]);
		if (why)
			return why;
	}
	return NULL;
}

static int int_cmp(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

/* "2027" or "2027—2030、2033" (and "等" when the list overflowed). */
static void years_runs(int *ys, int n, int more, char *out, size_t size)
{
	size_t len = 0;
	out[0] = '\0';
	qsort(ys, (size_t)n, sizeof *ys, int_cmp);
	for (int i = 0, j; i < n && len < size; i = j + 1) {
		for (j = i; j + 1 < n && ys[j + 1] == ys[j] + 1; j++)
			;
		int w = j > i ? snprintf(out + len, size - len, "%s%d—%d", i ? "、" : "", ys[i], ys[j])
			      : snprintf(out + len, size - len, "%s%d", i ? "、" : "", ys[i]);
		len += w > 0 ? (size_t)w : 0;
	}
	if (more && len + 4 < size)
		snprintf(out + len, size - len, "等");
}

static void explain_warning(struct walk *w)
{
	char years[256], cov[160];
	if (!w->nmissing)
		return;
	years_runs(w->missing, w->nmissing, w->more_missing, years, sizeof years);
	sb_add(&w->sb, "警告：日历未载入 %s 年的放假安排（已载入 %s 年），相关日期仅按周六、周日休息推算，"
		       "结果可能不准确；请载入国务院办公厅通知对应的新日历后重新计算\n",
	       years, calendar_years_text(w->c, cov, sizeof cov));
}

static void explain_unused_pauses(struct walk *w)
{
	char a[DATE_STR], b[DATE_STR];
	for (int i = 0; i < w->next; i++)
		if (w->ext[i].kind == EXT_PAUSE && !w->hits[i])
			sb_add(&w->sb, "中止 %s至%s 不在计算期间内，未影响期限\n",
			       date_format(w->ext[i].from, a), date_format(w->ext[i].to, b));
}

int deadline_compute(const struct calendar *c, struct date start,
		     const struct deadline_rule *rule, const struct extension *ext,
		     int next, struct date *due, char *explain, size_t n)
{
	struct walk w;
	char s[DATE_STR];
	memset(&w, 0, sizeof w);
	w.c = c ? c : calendar_current();
	w.ext = ext;
	w.next = next;
	w.roll_law = rule && (rule->kind == DL_MONTHS || rule->kind == DL_YEARS) ? "民法典第二百零三条" : "民事诉讼法第八十五条";
	w.sb = (struct sb){ explain, n, 0 };
	sb_reset(&w.sb);
	const char *why = dl_check(start, rule, ext, next);
	if (why) {
		sb_add(&w.sb, "%s\n", why);
		return -1;
	}
	explain_start(&w, start, rule);
	explain_pauses(&w);
	int d = dl_base(&w, date_to_days(start), rule);
	for (int i = 0; i < next && d >= 0; i++)
		if (ext[i].kind != EXT_PAUSE)
			d = dl_extend(&w, d, &ext[i]);
	if (d < 0 || !date_valid(date_from_days(d))) {
		sb_reset(&w.sb);
		sb_add(&w.sb, "期限超出可计算的日期范围\n");
		return -1;
	}
	explain_unused_pauses(&w);
	sb_add(&w.sb, "届满日 %s（%s）\n", day_text(d, s), date_weekday_label(date_from_days(d)));
	explain_warning(&w);
	*due = date_from_days(d);
	return w.nmissing ? 1 : 0;
}

/* ---- status ------------------------------------------------------------------ */

enum deadline_status deadline_status(struct date due, const struct date *closed,
				     struct date today, int soon_days)
{
	int d = date_to_days(due);
	if (closed)
		return date_to_days(*closed) <= d ? DL_CLOSED_ON_TIME : DL_CLOSED_LATE;
	int left = d - date_to_days(today);
	if (left < 0)
		return DL_OVERDUE;
	return left <= soon_days ? DL_DUE_SOON : DL_ON_TIME;
}

const char *deadline_status_label(enum deadline_status s)
{
	switch (s) {
	case DL_ON_TIME:
		return "正常";
	case DL_DUE_SOON:
		return "即将到期";
	case DL_OVERDUE:
		return "已逾期";
	case DL_CLOSED_ON_TIME:
		return "按期办结";
	case DL_CLOSED_LATE:
		return "逾期办结";
	}
	return "未知";
}

int deadline_after(const char *from, enum deadline_kind kind, int n, char out[DATE_STR])
{
	struct deadline_rule rule = { .kind = kind };
	struct date d, due;
	if (kind == DL_MONTHS || kind == DL_YEARS)
		rule.count = n;
	else
		rule.days = n;
	if (date_parse(from, &d) != 0 || deadline_compute(NULL, d, &rule, NULL, 0, &due, NULL, 0) < 0)
		return -1;
	date_format(due, out);
	return 0;
}
