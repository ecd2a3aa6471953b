/*
 * audit.h — the tamper-evident audit log. Entries are appended, never
 * changed. Each entry's hash is an HMAC (HMAC-SM3 by default) under the
 * chain key, a key kept outside the database (audit_anchor.h), over the
 * previous entry's hash and this entry's fields: whoever can write the
 * database but lacks the key can neither change an entry nor recompute the
 * chain after deleting some. Signed checkpoints kept outside the database
 * (audit_anchor.h) catch what the key alone cannot: entries cut off the end.
 * An entry is written in the caller's transaction when one is open (the
 * change and its entry commit together or not at all: fail closed), else in
 * its own.
 *
 * A process without a chain key (unit tests of other modules) writes the
 * legacy, unkeyed form; verification accepts such entries only up to the
 * anchor checkpoint written when the key was created (see audit_anchor.c).
 * Every `fazhi` command loads the key before it writes (cli_open_db).
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

#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Hash under the HMAC (and of the entries' detail digest); default SM3. */
void audit_set_alg(enum hash_alg alg);
/* The chain key for new entries (NULL: none, legacy unkeyed entries). */
void audit_set_key(const unsigned char key[32]);
/* The key's public name (16 hex digits): HMAC-SM3(key, fixed label). */
void audit_key_id(const unsigned char key[32], char out[17]);

/* Appends an entry. detail (may be NULL) is stored as compact JSON and
 * digested; it must hold no unmasked personal data. 0 on success. */
int audit_append(db *d, const struct audit_actor *a, const char *action, const char *entity,
		 const char *entity_id, const char *result, json_t *detail);

/* Refuses UPDATE and DELETE on audit_log with triggers (SQLite: RAISE;
 * PostgreSQL: a trigger function) and, on PostgreSQL, revokes UPDATE,
 * DELETE and TRUNCATE from the connecting role. Idempotent; 0 ok. */
int audit_guard_install(db *d);

/* The checks audit_verify names when one fails (check field below). */
#define AUDIT_CHECK_SEQUENCE "sequence"     /* ids without gaps from 1 */
#define AUDIT_CHECK_DIGEST "digest"         /* detail matches its digest */
#define AUDIT_CHECK_LINK "link"             /* prev_hash is the previous hash */
#define AUDIT_CHECK_HMAC "hmac"             /* keyed hash under the chain key */
#define AUDIT_CHECK_LEGACY "legacy"         /* unkeyed entries only up to the anchor */
#define AUDIT_CHECK_CP_FILE "checkpoint-file"  /* the checkpoint file reads and has an anchor */
#define AUDIT_CHECK_CP_SIG "checkpoint-signature"
#define AUDIT_CHECK_CP_HASH "checkpoint-hash"   /* the entry at a checkpoint's id has its hash */
#define AUDIT_CHECK_CP_COUNT "checkpoint-count" /* at least a checkpoint's count (truncation) */

struct audit_check {
	int64_t checked;   /* entries that passed before the failure */
	int64_t first_bad; /* 0 when intact */
	const char *check; /* one of AUDIT_CHECK_*, NULL when intact */
	char reason[320];  /* Chinese, names the check */
};

/* A signed checkpoint: the log's last id and hash and its count at ts. */
struct audit_cp {
	char kind[16]; /* anchor, periodic, shutdown, manual, rotate */
	int64_t id, count, ts;
	char hash[65];
	char sig[129];
};

/* Gives the chain key with this id; 0 found, -1 not. */
typedef int (*audit_key_fn)(const char *key_id, unsigned char key[32]);

/* Checks every entry (sequence, digest, link, HMAC under key_of's keys,
 * or legacy up to the first "anchor" in cps) and every checkpoint in cps
 * (whose signatures the caller checked: the hash at its id, its count).
 * Sorts cps by id. 0 intact, 1 broken (see c), -1 on error (reason).
 * audit_verify (audit_anchor.h) calls it with the trust files. */
int audit_verify_chain(db *d, struct audit_cp *cps, size_t ncps, audit_key_fn key_of, struct audit_check *c);

#endif
