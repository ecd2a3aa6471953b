/* settings.c — defaults, loading and validation of settings (settings.h). */
#include "settings.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct setting_def {
	const char *key, *label;
	int def, min, max;
	int security; /* the security administrator's (密码、锁定、会话、审计保存期) */
};

static const struct {
	struct setting_def d;
	size_t off;
} known[] = {
	{ { "pw_min_len", "密码最小长度", 8, 8, 64, 1 }, offsetof(struct settings, pw_min_len) },
	{ { "pw_admin_min_len", "管理员（系统、安全、审计管理员）密码最小长度", 12, 12, 64, 1 }, offsetof(struct settings, pw_admin_min_len) },
	{ { "pw_history", "不得重复使用的最近密码个数", 5, 1, 24, 1 }, offsetof(struct settings, pw_history) },
	{ { "lock_threshold", "统计时段内账号锁定前允许的登录失败次数", 5, 1, 100, 1 }, offsetof(struct settings, lock_threshold) },
	{ { "lock_minutes", "锁定时长（分钟）", 15, 1, 1440, 1 }, offsetof(struct settings, lock_minutes) },
	{ { "ip_lock_threshold", "统计时段内同一地址锁定前允许的登录失败次数", 5, 1, 100000, 1 }, offsetof(struct settings, ip_lock_threshold) },
	{ { "login_window_minutes", "登录失败次数的统计时段（分钟，滑动窗口，登录成功不清零）", 15, 1, 1440, 1 }, offsetof(struct settings, login_window_minutes) },
	{ { "login_rate_per_minute", "全部地址合计每分钟允许的登录请求数（超出答复 429）", 300, 1, 1000000, 1 }, offsetof(struct settings, login_rate_per_minute) },
	{ { "admin_delay_seconds", "管理员账号失败次数超过阈值后，每次失败使下次允许尝试的间隔增加的秒数（不锁定）", 2, 0, 60, 1 }, offsetof(struct settings, admin_delay_seconds) },
	{ { "admin_delay_max_seconds", "管理员账号两次尝试之间的最长间隔（秒）", 10, 0, 60, 1 }, offsetof(struct settings, admin_delay_max_seconds) },
	{ { "idle_minutes", "会话空闲超时（分钟）", 30, 1, 1440, 1 }, offsetof(struct settings, idle_minutes) },
	{ { "session_max_minutes", "会话最长有效期（分钟）", 720, 5, 10080, 1 }, offsetof(struct settings, session_max_minutes) },
	{ { "pw_max_age_days", "密码最长使用期限（天，0 为不限）", 90, 0, 3650, 1 }, offsetof(struct settings, pw_max_age_days) },
	{ { "audit_keep_days", "审计日志最短保存期（天）", 180, 180, 36500, 1 }, offsetof(struct settings, audit_keep_days) },
	{ { "duplicate_probe_limit", "每名用户每小时与管辖范围外已登记相对人重复的登记次数上限（超过后暂停其登记）", 5, 1, 1000, 1 }, offsetof(struct settings, duplicate_probe_limit) },
	{ { "import_max_rows", "网页/接口单次导入记录的行数上限（更多行请用 fazhi records import）", 5000, 1, 100000, 0 }, offsetof(struct settings, import_max_rows) },
	{ { "export_max_rows", "一次导出 Excel 的行数上限（超出部分不导出，表末注明“已截断”）", 100000, 10, 1000000, 0 }, offsetof(struct settings, export_max_rows) },
	{ { "import_batch_rows", "命令行导入每个事务提交的行数", 1000, 100, 10000, 0 }, offsetof(struct settings, import_batch_rows) },
	{ { "audit_checkpoint_minutes", "审计日志签名检查点间隔（分钟）", 60, 1, 1440, 1 }, offsetof(struct settings, audit_checkpoint_minutes) },
	{ { "cert_expiry_warn_days", "执法证件到期前多少天起在执法人员列表中提示“即将到期”（天）", 30, 1, 365, 0 }, offsetof(struct settings, cert_expiry_warn_days) },
	{ { "due_soon_working_days", "工作台“即将到期”的范围：自今天起多少个工作日内到期（工作日）", 3, 1, 30, 0 }, offsetof(struct settings, due_soon_working_days) },
	{ { "training_min_hours", "执法人员每人每年培训学时下限（学时；《法治政府建设实施纲要（2021—2025年）》：每人每年不少于60学时）", 60, 1, 200, 0 }, offsetof(struct settings, training_min_hours) },
	{ { "law_review_days", "上位法修改、废止后，评估引用它的行政规范性文件和裁量基准的期限（日；国办发〔2018〕37号：上位法修改、废止的及时评估清理；按本地规定）", 60, 7, 365, 0 }, offsetof(struct settings, law_review_days) },
	{ { "notify_interval_seconds", "服务生成站内通知、推送群机器人消息的间隔（秒）", 60, 1, 3600, 0 }, offsetof(struct settings, notify_interval_seconds) },
	{ { "draw_weight_a", "双随机抽查中信用等级为A级的企业的抽取权重（广东省市场监管条例第二十六条：被抽查概率与信用等级相关联，信用较好的适当减少抽查；本地设定，0 为不抽）", 1, 0, 1000, 0 }, offsetof(struct settings, draw_weight[0]) },
	{ { "draw_weight_b", "双随机抽查中信用等级为B级的企业的抽取权重（广东省市场监管条例第二十六条：被抽查概率与信用等级相关联，信用较好的适当减少抽查；本地设定，0 为不抽）", 2, 0, 1000, 0 }, offsetof(struct settings, draw_weight[1]) },
	{ { "draw_weight_c", "双随机抽查中信用等级为C级的企业的抽取权重（广东省市场监管条例第二十六条：被抽查概率与信用等级相关联，信用较好的适当减少抽查；本地设定，0 为不抽）", 4, 0, 1000, 0 }, offsetof(struct settings, draw_weight[2]) },
	{ { "draw_weight_d", "双随机抽查中信用等级为D级的企业的抽取权重（广东省市场监管条例第二十六条：被抽查概率与信用等级相关联，信用较好的适当减少抽查；本地设定，0 为不抽）", 8, 0, 1000, 0 }, offsetof(struct settings, draw_weight[3]) },
	{ { "draw_weight_none", "双随机抽查中信用等级为无信用等级的企业的抽取权重（广东省市场监管条例第二十六条：被抽查概率与信用等级相关联，信用较好的适当减少抽查；本地设定，0 为不抽）", 2, 0, 1000, 0 }, offsetof(struct settings, draw_weight[4]) },
	{ { "demo_data", "演示数据标识（1：本库由 fazhi demo 生成，控制台顶部标示“演示数据”；用于正式数据前请勿沿用演示库）", 0, 0, 1, 0 }, offsetof(struct settings, demo_data) },
};
#define NKNOWN ((int)(sizeof known / sizeof known[0]))

