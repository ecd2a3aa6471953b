/*
 * auth.c — login, lockout and sessions (see auth.h). The session token is
 * 256 random bits given to the client once; the store keeps its SM3
 * digest. Password hashing (Argon2id) runs outside write transactions.
 */
#include "auth.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "crypto.h"
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
	while (db_step(st) == DB_ROW && u->nbodies < USER_MAX_BODIES)
		u->bodies[u->nbodies++] = db_col_int(st, 0);
	db_done(st);
	return 0;
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

/* Records a failed attempt from an address; returns 1 when it locks. */
static int ip_failure(db *d, const struct settings *cfg, const char *ip, int64_t now)
{
	db_stmt *st = db_prepare(d, "INSERT INTO login_failures(ip, count, first_at, locked_until)"
				   " VALUES ($1, 1, $2, 0) ON CONFLICT(ip) DO UPDATE SET"
				   " count = login_failures.count + 1 RETURNING count");
	if (!st)
		return 0;
	db_bind_text(st, 1, ip);
	db_bind_int(st, 2, now);
	int64_t count = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (count < cfg->ip_lock_threshold)
		return 0;
	st = db_prepare(d, "UPDATE login_failures SET locked_until = $2, count = 0 WHERE ip = $1");
	db_bind_text(st, 1, ip);
	db_bind_int(st, 2, now + cfg->lock_minutes * 60);
	db_run(st);
	db_done(st);
	return 1;
}

static int64_t ip_locked_until(db *d, const char *ip)
{
	return db_query_int(d, "SELECT locked_until FROM login_failures WHERE ip = $1", 0, 1, ip);
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
	int64_t id, failed, locked_until, disabled, pw_changed_at;
	char hash[256];
};

