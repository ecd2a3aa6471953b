/*
 * register.c — loading and checking register definitions (register.h).
 * Every rule a definition must keep is checked here, so the engine can
 * trust a loaded definition.
 */
#include "register.h"

#include "embedded.h"

#include <dirent.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define MAX_REGISTERS 32

static struct reg_def defs[MAX_REGISTERS];
static int ndefs;

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
	static const char *const types[] = { "string", "text", "enum", "date", "int" };
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
		for (int t = 0; t < 5; t++)
			if (strcmp(type, types[t]) == 0)
				fd->type = (enum reg_field_type)t;
		if ((int)fd->type < 0)
			return fail(why, n, f, "fields[%zu].type: 未知类型 %s", i, type);
		fd->required = json_is_true(json_object_get(o, "required"));
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
	t->nroles = strings(json_object_get(o, "roles"), t->roles, REG_MAX_LIST);
	int nreq = strings(json_object_get(o, "require"), req, REG_MAX_FIELDS);
	if (t->nroles < 0 || nreq < 0)
		return fail(why, n, f, "transitions[%zu]: roles/require 应为字符串数组", i);
	for (int k = 0; k < nreq; k++)
		if ((t->require[t->nrequire++] = register_field(r, req[k])) < 0)
			return fail(why, n, f, "transitions[%zu].require: 未知字段 %s", i, req[k]);
	t->not_own_body = json_is_true(json_object_get(o, "not_own_body"));
	r->ntransitions++;
	return 0;
}

static int load_deadline(struct reg_def *r, json_t *o, const char *f, char *why, size_t n)
{
	const char *kind = str(o, "kind");
	r->deadline.basis = str(o, "basis");
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
	} else {
		return fail(why, n, f, "deadline.kind: 应为 field、calendar_days 或 working_days");
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
	    load_states(r, json_object_get(o, "states"), f, why, n))
		return -1;
	r->title_field = register_field(r, str(o, "title_field"));
	if (r->title_field < 0)
		return fail(why, n, f, "title_field: 应为已声明的字段");
	json_t *arr = json_object_get(o, "transitions");
	if (!json_is_array(arr) || json_array_size(arr) > REG_MAX_TRANSITIONS)
		return fail(why, n, f, "transitions 应为数组（至多 %d 个）", REG_MAX_TRANSITIONS);
	json_array_foreach(arr, i, v) if (load_transition(r, v, i, f, why, n)) return -1;
	if (load_deadline(r, json_object_get(o, "deadline"), f, why, n))
		return -1;
	arr = json_object_get(o, "metrics");
	if (arr && (!json_is_array(arr) || json_array_size(arr) > REG_MAX_METRICS))
		return fail(why, n, f, "metrics 应为数组（至多 %d 个）", REG_MAX_METRICS);
	json_array_foreach(arr, i, v) if (load_metric(r, v, i, f, why, n)) return -1;
	return 0;
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

static void load_all(void)
{
	const char *dir = getenv("FAZHI_REGISTERS_DIR");
	for (int i = 0; i < register_files_count && load_rc == 0; i++)
		load_rc = add(register_files[i].name, register_files[i].text);
	if (load_rc == 0 && dir && *dir)
		load_rc = load_dir(dir);
}

int register_load_builtin(char *why, size_t n)
{
	register_find("");
	if (load_rc)
		snprintf(why, n, "%s", load_error);
	return load_rc;
}

const struct reg_def *register_find(const char *name)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, load_all);
	for (int i = 0; name && i < ndefs; i++)
		if (strcmp(defs[i].name, name) == 0)
			return &defs[i];
	return NULL;
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
