/*
 * notify.c — the notification passes (see notify.h): audit entries and
 * deadlines become notices, each notice reaches its recipients and is
 * queued for its webhooks. What a notice says is composed here, in
 * Chinese, from the register's labels and the people's display names.
 */
#include "notify.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "cntime.h"
#include "due.h"
#include "law_store.h"
#include "query.h"
#include "register.h"
#include "roles.h"
#include "scope.h"
#include "vocab.h"
#include "webhook.h"

/* A notice to be made; who receives it is the audience. */
struct notice {
	char dedupe[96];
	const char *kind, *entity;
	int64_t entity_id, body_id;
	char path[128];
	char title[1200], text[4096];
};

enum audience {
	TO_BODY,   /* the body's users */
	TO_OFFICE, /* users with no body whose scope holds the item, in roles */
};

/* The item a notice is about: a record or a task, as the store has it. */
struct item {
	const char *label; /* 整改事项, 分解任务 … */
	int64_t body_id;
	char path[128], title[1024], body[256], due[11], state[32];
	json_t *data;      /* a record's data (NULL for a task) */
};

static int state_get(db *d, const char *key, char *out, size_t n)
{
	db_stmt *st = db_prepare(d, "SELECT value FROM notify_state WHERE key = $1");
	db_bind_text(st, 1, key);
	int rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(out, n, "%s", db_col_text(st, 0));
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int state_set(db *d, const char *key, const char *value)
{
	db_stmt *st = db_prepare(d, "INSERT INTO notify_state(key, value) VALUES ($1, $2)"
				    " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, value);
	return db_run_done(st) == DB_DONE ? 0 : -1;
}

/* The recipients of notice id: the body's users, or the office's. */
static int add_recipients(db *d, int64_t id, const struct notice *n, enum audience who,
			  const char *const *roles, int nroles)
{
	struct query q;
	if (who == TO_BODY) {
		query_init(&q, "INSERT INTO notifications(user_id, notice_id)");
		query_add(&q, " SELECT ub.user_id, ? FROM user_bodies ub JOIN users u ON u.id = ub.user_id"
			      " WHERE u.disabled = 0", "i", id);
		query_add(&q, " AND ub.body_id = ?", "i", n->body_id);
	} else {
		query_init(&q, "INSERT INTO notifications(user_id, notice_id)");
		query_add(&q, " SELECT u.id, ? FROM users u LEFT JOIN regions g ON g.code = u.scope_region"
			      " WHERE u.disabled = 0 AND NOT EXISTS (SELECT 1 FROM user_bodies b WHERE b.user_id = u.id)",
			  "i", id);
		scope_covering(&q, "g.path", n->path);
		query_raw(&q, " AND u.role IN ('-'");
		for (int i = 0; i < role_count(); i++) {
			const struct role *r = role_at(i);
			int named = nroles == 0;
			for (int k = 0; k < nroles; k++)
				named |= strcmp(roles[k], r->name) == 0;
			if (named && (r->perms & PERM_RECORD_WRITE))
				query_add(&q, ", ?", "s", r->name);
		}
		query_raw(&q, ")");
	}
	query_raw(&q, " ON CONFLICT DO NOTHING");
	db_stmt *st = query_prepare(d, &q);
	int rc = db_run_done(st);
	query_free(&q);
	return rc == DB_DONE ? 0 : -1;
}

/* Makes the notice unless its event already made one. 1 made, 0 there
 * already, -1 store error. */
static int notice_add(db *d, const struct notice *n, enum audience who, const char *const *roles, int nroles)
{
	db_stmt *st = db_prepare(d, "INSERT INTO notices(dedupe, kind, entity, entity_id, body_id, region_path, title,"
				    " text, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
				    " ON CONFLICT(dedupe) DO NOTHING RETURNING id");
	db_bind_text(st, 1, n->dedupe);
	db_bind_text(st, 2, n->kind);
	db_bind_text(st, 3, n->entity);
	db_bind_int(st, 4, n->entity_id);
	db_bind_int(st, 5, n->body_id);
	db_bind_text(st, 6, n->path);
	db_bind_text(st, 7, n->title);
	db_bind_text(st, 8, n->text);
	db_bind_int(st, 9, (int64_t)time(NULL));
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 0 : -1;
	if (add_recipients(d, id, n, who, roles, nroles) != 0 || webhook_queue(d, id, n->body_id, n->path) != 0)
		return -1;
	return 1;
}

static void item_free(struct item *it) { json_decref(it->data); }

/* Loads the record or task a notice is about. 1 found, 0 gone, -1 error. */
static int item_load(db *d, const char *entity, int64_t id, struct item *it)
{
	const struct reg_def *r = register_find(entity);
	memset(it, 0, sizeof *it);
	db_stmt *st = db_prepare(d, r ? "SELECT r.body_id, r.region_path, r.title, b.name, COALESCE(r.due_date, ''),"
					" r.state, r.data FROM records r JOIN bodies b ON b.id = r.body_id"
					" WHERE r.id = $1 AND r.register = $2"
				      : "SELECT x.body_id, x.region_path, '指标 ' || x.indicator_id || ' 分解任务', b.name,"
					" x.due_date, CASE WHEN x.done_date IS NULL THEN 'open' ELSE 'done' END, NULL"
					" FROM assignments x JOIN bodies b ON b.id = x.body_id"
					" WHERE x.id = $1 AND $2 = 'assignment'");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, entity);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		it->label = r ? r->label : "分解任务";
		it->body_id = db_col_int(st, 0);
		snprintf(it->path, sizeof it->path, "%s", db_col_text(st, 1));
		snprintf(it->title, sizeof it->title, "%s", db_col_text(st, 2));
		snprintf(it->body, sizeof it->body, "%s", db_col_text(st, 3));
		snprintf(it->due, sizeof it->due, "%s", db_col_text(st, 4));
		snprintf(it->state, sizeof it->state, "%s", db_col_text(st, 5));
		it->data = r ? json_loads(db_col_text(st, 6), 0, NULL) : NULL;
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* One audit entry, already read. */
struct event {
	int64_t id, actor_id;
	const char *actor, *action, *entity;
	int64_t entity_id;
	json_t *detail;
};

/* A notice about the event's item; its event is its dedupe key. */
static void notice_for(struct notice *n, const char *kind, const struct event *ev, const struct item *it)
{
	memset(n, 0, sizeof *n);
	snprintf(n->dedupe, sizeof n->dedupe, "audit:%" PRId64, ev->id);
	n->kind = kind;
	n->entity = ev->entity;
	n->entity_id = ev->entity_id;
	n->body_id = it->body_id;
	snprintf(n->path, sizeof n->path, "%s", it->path);
}

/* Whether the actor belongs to the body (then creating an item for it is
 * not an assignment to tell it of). */
static int actor_in_body(db *d, int64_t actor_id, int64_t body_id)
{
	int64_t one;
	char a[24], b[24];
	snprintf(a, sizeof a, "%" PRId64, actor_id);
	snprintf(b, sizeof b, "%" PRId64, body_id);
	int rc = db_lookup_int(d, "SELECT 1 FROM user_bodies WHERE user_id = CAST($1 AS INTEGER)"
				  " AND body_id = CAST($2 AS INTEGER)", &one, 2, a, b);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int on_created(db *d, const struct event *ev, const struct item *it, struct notice *n)
{
	if (ev->actor_id == 0)
		return 0; /* made by an operator's command or the system: nobody assigned it */
	int in = actor_in_body(d, ev->actor_id, it->body_id);
	if (in != 0)
		return in;
	notice_for(n, "assigned", ev, it);
	snprintf(n->title, sizeof n->title, "新交办%s：%s", it->label, it->title);
	snprintf(n->text, sizeof n->text, "%s向本单位交办%s“%s”%s%s。", ev->actor, it->label, it->title,
		 *it->due ? "，办理期限 " : "", it->due);
	return notice_add(d, n, TO_BODY, NULL, 0);
}

/* The roles that act next on the assigning side from state s, and
 * whether there is such a step. */
static int review_roles(const struct reg_def *r, int s, const char **roles, int *nroles)
{
	int any = 0;
	*nroles = 0;
	for (int i = 0; i < r->ntransitions; i++) {
		const struct reg_transition *t = &r->transitions[i];
		int from = 0;
		for (int k = 0; k < t->nfrom; k++)
			from |= t->from[k] == s;
		if (!from || t->side != RS_ASSIGNING)
			continue;
		any = 1;
		for (int k = 0; k < t->nroles && *nroles < REG_MAX_LIST; k++)
			roles[(*nroles)++] = t->roles[k];
		if (t->nroles == 0)
			return *nroles = 0, 1; /* any role: no restriction */
	}
	return any;
}

static int on_transition(db *d, const struct event *ev, const struct reg_def *r, const struct item *it,
			 struct notice *n)
{
	const struct reg_transition *t = register_transition(r, json_string_value(json_object_get(ev->detail,
												  "transition")));
	const char *roles[REG_MAX_LIST];
	int nroles;
	if (!t)
		return 0;
	if (t->side == RS_ASSIGNING) {
		const char *why = t->returns ? json_string_value(json_object_get(it->data,
										  r->fields[t->require[0]].name)) : NULL;
		notice_for(n, t->returns ? "returned" : "decided", ev, it);
		snprintf(n->title, sizeof n->title, "%s%s：%s", it->label, t->label, it->title);
		snprintf(n->text, sizeof n->text, "%s对%s“%s”作出“%s”%s%s%s", ev->actor, it->label, it->title, t->label,
			 why ? "。" : "", why ? r->fields[t->require[0]].label : "", why ? "：" : "。");
		if (why)
			snprintf(n->text + strlen(n->text), sizeof n->text - strlen(n->text), "%s", why);
		return notice_add(d, n, TO_BODY, NULL, 0);
	}
	if (!review_roles(r, t->to, roles, &nroles))
		return 0;
	notice_for(n, "review", ev, it);
	snprintf(n->title, sizeof n->title, "待审核：%s%s", it->body, t->label);
	snprintf(n->text, sizeof n->text, "%s对%s“%s”提出“%s”，请审核。", it->body, it->label, it->title, t->label);
	return notice_add(d, n, TO_OFFICE, roles, nroles);
}

static int on_urge(db *d, const struct event *ev, const struct item *it, struct notice *n)
{
	const char *kind = json_string_value(json_object_get(ev->detail, "kind"));
	const char *msg = json_string_value(json_object_get(ev->detail, "message"));
	const char *reply = json_string_value(json_object_get(ev->detail, "reply_by"));
	const char *label = vocab_label(VOCAB_URGE_KIND, kind);
	notice_for(n, "urge", ev, it);
	snprintf(n->title, sizeof n->title, "%s：%s", label ? label : "催办单", it->title);
	snprintf(n->text, sizeof n->text, "%s发出%s：%s“%s”%s%s。%s%s%s", ev->actor, label ? label : "催办单", it->label,
		 it->title, *it->due ? "办理期限 " : "", it->due, msg && *msg ? msg : "",
		 reply && *reply ? " 请于 " : "", reply && *reply ? reply : "");
	if (reply && *reply)
		snprintf(n->text + strlen(n->text), sizeof n->text - strlen(n->text), " 前回复办理情况。");
	return notice_add(d, n, TO_BODY, NULL, 0);
}

/* An item made on behalf of someone outside the platform (action "refer":
 * an enterprise's complaint through its 入企码, detail "source"): the
 * office's coordinators are told to supervise it, the body that it is
 * assigned (a second notice, its own dedupe key). */
static int on_referred(db *d, const struct event *ev, const struct item *it, struct notice *n)
{
	static const char *const roles[] = { "coordinator" };
	const char *from = json_string_value(json_object_get(ev->detail, "source"));
	from = from ? from : "外部反映";
	notice_for(n, "review", ev, it);
	snprintf(n->title, sizeof n->title, "待督办：%s转来的%s", from, it->label);
	snprintf(n->text, sizeof n->text, "%s已转为%s“%s”，责任单位%s%s%s，请督办。", from, it->label, it->title, it->body,
		 *it->due ? "，整改期限 " : "", it->due);
	int rc = notice_add(d, n, TO_OFFICE, roles, 1);
	if (rc < 0)
		return rc;
	notice_for(n, "assigned", ev, it);
	snprintf(n->dedupe + strlen(n->dedupe), sizeof n->dedupe - strlen(n->dedupe), ":body");
	snprintf(n->title, sizeof n->title, "新交办%s：%s转来", it->label, from);
	snprintf(n->text, sizeof n->text, "%s已转为本单位的%s“%s”%s%s。", from, it->label, it->title,
		 *it->due ? "，整改期限 " : "", it->due);
	return notice_add(d, n, TO_BODY, NULL, 0);
}

/* One audit entry: the notice it calls for, if any. */
static int on_event(db *d, const struct event *ev)
{
	const struct reg_def *r = register_find(ev->entity);
	int task = strcmp(ev->entity, "assignment") == 0;
	struct item it;
	struct notice n;
	if (!r && !task)
		return 0;
	int found = item_load(d, ev->entity, ev->entity_id, &it);
	if (found <= 0)
		return found; /* gone since (deleted): nothing to tell */
	int rc = 0;
	if (strcmp(ev->action, "create") == 0)
		rc = on_created(d, ev, &it, &n);
	else if (strcmp(ev->action, "transition") == 0 && r)
		rc = on_transition(d, ev, r, &it, &n);
	else if (strcmp(ev->action, "urge") == 0)
		rc = on_urge(d, ev, &it, &n);
	else if (strcmp(ev->action, "refer") == 0 && r)
		rc = on_referred(d, ev, &it, &n);
	item_free(&it);
	return rc;
}

/* Reads up to NOTIFY_BATCH audit entries after the cursor and makes their
 * notices, moving the cursor in the same transaction. The number read,
 * or -1. */
static int64_t events_batch(db *d, struct notify_stats *stats)
{
	char cur[24] = "0", next[24];
	int64_t last = 0, read = 0;
	if (db_begin(d) != 0 || state_get(d, "audit_cursor", cur, sizeof cur) < 0)
		goto fail;
	db_stmt *st = db_prepare(d, "SELECT l.id, COALESCE(l.actor_id, 0), COALESCE(NULLIF(u.display_name, ''), l.actor),"
				    " l.action, l.entity, l.entity_id, l.detail FROM audit_log l"
				    " LEFT JOIN users u ON u.id = l.actor_id"
				    " WHERE l.id > $1 ORDER BY l.id LIMIT $2");
	db_bind_int(st, 1, strtoll(cur, NULL, 10));
	db_bind_int(st, 2, NOTIFY_BATCH);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct event ev = { .id = db_col_int(st, 0), .actor_id = db_col_int(st, 1), .actor = db_col_text(st, 2),
				    .action = db_col_text(st, 3), .entity = db_col_text(st, 4),
				    .entity_id = strtoll(db_col_text(st, 5), NULL, 10),
				    .detail = json_loads(db_col_text(st, 6), 0, NULL) };
		last = ev.id;
		read++;
		int made = ev.entity_id > 0 ? on_event(d, &ev) : 0;
		json_decref(ev.detail);
		if (made < 0)
			break;
		stats->notices += made;
	}
	db_done(st);
	snprintf(next, sizeof next, "%" PRId64, last);
	if (rc != DB_DONE || (read && state_set(d, "audit_cursor", next) != 0) || db_commit(d) != 0)
		goto fail;
	stats->events += read;
	return read;
fail:
	db_rollback(d);
	return -1;
}

/* A deadline notice for one item due soon or overdue, once per due date. */
static int deadline_notice(db *d, const char *entity, int64_t id, int overdue)
{
	struct item it;
	struct notice n = { 0 };
	int found = item_load(d, entity, id, &it);
	if (found <= 0)
		return found;
	snprintf(n.dedupe, sizeof n.dedupe, "%s:%s:%" PRId64 ":%s", overdue ? "overdue" : "due_soon", entity, id, it.due);
	n.kind = overdue ? "overdue" : "due_soon";
	n.entity = entity;
	n.entity_id = id;
	n.body_id = it.body_id;
	snprintf(n.path, sizeof n.path, "%s", it.path);
	snprintf(n.title, sizeof n.title, "%s：%s", overdue ? "已逾期" : "即将到期", it.title);
	snprintf(n.text, sizeof n.text, overdue ? "%s“%s”的办理期限 %s 已过，尚未办结，请抓紧办理。"
						: "%s“%s”将于 %s 到期，请及时办理。",
		 it.label, it.title, it.due);
	item_free(&it);
	return notice_add(d, &n, TO_BODY, NULL, 0);
}

/* The open items and tasks due by until (overdue: before today), each
 * handed to deadline_notice. The number made, or -1. */
static int64_t deadline_scan(db *d, const char *today, const char *until, int overdue)
{
	db_stmt *st = db_prepare(d, overdue ? "SELECT register, id FROM records WHERE closed_date IS NULL AND met_date IS NULL"
					      " AND due_date < $1 UNION ALL SELECT 'assignment', id FROM"
					      " assignments WHERE done_date IS NULL AND due_date < $1 ORDER BY 1, 2"
					    : "SELECT register, id FROM records WHERE closed_date IS NULL AND met_date IS NULL"
					      " AND due_date >= $1 AND due_date <= $2 UNION ALL SELECT 'assignment', id FROM"
					      " assignments WHERE done_date IS NULL AND due_date >= $1 AND due_date <= $2"
					      " ORDER BY 1, 2");
	db_bind_text(st, 1, today);
	if (!overdue)
		db_bind_text(st, 2, until);
	json_t *due = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(due, json_pack("[s, I]", db_col_text(st, 0), (json_int_t)db_col_int(st, 1)));
	db_done(st);
	int64_t made = rc == DB_DONE ? 0 : -1;
	size_t i;
	json_t *x;
	json_array_foreach(due, i, x) {
		int k = made < 0 ? -1 : deadline_notice(d, json_string_value(json_array_get(x, 0)),
							 json_integer_value(json_array_get(x, 1)), overdue);
		made = k < 0 ? -1 : made + k;
	}
	json_decref(due);
	return made;
}

/* Once per China day, in one transaction with the day it marks. */
static int deadlines(db *d, const struct settings *s, struct notify_stats *stats)
{
	char today[11], until[11], done[16] = "";
	cn_today(today);
	if (state_get(d, "deadline_day", done, sizeof done) < 0)
		return -1;
	if (strcmp(done, today) == 0)
		return 0;
	due_soon_until(today, s->due_soon_working_days, until);
	if (db_begin(d) != 0)
		return -1;
	int64_t soon = deadline_scan(d, today, until, 0), late = soon < 0 ? -1 : deadline_scan(d, today, until, 1);
	if (late < 0 || state_set(d, "deadline_day", today) != 0 || db_commit(d) != 0) {
		db_rollback(d);
		return -1;
	}
	stats->notices += soon + late;
	stats->deadlines_run = 1;
	return 0;
}

/* The law library's statuses, once a day (law_store.h). */
static int laws_daily(db *d)
{
	char today[11], done[16] = "";
	cn_today(today);
	if (state_get(d, "laws_restatus_day", done, sizeof done) < 0)
		return -1;
	if (strcmp(done, today) == 0)
		return 0;
	return law_store_restatus_all(d, today) == 0 && state_set(d, "laws_restatus_day", today) == 0 ? 0 : -1;
}

/* One reminder of record id: to its body, and to the coordinators over it,
 * once per date (its dedupe key holds the date). 0/1/2 made, or -1. */
static int reminder_notice(db *d, const struct reg_def *r, const struct reg_reminder *m, int64_t id, const char *day)
{
	static const char *const roles[] = { "coordinator" };
	struct item it;
	struct notice n = { 0 };
	int found = item_load(d, r->name, id, &it);
	if (found <= 0)
		return found;
	snprintf(n.dedupe, sizeof n.dedupe, "remind:%s:%" PRId64 ":%s:%s", r->name, id, r->fields[m->field].name, day);
	n.kind = "due_soon"; /* the notices' kinds are fixed by the store: a date coming */
	n.entity = r->name;
	n.entity_id = id;
	n.body_id = it.body_id;
	snprintf(n.path, sizeof n.path, "%s", it.path);
	snprintf(n.title, sizeof n.title, "提醒：%s %s", m->label, day);
	snprintf(n.text, sizeof n.text, "%s“%s”（%s）的%s定于 %s（%s），请提前做好准备。", it.label, it.title, it.body, m->label,
		 day, r->fields[m->field].label);
	item_free(&it);
	int a = notice_add(d, &n, TO_BODY, NULL, 0);
	if (a < 0)
		return -1;
	snprintf(n.dedupe + strlen(n.dedupe), sizeof n.dedupe - strlen(n.dedupe), ":office");
	int b = notice_add(d, &n, TO_OFFICE, roles, 1);
	return b < 0 ? -1 : a + b;
}

/* The open records of r whose data holds m's date, each checked and, when
 * due, reminded. The number of notices made, or -1. */
static int64_t reminder_scan(db *d, const struct reg_def *r, const struct reg_reminder *m, int today)
{
	char needle[96];
	snprintf(needle, sizeof needle, "\"%s\":\"", r->fields[m->field].name);
	char *pat = query_like_pattern(needle);
	if (!pat)
		return -1;
	db_stmt *st = db_prepare(d, "SELECT id, data FROM records WHERE register = $1 AND closed_date IS NULL"
				    " AND data LIKE $2 ESCAPE '\\' ORDER BY id");
	db_bind_text(st, 1, r->name);
	db_bind_text(st, 2, pat);
	json_t *due = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *data = json_loads(db_col_text(st, 1), 0, NULL);
		const char *day = register_reminder_due(r, m, data, today);
		if (day)
			json_array_append_new(due, json_pack("[I, s]", (json_int_t)db_col_int(st, 0), day));
		json_decref(data);
	}
	db_done(st);
	free(pat);
	int64_t made = rc == DB_DONE ? 0 : -1;
	size_t i;
	json_t *x;
	json_array_foreach(due, i, x) {
		int k = made < 0 ? -1 : reminder_notice(d, r, m, json_integer_value(json_array_get(x, 0)),
							 json_string_value(json_array_get(x, 1)));
		made = k < 0 ? -1 : made + k;
	}
	json_decref(due);
	return made;
}

/* Every register's reminders, on every pass (a date set today is
 * reminded of today), in one transaction. */
static int reminders(db *d, struct notify_stats *stats)
{
	char today[11];
	struct date t;
	cn_today(today);
	if (date_parse(today, &t) != 0 || db_begin(d) != 0)
		return -1;
	int64_t made = 0;
	for (int i = 0; i < register_count() && made >= 0; i++) {
		const struct reg_def *r = register_at(i);
		for (int k = 0; k < r->nreminders && made >= 0; k++) {
			int64_t n = reminder_scan(d, r, &r->reminders[k], date_to_days(t));
			made = n < 0 ? -1 : made + n;
		}
	}
	if (made < 0 || db_commit(d) != 0) {
		db_rollback(d);
		return -1;
	}
	stats->notices += made;
	return 0;
}

int notify_pass(db *d, const struct settings *s, struct notify_stats *st, char *err, size_t n)
{
	int64_t read;
	char now[24];
	memset(st, 0, sizeof *st);
	do
		read = events_batch(d, st);
	while (read == NOTIFY_BATCH);
	if (read < 0 || deadlines(d, s, st) != 0 || reminders(d, st) != 0) {
		snprintf(err, n, "通知生成失败 / notification pass failed: %s", db_errmsg(d));
		return -1;
	}
	webhook_deliver(d, &st->delivered, &st->failed);
	if (laws_daily(d) != 0) {
		snprintf(err, n, "法律法规效力状态更新失败 / law statuses not updated: %s", db_errmsg(d));
		return -1;
	}
	snprintf(now, sizeof now, "%lld", (long long)time(NULL));
	if (state_set(d, "last_pass", now) != 0) {
		snprintf(err, n, "通知生成失败 / notification pass failed: %s", db_errmsg(d));
		return -1;
	}
	return 0;
}

int notify_recover(db *d)
{
	db_stmt *st = db_prepare(d, "UPDATE webhook_deliveries SET state = 'failed',"
				    " last_error = '服务重启时尚未确认是否送达，不再重发' WHERE state = 'sending'");
	return db_run_done(st) == DB_DONE ? 0 : -1;
}
