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

/* Shorthands for the common cases. */
#define fz_invalid(e, field, ...) fz_fail((e), 422, "invalid", (field), __VA_ARGS__)
#define fz_store(e, d) fz_fail((e), 500, "store_error", NULL, "数据库错误: %s", db_errmsg(d))

#endif
