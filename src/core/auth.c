/*
 * auth.c — login, lockout and sessions (see auth.h). The session token is
 * 256 random bits given to the client once; the store keeps its SM3
 * digest. Password hashing (Argon2id) runs outside write transactions.
 * Failures are events counted over a sliding window per address and per
 * account; a global rate bounds the KDF work; every lookup on the login
 * path fails closed (a store error answers 500, never lets an attempt by).
 */
#include "auth.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "crypto.h"
#include "roles.h"
#include "totp.h"
#include "validate.h"

static void copy(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src ? src : ""); }

/* The user's columns, selected after the first `at` columns of st. */
#define USER_COLS                                                                          \
	"u.id, u.username, u.display_name, u.role, COALESCE(u.scope_region, ''),"          \
	" COALESCE(r.path, ''), u.must_change"
#define USER_JOIN_REGION " LEFT JOIN regions r ON r.code = u.scope_region"

static void user_from_row(db_stmt *st, int at, struct user *u)
{
	memset(u, 0, sizeof *u);
	u->id = db_col_int(st, at);
	copy(u->username, sizeof u->username, db_col_text(st, at + 1));
	copy(u->display_name, sizeof u->display_name, db_col_text(st, at + 2));
	copy(u->role, sizeof u->role, db_col_text(st, at + 3));
	copy(u->scope_region, sizeof u->scope_region, db_col_text(st, at + 4));
	copy(u->scope_path, sizeof u->scope_path, db_col_text(st, at + 5));
	u->must_change = (int)db_col_int(st, at + 6);
}

static int user_bodies_load(db *d, struct user *u)
{
	db_stmt *st = db_prepare(d, "SELECT body_id FROM user_bodies WHERE user_id = $1 ORDER BY body_id");
	if (!st)
		return -1;
	db_bind_int(st, 1, u->id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW && u->nbodies < USER_MAX_BODIES)
		u->bodies[u->nbodies++] = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

int auth_user_load(db *d, int64_t id, struct user *u)
{
	memset(u, 0, sizeof *u);
	db_stmt *st = db_prepare(d, "SELECT " USER_COLS " FROM users u" USER_JOIN_REGION " WHERE u.id = $1");
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		user_from_row(st, 0, u);
	db_done(st);
	return rc == DB_ROW ? user_bodies_load(d, u) : -1;
}

static void token_digest(const char *token, char out[65])
{
	crypto_digest_hex(HASH_SM3, token, strlen(token), out);
}

/* The one answer for an unknown name, a wrong password or code, and a
 * locked account: none of them tells which it was. */
#define LOGIN_REFUSED_MSG "用户名、密码或动态验证码错误（连续失败过多的账号会被临时锁定，请稍后再试或联系安全管理员）"

/* ---- the global login rate: one minute in one-second buckets ---- */

static struct {
	pthread_mutex_t mu;
	int64_t sec[60];
	int n[60];
	int64_t audited; /* the last second a refusal was audited */
} rate = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* 0: admitted and counted. 1: over per_minute; *audit set for the first
 * refusal of each second (a flood must not become an audit flood). */
static int rate_admit(int per_minute, int64_t now, int *audit)
{
	int total = 0, over;
	pthread_mutex_lock(&rate.mu);
	for (int i = 0; i < 60; i++)
		if (rate.sec[i] > now - 60)
			total += rate.n[i];
	over = total >= per_minute;
	if (!over) {
		int b = (int)(now % 60);
		if (rate.sec[b] != now) {
			rate.sec[b] = now;
			rate.n[b] = 0;
		}
		rate.n[b]++;
	} else {
		*audit = rate.audited != now;
		rate.audited = now;
	}
	pthread_mutex_unlock(&rate.mu);
	return over;
}

/* ---- failure windows (login_failure_events) ---- */

/* Failures of kind/subject since `since`; -1 on a store error. */
static int64_t failures_count(db *d, const char *kind, const char *subject, int64_t since)
{
	db_stmt *st = db_prepare(d, "SELECT COUNT(*) FROM login_failure_events WHERE kind = $1 AND subject = $2"
				   " AND at > $3");
	if (!st)
		return -1;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, subject);
	db_bind_int(st, 3, since);
	int rc = db_step(st);
	int64_t n = rc == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return n;
}

