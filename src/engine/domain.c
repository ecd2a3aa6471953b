/* domain.c — the table of domain hooks (domain.h), filled by constructors. */
#include "domain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"

#define MAX_DOMAINS 32

static const struct domain_ops *ops[MAX_DOMAINS];
static int nops;

void domain_add(const struct domain_ops *o)
{
	if (nops == MAX_DOMAINS) {
		fprintf(stderr, "fazhi: too many domain folders (max %d)\n", MAX_DOMAINS);
		abort();
	}
	ops[nops++] = o;
}

const struct domain_ops *domain_find(const char *name)
{
	for (int i = 0; name && i < nops; i++)
		if (strcmp(ops[i]->name, name) == 0)
			return ops[i];
	return NULL;
}

int domain_count(void) { return nops; }
const struct domain_ops *domain_at(int i) { return ops[i]; }

int domain_check(char *why, size_t n)
{
	for (int i = 0; i < nops; i++) {
		if (!register_find(ops[i]->name))
			return snprintf(why, n, "src/domain/%s/ 的钩子没有对应的登记簿定义 %s.json", ops[i]->name,
					ops[i]->name), -1;
		for (int k = 0; k < i; k++)
			if (strcmp(ops[k]->name, ops[i]->name) == 0)
				return snprintf(why, n, "登记簿 %s 的钩子注册了两次", ops[i]->name), -1;
	}
	return 0;
}

int domain_setting(const struct rec_ctx *c, const struct reg_def *r, const char *key)
{
	struct settings defaults;
	if (!c->cfg)
		settings_defaults(&defaults);
	return register_setting(r, c->cfg ? c->cfg : &defaults, key);
}
