/*
 * audit.h — the tamper-evident audit log. Entries are appended, never
 * changed; each hash covers the previous entry's hash and this entry's
 * fields, so an UPDATE or DELETE made behind the platform's back breaks
 * the chain at that entry and audit_verify names it. An entry is written
 * in the caller's transaction when one is open (the change and its entry
 * commit together or not at all: fail closed), else in its own.
 */
#ifndef FAZHI_AUDIT_H
#define FAZHI_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "crypto.h"
#include "db.h"

struct audit_actor {
	int64_t id;        /* 0 for the system or an anonymous caller */
	const char *name;  /* username, "system", or the attempted username */
	const char *ip;
};

/* Algorithm for new entries (default SM3). */
void audit_set_alg(enum hash_alg alg);

/* Appends an entry. detail (may be NULL) is stored as compact JSON and
 * digested; it must hold no unmasked personal data. 0 on success. */
int audit_append(db *d, const struct audit_actor *a, const char *action, const char *entity,
		 const char *entity_id, const char *result, json_t *detail);

struct audit_check {
	int64_t checked;
	int64_t first_bad; /* 0 when intact */
	char reason[256];
};
/* Recomputes the chain; 0 when intact, 1 when broken (see c), -1 on error. */
int audit_verify(db *d, struct audit_check *c);

#endif
