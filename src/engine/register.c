/*
 * register.c — loading and checking register definitions (register.h).
 * Every rule a definition must keep is checked here, so the engine can
 * trust a loaded definition.
 */
#include "register.h"

#include "domain.h"
#include "clock.h"
#include "embedded.h"
#include "metrics.h"
#include "org_metrics.h"
#include "roles.h"
#include "settings.h"

#include <dirent.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REGISTERS 32

static struct reg_def defs[MAX_REGISTERS];
static int ndefs;

static int fail(char *why, size_t n, const char *file, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail(char *why, size_t n, const char *file, const char *fmt, ...)
{
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(why, n, "登记簿定义 %s: %s", file, msg);
	return -1;
}

static const char *str(json_t *o, const char *key) { return json_string_value(json_object_get(o, key)); }

int register_state(const struct reg_def *r, const char *name)
{
	for (int i = 0; name && i < r->nstates; i++)
		if (strcmp(r->states[i].name, name) == 0)
			return i;
	return -1;
}

int register_field(const struct reg_def *r, const char *name)
{
	for (int i = 0; name && i < r->nfields; i++)
		if (strcmp(r->fields[i].name, name) == 0)
			return i;
	return -1;
}

const struct reg_transition *register_transition(const struct reg_def *r, const char *name)
{
	for (int i = 0; name && i < r->ntransitions; i++)
		if (strcmp(r->transitions[i].name, name) == 0)
			return &r->transitions[i];
	return NULL;
}

const char *register_side_label(enum reg_side s)
{
	return s == RS_ASSIGNING ? "交办方" : s == RS_HANDLING ? "承办方（责任单位）" : "";
}

/* "协调员、责任单位人员" or "有登记权限的用户". */
static void roles_text(const char *const *roles, int nroles, char *out, size_t n)
{
	size_t len = 0;
	out[0] = 0;
	for (int k = 0; k < nroles && len < n; k++) {
		const struct role *ro = role_find(roles[k]);
		len += (size_t)snprintf(out + len, n - len, "%s%s", k ? "、" : "", ro ? ro->label : roles[k]);
	}
	if (!nroles)
		snprintf(out, n, "有登记权限的用户");
}

void register_write_rule_text(const struct reg_def *r, const struct reg_field *f, char *out, size_t n)
{
	const struct reg_write *w = &f->write;
	char who[160], when[320], via[160];
	size_t len = 0, vlen = 0;
	roles_text(w->roles, w->nroles, who, sizeof who);
	when[0] = via[0] = 0;
	if (w->create)
		len += (size_t)snprintf(when, sizeof when, "创建时");
	for (int s = 0; s < r->nstates && len < sizeof when; s++)
		if (w->states & (1u << s))
			len += (size_t)snprintf(when + len, sizeof when - len, "%s“%s”", len ? "、" : "", r->states[s].label);
	for (int i = 0; i < r->ntransitions && vlen < sizeof via; i++)
		if (r->transitions[i].set_field == f - r->fields)
			vlen += (size_t)snprintf(via + vlen, sizeof via - vlen, "%s“%s”", vlen ? "、" : "，此后只能经",
						 r->transitions[i].label);
	if (!w->create && !w->states) { /* derived or stamped by the engine */
		snprintf(out, n, "由系统按规则填写%s%s", vlen ? via : "，不能直接修改", vlen ? "修改" : "");
		return;
	}
	snprintf(out, n, "由%s%s%s%s在%s%s填写%s%s", who, w->side ? "（" : "", register_side_label(w->side),
		 w->side ? "）" : "", len ? when : "", w->states ? "状态下" : "", vlen ? via : "", vlen ? "修改" : "");
}

/* Fills up to max strings from a JSON array of strings. */
static int strings(json_t *arr, const char **out, int max)
{
	size_t i;
	json_t *v;
	if (!arr)
		return 0;
	if (!json_is_array(arr) || (int)json_array_size(arr) > max)
		return -1;
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v))
			return -1;
		out[i] = json_string_value(v);
	}
	return (int)json_array_size(arr);
}

