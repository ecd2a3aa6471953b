/*
 * error.h — the one error convention: a function that can fail for a
 * reason the caller must show takes a struct fz_err *, fills it with the
 * HTTP status, a stable code, the offending field and a Chinese message,
 * and returns -1 (fz_fail does all four). 0 means success.
 */
#ifndef FAZHI_ERROR_H
#define FAZHI_ERROR_H

struct fz_err {
	int status;
	const char *code;
	const char *field;    /* a static name, or field_buf */
	char msg[512];
	char field_buf[64];   /* a field name taken from the input (an unknown
			       * key): the error outlives the input */
};

int fz_fail(struct fz_err *e, int status, const char *code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Copies src into dst (a field name held in src's buffer moves with it). */
void fz_copy(struct fz_err *dst, const struct fz_err *src);

/* Every refusal of one input (an import row): checks that can go on after
 * a bad value keep each here — the first per field, at most FZ_ERRS_MAX —
 * so the user sees all of them at once. */
#define FZ_ERRS_MAX 40
struct fz_errs {
	int n;
	struct fz_err v[FZ_ERRS_MAX];
};

/* After a check failed with e: when all is given and e refuses the input
 * (status below 500), keeps e in all, clears it and answers 1 (the caller
 * goes on checking); else 0 (the caller stops with e). */
int fz_keep(struct fz_errs *all, struct fz_err *e);
/* At the end of the checks: when all holds errors, the first into e, -1;
 * else 0. */
int fz_kept(const struct fz_errs *all, struct fz_err *e);

/* Shorthands for the common cases. */
#define fz_invalid(e, field, ...) fz_fail((e), 422, "invalid", (field), __VA_ARGS__)
#define fz_store(e, d) fz_fail((e), 500, "store_error", NULL, "数据库错误: %s", db_errmsg(d))

#endif
