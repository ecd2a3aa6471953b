/*
 * bulletin.c — composing the 通报 of a region and year (bulletin.h): the
 * ranking, the overdue tasks and items per body, the issuing office and
 * the default texts. Rendering is bulletin_docx.c.
 */
#include "bulletin.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "cntime.h"
#include "docx.h"
#include "eval.h"
#include "office.h"
#include "query.h"
#include "register.h"
#include "scope.h"
#include "validate.h"
#include "vocab.h"

const struct bulletin_text bulletin_texts[BT_COUNT] = {
	[BT_REMARKS] = { "remarks", "按语", 2000, 1 },
	[BT_REQUIREMENTS] = { "requirements", "工作要求", 4000, 1 },
	[BT_DOC_NUMBER] = { "doc_number", "发文字号", 40, 0 },
	[BT_RECIPIENTS] = { "recipients", "主送机关", 300, 0 },
	[BT_COPY_TO] = { "copy_to", "抄送机关", 300, 0 },
};

void bulletin_score(double v, char *out, size_t n)
{
	/* as the console shows it: the API's value (four places, eval.c) and
	 * then Number.toFixed(2) — the nearer hundredth of that double, the
	 * larger on a tie (rounding v once, halves up, differs at 19.985 → 19.98) */
	double w = (double)(int64_t)(v * 10000 + (v < 0 ? -0.5 : 0.5)) / 10000;
	long double lo = floorl((long double)w * 100), hi = lo + 1;
	long double cents = (long double)w - lo / 100 < hi / 100 - (long double)w ? lo : hi;
	snprintf(out, n, "%.2Lf", cents / 100);
	char *dot = strchr(out, '.');
	if (!dot)
		return;
	char *end = out + strlen(out);
	while (end > dot && (end[-1] == '0' || end[-1] == '.'))
		*--end = 0;
}

/* Days from due to today (both YYYY-MM-DD); 0 when either is not a date. */
static int days_late(const char *due, const char *today)
{
	struct date a, b;
	if (!due || date_parse(due, &a) != 0 || date_parse(today, &b) != 0)
		return 0;
	int n = date_to_days(b) - date_to_days(a);
	return n > 0 ? n : 0;
}

/* ---- the overdue rows, grouped by body ------------------------------------ */

struct ctx {
	const struct bulletin_of *of;
	const struct user *u;
	char today[11], from[11], to[11];
	const struct reg_def *gaps;
};

/* Rows (ordered by body) into {total, bodies, truncated, groups}: cols 0 =
 * id, 1 = body id, 2 = body name; the rest made by row(). total counted
 * apart (the rows stop at BULLETIN_MAX_ROWS). */
static json_t *groups_of(db *d, struct query *q, int64_t total, json_t *(*row)(db_stmt *, const struct ctx *), const struct ctx *c,
			 struct fz_err *e)
{
	json_t *groups = json_array(), *g = NULL;
	int64_t last = -1, n = 0;
	int rc;
	db_stmt *st = query_prepare(d, q);
	while ((rc = st ? db_step(st) : DB_ERR) == DB_ROW) {
		if (db_col_int(st, 1) != last) {
			last = db_col_int(st, 1);
			g = json_pack("{s:I, s:s, s:i, s:[]}", "body_id", (json_int_t)last, "body_name", db_col_text(st, 2),
				      "count", 0, "items");
			json_array_append_new(groups, g);
		}
		json_array_append_new(json_object_get(g, "items"), row(st, c));
		json_object_set_new(g, "count", json_integer((json_int_t)json_array_size(json_object_get(g, "items"))));
		n++;
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(groups);
		fz_store(e, d);
		return NULL;
	}
	return json_pack("{s:I, s:I, s:b, s:o}", "total", (json_int_t)total, "bodies", (json_int_t)json_array_size(groups),
			 "truncated", total > n, "groups", groups);
}

/* The count of the rows q selects ("SELECT COUNT(*)"); -1 on a store error. */
static int64_t count_of(db *d, struct query *q)
{
	db_stmt *st = query_prepare(d, q);
	int64_t n = st && db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return n;
}

/* Assignments of the system due in the year and overdue today, in scope
 * under the region (board.c judges overdue the same way). */
static void tasks_query(const struct ctx *c, struct query *q, const char *head)
{
	query_init(q, head);
	query_raw(q, " FROM assignments a JOIN bodies b ON b.id = a.body_id WHERE a.done_date IS NULL");
	query_add(q, " AND a.system_id = ? AND a.due_date < ? AND a.due_date >= ? AND a.due_date <= ?", "ssss",
		  c->of->sys->id, c->today, c->from, c->to);
	scope_subtree(q, "a.region_path", c->of->path);
	scope_filter(q, c->u, "a.region_path", "a.body_id");
}