static int load_fields(struct reg_def *r, json_t *arr, const char *f, char *why, size_t n)
{
	static const char *const types[] = { "string", "text", "enum", "date", "int", "ref", "subject" };
	size_t i;
	json_t *o;
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > REG_MAX_FIELDS)
		return fail(why, n, f, "fields 应为 1 到 %d 个字段的数组", REG_MAX_FIELDS);
	json_array_foreach(arr, i, o) {
		struct reg_field *fd = &r->fields[r->nfields];
		fd->name = str(o, "name");
		fd->label = str(o, "label");
		const char *type = str(o, "type");
		if (!fd->name || !fd->label || !type)
			return fail(why, n, f, "fields[%zu] 缺少 name、label 或 type", i);
		if (register_field(r, fd->name) >= 0)
			return fail(why, n, f, "fields[%zu]: 字段名 %s 重复", i, fd->name);
		fd->type = (enum reg_field_type)-1;
		for (int t = 0; t < (int)(sizeof types / sizeof types[0]); t++)
			if (strcmp(type, types[t]) == 0)
				fd->type = (enum reg_field_type)t;
		if ((int)fd->type < 0)
			return fail(why, n, f, "fields[%zu].type: 未知类型 %s", i, type);
		fd->ref = str(o, "register");
		if ((fd->type == RF_REF) != (fd->ref != NULL))
			return fail(why, n, f, "fields[%zu]: 关联字段（type ref）须且只有它须给出 register（被关联的登记簿）", i);
		fd->required = json_is_true(json_object_get(o, "required"));
		fd->not_after_today = json_is_true(json_object_get(o, "not_after_today"));
		if (fd->not_after_today && fd->type != RF_DATE)
			return fail(why, n, f, "fields[%zu].not_after_today: 只适用于日期字段", i);
		fd->max = (int)json_integer_value(json_object_get(o, "max"));
		if (fd->max <= 0)
			fd->max = fd->type == RF_TEXT ? 2000 : 100;
		fd->nchoices = strings(json_object_get(o, "choices"), fd->choices, REG_MAX_LIST);
		if (fd->nchoices < 0 || (fd->type == RF_ENUM && fd->nchoices == 0))
			return fail(why, n, f, "fields[%zu].choices: 枚举字段须给出字符串选项", i);
		r->nfields++;
	}
	return 0;
}

/* "roles": names of roles that may write records; checked against the
 * role table. */
static int load_roles(json_t *arr, const char **out, int *nout, const char *where, const char *f, char *why,
		      size_t n)
{
	*nout = strings(arr, out, REG_MAX_LIST);
	if (*nout < 0)
		return fail(why, n, f, "%s.roles: 应为角色名数组", where);
	for (int k = 0; k < *nout; k++)
		if (!role_can(out[k], PERM_RECORD_WRITE))
			return fail(why, n, f, "%s.roles: 未知角色或该角色不能登记记录: %s", where, out[k]);
	return 0;
}

/* "side": "assigning", "handling" or "any" (absent: any). */
static int load_side(json_t *o, enum reg_side *out, const char *where, const char *f, char *why, size_t n)
{
	json_t *v = json_object_get(o, "side");
	const char *s = json_string_value(v);
	*out = RS_ANY;
	if (!v || (s && strcmp(s, "any") == 0))
		return 0;
	if (s && strcmp(s, "assigning") == 0)
		*out = RS_ASSIGNING;
	else if (s && strcmp(s, "handling") == 0)
		*out = RS_HANDLING;
	else
		return fail(why, n, f, "%s.side: 应为 assigning（交办方）、handling（承办方）或 any", where);
	return 0;
}

/* A set of state names as bits; every name must be a state. */
static int load_state_bits(struct reg_def *r, json_t *arr, unsigned *out, const char *where, const char *f,
			   char *why, size_t n)
{
	const char *names[REG_MAX_STATES];
	int ns = strings(arr, names, REG_MAX_STATES);
	*out = 0;
	if (ns < 0)
		return fail(why, n, f, "%s.states: 应为状态名数组", where);
	for (int k = 0; k < ns; k++) {
		int s = register_state(r, names[k]);
		if (s < 0)
			return fail(why, n, f, "%s.states: 未知状态 %s", where, names[k]);
		if (r->states[s].final)
			return fail(why, n, f, "%s.states: 终态 %s 的记录不能修改", where, names[k]);
		*out |= 1u << s;
	}
	return 0;
}

/* Each field's "write" rule (after the states are known). */
static int load_writes(struct reg_def *r, json_t *arr, const char *f, char *why, size_t n)
{
	static const char *const keys[] = { "roles", "side", "states", "create", NULL };
	for (int i = 0; i < r->nfields; i++) {
		struct reg_write *w = &r->fields[i].write;
		json_t *o = json_object_get(json_array_get(arr, (size_t)i), "write"), *v;
		char where[64];
		const char *key;
		snprintf(where, sizeof where, "fields[%d].write", i);
		w->create = 1;
		for (int s = 0; s < r->nstates; s++)
			w->states |= r->states[s].final ? 0 : 1u << s;
		if (!o)
			continue;
		if (!json_is_object(o))
			return fail(why, n, f, "%s: 应为对象", where);
		json_object_foreach(o, key, v) {
			int known = 0;
			for (int k = 0; keys[k]; k++)
				known |= strcmp(key, keys[k]) == 0;
			if (!known)
				return fail(why, n, f, "%s: 未知的规则项 %s", where, key);
		}
		if (load_roles(json_object_get(o, "roles"), w->roles, &w->nroles, where, f, why, n) ||
		    load_side(o, &w->side, where, f, why, n))
			return -1;
		if (json_object_get(o, "states") &&
		    load_state_bits(r, json_object_get(o, "states"), &w->states, where, f, why, n))
			return -1;
		v = json_object_get(o, "create");
		if (v && !json_is_boolean(v))
			return fail(why, n, f, "%s.create: 应为 true 或 false", where);
		w->create = !v || json_is_true(v);
	}
	return 0;
}