static int find_login(db *d, const char *username, struct login_row *row)
{
	db_stmt *st = db_prepare(d, "SELECT id, pw_hash, failed_count, locked_until, disabled, pw_changed_at"
				   " FROM users WHERE username = $1");
	if (!st)
		return -1;
	db_bind_text(st, 1, username);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		row->id = db_col_int(st, 0);
		copy(row->hash, sizeof row->hash, db_col_text(st, 1));
		row->failed = db_col_int(st, 2);
		row->locked_until = db_col_int(st, 3);
		row->disabled = db_col_int(st, 4);
		row->pw_changed_at = db_col_int(st, 5);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

/* Refusal path: counts the failure, maybe locks, audits, commits. */
static int login_refused(db *d, const struct settings *cfg, const struct login_row *row,
			 const char *username, const char *ip, int64_t now, struct fz_err *e)
{
	struct audit_actor who = { row ? row->id : 0, username, ip };
	char id[24];
	snprintf(id, sizeof id, "%" PRId64, row ? row->id : 0);
	if (db_begin(d) != 0)
		return fz_store(e, d);
	int locked = 0;
	if (row) {
		/* A lock that has run out starts the count afresh: one more failure
		 * must not lock the account again at once. */
		db_stmt *st = db_prepare(d, "UPDATE users SET"
					   " failed_count = CASE WHEN locked_until BETWEEN 1 AND $4 THEN 1 ELSE failed_count + 1 END,"
					   " locked_until = CASE WHEN (CASE WHEN locked_until BETWEEN 1 AND $4 THEN 1"
					   " ELSE failed_count + 1 END) >= $2 THEN $3 WHEN locked_until > $4 THEN locked_until ELSE 0 END"
					   " WHERE id = $1 RETURNING locked_until");
		db_bind_int(st, 1, row->id);
		db_bind_int(st, 2, cfg->lock_threshold);
		db_bind_int(st, 3, now + cfg->lock_minutes * 60);
		db_bind_int(st, 4, now);
		locked = db_step(st) == DB_ROW && db_col_int(st, 0) > now;
		db_done(st);
		if (locked)
			auth_kill_sessions(d, row->id);
	}
	ip_failure(d, cfg, ip, now);
	int rc = audit_append(d, &who, "login", "user", id, "failed", NULL);
	if (rc == 0 && locked)
		rc = audit_append(d, &who, "lock", "user", id, "ok", NULL);
	if (rc != 0 || db_commit(d) != 0) {
		db_rollback(d);
		return fz_store(e, d);
	}
	return fz_fail(e, 401, "invalid_credentials", NULL, "用户名或密码错误");
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
	int expired = cfg->pw_max_age_days > 0 && now - row->pw_changed_at > cfg->pw_max_age_days * 86400LL;
	st = db_prepare(d, "UPDATE users SET failed_count = 0, locked_until = 0, last_login_at = $2,"
			   " must_change = CASE WHEN $3 = 1 THEN 1 ELSE must_change END WHERE id = $1");
	db_bind_int(st, 1, row->id);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, expired);
	rc = db_run(st);
	db_done(st);
	st = db_prepare(d, "DELETE FROM login_failures WHERE ip = $1");
	db_bind_text(st, 1, ip);
	db_run(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int auth_login(db *d, const struct settings *cfg, const char *username, const char *password,
	       const char *ip, struct user *u, struct session *s, struct fz_err *e)
{
	int64_t now = (int64_t)time(NULL);
	struct login_row row;
	struct audit_actor who = { 0, username, ip };
	if (ip_locked_until(d, ip) > now) {
		audit_append(d, &who, "login", "user", "", "refused_address_locked", NULL);
		return fz_fail(e, 423, "locked", NULL, "该地址登录失败次数过多，已被临时锁定，请 %d 分钟后再试",
			       cfg->lock_minutes);
	}
	int found = find_login(d, username, &row) == 0;
	if (!found) {
		crypto_password_verify(dummy_hash(), password); /* same time as a real check */
		return login_refused(d, cfg, NULL, username, ip, now, e);
	}
	who.id = row.id;
	char id[24];
	snprintf(id, sizeof id, "%" PRId64, row.id);
	if (row.locked_until > now) {
		audit_append(d, &who, "login", "user", id, "refused_locked", NULL);
		return fz_fail(e, 423, "locked", NULL, "账号因连续登录失败已被锁定，请 %" PRId64 " 分钟后再试或联系安全管理员",
			       (row.locked_until - now + 59) / 60);
	}
	if (crypto_password_verify(row.hash, password) != 0)
		return login_refused(d, cfg, &row, username, ip, now, e);
	if (row.disabled) {
		audit_append(d, &who, "login", "user", id, "refused_disabled", NULL);
		return fz_fail(e, 403, "account_disabled", NULL, "账号已停用，请联系安全管理员");
	}
	if (db_begin(d) != 0)
		return fz_store(e, d);
	if (start_session(d, cfg, &row, ip, now, s) != 0 ||
	    audit_append(d, &who, "login", "user", id, "ok", NULL) != 0 || db_commit(d) != 0) {
		db_rollback(d);
		return fz_store(e, d);
	}
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
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return fz_fail(e, 401, "unauthenticated", NULL, "未登录或会话已失效，请重新登录");
	}
	int64_t created = db_col_int(st, 1), seen = db_col_int(st, 2);
	int64_t now = (int64_t)time(NULL), locked = db_col_int(st, 4);
	int disabled = (int)db_col_int(st, 3);
	copy(s->csrf, sizeof s->csrf, db_col_text(st, 0));
	user_from_row(st, 5, u);
	db_done(st);
	if (now - seen > cfg->idle_minutes * 60 || now - created > cfg->session_max_minutes * 60 ||
	    disabled || locked > now) {
		auth_logout(d, token);
		return fz_fail(e, 401, "session_expired", NULL, "会话已过期，请重新登录");
	}
	if (now - seen >= 30) { /* refresh the idle timer without a write per request */
		st = db_prepare(d, "UPDATE sessions SET last_seen = $2 WHERE token_digest = $1");
		db_bind_text(st, 1, digest);
		db_bind_int(st, 2, now);
		db_run(st);
		db_done(st);
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

int auth_set_password(db *d, const struct settings *cfg, int64_t user_id, const char *username,
		      const char *password, int must_change, struct fz_err *e)
{
	char why[256], hash[256];
	if (validate_password(password, username, cfg->pw_min_len, why, sizeof why) != 0)
		return fz_invalid(e, "password", "%s", why);
	if (crypto_password_hash(password, hash, sizeof hash) != 0)
		return fz_fail(e, 500, "crypto_error", NULL, "密码摘要计算失败");
	db_stmt *st = db_prepare(d, "UPDATE users SET pw_hash = $2, must_change = $3, pw_changed_at = $4,"
				   " failed_count = 0, locked_until = 0, updated_at = $4 WHERE id = $1");
	if (!st)
		return fz_store(e, d);
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, hash);
	db_bind_int(st, 3, must_change);
	db_bind_int(st, 4, (int64_t)time(NULL));
	int rc = db_run(st);
	db_done(st);
	crypto_wipe(hash, sizeof hash);
	return rc == DB_DONE ? 0 : fz_store(e, d);
}

void auth_generate_password(char out[17])
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
}
