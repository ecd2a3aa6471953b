/* roles.c — the role matrix (see roles.h). */
#include "roles.h"

#include <jansson.h>

#include "office.h"
#include <string.h>

#define BUSINESS_READ (PERM_ORG_READ | PERM_SUBJECT_READ | PERM_RECORD_READ | PERM_EVAL_READ)

/* A coordinator works for the office for law-based governance of its level. */
static const char *const coordinator_levels[] = {
	OFFICE_LEVEL1 "协调员", OFFICE_LEVEL2 "协调员", OFFICE_LEVEL3 "协调员", OFFICE_LEVEL4 "协调员",
};

static const struct role roles[] = {
	{ "coordinator", OFFICE_LEVEL2 "协调员",
	  BUSINESS_READ | PERM_ORG_WRITE | PERM_PEOPLE_WRITE | PERM_SUBJECT_WRITE | PERM_SUBJECT_PII |
		  PERM_RECORD_WRITE | PERM_EVAL_RUN | PERM_EVIDENCE | PERM_RECORD_BACKDATE | PERM_SUBJECT_REVIEW |
		  PERM_RECORD_URGE, 0,
	  coordinator_levels },
	{ "department", "责任单位人员",
	  BUSINESS_READ | PERM_PEOPLE_WRITE | PERM_SUBJECT_WRITE | PERM_SUBJECT_PII | PERM_RECORD_WRITE | PERM_EVIDENCE, 0, NULL },
	{ "officer", "执法人员", BUSINESS_READ | PERM_SUBJECT_WRITE | PERM_SUBJECT_PII | PERM_RECORD_WRITE, 0, NULL },
	{ "legal_reviewer", "法制审核人员", BUSINESS_READ | PERM_SUBJECT_PII, 0, NULL },
	{ "evaluator", "评估专家", BUSINESS_READ | PERM_EVAL_SCORE, 0, NULL },
	{ "sysadmin", "系统管理员", PERM_ORG_READ | PERM_ORG_WRITE | PERM_PEOPLE_WRITE | PERM_SYSTEM, 1, NULL },
	{ "secadmin", "安全管理员", PERM_ORG_READ | PERM_USER_ADMIN | PERM_SECURITY, 1, NULL },
	{ "auditor", "审计管理员", PERM_AUDIT_READ, 1, NULL },
};

const struct role *role_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(roles[i].name, name) == 0)
			return &roles[i];
	return NULL;
}

const char *role_label_at(const struct role *r, int level)
{
	return r->level_labels && level >= 1 && level <= 4 ? r->level_labels[level - 1] : r->label;
}

int role_can(const char *name, unsigned perm)
{
	const struct role *r = role_find(name);
	return r && (r->perms & perm) == perm;
}

static const struct perm_def perms[] = {
	{ PERM_ORG_READ, "org.read", "查看组织机构、人员" },
	{ PERM_ORG_WRITE, "org.write", "维护行政区划、机构" },
	{ PERM_PEOPLE_WRITE, "people.write", "维护执法人员及证件" },
	{ PERM_SUBJECT_READ, "subject.read", "查看行政相对人" },
	{ PERM_SUBJECT_WRITE, "subject.write", "维护行政相对人" },
	{ PERM_SUBJECT_PII, "subject.pii", "查看完整证件号码" },
	{ PERM_USER_ADMIN, "user.admin", "管理用户账号" },
	{ PERM_SECURITY, "security", "安全设置" },
	{ PERM_AUDIT_READ, "audit.read", "查看审计日志" },
	{ PERM_RECORD_READ, "record.read", "查看工作台账" },
	{ PERM_RECORD_WRITE, "record.write", "登记、办理工作台账" },
	{ PERM_EVAL_READ, "eval.read", "查看示范创建评估、任务与通报" },
	{ PERM_EVAL_RUN, "eval.run", "运行评估、分解任务、问题转整改" },
	{ PERM_EVAL_SCORE, "eval.score", "人工评分" },
	{ PERM_EVIDENCE, "evidence", "上传佐证材料" },
	{ PERM_SUBJECT_REVIEW, "subject.review", "核实跨辖区的重复登记" },
	{ PERM_RECORD_URGE, "record.urge", "对其他单位的事项发出催办单、督办单" },
	{ PERM_SYSTEM, "system", "系统设置、消息推送、备份与运行状态" },
	{ PERM_RECORD_BACKDATE, "record.backdate", "导入今日之前的历史数据" },
};

int perm_count(void) { return (int)(sizeof perms / sizeof perms[0]); }
const struct perm_def *perm_at(int i) { return i >= 0 && i < perm_count() ? &perms[i] : NULL; }

const struct perm_def *perm_find(unsigned bit)
{
	for (int i = 0; i < perm_count(); i++)
		if (perms[i].bit == bit)
			return &perms[i];
	return NULL;
}

int role_count(void) { return (int)(sizeof roles / sizeof roles[0]); }
const struct role *role_at(int i) { return &roles[i]; }

json_t *roles_json(void)
{
	json_t *perms_out = json_array(), *roles_out = json_array();
	for (int i = 0; i < perm_count(); i++)
		json_array_append_new(perms_out, json_pack("{s:s, s:s}", "name", perms[i].name, "label", perms[i].label));
	for (int i = 0; i < role_count(); i++) {
		json_t *held = json_array();
		for (int j = 0; j < perm_count(); j++)
			if (roles[i].perms & perms[j].bit)
				json_array_append_new(held, json_string(perms[j].name));
		json_array_append_new(roles_out, json_pack("{s:s, s:s, s:b, s:o}", "name", roles[i].name, "label",
							   roles[i].label, "admin", roles[i].admin, "permissions", held));
	}
	return json_pack("{s:o, s:o}", "permissions", perms_out, "roles", roles_out);
}