static int load_states(struct reg_def *r, json_t *arr, const char *f, char *why, size_t n)
{
	size_t i;
	json_t *o;
	r->initial = -1;
	if (!json_is_array(arr) || json_array_size(arr) < 2 || json_array_size(arr) > REG_MAX_STATES)
		return fail(why, n, f, "states 应为 2 到 %d 个状态的数组", REG_MAX_STATES);
	json_array_foreach(arr, i, o) {
		struct reg_state *s = &r->states[r->nstates];
		s->name = str(o, "name");
		s->label = str(o, "label");
		if (!s->name || !s->label || register_state(r, s->name) >= 0)
			return fail(why, n, f, "states[%zu]: 缺少 name/label 或状态名重复", i);
		s->initial = json_is_true(json_object_get(o, "initial"));
		s->final = json_is_true(json_object_get(o, "final"));
		if (s->initial && r->initial >= 0)
			return fail(why, n, f, "states[%zu]: 只能有一个初始状态", i);
		if (s->initial)
			r->initial = r->nstates;
		r->nstates++;
	}
	return r->initial < 0 ? fail(why, n, f, "states: 缺少初始状态（initial）") : 0;
}

/* A transition's key naming a date field only the engine writes ("stamp",
 * "unstamp"): its index in *out, -1 when absent; -1 returned (and *out
 * -2) when it names anything else. */
static int engine_date(const struct reg_def *r, json_t *o, const char *key, int *out)
{
	*out = -1;
	if (!json_object_get(o, key))
		return 0;
	int i = register_field(r, str(o, key));
	if (i < 0 || r->fields[i].type != RF_DATE || r->fields[i].write.states || r->fields[i].write.create) {
		*out = -2;
		return -1;
	}
	*out = i;
	return 0;
}

static int load_transition(struct reg_def *r, json_t *o, size_t i, const char *f, char *why, size_t n)
{
	struct reg_transition *t = &r->transitions[r->ntransitions];
	const char *from[REG_MAX_STATES], *req[REG_MAX_FIELDS];
	t->name = str(o, "name");
	t->label = str(o, "label");
	if (!t->name || !t->label || register_transition(r, t->name))
		return fail(why, n, f, "transitions[%zu]: 缺少 name/label 或名称重复", i);
	t->to = register_state(r, str(o, "to"));
	if (t->to < 0)
		return fail(why, n, f, "transitions[%zu].to: 未知状态", i);
	t->nfrom = strings(json_object_get(o, "from"), from, REG_MAX_STATES);
	if (t->nfrom <= 0)
		return fail(why, n, f, "transitions[%zu].from: 应为状态名数组", i);
	for (int k = 0; k < t->nfrom; k++)
		if ((t->from[k] = register_state(r, from[k])) < 0 || r->states[t->from[k]].final)
			return fail(why, n, f, "transitions[%zu].from: 状态 %s 不存在或为终态", i, from[k]);
	char where[48];
	snprintf(where, sizeof where, "transitions[%zu]", i);
	if (load_roles(json_object_get(o, "roles"), t->roles, &t->nroles, where, f, why, n) ||
	    load_side(o, &t->side, where, f, why, n))
		return -1;
	int nreq = strings(json_object_get(o, "require"), req, REG_MAX_FIELDS);
	if (nreq < 0)
		return fail(why, n, f, "transitions[%zu]: require 应为字符串数组", i);
	for (int k = 0; k < nreq; k++)
		if ((t->require[t->nrequire++] = register_field(r, req[k])) < 0)
			return fail(why, n, f, "transitions[%zu].require: 未知字段 %s", i, req[k]);
	if (json_is_true(json_object_get(o, "not_own_body"))) {
		if (t->side == RS_HANDLING)
			return fail(why, n, f, "transitions[%zu]: not_own_body 与 side handling 矛盾", i);
		t->side = RS_ASSIGNING;
	}
	t->returns = json_is_true(json_object_get(o, "returns"));
	if (t->returns && (t->side != RS_ASSIGNING || r->states[t->to].final || t->nrequire == 0))
		return fail(why, n, f, "transitions[%zu]: returns 只用于交办方执行、回到未办结状态并要求填写理由的操作", i);
	if (engine_date(r, o, "stamp", &t->stamp) || engine_date(r, o, "unstamp", &t->unstamp))
		return fail(why, n, f, "transitions[%zu].%s: 应为日期字段，且其 write 为 {\"create\": false, \"states\": []}"
				       "（只由系统在执行操作时填写或清除）", i, t->stamp == -2 ? "stamp" : "unstamp");
	t->set_field = t->set_from = -1;
	json_t *set = json_object_get(o, "set");
	if (set) {
		const char *key = json_object_size(set) == 1 ? json_object_iter_key(json_object_iter(set)) : NULL;
		t->set_field = register_field(r, key);
		t->set_from = register_field(r, json_string_value(json_object_get(set, key ? key : "")));
		if (!json_is_object(set) || t->set_field < 0 || t->set_from < 0 || t->set_field == t->set_from ||
		    r->fields[t->set_field].type != r->fields[t->set_from].type)
			return fail(why, n, f, "transitions[%zu].set: 应为 {\"字段\": \"同类型的来源字段\"}", i);
	}
	r->ntransitions++;
	return 0;
}