static json_t *task_row(db_stmt *st, const struct ctx *c)
{
	const struct indicator_system *s = c->of->sys;
	int i = indicator_find(s, db_col_text(st, 3));
	const char *role = vocab_label(VOCAB_ASSIGNMENT_ROLE, db_col_text(st, 4));
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:I}", "id", (json_int_t)db_col_int(st, 0), "indicator",
			 db_col_text(st, 3), "indicator_name", i >= 0 ? s->items[i].name : "", "role_label", role ? role : "",
			 "due_date", db_col_text(st, 5), "days_late", days_late(db_col_text(st, 5), c->today), "progress",
			 (json_int_t)db_col_int(st, 6));
}

static json_t *tasks(db *d, const struct ctx *c, struct fz_err *e)
{
	struct query q;
	tasks_query(c, &q, "SELECT COUNT(*)");
	int64_t total = count_of(d, &q);
	query_free(&q);
	if (total < 0) {
		fz_store(e, d);
		return NULL;
	}
	tasks_query(c, &q, "SELECT a.id, a.body_id, b.name, a.indicator_id, a.role, a.due_date, a.progress");
	query_add(&q, " ORDER BY b.region_path, b.id, a.due_date, a.id LIMIT ?", "i", (int64_t)BULLETIN_MAX_ROWS);
	json_t *out = groups_of(d, &q, total, task_row, c, e);
	query_free(&q);
	return out;
}

/* Items of the register receiving gaps due in the year and overdue today
 * (the record list's status=overdue), in scope under the region. */
static void items_query(const struct ctx *c, struct query *q, const char *head)
{
	query_init(q, head);
	query_raw(q, " FROM records r JOIN bodies b ON b.id = r.body_id WHERE r.met_date IS NULL");
	query_add(q, " AND r.register = ? AND r.due_date < ? AND r.due_date >= ? AND r.due_date <= ?", "ssss",
		  c->gaps->name, c->today, c->from, c->to);
	scope_subtree(q, "r.region_path", c->of->path);
	scope_filter(q, c->u, "r.region_path", "r.body_id");
}

static json_t *item_row(db_stmt *st, const struct ctx *c)
{
	int s = register_state(c->gaps, db_col_text(st, 4));
	return json_pack("{s:I, s:s, s:s, s:s, s:i}", "id", (json_int_t)db_col_int(st, 0), "title", db_col_text(st, 3),
			 "state_label", s >= 0 ? c->gaps->states[s].label : "", "due_date", db_col_text(st, 5), "days_late",
			 days_late(db_col_text(st, 5), c->today));
}

static json_t *items(db *d, const struct ctx *c, struct fz_err *e)
{
	struct query q;
	if (!c->gaps)
		return json_pack("{s:n, s:s, s:i, s:i, s:b, s:[]}", "register", "label", "", "total", 0, "bodies", 0,
				 "truncated", 0, "groups");
	items_query(c, &q, "SELECT COUNT(*)");
	int64_t total = count_of(d, &q);
	query_free(&q);
	if (total < 0) {
		fz_store(e, d);
		return NULL;
	}
	items_query(c, &q, "SELECT r.id, r.body_id, b.name, r.title, r.state, r.due_date");
	query_add(&q, " ORDER BY b.region_path, b.id, r.due_date, r.id LIMIT ?", "i", (int64_t)BULLETIN_MAX_ROWS);
	json_t *out = groups_of(d, &q, total, item_row, c, e);
	query_free(&q);
	if (out) {
		json_object_set_new(out, "register", json_string(c->gaps->name));
		json_object_set_new(out, "label", json_string(c->gaps->label));
	}
	return out;
}

/* ---- ranking and texts ---------------------------------------------------- */

static json_t *ranking(db *d, const struct ctx *c, double *max, struct fz_err *e)
{
	json_t *rows = eval_rank(d, c->of->sys, c->of->region, c->of->year, e), *out, *r;
	size_t i;
	if (!rows)
		return NULL;
	out = json_array();
	*max = 0;
	json_array_foreach(rows, i, r) {
		if (i == 0)
			*max = json_number_value(json_object_get(r, "max"));
		json_array_append_new(out, json_pack("{s:I, s:O, s:O, s:O, s:O}", "rank", (json_int_t)i + 1, "region",
						     json_object_get(r, "region"), "region_name", json_object_get(r, "region_name"),
						     "total", json_object_get(r, "total"), "below", json_object_get(r, "below")));
	}
	json_decref(rows);
	return out;
}

