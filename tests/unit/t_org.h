/*
 * t_org.h — the unit tests' org fixtures: import objects (docs/import.md),
 * one a line, written into a store as the system would import them.
 */
#ifndef FAZHI_T_ORG_H
#define FAZHI_T_ORG_H

#include <jansson.h>
#include <string.h>

#include "org.h"
#include "t.h"

static inline void t_org_load(db *d, const char *const *lines, size_t n)
{
	static const unsigned char key[32] = { 1 };
	struct org_ctx oc = { .d = d, .key = key, .now = 1 };
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_loads(lines[i], 0, NULL);
		struct fz_err e;
		int64_t id;
		CHECK_INT(org_put(&oc, o, &id, &e), 0);
		json_decref(o);
	}
}

#endif