static int load_deadline(struct reg_def *r, json_t *o, const char *f, char *why, size_t n)
{
	const char *kind = str(o, "kind");
	r->deadline.basis = str(o, "basis");
	r->deadline.met = -1;
	r->deadline.days = (int)json_integer_value(json_object_get(o, "days"));
	if (!o)
		return 0;
	if (kind && strcmp(kind, "field") == 0) {
		r->deadline.kind = RD_FIELD;
		r->deadline.field = register_field(r, str(o, "field"));
		if (r->deadline.field < 0 || r->fields[r->deadline.field].type != RF_DATE)
			return fail(why, n, f, "deadline.field: 应为日期字段");
	} else if (kind && (strcmp(kind, "calendar_days") == 0 || strcmp(kind, "working_days") == 0)) {
		r->deadline.kind = kind[0] == 'c' ? RD_CALENDAR_DAYS : RD_WORKING_DAYS;
		if (r->deadline.days <= 0 || r->deadline.days > 3660)
			return fail(why, n, f, "deadline.days: 应为 1 到 3660 的整数");
	} else if (kind && (strcmp(kind, "months") == 0 || strcmp(kind, "years") == 0)) {
		int months = kind[0] == 'm'; /* 民法典 第二百零一至二百零三条 (clock.c) */
		r->deadline.kind = months ? RD_MONTHS : RD_YEARS;
		r->deadline.count = (int)json_integer_value(json_object_get(o, kind));
		if (r->deadline.count <= 0 || r->deadline.count > (months ? 120 : 10))
			return fail(why, n, f, "deadline.%s: 应为 1 到 %d 的整数", kind, months ? 120 : 10);
	} else {
		return fail(why, n, f, "deadline.kind: 应为 field、calendar_days、working_days、months 或 years");
	}
	if (json_object_get(o, "met") &&
	    ((r->deadline.met = register_field(r, str(o, "met"))) < 0 || r->fields[r->deadline.met].type != RF_DATE))
		return fail(why, n, f, "deadline.met: 应为日期字段（记录期限届满前完成的日期，如首次答复日期）");
	return 0;
}

/* A deadline field moves only through an approved extension: no plain
 * write after creation, and every transition that sets it is the
 * assigning side's, with a role named. */
static int check_deadline_rule(const struct reg_def *r, const char *f, char *why, size_t n)
{
	if (r->deadline.kind != RD_FIELD)
		return 0;
	const struct reg_field *d = &r->fields[r->deadline.field];
	if (d->write.states)
		return fail(why, n, f, "fields: 期限字段 %s 的 write.states 应为 []（创建后只能经批准延期修改）", d->name);
	for (int i = 0; i < r->ntransitions; i++) {
		const struct reg_transition *t = &r->transitions[i];
		if (t->set_field == r->deadline.field && (t->side != RS_ASSIGNING || t->nroles == 0))
			return fail(why, n, f, "transitions[%d]: 修改期限的操作 %s 应限定角色并由交办方（side assigning）执行",
				    i, t->name);
	}
	return 0;
}

static int load_metric(struct reg_def *r, json_t *o, size_t i, const char *f, char *why, size_t n)
{
	struct reg_metric *m = &r->metrics[r->nmetrics];
	const char *states[REG_MAX_STATES];
	m->name = str(o, "name");
	m->label = str(o, "label");
	if (!m->name || !m->label || strncmp(m->name, r->name, strlen(r->name)) != 0 ||
	    m->name[strlen(r->name)] != '.')
		return fail(why, n, f, "metrics[%zu]: 缺少 name/label，或名称不以 \"%s.\" 开头", i, r->name);
	int ns = strings(json_object_get(o, "states"), states, REG_MAX_STATES);
	if (ns < 0)
		return fail(why, n, f, "metrics[%zu].states: 应为状态名数组", i);
	for (int k = 0; k < ns; k++) {
		int s = register_state(r, states[k]);
		if (s < 0)
			return fail(why, n, f, "metrics[%zu].states: 未知状态 %s", i, states[k]);
		m->states |= 1u << s;
	}
	m->on_time = json_is_true(json_object_get(o, "on_time"));
	const char *date = str(o, "date");
	if (date && strcmp(date, "start") != 0 && strcmp(date, "due") != 0)
		return fail(why, n, f, "metrics[%zu].date: 应为 start（按起算日期计入期间）或 due（按办理期限计入期间）", i);
	m->by_due = date && strcmp(date, "due") == 0;
	if (m->by_due && r->deadline.kind == RD_NONE)
		return fail(why, n, f, "metrics[%zu].date: 登记簿没有办理期限（deadline），不能按期限计入", i);
	m->field = -1;
	if (json_object_get(o, "field")) {
		m->field = register_field(r, str(o, "field"));
		m->nin = strings(json_object_get(o, "in"), m->in, REG_MAX_LIST);
		if (m->field < 0 || m->nin <= 0)
			return fail(why, n, f, "metrics[%zu]: field 应为已声明字段，in 为取值数组", i);
	}
	r->nmetrics++;
	return 0;
}