/* Appends to buf (size n) as snprintf would, never past it. */
static void add(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;
	va_start(ap, fmt);
	if (len < n)
		vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

/* The 按语: the year, the ranking's top three, the overdue counts. */
static json_t *remarks(const json_t *b)
{
	char text[2048] = "", date[32], score[32];
	const json_t *rank = json_object_get(b, "ranking"), *t = json_object_get(b, "tasks"), *it = json_object_get(b, "items");
	int year = (int)json_integer_value(json_object_get(b, "period"));
	const char *name = json_string_value(json_object_get(b, "region_name"));
	docx_date_cn(json_string_value(json_object_get(b, "date")), date, sizeof date);
	add(text, sizeof text, "%d年度，%s法治政府建设示范创建工作持续推进。", year, name);
	if (json_array_size(rank) > 0) {
		bulletin_score(json_number_value(json_object_get(b, "score_max")), score, sizeof score);
		add(text, sizeof text, "按照%s，对%zu个地区进行了测评（满分%s分），", json_string_value(json_object_get(b, "system_name")),
		    json_array_size(rank), score);
		for (size_t i = 0; i < json_array_size(rank) && i < 3; i++) {
			bulletin_score(json_number_value(json_object_get(json_array_get(rank, i), "total")), score, sizeof score);
			add(text, sizeof text, "%s%s（%s分）", i ? "、" : "",
			    json_string_value(json_object_get(json_array_get(rank, i), "region_name")), score);
		}
		size_t n = json_array_size(rank);
		add(text, sizeof text, "%s。", n >= 3 ? "位列前三名" : n == 2 ? "位列前两名" : "参加测评");
	}
	add(text, sizeof text, "截至%s，%d年度到期的分解任务中", date, year);
	if (json_integer_value(json_object_get(t, "total")) > 0)
		add(text, sizeof text, "有%lld项逾期未完成，涉及%lld个单位；",
		    (long long)json_integer_value(json_object_get(t, "total")), (long long)json_integer_value(json_object_get(t, "bodies")));
	else
		add(text, sizeof text, "没有逾期未完成的；");
	add(text, sizeof text, "整改事项中");
	if (json_integer_value(json_object_get(it, "total")) > 0)
		add(text, sizeof text, "有%lld项逾期未销号，涉及%lld个单位。",
		    (long long)json_integer_value(json_object_get(it, "total")), (long long)json_integer_value(json_object_get(it, "bodies")));
	else
		add(text, sizeof text, "没有逾期未销号的。");
	add(text, sizeof text, "现将有关情况通报如下。");
	return json_string(text);
}

/* The 工作要求 every bulletin can stand on. */
static json_t *requirements(const char *issuer)
{
	char text[2048];
	snprintf(text, sizeof text,
		 "（一）压实整改责任。各地各单位要对照本通报反映的问题，逐项分析原因，明确整改措施、责任人和完成时限，确保按期完成。\n"
		 "（二）加快逾期事项办理。逾期未完成的分解任务和逾期未销号的整改事项，责任单位要抓紧办理，并在平台上及时更新进度；"
		 "确需延期的，应当按规定申请延期。\n"
		 "（三）强化督促检查。各地要加强日常督促检查，%s将持续跟踪通报事项的办理情况，并纳入法治政府建设年度考核。",
		 issuer);
	return json_string(text);
}

static json_t *defaults(const json_t *b, const char *today)
{
	char number[64], to[512];
	const char *name = json_string_value(json_object_get(b, "region_name"));
	int level = region_code_level(json_string_value(json_object_get(b, "region")));
	snprintf(number, sizeof number, "〔%.4s〕　号", today); /* the number is the issuer's to fill in */
	office_recipients(name, level, to, sizeof to);
	return json_pack("{s:o, s:o, s:s, s:s, s:n}", "remarks", remarks(b), "requirements",
			 requirements(json_string_value(json_object_get(b, "issuer"))), "doc_number", number, "recipients", to,
			 "copy_to");
}

json_t *bulletin_compose(db *d, const struct user *u, const struct bulletin_of *of, struct fz_err *e)
{
	struct ctx c = { .of = of, .u = u, .gaps = register_gap_receiver() };
	char issuer[192], head[96], tail[96], title[192];
	double max = 0;
	cn_today(c.today);
	snprintf(c.from, sizeof c.from, "%04d-01-01", of->year);
	snprintf(c.to, sizeof c.to, "%04d-12-31", of->year);
	office_of_region(of->name, region_code_level(of->region), issuer, sizeof issuer);
	/* two lines, each a whole phrase (GB/T 9704-2012 7.3.1) */
	snprintf(head, sizeof head, "关于%d年度法治政府建设", of->year);
	snprintf(tail, sizeof tail, "示范创建工作情况的通报");
	snprintf(title, sizeof title, "%s%s", head, tail);
	json_t *rank = ranking(d, &c, &max, e);
	json_t *t = rank ? tasks(d, &c, e) : NULL;
	json_t *it = t ? items(d, &c, e) : NULL;
	if (!it) {
		json_decref(rank);
		json_decref(t);
		return NULL;
	}
	json_t *b = json_pack("{s:i, s:s, s:s, s:s, s:s, s:[s, s], s:s, s:s, s:s, s:f, s:o, s:o, s:o}", "period", of->year,
			      "region", of->region, "region_name", of->name, "issuer", issuer, "title", title, "title_lines",
			      head, tail, "date", c.today, "system",
			      of->sys->id, "system_name", of->sys->name, "score_max", max, "ranking", rank, "tasks", t, "items", it);
	if (b)
		json_object_set_new(b, "defaults", defaults(b, c.today));
	return b;
}