/* Declared by register definitions at start-up; the strings are copies. */
static struct {
	char key[64], label[512];
	struct setting_def d;
} declared[SETTINGS_MAX_DECLARED];
static int ndeclared;

static const struct setting_def *def_at(int i)
{
	return i < NKNOWN ? &known[i].d : &declared[i - NKNOWN].d;
}

static int *field(struct settings *s, int i)
{
	return i < NKNOWN ? (int *)(void *)((char *)s + known[i].off) : &s->declared[i - NKNOWN];
}

static int find(const char *key)
{
	for (int i = 0; i < NKNOWN + ndeclared; i++)
		if (strcmp(key, def_at(i)->key) == 0)
			return i;
	return -1;
}

int settings_declare(const char *key, const char *label, int def, int min, int max, char *why, size_t n)
{
	int i = find(key);
	if (i >= 0 && i < NKNOWN)
		return snprintf(why, n, "设置项 %s 与系统设置项重名", key), -1;
	if (min > max || def < min || def > max)
		return snprintf(why, n, "设置项 %s 的默认值 %d 不在范围 %d 到 %d 内", key, def, min, max), -1;
	if (strlen(key) >= sizeof declared[0].key || strlen(label) >= sizeof declared[0].label)
		return snprintf(why, n, "设置项 %s 的名称或说明过长", key), -1;
	if (i < 0 && ndeclared == SETTINGS_MAX_DECLARED)
		return snprintf(why, n, "登记簿声明的设置项超过 %d 个", SETTINGS_MAX_DECLARED), -1;
	int k = i < 0 ? ndeclared++ : i - NKNOWN;
	snprintf(declared[k].key, sizeof declared[k].key, "%s", key);
	snprintf(declared[k].label, sizeof declared[k].label, "%s", label);
	declared[k].d = (struct setting_def){ declared[k].key, declared[k].label, def, min, max, 0 };
	return 0;
}