static int failure_add(db *d, const char *kind, const char *subject, int64_t now)
{
	db_stmt *st = db_prepare(d, "INSERT INTO login_failure_events(kind, subject, at) VALUES ($1, $2, $3)");
	if (!st)
		return -1;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, subject);
	db_bind_int(st, 3, now);
	int rc = db_run(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Deletes kind/subject's events (a lock consumes what it counted), or, with
 * subject NULL, every event at or before `before` (out of every window). */
static int failures_drop(db *d, const char *kind, const char *subject, int64_t before)
{
	db_stmt *st = db_prepare(d, subject ? "DELETE FROM login_failure_events WHERE kind = $1 AND subject = $2"
					    : "DELETE FROM login_failure_events WHERE at <= $1");
	if (!st)
		return -1;
	if (subject) {
		db_bind_text(st, 1, kind);
		db_bind_text(st, 2, subject);
	} else {
		db_bind_int(st, 1, before);
	}
	int rc = db_run(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The address's lock end into *until (0 when none); -1 on a store error. */
static int address_locked_until(db *d, const char *ip, int64_t *until)
{
	db_stmt *st = db_prepare(d, "SELECT locked_until FROM login_failures WHERE ip = $1");
	if (!st)
		return -1;
	db_bind_text(st, 1, ip);
	int rc = db_step(st);
	*until = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

static int address_lock(db *d, const char *ip, int64_t count, int64_t now, int64_t until)
{
	db_stmt *st = db_prepare(d, "INSERT INTO login_failures(ip, count, first_at, locked_until) VALUES ($1, $2, $3, $4)"
				   " ON CONFLICT(ip) DO UPDATE SET count = excluded.count, first_at = excluded.first_at,"
				   " locked_until = excluded.locked_until");
	if (!st)
		return -1;
	db_bind_text(st, 1, ip);
	db_bind_int(st, 2, count);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, until);
	int rc = db_run(st);
	db_done(st);
	return rc == DB_DONE && failures_drop(d, "address", ip, 0) == 0 ? 0 : -1;
}

static char dummy[256];
static void dummy_init(void) { crypto_password_hash("unused-Dummy-9", dummy, sizeof dummy); }

/* A valid hash to verify against when the username is unknown. */
static const char *dummy_hash(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, dummy_init);
	return dummy;
}

struct login_row {
	int64_t id, locked_until, disabled, pw_changed_at;
	int admin;
	char sid[24];
	char hash[256];
};

/* 1 found, 0 absent, -1 a store error. */
static int find_login(db *d, const char *username, struct login_row *row)
{
	db_stmt *st = db_prepare(d, "SELECT id, pw_hash, locked_until, disabled, pw_changed_at, role"
				   " FROM users WHERE username = $1");
	if (!st)
		return -1;
	db_bind_text(st, 1, username);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const struct role *r = role_find(db_col_text(st, 5));
		row->id = db_col_int(st, 0);
		copy(row->hash, sizeof row->hash, db_col_text(st, 1));
		row->locked_until = db_col_int(st, 2);
		row->disabled = db_col_int(st, 3);
		row->pw_changed_at = db_col_int(st, 4);
		row->admin = !r || r->admin; /* an unknown role is treated as the stricter kind */
		snprintf(row->sid, sizeof row->sid, "%" PRId64, row->id);
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* Administrators are never locked by failures (anyone could lock them
 * out); past the threshold the account takes one attempt per interval,
 * growing with each failure. An attempt before its time is answered at
 * once: nothing sleeps holding a server thread (a thread serves several
 * connections). The seconds still to wait (0: go on), -1 a store error. */
static int64_t admin_wait(db *d, const struct settings *cfg, const struct login_row *row, int64_t now)
{
	db_stmt *st = db_prepare(d, "SELECT COUNT(*), COALESCE(MAX(at), 0) FROM login_failure_events"
				   " WHERE kind = 'account' AND subject = $1 AND at > $2");
	if (!st)
		return -1;
	db_bind_text(st, 1, row->sid);
	db_bind_int(st, 2, now - cfg->login_window_minutes * 60LL);
	int rc = db_step(st);
	int64_t n = rc == DB_ROW ? db_col_int(st, 0) : -1, last = rc == DB_ROW ? db_col_int(st, 1) : 0;
	db_done(st);
	if (n < cfg->lock_threshold)
		return n < 0 ? -1 : 0;
	int64_t secs = (n - cfg->lock_threshold + 1) * cfg->admin_delay_seconds;
	if (secs > cfg->admin_delay_max_seconds)
		secs = cfg->admin_delay_max_seconds;
	return last + secs > now ? last + secs - now : 0;
}

/* Counts a failure against the address and (account) the account, locking
 * either when its window is full; *locked set when the account locks. In
 * the caller's transaction. */
static int failure_record(db *d, const struct settings *cfg, const struct login_row *row, int account,
			  const char *ip, int64_t now, int *locked)
{
	int64_t since = now - cfg->login_window_minutes * 60LL;
	if (failures_drop(d, NULL, NULL, since) != 0 || failure_add(d, "address", ip, now) != 0)
		return -1;
	int64_t n = failures_count(d, "address", ip, since);
	if (n < 0 || (n >= cfg->ip_lock_threshold && address_lock(d, ip, n, now, now + cfg->lock_minutes * 60LL) != 0))
		return -1;
	if (!row || !account)
		return 0;
	if (failure_add(d, "account", row->sid, now) != 0 || (n = failures_count(d, "account", row->sid, since)) < 0)
		return -1;
	if (row->admin || n < cfg->lock_threshold)
		return 0;
	db_stmt *st = db_prepare(d, "UPDATE users SET locked_until = $2 WHERE id = $1");
	if (!st)
		return -1;
	db_bind_int(st, 1, row->id);
	db_bind_int(st, 2, now + cfg->lock_minutes * 60LL);
	int rc = db_run(st);
	db_done(st);
	*locked = 1;
	return rc == DB_DONE && failures_drop(d, "account", row->sid, 0) == 0 && auth_kill_sessions(d, row->id) == 0
		       ? 0 : -1;
}

/* Refusal path: counts the failure, maybe locks, audits `result`, commits;
 * answers 401 invalid_credentials whatever the reason. */
static int login_refused(db *d, const struct settings *cfg, const struct login_row *row, int account,
			 const char *username, const char *ip, int64_t now, const char *result, struct fz_err *e)
{
	struct audit_actor who = { row ? row->id : 0, username, ip };
	const char *id = row ? row->sid : "0";
	int locked = 0;
	if (db_begin(d) != 0)
		return fz_store(e, d);
	int rc = failure_record(d, cfg, row, account, ip, now, &locked);
	if (rc == 0)
		rc = audit_append(d, &who, "login", "user", id, result, NULL);
	if (rc == 0 && locked)
		rc = audit_append(d, &who, "lock", "user", id, "ok", NULL);
	if (rc != 0 || db_commit(d) != 0) {
		db_rollback(d);
		return fz_store(e, d);
	}
	return fz_fail(e, 401, "invalid_credentials", NULL, LOGIN_REFUSED_MSG);
}

static int start_session(db *d, const struct settings *cfg, const struct login_row *row,
			 const char *ip, int64_t now, struct session *s)
{
	char digest[65];
	crypto_random_hex(s->token, 32);
	crypto_random_hex(s->csrf, 32);
	token_digest(s->token, digest);
	db_stmt *st = db_prepare(d, "INSERT INTO sessions(token_digest, user_id, csrf_token, ip, created_at,"
				   " last_seen) VALUES ($1, $2, $3, $4, $5, $5)");
	if (!st)
		return -1;
	db_bind_text(st, 1, digest);
	db_bind_int(st, 2, row->id);
	db_bind_text(st, 3, s->csrf);
	db_bind_text(st, 4, ip);
	db_bind_int(st, 5, now);
	int rc = db_run(st);
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	/* The failure windows stay: a success does not clear them. */
	int expired = cfg->pw_max_age_days > 0 && now - row->pw_changed_at > cfg->pw_max_age_days * 86400LL;
	st = db_prepare(d, "UPDATE users SET last_login_at = $2,"
			   " must_change = CASE WHEN $3 = 1 THEN 1 ELSE must_change END WHERE id = $1");
	if (!st)
		return -1;
	db_bind_int(st, 1, row->id);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, expired);
	rc = db_run(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Second factor passed (or not needed): the session, audited. */
static int login_open(db *d, const struct settings *cfg, const unsigned char key[32], const struct login_row *row,
		      const struct login_input *in, int need_totp, int64_t now, struct session *s, struct fz_err *e)
{
	struct audit_actor who = { row->id, in->username, in->ip };
	int recovery = 0;
	if (db_begin(d) != 0)
		return fz_store(e, d);
	int rc = need_totp ? totp_check(d, key, row->id, in->totp, &recovery) : 0;
	if (rc != 0) {
		db_rollback(d);
		return rc < 0 ? fz_store(e, d)
			      : login_refused(d, cfg, row, 1, in->username, in->ip, now, "failed_second_factor", e);
	}
	json_t *detail = need_totp ? json_pack("{s:s}", "second_factor", recovery ? "recovery_code" : "totp") : NULL;
	rc = start_session(d, cfg, row, in->ip, now, s) != 0 ||
	     audit_append(d, &who, "login", "user", row->sid, "ok", detail) != 0 || db_commit(d) != 0;
	json_decref(detail);
	if (rc) {
		db_rollback(d);
		return fz_store(e, d);
	}
	return 0;
}

int auth_login(db *d, const struct settings *cfg, const unsigned char key[32], const struct login_input *in,
	       struct user *u, struct session *s, struct fz_err *e)
{
	int64_t now = (int64_t)time(NULL), until = 0;
	struct login_row row;
	struct audit_actor who = { 0, in->username, in->ip };
	int audit_it = 0;
	if (rate_admit(cfg->login_rate_per_minute, now, &audit_it)) {
		if (audit_it)
			audit_append(d, &who, "login", "user", "", "refused_rate_limited", NULL);
		return fz_fail(e, 429, "rate_limited", NULL, "登录请求过多，请稍后再试");
	}
	if (address_locked_until(d, in->ip, &until) != 0)
		return fz_store(e, d);
	if (until > now) {
		if (audit_append(d, &who, "login", "user", "", "refused_address_locked", NULL) != 0)
			return fz_store(e, d);
		return fz_fail(e, 423, "locked", NULL, "该地址登录失败次数过多，已被临时锁定，请 %d 分钟后再试",
			       cfg->lock_minutes);
	}
	int found = find_login(d, in->username, &row);
	int64_t wait = 0;
	if (found < 0 || (found && row.admin && (wait = admin_wait(d, cfg, &row, now)) < 0))
		return fz_store(e, d);
	if (wait > 0) {
		if (audit_append(d, &who, "login", "user", row.sid, "refused_throttled", NULL) != 0)
			return fz_store(e, d);
		return fz_fail(e, 429, "rate_limited", NULL, "该管理员账号登录失败次数过多，请 %d 秒后再试", (int)wait);
	}
	/* The KDF runs in every case (dummy hash for an unknown name, the real
	 * one for a locked account): each refusal takes the same time. */
	int pw_ok = crypto_password_verify(found ? row.hash : dummy_hash(), in->password) == 0;
	if (!found)
		return login_refused(d, cfg, NULL, 0, in->username, in->ip, now, "failed", e);
	who.id = row.id;
	if (row.locked_until > now)
		return login_refused(d, cfg, &row, 0, in->username, in->ip, now, "refused_locked", e);
	if (!pw_ok)
		return login_refused(d, cfg, &row, 1, in->username, in->ip, now, "failed", e);
	if (row.disabled) {
		if (audit_append(d, &who, "login", "user", row.sid, "refused_disabled", NULL) != 0)
			return fz_store(e, d);
		return fz_fail(e, 403, "account_disabled", NULL, "账号已停用，请联系安全管理员");
	}
	int need_totp = row.admin ? 1 : totp_enabled(d, row.id);
	if (need_totp < 0)
		return fz_store(e, d);
	if (need_totp && (!in->totp || !*in->totp)) {
		if (audit_append(d, &who, "login", "user", row.sid, "totp_required", NULL) != 0)
			return fz_store(e, d);
		return fz_fail(e, 401, "totp_required", "totp",
			       "请输入身份验证器上的 6 位动态验证码（totp），或一个恢复码");
	}
	if (login_open(d, cfg, key, &row, in, need_totp, now, s, e) != 0)
		return -1;
	return auth_user_load(d, row.id, u) == 0 ? 0 : fz_store(e, d);
}

int auth_session(db *d, const struct settings *cfg, const char *token, struct user *u,
		 struct session *s, struct fz_err *e)
{
	if (!token || strlen(token) != 64)
		return fz_fail(e, 401, "unauthenticated", NULL, "未登录或会话已失效，请重新登录");
	char digest[65];
	token_digest(token, digest);
	/* The session and its user in one statement: this runs on every call. */
	db_stmt *st = db_prepare(d, "SELECT s.csrf_token, s.created_at, s.last_seen, u.disabled, u.locked_until, " USER_COLS
				   " FROM sessions s JOIN users u ON u.id = s.user_id" USER_JOIN_REGION
				   " WHERE s.token_digest = $1");
	if (!st)
		return fz_store(e, d);
	db_bind_text(st, 1, digest);
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc == DB_DONE ? fz_fail(e, 401, "unauthenticated", NULL, "未登录或会话已失效，请重新登录")
				     : fz_store(e, d);
	}
	int64_t created = db_col_int(st, 1), seen = db_col_int(st, 2);
	int64_t now = (int64_t)time(NULL), locked = db_col_int(st, 4);
	int disabled = (int)db_col_int(st, 3);
	copy(s->csrf, sizeof s->csrf, db_col_text(st, 0));
	user_from_row(st, 5, u);
	db_done(st);
	if (now - seen > cfg->idle_minutes * 60 || now - created > cfg->session_max_minutes * 60 ||
	    disabled || locked > now) {
		if (auth_logout(d, token) != 0)
			return fz_store(e, d);
		return fz_fail(e, 401, "session_expired", NULL, "会话已过期，请重新登录");
	}
	if (now - seen >= 30) { /* refresh the idle timer without a write per request */
		st = db_prepare(d, "UPDATE sessions SET last_seen = $2 WHERE token_digest = $1");
		if (!st)
			return fz_store(e, d);
		db_bind_text(st, 1, digest);
		db_bind_int(st, 2, now);
		rc = db_run(st);
		db_done(st);
		if (rc != DB_DONE)
			return fz_store(e, d);
	}
	return user_bodies_load(d, u) == 0 ? 0 : fz_store(e, d);
}

int auth_logout(db *d, const char *token)
{
	char digest[65];
	token_digest(token, digest);
	db_stmt *st = db_prepare(d, "DELETE FROM sessions WHERE token_digest = $1");
	if (!st)
		return -1;
	db_bind_text(st, 1, digest);
	int rc = db_run(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int auth_kill_sessions(db *d, int64_t user_id)
{
	db_stmt *st = db_prepare(d, "DELETE FROM sessions WHERE user_id = $1");
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	int rc = db_run(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int auth_kill_other_sessions(db *d, int64_t user_id, const char *keep_token)
{
	char digest[65];
	token_digest(keep_token, digest);
	db_stmt *st = db_prepare(d, "DELETE FROM sessions WHERE user_id = $1 AND token_digest <> $2");
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, digest);
	int rc = db_run(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The account's role and current hash; 0 ok, -1 absent or error. */
static int password_owner(db *d, int64_t user_id, char role[24], char hash[256])
{
	db_stmt *st = db_prepare(d, "SELECT role, pw_hash FROM users WHERE id = $1");
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		copy(role, 24, db_col_text(st, 0));
		copy(hash, 256, db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int auth_password_check(db *d, int64_t user_id, const char *pw)
{
	char role[24], hash[256];
	if (password_owner(d, user_id, role, hash) != 0)
		return -1;
	int ok = crypto_password_verify(hash, pw) == 0;
	crypto_wipe(hash, sizeof hash);
	return ok;
}

/* Whether pw is the current password or one of the last cfg->pw_history
 * ones: 1 yes, 0 no, -1 a store error. */
static int password_reused(db *d, const struct settings *cfg, int64_t user_id, const char *current,
			   const char *pw)
{
	if (crypto_password_verify(current, pw) == 0)
		return 1;
	db_stmt *st = db_prepare(d, "SELECT pw_hash FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2");
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, cfg->pw_history);
	int rc, hit = 0;
	while (!hit && (rc = db_step(st)) == DB_ROW)
		hit = strcmp(db_col_text(st, 0), current) != 0 && crypto_password_verify(db_col_text(st, 0), pw) == 0;
	db_done(st);
	return hit ? 1 : rc == DB_DONE ? 0 : -1;
}

/* Keeps hash in the history and at most cfg->pw_history entries. */
static int password_remember(db *d, const struct settings *cfg, int64_t user_id, const char *hash, int64_t now)
{
	db_stmt *st = db_prepare(d, "INSERT INTO password_history(user_id, pw_hash, created_at) VALUES ($1, $2, $3)");
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, hash);
	db_bind_int(st, 3, now);
	int rc = db_run(st);
	db_done(st);
	if (rc != DB_DONE || !(st = db_prepare(d, "DELETE FROM password_history WHERE user_id = $1 AND id NOT IN"
						" (SELECT id FROM password_history WHERE user_id = $1"
						" ORDER BY id DESC LIMIT $2)")))
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, cfg->pw_history);
	rc = db_run(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int auth_password_min_len(const struct settings *cfg, const char *role)
{
	const struct role *r = role_find(role);
	return !r || r->admin ? cfg->pw_admin_min_len : cfg->pw_min_len;
}

int auth_password_prepare(db *d, const struct settings *cfg, int64_t user_id, const char *username,
			  const char *password, int must_change, char hash[256], struct fz_err *e)
{
	char why[256], role[24], current[256];
	if (password_owner(d, user_id, role, current) != 0)
		return fz_store(e, d);
	if (validate_password(password, username, auth_password_min_len(cfg, role), why, sizeof why) != 0)
		return fz_invalid(e, "password", "%s", why);
	/* A generated initial password (must_change) is random: no history to
	 * compare. */
	int reused = must_change ? 0 : password_reused(d, cfg, user_id, current, password);
	crypto_wipe(current, sizeof current);
	if (reused < 0)
		return fz_store(e, d);
	if (reused)
		return fz_invalid(e, "password", "新密码不能与最近 %d 次使用过的密码相同", cfg->pw_history);
	if (crypto_password_hash(password, hash, 256) != 0)
		return fz_fail(e, 500, "crypto_error", NULL, "密码摘要计算失败");
	return 0;
}

int auth_password_store(db *d, const struct settings *cfg, int64_t user_id, const char *hash, int must_change,
			struct fz_err *e)
{
	int64_t now = (int64_t)time(NULL);
	db_stmt *st = db_prepare(d, "UPDATE users SET pw_hash = $2, must_change = $3, pw_changed_at = $4,"
				   " failed_count = 0, updated_at = $4 WHERE id = $1");
	if (!st)
		return fz_store(e, d);
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, hash);
	db_bind_int(st, 3, must_change);
	db_bind_int(st, 4, now);
	int rc = db_run(st);
	db_done(st);
	/* A generated initial password is not kept in the history. */
	if (rc != DB_DONE || (!must_change && password_remember(d, cfg, user_id, hash, now) != 0))
		return fz_store(e, d);
	return 0;
}

int auth_set_password(db *d, const struct settings *cfg, int64_t user_id, const char *username,
		      const char *password, int must_change, struct fz_err *e)
{
	char hash[256];
	int rc = auth_password_prepare(d, cfg, user_id, username, password, must_change, hash, e) == 0 &&
			 auth_password_store(d, cfg, user_id, hash, must_change, e) == 0
		 ? 0 : -1;
	crypto_wipe(hash, sizeof hash);
	return rc;
}

static void generate_once(char out[17])
{
	static const char *const sets[] = { "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz",
					    "23456789", "@#%+=?!" };
	unsigned char rnd[16];
	crypto_random(rnd, sizeof rnd);
	for (int i = 0; i < 16; i++) {
		const char *set = sets[i < 4 ? i : rnd[i] % 3];
		out[i] = set[rnd[(i + 7) % 16] % strlen(set)];
	}
	out[16] = 0;
	/* Shuffle so the class of each position is not predictable. */
	for (int i = 15; i > 0; i--) {
		int j = rnd[i] % (i + 1);
		char t = out[i];
		out[i] = out[j];
		out[j] = t;
	}
	crypto_wipe(rnd, sizeof rnd);
}

void auth_generate_password(char out[17])
{
	char why[256];
	do /* a rare draw with a run like "abcd" is drawn again */
		generate_once(out);
	while (validate_password(out, NULL, 16, why, sizeof why) != 0);
}
