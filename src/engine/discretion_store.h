/*
 * discretion_store.h — the 裁量基准 versions a case can be decided under:
 * the shipped ones (embedded from data/benchmarks/) and the ones a
 * top-level coordinator loaded into the store (never changed afterwards).
 */
#ifndef FAZHI_DISCRETION_STORE_H
#define FAZHI_DISCRETION_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "db.h"
#include "discretion.h"
#include "error.h"

/* Every version, shipped first: [{id, version, name, source, violations,
 * created_at}], or NULL on a store error. */
json_t *discretion_versions(db *d);

/* The benchmark id at this version, or (version NULL) its newest one: a
 * shipped id is the release's; a loaded id's newest is the last loaded.
 * The caller frees it (discretion_free); NULL with e (404, 500). */
struct discretion_benchmark *discretion_get(db *d, const char *id, const char *version, struct fz_err *e);

/* The version a case's decision is checked against: the one that lists
 * violation (a violation code) at version, or (version NULL) the newest
 * loaded version listing it, else the shipped one. The caller frees it;
 * NULL with e (404 when no version lists it, 500). */
struct discretion_benchmark *discretion_for_violation(db *d, const char *violation, const char *version,
						       struct fz_err *e);

/* Parses and stores text as a new version by actor. Problems go into
 * problems as [{line, message}] (422); a shipped id is refused (403); a
 * version already loaded is 409. *saved: the version's summary. */
int discretion_save(db *d, const char *text, int64_t actor, json_t *problems, json_t **saved, struct fz_err *e);

#endif