int settings_count(void) { return NKNOWN + ndeclared; }
int settings_security(int i) { return def_at(i)->security; }
void settings_range(int i, int *def, int *min, int *max)
{
	*def = def_at(i)->def;
	*min = def_at(i)->min;
	*max = def_at(i)->max;
}
int settings_index(const char *key) { return find(key); }
const char *settings_key(int i) { return def_at(i)->key; }
const char *settings_label(int i) { return def_at(i)->label; }
int settings_value(const struct settings *s, int i)
{
	return i < NKNOWN ? *(const int *)(const void *)((const char *)s + known[i].off) : s->declared[i - NKNOWN];
}

int settings_get(const struct settings *s, const char *key)
{
	int i = find(key);
	return i < 0 ? -1 : settings_value(s, i);
}

void settings_defaults(struct settings *s)
{
	memset(s, 0, sizeof *s);
	for (int i = 0; i < settings_count(); i++)
		*field(s, i) = def_at(i)->def;
}

int settings_load(db *d, struct settings *s)
{
	settings_defaults(s);
	db_stmt *st = db_prepare(d, "SELECT key, value FROM settings");
	if (!st)
		return -1;
	int rc, bad = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *k = db_col_text(st, 0), *v = db_col_text(st, 1);
		int i = find(k);
		if (i < 0)
			continue;
		char *end;
		long n = strtol(v, &end, 10);
		if (*v == 0 || *end || n < def_at(i)->min || n > def_at(i)->max)
			bad = 1; /* written past settings_set: refuse rather than guess */
		else
			*field(s, i) = (int)n;
	}
	db_done(st);
	return rc == DB_DONE && !bad ? 0 : -1;
}

int settings_set(db *d, const char *key, const char *value, char *why, size_t n)
{
	int i = find(key);
	if (i < 0)
		return snprintf(why, n, "未知的设置项: %s", key), -1;
	const struct setting_def *k = def_at(i);
	char *end;
	long v = strtol(value, &end, 10);
	if (*value == 0 || *end || v < k->min || v > k->max)
		return snprintf(why, n, "设置项 %s（%s）应为 %d 到 %d 之间的整数", key, k->label, k->min, k->max), -1;
	db_stmt *st = db_prepare(d, "INSERT INTO settings(key, value, updated_at) VALUES ($1, $2, $3)"
				   " ON CONFLICT(key) DO UPDATE SET value = excluded.value,"
				   " updated_at = excluded.updated_at");
	if (!st)
		return snprintf(why, n, "%s", db_errmsg(d)), -1;
	char buf[24];
	snprintf(buf, sizeof buf, "%ld", v);
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, buf);
	db_bind_int(st, 3, (int64_t)time(NULL));
	int rc = db_run(st);
	db_done(st);
	return rc == DB_DONE ? 0 : (snprintf(why, n, "%s", db_errmsg(d)), -1);
}