static int field_of_type(const struct reg_def *r, const char *name, unsigned types)
{
	int i = register_field(r, name);
	return i >= 0 && (types & (1u << r->fields[i].type)) ? i : -1;
}

/* "receives_gaps": {"source_field": F, "source_value": V, "issue_field": F,
 * "indicator_field": F, "open_label": …, "overdue_label": …}. */
static int load_gaps(struct reg_def *r, json_t *o, const char *f, char *why, size_t n)
{
	struct reg_gaps *g = &r->gaps;
	if (!o)
		return 0;
	g->on = 1;
	g->source_field = field_of_type(r, str(o, "source_field"), 1u << RF_ENUM);
	g->issue_field = field_of_type(r, str(o, "issue_field"), 1u << RF_TEXT | 1u << RF_STRING);
	g->indicator_field = field_of_type(r, str(o, "indicator_field"), 1u << RF_STRING);
	g->source_value = str(o, "source_value");
	g->open_label = str(o, "open_label");
	g->overdue_label = str(o, "overdue_label");
	if (g->source_field < 0 || g->issue_field < 0 || g->indicator_field < 0)
		return fail(why, n, f, "receives_gaps: source_field 应为选项字段，issue_field 为文本字段，indicator_field 为字符串字段");
	const struct reg_field *src = &r->fields[g->source_field];
	int listed = 0;
	for (int i = 0; g->source_value && i < src->nchoices; i++)
		listed |= strcmp(src->choices[i], g->source_value) == 0;
	if (!listed)
		return fail(why, n, f, "receives_gaps.source_value: 应为字段 %s 的选项之一", src->name);
	if (r->deadline.kind != RD_FIELD)
		return fail(why, n, f, "receives_gaps: 接收指标短板的登记簿应以日期字段为期限（deadline.kind 为 field）");
	if (!g->open_label || !g->overdue_label)
		return fail(why, n, f, "receives_gaps: 缺少 open_label 或 overdue_label（任务看板的列名）");
	return 0;
}

/* "case_file_review": {"states": [S…], "number_field": F}. */
static int load_review(struct reg_def *r, json_t *o, const char *f, char *why, size_t n)
{
	const char *states[REG_MAX_STATES];
	if (!o)
		return 0;
	r->review.on = 1;
	int ns = strings(json_object_get(o, "states"), states, REG_MAX_STATES);
	for (int k = 0; k < ns; k++) {
		int s = register_state(r, states[k]);
		if (s < 0 || !r->states[s].final)
			return fail(why, n, f, "case_file_review.states: %s 不是终结状态", states[k]);
		r->review.states |= 1u << s;
	}
	r->review.number_field = field_of_type(r, str(o, "number_field"), 1u << RF_STRING);
	if (ns <= 0 || r->review.number_field < 0)
		return fail(why, n, f, "case_file_review: states 应为终结状态数组，number_field 为字符串字段（案号）");
	return 0;
}

/* "filters": ["procedure", …]: choice fields the list page offers as
 * filters (the API accepts ?f.<field>=<choice> for them only). */
static int load_filters(struct reg_def *r, json_t *arr, const char *f, char *why, size_t n)
{
	size_t i;
	json_t *v;
	if (arr && (!json_is_array(arr) || json_array_size(arr) > REG_MAX_FILTERS))
		return fail(why, n, f, "filters 应为字段名数组（至多 %d 个）", REG_MAX_FILTERS);
	json_array_foreach(arr, i, v) {
		int k = field_of_type(r, json_string_value(v), 1u << RF_ENUM);
		if (k < 0)
			return fail(why, n, f, "filters[%zu]: 应为已声明的选项（enum）字段", i);
		r->filters[r->nfilters++] = k;
	}
	return 0;
}

/* "record_links": [{"label": "打印入企码", "path": "/api/v1/…/{id}/…",
 * "states": [...]}]: pages of a record the console's drawer offers (opened
 * in a new tab) in the states named (all when absent); the route behind
 * each path checks its caller as any other. Checked here, read by the
 * console from the definition. */
static int load_links(struct reg_def *r, json_t *arr, const char *f, char *why, size_t n)
{
	size_t i, k;
	json_t *o, *st;
	if (arr && (!json_is_array(arr) || json_array_size(arr) > 4))
		return fail(why, n, f, "record_links 应为数组（至多 4 个）");
	json_array_foreach(arr, i, o) {
		const char *label = str(o, "label"), *path = str(o, "path");
		if (!label || !*label || !path || strncmp(path, "/api/v1/", 8) != 0 || !strstr(path, "{id}"))
			return fail(why, n, f, "record_links[%zu]: 应有 label 和以 /api/v1/ 开头、含 {id} 的 path", i);
		json_array_foreach(json_object_get(o, "states"), k, st)
			if (register_state(r, json_string_value(st)) < 0)
				return fail(why, n, f, "record_links[%zu].states[%zu]: 不是已声明的状态", i, k);
	}
	return 0;
}

