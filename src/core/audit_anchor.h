/*
 * audit_anchor.h — what anchors the audit log outside the database: the
 * chain key (HMAC), the checkpoint signing key (Ed25519) and the append-only
 * checkpoint file, all under one path prefix (a SQLite database's path plus
 * ".", or FAZHI_AUDIT_DIR plus "/"): PREFIXaudit-key, PREFIXaudit-sign.pem,
 * PREFIXaudit-checkpoints. A checkpoint signs (kind, last id, last hash,
 * count, time); it is appended to the file (O_APPEND) and sent to syslog.
 * One process-wide trust state, opened once before any thread writes.
 */
#ifndef FAZHI_AUDIT_ANCHOR_H
#define FAZHI_AUDIT_ANCHOR_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "db.h"

#define AUDIT_KEY_FILE "audit-key"
#define AUDIT_SIGN_FILE "audit-sign.pem"
#define AUDIT_CP_FILE "audit-checkpoints"

/* Loads the keys under prefix and sets the chain key (audit_set_key). With
 * create, missing keys are made (0600) — but never a chain key for a log
 * that already holds keyed entries (that key was lost: restore it) — and a
 * new chain key is anchored by a checkpoint of kind "anchor". 0 ok; -1 with
 * a Chinese message in err. */
int audit_trust_open(db *d, const char *prefix, int create, char *err, size_t n);
void audit_trust_close(void);
/* The chain key with this id: the current one, or a retired one kept as
 * PREFIXaudit-key.ID (key rotation). 0 found, -1 not. */
int audit_trust_key(const char *key_id, unsigned char key[32]);

/* Signs and appends a checkpoint over the log as it is now. 0 ok. */
int audit_checkpoint(db *d, const char *kind, struct audit_cp *out, char *err, size_t n);
/* The whole check (audit.h, audit_verify_chain) against the trust files:
 * every checkpoint's signature, then the chain. 0 intact, 1 broken (c says
 * which check), -1 on error (c->reason). */
int audit_verify(db *d, struct audit_check *c);
/* Reads the checkpoint file and checks every signature. *cps (malloc'd,
 * file order) and *n. 0 ok; 1 when a check failed (c says which); -1 on
 * error (c->reason). */
int audit_checkpoints_load(struct audit_cp **cps, size_t *n, struct audit_check *c);
/* {"algorithm":"Ed25519","public_key":PEM,"checkpoints":[…]}, or NULL. */
json_t *audit_checkpoints_export(char *err, size_t n);
/* Key rotation: a checkpoint under the old key, the old key kept as
 * PREFIXaudit-key.OLDID, a new key, an entry "rotate_key" under it and a
 * checkpoint. 0 ok. */
int audit_rotate_key(db *d, const struct audit_actor *a, char *err, size_t n);

#endif
