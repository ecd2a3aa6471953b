/* settings.c — defaults, loading and validation of settings (settings.h). */
#include "settings.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct {
	const char *key, *label;
	size_t off;
	int def, min, max;
} known[] = {
	{ "pw_min_len", "密码最小长度", offsetof(struct settings, pw_min_len), 8, 8, 64 },
	{ "pw_admin_min_len", "管理员（系统、安全、审计管理员）密码最小长度", offsetof(struct settings, pw_admin_min_len), 12, 12, 64 },
	{ "pw_history", "不得重复使用的最近密码个数", offsetof(struct settings, pw_history), 5, 1, 24 },
	{ "lock_threshold", "统计时段内账号锁定前允许的登录失败次数", offsetof(struct settings, lock_threshold), 5, 1, 100 },
	{ "lock_minutes", "锁定时长（分钟）", offsetof(struct settings, lock_minutes), 15, 1, 1440 },
	{ "ip_lock_threshold", "统计时段内同一地址锁定前允许的登录失败次数", offsetof(struct settings, ip_lock_threshold), 5, 1, 100000 },
	{ "login_window_minutes", "登录失败次数的统计时段（分钟，滑动窗口，登录成功不清零）", offsetof(struct settings, login_window_minutes), 15, 1, 1440 },
	{ "login_rate_per_minute", "全部地址合计每分钟允许的登录请求数（超出答复 429）", offsetof(struct settings, login_rate_per_minute), 300, 1, 1000000 },
	{ "admin_delay_seconds", "管理员账号失败次数超过阈值后，每次失败使下次允许尝试的间隔增加的秒数（不锁定）", offsetof(struct settings, admin_delay_seconds), 2, 0, 60 },
	{ "admin_delay_max_seconds", "管理员账号两次尝试之间的最长间隔（秒）", offsetof(struct settings, admin_delay_max_seconds), 10, 0, 60 },
	{ "idle_minutes", "会话空闲超时（分钟）", offsetof(struct settings, idle_minutes), 30, 1, 1440 },
	{ "session_max_minutes", "会话最长有效期（分钟）", offsetof(struct settings, session_max_minutes), 720, 5, 10080 },
	{ "pw_max_age_days", "密码最长使用期限（天，0 为不限）", offsetof(struct settings, pw_max_age_days), 90, 0, 3650 },
	{ "audit_keep_days", "审计日志最短保存期（天）", offsetof(struct settings, audit_keep_days), 180, 180, 36500 },
	{ "duplicate_probe_limit", "每名用户每小时与管辖范围外已登记相对人重复的登记次数上限（超过后暂停其登记）",
	  offsetof(struct settings, duplicate_probe_limit), 5, 1, 1000 },
	{ "import_max_rows", "网页/接口单次导入记录的行数上限（更多行请用 fazhi records import）", offsetof(struct settings, import_max_rows), 5000, 1, 100000 },
	{ "import_batch_rows", "命令行导入每个事务提交的行数", offsetof(struct settings, import_batch_rows), 1000, 100, 10000 },
	{ "audit_checkpoint_minutes", "审计日志签名检查点间隔（分钟）", offsetof(struct settings, audit_checkpoint_minutes), 60, 1, 1440 },
};
#define NKNOWN ((int)(sizeof known / sizeof known[0]))

static int *field(struct settings *s, int i) { return (int *)(void *)((char *)s + known[i].off); }

int settings_count(void) { return NKNOWN; }
const char *settings_key(int i) { return known[i].key; }
const char *settings_label(int i) { return known[i].label; }
int settings_value(const struct settings *s, int i)
{
	return *(const int *)(const void *)((const char *)s + known[i].off);
}

void settings_defaults(struct settings *s)
{
	for (int i = 0; i < NKNOWN; i++)
		*field(s, i) = known[i].def;
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
		for (int i = 0; i < NKNOWN; i++) {
			if (strcmp(k, known[i].key) != 0)
				continue;
			char *end;
			long n = strtol(v, &end, 10);
			if (*v == 0 || *end || n < known[i].min || n > known[i].max)
				bad = 1; /* written past settings_set: refuse rather than guess */
			else
				*field(s, i) = (int)n;
		}
	}
	db_done(st);
	return rc == DB_DONE && !bad ? 0 : -1;
}

int settings_set(db *d, const char *key, const char *value, char *why, size_t n)
{
	for (int i = 0; i < NKNOWN; i++) {
		if (strcmp(key, known[i].key) != 0)
			continue;
		char *end;
		long v = strtol(value, &end, 10);
		if (*value == 0 || *end || v < known[i].min || v > known[i].max) {
			snprintf(why, n, "设置项 %s（%s）应为 %d 到 %d 之间的整数", key, known[i].label,
				 known[i].min, known[i].max);
			return -1;
		}
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
	snprintf(why, n, "未知的设置项: %s", key);
	return -1;
}
