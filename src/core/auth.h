/*
 * auth.h — accounts and sessions: password (and, for administrators and
 * enrolled users, TOTP) login with lockout per account and per address
 * over a sliding window and a global login rate; server-side sessions
 * (idle and absolute expiry, killed on logout and when an account is
 * locked or disabled); password changes under the policy and history.
 * Every outcome that matters writes an audit entry.
 */
#ifndef FAZHI_AUTH_H
#define FAZHI_AUTH_H

#include <stdint.h>

#include "db.h"
#include "error.h"
#include "settings.h"

#define USER_MAX_BODIES 64

struct user {
	int64_t id;
	char username[64];
	char display_name[128];
	char role[24];
	char scope_region[16];  /* "" = the whole installation */
	char scope_path[128];   /* region path prefix, "" = everything */
	int64_t bodies[USER_MAX_BODIES];
	int nbodies;
	int must_change;
};

struct session {
	char token[65];   /* only known right after login */
	char csrf[65];
};

/* Loads a user by id with scope and bodies; -1 when absent. */
int auth_user_load(db *d, int64_t id, struct user *u);

struct login_input {
	const char *username, *password;
	const char *totp; /* a 6-digit code, a recovery code, or NULL */
	const char *ip;
};

/* Checks the credentials and, for an administrator or an enrolled user,
 * the second factor (totp.h); on success creates a session. key is the
 * personal-data key the TOTP secrets are sealed with. Errors: 429
 * rate_limited (the global login rate), 423 locked (this address), 401
 * invalid_credentials (unknown name, wrong password or code, locked
 * account: one answer), 401 totp_required (password right, code missing),
 * 403 account_disabled, 500 on any store error. */
int auth_login(db *d, const struct settings *cfg, const unsigned char key[32], const struct login_input *in,
	       struct user *u, struct session *s, struct fz_err *e);

/* The minimum password length for a role (administrators: pw_admin_min_len). */
int auth_password_min_len(const struct settings *cfg, const char *role);
/* Whether pw is the user's current password (a re-authentication): 1 yes,
 * 0 no, -1 a store error or no such user. */
int auth_password_check(db *d, int64_t user_id, const char *pw);

/* Resolves a session token; refreshes its idle timer. Errors: 401
 * unauthenticated / session_expired. */
int auth_session(db *d, const struct settings *cfg, const char *token, struct user *u,
		 struct session *s, struct fz_err *e);

int auth_logout(db *d, const char *token);

/* Sets a password that passes the policy for the account's role and is
 * none of its last pw_history passwords (422 otherwise). must_change
 * marks it a generated initial password (not kept in the history). Leaves sessions alone (see
 * auth_kill_sessions, auth_kill_other_sessions). Caller holds the
 * transaction and writes the audit. */
int auth_set_password(db *d, const struct settings *cfg, int64_t user_id, const char *username,
		      const char *password, int must_change, struct fz_err *e);
/* auth_set_password in two steps, so the KDF work (the policy, the history,
 * the new hash) runs before the caller's write transaction: prepare checks
 * and hashes into hash; store writes it (in the transaction). */
int auth_password_prepare(db *d, const struct settings *cfg, int64_t user_id, const char *username,
			  const char *password, int must_change, char hash[256], struct fz_err *e);
int auth_password_store(db *d, const struct settings *cfg, int64_t user_id, const char *hash, int must_change,
			struct fz_err *e);

/* A random initial password that passes the policy (16 chars). */
void auth_generate_password(char out[17]);

/* Kills every session of a user. */
int auth_kill_sessions(db *d, int64_t user_id);
/* Kills every session of a user but the one of keep_token. */
int auth_kill_other_sessions(db *d, int64_t user_id, const char *keep_token);

#endif
