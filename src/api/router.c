/*
 * router.c — the route table, filled at start-up by each resource file's
 * API_ROUTES constructor; its checks (router_check: the server and
 * `fazhi routes` refuse a faulty table), matching of "/a/{x}/b" patterns
 * (the most specific pattern wins), and the hit log the integration suite
 * reads to find routes no test called.
 */
#include "api.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roles.h"

#define MAX_ROUTES 256
#define MAX_SEGMENTS 16

static const struct route *routes[MAX_ROUTES];
static int nroutes;

void router_add(const struct route *r, int n)
{
	for (int i = 0; i < n; i++) {
		if (nroutes == MAX_ROUTES) {
			fprintf(stderr, "fazhi: too many routes (max %d)\n", MAX_ROUTES);
			abort();
		}
		routes[nroutes++] = &r[i];
	}
}

/* ---- matching ------------------------------------------------------------ */

/* Matches path against pattern; captured segments go into buf (when
 * params is not NULL). */
static int match(const char *pattern, const char *path, const char **params, char *buf, size_t buflen)
{
	int np = 0;
	size_t used = 0;
	while (*pattern && *path) {
		if (*pattern == '{') {
			const char *end = strchr(path, '/');
			size_t n = end ? (size_t)(end - path) : strlen(path);
			if (n == 0 || used + n + 1 > buflen || np == API_MAX_PARAMS)
				return 0;
			if (params) {
				memcpy(buf + used, path, n);
				buf[used + n] = 0;
				params[np] = buf + used;
			}
			np++;
			used += n + 1;
			path += n;
			pattern = strchr(pattern, '}') + 1;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	return *pattern == 0 && *path == 0;
}

static int literal_segments(const char *pattern)
{
	int n = 0;
	for (const char *p = pattern; (p = strchr(p, '/')); p++)
		n += p[1] != '{';
	return n;
}

const struct route *router_match(const char *method, const char *path, const char **params,
				 char *buf, size_t buflen, int *method_mismatch)
{
	const struct route *best = NULL;
	int best_lits = -1;
	*method_mismatch = 0;
	for (int i = 0; i < nroutes; i++) {
		if (!match(routes[i]->pattern, path, NULL, NULL, buflen))
			continue;
		if (strcmp(routes[i]->method, method) != 0) {
			*method_mismatch = 1;
			continue;
		}
		int lits = literal_segments(routes[i]->pattern);
		if (lits > best_lits) {
			best = routes[i];
			best_lits = lits;
		}
	}
	if (best && !match(best->pattern, path, params, buf, buflen))
		return NULL; /* buf too small for this path's segments */
	return best;
}

int router_count(void) { return nroutes; }
const struct route *router_at(int i) { return i >= 0 && i < nroutes ? routes[i] : NULL; }

/* ---- checks -------------------------------------------------------------- */

struct shape {
	int n;
	const char *seg[MAX_SEGMENTS]; /* NULL: a placeholder */
	size_t len[MAX_SEGMENTS];
};

static int bad(char *why, size_t n, const struct route *r, const char *what)
{
	snprintf(why, n, "路由 %s %s：%s", r->method ? r->method : "?", r->pattern ? r->pattern : "?", what);
	return -1;
}

/* Splits "/api/v1/x/{id}" into segments; -1 when malformed. */
static int shape_of(const char *pattern, struct shape *s)
{
	s->n = 0;
	if (strncmp(pattern, "/api/v1/", 8) != 0)
		return -1;
	for (const char *p = pattern + 1;; ) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0 || s->n == MAX_SEGMENTS)
			return -1;
		int ph = p[0] == '{';
		if (ph && (len < 3 || p[len - 1] != '}'))
			return -1;
		for (size_t i = ph; i < len - ph; i++)
			if (!(islower((unsigned char)p[i]) || isdigit((unsigned char)p[i]) || p[i] == '_' ||
			      (!ph && (p[i] == '-' || p[i] == '.'))))
				return -1;
		s->seg[s->n] = ph ? NULL : p;
		s->len[s->n++] = len;
		if (!end)
			return 0;
		p = end + 1;
	}
}

/* Two patterns of one method: 0 apart, 1 the same shape, 2 overlapping
 * with neither more specific (a path both match, decided by neither). */
