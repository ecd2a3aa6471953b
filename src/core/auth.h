/*
 * auth.h — accounts and sessions: password login with lockout per account
 * and per address, server-side sessions (idle and absolute expiry, killed
 * on logout and when an account is locked or disabled), password changes
 * under the policy. Every outcome that matters writes an audit entry.
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

/* Checks the credentials; on success creates a session. Errors: 401
 * invalid_credentials, 423 locked, 403 account_disabled. */
int auth_login(db *d, const struct settings *cfg, const char *username, const char *password,
	       const char *ip, struct user *u, struct session *s, struct fz_err *e);

/* Resolves a session token; refreshes its idle timer. Errors: 401
 * unauthenticated / session_expired. */
int auth_session(db *d, const struct settings *cfg, const char *token, struct user *u,
		 struct session *s, struct fz_err *e);

int auth_logout(db *d, const char *token);

/* Sets a password that passes the policy (422 otherwise). must_change
 * marks it an initial password. Leaves sessions alone (see
 * auth_kill_sessions, auth_kill_other_sessions). Caller holds the
 * transaction and writes the audit. */
int auth_set_password(db *d, const struct settings *cfg, int64_t user_id, const char *username,
		      const char *password, int must_change, struct fz_err *e);

/* A random initial password that passes the policy (16 chars). */
void auth_generate_password(char out[17]);

/* Kills every session of a user. */
int auth_kill_sessions(db *d, int64_t user_id);
/* Kills every session of a user but the one of keep_token. */
int auth_kill_other_sessions(db *d, int64_t user_id, const char *keep_token);

#endif
