/* vocab.c — the closed value lists and their check against the
 * migrations (see vocab.h). */
#include "vocab.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "embedded.h"

static const struct vocab vocabs[VOCAB_COUNT] = {
	[VOCAB_BODY_KIND] = { "body_kinds", "bodies", "kind",
			      { "government", "department", "township", "enforcement" },
			      { "人民政府", "政府部门", "乡镇（街道）", "执法机构" } },
	[VOCAB_CERT_STATUS] = { "cert_statuses", "people", "cert_status",
				{ "active", "suspended", "revoked", "cancelled" },
				{ "有效", "暂扣", "吊销", "注销" } },
	[VOCAB_SUBJECT_KIND] = { "subject_kinds", "subjects", "kind",
				 { "enterprise", "person" }, { "企业", "自然人" } },
	[VOCAB_ASSIGNMENT_ROLE] = { "assignment_roles", "assignments", "role",
				    { "lead", "cooperate" }, { "牵头", "配合" } },
	[VOCAB_NOTICE_KIND] = { "notice_kinds", "notices", "kind",
				{ "assigned", "returned", "decided", "review", "urge", "due_soon", "overdue" },
				{ "交办", "退回", "审批结果", "待审核", "催办", "即将到期", "已逾期" } },
	[VOCAB_URGE_KIND] = { "urge_kinds", "urges", "kind", { "urge", "supervise" }, { "催办单", "督办单" } },
	[VOCAB_ATTACH_OWNER] = { "attachment_owners", "attachments", "owner_kind",
				 { "record", "assignment" }, { "工作台账记录", "分解任务" } },
	/* 企业信用风险分类 (市场监管总局 关于推进企业信用风险分类管理进一步提升
	 * 监管效能的意见, 国市监信发〔2022〕6号: A low risk … D high risk) */
	[VOCAB_CREDIT_GRADE] = { "credit_grades", "subjects", "credit_grade", { "A", "B", "C", "D" },
				 { "A 类（信用风险低）", "B 类（信用风险一般）", "C 类（信用风险较高）", "D 类（信用风险高）" } },
};

const struct vocab *vocab_get(enum vocab_id id) { return &vocabs[id]; }
const char *const *vocab_codes(enum vocab_id id) { return vocabs[id].codes; }

const char *vocab_label(enum vocab_id id, const char *code)
{
	for (int i = 0; code && vocabs[id].codes[i]; i++)
		if (strcmp(vocabs[id].codes[i], code) == 0)
			return vocabs[id].labels[i];
	return NULL;
}

/* The text of the last migration statement declaring table.column: its
 * "CREATE TABLE <table> (" or an "ALTER TABLE <table> ADD COLUMN
 * <column> " that came after it. */
static const char *create_table(const char *table, const char *column, size_t *len)
{
	char head[96], alter[160];
	const char *found = NULL;
	snprintf(head, sizeof head, "CREATE TABLE %s (", table);
	snprintf(alter, sizeof alter, "ALTER TABLE %s ADD COLUMN %s ", table, column);
	for (int i = 0; i < migration_files_count; i++) {
		const char *p = strstr(migration_files[i].text, head), *q = strstr(migration_files[i].text, alter);
		if (p && q)
			found = p > q ? p : q;
		else if (p || q)
			found = p ? p : q;
	}
	if (!found)
		return NULL;
	const char *end = strstr(found, ");");
	if (strncmp(found, "ALTER", 5) == 0)
		end = strchr(found, ';');
	*len = end ? (size_t)(end - found) : strlen(found);
	return found;
}

/* Compares the quoted values of "column ... CHECK (column IN ('a', 'b'))". */
static int same_values(const struct vocab *v, const char *sql, size_t len)
{
	char pat[64];
	snprintf(pat, sizeof pat, "CHECK (%s IN (", v->column);
	const char *p = strstr(sql, pat);
	if (!p || (size_t)(p - sql) > len)
		return 0;
	p += strlen(pat);
	int n = 0;
	while (*p == '\'') {
		const char *q = strchr(p + 1, '\'');
		if (!q || !v->codes[n] || strlen(v->codes[n]) != (size_t)(q - p - 1) ||
		    memcmp(v->codes[n], p + 1, (size_t)(q - p - 1)) != 0)
			return 0;
		n++;
		p = q + 1;
		p += strspn(p, ", \n\t");
	}
	return *p == ')' && !v->codes[n];
}

int vocab_check(char *why, size_t n)
{
	for (int i = 0; i < VOCAB_COUNT; i++) {
		size_t len;
		const struct vocab *v = &vocabs[i];
		const char *sql = create_table(v->table, v->column, &len);
		if (!sql || !same_values(v, sql, len)) {
			snprintf(why, n, "取值列表 %s 与数据库迁移中 %s.%s 的 CHECK 约束不一致（应逐项相同、顺序相同）",
				 v->name, v->table, v->column);
			return -1;
		}
	}
	return 0;
}

json_t *vocab_json(void)
{
	json_t *out = json_object();
	for (int i = 0; i < VOCAB_COUNT; i++) {
		json_t *m = json_object();
		for (int j = 0; vocabs[i].codes[j]; j++)
			json_object_set_new(m, vocabs[i].codes[j], json_string(vocabs[i].labels[j]));
		json_object_set_new(out, vocabs[i].name, m);
	}
	return out;
}
