/*
 * users.h — account administration shared by the CLI and the API: create
 * (with a generated initial password to be changed at first login, or an
 * operator's password), change role/scope/bodies, disable, unlock, reset.
 * Each writes its audit entry in the caller's transaction.
 */
#ifndef FAZHI_USERS_H
#define FAZHI_USERS_H

#include <jansson.h>
#include <stdint.h>

#include "audit.h"
#include "db.h"
#include "error.h"
#include "settings.h"

struct user_spec {
	const char *username;
	const char *display_name;
	const char *role;
	const char *scope_region;  /* NULL or "" = whole installation */
	json_t *bodies;            /* array of body codes, or NULL */
};

/* password NULL: generate one into initial (17 bytes) and force a change. */
int users_create(db *d, const struct settings *cfg, const struct audit_actor *actor,
		 const struct user_spec *s, const char *password, char *initial, int64_t *out_id,
		 struct fz_err *e);
int users_update(db *d, const struct audit_actor *actor, int64_t id, const struct user_spec *s,
		 int disabled, struct fz_err *e);
int users_unlock(db *d, const struct audit_actor *actor, int64_t id, struct fz_err *e);
int users_lock(db *d, const struct audit_actor *actor, int64_t id, struct fz_err *e);
/* Sets password (or a generated initial one when NULL, into initial). */
int users_set_password(db *d, const struct settings *cfg, const struct audit_actor *actor, int64_t id,
		       const char *password, char *initial, struct fz_err *e);
/* The account's id; 0 when there is none, -1 on a store error. */
int64_t users_id_by_name(db *d, const char *username);

/* The separation of the three administrators (三员), for every caller but
 * the host operator (`fazhi user`): no account holding an administrator
 * role (roles.h `admin`) is created, changed, reset, unlocked, locked or
 * disabled, and no account is given one — so no role change crosses the
 * administrator/business line either way. target_id: the account (0 for a
 * new one); role: the role asked for (NULL when unchanged). 0 allowed;
 * -1 with 403 forbidden, or 500 on a store error. */
int users_api_may_manage(db *d, int64_t target_id, const char *role, struct fz_err *e);

#endif