static int has_metric(const struct reg_def *r, const char *name)
{
	for (int i = 0; name && i < r->nmetrics; i++)
		if (strcmp(r->metrics[i].name, name) == 0)
			return 1;
	return 0;
}

/* "rankings": [{"name": "lost_rate", "label": "行政诉讼败诉率", "numerator":
 * M, "denominator": M, "lower_is_better": true}]: M metrics of this
 * register, summed per body for the board's ranking. */
static int load_rankings(struct reg_def *r, json_t *arr, const char *f, char *why, size_t n)
{
	json_t *o;
	size_t i;
	if (arr && (!json_is_array(arr) || json_array_size(arr) > REG_MAX_RANKINGS))
		return fail(why, n, f, "rankings 应为数组（至多 %d 个）", REG_MAX_RANKINGS);
	json_array_foreach(arr, i, o) {
		struct reg_ranking *k = &r->rankings[r->nrankings++];
		k->name = str(o, "name");
		k->label = str(o, "label");
		k->numerator = str(o, "numerator");
		k->denominator = str(o, "denominator");
		k->lower_is_better = json_is_true(json_object_get(o, "lower_is_better"));
		if (!k->name || !k->label || !has_metric(r, k->numerator) || !has_metric(r, k->denominator))
			return fail(why, n, f, "rankings[%zu]: 应有 name、label，numerator 和 denominator 应为本登记簿的 metrics", i);
	}
	return 0;
}

static int field_has_choice(const struct reg_field *fd, const char *v)
{
	for (int i = 0; i < fd->nchoices; i++)
		if (strcmp(fd->choices[i], v) == 0)
			return 1;
	return 0;
}

/* "reminders": [{"field": "hearing_date", "when": {"field": F, "in": [V…]},
 * "days_before": 3, "label": "…"}]: see struct reg_reminder. */
static int load_reminder(struct reg_def *r, json_t *o, size_t i, const char *f, char *why, size_t n)
{
	struct reg_reminder *m = &r->reminders[r->nreminders];
	json_t *when = json_object_get(o, "when"), *days = json_object_get(o, "days_before");
	m->field = field_of_type(r, str(o, "field"), 1u << RF_DATE);
	m->label = str(o, "label");
	m->when_field = -1;
	if (m->field < 0 || (r->deadline.kind == RD_FIELD && m->field == r->deadline.field))
		return fail(why, n, f, "reminders[%zu].field: 应为办理期限以外的日期字段", i);
	if (!m->label || !*m->label)
		return fail(why, n, f, "reminders[%zu].label: 应写明提醒的事项（如 负责人须出庭应诉的开庭）", i);
	if (!json_is_integer(days) || json_integer_value(days) < 0 || json_integer_value(days) > 60)
		return fail(why, n, f, "reminders[%zu].days_before: 应为 0 到 60 的整数（提前提醒的日数）", i);
	m->days_before = (int)json_integer_value(days);
	if (when) {
		m->when_field = field_of_type(r, str(when, "field"), 1u << RF_ENUM);
		m->nin = strings(json_object_get(when, "in"), m->in, REG_MAX_LIST);
		if (m->when_field < 0 || m->nin <= 0)
			return fail(why, n, f, "reminders[%zu].when: 应为 {\"field\": 选项字段, \"in\": [取值…]}", i);
		for (int k = 0; k < m->nin; k++)
			if (!field_has_choice(&r->fields[m->when_field], m->in[k]))
				return fail(why, n, f, "reminders[%zu].when.in: %s 不是字段 %s 的选项", i, m->in[k],
					    r->fields[m->when_field].name);
	}
	r->nreminders++;
	return 0;
}

const char *register_reminder_due(const struct reg_def *r, const struct reg_reminder *m, json_t *data, int today)
{
	const char *v = json_string_value(json_object_get(data, r->fields[m->field].name));
	struct date dt;
	if (!v || date_parse(v, &dt) != 0 || date_to_days(dt) < today || date_to_days(dt) - today > m->days_before)
		return NULL;
	if (m->when_field < 0)
		return v;
	const char *w = json_string_value(json_object_get(data, r->fields[m->when_field].name));
	for (int k = 0; w && k < m->nin; k++)
		if (strcmp(w, m->in[k]) == 0)
			return v;
	return NULL;
}

static int load_reminders(struct reg_def *r, json_t *arr, const char *f, char *why, size_t n)
{
	json_t *o;
	size_t i;
	if (arr && (!json_is_array(arr) || json_array_size(arr) > REG_MAX_REMINDERS))
		return fail(why, n, f, "reminders 应为数组（至多 %d 个）", REG_MAX_REMINDERS);
	json_array_foreach(arr, i, o) if (load_reminder(r, o, i, f, why, n)) return -1;
	return 0;
}

/* "settings": [{"key": "reply_months", "label": …, "basis": …, "default": 3,
 * "min": 1, "max": 12}]: keys are the register's ("<name>.<key>"), and
 * every one names its legal source. */
