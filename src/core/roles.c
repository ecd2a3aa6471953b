/* roles.c — the role matrix (see roles.h). */
#include "roles.h"

#include <string.h>

#define BUSINESS_READ (PERM_ORG_READ | PERM_SUBJECT_READ | PERM_RECORD_READ | PERM_EVAL_READ)

static const struct role roles[] = {
	{ "coordinator", "依法治市办协调员",
	  BUSINESS_READ | PERM_ORG_WRITE | PERM_PEOPLE_WRITE | PERM_SUBJECT_WRITE | PERM_SUBJECT_PII |
		  PERM_RECORD_WRITE | PERM_EVAL_RUN | PERM_EVIDENCE | PERM_RECORD_BACKDATE, 0 },
	{ "department", "责任单位人员",
	  BUSINESS_READ | PERM_PEOPLE_WRITE | PERM_SUBJECT_WRITE | PERM_SUBJECT_PII | PERM_RECORD_WRITE | PERM_EVIDENCE, 0 },
	{ "officer", "执法人员", BUSINESS_READ | PERM_SUBJECT_WRITE | PERM_SUBJECT_PII | PERM_RECORD_WRITE, 0 },
	{ "legal_reviewer", "法制审核人员", BUSINESS_READ | PERM_SUBJECT_PII, 0 },
	{ "evaluator", "评估专家", BUSINESS_READ | PERM_EVAL_SCORE, 0 },
	{ "sysadmin", "系统管理员", PERM_ORG_READ | PERM_ORG_WRITE | PERM_PEOPLE_WRITE, 1 },
	{ "secadmin", "安全管理员", PERM_ORG_READ | PERM_USER_ADMIN | PERM_SECURITY, 1 },
	{ "auditor", "审计管理员", PERM_AUDIT_READ, 1 },
};

const struct role *role_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(roles[i].name, name) == 0)
			return &roles[i];
	return NULL;
}

int role_can(const char *name, unsigned perm)
{
	const struct role *r = role_find(name);
	return r && (r->perms & perm) == perm;
}

int role_count(void) { return (int)(sizeof roles / sizeof roles[0]); }
const struct role *role_at(int i) { return &roles[i]; }
