/* error.c — fills a struct fz_err (see error.h). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "validate.h"

int fz_fail(struct fz_err *e, int status, const char *code, const char *field, const char *fmt, ...)
{
	if (!e)
		return -1;
	e->status = status;
	e->code = code;
	e->field = field;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	/* The message goes into JSON; it may quote input (jansson's error
	 * text cuts it at any byte) or be truncated in a character. */
	utf8_scrub(e->msg);
	return -1;
}

void fz_copy(struct fz_err *dst, const struct fz_err *src)
{
	if (dst == src)
		return;
	*dst = *src;
	if (src->field == src->field_buf)
		dst->field = dst->field_buf;
}

int fz_keep(struct fz_errs *all, struct fz_err *e)
{
	if (!all || !e->code || e->status >= 500)
		return 0;
	int seen = 0;
	for (int i = 0; i < all->n && !seen; i++)
		seen = all->v[i].field && e->field && strcmp(all->v[i].field, e->field) == 0;
	if (!seen && all->n < FZ_ERRS_MAX)
		fz_copy(&all->v[all->n++], e);
	memset(e, 0, sizeof *e);
	return 1;
}

int fz_kept(const struct fz_errs *all, struct fz_err *e)
{
	if (!all || all->n == 0)
		return 0;
	fz_copy(e, &all->v[0]);
	return -1;
}
