/*
 * audit_text.c — an audit entry's detail as the audit administrator reads
 * it (audit_text.h): each key by its Chinese label, codes by their labels
 * (roles, registers, transitions and states, fields, urge kinds), yes/no
 * for booleans. The stored JSON stays the evidence; this is its reading.
 */
#include "audit_text.h"

#include <stdio.h>
#include <string.h>

#include "register.h"
#include "roles.h"
#include "vocab.h"

static const struct {
	const char *key, *label;
} labels[] = {
	{ "action", "操作" }, { "actor", "操作人" }, { "algorithm", "算法" }, { "all", "全部" },
	{ "attachment", "附件" }, { "backdated", "补录历史步数" }, { "bad", "错误行数" }, { "body", "单位" },
	{ "body_code", "单位编码" }, { "body_id", "单位编号" }, { "bodies", "所属单位" }, { "cert_issuer", "发证机关" },
	{ "cert_no", "证件号" }, { "cert_status", "证件状态" }, { "cert_valid_from", "证件有效期起" },
	{ "cert_valid_until", "证件有效期止" }, { "changes", "变更" }, { "checked", "已校验条数" },
	{ "checkpoints", "检查点数" }, { "code", "编码" }, { "comment", "意见" }, { "content", "任务内容" },
	{ "content_type", "文件类型" }, { "count", "数量" }, { "created", "新增数" }, { "day", "日期" },
	{ "deadline", "期限" }, { "delivered", "已送达" }, { "digest", "摘要" }, { "disabled", "停用" },
	{ "display_name", "姓名" }, { "done", "已完成" }, { "done_date", "完成日期" }, { "due_date", "办理期限" },
	{ "enabled", "启用" }, { "enterprises", "企业数" }, { "error", "错误" }, { "errors", "错误" },
	{ "existing_id", "已有编号" }, { "field", "字段" }, { "fields", "字段" }, { "filename", "文件名" },
	{ "files", "文件数" }, { "first_id", "首条编号" }, { "from", "原值" }, { "history", "历史" }, { "id", "编号" },
	{ "import_id", "导入批次" }, { "imported", "导入数" }, { "indicator", "指标" }, { "key", "设置项" },
	{ "kind", "类别" }, { "label", "名称" }, { "last_id", "末条编号" }, { "level", "级别" }, { "message", "内容" },
	{ "name", "名称" }, { "new_key", "新密钥" }, { "note", "说明" }, { "number", "编号" }, { "officers", "执法人员数" },
	{ "old_filename", "原文件名" }, { "old_key", "原密钥" }, { "path", "路径" }, { "people", "人员数" },
	{ "period", "年度" }, { "persons", "自然人数" }, { "problems", "问题" }, { "progress", "进度（%）" },
	{ "reason", "理由" }, { "record_id", "记录编号" }, { "records", "记录数" }, { "refused", "拒绝数" },
	{ "region", "区划" }, { "regions", "区划数" }, { "register", "登记簿" }, { "replaces", "替换" },
	{ "reply_by", "回复期限" }, { "result", "结果" }, { "role", "角色" }, { "rows", "行数" },
	{ "running", "原值（运行中）" }, { "scope", "管辖范围" }, { "scope_region", "管辖区划" }, { "score", "评分" },
	{ "size", "大小（字节）" }, { "sm3", "SM3 摘要" }, { "source", "来源" }, { "start_date", "起算日期" },
	{ "state", "状态" }, { "subjects", "相对人数" }, { "system", "指标体系" }, { "to", "新值" }, { "total", "总数" },
	{ "transition", "办理操作" }, { "truncated", "已截断" }, { "type", "类型" }, { "url", "推送地址" },
	{ "url_changed", "推送地址已更改" }, { "urge_id", "催办单编号" }, { "user", "用户" }, { "username", "用户名" },
	{ "uscc", "统一社会信用代码" }, { "value", "新值" }, { "version", "版本" }, { "with_key", "含密钥" },
	{ "withdraw_reason", "撤回理由" }, { "unchanged", "未变数" }, { "skipped", "跳过数" }, { "reviews", "开启的评估任务数" }, { "year", "年份" }, { "years", "年份" }, { "sheet", "工作表" },
	{ "format", "格式" }, { "limit", "条数上限" }, { "filters", "筛选条件" }, { "ip", "地址" },
	{ "key_id", "密钥标识" }, { "anchor", "锚点" }, { "q", "关键词" }, { "must_change", "须修改密码" },
	{ "moved", "迁移数" }, { "checked_files", "已校验文件数" }, { "identity", "身份" },
	{ "second_factor", "第二因素" }, { "method", "请求方法" }, { "score_x100", "评分（百分之一分）" },
	{ "active", "启用版本" }, { "indicators", "指标数" }, { "previous", "原版本" }, { "keys_corrected", "更正的计数" },
	{ "review", "核实" }, { "batches", "批次数" }, { "line", "行号" }, { "columns", "列" }, { "template", "模板" },
	{ "person", "人员编号" }, { "hours", "学时" }, { "course", "培训内容" }, { "bytes", "大小（字节）" }, { "doc_number", "发文字号" }, { "status", "状态码" },
	{ "violations", "违法行为数" }, { "seed", "随机种子" }, { "rubric", "评分标准" }, { "per_body", "每单位抽查件数" },
	{ "percent", "抽查比例（%）" }, { "remedies", "生成的整改事项" }, { "passed", "合格" },
	{ "deductions", "扣分项" }, { "subject_id", "相对人编号" }, { "valid_until", "有效期至" },
	{ "industry", "所属行业" }, { "credit_grade", "信用风险分类" }, { "cap_per_year", "年度日常检查次数上限" },
	{ "quiet_days", "免检期（日）" }, { "basis", "依据" },
	{ "title", "标题" }, { "seed_hash", "随机种子的 SM3 哈希" }, { "sample", "抽取数量" }, { "rate", "抽取比例（%）" },
	{ "matter", "检查事项" },
	{ "members", "成员记录" }, { "joint_group", "联合检查组编号" },
	{ "via", "途径" }, { "origin", "来源登记簿" }, { "origin_id", "来源记录编号" },
};

