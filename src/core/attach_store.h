/*
 * attach_store.h — the one store of uploaded files (印证材料 of indicators,
 * records and tasks): files outside the database, each named by the SM3
 * digest of its content (DIR/ab/cd/<64 hex>), written to a temporary file
 * under DIR/tmp, fsync'd and renamed into place (a crash leaves no partial
 * file under a digest name), the same content stored once. Every read
 * checks the content against its name: a changed or missing file is
 * refused, never handed out. Files are never removed: a row that names a
 * digest can rely on its file for as long as the row exists.
 */
#ifndef FAZHI_ATTACH_STORE_H
#define FAZHI_ATTACH_STORE_H

#include <stddef.h>

#include "error.h"

struct attach_store;

/* Opens the store in dir, creating dir (mode 0700) and DIR/tmp when
 * create is set. 0, or -1 with a Chinese message in err. */
int attach_store_open(const char *dir, int create, struct attach_store **out, char *err, size_t n);
void attach_store_close(struct attach_store *s);
const char *attach_store_dir(const struct attach_store *s);
/* A batch of thousands of files written in one transaction (fazhi demo):
 * on, each put skips its file and directory syncs; off, everything
 * written is synced once (a crash before then loses the transaction that
 * names the files anyway). */
void attach_store_bulk(struct attach_store *s, int on);

/* Stores p[0..n) and gives its SM3 digest (64 lowercase hex). When a file
 * of that digest exists and holds that content, nothing is written (the
 * same content is stored once); one that does not hold it (damaged) is
 * replaced. 0, or -1 with e set (500 attachment_store). */
int attach_store_put(struct attach_store *s, const void *p, size_t n, char digest[65], struct fz_err *e);

/* The content of digest, checked against it: *out (malloc'd, the caller
 * frees it) and *n. A file that is missing, larger than max, unreadable or
 * whose content no longer matches its name: -1 with e set (500
 * attachment_missing / attachment_corrupt, a Chinese message) and nothing
 * given out. */
int attach_store_get(struct attach_store *s, const char *digest, size_t max, char **out, size_t *n,
		     struct fz_err *e);

/* Whether s is 64 lowercase hex digits (a digest the store can name). */
int attach_digest_valid(const char *s);

/* Copies digest from src into dst, checked on the way (attach_store_get,
 * then attach_store_put): a damaged file is not copied. 0, or -1 with e. */
int attach_store_copy(struct attach_store *src, struct attach_store *dst, const char *digest, size_t max,
		      struct fz_err *e);

#endif