static int overlap(const struct shape *a, const struct shape *b)
{
	int a_more = 0, b_more = 0;
	if (a->n != b->n)
		return 0;
	for (int i = 0; i < a->n; i++) {
		if (a->seg[i] && b->seg[i]) {
			if (a->len[i] != b->len[i] || memcmp(a->seg[i], b->seg[i], a->len[i]) != 0)
				return 0;
		} else if (a->seg[i]) {
			a_more = 1;
		} else if (b->seg[i]) {
			b_more = 1;
		}
	}
	return !a_more && !b_more ? 1 : a_more && b_more ? 2 : 0;
}

static int check_one(const struct route *r, char *why, size_t n)
{
	static const char *const methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE" };
	struct shape s;
	int ok = 0;
	for (size_t i = 0; r->method && i < sizeof methods / sizeof methods[0]; i++)
		ok |= strcmp(r->method, methods[i]) == 0;
	if (!ok)
		return bad(why, n, r, "方法应为 GET、POST、PUT、PATCH 或 DELETE");
	if (!r->pattern || shape_of(r->pattern, &s) != 0)
		return bad(why, n, r, "路径应以 /api/v1/ 开头，各段为小写字母、数字、_、-，或 {名称} 占位");
	if (!r->fn)
		return bad(why, n, r, "缺少处理函数");
	int access = (r->perm != 0) + !!(r->flags & R_PUBLIC) + !!(r->flags & R_SIGNED_IN);
	if (access != 1)
		return bad(why, n, r, "应恰好声明一项访问要求：一个权限、R_PUBLIC 或 R_SIGNED_IN");
	if (r->perm && !perm_find(r->perm))
		return bad(why, n, r, "权限不是 roles.c 所列的单个权限");
	if (r->max_body > API_MAX_UPLOAD)
		return bad(why, n, r, "请求体上限超过 API_MAX_UPLOAD");
	if ((r->flags & R_RAW) && !r->max_body)
		return bad(why, n, r, "上传文件的路由（R_RAW）应声明请求体上限");
	int body = strcmp(r->method, "POST") == 0 || strcmp(r->method, "PUT") == 0 || strcmp(r->method, "PATCH") == 0;
	if (body && !(r->flags & R_RAW) && !r->fields)
		return bad(why, n, r, "应声明请求体字段（FIELDS(…)，无请求体时 NO_FIELDS）");
	if ((!body || (r->flags & R_RAW)) && r->fields)
		return bad(why, n, r, "只有 JSON 请求体的路由（POST、PUT、PATCH）声明请求体字段");
	return 0;
}

int router_check_table(const struct route *const *t, int count, char *why, size_t n)
{
	for (int i = 0; i < count; i++) {
		struct shape a;
		if (check_one(t[i], why, n) != 0)
			return -1;
		shape_of(t[i]->pattern, &a);
		for (int j = 0; j < i; j++) {
			struct shape b;
			if (strcmp(t[i]->method, t[j]->method) != 0)
				continue;
			shape_of(t[j]->pattern, &b);
			int o = overlap(&a, &b);
			if (o == 1)
				return bad(why, n, t[i], "与已有路由重复");
			if (o == 2) {
				char what[256];
				snprintf(what, sizeof what, "与 %s 有歧义（同一路径两者都匹配，且都不比对方更具体）",
					 t[j]->pattern);
				return bad(why, n, t[i], what);
			}
		}
	}
	return 0;
}

int router_check(char *why, size_t n)
{
	return router_check_table(routes, nroutes, why, n);
}

/* ---- facts the server and the table print share ---------------------------- */

size_t route_body_limit(const struct route *rt)
{
	size_t max = rt->max_body ? rt->max_body : API_MAX_JSON;
	return (rt->flags & R_PUBLIC) && max > API_MAX_PUBLIC ? API_MAX_PUBLIC : max;
}

const char *route_permission(const struct route *rt)
{
	const struct perm_def *p = perm_find(rt->perm);
	return p ? p->name : (rt->flags & R_PUBLIC) ? "public" : "signed_in";
}

/* ---- hit log --------------------------------------------------------------- */

static FILE *hit_log;
static pthread_mutex_t hit_lock = PTHREAD_MUTEX_INITIALIZER;

void router_log_open(const char *path)
{
	if (path && *path && !(hit_log = fopen(path, "a")))
		fprintf(stderr, "fazhi: FAZHI_ROUTE_LOG %s: cannot open, no route log\n", path);
}

void router_log_hit(const struct route *rt)
{
	if (!hit_log)
		return;
	pthread_mutex_lock(&hit_lock);
	fprintf(hit_log, "%s %s\n", rt->method, rt->pattern);
	fflush(hit_log);
	pthread_mutex_unlock(&hit_lock);
}