const char *audit_key_at(int i)
{
	return i >= 0 && (size_t)i < sizeof labels / sizeof labels[0] ? labels[i].key : NULL;
}

const char *audit_key_label(const char *key)
{
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].key, key) == 0)
			return labels[i].label;
	return NULL;
}

struct buf {
	char *p;
	size_t n, len;
};

static void put(struct buf *b, const char *s)
{
	size_t k = strlen(s);
	if (b->len + k >= b->n) { /* cut at a character's start: the text stays UTF-8 */
		k = b->n - b->len - 1;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
	}
	memcpy(b->p + b->len, s, k);
	b->len += k;
	b->p[b->len] = 0;
}

/* A code as its label, where the key says what it is a code of. */
static const char *code_label(const struct reg_def *r, const char *key, const char *v, int states)
{
	const char *l = NULL;
	if (strcmp(key, "role") == 0 && role_find(v))
		l = role_find(v)->label;
	else if (strcmp(key, "register") == 0 && register_find(v))
		l = register_find(v)->label;
	else if (strcmp(key, "transition") == 0 && r && register_transition(r, v))
		l = register_transition(r, v)->label;
	else if (states && r && register_state(r, v) >= 0)
		l = r->states[register_state(r, v)].label;
	else if (strcmp(key, "kind") == 0)
		l = vocab_label(VOCAB_URGE_KIND, v);
	return l ? l : v;
}

static void value(struct buf *b, const struct reg_def *r, const char *key, json_t *v, int states);

/* {"k": v, …} as "标签：值；…"; field names of the register by their labels. */
static void object(struct buf *b, const struct reg_def *r, json_t *o, int fields, int states)
{
	const char *k;
	json_t *v;
	int first = 1;
	json_object_foreach(o, k, v) {
		int f = fields && r ? register_field(r, k) : -1;
		const char *label = f >= 0 ? r->fields[f].label : strcmp(k, "due_date") == 0 ? "办理期限" : audit_key_label(k);
		put(b, first ? "" : "；");
		put(b, label ? label : k);
		put(b, "：");
		if (strcmp(k, "changes") == 0 && json_is_object(v)) {
			put(b, "（");
			object(b, r, v, 1, 0);
			put(b, "）");
		} else if (f >= 0 || (fields && json_is_object(v))) {
			json_t *from = json_object_get(v, "from"), *to = json_object_get(v, "to");
			value(b, r, k, from, 0);
			put(b, " → ");
			value(b, r, k, to, 0);
		} else
			value(b, r, k, v, states);
		first = 0;
	}
}

static void value(struct buf *b, const struct reg_def *r, const char *key, json_t *v, int states)
{
	char num[48];
	if (!v || json_is_null(v))
		put(b, "无");
	else if (json_is_boolean(v))
		put(b, json_is_true(v) ? "是" : "否");
	else if (json_is_string(v))
		put(b, code_label(r, key, json_string_value(v), states));
	else if (json_is_integer(v) || json_is_real(v)) {
		if (json_is_integer(v))
			snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		else
			snprintf(num, sizeof num, "%g", json_real_value(v));
		put(b, num);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) {
			put(b, i ? "、" : "");
			value(b, r, key, x, states);
		}
	} else {
		put(b, "（");
		object(b, r, v, 0, states);
		put(b, "）");
	}
}

void audit_detail_text(const char *entity, json_t *detail, char *out, size_t n)
{
	struct buf b = { out, n, 0 };
	const struct reg_def *r = register_find(entity);
	out[0] = 0;
	if (!json_is_object(detail))
		return;
	json_t *t = json_object_get(detail, "transition"), *from = json_object_get(detail, "from"),
	       *to = json_object_get(detail, "to");
	if (!r || !json_is_string(t) || !json_is_string(from) || !json_is_string(to)) {
		object(&b, r, detail, 0, 0);
		return;
	}
	/* a step first: "退回：申请销号 → 整改中", then the rest */
	json_t *rest = json_deep_copy(detail);
	json_object_del(rest, "transition");
	json_object_del(rest, "from");
	json_object_del(rest, "to");
	value(&b, r, "transition", t, 0);
	put(&b, "：");
	value(&b, r, "from", from, 1);
	put(&b, " → ");
	value(&b, r, "to", to, 1);
	if (json_object_size(rest)) {
		put(&b, "；");
		object(&b, r, rest, 0, 0);
	}
	json_decref(rest);
}