static int load_settings(struct reg_def *r, json_t *arr, const char *f, char *why, size_t n)
{
	json_t *o;
	size_t i;
	if (arr && (!json_is_array(arr) || json_array_size(arr) > REG_MAX_SETTINGS))
		return fail(why, n, f, "settings 应为数组（至多 %d 个）", REG_MAX_SETTINGS);
	json_array_foreach(arr, i, o) {
		struct reg_setting *s = &r->settings[r->nsettings++];
		s->key = str(o, "key");
		s->label = str(o, "label");
		s->basis = str(o, "basis");
		json_t *d = json_object_get(o, "default"), *lo = json_object_get(o, "min"), *hi = json_object_get(o, "max");
		if (!s->key || !s->label || !s->basis || !*s->basis || !json_is_integer(d) || !json_is_integer(lo) ||
		    !json_is_integer(hi))
			return fail(why, n, f, "settings[%zu]: 应有 key、label、basis（来源依据）及整数 default、min、max", i);
		s->def = (int)json_integer_value(d);
		s->min = (int)json_integer_value(lo);
		s->max = (int)json_integer_value(hi);
		if (s->min > s->max || s->def < s->min || s->def > s->max)
			return fail(why, n, f, "settings[%zu]: default 应在 min 与 max 之间", i);
	}
	return 0;
}

/* Declares every loaded definition's settings (after any replacement by
 * FAZHI_REGISTERS_DIR, so a replaced definition's settings are not). */
static int declare_settings(char *why, size_t n)
{
	for (int i = 0; i < ndefs; i++)
		for (int k = 0; k < defs[i].nsettings; k++) {
			const struct reg_setting *s = &defs[i].settings[k];
			char key[64], label[512], err[256];
			snprintf(key, sizeof key, "%s.%s", defs[i].name, s->key);
			snprintf(label, sizeof label, "%s（依据：%s）", s->label, s->basis);
			if (settings_declare(key, label, s->def, s->min, s->max, err, sizeof err) != 0)
				return fail(why, n, defs[i].name, "settings: %s", err);
		}
	return 0;
}

/* The value of the register's setting "<name>.<key>" in cfg; -1 unknown. */
int register_setting(const struct reg_def *r, const struct settings *cfg, const char *key)
{
	char full[64];
	snprintf(full, sizeof full, "%s.%s", r->name, key);
	return settings_get(cfg, full);
}

int register_load_text(const char *f, const char *text, struct reg_def *r, char *why, size_t n)
{
	json_error_t je;
	memset(r, 0, sizeof *r);
	r->src = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (!r->src)
		return fail(why, n, f, "第 %d 行 JSON 错误: %s", je.line, je.text);
	json_t *o = r->src, *v;
	size_t i;
	r->name = str(o, "name");
	r->label = str(o, "label");
	r->description = str(o, "description");
	if (!r->name || !r->label)
		return fail(why, n, f, "缺少 name 或 label");
	if (load_fields(r, json_object_get(o, "fields"), f, why, n) ||
	    load_states(r, json_object_get(o, "states"), f, why, n) ||
	    load_writes(r, json_object_get(o, "fields"), f, why, n))
		return -1;
	r->title_field = register_field(r, str(o, "title_field"));
	if (r->title_field < 0)
		return fail(why, n, f, "title_field: 应为已声明的字段");
	json_t *arr = json_object_get(o, "transitions");
	if (!json_is_array(arr) || json_array_size(arr) > REG_MAX_TRANSITIONS)
		return fail(why, n, f, "transitions 应为数组（至多 %d 个）", REG_MAX_TRANSITIONS);
	json_array_foreach(arr, i, v) if (load_transition(r, v, i, f, why, n)) return -1;
	if (load_deadline(r, json_object_get(o, "deadline"), f, why, n) || check_deadline_rule(r, f, why, n))
		return -1;
	arr = json_object_get(o, "metrics");
	if (arr && (!json_is_array(arr) || json_array_size(arr) > REG_MAX_METRICS))
		return fail(why, n, f, "metrics 应为数组（至多 %d 个）", REG_MAX_METRICS);
	json_array_foreach(arr, i, v) if (load_metric(r, v, i, f, why, n)) return -1;
	if (load_gaps(r, json_object_get(o, "receives_gaps"), f, why, n) ||
	    load_review(r, json_object_get(o, "case_file_review"), f, why, n) ||
	    load_filters(r, json_object_get(o, "filters"), f, why, n) ||
	    load_links(r, json_object_get(o, "record_links"), f, why, n) ||
	    load_rankings(r, json_object_get(o, "rankings"), f, why, n) ||
	    load_reminders(r, json_object_get(o, "reminders"), f, why, n))
		return -1;
	return load_settings(r, json_object_get(o, "settings"), f, why, n);
}

static char load_error[512];
static int load_rc;

/* Adds a definition, or replaces the one of the same name (a province
 * extending a shipped register). */
