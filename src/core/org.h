/*
 * org.h — the org model's writes: regions, bodies, people (officers and
 * their certificates) and subjects (enterprises, natural persons). One
 * entry point per kind takes the import object (docs/import.md) — the API
 * and `fazhi import` share it — validates every field, checks the caller's
 * scope, writes, and (when asked) audits. Natural persons' ID numbers are
 * sealed with SM4 before they reach the store.
 */
#ifndef FAZHI_ORG_H
#define FAZHI_ORG_H

#include <jansson.h>
#include <stdint.h>

#include "audit.h"
#include "auth.h"
#include "db.h"
#include "error.h"

/* A subject write by a scoped user that collided with a subject outside
 * the user's scope: answered neutrally (409 needs_review, no field), so
 * the answer does not confirm that the USCC or ID number is registered
 * elsewhere; recorded for a coordinator over both regions to resolve. */
struct org_review {
	char field[16];         /* "uscc" or "id_number"; "" = no such collision */
	int64_t existing_id;
	char existing_path[128];
	char region[16], path[128]; /* the region the caller asked for */
	char name[404];
};

struct org_ctx {
	db *d;
	const struct user *user;         /* NULL: the system (CLI), no scope limit */
	const struct audit_actor *actor; /* audit each write when not NULL */
	const unsigned char *key;        /* 32-byte personal-data key */
	int64_t now;
	struct org_region_cache *regions; /* optional: region lookups kept (NULL: none) */
	struct org_review *review;        /* API writes: an out-of-scope collision (see above) */
	int probe_limit;                  /* such collisions per user and hour before 429 (0: none) */
};

/* Region code → path lookups kept for a bulk import (org_ctx.regions):
 * a hit skips the query; the scope check is still made each time; any
 * region written through the ctx empties it. */
struct org_region_cache;
struct org_region_cache *org_region_cache_new(void);
void org_region_cache_free(struct org_region_cache *rc);

/* Each creates (id == 0) or replaces the fields of record id; *out_id gets
 * the record's id. The object is the import object, "type" allowed. */
int org_region_put(struct org_ctx *c, json_t *o, int64_t id, int64_t *out_id, struct fz_err *e);
int org_body_put(struct org_ctx *c, json_t *o, int64_t id, int64_t *out_id, struct fz_err *e);
int org_person_put(struct org_ctx *c, json_t *o, int64_t id, int64_t *out_id, struct fz_err *e);
/* The keyed digest a natural person's ID number is kept unique by
 * (subjects.id_digest; key: the 32-byte data key), so a search by the
 * whole number finds the person without the number being stored. */
void org_id_digest(const unsigned char *key, const char *idn, char digest[65]);
int org_subject_put(struct org_ctx *c, json_t *o, int64_t id, int64_t *out_id, struct fz_err *e);
/* A natural person's ID number, its sealed copy opened with key; NULL
 * when the subject has none (an enterprise) or it cannot be opened.
 * malloc'd: crypto_wipe and free it. No scope: the caller found the
 * subject within its own. */
char *org_subject_id_number(db *d, const unsigned char key[32], int64_t id);

/* Records c->review (after the caller rolled the write back, in a new
 * transaction the caller holds): a duplicate_reviews row and its audit
 * entry (refused, with the collision). */
int org_review_record(struct org_ctx *c, int64_t *review_id, struct fz_err *e);

/* The fields each kind of object takes ("type" included: the import's). */
extern const char *const org_region_fields[], *const org_body_fields[], *const org_person_fields[],
	*const org_subject_fields[];

/* Dispatches on o["type"]: region, body, person, subject. */
int org_put(struct org_ctx *c, json_t *o, int64_t *out_id, struct fz_err *e);

#endif
