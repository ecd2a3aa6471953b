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

int domain_remedy(const struct rec_ctx *c, const struct reg_def *r, const struct record *rec, const char *source,
		  const char *issue, const char *due, const char *start, struct fz_err *e)
{
	const struct reg_def *g = register_gap_receiver();
	char sid[24], *code = NULL;
	int64_t rid = 0;
	if (!g)
		return fz_fail(e, 409, "no_gap_register", NULL, "没有登记簿接收整改事项（登记簿定义中未声明 receives_gaps）");
	snprintf(sid, sizeof sid, "%lld", (long long)rec->body_id);
	if (db_lookup_text(c->d, "SELECT code FROM bodies WHERE id = CAST($1 AS INTEGER)", &code, 1, sid) < 0 || !code)
		return fz_store(e, c->d);
	json_t *data = json_pack("{s:s, s:s, s:s?}", g->fields[g->gaps.source_field].name, source,
				 g->fields[g->gaps.issue_field].name, issue, g->fields[g->deadline.field].name, due);
	struct rec_ctx cc = *c;
	int rc = record_create(&cc, g, code, start, data, &rid, e);
	json_decref(data);
	free(code);
	if (rc != 0)
		return -1;
	return record_annotate(&cc, r, rec->id, json_pack("{s:I}", "remedy", (json_int_t)rid), "link_remedy", NULL, e);
}

int domain_law_changed(const struct rec_ctx *c, const char *law_title, const char *change, const char *day, int *opened,
		       struct fz_err *e)
{
	*opened = 0;
	for (int i = 0; i < nops; i++) {
		const struct reg_def *r = register_find(ops[i]->name);
		if (r && ops[i]->law_changed && ops[i]->law_changed(c, r, law_title, change, day, opened, e) != 0)
			return -1;
	}
	return 0;
}