static int add(const char *file, const char *text)
{
	struct reg_def r;
	if (register_load_text(file, text, &r, load_error, sizeof load_error) != 0) {
		json_decref(r.src);
		return -1;
	}
	for (int i = 0; i < ndefs; i++)
		if (strcmp(defs[i].name, r.name) == 0) {
			json_decref(defs[i].src);
			defs[i] = r;
			return 0;
		}
	if (ndefs == MAX_REGISTERS) {
		json_decref(r.src);
		snprintf(load_error, sizeof load_error, "登记簿定义过多（至多 %d 个）", MAX_REGISTERS);
		return -1;
	}
	defs[ndefs++] = r;
	return 0;
}

static int json_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 5 && strcmp(e->d_name + n - 5, ".json") == 0;
}

/* FAZHI_REGISTERS_DIR: definitions added to or replacing the shipped ones. */
static int load_dir(const char *dir)
{
	struct dirent **list;
	int n = scandir(dir, &list, json_file, alphasort), rc = 0;
	if (n < 0) {
		snprintf(load_error, sizeof load_error, "无法读取登记簿定义目录 %.300s", dir);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name);
		FILE *f = rc == 0 ? fopen(path, "r") : NULL;
		char *text = f ? calloc(1, 1 << 20) : NULL;
		if (text && fread(text, 1, (1 << 20) - 1, f) > 0)
			rc = add(path, text);
		else if (rc == 0)
			rc = -1, snprintf(load_error, sizeof load_error, "无法读取登记簿定义 %.300s", path);
		free(text);
		if (f)
			fclose(f);
		free(list[i]);
	}
	free(list);
	return rc;
}

/* A definition loaded so far (load_all runs once, before any lookup). */
static const struct reg_def *find_loaded(const char *name)
{
	for (int i = 0; name && i < ndefs; i++)
		if (strcmp(defs[i].name, name) == 0)
			return &defs[i];
	return NULL;
}

/* The declarations a single register may make. */
enum { DECL_GAPS, DECL_REVIEW };
static int declares(const struct reg_def *r, int what)
{
	return what == DECL_GAPS ? r->gaps.on : r->review.on;
}

/* The register making declaration what, or NULL. */
static const struct reg_def *declarer(int what)
{
	register_find("");
	for (int i = 0; i < ndefs; i++)
		if (declares(&defs[i], what))
			return &defs[i];
	return NULL;
}

static void load_all(void)
{
	const char *dir = getenv("FAZHI_REGISTERS_DIR");
	for (int i = 0; i < register_files_count && load_rc == 0; i++)
		load_rc = add(register_files[i].name, register_files[i].text);
	if (load_rc == 0 && dir && *dir)
		load_rc = load_dir(dir);
	if (load_rc == 0)
		load_rc = declare_settings(load_error, sizeof load_error);
	for (int k = 0; k < 2; k++)
		for (int i = 0, seen = -1; load_rc == 0 && i < ndefs; i++)
			if (declares(&defs[i], k) && seen >= 0)
				load_rc = fail(load_error, sizeof load_error, defs[i].name, "%s: 只能有一个登记簿%s（%s 已声明）",
					       k == DECL_GAPS ? "receives_gaps" : "case_file_review",
					       k == DECL_GAPS ? "接收指标短板" : "接受案卷评查", defs[seen].name);
			else if (declares(&defs[i], k))
				seen = i;
	/* links: every ref names a loaded register */
	for (int i = 0; load_rc == 0 && i < ndefs; i++)
		for (int k = 0; load_rc == 0 && k < defs[i].nfields; k++)
			if (defs[i].fields[k].ref && !find_loaded(defs[i].fields[k].ref))
				load_rc = fail(load_error, sizeof load_error, defs[i].name, "fields.%s.register: 没有名为 %s 的登记簿",
					       defs[i].fields[k].name, defs[i].fields[k].ref);
	/* evaluation holds every metric of a region at once (metrics_sums) */
	int total = org_metric_count();
	for (int i = 0; i < ndefs; i++)
		total += defs[i].nmetrics;
	if (load_rc == 0 && total > METRICS_MAX)
		load_rc = fail(load_error, sizeof load_error, "registers",
			       "全部登记簿的指标数据项合计 %d 个，超过评估一次可读取的 %d 个（METRICS_MAX）", total, METRICS_MAX);
}

const struct reg_def *register_gap_receiver(void) { return declarer(DECL_GAPS); }
const struct reg_def *register_reviewed(void) { return declarer(DECL_REVIEW); }

int register_load_builtin(char *why, size_t n)
{
	register_find("");
	if (load_rc)
		return snprintf(why, n, "%s", load_error), load_rc;
	return domain_check(why, n); /* every src/domain/ folder has its definition */
}

const struct reg_def *register_find(const char *name)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, load_all);
	return find_loaded(name);
}

int register_count(void) { return ndefs; }
const struct reg_def *register_at(int i) { return &defs[i]; }

json_t *register_json(const struct reg_def *r)
{
	json_t *o = json_deep_copy(r->src);
	json_t *tr = json_object_get(o, "transitions");
	size_t i;
	json_t *t;
	/* State labels beside names, for the generic console pages. */
	json_array_foreach(tr, i, t) {
		int to = r->transitions[i].to;
		json_object_set_new(t, "to_label", json_string(r->states[to].label));
	}
	return o;
}
