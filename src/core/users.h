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
int64_t users_id_by_name(db *d, const char *username);

#endif
