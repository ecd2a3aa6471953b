/*
 * router.c — the route table, filled at start-up by each resource file's
 * API_ROUTES constructor, and matching of "/a/{x}/b" patterns.
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROUTES 256

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

/* Matches path against pattern; captured segments go into buf. */
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
			memcpy(buf + used, path, n);
			buf[used + n] = 0;
			params[np++] = buf + used;
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

const struct route *router_match(const char *method, const char *path, const char **params,
				 char *buf, size_t buflen, int *method_mismatch)
{
	*method_mismatch = 0;
	for (int i = 0; i < nroutes; i++) {
		if (!match(routes[i]->pattern, path, params, buf, buflen))
			continue;
		if (strcmp(routes[i]->method, method) == 0)
			return routes[i];
		*method_mismatch = 1;
	}
	return NULL;
}

int router_count(void) { return nroutes; }
const struct route *router_at(int i) { return i >= 0 && i < nroutes ? routes[i] : NULL; }
